"""The bulk path of the 12315 import: the rows of a file in batches, each batch in one transaction.

The result is the row-by-row path's (importer.import_row, one register_case per new number) for every row —
tests/intake/test_bulk_import.py compares the two field by field — but a batch of new items costs a handful of
statements: one locked reservation of numbers per sequence (cases.numbering.reserve), executemany inserts of
the parties, the items, their registration events and any clocks, and one audit row listing the batch's
items (each item's own timeline has its "register" event). Known platform numbers are looked up per batch and
take the row-by-row decisions (importer.known_row); a new row that register_case would refuse goes through
import_row, so its errors are register_case's own messages.
"""

from __future__ import annotations

import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xiaobao.cases.errors import Invalid
from xiaobao.cases.models import Case, Event, Kind, Party, State, Tier
from xiaobao.cases.numbering import reserve
from xiaobao.cases.selectors import visible_cases
from xiaobao.cases.services import (
    AMOUNT_LIMIT,
    NUMBER_PREFIX,
    _text,
    _too_long,
    office_unit,
    registration_note,
    stored_amount,
)
from xiaobao.clocks.calendar import get_calendar
from xiaobao.clocks.models import Clock
from xiaobao.clocks.services import clock_length, compute, receipt_clocks
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.rules.models import RuleSet, in_force_among
from xiaobao.units.models import Staff

from . import importer
from .inserts import Insert
from .models import ImportRun

BATCH = 1000
FUTURE = timedelta(minutes=5)  # register_case: "接收时间不能晚于现在。"

# register_case starts no clock: an item's clocks start when a handling unit receives it, so the time spent
# determining jurisdiction does not count (rules 二.2; DOMAIN.md "Legal clocks"). Were a clock ever started
# at registration, name it here and the bulk path computes it as clocks.services.start would.
STARTED_AT_REGISTRATION: tuple[str, ...] = ()


@dataclass
class New:
    row: Row
    rule_set: RuleSet
    year: int


@dataclass
class Row:
    number: int  # the row in the Excel file
    payload: dict
    errors: list[dict]
    new: New | None = None  # what it would register if its number is new (Importer.checked)


