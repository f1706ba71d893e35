"""The working-day calendar table and the legal clocks of each item (DOMAIN.md, "Legal clocks")."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DayKind(models.TextChoices):
    WORKDAY = "workday", "工作日"
    WEEKEND = "weekend", "休息日"
    HOLIDAY = "holiday", "法定节假日"
    MAKEUP = "makeup", "调休上班"


class CalendarYear(models.Model):
    class Recompute(models.TextChoices):
        NONE = "", "—"
        QUEUED = "queued", "排队中"
        RUNNING = "running", "计算中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    year = models.PositiveIntegerField("年份", primary_key=True)
    published = models.BooleanField("已发布", default=False)
    source = models.CharField("来源", max_length=200, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    # The background recomputation of the clocks reaching into the year after its last publication from the
    # calendar page (cases.tasks.recompute_year), shown there as a progress bar.
    recompute_status = models.CharField("重新计算期限", max_length=10, choices=Recompute.choices, blank=True,
                                        default=Recompute.NONE)
    recompute_total = models.PositiveIntegerField("受影响件数", default=0)
    recompute_done = models.PositiveIntegerField("已重新计算", default=0)
    recompute_finished_at = models.DateTimeField("重新计算完成时间", null=True, blank=True)
    recompute_message = models.TextField("重新计算错误", blank=True)
    # Written with each batch: a recomputation that stops moving was cut short (a restarted worker).
    recompute_progress_at = models.DateTimeField("重新计算最近进展", null=True, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = verbose_name_plural = "日历年度"

    def __str__(self) -> str:
        return f"{self.year}"

    @property
    def recomputing(self) -> bool:
        return self.recompute_status in (self.Recompute.QUEUED, self.Recompute.RUNNING)

    @property
    def recompute_stalled(self) -> bool:
        """Running, but no batch for a while (timeutil.STALLED_AFTER; a batch of 20,000 items takes under a
        minute)."""
        from xiaobao.lib import timeutil

        return (self.recompute_status == self.Recompute.RUNNING
                and timeutil.stalled(self.recompute_progress_at or self.published_at))


class CalendarDay(models.Model):
    """Days that differ from plain Mon–Fri in a published year: holidays and make-up working days."""

    date = models.DateField("日期", primary_key=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("名称", max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = verbose_name_plural = "日历日"

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"

    @property
    def is_workday(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP)


class ClockName(models.TextChoices):
    SIGN_OFF = "sign_off", "签收"
    FIRST_CONTACT = "first_contact", "首次联系"
    ACCEPTANCE = "acceptance", "受理决定"
    HANDLING = "handling", "调解办结"
    MEDIATION_CAP = "mediation_cap", "调解终结"
    VERIFICATION = "verification", "核查立案"
    REPLY = "reply", "回复"
    TERMINATION_NOTICE = "termination_notice", "终止调解书送达"
    # Notices to named people, whether or not a reply was asked for (rules 二.2, 二.4).
    NOT_FILED_NOTICE = "not_filed_notice", "不予立案告知"
    FILED_NOTICE = "filed_notice", "立案告知"
    NOT_ACCEPTED_NOTICE = "not_accepted_notice", "不予受理告知"
    TIER_NOTICE = "tier_notice", "调解不成说明理由"
    # The 12345 hotline's own deadlines, as its work order sets them (xiaobao.hotline).
    HOTLINE_SIGN = "hotline_sign", "12345签收"
    HOTLINE_FINISH = "hotline_finish", "12345办结"
    # While the item waits for the bureau itself (issue 17, point 6): 消保股's routing (rules 二.1), an approval
    # (rules 二.1(2), 二.2), and the national acceptance period from the bureau's receipt beside the unit's own
    # (SAMR-2019 第十四条; SAMR-2026 第十五条).
    ROUTING = "routing", "分流"
    APPROVAL = "approval", "审批"
    NATIONAL_ACCEPTANCE = "national_acceptance", "受理决定（自本局收到）"
    # An ODR business's 10 working days to settle a forwarded complaint (DOMAIN.md "Settling first").
    BUSINESS_SETTLEMENT = "business_settlement", "企业先行和解"


# What an item still owes the person after its conclusion: the clocks the conclusion starts (the reply, rules 二.4;
# the notices of not accepting, filing or not filing, rules 二.2; the termination notice, SAMR-2019 Art. 21). They
# stay open on a concluded item until done; every other clock is settled by the conclusion (issue 18, point 2).
OWED_AFTER_CONCLUSION = frozenset({"reply", "termination_notice", "not_filed_notice", "filed_notice",
                                   "not_accepted_notice"})


class Settlement(models.TextChoices):
    """How a clock still open when its item was concluded or archived was closed (clocks.services.settle)."""

    MET = "met", "办结时按期"
    MISSED = "missed", "未按期"


class Clock(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="clocks")
    name = models.CharField("期限", max_length=30, choices=ClockName.choices)
    start = models.DateField("起算日")
    length = models.PositiveIntegerField("期限长度")
    unit = models.CharField("计算单位", max_length=10, choices=[("workdays", "工作日"), ("days", "自然日")])
    basis = models.CharField("依据", max_length=200)
    due = models.DateField("届满日")
    provisional = models.BooleanField("暂定", default=False)
    met_on = models.DateField("完成日", null=True, blank=True)
    # Set when the item's conclusion or archiving closed the clock (met_on is then that day): met on or before
    # its due date, else recorded as missed. None for a clock met by its own step, or still open.
    settled = models.CharField("结清", max_length=10, choices=Settlement.choices, null=True, blank=True)
    explanation = models.TextField("计算说明", blank=True)
    overdue_notified = models.BooleanField(default=False)
    due_soon_notified = models.BooleanField(default=False)
    # The mediation cap's warnings ahead of its due date (settings.XIAOBAO_CAP_WARN_DAYS): the nearest lead in
    # days already warned about for the present due date; cleared when the due date moves.
    warned_days_ahead = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "name"], name="one_clock_per_name")]
        indexes = [models.Index(fields=["met_on", "due"], name="clock_open_due"),
                   models.Index(fields=["case", "met_on", "due"], name="clock_case_open_due"),
                   # the monthly on-time figures: clocks due in a month (or met in it, clock_open_due)
                   models.Index(fields=["due"], name="clock_due"),
                   # the inbox's overdue and due-soon items: the open clocks (a few thousand of millions) by due
                   # date with their item, read off this index alone (cases.selectors.inbox_sections)
                   models.Index(fields=["due", "case"], condition=models.Q(met_on__isnull=True),
                                name="clock_open_by_due"),
                   # the lists' overdue filter with finished items included: the clocks recorded as missed
                   models.Index(fields=["due", "case"], condition=models.Q(settled="missed"),
                                name="clock_missed_by_due")]
        verbose_name = verbose_name_plural = "期限"

    def __str__(self) -> str:
        return f"{self.get_name_display()} {self.due}"


class ClockRun(models.Model):
    """A run of a clock that was restarted (re-routing restarts 签收, a new sign-off restarts 首次联系,
    reopening restarts 调解办结): the Clock row then holds the new run and the superseded one is kept here
    unchanged, so a past month's on-time figures are computed from what was due then (DOMAIN.md,
    "Past months must be reproducible from the stored history")."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="clock_runs")
    name = models.CharField("期限", max_length=30, choices=ClockName.choices)
    start = models.DateField("起算日")
    length = models.PositiveIntegerField("期限长度")
    unit = models.CharField("计算单位", max_length=10, choices=[("workdays", "工作日"), ("days", "自然日")])
    basis = models.CharField("依据", max_length=200)
    due = models.DateField("届满日")
    provisional = models.BooleanField("暂定", default=False)
    met_on = models.DateField("完成日", null=True, blank=True)
    explanation = models.TextField("计算说明", blank=True)
    # The unit the run was running for (xiaobao.clocks.services._run_holder).
    for_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="承办单位")
    superseded_on = models.DateField("重新起算日")
    reason = models.CharField("重新起算原因", max_length=100, blank=True)

    class Meta:
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["due"], name="clockrun_due"),
                   models.Index(fields=["met_on"], name="clockrun_met_on")]
        verbose_name = verbose_name_plural = "已重新起算的期限"

    def __str__(self) -> str:
        return f"{self.get_name_display()} {self.start}…{self.due}（{self.superseded_on} 重新起算）"


class PauseReason(models.TextChoices):
    # rules 二.2: time that does not count towards the item's periods
    JURISDICTION = "jurisdiction", "确定管辖"
    TESTING = "testing", "检验检测"
    APPRAISAL = "appraisal", "鉴定"
    EXPERT_REVIEW = "expert_review", "专家评审或论证"
    OTHER_DEPARTMENT = "other_department", "其他部门协助调查"


class PausePayer(models.TextChoices):
    # Who bears the cost of testing or appraisal; no agreement on it is a ground to end mediation.
    COMPLAINANT = "complainant", "投诉人承担"
    RESPONDENT = "respondent", "被投诉人承担"
    SHARED = "shared", "双方分担"
    BUREAU = "bureau", "市场监管部门承担"


class Pause(models.Model):
    """Days P … R−1 of a pause from P to resume date R do not count (rules 二.2)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField("事由", max_length=30, choices=PauseReason.choices)
    note = models.TextField("说明", blank=True)
    start = models.DateField("中止日")
    end = models.DateField("恢复日", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="批准人")
    payer = models.CharField("费用承担", max_length=20, choices=PausePayer.choices, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["start", "id"]
        verbose_name = verbose_name_plural = "期限中止"

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {self.start}…{self.end or ''}"
