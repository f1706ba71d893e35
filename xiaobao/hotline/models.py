"""12345 hotline work orders (工单) and what the hotline must be told about them (DOMAIN.md "The 12345 hotline
and answering back to 12315"; API-v1.md "12345 hotline work orders").

A work order is an item like any other (cases.Case, channel `hotline`, external_id = order number); the rows
here keep what only the hotline knows: its deadlines to the minute, its extensions, its 回访, the units that
held the order (for the 三率 of past months) and the outbox a connector reads with a cursor.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Order(models.Model):
    class Category(models.TextChoices):
        COMPLAINT = "投诉", "投诉"
        REPORT = "举报", "举报"
        INQUIRY = "咨询", "咨询"
        HELP = "求助", "求助"
        SUGGESTION = "建议", "建议"

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="hotline_order",
                                verbose_name="件")
    order_no = models.CharField("工单编号", max_length=80, unique=True)
    category = models.CharField("工单类别", max_length=10, choices=Category.choices)
    title = models.CharField("标题", max_length=200)
    received_at = models.DateTimeField("派单时间")
    sign_due = models.DateTimeField("签收时限")
    finish_due = models.DateField("办结时限")
    # The finish date the order first carried; finish_due moves only with an approved extension.
    original_finish_due = models.DateField("原办结时限")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "12345工单"

    def __str__(self) -> str:
        return self.order_no


class Holding(models.Model):
    """One unit's hold of an order, from its routing there: the 响应率's denominator and numerator (signed
    on time: at or before the order's sign_due), kept as they were so a past month is reproducible."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="holdings")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="承办单位")
    since = models.DateTimeField("派至本单位时间")
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_on_time = models.BooleanField("按时签收", default=False)

    class Meta:
        ordering = ["since", "id"]
        indexes = [models.Index(fields=["since"], name="hotline_holding_since")]
        verbose_name = verbose_name_plural = "工单承办"

    def __str__(self) -> str:
        return f"{self.order} → {self.unit}"


class Extension(models.Model):
    """延期申请: asked by the holding unit before the finish date, answered by the hotline."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="extensions")
    requested_at = models.DateTimeField("申请时间")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    until = models.DateField("申请延期至")
    reason = models.TextField("延期理由")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    approved = models.BooleanField("同意延期", null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = verbose_name_plural = "工单延期申请"

    def __str__(self) -> str:
        return f"{self.order} 延期至 {self.until}"


class Visit(models.Model):
    """回访 result sent back by the hotline: resolved or not, 满意 / 基本满意 / 不满意, for the unit that held
    the order when it was visited."""

    class Satisfaction(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        BASIC = "basic", "基本满意"
        DISSATISFIED = "dissatisfied", "不满意"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="visits")
    unit = models.ForeignKey("units.Unit", null=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="承办单位")
    at = models.DateTimeField("回访结果收到时间")
    resolved = models.BooleanField("是否解决")
    satisfaction = models.CharField("满意度", max_length=20, choices=Satisfaction.choices)
    comment = models.TextField("回访意见", blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["at"], name="hotline_visit_at")]
        verbose_name = verbose_name_plural = "工单回访"

    def __str__(self) -> str:
        return f"{self.order} {self.get_satisfaction_display()}"


class OutboxEntry(models.Model):
    """What the hotline must be told, append-only, written in the transaction of the timeline line it comes
    from. Its id is the connector's cursor: rows are inserted one transaction at a time (OutboxLock), so ids
    become visible in order and a reader after cursor N never misses a row that commits later."""

    class Type(models.TextChoices):
        SIGNED = "signed", "签收"
        RETURNED = "returned", "退单"
        EXTENSION_REQUESTED = "extension_requested", "延期申请"
        FINISHED = "finished", "办结"

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="outbox")
    order_no = models.CharField("工单编号", max_length=80)
    type = models.CharField("类型", max_length=30, choices=Type.choices)
    at = models.DateTimeField("时间")
    data = models.JSONField("内容", default=dict)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "12345回传事项"

    def __str__(self) -> str:
        return f"{self.pk} {self.order_no} {self.type}"


class OutboxLock(models.Model):
    """One row, locked by every transaction that appends to the outbox until it commits (PostgreSQL; SQLite
    has one writer at a time anyway)."""

    class Meta:
        verbose_name = verbose_name_plural = "回传写入锁"

    def __str__(self) -> str:
        return f"回传写入锁 {self.pk}"


class OutboxExport(models.Model):
    """An Excel export of the outbox by a person (bureaus without a connector): the next export starts after
    `last_cursor`."""

    at = models.DateTimeField("导出时间")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    after = models.PositiveBigIntegerField("起始游标")
    last_cursor = models.PositiveBigIntegerField("截止游标")
    rows = models.PositiveIntegerField("条数")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = verbose_name_plural = "回传导出记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.after}…{self.last_cursor}"