@dataclass
class Batch:
    rows: list[Row] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class Importer:
    def __init__(self, *, run: ImportRun, actor: Staff | None, table: importer.Table, categories: dict[str, str],
                 labels: dict[str, str]):
        self.run, self.actor, self.table, self.categories, self.labels = run, actor, table, categories, labels
        self.unit = actor.unit if actor and actor.unit and actor.unit.handles_items else office_unit()
        self.registering_unit = actor.unit if actor else None
        self.category_codes = set(categories.values())
        # RuleSet.in_force, answered from the family's rule sets read once (an item keeps its rule set for life).
        self.rule_sets = list(RuleSet.objects.filter(family=settings.XIAOBAO_RULE_FAMILY).order_by("effective_from"))
        self.rule_sets_by_id = {r.pk: r for r in self.rule_sets}
        self._in_force: dict[date, RuleSet] = {}
        self.tz = timezone.get_current_timezone()
        self.now = timeutil.now()

    # ------------------------------------------------------------ batches

    def batches(self, size: int) -> Iterator[Batch]:
        """Runs of at most `size` rows in which no platform number repeats: a repeated number waits for the
        next batch, where it finds the item the first row registered, as the row-by-row path does."""
        batch = Batch()
        for number, values in self.table.rows:
            payload, errors = importer.row_payload(values, self.table, self.categories, self.tz)
            external_id = payload["external_id"]
            if len(batch.rows) >= size or (external_id and external_id in batch.ids):
                yield batch
                batch = Batch()
            row = Row(number, payload, errors)
            if not errors:
                row.new = self.checked(row)
            batch.rows.append(row)
            if external_id:
                batch.ids.add(external_id)
        if batch.rows:
            yield batch

    def run_all(self, *, size: int | None = None, on_batch: Callable[[int], None] | None = None) -> None:
        done = 0
        with closing(ahead(self.batches(size or BATCH))) as batches:  # closed on an error too: the reader stops
            for batch in batches:
                with transaction.atomic():
                    self.one_batch(batch)
                done += len(batch.rows)
                if on_batch:
                    on_batch(done)

    def one_batch(self, batch: Batch) -> None:
        self.now = timeutil.now()
        ids = [r.payload["external_id"] for r in batch.rows if not r.errors]
        known = {c.external_id: c for c in Case.objects.filter(channel=importer.CHANNEL, external_id__in=ids)
                 .select_related("complainant", "respondent")}
        for case in known.values():
            if case.rule_set_id in self.rule_sets_by_id:
                case.rule_set = self.rule_sets_by_id[case.rule_set_id]
        visible: set[int] = set()
        if known and self.actor is not None:
            visible = set(visible_cases(self.actor).filter(pk__in=[c.pk for c in known.values()])
                          .values_list("pk", flat=True))
        new: list[New] = []
        for row in batch.rows:
            if row.errors:
                self.failed(row, row.errors)
                continue
            case = known.get(row.payload["external_id"])
            try:
                if case is not None:
                    outcome = importer.known_row(actor=self.actor, existing=case, payload=row.payload,
                                                 visible=self.actor is None or case.pk in visible)
                else:
                    # register_case refuses a time of receipt after now (+5 min), checked at registration.
                    if row.new is not None and row.payload["received_at"] <= self.now + FUTURE:
                        new.append(row.new)
                        continue
                    # register_case would refuse it: let it name every error in its own words.
                    outcome, case = importer.import_row(actor=self.actor, payload=row.payload)
            except Invalid as exc:
                self.failed(row, exc.errors)
            else:
                importer.count(self.run, row.number, row.payload, outcome, case)
        if new:
            self.register(new)

    # ------------------------------------------------------------ new items

    def rule_set(self, day: date) -> RuleSet:
        found = self._in_force.get(day)
        if found is None:
            found = self._in_force[day] = in_force_among(self.rule_sets, day, family=settings.XIAOBAO_RULE_FAMILY)
        return found

    def checked(self, row: Row) -> New | None:
        """The row as a new item if register_case would take it as it stands, else None (the same checks,
        for the fields an import row has; the time of receipt is checked against now at registration). Runs
        in the reader thread: no database."""
        p = row.payload
        received_at = p["received_at"]
        if p["amount"]:
            try:
                amount = Decimal(p["amount"])
            except InvalidOperation:
                return None
            if amount < 0 or not amount.is_finite() or amount >= AMOUNT_LIMIT:
                return None
        if p["category"] and p["category"] not in self.category_codes:
            return None
        day = received_at.astimezone(self.tz).date()  # timezone.localdate
        rule_set = self.rule_set(day)
        values = {"facts": p["facts"], "demand": p["demand"],
                  **{f"complainant.{k}": v for k, v in p["complainant"].items()},
                  **{f"respondent.{k}": v for k, v in p["respondent"].items()}}
        if any(not _text(values.get(f)) for f in rule_set.required_fields(p["kind"])):
            return None
        if _too_long(p["complainant"], p["respondent"], p):
            return None
        return New(row, rule_set, day.year)

    def register(self, new: list[New]) -> None:
        """Insert the batch's new items as register_case would, numbered in row order."""
        needed = Counter((n.row.payload["kind"], n.year) for n in new)
        numbers = {(kind, year): iter(reserve("case-" + kind, year, count)) for (kind, year), count in needed.items()}
        now = timeutil.now()
        party_rows, slots = [], []
        for n in new:
            p = n.row.payload
            c = _party("complainant", p["complainant"]) if p["complainant"] or p["kind"] != Kind.REPORT else None
            r = _party("respondent", p["respondent"]) if p["respondent"] else None
            slots.append((None if c is None else len(party_rows), None if r is None else len(party_rows) + (c is not None)))
            party_rows += [x for x in (c, r) if x is not None]
        party_ids = Insert(Party, PARTY_COLUMNS, now=now).run(party_rows)
        actor_id = self.actor.pk if self.actor else None
        unit_id = self.unit.pk
        registering_unit_id = self.registering_unit.pk if self.registering_unit else None
        case_rows, numbered = [], []
        for n, (c, r) in zip(new, slots, strict=True):
            p = n.row.payload
            kind = p["kind"]
            number = f"{NUMBER_PREFIX[kind]}-{n.year}-{next(numbers[(kind, n.year)]):06d}"
            numbered.append(number)
            case_rows.append((
                number, kind, importer.CHANNEL.value, p["received_at"], p["external_id"] or None,
                None if c is None else party_ids[c], None if r is None else party_ids[r], _text(p["facts"]),
                _text(p["demand"]), _amount(p["amount"]), p["category"], Tier.GENERAL.value, State.REGISTERED.value,
                unit_id, actor_id, registering_unit_id, n.rule_set.pk))
        case_ids = Insert(Case, CASE_COLUMNS, now=now).run(case_rows)
        channel = importer.CHANNEL.label
        Insert(Event, EVENT_COLUMNS, now=now).run(
            (case_id, now, actor_id, "register", "", State.REGISTERED.value, registration_note(channel, number),
             {"channel": importer.CHANNEL.value, "rule_set": n.rule_set.code})
            for n, case_id, number in zip(new, case_ids, numbered, strict=True))
        # Registration events notify nobody (notify.services.on_event), so no after-commit hook per item.
        clocks = registration_clocks([(case_id, n.rule_set, Tier.GENERAL.value) for n, case_id in zip(new, case_ids,
                                                                                                     strict=True)])
        # The clocks that run from the receipt, as register_case starts them (clocks.services.AT_RECEIPT).
        # Computed once per kind, rule set and day from the calendar read once per batch (receipt_clocks would read
        # it, two queries, for every complaint), and inserted as value rows (intake.inserts), not model instances.
        at_receipt = ReceiptClocks()
        rows = [_clock_row(c.case_id, c) for c in clocks]
        for n, case_id in zip(new, case_ids, strict=True):
            p = n.row.payload
            rows += at_receipt.rows(case_id, p["kind"], n.rule_set, p["received_at"].astimezone(self.tz).date())
        if rows:
            Insert(Clock, CLOCK_COLUMNS, now=now).run(rows)
        record(actor=self.actor, action="register", obj=f"import_run:{self.run.pk}",
               detail={"channel": importer.CHANNEL.value, "file": self.run.file_name,
                       "rows": [new[0].row.number, new[-1].row.number], "count": len(case_ids),
                       "cases": [[pk, number, n.row.payload["external_id"]]
                                 for pk, number, n in zip(case_ids, numbered, new, strict=True)]})
        self.run.created += len(case_ids)

    def failed(self, row: Row, errors: list[dict]) -> None:
        importer.fail(self.run, row.number, row.payload, errors, self.labels)


