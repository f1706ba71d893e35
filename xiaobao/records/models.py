"""Append-only audit trail, each row chained to the previous one by SHA-256 (rules 三.5, 三.6)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    action = models.CharField("操作", max_length=40)
    object = models.CharField("对象", max_length=80)
    case_id = models.BigIntegerField("件", null=True, db_index=True)
    detail = models.JSONField("详情", default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "审计记录"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise PermissionError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries are append-only")

    def compute_hash(self) -> str:
        return hashlib.sha256(self.hash_payload(self.prev_hash).encode()).hexdigest()

    def hash_payload(self, prev_hash: str) -> str:
        """What the hash is taken of: the JSON list [prev_hash, at, actor, action, object, case, detail]."""
        return json.dumps(
            [prev_hash, self.at.astimezone(UTC).isoformat(), self.actor_name, self.action, self.object, self.case_id,
             self.detail],
            ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
        )

    def hash_payload_after_prev(self) -> str:
        """hash_payload without its head `["<prev_hash>",`: PostgreSQL prepends the previous row's hash (64 hex
        digits, which JSON writes as they are) and takes the SHA-256 itself (xiaobao/records/audit.py)."""
        return self.hash_payload("")[len('["",'):]
