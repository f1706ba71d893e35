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

from decimal import Decimal
from typing import Any

from django.db.models import Case as Choose
from django.db.models import CharField, Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncDate

from xiaobao.cases.models import Case, Channel, Event, Kind, Outcome, State
from xiaobao.clocks.models import Clock, ClockName
from xiaobao.handling.models import FollowUp, Supervision
from xiaobao.lib import timeutil
from xiaobao.rules.models import Category
from xiaobao.units.models import Unit, UnitKind

from .periods import BUREAU_ZONE, Month

HANDLING_KINDS = (UnitKind.SECTION, UnitKind.INSPECTION, UnitKind.STATION)
TABLE_KINDS = (UnitKind.OFFICE, *HANDLING_KINDS)
OPEN_STATES = (State.REGISTERED, State.TRIAGE, State.PENDING_APPROVAL, State.ASSIGNED, State.IN_PROGRESS)
MEDIATION_OUTCOMES = (Outcome.MEDIATED, Outcome.MEDIATION_TERMINATED, Outcome.WITHDRAWN)
UNCLASSIFIED = "unclassified"
SATISFIED = (FollowUp.Satisfaction.SATISFIED, FollowUp.Satisfaction.BASIC)

# Events that change which unit holds an item (xiaobao/cases/services.py). A routing that only asks for
# approval (assign → pending_approval) moves nothing; the approval does.
ROUTED = Q(action__in=("assign", "approve"), to_state=State.ASSIGNED)  # data["unit"]: the new holder
BACK_TO_OFFICE = Q(action__in=("submit_for_triage", "return"))  # data["unit"] of a return: who returned it
UNIT_MOVES = ROUTED | BACK_TO_OFFICE
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


def _holder(*, office: str, case_ref: str, before: Q, moves: Q = UNIT_MOVES, prefix: str = "") -> Coalesce:
    """The unit holding the outer item just before a moment: the latest of `moves` matching `before`."""
    last_move = (
        Event.objects.filter(moves, before, case=OuterRef(case_ref))
        .order_by("-at", "-id")
        .annotate(holder=Choose(When(BACK_TO_OFFICE, then=Value(office)), default=KT("data__unit"),
                                output_field=CharField()))
        .values("holder")[:1]
    )
    return Coalesce(Subquery(last_move, output_field=CharField()), _initial_unit(office, prefix))


def _received(month: Month, office: str) -> QuerySet[Case]:
    return (Case.objects.filter(received_at__gte=month.start, received_at__lt=month.end)
            .annotate(holder=_holder(office=office, case_ref="pk", before=Q(at__lt=month.end)))
            .order_by())


def _conclusions(month: Month, office: str) -> QuerySet[Event]:
    # Ties in time are broken by id: one request may route and conclude within the same instant.
    before = Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), id__lt=OuterRef("pk"))
    return (Event.objects.filter(CONCLUSION, at__gte=month.start, at__lt=month.end)
            .annotate(holder=_holder(office=office, case_ref="case", before=before, prefix="case__"),
                      outcome_code=KT("data__outcome"),
                      recovered=Cast(KT("data__amount_recovered"), DecimalField(max_digits=14, decimal_places=2)))
            .order_by())


def _clocks(month: Month, office: str) -> QuerySet[Clock]:
    # A clock counts for the unit it was last routed to: a return does not hand its lateness to 消保股.
    return (Clock.objects.filter(Q(due__range=(month.first_day, month.last_day))
                                 | Q(met_on__range=(month.first_day, month.last_day)))
            .annotate(holder=_holder(office=office, case_ref="case", before=Q(at__lt=month.end), moves=ROUTED,
                                     prefix="case__"))
            .order_by())


def _open_at_end(month: Month, office: str) -> QuerySet[Case]:
    last_state = (Event.objects.filter(case=OuterRef("pk"), at__lt=month.end).exclude(to_state="")
                  .order_by("-at", "-id").values("to_state")[:1])
    # concluded_at is the latest conclusion (a reopening clears it): an item whose latest conclusion came
    # before the month began cannot be open at its end. This only narrows the scan.
    return (Case.objects.filter(received_at__lt=month.end).exclude(concluded_at__lt=month.start)
            .annotate(state_at_end=Subquery(last_state, output_field=CharField()),
                      holder=_holder(office=office, case_ref="pk", before=Q(at__lt=month.end)))
            .filter(state_at_end__in=OPEN_STATES)
            .order_by())


def _in_unit(qs: QuerySet, unit: Unit | None, field: str = "holder") -> QuerySet:
    return qs.filter(**{field: unit.code}) if unit is not None else qs


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
    rows = _in_unit(_received(month, office), unit).values("holder", "kind").annotate(n=Count("id"))
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        out.setdefault(row["holder"], {})[row["kind"]] = row["n"]
    return out


