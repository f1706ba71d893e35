"""ODR businesses (在线消费纠纷解决企业) and the complaints forwarded to them to settle first (DOMAIN.md,
"Settling first"; 《全国12315互联网平台在线消费纠纷解决企业管理暂行办法》)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class BusinessState(models.TextChoices):
    PENDING = "pending", "待审核"
    ACTIVE = "active", "正常"
    SUSPENDED = "suspended", "暂停"
    REMOVED = "removed", "已移出"


class Origin(models.TextChoices):
    RECOMMENDED = "recommended", "县级局推荐"
    APPLIED = "applied", "企业自愿申请"


class Commitment(models.TextChoices):
    ADVANCE_COMPENSATION = "advance_compensation", "先行赔付"
    NO_REASON_RETURN = "no_reason_return", "无理由退货"


# The joining conditions (暂行办法: a place to handle disputes, at least one staff member, a phone, a written
# procedure, a signed commitment to handle complaints promptly), each recorded as checked by 消保股.
CONDITIONS = {
    "place": "有固定的纠纷处理场所",
    "staff": "有专门的纠纷处理人员（至少1名）",
    "phone": "有纠纷处理联系电话",
    "procedure": "有书面的纠纷处理制度和流程",
    "commitment": "签署及时处理消费纠纷的承诺书",
}


class Business(models.Model):
    name = models.CharField("企业名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    address = models.CharField("地址", max_length=250)
    contact = models.CharField("纠纷处理联系人", max_length=60)
    phone = models.CharField("联系电话", max_length=40)
    origin = models.CharField("加入方式", max_length=20, choices=Origin.choices, default=Origin.RECOMMENDED)
    conditions = models.JSONField("加入条件核查", default=dict)  # {condition key: true} for CONDITIONS
    commitments = models.JSONField("承诺", default=list)  # Commitment values
    state = models.CharField("状态", max_length=20, choices=BusinessState.choices, default=BusinessState.ACTIVE)
    state_reason = models.TextField("状态原因", blank=True)
    # The business's own login (units.Staff with the role "business"); it sees only what is forwarded to it.
    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="odr_business", verbose_name="企业账号")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                      related_name="+", verbose_name="审核人")
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = verbose_name_plural = "ODR企业"

    def __str__(self) -> str:
        return self.name


class ForwardingState(models.TextChoices):
    WITH_BUSINESS = "with_business", "企业和解中"
    SETTLED = "settled", "和解成功"
    NOT_SETTLED = "not_settled", "和解不成"
    TIMED_OUT = "timed_out", "逾期未处理"
    ESCALATED = "escalated", "消费者不同意先行和解"


class Forwarding(models.Model):
    """One complaint's stay with one business; an item forwarded again gets a new row."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="投诉件")
    business = models.ForeignKey(Business, on_delete=models.PROTECT, related_name="forwardings",
                                 verbose_name="ODR企业")
    state = models.CharField("状态", max_length=20, choices=ForwardingState.choices,
                             default=ForwardingState.WITH_BUSINESS)
    consent_note = models.TextField("消费者同意先行和解的记录", blank=True)
    forwarded_at = models.DateTimeField("转企业时间")
    forwarded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="转送人")
    due = models.DateField("和解期限")
    answered_at = models.DateTimeField("企业答复时间", null=True, blank=True)
    detail = models.TextField("处理情况", blank=True)
    amount = models.DecimalField("和解金额", max_digits=14, decimal_places=2, null=True, blank=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    close_reason = models.TextField("退回原因", blank=True)

    class Meta:
        ordering = ["-forwarded_at", "-id"]
        indexes = [models.Index(fields=["business", "state"], name="odr_fwd_business_state"),
                   models.Index(fields=["case", "state"], name="odr_fwd_case_state")]
        verbose_name = verbose_name_plural = "先行和解"

    def __str__(self) -> str:
        return f"{self.business} {self.get_state_display()}"


class Contact(models.Model):
    """The business's record of its negotiation: time, process, method and result (暂行办法)."""

    forwarding = models.ForeignKey(Forwarding, on_delete=models.CASCADE, related_name="contacts")
    at = models.DateTimeField("联系时间")
    method = models.CharField("方式", max_length=40)
    process = models.TextField("过程")
    offer = models.TextField("企业提出的方案", blank=True)
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "企业联系记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.method}"
