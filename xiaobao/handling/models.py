"""What happens around an item while it is handled: contacts, supervision (督办), joint consultation (会商),
on-site handling (现场处置) and follow-up (回访). State changes stay in xiaobao.cases; these are records."""

from __future__ import annotations

from django.conf import settings
from django.db import models

STAFF = settings.AUTH_USER_MODEL


class DutyAssignment(models.Model):
    """定人定岗 (rules 一.3(1)): the staff of a unit who sign for routed items every day."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="duty", verbose_name="单位")
    staff = models.ForeignKey(STAFF, on_delete=models.CASCADE, related_name="duty", verbose_name="值守人员")
    active = models.BooleanField("在岗", default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "staff"], name="one_duty_per_staff_unit")]
        verbose_name = verbose_name_plural = "定人定岗"

    def __str__(self) -> str:
        return f"{self.unit} · {self.staff}"


class Contact(models.Model):
    """A call, visit or message with the person or the business (contact log; first contact, rules 一.3(1))."""

    class Channel(models.TextChoices):
        PHONE = "phone", "电话"
        SMS = "sms", "短信"
        VISIT = "visit", "面谈"
        ONLINE = "online", "网络"
        LETTER = "letter", "信函"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contacts")
    at = models.DateTimeField("时间")
    with_whom = models.CharField("对象", max_length=20, choices=[("complainant", "投诉举报人"), ("respondent", "被投诉举报人")])
    channel = models.CharField("方式", max_length=20, choices=Channel.choices)
    content = models.TextField("内容")
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "联系记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_channel_display()}"


class Supervision(models.Model):
    """督办 (rules 一.1(3)): 消保股 asks the handling unit to act by a date; the unit must answer."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="supervisions")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="supervisions")
    issued_at = models.DateTimeField("督办时间")
    issued_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    due = models.DateField("答复期限")
    note = models.TextField("督办事项")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField("答复", blank=True)

    class Meta:
        ordering = ["issued_at", "id"]
        verbose_name = verbose_name_plural = "督办"

    def __str__(self) -> str:
        return f"督办 {self.case_id} {self.issued_at:%Y-%m-%d}"


class Consultation(models.Model):
    """会商 (rules 一.2): a difficult item discussed by invited business sections; the lead unit concludes."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="consultations")
    lead = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="牵头单位")
    invited = models.ManyToManyField("units.Unit", related_name="consultations", verbose_name="参加单位")
    topic = models.TextField("会商事项")
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    conclusion = models.TextField("会商结论", blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["opened_at", "id"]
        verbose_name = verbose_name_plural = "会商"

    def __str__(self) -> str:
        return f"会商 {self.case_id}"


class Opinion(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="opinions")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    text = models.TextField("意见")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "会商意见"

    def __str__(self) -> str:
        return f"{self.unit} 意见"


class SiteVisit(models.Model):
    """现场处置 (rules 二.5): requested, scheduled, then recorded with who went, when and what they found."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="site_visits")
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("现场处置要求")
    scheduled_for = models.DateField("计划日期", null=True, blank=True)
    visited_at = models.DateTimeField("到场时间", null=True, blank=True)
    officers = models.CharField("执法人员", max_length=200, blank=True)
    findings = models.TextField("现场情况", blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = verbose_name_plural = "现场处置"

    def __str__(self) -> str:
        return f"现场处置 {self.case_id}"


class FollowUp(models.Model):
    """回访: whether the person was satisfied, and why (rules 二.4 reply; DOMAIN statistics)."""

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        DISSATISFIED = "dissatisfied", "不满意"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="follow_ups")
    at = models.DateTimeField()
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField("方式", max_length=20, default="phone")
    satisfaction = models.CharField("满意度", max_length=20, choices=Satisfaction.choices)
    # 回访问效 (SAMR-2026; issue 20.4): whether the matter was resolved, as the person says; null on the
    # follow-ups recorded before it was asked.
    resolved = models.BooleanField("是否解决", null=True, blank=True)
    # 消保股's check on a share of the units' results (XIAOBAO_FOLLOW_UP_CHECK_SHARE), beside the unit's own.
    office_check = models.BooleanField("消保股抽查", default=False)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "回访"

    def __str__(self) -> str:
        return f"回访 {self.get_satisfaction_display()}"


class IdRequest(models.Model):
    """SAMR-2026 Art. 10: the complainant is asked to provide identity documents by a date. It pauses no
    clock; it is tracked until they arrive."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="id_requests")
    requested_at = models.DateTimeField("要求时间")
    requested_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    due = models.DateField("提供期限")
    note = models.TextField("说明", blank=True)
    received_at = models.DateTimeField("收到时间", null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = verbose_name_plural = "身份证明补充要求"

    def __str__(self) -> str:
        return f"身份证明 {self.case_id} 至 {self.due}"
