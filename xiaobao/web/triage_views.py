"""The triage queue of 消保股: suggestions with reasons, and routing a batch of items in one go."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xiaobao.cases import services
from xiaobao.cases.errors import Refused
from xiaobao.cases.selectors import visible_cases
from xiaobao.clocks import services as clock_services
from xiaobao.clocks.models import Clock
from xiaobao.merging.selectors import triage_hints, without_merged
from xiaobao.routing.suggest import Context, suggest
from xiaobao.rules.models import Category
from xiaobao.units.models import Role, Unit

QUEUE_SIZE = 100


@login_required
def triage_queue(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(Role.DISPATCHER):
        raise PermissionDenied("只有消保股分流员可以分流。")
    if request.method == "POST":
        return _route_batch(request)
    return _queue_page(request)


def _queue_page(request: HttpRequest, *, refused: dict[int, str] | None = None, status: int = 200) -> HttpResponse:
    """The queue; after a batch with refusals, those rows stay ticked with their unit and the reason beside them."""
    refused = refused or {}
    # Returned items first (rules: the dispatcher sees returns first), then oldest first.
    # Items merged into another move with their primary (xiaobao.merging): they are not routed on their own.
    waiting = without_merged(visible_cases(request.user).filter(state="triage"))
    queue = list(waiting.order_by("-returns_count", "received_at")[:QUEUE_SIZE])
    ctx = Context.load()
    hints = triage_hints(request.user, queue)
    due = waiting_clocks(queue)
    rows = []
    for c in queue:
        suggestions = suggest(c, context=ctx)
        chosen = request.POST.get(f"unit-{c.pk}") if c.pk in refused else None
        # The category the suggestions rest on: the clerk's, or read from the facts for the clerk to confirm.
        code = suggestions[0].category if suggestions else ""
        category = ctx.categories.get(code)
        # The category picked: kept as chosen on a refused row, else the item's own, else the one read from
        # the facts (a complaint's category is confirmed at routing, rules 二.1(2)).
        picked = request.POST.get(f"category-{c.pk}") if c.pk in refused else None
        rows.append({"case": c, "suggestions": suggestions, "error": refused.get(c.pk, ""),
                     "unit": chosen or (suggestions[0].unit if suggestions else ""),
                     "category": code, "category_name": category.name if category else "",
                     "same_matter": hints.get(c.pk, []), "clocks": due.get(c.pk, []),
                     "category_picked": picked if picked is not None else (c.category or code)})
    # Refusals of items no longer in the queue (routed meanwhile by someone else) are listed above it.
    shown = {c.pk for c in queue}
    numbers = dict(visible_cases(request.user).filter(pk__in=set(refused) - shown).values_list("pk", "number"))
    elsewhere = [(numbers.get(pk, str(pk)), message) for pk, message in refused.items() if pk not in shown]
    units = [u for u in Unit.objects.filter(active=True) if u.handles_items]
    return render(request, "web/triage.html", {
        "rows": rows, "units": units, "categories": Category.objects.all(), "refused": len(refused),
        "elsewhere": elsewhere, "note": request.POST.get("note", "") if refused else "",
        "total": waiting.count()}, status=status)


# The clocks a dispatcher watches in the queue: 消保股's own routing period (rules 二.1) and the national acceptance
# period from the bureau's receipt (SAMR-2019 第十四条; SAMR-2026 第十五条), nearest first.
QUEUE_CLOCKS = ("routing", "national_acceptance")


def waiting_clocks(queue: list) -> dict[int, list[dict]]:
    """{item id: its open QUEUE_CLOCKS as label, due date and whether overdue}, read in one query."""
    today = clock_services.today()
    out: dict[int, list[dict]] = {}
    for clock in (Clock.objects.filter(case__in=[c.pk for c in queue], name__in=QUEUE_CLOCKS, met_on__isnull=True)
                  .order_by("due", "id")):
        out.setdefault(clock.case_id, []).append(
            {"name": clock.name, "label": clock.get_name_display(), "due": clock.due, "overdue": clock.due < today})
    return out


def _route_batch(request: HttpRequest) -> HttpResponse:
    routed: list[str] = []
    refused: dict[int, str] = {}
    for raw in request.POST.getlist("case"):
        try:
            case_id = int(raw)
        except ValueError:
            continue
        unit = request.POST.get(f"unit-{case_id}", "")
        category = request.POST.get(f"category-{case_id}", "")
        try:
            case = services.assign(actor=request.user, case_id=case_id,
                                   body={"unit": unit, "category": category,
                                         "note": request.POST.get("note", "").strip() or "批量分流"})
        except Refused as exc:
            refused[case_id] = exc.message
        else:
            routed.append(case.number)
    if routed:
        messages.success(request, f"已分流 {len(routed)} 件：{'、'.join(routed)}")
    if refused:
        return _queue_page(request, refused=refused, status=422)
    if not routed:
        messages.warning(request, "请先勾选要分流的件。")
    return redirect("web:triage")
