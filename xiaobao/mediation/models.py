"""The handler's workspace records: for a complaint, mediation sessions, recusals, entrusted mediation and
the agreement reached; for a report, verification records, the penalty case filed and its 处罚决定书.
Records only: state changes stay in xiaobao.cases, and every record here is written by a service in
xiaobao.mediation.services together with one timeline event."""

from __future__ import annotations

from django.conf import settings
from django.db import models

STAFF = settings.AUTH_USER_MODEL


class Remedy(models.TextChoices):
    REPAIR = "repair", "修理"
    REPLACE = "replace", "更换"
    REFUND = "refund", "退货退款"
    COMPENSATION = "compensation", "赔偿损失"


class MediationSession(models.Model):
    """One mediation meeting, on site or remote, with who took part and who led it."""

    class Mode(models.TextChoices):
        ON_SITE = "on_site", "现场调解"
        REMOTE = "remote", "远程调解"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="mediation_sessions")
    mode = models.CharField("方式", max_length=20, choices=Mode.choices)
    held_at = models.DateTimeField("调解时间")
    place = models.CharField("地点或平台", max_length=200, blank=True)
    lead = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+", verbose_name="主持人")
    staff = models.ManyToManyField(STAFF, related_name="+", blank=True, verbose_name="参加的工作人员")
    parties = models.CharField("参加的当事人", max_length=300, blank=True)
    summary = models.TextField("调解情况", blank=True)
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["held_at", "id"]
        verbose_name = verbose_name_plural = "调解记录"

    def __str__(self) -> str:
        return f"{self.get_mode_display()} {self.held_at:%Y-%m-%d %H:%M}"


class Recusal(models.Model):
    """A staff member's declared conflict of interest in an item (回避): recorded, and that person may not
    lead any mediation session of the item."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="recusals")
    staff = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+", verbose_name="回避人员")
    reason = models.TextField("回避理由")
    declared_at = models.DateTimeField("申明时间")
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(MediationSession, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="recusals")

    class Meta:
        ordering = ["declared_at", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "staff"], name="one_recusal_per_staff_case")]
        verbose_name = verbose_name_plural = "回避"

    def __str__(self) -> str:
        return f"{self.staff} 回避"


class Entrustment(models.Model):
    """Mediation entrusted, with the complainant's consent, to 消协 or another mediation body."""

    class Result(models.TextChoices):
        AGREED = "agreed", "调解成功"
        FAILED = "failed", "调解不成"

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="entrustments")
    body = models.CharField("受托调解组织", max_length=120)
    note = models.TextField("说明", blank=True)
    entrusted_at = models.DateTimeField("委托时间")
    entrusted_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    result = models.CharField("结果", max_length=20, choices=Result.choices, blank=True)
    result_note = models.TextField("结果说明", blank=True)
    result_at = models.DateTimeField("结果时间", null=True, blank=True)
    result_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["entrusted_at", "id"]
        verbose_name = verbose_name_plural = "委托调解"

    def __str__(self) -> str:
        return f"委托{self.body}"


class MediationAgreement(models.Model):
    """What the parties agreed when mediation succeeded (one per `mediate` with result "agreed")."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="mediation_agreements")
    remedies = models.JSONField("约定事项", default=list, blank=True)
    amount_recovered = models.DecimalField("挽回经济损失", max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField("协议内容", blank=True)
    entrustment = models.ForeignKey(Entrustment, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="经委托调解达成")
    agreed_at = models.DateTimeField("达成时间")
    recorded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["agreed_at", "id"]
        verbose_name = verbose_name_plural = "调解协议"

    def __str__(self) -> str:
        return f"调解协议 {self.case_id}"

    @property
    def remedy_labels(self) -> list[str]:
        return [Remedy(r).label for r in self.remedies if r in Remedy.values]


class VerificationRecord(models.Model):
    """核查记录 of a report: how the clues were checked and what was found (rules 二.2)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="verification_records")
    method = models.CharField("核查方式", max_length=100)
    findings = models.TextField("核查情况")
    at = models.DateTimeField("时间")
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "核查记录"

    def __str__(self) -> str:
        return f"核查 {self.case_id} {self.at:%Y-%m-%d}"


class PenaltyCase(models.Model):
    """The penalty case (立案) opened on a report, with its case number."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="penalty_case")
    number = models.CharField("立案编号", max_length=80, blank=True)
    filed_at = models.DateTimeField("立案时间")
    filed_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "立案"

    def __str__(self) -> str:
        return self.number or f"立案 {self.case_id}"


class PenaltyDecision(models.Model):
    """A 处罚决定书 (PDF) uploaded by the handling unit and archived by 消保股 (rules 二.4). The file is an
    intake attachment of the item, so it is stored, checked and downloaded like every other file."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="penalty_decisions")
    attachment = models.OneToOneField("intake.Attachment", on_delete=models.PROTECT, related_name="+",
                                      verbose_name="文件")
    number = models.CharField("决定书文号", max_length=80, blank=True)
    uploaded_at = models.DateTimeField("上报时间")
    uploaded_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    archived_at = models.DateTimeField("存档时间", null=True, blank=True)
    archived_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    archive_note = models.TextField("存档说明", blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = verbose_name_plural = "处罚决定书"

    def __str__(self) -> str:
        return self.number or f"处罚决定书 {self.case_id}"


class Purpose(models.TextChoices):
    """The handler's assessment of whether a complaint's purchase was for 生活消费需要 (DOMAIN.md, "The 2026
    national rules": weighed on recorded factors — quantity, frequency, prior claims)."""

    CONSUMPTION = "consumption", "为生活消费需要"
    UNDETERMINED = "undetermined", "尚难认定"
    GAIN = "gain", "以牟利为目的"
    EXTORTION = "extortion", "涉嫌敲诈勒索、骗取赔偿"


class PurposeAssessment(models.Model):
    """The factors of 生活消费需要 recorded on a complaint, and the handler's assessment. Each recording is a row;
    the latest is the one shown when the handler decides. The earlier claims are counts only, taken bureau-wide
    by the filer's identity when the row was recorded (that look is an audited read of personal data)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="purpose_assessments")
    goods = models.CharField("商品或服务", max_length=200, blank=True)
    quantity = models.PositiveIntegerField("购买数量")
    purchases = models.PositiveIntegerField("购买次数")
    period_days = models.PositiveIntegerField("期间（日）")
    earlier_claims = models.PositiveIntegerField("此前投诉件数（全局）", null=True, blank=True)
    earlier_claims_year = models.PositiveIntegerField("近一年投诉件数（全局）", null=True, blank=True)
    matched_on = models.JSONField("按何身份信息统计", default=list, blank=True)
    assessment = models.CharField("认定", max_length=20, choices=Purpose.choices)
    note = models.TextField("认定理由", blank=True)
    at = models.DateTimeField("记录时间")
    by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+", verbose_name="记录人")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "生活消费需要认定"

    def __str__(self) -> str:
        return f"{self.get_assessment_display()} {self.case_id}"
