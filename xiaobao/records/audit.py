"""Writing and verifying the audit trail. Every change and every read of personal data calls record()."""

from __future__ import annotations

import json

from django.db import connection, transaction

from xiaobao.lib import timeutil

from .models import AuditEntry

GENESIS = "0" * 64


def _serialize_writers() -> None:
    # The chain needs one writer at a time. SQLite's IMMEDIATE transactions already serialize writers;
    # PostgreSQL needs a transaction-scoped advisory lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(7312001)")


def record(*, actor, action: str, obj: str, case_id: int | None = None, detail: dict | None = None) -> AuditEntry:
    with transaction.atomic():
        _serialize_writers()
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        entry = AuditEntry(
            at=timeutil.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_name=getattr(actor, "username", "") or "",
            action=action,
            object=obj,
            case_id=case_id,
            detail=json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str)),
            prev_hash=last or GENESIS,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        return entry


def verify() -> dict:
    prev = GENESIS
    rows = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev or entry.compute_hash() != entry.hash:
            return {"ok": False, "first_bad_row": entry.pk, "rows": rows}
        prev = entry.hash
        rows += 1
    return {"ok": True, "rows": rows}