def ahead(items: Iterator[Batch], depth: int = 2) -> Iterator[Batch]:
    """The items, produced by a helper thread up to `depth` ahead: reading the next rows (pure Python, no
    database) goes on while SQLite writes the current batch, which releases the GIL."""
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    done = object()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False  # the consumer has gone

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            put(exc)

    thread = threading.Thread(target=produce, name="import-12315-reader", daemon=True)
    thread.start()
    try:
        while (item := q.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)


def registration_clocks(items: list[tuple[int, RuleSet, str]]) -> list[Clock]:
    """The clocks STARTED_AT_REGISTRATION of new items (id, rule set, tier), computed as clocks.services.start
    does (start today, that day not counted; handling clamped to the mediation cap), from the cached calendar."""
    if not STARTED_AT_REGISTRATION:
        return []
    cal = get_calendar()
    on = timeutil.today()
    names = sorted(STARTED_AT_REGISTRATION, key=lambda name: name != "mediation_cap")
    memo: dict[tuple, Any] = {}
    out = []
    for case_id, rule_set, tier in items:
        cap_due = None
        for name in names:
            rule = rule_set.clock(name)
            if rule is None:
                continue
            clock = Clock(case_id=case_id, name=name, start=on, length=clock_length(rule, tier), unit=rule["unit"],
                          basis=rule["basis"], met_on=None, overdue_notified=False)
            key = (name, clock.length, clock.unit, cap_due)
            if key not in memo:
                memo[key] = compute(cal, clock, spans=[], cap_due=cap_due, on=on)
            due = memo[key]
            clock.due, clock.provisional, clock.explanation = due.due, due.provisional, due.explanation
            if name == "mediation_cap":
                cap_due = clock.due
            out.append(clock)
    return out


# The columns of a clock computed at registration; the others (met_on, settled, notifications) take their defaults.
CLOCK_COLUMNS = ("case_id", "name", "start", "length", "unit", "basis", "due", "provisional", "explanation")


def _clock_row(case_id: int | None, c: Clock) -> tuple:
    return (case_id, c.name, c.start, c.length, c.unit, c.basis, c.due, c.provisional, c.explanation)


class ReceiptClocks:
    """The clocks register_case starts from the receipt (clocks.services.AT_RECEIPT) as rows (CLOCK_COLUMNS) for
    the bulk imports: computed once per kind, rule set and day from the calendar read once (receipt_clocks would
    read it, two queries, for every complaint). One per batch."""

    def __init__(self):
        self.cal, self.memo, self.values = get_calendar(), {}, {}

    def rows(self, case_id: int, kind: str, rule_set: RuleSet, day: date) -> list[tuple]:
        key = (kind, rule_set.pk, day)
        values = self.values.get(key)
        if values is None:
            values = self.values[key] = [_clock_row(None, c)[1:] for c in receipt_clocks(
                kind, rule_set, day, memo=self.memo, cal=self.cal)]
        return [(case_id, *v) for v in values]


def _amount(text: str) -> Decimal | None:
    return stored_amount(Decimal(text)) if text else None


PARTY_COLUMNS = ("role", "name", "phone", "address", "id_type", "id_number", "anonymous", "wants_reply", "credit_code",
                 "contact_person")
# The columns register_case sets; the others (consents, agent, outcome, …) take their defaults.
CASE_COLUMNS = ("number", "kind", "channel", "received_at", "external_id", "complainant_id", "respondent_id", "facts",
                "demand", "amount", "category", "tier", "state", "unit_id", "registered_by_id", "registering_unit_id",
                "rule_set_id")
EVENT_COLUMNS = ("case_id", "at", "actor_id", "action", "from_state", "to_state", "note", "data")


def _party(role: str, d: dict) -> tuple:
    # The values cases.services._party stores, in PARTY_COLUMNS order (row_payload's values are stripped text).
    return (role, d.get("name", ""), d.get("phone", ""), d.get("address", ""), d.get("id_type", ""),
            d.get("id_number", ""), bool(d.get("anonymous", False)), bool(d.get("wants_reply", True)),
            d.get("credit_code", ""), d.get("contact_person", ""))
