"""Append-only audit trail, each row chained to the previous one (rules 三.5, 三.6): by HMAC-SHA256 under a key
kept outside the database (issue 16, point 9); rows written before that by plain SHA-256."""

from __future__ import annotations

import hashlib
import hmac
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


class ArchivedYear(models.Model):
    """A year of the timeline and the audit trail detached to archive storage (issue 24, point 3;
    xiaobao.cases.history). `segments` are the year's audit rows as runs in the chain's id order, each
    [first id, last id, rows, prev_hash of the first, hash of the last]: verify() steps over a run it finds
    missing only where a run begins at the hash it stands on. `mac` seals the year, its state and its runs under
    the audit key, so a row typed in to excuse deleted rows does not pass."""

    year = models.PositiveIntegerField("年度", unique=True)
    detached = models.BooleanField("已卸下", default=True)
    detached_at = models.DateTimeField("卸下时间")
    attached_at = models.DateTimeField("重新接入时间", null=True, blank=True)
    location = models.CharField("存放位置", max_length=500, blank=True)
    manifest = models.JSONField("清单", default=dict)
    segments = models.JSONField(default=list)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["year"]
        verbose_name = verbose_name_plural = "已归档年度"

    def __str__(self) -> str:
        return f"{self.year}（{'已卸下' if self.detached else '已接入'}）"

    def body(self) -> bytes:
        return b"archived-year:" + json.dumps([self.year, self.detached, self.segments], separators=(",", ":")).encode()

    def seal(self) -> None:
        self.mac = keys.mac(self.body())

    def sealed(self) -> bool:
        return hmac.compare_digest(self.mac, keys.mac(self.body()))
