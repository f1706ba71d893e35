"""Writing and verifying the audit trail. Every change and every read of personal data calls record().

Each row carries `prev_hash`, the previous row's `hash`, and its own `hash`: an HMAC-SHA256 under the audit key
(records.keys, outside the database) of every stored column (issue 16, point 9). Someone who can write to the
database cannot edit, insert or reorder a row and re-seal the rows after it without that key; deleting the
newest rows leaves a valid but shorter chain, which the checkpoints outside the database show
(records.checkpoints)."""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass

from django.db import connection, transaction

from xiaobao.lib import dbrouter, timeutil

from .models import SCHEME_KEYED, SCHEME_PLAIN, ArchivedYear, AuditEntry

GENESIS = "0" * 64
LOCK = 7312001  # PostgreSQL advisory lock of the chain's writers

# The chain's head as this process last saw it. Only a guess that lets PostgreSQL insert in one round trip; the
# INSERT checks it under the lock (_insert_chained), so a stale guess costs a second round trip, never a fork.
_head_guess: str | None = None


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
            cur.execute(f"SELECT pg_advisory_xact_lock({LOCK}); {last}")
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
        scheme=SCHEME_KEYED,
    )
    # On the primary (`connection` is "default"), and pinning no one: a read's audit row is not the reader's write
    # (issue 24, point 2; xiaobao/lib/dbrouter.py).
    with dbrouter.not_pinning(), transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            head = _insert_chained(entry)
            if head is None:
                return entry
        else:
            # The previous hash is one read by the primary key's index (under the lock), then one INSERT.
            head = _lock_and_read_last_hash() or GENESIS
        _seal(entry, head)
        entry.save()
        return entry


def _seal(entry: AuditEntry, prev_hash: str) -> None:
    global _head_guess
    entry.prev_hash = prev_hash
    entry.hash = entry.compute_hash()
    _head_guess = entry.hash


def _insert_chained(entry: AuditEntry) -> str | None:
    """PostgreSQL: the lock, the previous hash and the INSERT in one round trip (issue 9: the chain's lock is
    held from here to the commit, and every writer of the bureau waits for it). The MAC is taken in Python, the
    key never reaching the database, over the head this process last saw; the INSERT happens only if that is
    still the head. Otherwise (another process wrote since) nothing is inserted, the lock is held, and the real
    head is returned for the caller to seal and insert the row in a second round trip. None when inserted."""
    _seal(entry, _head_guess or GENESIS)
    qn = connection.ops.quote_name
    table = qn(AuditEntry._meta.db_table)
    columns = ["at", "actor_id", "actor_name", "action", "object", "case_id", "detail", "scheme", "prev_hash", "hash"]
    sql = (f"SELECT pg_advisory_xact_lock({LOCK}); "  # noqa: S608 (names from the model)
           f"WITH p AS (SELECT COALESCE((SELECT {qn('hash')} FROM {table} ORDER BY {qn('id')} DESC LIMIT 1), %s) AS h), "
           f"i AS (INSERT INTO {table} ({', '.join(qn(c) for c in columns)}) "
           f"SELECT %s, %s, %s, %s, %s, %s, %s::jsonb, %s, p.h, %s FROM p WHERE p.h = %s RETURNING {qn('id')}) "
           f"SELECT p.h, (SELECT {qn('id')} FROM i) FROM p")
    params = [GENESIS, entry.at, entry.actor_id, entry.actor_name, entry.action, entry.object, entry.case_id,
              json.dumps(entry.detail, ensure_ascii=False), entry.scheme, entry.hash, entry.prev_hash]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        cur.nextset()
        head, pk = cur.fetchone()
    if pk is None:
        return head
    entry.pk = pk
    entry._state.adding = False
    entry._state.db = connection.alias
    return None


@dataclass(frozen=True)
class Run:
    """Audit rows of a detached year that follow one another in the chain (records.models.ArchivedYear)."""

    year: int
    first_id: int
    last_id: int
    rows: int
    prev_hash: str
    last_hash: str


def archived_runs(years: list | None = None) -> list[Run]:
    """The runs of the years detached now. The checkpoint file's last line for a year says whether it is
    (`years`, records.checkpoints.read_years: outside the database); a year the file does not name is taken from
    the ArchivedYear table when its row is still sealed under the audit key."""
    said = {mark.year: mark for mark in years or []}  # the last line of each year
    table = {a.year: a for a in ArchivedYear.objects.all()}
    runs = []
    for year in sorted(set(said) | set(table)):
        if (mark := said.get(year)) is not None:
            segments = mark.segments if mark.kind == "archived" else []
        else:
            row = table[year]
            segments = row.segments if row.detached and row.sealed() else []
        runs += [Run(year, *segment) for segment in segments]
    return runs


