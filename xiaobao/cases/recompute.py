"""Recomputing the items' clocks after a year of the calendar is published (clocks.publishing stores the
year). It sits above the clocks: it locks the items' rows and writes their timeline; the clocks compute dates."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from itertools import groupby
from operator import itemgetter

from django.db import connection, transaction

from xiaobao.clocks.calendar import get_calendar
from xiaobao.clocks.engine import PauseSpan
from xiaobao.clocks.models import Clock, Pause, PauseReason
from xiaobao.clocks.publishing import publish_calendar, year_view
from xiaobao.clocks.services import clock_length, compute
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.rules.models import RuleSet

from .models import Case, Event


def publish_year(*, year: int, holidays: list, workdays: list, actor, source: str = "国务院办公厅放假安排通知",
                 progress: Callable[[int, int], None] | None = None) -> dict:
    """Store the year's holidays and make-up working days, mark it published, recompute every open clock
    whose period reaches into it, and note the change on each item's timeline.

    The calendar and its audit row are one transaction; the recomputation then runs a batch of items per
    transaction, so that other writers wait for one batch, not for the whole publication. Should it stop
    half-way, publishing the same year again finishes it: clocks already right cost only a comparison."""
    publish_calendar(year=year, holidays=holidays, workdays=workdays, actor=actor, source=source)
    recomputed = recompute_reaching(year, actor=actor, progress=progress)
    return {**year_view(year), "recomputed": recomputed}


# Items per transaction: large enough that the per-batch queries and the audit row cost nothing, small
# enough that a batch holds SQLite's one write lock for about a second (bench/run.py).
BATCH = 20_000


def recompute_reaching(year: int, *, actor, progress: Callable[[int, int], None] | None = None,
                       batch: int | None = None) -> int:
    """Recompute the open clocks of every item with an open clock whose period reaches into `year`, a batch
    of items (in id order) per transaction: the items' rows are locked (PostgreSQL), their open clocks and
    pauses read as plain rows in three queries, the changed clocks written with executemany, and each item
    whose dates moved gets a "recompute_clocks" event on its timeline; one audit row per batch lists those
    items. `progress(done, total)` is called after each batch. Returns the number of items looked at."""
    run = _Recompute(cal=get_calendar(), on=timeutil.today(), actor=actor, year=year,
                     reason=f"{year}年日历发布，重新计算期限")
    case_ids = run.reaching()
    total = len(case_ids)
    batch = batch or BATCH
    for i in range(0, total, batch):
        with transaction.atomic():
            run.batch(case_ids[i:i + batch])
        if progress:
            progress(min(i + batch, total), total)
    return total


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _mediation_cap_first(row: tuple) -> bool:
    # mediation_cap before handling: handling is clamped to the cap.
    return row[2] != "mediation_cap"


class _Recompute:
    """One recomputation run: the calendar, the SQL, and what batches share — the result of compute() for
    each distinct clock (most items share start, length and unit and have no pauses, so a run computes a
    few thousand clocks, not a million) and the stored JSON of each distinct list of changes.

    Clock rows are read as plain tuples. On SQLite their dates are read as the ISO text they are stored as
    (no date parsed per row) and compared as text; on PostgreSQL they are dates."""

    MEMO_LIMIT = 500_000

    def __init__(self, *, cal, on: date, actor, year: int, reason: str):
        self.cal, self.on, self.actor, self.year, self.reason = cal, on, actor, year, reason
        self.rule_sets: dict[int, RuleSet] = {}
        self.stops: dict[int, dict[str, frozenset[str]]] = {}
        self.results: dict[tuple, tuple] = {}
        self.event_data: dict[tuple, object] = {}
        self.reasons = dict(PauseReason.choices)
        self.actor_id = getattr(actor, "pk", None)
        self.data_field = Event._meta.get_field("data")
        q = connection.ops.quote_name
        # Only quoted identifiers from the models' own metadata are formatted in; every value is a parameter.
        cm, pm, em, km = Clock._meta, Pause._meta, Event._meta, Case._meta

        def col(meta, name: str) -> str:
            return q(meta.get_field(name).column)

        def cols(meta, names: list[str]) -> str:
            return ", ".join(col(meta, n) for n in names)

        def as_text(name: str) -> str:
            return f"CAST({col(cm, name)} AS TEXT)" if self.sqlite else col(cm, name)

        clock, case, open_ = q(cm.db_table), col(cm, "case"), f"{col(cm, 'met_on')} IS NULL"
        # Each batch's items by id: a JSON array on SQLite (no limit on the number of ids, and the planner
        # walks the case index), an array on PostgreSQL.
        self.sqlite = connection.vendor == "sqlite"
        ids = "IN (SELECT value FROM json_each(%s))" if self.sqlite else "= ANY(%s)"
        self.reaching_sql = (f"SELECT {case} FROM {clock} WHERE {open_} "  # noqa: S608
                             f"AND {col(cm, 'due')} >= %s AND {col(cm, 'start')} <= %s")
        self.clock_sql = (
            f"SELECT {cols(cm, ['id', 'case', 'name'])}, {as_text('start')}, "  # noqa: S608
            f"{cols(cm, ['length', 'unit'])}, {as_text('due')}, {cols(cm, ['provisional', 'explanation'])} "
            f"FROM {clock} WHERE {case} {ids} AND {open_} ORDER BY {case}, {q(cm.pk.column)}")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        self.case_sql = (f"SELECT {cols(km, ['id', 'rule_set', 'tier', 'state'])} FROM {q(km.db_table)} "  # noqa: S608
                         f"WHERE {col(km, 'id')} {ids}{lock}")
        # A reopened item's handling period is clamped to the cap even where the cap was met when it concluded.
        self.met_cap_sql = (f"SELECT {case}, {col(cm, 'due')} FROM {clock} WHERE {case} {ids} "  # noqa: S608
                            f"AND {col(cm, 'name')} = %s AND {col(cm, 'met_on')} IS NOT NULL")
        pause_case = col(pm, "case")
        self.pause_sql = (f"SELECT {cols(pm, ['case', 'start', 'end', 'reason'])} FROM {q(pm.db_table)} "  # noqa: S608
                          f"WHERE {pause_case} {ids} ORDER BY {pause_case}, {cols(pm, ['start', 'id'])}")
        event_fields = ["case", "at", "actor", "action", "from_state", "to_state", "note", "data"]
        self.event_sql = (f"INSERT INTO {q(em.db_table)} ({cols(em, event_fields)}) "  # noqa: S608
                          f"VALUES ({', '.join(['%s'] * len(event_fields))})")

    def reaching(self) -> list[int]:
        """Ids of the items with an open clock whose period reaches into the year, ascending."""
        adapt = connection.ops.adapt_datefield_value
        with connection.cursor() as cur:
            cur.execute(self.reaching_sql, [adapt(date(self.year, 1, 1)), adapt(date(self.year, 12, 31))])
            return sorted({case_id for case_id, in cur.fetchall()})

    def result(self, rs_id: int, tier: str, name: str, start, length: int, unit: str, spans: tuple,
               cap_due: date | None) -> tuple:
        """(due as read back, provisional, explanation, due, due in ISO, length) for the clock, computed with
        services.compute once per distinct clock in a run."""
        key = (rs_id, tier, name, start, length, unit, spans, cap_due)
        res = self.results.get(key)
        if res is None:
            if len(self.results) >= self.MEMO_LIMIT:
                self.results.clear()
            if rs_id not in self.rule_sets:
                self.rule_sets[rs_id] = RuleSet.objects.get(pk=rs_id)
                self.stops[rs_id] = self.rule_sets[rs_id].pause_stops()
            rule = self.rule_sets[rs_id].clock(name)
            if rule is not None:
                length = clock_length(rule, tier)
            clock = Clock(name=name, start=_as_date(start), length=length, unit=unit)
            due = compute(self.cal, clock, spans=list(spans), cap_due=cap_due, on=self.on, stops=self.stops[rs_id])
            iso = due.due.isoformat()
            res = self.results[key] = (iso if self.sqlite else due.due, due.provisional, due.explanation, due.due,
                                       iso, length)
        return res

    def batch(self, case_ids: list[int]) -> None:
        # On PostgreSQL the items' rows are locked FOR UPDATE against concurrent changes; SQLite's IMMEDIATE
        # transaction already holds its only write lock.
        ids = [json.dumps(case_ids) if self.sqlite else case_ids]
        with connection.cursor() as cur:
            cur.execute(self.case_sql, ids)
            cases = {row[0]: row for row in cur.fetchall()}
            cur.execute(self.pause_sql, ids)
            spans: dict[int, tuple[PauseSpan, ...]] = {
                case_id: tuple(PauseSpan(start, end, self.reasons.get(reason, reason), reason)
                                for _, start, end, reason in rows)
                for case_id, rows in groupby(cur.fetchall(), key=itemgetter(0))}
            cur.execute(self.clock_sql, ids)
            clock_rows = cur.fetchall()
            cur.execute(self.met_cap_sql, [*ids, "mediation_cap"])
            met_caps = dict(cur.fetchall())
        moved_due: list[tuple] = []
        same_due: list[tuple] = []
        events: list[tuple] = []
        at = connection.ops.adapt_datetimefield_value(timeutil.now())
        results, result, event_data = self.results, self.result, self.event_data
        for case_id, group in groupby(clock_rows, key=itemgetter(1)):
            _, rs_id, tier, state = cases[case_id]
            case_spans = spans.get(case_id, ())
            rows = list(group)
            if len(rows) > 1:
                rows.sort(key=_mediation_cap_first)
            cap_due = met_caps.get(case_id)
            moved = []
            for pk, _, name, start, length, unit, due, provisional, explanation in rows:
                res = (results.get((rs_id, tier, name, start, length, unit, case_spans, cap_due))
                       or result(rs_id, tier, name, start, length, unit, case_spans, cap_due))
                new_due, new_provisional, new_explanation, new_date, new_iso, new_length = res
                if name == "mediation_cap":
                    cap_due = new_date
                if new_due != due:
                    moved.append((name, due if self.sqlite else due.isoformat(), new_iso, new_provisional))
                    moved_due.append((new_due, new_provisional, new_explanation, new_length, pk))
                elif new_provisional != provisional:
                    moved.append((name, new_iso, new_iso, new_provisional))
                    same_due.append((new_provisional, new_explanation, new_length, pk))
                elif new_explanation != explanation:
                    same_due.append((new_provisional, new_explanation, new_length, pk))
            if moved:
                moved = tuple(moved)
                data = event_data.get(moved)
                if data is None:
                    data = self.data(moved)
                events.append((case_id, at, self.actor_id, "recompute_clocks", state, state, self.reason, data))
        _write_clocks(moved_due, same_due)
        if events:
            with connection.cursor() as cur:
                cur.executemany(self.event_sql, events)
            record(actor=self.actor, action="recompute_clocks", obj=f"calendar:{self.year}",
                   detail={"note": self.reason, "cases": [e[0] for e in events],
                           "clocks": len(moved_due) + len(same_due)})

    def data(self, moved: tuple) -> object:
        """The event's data as the JSONField stores it, prepared once per distinct list of changes."""
        value = self.event_data.get(moved)
        if value is None:
            if len(self.event_data) >= self.MEMO_LIMIT:
                self.event_data.clear()
            changes = [{"clock": name, "old_due": old, "new_due": new, "provisional": provisional}
                       for name, old, new, provisional in moved]
            value = self.event_data[moved] = self.data_field.get_db_prep_save({"changes": changes}, connection)
        return value


def _write_clocks(moved_due: list[tuple], same_due: list[tuple]) -> None:
    """One parameterised UPDATE per row through executemany: bulk_update() builds a CASE expression per
    row and field, which is about ten times slower for the 10^5–10^6 rows of a publication. Rows whose due
    date stays (only the provisional flag or the text changes) leave the due-date indexes alone.
    Rows are (due, provisional, explanation, length, pk) and (provisional, explanation, length, pk)."""
    meta = Clock._meta
    q = connection.ops.quote_name
    # Only quoted identifiers from the model's own metadata are formatted in; every value is a parameter.
    for cols, rows in ((["due", "provisional", "explanation", "length"], moved_due),
                       (["provisional", "explanation", "length"], same_due)):
        if not rows:
            continue
        assignments = ", ".join(f"{q(meta.get_field(c).column)} = %s" for c in cols)
        sql = f"UPDATE {q(meta.db_table)} SET {assignments} WHERE {q(meta.pk.column)} = %s"  # noqa: S608
        with connection.cursor() as cur:
            cur.executemany(sql, rows)
