"""Settling the clocks that items concluded or archived before issue 18 (point 2) left open.

Since then a conclusion settles every open clock of its item and archiving what the item still owed
(clocks.services.settle): met when closed by the due date, else recorded as missed. Items concluded or archived
earlier kept open clocks nobody could close, and filled the overdue lists. `settle_closed_items` closes them as
the conclusion would have: a concluded item's clocks on the day of its conclusion, except what it still owes the
person (clocks.models.OWED_AFTER_CONCLUSION: the reply and the notices, closed by their own step); an archived
item's on the day of its conclusion, and what it still owed on the day it was archived.

It runs as `manage.py settle_clocks` (once, after the migration) and at the start of `daily_clocks` (nothing to
do then, in milliseconds: it reads only the open clocks, off the partial index clock_open_by_due).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from xiaobao.clocks.models import OWED_AFTER_CONCLUSION, Clock, Settlement
from xiaobao.lib import timeutil
from xiaobao.records.audit import record

from .models import Event, State

# Clocks per transaction: each batch locks only its own clock rows, for well under a second, so that the
# services writing items meanwhile wait at most that long (PostgreSQL takes no table lock for it).
BATCH = 2000

LEFT_OPEN_BY_CLOSED_ITEMS = (Q(case__state=State.ARCHIVED)
                             | Q(case__state=State.CONCLUDED) & ~Q(name__in=sorted(OWED_AFTER_CONCLUSION)))


def left_open() -> list[int]:
    """Ids of the open clocks that a concluded or archived item should not have, ascending."""
    return sorted(Clock.objects.filter(met_on__isnull=True).filter(LEFT_OPEN_BY_CLOSED_ITEMS)
                  .values_list("pk", flat=True))


def settle_closed_items(*, batch: int = BATCH, on: date | None = None,
                        progress: Callable[[int, int], None] | None = None) -> int:
    """Settle the open clocks left by concluded and archived items, `batch` clocks (in id order) per
    transaction, with one audit row per batch naming the items. Idempotent. Returns the clocks settled."""
    ids = left_open()
    done = 0
    for i in range(0, len(ids), batch):
        with transaction.atomic():
            done += _settle(ids[i:i + batch], today=on or timeutil.today())
        if progress:
            progress(min(i + batch, len(ids)), len(ids))
    return done


def _settle(ids: list[int], *, today: date) -> int:
    # Read again inside the transaction, locked: an item reopened since the ids were read has its clocks
    # running again and is left alone.
    rows = list(Clock.objects.select_for_update(of=("self",)).filter(pk__in=ids, met_on__isnull=True)
                .filter(LEFT_OPEN_BY_CLOSED_ITEMS)
                .values_list("pk", "case_id", "name", "start", "due", "case__state", "case__concluded_at"))
    if not rows:
        return 0
    archived = {case_id for _, case_id, _, _, _, state, _ in rows if state == State.ARCHIVED}
    archived_on = {case_id: timezone.localdate(at) for case_id, at in
                   Event.objects.filter(case_id__in=sorted(archived), action="archive").order_by()
                   .values("case_id").annotate(at=Max("at")).values_list("case_id", "at")}
    updates = []
    for pk, case_id, name, start, due, _state, concluded_at in rows:
        concluded_on = timezone.localdate(concluded_at) if concluded_at else today
        day = archived_on.get(case_id, concluded_on) if name in OWED_AFTER_CONCLUSION else concluded_on
        day = max(day, start)
        updates.append((day, Settlement.MET if day <= due else Settlement.MISSED, pk))
    q = connection.ops.quote_name
    meta = Clock._meta
    col = {name: q(meta.get_field(name).column) for name in ("met_on", "settled")}
    sql = (f"UPDATE {q(meta.db_table)} SET {col['met_on']} = %s, {col['settled']} = %s "  # noqa: S608
           f"WHERE {q(meta.pk.column)} = %s AND {col['met_on']} IS NULL")
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cur:
        cur.executemany(sql, [(adapt(day), settled.value, pk) for day, settled, pk in updates])
    cases = sorted({case_id for _, case_id, *_ in rows})
    record(actor=None, action="settle_clocks", obj="clocks",
           detail={"clocks": len(updates), "missed": sum(s == Settlement.MISSED for _, s, _ in updates),
                   "cases": cases})
    return len(updates)

