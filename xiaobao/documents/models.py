"""Numbered official documents (文书) generated from an item, their deliveries, and replaceable templates."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DocumentType(models.TextChoices):
    REGISTRATION_FORM = "registration_form", "投诉举报登记表"
    ACCEPTANCE_NOTICE = "acceptance_notice", "受理通知书"
    NON_ACCEPTANCE_NOTICE = "non_acceptance_notice", "不予受理告知书"
    MEDIATION_AGREEMENT = "mediation_agreement", "调解书"
    TERMINATION_DECISION = "termination_decision", "终止调解决定书"
    NON_FILING_RECORD = "non_filing_record", "不予立案审批表/书面记录"
    REPORT_RESULT_NOTICE = "report_result_notice", "举报处理结果告知书"
    REFERRAL_NOTICE = "referral_notice", "告知他部门处理的告知书"
    POLICE_REFERRAL = "police_referral", "涉嫌违法犯罪案件移送书"


class DeliveryChannel(models.TextChoices):
    INTERNET = "internet", "互联网"
    PHONE = "phone", "电话"
    SMS = "sms", "短信"
    EMAIL = "email", "电子邮件"
    LETTER = "letter", "信函"


# The electronic channels: only to a person who agreed to electronic delivery (xiaobao.documents.delivery).
ELECTRONIC = frozenset({DeliveryChannel.INTERNET, DeliveryChannel.SMS, DeliveryChannel.EMAIL})


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待确认"       # a letter posted, its receipt or return not yet known
    SUCCEEDED = "succeeded", "已送达"
    FAILED = "failed", "未送达"         # an SMS or e-mail refused, a call not answered, a letter returned


class Recipient(models.TextChoices):
    COMPLAINANT = "complainant", "投诉举报人"
    RESPONDENT = "respondent", "被投诉举报人"


class Document(models.Model):
    """One issued document. `data` is the snapshot of what was printed; files are rendered from it."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents", verbose_name="件")
    type = models.CharField("文书种类", max_length=40, choices=DocumentType.choices)
    number = models.CharField("文号", max_length=60, unique=True)
    created_at = models.DateTimeField("制作时间")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="制作人")
    data = models.JSONField("内容", default=dict)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "type"], name="document_case_type")]
        verbose_name = verbose_name_plural = "文书"

    def __str__(self) -> str:
        return self.number

    @property
    def title(self) -> str:
        return self.data.get("title") or self.get_type_display()


class Delivery(models.Model):
    """One attempt to deliver a document to a party: how, where, when, its proof and whether it reached them.
    A failed attempt is followed by another (retry_of) — by another channel, or the same to another address."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="deliveries",
                                 verbose_name="文书")
    channel = models.CharField("送达方式", max_length=20, choices=DeliveryChannel.choices)
    recipient = models.CharField("受送达人", max_length=20, choices=Recipient.choices)
    status = models.CharField("送达结果", max_length=20, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.SUCCEEDED)
    # Sent (posted, handed to the SMS gateway or mail server, called) and delivered (reached the party; only
    # when it did; earlier rows were given sent_at = delivered_at by migration 0002).
    sent_at = models.DateTimeField("发出时间", null=True, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    address = models.CharField("送达地址", max_length=254, blank=True)  # personal data of the party
    proof = models.CharField("送达凭证", max_length=250, blank=True,
                             help_text="短信或邮件的消息编号、邮寄单号、回执、通话记录等")
    message_id = models.CharField("消息编号", max_length=250, blank=True)
    outcome_note = models.CharField("结果说明", max_length=250, blank=True, help_text="如签收回执、退信原因")
    outcome_at = models.DateTimeField("结果记录时间", null=True, blank=True)
    retry_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="retries",
                                 verbose_name="重新送达的原送达")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                           verbose_name="送达人")
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "送达记录"

    def __str__(self) -> str:
        return f"{self.document_id} → {self.recipient} ({self.channel})"


class DocumentTemplate(models.Model):
    """An administrator's replacement for a shipped DOCX template; without one the shipped file is used."""

    type = models.CharField("文书种类", max_length=40, choices=DocumentType.choices, unique=True)
    docx = models.FileField("DOCX 模板", upload_to="document_templates/")
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)

    class Meta:
        ordering = ["type"]
        verbose_name = verbose_name_plural = "文书模板"

    def __str__(self) -> str:
        return self.get_type_display()
