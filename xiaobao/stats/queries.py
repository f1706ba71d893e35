"""Monthly figures, each one aggregate query; no item is loaded into Python.

Reproducibility: a past month must read the same next year. Kind, channel, category and the time of receipt
never change once registered, so they are read from the item. Everything that moves on afterwards is read
from the timeline (Event rows, written once and never changed) as it stood at the moment that matters:
- the unit an item is counted under is the unit holding it at the end of the month (received items) or at
  its conclusion (concluded items): the latest routing event before then, else the unit that registered it;
- the outcome and the money recovered are those written on the conclusion event, not the item's fields;
- the state at the end of the month is the target state of the last event before the month ended.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    DateTimeField,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as Choose
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncDate

from xiaobao.cases.models import ROUTING_ACTIONS, Case, Channel, Event, Kind, Outcome, State
from xiaobao.clocks.models import Clock, ClockName, ClockRun
from xiaobao.handling.models import FollowUp, Supervision
from xiaobao.lib import timeutil
from xiaobao.lib.dbrouter import read_connection
from xiaobao.rewards.models import Reward
from xiaobao.rules.models import Category
from xiaobao.units.models import Unit, UnitKind

from .periods import BUREAU_ZONE, Month

HANDLING_KINDS = (UnitKind.SECTION, UnitKind.INSPECTION, UnitKind.STATION)
TABLE_KINDS = (UnitKind.OFFICE, *HANDLING_KINDS)
OPEN_STATES = (State.REGISTERED, State.TRIAGE, State.PENDING_APPROVAL, State.ASSIGNED, State.IN_PROGRESS,
               State.WITH_BUSINESS)
MEDIATION_OUTCOMES = (Outcome.MEDIATED, Outcome.MEDIATION_TERMINATED, Outcome.WITHDRAWN)
UNCLASSIFIED = "unclassified"
SATISFIED = (FollowUp.Satisfaction.SATISFIED, FollowUp.Satisfaction.BASIC)

# Events that change which unit holds an item (xiaobao/cases/services.py). A routing that only asks for
# approval (assign → pending_approval) moves nothing; the approval does.
ROUTED = Q(action__in=ROUTING_ACTIONS, to_state=State.ASSIGNED)  # data["unit"]: the new holder
BACK_TO_OFFICE = Q(action__in=("submit_for_triage", "return"))  # data["unit"] of a return: who returned it
UNIT_MOVES = ROUTED | BACK_TO_OFFICE
# Both of the above as one plain IN, said again in the holder lookup: PostgreSQL proves the condition of the
# index of moves (stats_event_moves, stats migration 0004) from it, not from the OR of ANDs.
MOVE_ACTIONS = ("assign", "approve", "submit_for_triage", "return")
# The conclusion itself; replies and clock recomputations after it go from concluded to concluded.
CONCLUSION = Q(to_state=State.CONCLUDED) & ~Q(from_state=State.CONCLUDED)


def office_code() -> str:
    return Unit.objects.filter(kind=UnitKind.OFFICE).order_by("sort").values_list("code", flat=True).first() or ""


def _initial_unit(office: str, prefix: str = "") -> Choose:
    # Registration leaves an item with the registering unit if it handles items, else with 消保股
    # (services.register_case); the registration event does not name the unit.
    return Choose(
        When(**{f"{prefix}registering_unit__kind__in": HANDLING_KINDS}, then=F(f"{prefix}registering_unit__code")),
        default=Value(office), output_field=CharField(),
    )


def _initial_unit_lookup(office: str) -> Coalesce:
    """_initial_unit of the outer item as a lookup of its registering unit, made only for the rows that reach it
    (where _initial_unit joins the units to every row)."""
    handling = Unit.objects.filter(pk=OuterRef("registering_unit_id"), kind__in=HANDLING_KINDS).values("code")
    return Coalesce(Subquery(handling[:1], output_field=CharField()), Value(office))


# A day before an item's receipt: no event of the item is older. Receipt is the first thing recorded, and a time
# of receipt may run ahead of the registration by the user's clock (cases.services: up to 5 minutes).
RECEIPT_MARGIN = timedelta(days=1)


def _since_receipt(prefix: str = "") -> Q:
    """On PostgreSQL, the outer item's events bounded below by its receipt (`prefix` leads to the item): the
    timeline is partitioned by year (cases 0020, issue 24), and with this bound PostgreSQL skips, as it runs, every
    year before the item's instead of probing each year's index. On SQLite the bound would only add a date
    function per row to an index search it does not narrow."""
    if connection.vendor != "postgresql":
        return Q()
    return Q(at__gte=ExpressionWrapper(OuterRef(f"{prefix}received_at") - RECEIPT_MARGIN,
                                       output_field=DateTimeField()))


def _holder(*, office: str, case_ref: str, before: Q, moves: Q = UNIT_MOVES, prefix: str = "",
            initial: Coalesce | Choose | None = None) -> Coalesce:
    """The unit holding the outer item just before a moment: the latest of `moves` matching `before`, else
    where registration left it (`initial`, by default _initial_unit). `prefix` leads from the outer row to the
    item ("" when the outer row is the item, "case__" when `case_ref` is its "case")."""
    last_move = (
        Event.objects.filter(moves, before, _since_receipt(prefix), case=OuterRef(case_ref), action__in=MOVE_ACTIONS)
        .order_by("-at", "-id")
        .annotate(holder=Choose(When(BACK_TO_OFFICE, then=Value(office)), default=KT("data__unit"),
                                output_field=CharField()))
        .values("holder")[:1]
    )
    return Coalesce(Subquery(last_move, output_field=CharField()),
                    initial if initial is not None else _initial_unit(office, prefix))


def _narrowed(qs: QuerySet, unit: Unit | None, office: str, item: str = "") -> QuerySet:
    """qs without the items `unit` can never have held (see _ever_held_by), before any holder is looked up;
    the bureau's figures and 消保股's (which holds every item between routings) are not narrowed.

    qs is of items, or of rows whose `item` field is the item's id. Those rows are tested by the id plus
    zero: an expression no index serves, so SQLite still finds them by their time (the month's clocks,
    conclusions, follow-ups) and looks the id up in the lists, instead of reading every row of each of the
    unit's items by `item` (a list that grows with the years). PostgreSQL's plan is the same either way."""
    if unit is None or unit.code == office:
        return qs
    if not item:
        return qs.filter(_ever_held_by(unit))
    return (qs.alias(held_item=ExpressionWrapper(F(item) + 0, output_field=IntegerField()))
            .filter(_ever_held_by(unit, "held_item")))


def _received(month: Month, office: str, unit: Unit | None = None) -> QuerySet[Case]:
    return (_narrowed(Case.objects.filter(received_at__gte=month.start, received_at__lt=month.end), unit, office)
            .annotate(holder=_holder(office=office, case_ref="pk", before=Q(at__lt=month.end)))
            .order_by())


def _conclusions(month: Month, office: str, unit: Unit | None = None) -> QuerySet[Event]:
    # Ties in time are broken by id: one request may route and conclude within the same instant.
    before = Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), id__lt=OuterRef("pk"))
    events = Event.objects.filter(CONCLUSION, at__gte=month.start, at__lt=month.end)
    return (_narrowed(events, unit, office, "case_id")
            .annotate(holder=_holder(office=office, case_ref="case", before=before, prefix="case__"),
                      outcome_code=KT("data__outcome"),
                      recovered=Cast(KT("data__amount_recovered"), DecimalField(max_digits=14, decimal_places=2)))
            .order_by())


def _clocks(month: Month, office: str, unit: Unit | None) -> QuerySet[Clock]:
    """The clocks due or met in the month. For a handling unit only those of items it can have held (the
    holder is found per item by _grouped, see on_time_rates); for 消保股, which cannot be narrowed, all of them
    (on_time_rates keeps those of _office_clock_items)."""
    in_month = Q(due__range=(month.first_day, month.last_day)) | Q(met_on__range=(month.first_day, month.last_day))
    clocks = Clock.objects.filter(in_month).order_by()
    return _narrowed(clocks, unit, office, "case_id")


def _registered_with_office(prefix: str = "") -> Q:
    """Items whose registration left them with 消保股 (_initial_unit is the office): not registered by a unit that
    handles items. The units are a short list; a NOT IN is no index range, so neither database starts from the
    items 消保股 registered (nearly all) to find a few."""
    handling = list(Unit.objects.filter(kind__in=HANDLING_KINDS).values_list("pk", flat=True))
    return ~Q(**{f"{prefix}registering_unit_id__in": handling})


def _clock_holder_of(office: str, month: Month, case_ref: str) -> Coalesce:
    """The unit a clock of the item counts for in the month: the unit the item was last routed to before the
    month's end (a return does not hand its lateness to 消保股), else the one it was registered with."""
    return _holder(office=office, case_ref=case_ref, before=Q(at__lt=month.end), moves=ROUTED)