def on_time_rates(month: Month, unit: Unit | None = None, *, office: str | None = None) -> dict[str, dict]:
    """{clock name: due, on_time, late, pending, rate} for the clocks due or met in the month."""
    office = office if office is not None else office_code()
    clocks = _in_unit(_clocks(month, office), unit)
    due_in_month = Q(due__range=(month.first_day, month.last_day))
    today = timeutil.today()
    clock_rows = clocks.values("name").annotate(
        on_time=Count("id", filter=Q(met_on__range=(month.first_day, month.last_day), met_on__lte=F("due"))),
        late=Count("id", filter=due_in_month & (Q(met_on__gt=F("due")) | Q(met_on__isnull=True, due__lt=today))),
        pending=Count("id", filter=due_in_month & Q(met_on__isnull=True, due__gte=today)),
    )
    on_time = {name: {"due": 0, "on_time": 0, "late": 0, "pending": 0, "rate": None} for name in ClockName.values}
    for row in clock_rows:
        due = row["on_time"] + row["late"] + row["pending"]
        on_time[row["name"]] = {"due": due, "on_time": row["on_time"], "late": row["late"],
                                "pending": row["pending"], "rate": _rate(row["on_time"], row["on_time"] + row["late"])}
    return on_time


def conclusions_in_month(month: Month, unit: Unit | None = None) -> QuerySet[Event]:
    """Conclusion events of the month, each with the unit that held the item (`holder`)."""
    return _in_unit(_conclusions(month, office_code()), unit)


def monthly_figures(month: Month, unit: Unit | None = None) -> dict[str, Any]:
    """The month's figures for the bureau, or for one unit (API-v1.md "Statistics")."""
    office = office_code()
    received = _in_unit(_received(month, office), unit)
    matrix = received_by_unit_and_kind(month, unit, office=office)
    by_channel = _counts(received.values("channel").annotate(n=Count("id")), "channel")
    by_category = _counts(received.values("category").annotate(n=Count("id")), "category")

    conclusions = _in_unit(_conclusions(month, office), unit)
    concluded_rows = list(conclusions.values("holder", "outcome_code")
                          .annotate(n=Count("id"), amount=Sum("recovered")))
    by_outcome = _counts(concluded_rows, "outcome_code")

    on_time = on_time_rates(month, unit, office=office)

    returns = _in_unit(Event.objects.filter(action="return", at__gte=month.start, at__lt=month.end)
                       .annotate(from_unit=KT("data__unit")).order_by(), unit, "data__unit")
    returns_by_unit = _counts(returns.values("from_unit").annotate(n=Count("id")), "from_unit")

    open_at_end = _counts(_in_unit(_open_at_end(month, office), unit).values("state_at_end").annotate(n=Count("id")),
                          "state_at_end")

    mediated = sum(by_outcome.get(o, 0) for o in MEDIATION_OUTCOMES)
    complaints = conclusions.filter(case__kind=Kind.COMPLAINT).aggregate(
        total=Count("id"), mediated=Count("id", filter=Q(outcome_code=Outcome.MEDIATED)))
    follow_ups = _in_unit(_follow_ups(month, office), unit).aggregate(
        total=Count("id"), satisfied=Count("id", filter=Q(satisfaction__in=SATISFIED)))
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
        "amount_recovered": str(_money(sum((_money(r["amount"]) for r in concluded_rows), Decimal(0)))),
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
    }


def _follow_ups(month: Month, office: str) -> QuerySet[FollowUp]:
    # A follow-up counts for the unit that held the item when the person was called back.
    return (FollowUp.objects.filter(at__gte=month.start, at__lt=month.end)
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
                amount += _money(r["amount"])
        rows.append({
            "unit": u.code, "name": u.short_name or u.name,
            "received": {**{k: kinds.get(k, 0) for k in Kind.values}, "total": sum(kinds.values())},
            "concluded": {**{o: outcomes.get(o, 0) for o in Outcome.values}, "total": sum(outcomes.values())},
            "amount_recovered": str(_money(amount)),
            "returns": returns.get(u.code, 0),
        })
    return rows


def received_by_kind_series(month: Month, unit: Unit | None = None, *, months: int = 12) -> dict[str, Any]:
    """Items received by kind in each of the `months` months ending with `month` (for the chart)."""
    office = office_code()
    span = month.last_months(months)
    series: dict[str, list[int]] = {k: [] for k in Kind.values}
    for m in span:
        matrix = received_by_unit_and_kind(m, unit, office=office)
        for k in Kind.values:
            series[k].append(sum(kinds.get(k, 0) for kinds in matrix.values()))
    return {"months": [str(m) for m in span], "series": series,
            "labels": dict(Kind.choices)}


def category_names() -> dict[str, str]:
    return {**dict(Category.objects.values_list("code", "name")), UNCLASSIFIED: "未分类"}

