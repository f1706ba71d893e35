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
from xiaobao.clocks.workdays import estimated_holiday_name, estimated_workday
from xiaobao.lib import timeutil
from xiaobao.units.models import Role

WEEKDAYS = "一二三四五六日"
FIELD_LABELS = {"holidays": "节假日", "workdays": "调休上班日", "year": "年份"}


def _require_admin(request: HttpRequest) -> None:
    if not request.user.has_role(Role.ADMIN):
        raise PermissionDenied("只有系统管理员可以管理工作日历。")


RANGE_SEPARATOR = re.compile(r"\s*(?:~|～|至|到|—|–)\s*")
MAX_RANGE_DAYS = 31


def _dates(text: str, field: str, errors: list[str]) -> list[str]:
    """One date a line; commas, spaces and Chinese commas are accepted as separators too. A range
    "2027-02-05~2027-02-11" (or 至, 到, —) stands for every day from the first to the last."""
    out: list[str] = []
    for token in re.split(r"[\s,，、;；]+", RANGE_SEPARATOR.sub("~", text or "")):
        if "~" not in token:
            if token:
                out.append(token)
            continue
        first, _, last = token.partition("~")
        try:
            start, end = date.fromisoformat(first), date.fromisoformat(last)
        except ValueError:
            errors.append(f"{FIELD_LABELS[field]}：日期范围“{token}”格式不正确，应为 YYYY-MM-DD~YYYY-MM-DD。")
            continue
        if not 0 <= (end - start).days < MAX_RANGE_DAYS:
            errors.append(f"{FIELD_LABELS[field]}：日期范围“{token}”的起日应不晚于止日，且不超过 {MAX_RANGE_DAYS} 天。")
            continue
        out.extend((start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1))
    return out


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
        holidays, workdays = _dates(form["holidays"], "holidays", errors), _dates(form["workdays"], "workdays", errors)
        try:
            if errors:
                raise CalendarInputError([])
            result = publish_calendar(year=year, holidays=holidays, workdays=workdays, actor=request.user,
                                      source=form["source"])
        except CalendarInputError as exc:
            errors += [f"{FIELD_LABELS.get(e['field'].split('[')[0], e['field'])}：{e['message']}" for e in exc.errors]
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
    estimate = [] if year in published_years else [
        {"date": d, "weekday": WEEKDAYS[d.weekday()], "name": estimated_holiday_name(d)}
        for d in (first + timedelta(days=i) for i in range((last - first).days + 1)) if not estimated_workday(d)
        and d.weekday() < 5]
    return {
        "year": year, "calendar_year": cy, "published": bool(cy and cy.published), "rows": rows,
        "workdays_in_year": workdays, "form": form, "errors": errors,
        "years": sorted(set(published_years[-4:]) | {top + 1, year}),
        "warning": unpublished_horizon_warning(), "recompute": _recompute(cy), "estimate": estimate,
    }


urlpatterns = [
    path("calendar/", calendar_page, name="calendar"),
    path("calendar/<int:year>/recompute/", recompute_progress, name="calendar_recompute"),
]
