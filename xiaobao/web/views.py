"""Staff pages. Plain function views; every change goes through xiaobao.cases.services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from xiaobao.cases import approvals, persons, services
from xiaobao.cases.errors import Invalid, NotPermitted, Refused
from xiaobao.cases.lifecycle import TRANSITIONS
from xiaobao.cases.models import Case, Kind, State
from xiaobao.cases.present import case_detail
from xiaobao.cases.selectors import (
    add_deadlines,
    filter_cases,
    for_table,
    get_visible_case,
    inbox_sections,
    may_find_person,
    sees_identity,
    visible_cases,
    visible_parts,
    with_next_due,
)
from xiaobao.clocks import services as clock_services
from xiaobao.clocks.calendar import get_calendar
from xiaobao.lib.clientaddress import client_address
from xiaobao.lib.dbrouter import replica_reads
from xiaobao.mediation.purpose import view as consumer_purpose
from xiaobao.odr import access as odr_access
from xiaobao.records.audit import record
from xiaobao.rules.models import Category
from xiaobao.units import accounts, throttle
from xiaobao.units.models import Unit

from . import account_views
from .forms import RegisterForm, action_form
from .item_page import arrange_actions, words_for
from .models import SavedSearch
from .paging import PERSON_ROWS, list_results_page, person_results_page, search_results_page


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if message := throttle.refusal(username, client_address(request)):
            record(actor=None, action="login_refused", obj=f"user:{username[:40]}", detail={"via": "web"})
            form = self.get_form()
            form.errors.clear()
            return render(request, self.template_name, {"form": form, "locked": message}, status=429)
        return super().post(request, *args, **kwargs)

    def get_success_url(self):
        # The user just identified (before the second step logs them in), or the one already logged in.
        user = getattr(self, "_business", None) or self.request.user
        if odr_access.is_business(user):
            # An ODR business lands on its own page (issue 22), or on the page of its own it asked for.
            return odr_access.safe_next(self.get_redirect_url())
        return super().get_success_url()

    def form_valid(self, form):
        if odr_access.is_business(form.get_user()):
            self._business = form.get_user()
        if accounts.totp_enabled(form.get_user()):
            # The password alone does not log in an account with a second factor (issue 8: accounts).
            return account_views.begin_second_step(self.request, form.get_user(), self.get_success_url())
        response = super().form_valid(form)
        throttle.note(form.get_user().username, client_address(self.request), success=True)
        record(actor=form.get_user(), action="login", obj=f"user:{form.get_user().username}",
               detail={"via": "web"})
        return response

    def form_invalid(self, form):
        username = self.request.POST.get("username", "")
        throttle.note(username, client_address(self.request), success=False)
        record(actor=None, action="login_failed", obj=f"user:{username[:40]}", detail={"via": "web"})
        return super().form_invalid(form)


def _visible_or_404(request: HttpRequest, case_id: int) -> Case:
    case = get_visible_case(request.user, case_id)
    if case is None:
        raise Http404("未找到该件，或您无权查看。")
    return case


INBOX_ROWS = 20  # rows shown per inbox section
# A section counted by query stops counting here (shown as "10000+"): at 1M items the archivist's 待归档 held 695k
# concluded items, whose exact count alone took 66 ms of an inbox over its 100 ms goal (issue 18, point 2). The
# archive page (and the list, the statistics) give the exact number; no one works through ten thousand from here.
INBOX_COUNT_CAP = 10_000


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    today = clock_services.today()
    cal = get_calendar()
    warn_until = cal.add_workdays(today, settings.XIAOBAO_WARN_WORKDAYS)
    sections = []
    for key, title, qs in inbox_sections(request.user, today=today, warn_until=warn_until, rows=INBOX_ROWS):
        # Sections from open clocks come with their first rows chosen, most urgent first (selectors._by_due);
        # the others are listed oldest received first.
        page_ids = getattr(qs, "page_ids", None)
        if page_ids is not None:
            found = {c.pk: c for c in for_table(qs.page)}
            rows = [found[pk] for pk in page_ids if pk in found]
        else:
            rows = list(for_table(qs if qs.query.order_by else qs.order_by("received_at"))[:INBOX_ROWS])
        items = add_deadlines(rows, today=today, cal=cal)
        count = qs.order_by()[:INBOX_COUNT_CAP + 1].count()
        capped = count > INBOX_COUNT_CAP
        sections.append({"key": key, "title": title, "items": items, "count": count,
                         "count_text": f"{INBOX_COUNT_CAP}+" if capped else str(count), "capped": capped,
                         "cap": INBOX_COUNT_CAP, "first": "最先到期" if page_ids is not None else "最早收到"})
    return render(request, "web/inbox.html", {"sections": sections})


# The list's filters, as a saved search keeps them (save_search) and its link gives them back. A search by
# person is not among them: a phone or an ID number is never stored in a saved search (issue 18, point 5).
LIST_FILTERS = ("q", "kind", "state", "unit", "overdue", "include_closed")


def _list_query(data) -> str:
    """The list's filters of `data` as a query string, in one order, without empty ones, page or person."""
    return urlencode([(k, data.get(k)) for k in LIST_FILTERS if data.get(k)])


