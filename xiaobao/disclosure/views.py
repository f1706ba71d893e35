"""Public pages (no login): complaint information by business, and consumer alerts."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from xiaobao.lib import timeutil
from xiaobao.lib.dbrouter import reads_from_replica
from xiaobao.odr.scorecard import Year, public_members

from . import selectors
from .models import ConsumerAlert


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    return render(request, template, {"bureau": settings.XIAOBAO_BUREAU_NAME, **context})


@reads_from_replica
def index(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "")[:60]
    return _render(request, "disclosure/index.html", {
        "businesses": selectors.businesses(search=search), "q": search,
        "outcome_labels": [selectors.OUTCOME_LABELS[o] for o in selectors.COMPLAINT_OUTCOMES],
        "alerts": ConsumerAlert.objects.filter(published_at__isnull=False)[:3]})


@reads_from_replica
def business(request: HttpRequest) -> HttpResponse:
    found = selectors.business(request.GET.get("key", "")[:200])
    if found is None:
        raise Http404("没有可公示的投诉信息。")
    return _render(request, "disclosure/business.html", {"business": found})


@reads_from_replica
def alerts(request: HttpRequest) -> HttpResponse:
    return _render(request, "disclosure/alerts.html",
                   {"alerts": ConsumerAlert.objects.filter(published_at__isnull=False)})


@reads_from_replica
def alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    found = get_object_or_404(ConsumerAlert, pk=alert_id, published_at__isnull=False)
    return _render(request, "disclosure/alert.html", {"alert": found})


def odr_members(request: HttpRequest) -> HttpResponse:
    """The ODR businesses in good standing (issue 22.4: the public disclosure may show a business's ODR membership
    and figures): their commitments and this year's 先行和解. Suspended and removed businesses are not listed."""
    year = Year(timeutil.today().year)
    return _render(request, "disclosure/odr.html", {"year": year, "members": public_members(year)})
