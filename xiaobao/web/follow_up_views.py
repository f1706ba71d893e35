"""回访问效 (issue 20.4): the unit's list of concluded complaints to call back, and 消保股's sampled check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xiaobao.cases.errors import Invalid
from xiaobao.handling import follow_ups
from xiaobao.lib import timeutil
from xiaobao.stats.periods import Month, parse_month
from xiaobao.units.models import Role

LIMIT = 200


def may_follow_up(user) -> bool:
    return user.has_role(Role.DISPATCHER) or user.has_role(Role.HANDLER) or user.has_role(Role.UNIT_LEADER)


@login_required
def follow_up_lists(request: HttpRequest) -> HttpResponse:
    if not may_follow_up(request.user):
        raise PermissionDenied("回访问效只对消保股和各承办单位开放。")
    error, status = "", 200
    try:
        month = parse_month(request.GET["month"]) if request.GET.get("month") else Month.containing(
            timeutil.today())
    except Invalid as e:
        month, error, status = Month.containing(timeutil.today()), e.message, 422
    office = request.user.has_role(Role.DISPATCHER)
    if office:
        queue = follow_ups.office_queue(month.start, month.end)
        title = "消保股抽查回访"
    else:
        queue = follow_ups.unit_queue(request.user, month.start, month.end)
        title = "本单位待回访"
    return render(request, "web/follow_ups.html", {
        "title": title, "office": office, "items": queue[:LIMIT], "count": queue.count(), "month": month,
        "previous": month.previous(), "next": month.next(), "share": round(follow_ups.check_share() * 100),
        "error": error}, status=status)
