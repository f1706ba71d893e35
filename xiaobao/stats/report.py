"""The monthly report as a PDF (WeasyPrint), for the bureau or one unit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from xiaobao.cases.models import Channel, Kind, Outcome
from xiaobao.clocks.models import ClockName
from xiaobao.lib import timeutil
from xiaobao.units.models import Unit

from .periods import Month
from .queries import HANDLING_KINDS, category_names
from .submissions import current_submissions, typical_cases_for


def _labelled(values: dict[str, Any], labels: dict[str, str]) -> list[tuple[str, Any]]:
    return [(labels.get(k, k), v) for k, v in values.items()]


def report_context(figures: dict[str, Any], *, period: Month, unit: Unit | None) -> dict[str, Any]:
    submitted = {s.unit_id: s for s in current_submissions(period)}
    units = Unit.objects.filter(kind__in=HANDLING_KINDS, active=True).order_by("sort", "code")
    if unit is not None:
        units = units.filter(pk=unit.pk)
    return {
        "bureau": settings.XIAOBAO_BUREAU_NAME,
        "figures": figures,
        "period": period,
        "unit": unit,
        "printed_at": timeutil.now(),
        "by_kind": _labelled(figures["received"]["by_kind"], dict(Kind.choices)),
        "by_channel": _labelled(figures["received"]["by_channel"], dict(Channel.choices)),
        "by_category": _labelled(figures["received"]["by_category"], category_names()),
        "by_outcome": _labelled(figures["concluded"]["by_outcome"], dict(Outcome.choices)),
        "on_time": _labelled(figures["on_time"], dict(ClockName.choices)),
        "submissions": [(u, submitted.get(u.pk)) for u in units],
        "typical_cases": typical_cases_for(period, unit),
    }


def report_pdf(figures: dict[str, Any], *, period: Month, unit: Unit | None) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which only this download needs.
    from weasyprint import HTML

    html = render_to_string("stats/monthly_report.html", report_context(figures, period=period, unit=unit))
    return HTML(string=html).write_pdf()