def _clock_holder(month: Month, office: str, item: RawSQL) -> QuerySet[Case]:
    """_clock_holder_of the item whose id is `item`, as a one-value queryset (for _grouped)."""
    return Case.objects.filter(pk=item).annotate(holder=_clock_holder_of(office, month, "pk")).values("holder").order_by()


def _office_clock_items(month: Month) -> QuerySet[Case]:
    """The items whose clocks are 消保股's in the month (_clock_holder_of, for _grouped's `held_items`), from two
    columns of the item instead of its timeline: registered with 消保股 and not routed before the month's end
    (routing never targets 消保股, see _office_by_month_and_kind)."""
    return Case.objects.filter(_registered_with_office(), Q(routed_at__isnull=True) | Q(routed_at__gte=month.end))


def _open_at_end(month: Month, office: str, unit: Unit | None = None) -> QuerySet[Case]:
    """Candidates with their state at the end of the month (`state_at_end`; open when in OPEN_STATES)."""
    last_state = (Event.objects.filter(_since_receipt(), case=OuterRef("pk"), at__lt=month.end).exclude(to_state="")
                  .order_by("-at", "-id").values("to_state")[:1])
    # concluded_at is the time of the conclusion that ended the latest open period (cases.services._move; a
    # reopening clears it): an item with one before the month's end was concluded at that end, whatever came
    # after. Only the others can be open then — not the month's conclusions, which at ten million items were
    # most of the rows looked up (2.2 of the report's 3.8 s; issue 24). This only narrows the scan (index
    # stats_case_concluded_received, stats migration 0002); the state is still read from the timeline.
    # Spelt as one OR of two index ranges: SQLite picks the receipt-time index for a separate AND term.
    candidates = Case.objects.filter(Q(concluded_at__isnull=True, received_at__lt=month.end)
                                     | Q(concluded_at__gte=month.end, received_at__lt=month.end))
    return (_narrowed(candidates, unit, office)
            .annotate(state_at_end=Subquery(last_state, output_field=CharField()),
                      holder=_holder(office=office, case_ref="pk", before=Q(at__lt=month.end)))
            .order_by())


