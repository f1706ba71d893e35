"""Append-only audit trail, each row chained to the previous one (rules 三.5, 三.6): by HMAC-SHA256 under a key
kept outside the database (issue 16, point 9); rows written before that by plain SHA-256."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.db import models

from . import keys

# How a row's `hash` is made. Plain rows came before the key; once a keyed row is written, every later one is keyed.
SCHEME_PLAIN = 1  # SHA-256 of hash_payload: prev_hash and the content, without actor_id
SCHEME_KEYED = 2  # HMAC-SHA256 (records.keys) of mac_payload: prev_hash and every other stored column


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
    scheme = models.PositiveSmallIntegerField(default=SCHEME_KEYED, editable=False)

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
        """What `hash` must be, by the row's scheme."""
        if self.scheme == SCHEME_PLAIN:
            return hashlib.sha256(self.hash_payload(self.prev_hash).encode()).hexdigest()
        return keys.mac(self.mac_payload())

    def hash_payload(self, prev_hash: str) -> str:
        """What a plain row's hash is taken of: the JSON list [prev_hash, at, actor, action, object, case, detail]."""
        return json.dumps(
            [prev_hash, self.at.astimezone(UTC).isoformat(), self.actor_name, self.action, self.object, self.case_id,
             self.detail],
            ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
        )

    def mac_payload(self) -> bytes:
        """What a keyed row's MAC is taken of: every stored column but the id (whose order the chain fixes) and
        the MAC itself, the scheme first, so that no column can change and no row can pass for a plain one."""
        return json.dumps(
            [self.scheme, self.prev_hash, self.at.astimezone(UTC).isoformat(), self.actor_id, self.actor_name,
             self.action, self.object, self.case_id, self.detail],
            ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
        ).encode()
