"""Consumer alerts (消费警示) published from a market warning."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ConsumerAlert(models.Model):
    """A consumer warning (消费预警, DOMAIN.md "The 2026 national rules"): drafted by 消保股 from a market warning,
    approved by the 分管局长, then published on the public pages and exportable as a numbered document."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审批"
        REJECTED = "rejected", "已退回"
        PUBLISHED = "published", "已发布"

    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PENDING)
    # 消费预警 are numbered per year on publication: 2026年第3期.
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    serial = models.PositiveIntegerField("期号", null=True, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="起草人")
    drafted_at = models.DateTimeField("起草时间", null=True, blank=True)
    rejected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="退回人")
    rejection_reason = models.TextField("退回理由", blank=True)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文")
    # The warning it was published from: dimension, key, window and counts, and the items' ids.
    created_from = models.JSONField("来源预警", default=dict, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="批准发布人")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = verbose_name_plural = "消费警示"
        constraints = [models.UniqueConstraint(fields=["year", "serial"], name="one_alert_per_serial")]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        return f"{self.year}年第{self.serial}期" if self.serial else ""
