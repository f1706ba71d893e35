"""The staff pages: what a clerk, a handler and a leader see and do in the browser (server side)."""

import re
from datetime import date

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD, complaint_body
from xiaobao.cases.models import Case

pytestmark = pytest.mark.django_db


def login(username: str) -> Client:
    c = Client()
    r = c.post("/login/", {"username": username, "password": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:500]
    return c


def register_payload(**overrides) -> dict:
    body = complaint_body()
    data = {
        "kind": "complaint", "channel": "phone", "received_at": "", "external_id": "", "tier": "general",
        "complainant_name": body["complainant"]["name"], "complainant_phone": body["complainant"]["phone"],
        "complainant_address": body["complainant"]["address"], "complainant_id_type": "居民身份证",
        "complainant_id_number": "", "complainant_wants_reply": "on",
        "respondent_name": body["respondent"]["name"], "respondent_address": body["respondent"]["address"],
        "respondent_phone": "", "respondent_credit_code": "", "facts": body["facts"], "demand": body["demand"],
        "amount": "3299.00", "category": "appliances",
    }
    data.update(overrides)
    return data


def test_the_login_page_refuses_a_wrong_password_in_chinese(bureau):
    r = Client().post("/login/", {"username": "xiaobao", "password": "wrong"})
    assert r.status_code == 200
    assert "用户名或密码错误" in r.content.decode()


def test_pages_need_a_login(bureau):
    r = Client().get("/cases/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_a_registration_missing_the_phone_comes_back_filled_with_the_field_named(bureau):
    c = login("xiaobao")
    r = c.post("/cases/new/", register_payload(complainant_phone=""))
    page = r.content.decode()
    assert r.status_code == 422
    assert "请填写投诉人联系电话。" in page
    assert 'value="张伟"' in page and "退货并退还货款" in page  # nothing typed is lost
    assert Case.objects.count() == 0


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_a_newcomer_registers_routes_accepts_and_mediates_through_the_pages(bureau):
    clerk = login("xiaobao")
    r = clerk.post("/cases/new/", register_payload(), follow=True)
    page = r.content.decode()
    case = Case.objects.get()
    assert f"已登记，编号 {case.number}" in page
    assert 'data-action="submit_for_triage"' in page and 'data-action="accept"' not in page

    clerk.post(f"/cases/{case.pk}/actions/submit_for_triage/", {})
    # The assign form comes back in place (htmx) with the error when no unit is chosen.
    r = clerk.post(f"/cases/{case.pk}/actions/assign/", {"unit": ""}, HTTP_HX_REQUEST="true")
    assert r.status_code == 422 and "这个字段是必填项" in r.content.decode()
    r = clerk.post(f"/cases/{case.pk}/actions/assign/", {"unit": "st-nanjiao", "note": "属地分流"},
                   HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and r["HX-Redirect"] == f"/cases/{case.pk}/"

    handler = login("nanjiao")
    inbox = handler.get("/").content.decode()
    assert "待签收、待决定受理或立案" in inbox and case.number in inbox
    page = handler.get(f"/cases/{case.pk}/").content.decode()
    buttons = set(re.findall(r'data-action="(\w+)"', page))
    assert buttons == {"return", "accept", "not_accept", "refer_elsewhere", "pause", "change_tier", "sign",
                       "record_contact", "open_consultation", "request_visit", "record_visit", "request_id",
                       "merge", "assess_consumer_purpose"}
    assert "2026-03-11" in page  # acceptance due: 7 working days after 2026-03-02
    handler.post(f"/cases/{case.pk}/actions/accept/", {})
    r = handler.post(f"/cases/{case.pk}/actions/mediate/",
                     {"result": "agreed", "amount_recovered": "800", "agreement": "退还货款800元"}, follow=True)
    page = r.content.decode()
    assert "调解成功" in page and "800" in page
    for label in ("登记", "提交分流", "分派", "受理", "调解结果"):
        assert f"<strong>{label}</strong>" in page


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_a_dongcheng_handler_cannot_open_a_nanjiao_item_page(api):
    clerk = api("xiaobao")
    case = clerk.post("/api/v1/cases", complaint_body()).json()
    clerk.act(case["id"], "submit_for_triage")
    clerk.act(case["id"], "assign", {"unit": "st-nanjiao"})
    other = login("dongcheng")
    assert other.get(f"/cases/{case['id']}/").status_code == 404
    assert other.get(f"/cases/{case['id']}/actions/accept/").status_code == 404
    listing = other.get("/cases/", {"q": case["number"]}).content.decode()
    assert "共 0 件" in listing and f'href="/cases/{case["id"]}/"' not in listing


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_the_handler_sees_the_complainant_while_the_deputy_director_sees_it_masked(api):
    clerk = api("xiaobao")
    case = clerk.post("/api/v1/cases", complaint_body()).json()
    clerk.act(case["id"], "submit_for_triage")
    clerk.act(case["id"], "assign", {"unit": "st-nanjiao"})
    assert "13800000001" in login("nanjiao").get(f"/cases/{case['id']}/").content.decode()
    page = login("fenguan").get(f"/cases/{case['id']}/").content.decode()
    assert "13800000001" not in page and "已保密" in page


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_the_registration_page_warns_of_a_duplicate_while_the_clerk_types(api):
    api("xiaobao").post("/api/v1/cases", complaint_body())
    c = login("xiaobao")
    form = c.get("/cases/new/").content.decode()
    assert 'hx-get="/intake/duplicates"' in form and 'hx-include="#id_complainant_phone' in form
    fragment = c.get("/intake/duplicates", {"complainant_phone": "13800000001"}, HTTP_HX_REQUEST="true")
    assert Case.objects.get().number in fragment.content.decode()


def test_each_role_finds_its_own_pages_in_the_navigation(bureau):
    nav = {user: login(user).get("/").content.decode() for user in ("xiaobao", "archivist", "admin", "nanjiao")}
    assert 'href="/triage/"' in nav["xiaobao"] and 'href="/triage/"' not in nav["nanjiao"]
    assert 'href="/archive/"' in nav["archivist"] and 'href="/archive/"' not in nav["xiaobao"]
    assert 'href="/calendar/"' in nav["admin"] and 'href="/calendar/"' not in nav["archivist"]


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_the_navigation_counts_what_waits_and_a_filter_can_be_saved_and_forgotten(api):
    clerk = api("xiaobao")
    for _ in range(2):
        case = clerk.post("/api/v1/cases", complaint_body(external_id=None)).json()
        clerk.act(case["id"], "submit_for_triage")
    page = login("xiaobao")
    assert 'aria-label="待办件数">2<' in page.get("/").content.decode()
    assert 'aria-label="待办件数"' not in login("nanjiao").get("/").content.decode()
    # The count stops at its cap (read on every page; the inbox's sections count exactly).
    from xiaobao.cases import selectors

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(selectors, "WAITING_CAP", 2)
        html = page.get("/").content.decode()
    assert 'aria-label="待办件数">1+<' in html
    assert '<h2>待分流 <span class="count">2</span>' in html
    r = page.post("/cases/saved/", {"name": "待分流投诉", "query": "kind=complaint&state=triage"}, follow=True)
    html = r.content.decode()
    assert "已保存常用筛选“待分流投诉”" in html and 'href="?kind=complaint&amp;state=triage"' in html
    saved = page.get("/cases/").content.decode()
    assert "待分流投诉" in saved and "待分流投诉" not in login("nanjiao").get("/cases/").content.decode()
    from xiaobao.web.models import SavedSearch

    page.post("/cases/saved/", {"forget": SavedSearch.objects.get().pk})
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize(("first", "cap"), [(200, 5000), (1, 0)], ids=["one-read", "clock-by-clock-past-the-cap"])
def test_the_inbox_lists_items_due_soon_and_overdue_in_their_sections(api, first, cap, monkeypatch):
    from xiaobao.cases import selectors

    monkeypatch.setattr(selectors, "FIRST_CLOCKS", first)  # 1: the clocks are read in widening rounds
    monkeypatch.setattr(selectors, "CLOCK_IDS_CAP", cap)  # 0: counted through the subquery
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        clerk = api("xiaobao")
        case = clerk.post("/api/v1/cases", complaint_body()).json()
        clerk.act(case["id"], "submit_for_triage")
        clerk.act(case["id"], "assign", {"unit": "st-nanjiao"})  # sign-off due 03-03, acceptance 03-11
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False):
        html = login("nanjiao").get("/").content.decode()
    overdue = html[html.index('id="inbox-overdue"'):]
    due_soon = html[html.index('id="inbox-due_soon"'):html.index('id="inbox-overdue"')]
    assert case["number"] in overdue  # the sign-off ran out on 03-03
    assert case["number"] in due_soon  # acceptance falls due on 03-11, two working days away
    # A row shows what the table names (the inbox reads those columns alone: selectors.for_table).
    item = Case.objects.select_related("unit").get(pk=case["id"])
    start = overdue.index(case["number"])
    row = overdue[start:overdue.index("</tr>", start)]
    for shown in ("投诉", "曾都区鑫达电器商行", item.get_state_display(), str(item.unit), "2026-03-02 09:30"):
        assert shown in row, shown


@pytest.mark.parametrize(("first", "cap"), [(200, 5000), (1, 0)], ids=["one-read", "clock-by-clock-past-the-cap"])
def test_a_stations_overdue_section_counts_and_lists_only_its_own_items_first_due_first(api, first, cap, monkeypatch):
    from xiaobao.cases import selectors

    monkeypatch.setattr(selectors, "FIRST_CLOCKS", first)
    monkeypatch.setattr(selectors, "CLOCK_IDS_CAP", cap)
    clerk = api("xiaobao")
    numbers = {}
    for day, unit in (("03-02", "st-nanjiao"), ("03-03", "st-dongcheng"), ("03-04", "st-nanjiao")):
        with time_machine.travel(f"2026-{day} 10:00 +0800", tick=False):
            case = clerk.post("/api/v1/cases", complaint_body(received_at=f"2026-{day}T09:00:00+08:00")).json()
            clerk.act(case["id"], "submit_for_triage")
            clerk.act(case["id"], "assign", {"unit": unit})
            numbers[day] = case["number"]
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        html = login("nanjiao").get("/").content.decode()
    overdue = html[html.index('id="inbox-overdue"'):]
    assert re.search(r'<span class="count">2</span>', overdue[:300]), overdue[:300]
    assert numbers["03-03"] not in overdue  # 东城所's item: neither listed nor counted
    assert overdue.index(numbers["03-02"]) < overdue.index(numbers["03-04"])  # its sign-off ran out first


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_the_clock_sections_list_the_most_urgent_first_and_past_the_cap_say_so(api, monkeypatch, settings):
    """Issue 24, point 1: 即将到期 and 已逾期 are ordered by due date, not by time received — an urgent complaint
    received later is due sooner and comes first — read clock by clock up to the page; counted with the cap."""
    from xiaobao.cases import selectors
    from xiaobao.clocks.models import Clock
    from xiaobao.web import views

    clerk = api("xiaobao")
    made = []
    for _ in range(4):
        case = clerk.post("/api/v1/cases", complaint_body(external_id=None)).json()
        clerk.act(case["id"], "submit_for_triage")
        made.append(case)
    # Due dates set apart: the last received is due first (its acceptance clock), the first received last.
    for days, case in zip((9, 7, 5, 3), made, strict=True):
        Clock.objects.filter(case_id=case["id"], met_on__isnull=True).update(due=date(2026, 3, days))
    settings.XIAOBAO_WARN_WORKDAYS = 10  # all four within the window
    monkeypatch.setattr(selectors, "FIRST_CLOCKS", 1)
    monkeypatch.setattr(views, "INBOX_ROWS", 3)
    html = login("xiaobao").get("/").content.decode()
    soon = html[html.index('id="inbox-due_soon"'):html.index('id="inbox-overdue"')]
    shown = [c["number"] for c in made if c["number"] in soon]
    assert shown == [c["number"] for c in made[1:]]  # the three first due; the one due on 03-09 not listed
    assert soon.index(made[3]["number"]) < soon.index(made[2]["number"]) < soon.index(made[1]["number"])
    assert '<span class="count">4</span>' in soon[:200]
    monkeypatch.setattr(views, "INBOX_COUNT_CAP", 2)
    html = login("xiaobao").get("/").content.decode()
    soon = html[html.index('id="inbox-due_soon"'):html.index('id="inbox-overdue"')]
    assert '<span class="count">2+</span>' in soon[:200] and "超过 2 件，这里只显示最先到期的 3 件" in soon



@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_an_inbox_section_counts_up_to_its_cap_and_sends_the_archivist_to_the_archive_page(api):
    """Issue 18, point 2: a section counted by query stops at web.views.INBOX_COUNT_CAP (the archivist's
    待归档 at 1M items was 695k rows counted on every inbox); the archive page counts them exactly."""
    from xiaobao.web import views

    clerk = api("xiaobao")
    ids = []
    for _ in range(3):
        case = clerk.post("/api/v1/cases", complaint_body(external_id=None)).json()
        clerk.act(case["id"], "submit_for_triage")
        ids.append(case["id"])
    page = login("xiaobao")
    html = page.get("/").content.decode()
    assert '<h2>待分流 <span class="count">3</span>' in html and "件列表</a>中筛选查看" not in html
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(views, "INBOX_COUNT_CAP", 2)
        html = page.get("/").content.decode()
    assert '<h2>待分流 <span class="count">2+</span>' in html
    assert "超过 2 件，这里只显示最早收到的 3 件" in html and 'href="/cases/"' in html

    Case.objects.filter(pk__in=ids).update(state="concluded")  # concluded, waiting for the archivist
    archivist = login("archivist")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(views, "INBOX_COUNT_CAP", 2)
        html = archivist.get("/").content.decode()
    assert '<h2>待归档 <span class="count">2+</span>' in html
    assert '<a href="/archive/">到归档页逐件归档（归档页显示准确件数）</a>' in html
    archive = archivist.get("/archive/").content.decode()
    assert '<h2>待归档（已办结） <span class="count">3</span>' in archive
