"""Writing and verifying the audit trail. Every change and every read of personal data calls record()."""

from __future__ import annotations

import json

from django.db import connection, transaction

from xiaobao.lib import timeutil

from .models import AuditEntry

GENESIS = "0" * 64


def _lock_and_read_last_hash() -> str | None:
    """The chain needs one writer at a time: take the writers' lock, then read the last hash by the primary
    key's index (no ORM query built on every change and every read). SQLite's IMMEDIATE transactions
    already serialize writers. PostgreSQL takes a transaction-scoped advisory lock; lock and read go in one
    round trip as two statements, so that the read's snapshot (one per statement under READ COMMITTED) is
    taken once the lock is held and sees the previous writer's row."""
    qn = connection.ops.quote_name
    last = (f"SELECT {qn('hash')} FROM {qn(AuditEntry._meta.db_table)} "  # noqa: S608 (names from the model)
            f"ORDER BY {qn(AuditEntry._meta.pk.column)} DESC LIMIT 1")
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"SELECT pg_advisory_xact_lock(7312001); {last}")
            cur.nextset()
        else:
            cur.execute(last)
        row = cur.fetchone()
    return row[0] if row else None


def record(*, actor, action: str, obj: str, case_id: int | None = None, detail: dict | None = None) -> AuditEntry:
    # No savepoint inside the caller's transaction: a failure here aborts the change it records anyway.
    entry = AuditEntry(
        at=timeutil.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "username", "") or "",
        action=action,
        object=obj,
        case_id=case_id,
        detail=json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str)),
    )
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            _insert_chained(entry)
            return entry
        # The previous hash is one read by the primary key's index (under the lock), then one INSERT.
        entry.prev_hash = _lock_and_read_last_hash() or GENESIS
        entry.hash = entry.compute_hash()
        entry.save()
        return entry


def _insert_chained(entry: AuditEntry) -> None:
    """PostgreSQL: the lock, the previous hash and the INSERT in one round trip, the SHA-256 taken by the
    database over the same bytes as AuditEntry.compute_hash (prev_hash + hash_payload_after_prev). The chain's
    lock is held from here to the commit; one round trip instead of two shortens that stretch, in which every
    writer of the bureau waits (issue 9). verify() recomputes every hash in Python."""
    qn = connection.ops.quote_name
    table = qn(AuditEntry._meta.db_table)
    sql = (f"SELECT pg_advisory_xact_lock(7312001); "  # noqa: S608 (names from the model)
           f"INSERT INTO {table} ({qn('at')}, {qn('actor_id')}, {qn('actor_name')}, {qn('action')}, {qn('object')}, "
           f"{qn('case_id')}, {qn('detail')}, {qn('prev_hash')}, {qn('hash')}) "
           f"SELECT %s, %s, %s, %s, %s, %s, %s::jsonb, p.h, "
           f"encode(sha256(convert_to('[\"' || p.h || '\",' || %s, 'UTF8')), 'hex') "
           f"FROM (SELECT COALESCE((SELECT {qn('hash')} FROM {table} ORDER BY {qn('id')} DESC LIMIT 1), %s) AS h) AS p "
           f"RETURNING {qn('id')}, {qn('prev_hash')}, {qn('hash')}")
    params = [entry.at, entry.actor_id, entry.actor_name, entry.action, entry.object, entry.case_id,
              json.dumps(entry.detail, ensure_ascii=False), entry.hash_payload_after_prev(), GENESIS]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        cur.nextset()
        entry.pk, entry.prev_hash, entry.hash = cur.fetchone()
    entry._state.adding = False
    entry._state.db = connection.alias


def verify() -> dict:
    prev = GENESIS
    rows = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev or entry.compute_hash() != entry.hash:
            return {"ok": False, "first_bad_row": entry.pk, "rows": rows}
        prev = entry.hash
        rows += 1
    return {"ok": True, "rows": rows}
