"""In-app notifications, and their e-mail/SMS delivery (deferred outside working hours)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("类型", max_length=30)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField("时间", db_index=True)
    read_at = models.DateTimeField("已读", null=True, blank=True)
    # External delivery (e-mail, SMS): pending until sent; never sent during quiet hours.
    external = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread"),
                   models.Index(fields=["external", "sent_at"], name="notification_outbox")]
        verbose_name = verbose_name_plural = "通知"

    def __str__(self) -> str:
        return self.title
