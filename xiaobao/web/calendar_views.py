"""The working-day calendar page for administrators: a year's holidays and make-up working days, and
publishing a year from the State Council's notice (DOMAIN.md, "Legal clocks"). The page stores the calendar in
the request (xiaobao.clocks.publishing.publish_calendar) and queues the recomputation of the clocks reaching
into the year (xiaobao.cases.tasks), whose progress it polls; PUT /api/v1/calendar/{year} does both in the
request (publish_year), as its response reports the number recomputed."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET

from xiaobao.cases.tasks import enqueue_recompute
from xiaobao.clocks.calendar import get_calendar, unpublished_horizon_warning
from xiaobao.clocks.models import CalendarDay, CalendarYear, DayKind
from xiaobao.clocks.publishing import CalendarInputError, publish_calendar
from xiaobao.lib import timeutil
from xiaobao.units.models import Role

WEEKDAYS = "一二三四五六日"
FIELD_LABELS = {"holidays": "节假日", "workdays": "调休上班日", "year": "年份"}


def _require_admin(request: HttpRequest) -> None:
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以管理工作日历。")


def _dates(text: str) -> list[str]:
    """One date a line; commas, spaces and Chinese commas are accepted as separators too."""
    return [t for t in re.split(r"[\s,，、;；]+", text or "") if t]


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        # Where an administrator most likely wants to go: this year, or the next one once this is published.
        year = timeutil.today().year
        if CalendarYear.objects.filter(year=year, published=True).exists():
            year += 1
    return year


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    year = _year(request)
    errors: list[str] = []
    form = None
    if request.method == "POST":
        form = {"holidays": request.POST.get("holidays", ""), "workdays": request.POST.get("workdays", ""),
                "source": request.POST.get("source", "").strip() or "国务院办公厅放假安排通知"}
        try:
            result = publish_calendar(year=year, holidays=_dates(form["holidays"]),
                                      workdays=_dates(form["workdays"]), actor=request.user, source=form["source"])
        except CalendarInputError as exc:
            errors = [f"{FIELD_LABELS.get(e['field'].split('[')[0], e['field'])}：{e['message']}" for e in exc.errors]
        else:
            # The calendar is committed (the view is not atomic), so the worker finds it.
            enqueue_recompute(year=year, actor=request.user)
            cy = CalendarYear.objects.get(year=year)
            recomputed = (f"重新计算了 {cy.recompute_total} 件的期限。" if cy.recompute_status == cy.Recompute.DONE
                          else "受影响的期限正在后台重新计算，进度见本页。")
            messages.success(request, f"已发布 {year} 年工作日历：节假日 {len(result['holidays'])} 天，调休上班 "
                                      f"{len(result['workdays'])} 天；{recomputed}")
            return redirect(f"{request.path}?year={year}")
    return render(request, "web/calendar.html", _context(year, form, errors), status=422 if errors else 200)


@login_required
@require_GET
def recompute_progress(request: HttpRequest, year: int) -> HttpResponse:
    """The progress fragment of the year's recomputation, polled by the calendar page while it runs."""
    _require_admin(request)
    cy = get_object_or_404(CalendarYear, year=year)
    return render(request, "web/_calendar_recompute.html", {"recompute": _recompute(cy)})


def _recompute(cy: CalendarYear | None) -> dict | None:
    if cy is None or not cy.recompute_status:
        return None
    return {"year": cy.year, "status": cy.recompute_status, "running": cy.recomputing,
            "label": cy.get_recompute_status_display(), "done": cy.recompute_done, "total": cy.recompute_total,
            "done_text": f"{cy.recompute_done:,}", "total_text": f"{cy.recompute_total:,}",
            "finished_at": cy.recompute_finished_at, "message": cy.recompute_message,
            "stalled": cy.recompute_stalled}


def _context(year: int, form: dict | None, errors: list[str]) -> dict:
    cy = CalendarYear.objects.filter(year=year).first()
    days = list(CalendarDay.objects.filter(date__year=year).order_by("date"))
    rows = [{"date": d.date, "weekday": WEEKDAYS[d.date.weekday()], "kind": d.get_kind_display(),
             "makeup": d.kind == DayKind.MAKEUP, "name": d.name} for d in days]
    cal = get_calendar()
    first, last = date(year, 1, 1), date(year, 12, 31)
    workdays = cal.workdays_between(first - timedelta(days=1), last) if cal.first < first and last <= cal.last \
        else None
    if form is None:
        form = {"holidays": "\n".join(d.date.isoformat() for d in days if d.kind == DayKind.HOLIDAY),
                "workdays": "\n".join(d.date.isoformat() for d in days if d.kind == DayKind.MAKEUP),
                "source": "国务院办公厅放假安排通知"}
    published_years = list(CalendarYear.objects.filter(published=True).values_list("year", flat=True))
    top = max(published_years, default=timeutil.today().year)
    return {
        "year": year, "calendar_year": cy, "published": bool(cy and cy.published), "rows": rows,
        "workdays_in_year": workdays, "form": form, "errors": errors,
        "years": sorted(set(published_years[-4:]) | {top + 1, year}),
        "warning": unpublished_horizon_warning(), "recompute": _recompute(cy),
    }


urlpatterns = [
    path("calendar/", calendar_page, name="calendar"),
    path("calendar/<int:year>/recompute/", recompute_progress, name="calendar_recompute"),
]
