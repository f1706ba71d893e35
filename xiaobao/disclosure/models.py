"""Consumer alerts (消费警示) published from a market warning."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ConsumerAlert(models.Model):
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文")
    # The warning it was published from: dimension, key, window and counts, and the items' ids.
    created_from = models.JSONField("来源预警", default=dict, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="发布人")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = verbose_name_plural = "消费警示"

    def __str__(self) -> str:
        return self.title
