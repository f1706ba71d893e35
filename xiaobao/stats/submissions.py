"""The unit's monthly submission (rules 一.3(3), 二.6): reads and the one write."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, OuterRef, QuerySet, Subquery

from xiaobao.cases.errors import Invalid, NotPermitted
from xiaobao.cases.models import Case
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.units.models import Role, Staff, Unit

from .models import MonthlySubmission, TypicalCase
from .periods import Month
from .queries import conclusions_in_month, monthly_figures

WRITE_UP_MAX = 2000
NOTE_MAX = 2000


def may_submit(user: Staff, unit: Unit) -> bool:
    """A unit's own handlers and leader submit its month; nobody submits for another unit."""
    return (user.is_authenticated and unit.handles_items and user.unit_id == unit.pk
            and user.has_role(Role.HANDLER, Role.UNIT_LEADER))


def concluded_in_month(month: Month, unit: Unit) -> QuerySet[Case]:
    """The unit's items concluded in the month: where its typical cases come from."""
    events = conclusions_in_month(month, unit).values("case")
    return Case.objects.filter(pk__in=events).order_by("concluded_at", "id")


def latest(month: Month, unit: Unit) -> MonthlySubmission | None:
    return (MonthlySubmission.objects.filter(unit=unit, month=str(month))
            .prefetch_related("typical_cases__case").order_by("-version").first())


def current_submissions(month: Month) -> QuerySet[MonthlySubmission]:
    """Each unit's latest version for the month."""
    newest = (MonthlySubmission.objects.filter(unit=OuterRef("unit"), month=str(month))
              .values("unit").annotate(v=Max("version")).values("v"))
    return (MonthlySubmission.objects.filter(month=str(month), version=Subquery(newest))
            .select_related("unit", "submitted_by").order_by("unit__sort", "unit__code"))


def typical_cases_for(month: Month, unit: Unit | None = None) -> QuerySet[TypicalCase]:
    """The typical cases of the current submissions (the bureau's report lists them)."""
    qs = TypicalCase.objects.filter(submission__in=current_submissions(month).values("pk"))
    if unit is not None:
        qs = qs.filter(submission__unit=unit)
    return qs.select_related("submission__unit", "case").order_by("submission__unit__sort", "case__number")


@transaction.atomic
def submit_month(*, actor: Staff, unit: Unit, month: Month, note: str,
                 typical: list[tuple[int, str]]) -> MonthlySubmission:
    """Submit (or resubmit: a new version) the unit's month with the figures as they stand now."""
    if not may_submit(actor, unit):
        raise NotPermitted("只有本单位的承办人或负责人可以上报本单位的月度数据。")
    if month.first_day > timeutil.today():
        raise Invalid([{"field": "month", "message": "不能上报尚未开始的月份。"}])
    note = (note or "").strip()
    errors = []
    if len(note) > NOTE_MAX:
        errors.append({"field": "note", "message": f"说明不能超过{NOTE_MAX}字。"})
    eligible = set(concluded_in_month(month, unit).values_list("pk", flat=True))
    picked: dict[int, str] = {}
    for case_id, write_up in typical:
        write_up = (write_up or "").strip()
        if case_id not in eligible:
            errors.append({"field": "typical", "message": "典型案例只能从本单位当月办结的件中选取。"})
        elif not write_up:
            errors.append({"field": f"write_up_{case_id}", "message": "请为选取的典型案例填写案例简介。"})
        elif len(write_up) > WRITE_UP_MAX:
            errors.append({"field": f"write_up_{case_id}", "message": f"案例简介不能超过{WRITE_UP_MAX}字。"})
        else:
            picked[case_id] = write_up
    if errors:
        raise Invalid(errors)
    # Lock the unit's row so that two people submitting at once get versions n and n+1, not a clash.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    previous = (MonthlySubmission.objects.filter(unit=unit, month=str(month))
                .aggregate(v=Max("version"))["v"] or 0)
    submission = MonthlySubmission.objects.create(
        unit=unit, month=str(month), version=previous + 1, submitted_by=actor, submitted_at=timeutil.now(),
        note=note, figures=monthly_figures(month, unit))
    TypicalCase.objects.bulk_create(TypicalCase(submission=submission, case_id=case_id, write_up=text)
                                    for case_id, text in picked.items())
    record(actor=actor, action="submit_monthly_stats", obj=f"stats:{month}:{unit.code}",
           detail={"version": submission.version, "typical_cases": sorted(picked)})
    return submission
