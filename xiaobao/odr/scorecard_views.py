"""The ODR scorecard page (issue 22.4): per business with its grade, and the bureau's totals, over a month or a
year; for the bureau's statistics roles (xiaobao.odr.scorecard.may_see_scorecard)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xiaobao.cases.errors import Invalid
from xiaobao.lib import timeutil
from xiaobao.stats.periods import Month

from .scorecard import grading, may_see_scorecard, parse_period, scorecard


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not may_see_scorecard(request.user):
        raise PermissionDenied("ODR企业成绩单只对消保股、局领导和审计员开放。")
    month, year = request.GET.get("month", ""), request.GET.get("year", "")
    if not month and not year:
        month = str(Month.containing(timeutil.today()))
    context = {"month": month, "year": year, "grades": grading()}
    try:
        period = parse_period(month, year)
    except Invalid as e:
        return render(request, "odr/scorecard.html", {**context, "errors": e.errors}, status=422)
    return render(request, "odr/scorecard.html", {**context, "card": scorecard(period)})
