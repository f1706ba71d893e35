"""Work items (件): complaints, reports and inquiries, their parties, links and timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    INQUIRY = "inquiry", "咨询"


class Channel(models.TextChoices):
    PHONE = "phone", "电话"
    VISIT = "visit", "来访"
    LETTER = "letter", "信函"
    WEB = "web", "网络"
    PLATFORM_12315 = "platform_12315", "全国12315平台"
    REFERRAL = "referral", "转办交办"
    HOTLINE = "hotline", "12345热线"


class State(models.TextChoices):
    REGISTERED = "registered", "已登记"
    TRIAGE = "triage", "待分流"
    PENDING_APPROVAL = "pending_approval", "待审批"
    ASSIGNED = "assigned", "已分派"
    IN_PROGRESS = "in_progress", "办理中"
    # With an ODR business to settle first (DOMAIN.md "Settling first"); no bureau clock runs meanwhile.
    WITH_BUSINESS = "with_business", "企业先行和解中"
    CONCLUDED = "concluded", "已办结"
    ARCHIVED = "archived", "已归档"


# Finished work: what the lists leave out unless asked (含已办结; issue 18, point 2). A concluded item may still
# owe the person a reply or a notice (clocks.models.OWED_AFTER_CONCLUSION): the inbox shows that work by its clock.
CLOSED_STATES = (State.CONCLUDED, State.ARCHIVED)
OPEN_STATES = tuple(s for s in State.values if s not in CLOSED_STATES)


class Outcome(models.TextChoices):
    NOT_ACCEPTED = "not_accepted", "不予受理"
    MEDIATED = "mediated", "调解成功"
    MEDIATION_TERMINATED = "mediation_terminated", "终止调解"
    WITHDRAWN = "withdrawn", "撤回"
    REFERRED_ELSEWHERE = "referred_elsewhere", "告知他部门"
    FILED = "filed", "立案"
    NOT_FILED = "not_filed", "不予立案"
    ANSWERED = "answered", "已答复"
    REPEAT_NOT_HANDLED = "repeat_not_handled", "重复举报不予处理"
    RETURNED_TO_HOTLINE = "returned_to_hotline", "退回12345"
    SETTLED_BY_BUSINESS = "settled_by_business", "先行和解"


class Tier(models.TextChoices):
    URGENT = "urgent", "紧急、重要"
    GENERAL = "general", "一般"
    DIFFICULT = "difficult", "疑难"


class Party(models.Model):
    """A complainant/reporter or a respondent, as recorded on one item."""

    class Role(models.TextChoices):
        COMPLAINANT = "complainant", "投诉举报人"
        RESPONDENT = "respondent", "被投诉举报人"

    role = models.CharField("身份", max_length=20, choices=Role.choices)
    name = models.CharField("姓名/名称", max_length=120, blank=True)
    phone = models.CharField("电话", max_length=40, blank=True, db_index=True)
    address = models.CharField("地址", max_length=250, blank=True)
    id_type = models.CharField("证件类型", max_length=30, blank=True)
    id_number = models.CharField("证件号码", max_length=40, blank=True)
    anonymous = models.BooleanField("匿名", default=False)
    wants_reply = models.BooleanField("要求回复", default=True)
    credit_code = models.CharField("统一社会信用代码", max_length=30, blank=True)
    contact_person = models.CharField("联系人", max_length=60, blank=True)
    # 送达地址确认 (SAMR-2026, delivery): whether the person agreed to electronic delivery (None: not asked),
    # and the electronic addresses they confirmed — a mobile number for SMS, an e-mail address. Written by
    # registration and by xiaobao.documents (a consent given later); bulk inserts leave the database defaults.
    e_delivery_consent = models.BooleanField("同意电子送达", null=True, blank=True)
    e_delivery_phone = models.CharField("电子送达手机号码", max_length=40, blank=True, default="", db_default="")
    e_delivery_email = models.CharField("电子送达电子邮箱", max_length=254, blank=True, default="", db_default="")
    # A complainant's or reporter's phone, ID number and name as searched (cases/persons.py): normalised copies
    # written by the database's triggers (migration 0015) on every insert and change, whatever writes the row;
    # NULL for respondents.
    phone_key = models.CharField(max_length=40, null=True, blank=True, editable=False)
    id_key = models.CharField(max_length=40, null=True, blank=True, editable=False)
    name_key = models.CharField(max_length=120, null=True, blank=True, editable=False)
    # 举报奖励 (《市场监管领域重大违法行为举报奖励暂行办法》): the reporter's wish, and for an anonymous reporter the
    # identity code and password that later prove it is them; the password only as Django's password hash.
    wants_reward = models.BooleanField("要求举报奖励", default=False)
    reward_code = models.CharField("奖励身份代码", max_length=40, blank=True)
    reward_password = models.CharField("奖励密码（哈希）", max_length=128, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "当事人"
        indexes = [
            models.Index(fields=["phone_key"], name="party_phone_key"),
            models.Index(fields=["id_key"], name="party_id_key"),
            # PostgreSQL: LIKE 'prefix%' reads a pattern_ops index whatever the collation; elsewhere an ordinary
            # index, read by a range (persons._by_name).
            models.Index(fields=["name_key"], name="party_name_key", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    number = models.CharField("编号", max_length=30, unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    channel = models.CharField("来源渠道", max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField("接收时间")
    external_id = models.CharField("外部编号", max_length=80, null=True, blank=True)
    complainant = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="投诉举报人")
    respondent = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="被投诉举报人")
    facts = models.TextField("事实与理由")
    demand = models.TextField("诉求", blank=True)
    amount = models.DecimalField("涉案金额", max_digits=14, decimal_places=2, null=True, blank=True)
    # SAMR-2026 complaint form: consents, and the agent when someone files on the consumer's behalf.
    consent_disclosure = models.BooleanField("同意公示投诉信息", null=True, blank=True)
    consent_entrusted_mediation = models.BooleanField("同意委托调解", null=True, blank=True)
    agent_name = models.CharField("代理人姓名", max_length=60, blank=True)
    agent_phone = models.CharField("代理人电话", max_length=40, blank=True)
    category = models.CharField("类别", max_length=40, blank=True)
    tier = models.CharField("等级", max_length=20, choices=Tier.choices, default=Tier.GENERAL)
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.REGISTERED)
    outcome = models.CharField("办结结果", max_length=30, choices=Outcome.choices, null=True, blank=True)
    ground = models.CharField("理由代码", max_length=40, blank=True)
    amount_recovered = models.DecimalField("挽回经济损失", max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.ForeignKey("units.Unit", verbose_name="当前单位", null=True, on_delete=models.PROTECT,
                             related_name="cases")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="handled_cases")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                      related_name="+")
    registering_unit = models.ForeignKey("units.Unit", null=True, on_delete=models.PROTECT, related_name="+")
    rule_set = models.ForeignKey("rules.RuleSet", on_delete=models.PROTECT, related_name="+")
    # While pending approval: what is asked ("routing" or "not_filed"), the unit asked for, and the
    # state to go back to if the approver sends it back.
    approval_kind = models.CharField(max_length=20, blank=True)
    approval_unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    approval_return_state = models.CharField(max_length=20, blank=True)
    returns_count = models.PositiveIntegerField("退回次数", default=0)
    # The moment of the first routing to a handling unit (assign, or the approval of one): the timeline's own
    # time, written with that event and never changed (xiaobao.stats reads "not yet routed at a moment" here).
    routed_at = models.DateTimeField("首次分派时间", null=True, blank=True)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="external_id_unique_per_channel"),
        ]
        indexes = [
            models.Index(fields=["state", "received_at"], name="case_state_received"),
            models.Index(fields=["kind", "received_at"], name="case_kind_received"),
            # The filtered list (state + unit + kind, newest first) reads its page straight off this index.
            models.Index(fields=["unit", "state", "kind", "received_at", "id"], name="case_unit_state_kind_received"),
            # A handler's list (their unit, newest first) and their inbox sections (their unit in one state,
            # oldest first) read their page straight off these two; (unit, state) alone is a prefix of both.
            models.Index(fields=["unit", "received_at", "id"], name="case_unit_received"),
            models.Index(fields=["unit", "state", "received_at", "id"], name="case_unit_state_received"),
        ]
        verbose_name = verbose_name_plural = "投诉举报咨询件"

    def __str__(self) -> str:
        return self.number


class CaseLink(models.Model):
    """Two items that came from one submission (a complaint and a report split apart), or a report opened
    from a complaint (诉转案)."""

    source = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=20, choices=[("split", "拆分"), ("complaint_to_report", "诉转案")])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="one_link_per_pair")]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id} ({self.kind})"


# The actions that route an item to a handling unit when they leave it assigned (an assign that asks for
# approval leaves it pending; the approval routes it). Case.routed_at is the first of them.
ROUTING_ACTIONS = ("assign", "approve")


class Event(models.Model):
    """One line of an item's timeline. Written only by the service functions, in their transaction."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    # `at` is when the line was entered (the server's time); a record of a fact entered after it happened
    # (a contact, a session, a pause…) also says when it happened (API-v1.md "Law enforced on actions").
    at = models.DateTimeField("录入时间")
    occurred_at = models.DateTimeField("发生时间", null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("操作", max_length=40)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField("说明", blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "办理记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class NumberSequence(models.Model):
    """Per-year counters for item and document numbers."""

    key = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="one_sequence_per_key_year")]

    def __str__(self) -> str:
        return f"{self.key} {self.year}: {self.last}"
