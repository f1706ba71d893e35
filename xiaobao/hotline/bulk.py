"""The bulk path of the work-order file import (issue 21, point 7): rows in batches, each batch in one transaction.

The result for every row is the row path's (services.receive_order; tests/hotline/test_import.py compares the
two): a known order number is left alone; a new row that receive_order would take as it stands is registered
with a handful of statements per batch — one locked reservation of numbers per sequence (cases.numbering),
multi-row inserts of the parties, the items, their registration events, the orders and their two clocks
(intake.inserts, the 12315 bulk path's writer) and one audit row listing the batch's items; any other row goes
through receive_order itself, so its errors are the API's own messages.

As in the 12315 bulk path, a reader thread (intake.bulk.ahead) turns the file's rows into order bodies, checks
them and prepares every value that needs no database, up to two batches ahead of the writer, which numbers and
inserts (SQLite releases the GIL while it executes). Measured in docs/performance.md ("12345 hotline import").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xiaobao.cases.models import Case, Channel, Event, Kind, Party, State, Tier
from xiaobao.cases.numbering import reserve
from xiaobao.cases.services import NUMBER_PREFIX, _too_long, office_unit, registration_note
from xiaobao.clocks.models import Clock
from xiaobao.intake.bulk import CASE_COLUMNS, CLOCK_COLUMNS, EVENT_COLUMNS, PARTY_COLUMNS, ReceiptClocks, ahead
from xiaobao.intake.inserts import Insert, import_cache
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.rules.models import RuleSet, in_force_among
from xiaobao.units.models import Staff

from . import services
from .models import Order

BATCH = 1000
FUTURE = timedelta(minutes=5)  # register_case: "接收时间不能晚于现在。"
ORDER_COLUMNS = ("case_id", "order_no", "category", "title", "received_at", "sign_due", "finish_due",
                 "original_finish_due")


@dataclass
class New:
    """A row receive_order would take as it stands, with the values its rows take that need no database
    (computed in the reader thread, ahead of the batch being written)."""
    row: int
    body: dict
    kind: str
    parsed: dict
    rule_set: RuleSet
    day: date  # of receipt, in the bureau's zone
    complainant: tuple | None  # the parties' rows (PARTY_COLUMNS)
    respondent: tuple | None
    order_no: str
    title: str
    facts: str
    demand: str
    order_clocks: list[tuple]  # the hotline's two clocks' rows without their item (CLOCK_COLUMNS[1:])


@dataclass
class Row:
    number: int  # the row in the file
    body: dict
    order_no: str
    new: New | None  # what it registers if its order number is new and its time of receipt not in the future


def _text(v) -> str:
    return str(v).strip() if v is not None else ""


def _party(role: str, d: dict) -> tuple:
    # The values cases.services._party stores, in intake.bulk.PARTY_COLUMNS order.
    return (role, _text(d.get("name")), _text(d.get("phone")), _text(d.get("address")), "", "",
            bool(d.get("anonymous", False)), bool(d.get("wants_reply", True)), "", "")


def _demand(body: dict, requester: dict, respondent: dict) -> str:
    return _text(body.get("demand")) or _text(body.get("title"))


def _getter(field: str) -> Callable[[dict, dict, dict], object]:
    """How checked() reads a field the rule set requires (register_case's names) from an order's body."""
    head, _, rest = field.partition(".")
    if field == "facts":
        return lambda body, requester, respondent: body.get("content")
    if field == "demand":
        return _demand
    if head == "complainant" and rest:
        return lambda body, requester, respondent: requester.get(rest)
    if head == "respondent" and rest:
        return lambda body, requester, respondent: respondent.get(rest)
    return lambda body, requester, respondent: None  # a field an order does not give: register_case names it


class BulkOrders:
    def __init__(self, *, actor: Staff, result, one_row: Callable[[int, dict], None]):
        self.actor, self.result, self.one_row = actor, result, one_row
        self.unit = actor.unit if actor.unit and actor.unit.handles_items else office_unit()
        self.rule_sets = list(RuleSet.objects.filter(family=settings.XIAOBAO_RULE_FAMILY).order_by("effective_from"))
        self._in_force: dict[date, RuleSet] = {}
        self._needs: dict[tuple, tuple] = {}
        self.zone = timezone.get_current_timezone()

    def rule_set(self, day: date) -> RuleSet:
        found = self._in_force.get(day)
        if found is None:
            found = self._in_force[day] = in_force_among(self.rule_sets, day, family=settings.XIAOBAO_RULE_FAMILY)
        return found

    def needs(self, rule_set: RuleSet, kind: str, anonymous: bool) -> tuple:
        """Readers of the fields the rule set requires of the kind (an anonymous report needs no reporter)."""
        key = (rule_set.pk, kind, anonymous)
        found = self._needs.get(key)
        if found is None:
            found = self._needs[key] = tuple(
                _getter(f) for f in rule_set.required_fields(kind)
                if not (f.startswith("complainant.") and anonymous and kind == Kind.REPORT))
        return found

    def checked(self, number: int, body: dict) -> New | None:
        """The row as a new item if receive_order would take it as it stands, else None (the same checks; the
        time of receipt is checked against now at registration). Runs in the reader thread: no database."""
        errors, parsed = services._order_errors(body, self.zone)
        if errors:
            return None
        kind = services.KIND_OF_CATEGORY[_text(body["category"])]
        requester, respondent = body.get("requester") or {}, body.get("respondent") or {}
        anonymous = bool(requester.get("anonymous"))
        if anonymous and kind == Kind.COMPLAINT:
            return None
        day = parsed["received_at"].astimezone(self.zone).date()
        rule_set = self.rule_set(day)
        for get in self.needs(rule_set, kind, anonymous):
            if not _text(get(body, requester, respondent)):
                return None
        if _too_long(requester, respondent, {"external_id": body.get("order_no")}):
            return None
        title = _text(body["title"])
        return New(
            number, body, kind, parsed, rule_set, day,
            complainant=_party("complainant", requester) if requester or kind != Kind.REPORT else None,
            respondent=_party("respondent", respondent) if respondent else None,
            order_no=_text(body["order_no"]), title=title, facts=_text(body["content"]),
            demand=_text(body.get("demand")) or title,
            order_clocks=[(c["name"], c["start"], c["length"], c["unit"], c["basis"], c["due"], False, c["explanation"])
                          for c in services.order_clock_values(parsed["received_at"], parsed["sign_due"],
                                                               parsed["finish_due"], self.zone)])

    def batches(self, rows: Iterable[tuple[int, dict]]) -> Iterator[list[Row]]:
        """At most BATCH rows in which no order number repeats (a repeat waits for the next batch, where it finds
        the item the first registered, as the row path does), each row checked. Runs in the reader thread (the
        bureau's zone made current there, as receive_order reads times in the request's)."""
        rows = iter(rows)
        carried: Row | None = None
        while True:
            batch: list[Row] = [carried] if carried else []
            seen = {carried.order_no} if carried else set()
            carried = None
            with timezone.override(self.zone):
                for number, body in rows:
                    order_no = _text(body.get("order_no"))
                    row = Row(number, body, order_no, self.checked(number, body))
                    if len(batch) >= BATCH or (order_no and order_no in seen):
                        carried = row
                        break
                    batch.append(row)
                    seen.add(order_no)
            if not batch:
                return
            yield batch
            if carried is None:
                return

    def run(self, rows: Iterable[tuple[int, dict]]) -> None:
        """`rows`: (row number, order body), read lazily by the reader thread ahead of the batch being written
        (intake.bulk.ahead: SQLite releases the GIL while it writes)."""
        with import_cache(), closing(ahead(self.batches(rows))) as batches:  # closed on an error: the reader stops
            for batch in batches:
                with transaction.atomic():
                    self.one_batch(batch)

    def one_batch(self, batch: list[Row]) -> None:
        known = set(Order.objects.filter(order_no__in=[r.order_no for r in batch]).values_list("order_no", flat=True))
        latest = timeutil.now() + FUTURE  # register_case: "接收时间不能晚于现在。"
        new: list[New] = []
        for row in batch:
            if row.order_no in known:
                self.result.existing.append(row.order_no)
                continue
            if row.new is not None and row.new.parsed["received_at"] <= latest:
                new.append(row.new)
                continue
            self.one_row(row.number, row.body)  # through receive_order: it registers the row or names its errors
        if new:
            self.register(new)

    def register(self, new: list[New]) -> None:
        """Insert the batch's new items as receive_order would, numbered in row order."""
        needed = Counter((n.kind, n.day.year) for n in new)
        numbers = {(kind, year): iter(reserve("case-" + kind, year, count)) for (kind, year), count in needed.items()}
        now = timeutil.now()
        party_rows, slots = [], []
        for n in new:
            c, r = n.complainant, n.respondent
            slots.append((None if c is None else len(party_rows), None if r is None else len(party_rows) + (c is not None)))
            if c is not None:
                party_rows.append(c)
            if r is not None:
                party_rows.append(r)
        party_ids = Insert(Party, PARTY_COLUMNS, now=now).run(party_rows)
        case_rows, numbered = [], []
        hotline, general, registered = Channel.HOTLINE.value, Tier.GENERAL.value, State.REGISTERED.value
        unit_id, actor_id, actor_unit_id = self.unit.pk, self.actor.pk, self.actor.unit_id
        for n, (c, r) in zip(new, slots, strict=True):
            number = f"{NUMBER_PREFIX[n.kind]}-{n.day.year}-{next(numbers[(n.kind, n.day.year)]):06d}"
            numbered.append(number)
            case_rows.append((
                number, n.kind, hotline, n.parsed["received_at"], n.order_no,
                None if c is None else party_ids[c], None if r is None else party_ids[r], n.facts, n.demand, None,
                "", general, registered, unit_id, actor_id, actor_unit_id, n.rule_set.pk))
        case_ids = Insert(Case, CASE_COLUMNS, now=now).run(case_rows)
        label = Channel.HOTLINE.label
        Insert(Event, EVENT_COLUMNS, now=now).run(
            (case_id, now, actor_id, "register", "", registered, registration_note(label, number),
             {"channel": hotline, "rule_set": n.rule_set.code})
            for n, case_id, number in zip(new, case_ids, numbered, strict=True))
        Insert(Order, ORDER_COLUMNS, now=now).run(
            (case_id, n.order_no, _text(n.body["category"]), n.title, n.parsed["received_at"], n.parsed["sign_due"],
             n.parsed["finish_due"], n.parsed["finish_due"])
            for n, case_id in zip(new, case_ids, strict=True))
        # The clocks register_case starts from the receipt (intake.bulk.ReceiptClocks) and the hotline's two
        # (services._start_clocks), as rows.
        at_receipt = ReceiptClocks()
        clock_rows = []
        for n, case_id in zip(new, case_ids, strict=True):
            clock_rows += at_receipt.rows(case_id, n.kind, n.rule_set, n.day)
            clock_rows += [(case_id, *c) for c in n.order_clocks]
        Insert(Clock, CLOCK_COLUMNS, now=now).run(clock_rows)
        record(actor=self.actor, action="register", obj="hotline:import",
               detail={"channel": hotline, "rows": [new[0].row, new[-1].row], "count": len(case_ids),
                       "cases": [[pk, number, n.order_no] for pk, number, n in zip(case_ids, numbered, new, strict=True)]})
        self.result.created += [n.order_no for n in new]