def _in_unit(qs: QuerySet, unit: Unit | None, field: str = "holder") -> QuerySet:
    return qs.filter(**{field: unit.code}) if unit is not None else qs


def _grouped(qs: QuerySet, keys: tuple[str, ...], unit: Unit | None, *, sums: tuple[str, ...] = (),
             where: tuple[str, list] | None = None,
             item_holder: Callable[[RawSQL], QuerySet] | None = None,
             held_items: QuerySet[Case] | None = None) -> list[dict]:
    """SELECT keys, COUNT(*) AS n, SUM(each of sums) FROM (qs) [WHERE holder = unit] GROUP BY keys.

    Grouping on a correlated subquery (`holder`, `state_at_end`) in one SELECT makes SQLite evaluate it once
    for the WHERE, once for the column and once for the GROUP BY, and SQLite flattens a plain derived table
    back into that; a MATERIALIZED common table expression (SQLite 3.35+, PostgreSQL 12+) runs it once a row.
    Every key and sum must be a column or annotation of qs; `holder` is only computed when it is asked for.

    With `item_holder` (given the item's id as SQL, a one-value queryset of the unit the rows of that item
    count for), the holder is found once per item of qs (its `case_id`), not once per row, and as a
    correlated subquery on those items alone: PostgreSQL otherwise joins the items by a scan of the whole
    table when it overestimates how many there are.

    With `held_items` (the items whose rows count, as a filter of all items), only the rows of those items
    count, looked up by id among the rows' items alone (on PostgreSQL as an array, so it reads them off the
    primary key instead of joining the whole table). The rows need a `case_id`, which is not a key."""
    q = connection.ops.quote_name
    per_item = unit is not None and item_holder is not None
    columns = [*keys, *sums, *(["case_id"] if per_item or held_items is not None
                               else ["holder"] if unit is not None and "holder" not in keys else [])]
    inner, params = qs.values(*columns).query.sql_with_params()
    params = list(params)
    # Our own identifiers throughout; values are parameters.
    ctes, source = [f"{q('t')} AS MATERIALIZED ({inner})"], q("t")
    if per_item:
        item = f"{q('i')}.{q('case_id')}"
        holder, holder_params = item_holder(RawSQL(item, ())).query.sql_with_params()  # noqa: S611
        ctes.append(f"{q('h')} AS MATERIALIZED (SELECT {item}, ({holder}) AS {q('holder')} "  # noqa: S608
                    f"FROM (SELECT DISTINCT {q('case_id')} FROM {q('t')}) {q('i')})")
        params += holder_params
        source = f"{q('t')} INNER JOIN {q('h')} ON {q('h')}.{q('case_id')} = {q('t')}.{q('case_id')}"
    conditions = []
    if held_items is not None:
        item_id = f"{q(Case._meta.db_table)}.{q('id')}"
        among = (f"{item_id} = ANY(ARRAY(SELECT DISTINCT {q('case_id')} FROM {q('t')}))"  # noqa: S608
                 if connection.vendor == "postgresql" else f"{item_id} IN (SELECT {q('case_id')} FROM {q('t')})")  # noqa: S608
        held, held_params = (held_items.filter(RawSQL(among, (), output_field=BooleanField()))  # noqa: S611
                             .values("pk").order_by().query.sql_with_params())
        conditions.append(f"{q('case_id')} IN ({held})")
        params += held_params
    if unit is not None:
        conditions.append(f"{q('holder')} = %s")
        params.append(unit.code)
    if where is not None:
        conditions.append(where[0])
        params += where[1]
    select = ", ".join([*(q(k) for k in keys), "COUNT(*)", *(f"SUM({q(c)})" for c in sums)])
    sql = f"WITH {', '.join(ctes)} SELECT {select} FROM {source}"  # noqa: S608
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    if keys:
        sql += " GROUP BY " + ", ".join(q(k) for k in keys)
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        names = [*keys, "n", *sums]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _money(value: Decimal | float | int | None) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _counts(rows, key: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in rows:
        out[row[key]] = out.get(row[key], 0) + row["n"]
    return out


def received_by_unit_and_kind(month: Month, unit: Unit | None = None, *, office: str | None = None) -> dict:
    """{unit code: {kind: n}} of the items received in the month."""
    office = office if office is not None else office_code()
    rows = _grouped(_received(month, office, unit), ("holder", "kind"), unit)
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        out.setdefault(row["holder"], {})[row["kind"]] = row["n"]
    return out


def _runs(month: Month) -> QuerySet[ClockRun]:
    # A superseded run counts for the unit it ran for (ClockRun.for_unit, kept when it was superseded).
    return (ClockRun.objects.filter(Q(due__range=(month.first_day, month.last_day))
                                    | Q(met_on__range=(month.first_day, month.last_day)))
            .annotate(holder=F("for_unit__code")).order_by())


def _flags(**conditions: Q) -> dict[str, Choose]:
    return {name: Choose(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
            for name, condition in conditions.items()}


# Clocks that are not the holding unit's work (issue 17, point 6): routing is 消保股's own (rules 二.1) whoever the
# item went to, and so is an approval, which 消保股 supervises for the leadership (rules 一.1(3); the approvers
# are no handling unit): each counts for 消保股 alone, so that every clock counts for exactly one unit.
OFFICE_CLOCKS = ("routing", "approval")
NOT_THE_HOLDERS = OFFICE_CLOCKS


def on_time_rates(month: Month, unit: Unit | None = None, *, office: str | None = None) -> dict[str, dict]:
    """{clock name: due, on_time, late, pending, rate} for the clocks due or met in the month.

    Runs superseded by a restart (re-routing, a new sign-off, reopening; xiaobao.clocks.models.ClockRun)
    count as what they were, so a past month never changes (DOMAIN.md "Statistics"): a run met before it
    was superseded is on time or late like any clock; a run still open when superseded after its due date
    had passed was late in the month it fell due; a run superseded while still within its time was neither
    met nor missed — the period was replaced — and is not counted at all (not even as pending)."""
    office = office if office is not None else office_code()
    met_in_time = Q(met_on__range=(month.first_day, month.last_day), met_on__lte=F("due"))
    due_in_month = Q(due__range=(month.first_day, month.last_day))
    today = timeutil.today()
    flags = ("on_time", "late", "pending")
    clocks = _clocks(month, office, unit).annotate(**_flags(
        on_time=met_in_time,
        late=due_in_month & (Q(met_on__gt=F("due")) | Q(met_on__isnull=True, due__lt=today)),
        pending=due_in_month & Q(met_on__isnull=True, due__gte=today)))
    runs = _runs(month).annotate(**_flags(
        on_time=met_in_time,
        late=due_in_month & (Q(met_on__gt=F("due")) | Q(met_on__isnull=True, due__lt=F("superseded_on")))),
        pending=Value(0, output_field=IntegerField()))
    if unit is None:  # the bureau's: no holder at all
        rows = _grouped(clocks, ("name",), None, sums=flags)
    elif unit.code == office:
        rows = _grouped(clocks.exclude(name__in=NOT_THE_HOLDERS), ("name",), None, sums=flags,
                        held_items=_office_clock_items(month))
        rows += _grouped(clocks.filter(name__in=OFFICE_CLOCKS), ("name",), None, sums=flags)
    else:
        rows = _grouped(clocks.exclude(name__in=NOT_THE_HOLDERS), ("name",), unit, sums=flags,
                        item_holder=lambda item: _clock_holder(month, office, item))
    if unit is None:
        rows += _grouped(runs, ("name",), None, sums=flags)
    else:
        rows += _grouped(runs.exclude(name__in=OFFICE_CLOCKS), ("name",), unit, sums=flags)
        if unit.code == office:
            rows += _grouped(runs.filter(name__in=OFFICE_CLOCKS), ("name",), None, sums=flags)
    counts = {name: {"on_time": 0, "late": 0, "pending": 0} for name in ClockName.values}
    for row in rows:
        for key in flags:
            counts[row["name"]][key] += row[key] or 0
    on_time = {}
    for name, c in counts.items():
        on_time[name] = {"due": c["on_time"] + c["late"] + c["pending"], **c,
                         "rate": _rate(c["on_time"], c["on_time"] + c["late"])}
    return on_time


def conclusions_in_month(month: Month, unit: Unit | None = None) -> QuerySet[Event]:
    """Conclusion events of the month, each with the unit that held the item (`holder`)."""
    return _in_unit(_conclusions(month, office_code(), unit), unit)


def received_by_category(month: Month, unit: Unit | None = None) -> list[dict]:
    """[{category, n}] of the items received in the month (a unit's: those it held at the month's end)."""
    return _grouped(_received(month, office_code(), unit), ("category",), unit)


# Blocks an app built on the statistics adds to the month's figures under its own key, for the same month and
# unit: xiaobao.odr adds "odr" (API-v1.md "ODR businesses"). Registered from the app's ready(), since the
# statistics import none of the apps above them (pyproject.toml, the acyclic contract).
BLOCKS: dict[str, Callable[[Month, Unit | None], dict[str, Any]]] = {}


def add_block(key: str, compute: Callable[[Month, Unit | None], dict[str, Any]]) -> None:
    BLOCKS[key] = compute


def monthly_figures(month: Month, unit: Unit | None = None) -> dict[str, Any]:
    """The month's figures for the bureau, or for one unit (API-v1.md "Statistics")."""
    office = office_code()
    # One pass over the month's items and one over its conclusions; everything else is summed from those
    # rows in Python (a few hundred at most: units × kinds × channels × categories).
    received_rows = _grouped(_received(month, office, unit), ("holder", "kind", "channel", "category"), unit)
    matrix: dict[str, dict[str, int]] = {}
    for row in received_rows:
        kinds = matrix.setdefault(row["holder"], {})
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + row["n"]
    by_channel = _counts(received_rows, "channel")
    by_category = _counts(received_rows, "category")

    concluded_rows = _grouped(_conclusions(month, office, unit).annotate(case_kind=F("case__kind")),
                              ("holder", "outcome_code", "case_kind"), unit, sums=("recovered",))
    by_outcome = _counts(concluded_rows, "outcome_code")

    on_time = on_time_rates(month, unit, office=office)

    returns = _in_unit(Event.objects.filter(action="return", at__gte=month.start, at__lt=month.end)
                       .annotate(from_unit=KT("data__unit")).order_by(), unit, "data__unit")
    returns_by_unit = _counts(returns.values("from_unit").annotate(n=Count("id")), "from_unit")

    marks = ", ".join(["%s"] * len(OPEN_STATES))
    open_at_end = _counts(_grouped(_open_at_end(month, office, unit), ("state_at_end",), unit,
                                   where=(f"{connection.ops.quote_name('state_at_end')} IN ({marks})",
                                          list(OPEN_STATES))), "state_at_end")

    mediated = sum(by_outcome.get(o, 0) for o in MEDIATION_OUTCOMES)
    complaint_rows = [r for r in concluded_rows if r["case_kind"] == Kind.COMPLAINT]
    complaints = {"total": sum(r["n"] for r in complaint_rows),
                  "mediated": sum(r["n"] for r in complaint_rows if r["outcome_code"] == Outcome.MEDIATED)}
    follow_ups = _in_unit(_follow_ups(month, office, unit), unit).aggregate(
        total=Count("id"), satisfied=Count("id", filter=Q(satisfaction__in=SATISFIED)))
    results = _follow_up_results(month, office, unit, complaint_rows)
    first_contact = on_time[ClockName.FIRST_CONTACT]
    supervision = _supervision(month, unit)
    by_unit_received = {code: sum(kinds.values()) for code, kinds in matrix.items()}
    return {
        "month": str(month),
        "unit": unit.code if unit else None,
        "unit_name": unit.name if unit else None,
        "period": {"start": month.first_day.isoformat(), "end": month.last_day.isoformat()},
        "received": {
            "total": sum(by_unit_received.values()),
            "by_kind": {k: sum(kinds.get(k, 0) for kinds in matrix.values()) for k in Kind.values},
            "by_channel": {c: by_channel.get(c, 0) for c in Channel.values},
            "by_category": {(code or UNCLASSIFIED): n for code, n in sorted(by_category.items())},
            "by_unit": dict(sorted(by_unit_received.items())),
        },
        "concluded": {
            "total": sum(by_outcome.values()),
            "by_outcome": {o: by_outcome.get(o, 0) for o in Outcome.values},
        },
        "on_time": on_time,
        "mediation_success_rate": _rate(by_outcome.get(Outcome.MEDIATED, 0), mediated),
        "amount_recovered": str(_money(sum((_money(r["recovered"]) for r in concluded_rows), Decimal(0)))),
        "returns_by_unit": dict(sorted(returns_by_unit.items())),
        "open_at_month_end": {"total": sum(open_at_end.values()),
                              "by_state": {s: open_at_end.get(s, 0) for s in OPEN_STATES}},
        "units": _unit_rows(unit, matrix, concluded_rows, returns_by_unit),
        # 回访 (DOMAIN.md "Statistics"): the three rates the bureau reports, with what they are made of.
        "response_rate": _rate(first_contact["on_time"], first_contact["on_time"] + first_contact["late"]),
        "resolution_rate": _rate(complaints["mediated"], complaints["total"]),
        "satisfaction_rate": _rate(follow_ups["satisfied"], follow_ups["total"]),
        "follow_ups": {"total": follow_ups["total"], "satisfied_or_basic": follow_ups["satisfied"]},
        "complaints_concluded": {"total": complaints["total"], "mediated": complaints["mediated"]},
        "supervision": supervision,
        "follow_up_results": results,
        "rewards": rewards_in_month(month, unit),
        **{key: compute(month, unit) for key, compute in BLOCKS.items()},
    }


def rewards_in_month(month: Month, unit: Unit | None = None) -> dict[str, Any]:
    """举报奖励 in the month as counts and sums only (issue 23, point 5: nothing of a reward in statistics beyond
    counts and sums): rewards assessed, paid and the amount paid, lapsed. The dates counted are written once; a
    unit's figures are those of the items it handles (a filed report with its penalty decided stays with its
    unit)."""
    qs = Reward.objects.order_by()
    if unit is not None:
        qs = qs.filter(case__unit=unit)
    first, last = month.first_day, month.last_day
    row = qs.aggregate(
        assessed=Count("id", filter=Q(created_at__gte=month.start, created_at__lt=month.end)),
        paid=Count("id", filter=Q(paid_on__gte=first, paid_on__lte=last)),
        amount_paid=Sum("amount", filter=Q(paid_on__gte=first, paid_on__lte=last)),
        lapsed=Count("id", filter=Q(lapsed_on__gte=first, lapsed_on__lte=last)),
    )
    return {"assessed": row["assessed"], "paid": row["paid"], "amount_paid": str(_money(row["amount_paid"])),
            "lapsed": row["lapsed"]}


def follow_up_results(month: Month, unit: Unit | None = None) -> dict[str, Any]:
    """回访问效 alone (the dashboard's chart), without the rest of the month's figures."""
    office = office_code()
    rows = _grouped(_conclusions(month, office, unit).annotate(case_kind=F("case__kind")), ("holder", "case_kind"),
                    unit)
    return _follow_up_results(month, office, unit, [r for r in rows if r["case_kind"] == Kind.COMPLAINT])


def _follow_up_counts(rows: list[dict]) -> dict[str, Any]:
    total = sum(r["n"] for r in rows)
    resolved = sum(r["resolved"] for r in rows)
    satisfied = sum(r["satisfied"] for r in rows)
    return {"total": total, "resolved": resolved, "satisfied_or_basic": satisfied,
            "resolved_rate": _rate(resolved, total), "satisfaction_rate": _rate(satisfied, total)}


def _follow_up_results(month: Month, office: str, unit: Unit | None, complaint_rows: list[dict]) -> dict[str, Any]:
    """回访问效 per unit (issue 20.4): complaints the unit concluded in the month, the unit's own follow-ups and
    消保股's checks of them, each with 是否解决 and satisfaction. A follow-up counts for the unit that held the
    item when the consumer was called."""
    rows = list(_in_unit(_follow_ups(month, office, unit), unit).values("holder", "office_check").annotate(
        n=Count("id"), resolved=Count("id", filter=Q(resolved=True)),
        satisfied=Count("id", filter=Q(satisfaction__in=SATISFIED))))
    concluded: dict[str, int] = {}
    for r in complaint_rows:
        concluded[r["holder"]] = concluded.get(r["holder"], 0) + r["n"]
    codes = sorted({r["holder"] for r in rows} | set(concluded), key=lambda c: c or "")
    by_unit = {}
    for code in codes:
        if code in (None, office):
            continue
        own = _follow_up_counts([r for r in rows if r["holder"] == code and not r["office_check"]])
        checks = _follow_up_counts([r for r in rows if r["holder"] == code and r["office_check"]])
        n = concluded.get(code, 0)
        by_unit[code] = {"complaints_concluded": n, "followed_up": own, "checked": checks,
                         "follow_up_share": _rate(min(own["total"], n), n)}
    return {"by_unit": by_unit,
            "followed_up": _follow_up_counts([r for r in rows if not r["office_check"]]),
            "checked": _follow_up_counts([r for r in rows if r["office_check"]])}


def _follow_ups(month: Month, office: str, unit: Unit | None = None) -> QuerySet[FollowUp]:
    # A follow-up counts for the unit that held the item when the person was called back.
    return (_narrowed(FollowUp.objects.filter(at__gte=month.start, at__lt=month.end), unit, office, "case_id")
            .annotate(holder=_holder(office=office, case_ref="case", before=Q(at__lt=OuterRef("at")),
                                     prefix="case__"))
            .order_by())


def _supervision(month: Month, unit: Unit | None) -> dict[str, Any]:
    """督办 issued to each unit in the month, and answers given in the month (on time: by the due date)."""
    qs = Supervision.objects.filter(Q(issued_at__gte=month.start, issued_at__lt=month.end)
                                    | Q(answered_at__gte=month.start, answered_at__lt=month.end)).order_by()
    if unit is not None:
        qs = qs.filter(unit=unit)
    answered = Q(answered_at__gte=month.start, answered_at__lt=month.end)
    rows = qs.annotate(answered_on=TruncDate("answered_at", tzinfo=BUREAU_ZONE)).values("unit__code").annotate(
        issued=Count("id", filter=Q(issued_at__gte=month.start, issued_at__lt=month.end)),
        answered=Count("id", filter=answered),
        # answered_at is an instant; the due date is a day in the bureau's zone.
        answered_late=Count("id", filter=answered & Q(answered_on__gt=F("due"))),
    )
    by_unit = {r["unit__code"]: {"issued": r["issued"], "answered": r["answered"],
                                 "answered_on_time": r["answered"] - r["answered_late"]} for r in rows}
    return {
        "issued": sum(u["issued"] for u in by_unit.values()),
        "answered": sum(u["answered"] for u in by_unit.values()),
        "answered_on_time": sum(u["answered_on_time"] for u in by_unit.values()),
        "by_unit": dict(sorted(by_unit.items())),
    }


def _unit_rows(unit: Unit | None, matrix: dict, concluded_rows: list[dict], returns: dict) -> list[dict]:
    """One row per unit for the statistics table: every unit that handles items (and 消保股), in the
    bureau's order, even with nothing to count; a unit's own figures have one row."""
    if unit is not None:
        units = [unit]
    else:
        units = list(Unit.objects.filter(Q(kind__in=TABLE_KINDS, active=True) | Q(code__in=[
            *matrix, *returns, *(r["holder"] for r in concluded_rows)])).order_by("sort", "code"))
    rows = []
    for u in units:
        kinds = matrix.get(u.code, {})
        outcomes: dict[str, int] = {}
        amount = Decimal(0)
        for r in concluded_rows:
            if r["holder"] == u.code:
                outcomes[r["outcome_code"]] = outcomes.get(r["outcome_code"], 0) + r["n"]
                amount += _money(r["recovered"])
        rows.append({
            "unit": u.code, "name": u.short_name or u.name,
            "received": {**{k: kinds.get(k, 0) for k in Kind.values}, "total": sum(kinds.values())},
            "concluded": {**{o: outcomes.get(o, 0) for o in Outcome.values}, "total": sum(outcomes.values())},
            "amount_recovered": str(_money(amount)),
            "returns": returns.get(u.code, 0),
        })
    return rows


def _month_of(span: list[Month], *, field: str = "received_at", ends: bool = False) -> Choose:
    """The month of `field` among `span` (oldest first) as "YYYY-MM", or as the month's end (exclusive) —
    plain comparisons, where truncating a timestamp in the bureau's zone costs a function call per row."""
    whens = [When(**{f"{field}__lt": m.end}, then=Value(m.end if ends else str(m))) for m in span]
    return Choose(*whens, default=Value(None), output_field=DateTimeField() if ends else CharField())


def _ever_held_by(unit: Unit, item: str = "") -> Q:
    """A superset of the items `unit` (not 消保股) ever held, cheap to test, so the holder subquery runs for a
    fraction of the items. Only registration, submit_for_triage, assign/approve and return change
    Case.unit (xiaobao/cases/services.py), and only a return takes an item away from a handling unit after
    routing (submit_for_triage does so from the registering unit): an item the unit held is at it now, was
    registered by it, or was returned at least once.

    On items, a test of their columns; on other rows, of their `item` (the item's id) against three lists,
    each read once off an index and hashed (a join to the items made PostgreSQL read the whole table)."""
    returned = Event.objects.filter(action="return").values("case_id").order_by()
    if not item:
        return Q(unit=unit) | Q(registering_unit=unit) | Q(pk__in=returned)
    at_unit = Case.objects.filter(unit=unit).values("pk").order_by()
    registered = Case.objects.filter(registering_unit=unit).values("pk").order_by()
    return (Q(**{f"{item}__in": at_unit}) | Q(**{f"{item}__in": registered})
            | Q(**{f"{item}__in": returned}))


def received_by_month_and_kind(month: Month, unit: Unit | None = None, *, months: int = 12,
                               office: str | None = None) -> dict[tuple[str, str], int]:
    """{("YYYY-MM", kind): n} for the `months` months ending with `month`, in one query (消保股's: one a month);
    for a unit, each item counts where it was held at the end of the month it was received in (as in the
    monthly figures)."""
    span = month.last_months(months)
    if unit is not None:
        office = office if office is not None else office_code()
        if unit.code == office:
            return _office_by_month_and_kind(span, unit, office)
    items = (Case.objects.filter(received_at__gte=span[0].start, received_at__lt=month.end)
             .annotate(m=_month_of(span)).order_by())
    if unit is not None:
        items = _narrowed(items, unit, office).annotate(
            month_end=_month_of(span, ends=True),
            holder=_holder(office=office, case_ref="pk", before=Q(at__lt=OuterRef("month_end"))))
    return {(r["m"], r["kind"]): r["n"] for r in _grouped(items, ("m", "kind"), unit)}


def _office_by_month_and_kind(span: list[Month], unit: Unit, office: str) -> dict[tuple[str, str], int]:
    """received_by_month_and_kind for 消保股 (`unit`), which holds every item until it is routed: _narrowed
    leaves it every item (~330k a year at 1M), so no per-item search of the timeline can be afforded.

    Only registration, submit_for_triage (from `registered` only, so before any routing), a routing (to a
    unit that handles items, never 消保股: `assign` refuses the others) and a return move an item
    (xiaobao/cases/services.py). So an item never returned (Case.returns_count) was 消保股's at the end of its
    month exactly when it was not routed before then (Case.routed_at, the first routing) and it was registered
    with 消保股 or submitted to it before then. The last is the only probe of the timeline, and only for items
    a handling unit registered that were routed since or are at 消保股 now: one never routed nor returned that is
    elsewhere was never submitted. A returned item (few) has its holder looked up as any unit's.

    One aggregate per month, its end a constant: one query over the year grouped by month had SQLite sort
    ~330k rows (~250 ms at 1M) to count them; per month, each kind is a sum of the month's rows."""
    kinds = {k: Count("pk", filter=Q(kind=k)) for k in Kind.values}
    counts: dict[tuple[str, str], int] = {}
    registered_with_office = _registered_with_office()
    # An item is submitted at most once (from `registered`). A scalar subquery, not EXISTS: PostgreSQL turned the
    # EXISTS into one hash of every submission before the month's end, built for each month (1.5 s a year).
    submitted_at = Subquery(Event.objects.filter(_since_receipt(), action="submit_for_triage", case=OuterRef("pk"))
                            .order_by().values("at")[:1], output_field=DateTimeField())
    for m in span:
        # Each OR and AND tries the cheap columns first; both databases skip the probe when those decide it.
        held_if_never_returned = (
            Q(returns_count=0)
            & (Q(routed_at__isnull=True) | Q(routed_at__gte=m.end))
            & (registered_with_office | ((Q(routed_at__isnull=False) | Q(unit=unit)) & Q(submitted_at__lt=m.end))))
        held_if_returned = Q(returns_count__gt=0, timeline_holder=unit.code)
        row = (Case.objects.filter(received_at__gte=m.start, received_at__lt=m.end)
               .alias(submitted_at=submitted_at,
                      timeline_holder=_holder(office=office, case_ref="pk", before=Q(at__lt=m.end),
                                              initial=_initial_unit_lookup(office)))
               .filter(held_if_never_returned | held_if_returned).order_by().aggregate(**kinds))
        counts.update({(str(m), k): n for k, n in row.items() if n})
    return counts


def received_by_kind_series(month: Month, unit: Unit | None = None, *, months: int = 12) -> dict[str, Any]:
    """Items received by kind in each of the `months` months ending with `month` (for the chart)."""
    span = month.last_months(months)
    counts = received_by_month_and_kind(month, unit, months=months)
    series = {k: [counts.get((str(m), k), 0) for m in span] for k in Kind.values}
    return {"months": [str(m) for m in span], "series": series, "labels": dict(Kind.choices)}


def category_names() -> dict[str, str]:
    return {**dict(Category.objects.values_list("code", "name")), UNCLASSIFIED: "未分类"}