@login_required
@require_http_methods(["GET", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    # Those who may search by person send the filters by POST, so that a phone or an ID number typed in
    # 按当事人查找 stays out of addresses, history and access logs; the address shows the other filters.
    data = request.POST if request.method == "POST" else request.GET
    # A search (by words or by person) reads from the replica when there is one (issue 24, point 2); the lists of
    # open work stay on the primary, where a handler's own change shows at once.
    with replica_reads(bool((data.get("q") or "").strip() or (data.get("person") or "").strip())):
        return _case_list(request, data)


def _case_list(request: HttpRequest, data: QueryDict) -> HttpResponse:
    f = {k: data.get(k) for k in ("state", "unit", "kind", "q")}
    f["overdue"] = data.get("overdue") == "1"
    may_person = may_find_person(request.user)
    person = (data.get("person") or "").strip()
    if person and not may_person:
        raise PermissionDenied(persons.MAY_NOT)
    person_error = ""
    if person:
        try:
            f["person_items"] = persons.person_items(actor=request.user, text=person, via="web")
        except Invalid as e:
            person_error, f["person_items"] = e.message, Q(pk__in=[])
    q = (f["q"] or "").strip()
    # Open work unless asked (含已办结, or a state chosen; issue 18, point 2). A search (by words or by person)
    # looks through every item: it names what it looks for, often the finished item of a caller who rings back.
    f["include_closed"] = data.get("include_closed") == "1" or bool(q) or bool(person)
    if person:
        # One page, the newest first: its pager's links would carry the person in the address.
        page = person_results_page(with_next_due(filter_cases(visible_cases(request.user), {**f, "q": None})), q,
                                   PERSON_ROWS)
    elif q:
        # Search: newest registered first off the search index, total counted up to 1,000 (web/paging.py).
        page = search_results_page(with_next_due(filter_cases(visible_cases(request.user), {**f, "q": None})), q,
                                   data.get("page"), 30)
    else:
        page = list_results_page([with_next_due(filter_cases(part, f)) for part in visible_parts(request.user)],
                                 data.get("page"), 30)
    # The deadline column: each row's next due date (read with the row) and working days left by the calendar.
    add_deadlines(page.object_list, today=clock_services.today(), cal=get_calendar())
    query = _list_query(data)
    # The box shows what the user ticked, not what a search implies.
    shown = {**f, "person": person, "include_closed": data.get("include_closed") == "1"}
    context = {"page": page, "filters": shown, "states": State.choices, "kinds": Kind.choices,
               "units": Unit.objects.filter(active=True), "query": query, "may_person": may_person,
               "person_error": person_error, "person_rows": PERSON_ROWS,
               "saved": request.user.saved_searches.all()}
    status = 422 if person_error else 200
    if request.htmx:
        response = render(request, "web/_case_list_update.html", context, status=status)
        response["HX-Push-Url"] = f"{reverse('web:cases')}?{query}" if query else reverse("web:cases")
        return response
    return render(request, "web/case_list.html", context, status=status)


def _item_context(request: HttpRequest, case: Case) -> dict:
    """What the item's page and its print view show (reading an unmasked person is audited by case_detail)."""
    detail = case_detail(request.user, case)
    actions = [TRANSITIONS[a] for a in detail["actions"]]
    primary, groups = arrange_actions(actions)
    asked = approvals.proposals([case])[case.pk] if case.state == State.PENDING_APPROVAL else None
    category = case.category
    if category:  # by its name, as registered (a code no longer in the list shows as the code)
        category = Category.objects.filter(code=category).values_list("name", flat=True).first() or category
    return {"case": case, "d": detail, "actions": actions, "primary": primary, "groups": groups,
            "words": words_for(case), "category": category, "approval": asked,
            "identity_visible": sees_identity(request.user, case)}


@login_required
def case_detail_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _visible_or_404(request, case_id)
    context = _item_context(request, case)
    if context["approval"] and any(t.action == "approve" for t in context["actions"]):
        context["waiting"] = approvals.approval_queue(request.user).exclude(pk=case.pk).count()
    return render(request, "web/case_detail.html", context)


@login_required
def case_print(request: HttpRequest, case_id: int) -> HttpResponse:
    """The item on paper: what was registered, the clocks and the timeline, without navigation or actions."""
    case = _visible_or_404(request, case_id)
    return render(request, "web/case_detail.html", {**_item_context(request, case), "base": "web/print_base.html",
                                                     "printing": True})


@login_required
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    case = _visible_or_404(request, case_id)
    if action not in TRANSITIONS:
        raise Http404("没有这个操作。")
    t = TRANSITIONS[action]
    form = action_form(action, case, data=request.POST if request.method == "POST" else None)
    error = None
    if request.method == "POST" and form.is_valid():
        body = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in form.cleaned_data.items()
                if v not in (None, "", [])}
        try:
            services.perform(actor=request.user, case_id=case.pk, action=action, body=body)
        except Invalid as e:
            for err in e.errors:
                field = err["field"] if err["field"] in form.fields else None
                form.add_error(field, err["message"])
        except Refused as e:
            error = e.message
        else:
            messages.success(request, f"已{t.label}：{case.number}")
            target = reverse("web:case", args=[case.pk])
            if get_visible_case(request.user, case.pk) is None:
                target = reverse("web:inbox")
            if action in NEXT_AFTER and request.POST.get("then") == "next":
                target = _next_approval(request, case)
            return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
    template = "web/_action_form.html" if request.htmx else "web/action_page.html"
    status = 422 if request.method == "POST" and (form.errors or error) else 200
    if error:
        status = 409
    # The handler decides with the factors of 生活消费需要 in view (xiaobao.mediation.purpose; SAMR-2026).
    purpose = consumer_purpose(case) if action in DECISIONS_WITH_PURPOSE else None
    return render(request, template, {"case": case, "t": t, "form": form, "error": error,
                                      "then_next": action in NEXT_AFTER, "purpose": purpose,
                                      "shows_purpose": action in DECISIONS_WITH_PURPOSE and case.kind == Kind.COMPLAINT},
                  status=status)


# Decisions on a complaint taken with the recorded factors of 生活消费需要 beside the form.
DECISIONS_WITH_PURPOSE = ("accept", "not_accept", "mediate", "terminate_and_refer")


# Decisions after which an approver may go straight on to the next item waiting for them (issue 18, point 7).
NEXT_AFTER = ("approve", "reject_approval")


def _next_approval(request: HttpRequest, decided: Case) -> str:
    following = approvals.next_waiting(request.user, after=decided.pk)
    if following is None:
        messages.info(request, "待您审批的件已全部处理。")
        return reverse("web:approvals")
    messages.info(request, f"下一件待审批：{following.number}")
    return reverse("web:case", args=[following.pk])


@login_required
def register(request: HttpRequest) -> HttpResponse:
    try:
        services.check_may_register(request.user)
    except NotPermitted as e:
        raise PermissionDenied(e.message) from e
    form = RegisterForm(data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case, created = services.register_case(actor=request.user, data=form.to_payload())
        except Invalid as e:
            for err in e.errors:
                form.add_error(RegisterForm.field_for(err["field"]), err["message"])
        else:
            verb = "已登记" if created else "该外部编号已登记过"
            messages.success(request, f"{verb}，编号 {case.number}")
            if get_visible_case(request.user, case.pk) is None:
                return redirect("web:inbox")
            return redirect("web:case", case.pk)
    status = 422 if form.errors else 200
    return render(request, "web/register.html", {"form": form}, status=status)


@login_required
def save_search(request: HttpRequest) -> HttpResponse:
    """Keep the list's current filter under a name, or forget one (POST only). The filter is kept as the list
    reads it (LIST_FILTERS) and comes back exactly; a search by person is left out, and the user told so."""
    if request.method != "POST":
        return redirect("web:cases")
    if forget := request.POST.get("forget"):
        request.user.saved_searches.filter(pk=forget).delete()
        return redirect("web:cases")
    name = request.POST.get("name", "").strip()[:40]
    given = QueryDict(request.POST.get("query", ""))
    query = _list_query(given)
    back = f"{reverse('web:cases')}?{query}" if query else reverse("web:cases")
    if not name:
        messages.error(request, "请为常用筛选起一个名称。")
        return redirect(back)
    if len(query) > SavedSearch._meta.get_field("query").max_length:
        messages.error(request, "筛选条件过长，不能保存。")
        return redirect(back)
    if given.get("person"):
        messages.warning(request, "常用筛选不保存按当事人查找的条件（电话、姓名、证件号码属于个人信息）。")
    SavedSearch.objects.update_or_create(owner=request.user, name=name, defaults={"query": query})
    messages.success(request, f"已保存常用筛选“{name}”。")
    return redirect(back)