def verify(checkpoints: list | None = None, years: list | None = None) -> dict:
    """Recompute every row's hash in id order. `checkpoints` (records.checkpoints.read) are heads and row
    counts kept outside the database: each must match the row it names, and a missing row is a truncated tail.
    `years` (records.checkpoints.read_years) name the years detached to archive storage: where the chain breaks
    exactly at the start of a run of such a year's rows (`archived_runs`), the run is stepped over — its rows
    count, its last hash is where the chain goes on — and the rows after it must follow on from that hash.

    {"ok": True, "rows": n, "archived_years": [...], "archived_rows": m} or {"ok": False, "rows": rows good before
    the fault, "first_bad_row": id or None, "reason": why (Chinese), "truncated": the checkpoint whose rows are
    gone, if that is the fault}."""
    marks = {c.last_id: c for c in checkpoints or []}
    by_prev: dict[str, list[Run]] = {}
    for run in archived_runs(years):
        by_prev.setdefault(run.prev_hash, []).append(run)
    prev = GENESIS
    rows = 0
    keyed = False
    last_id = 0
    stepped: list[Run] = []

    def step_over(before_id: int | None) -> str | None:
        """Step over the archived runs that start at `prev` and lie before `before_id`; a reason if a checkpoint
        at a run's end disagrees."""
        nonlocal prev, rows, last_id
        while True:
            run = next((r for r in by_prev.get(prev, []) if r.first_id > last_id
                        and (before_id is None or r.last_id < before_id)), None)
            if run is None:
                return None
            rows += run.rows
            for mark_id in [i for i in marks if run.first_id <= i <= run.last_id]:
                mark = marks.pop(mark_id)
                if mark_id == run.last_id and (mark.rows != rows or mark.head != run.last_hash):
                    return f"与 {mark.at} 的检查点不符（{run.year} 年归档的行数或末行哈希不同）"
            prev, last_id = run.last_hash, run.last_id
            stepped.append(run)

    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev and by_prev:
            if (reason := step_over(entry.pk)) is not None:
                return _bad(entry, rows, reason)
        if entry.prev_hash != prev:
            return _bad(entry, rows, "与前一行的哈希不衔接（行被删除、插入或改动）")
        if entry.scheme == SCHEME_KEYED:
            keyed = True
        elif entry.scheme != SCHEME_PLAIN or keyed:
            return _bad(entry, rows, "启用密钥校验之后出现了未加密钥的行")
        if not hmac.compare_digest(entry.compute_hash(), entry.hash):
            return _bad(entry, rows, "内容与校验码不符（行被改动）")
        rows += 1
        if (mark := marks.pop(entry.pk, None)) is not None and (mark.rows != rows or mark.head != entry.hash):
            return _bad(entry, rows - 1, f"与 {mark.at} 的检查点不符（此前的行被改写）")
        prev = entry.hash
        last_id = entry.pk
    if by_prev and (reason := step_over(None)) is not None:
        return {"ok": False, "rows": rows, "first_bad_row": None, "reason": reason}
    if marks:
        # The earliest checkpoint whose row is gone: everything from there on was cut off (or renumbered).
        mark = min(marks.values(), key=lambda m: m.last_id)
        reason = (f"审计记录末尾被截断：{mark.at} 的检查点记录了 {mark.rows} 行（末行 {mark.last_id}），"
                  f"数据库中现只有 {rows} 行（末行 {last_id or '无'}）")
        return {"ok": False, "rows": rows, "first_bad_row": None, "reason": reason,
                "truncated": {"checkpoint_at": mark.at, "checkpoint_rows": mark.rows,
                              "checkpoint_last_id": mark.last_id, "last_id": last_id or None}}
    return {"ok": True, "rows": rows, "archived_years": sorted({r.year for r in stepped}),
            "archived_rows": sum(r.rows for r in stepped)}


def _bad(entry: AuditEntry, rows: int, reason: str) -> dict:
    return {"ok": False, "rows": rows, "first_bad_row": entry.pk, "reason": f"第 {entry.pk} 行{reason}"}


class ArchiveError(Exception):
    pass


def runs_in(table: str, year: int, years: list | None = None) -> list[list]:
    """The runs of the audit rows kept in `table` (a year's partition, detached or restored, by name), in the
    chain's id order, each [first id, last id, rows, prev_hash of the first, hash of the last]: a row of the
    trail (records_auditentry, without that year) whose id lies between two of them ends a run, as does a run of another year already
    detached (`years`, as for verify). Every row's MAC is checked and each run must hold together (a row's prev_hash is the hash of the one before it); otherwise
    ArchiveError. Read a slice at a time: a year can be millions of rows."""
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(f"SELECT min(id), max(id) FROM {qn(table)}")  # noqa: S608 (a partition's name, not input)
        low, high = cur.fetchone()
        if low is None:
            return []
        # The trail's other rows in that id range (the year's own when its partition is still attached excepted).
        cur.execute(f"SELECT id FROM {qn(AuditEntry._meta.db_table)} WHERE id BETWEEN %s AND %s "  # noqa: S608
                    "AND tableoid <> to_regclass(%s) ORDER BY id", [low, high, table])
        others = [r[0] for r in cur.fetchall()]
    others = sorted(others + [r.first_id for r in archived_runs(years) if r.year != year and low <= r.first_id <= high])
    runs: list[list] = []
    run = None
    j = 0
    for entry in _rows_of(table):
        broken = False
        while j < len(others) and others[j] < entry.pk:
            j += 1
            broken = True
        if not hmac.compare_digest(entry.compute_hash(), entry.hash):
            raise ArchiveError(f"第 {entry.pk} 行内容与校验码不符。")
        if run is None or broken:
            run = [entry.pk, entry.pk, 1, entry.prev_hash, entry.hash]
            runs.append(run)
            continue
        if entry.prev_hash != run[4]:
            raise ArchiveError(f"第 {entry.pk} 行与前一行的哈希不衔接。")
        run[1], run[2], run[4] = entry.pk, run[2] + 1, entry.hash
    return runs


def _rows_of(table: str, size: int = 5000):
    """The audit rows of `table` (a partition, by name) in id order, `size` at a time by id."""
    qn = connection.ops.quote_name
    last = 0
    while True:
        rows = list(AuditEntry.objects.raw(f"SELECT * FROM {qn(table)} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                                           [last, size]))
        yield from rows
        if len(rows) < size:
            return
        last = rows[-1].pk
