"""The list page's 按当事人查找 (issue 18, point 5) and saved searches that come back exactly."""

import re
from html.parser import HTMLParser

import pytest
import time_machine

from tests.conftest import complaint_body, report_body
from tests.web.test_pages import login
from xiaobao.records.models import AuditEntry
from xiaobao.web.models import SavedSearch

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def items(api):
    clerk = api("xiaobao")
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        made = {}
        for key, body in (("complaint", complaint_body()),
                          ("other", complaint_body(external_id="C2", complainant={
                              "name": "赵六", "phone": "13700000009", "address": "曾都区北郊街道1号"})),
                          ("report", report_body())):
            made[key] = clerk.post("/api/v1/cases", body).json()
        clerk.act(made["other"]["id"], "submit_for_triage")
    return made


def numbers(html: str) -> list[str]:
    return re.findall(r"(?:TS|JB|ZX)-\d{4}-\d{6}", html)


def test_the_clerk_finds_the_caller_by_phone_on_the_list_page_and_it_is_audited(items):
    page = login("xiaobao")
    html = page.get("/cases/").content.decode()
    assert "按当事人查找" in html and 'name="person"' in html and 'method="post"' in html
    r = page.post("/cases/", {"person": "138 0000 0001", "q": "", "kind": "", "state": "", "unit": ""}, **HTMX)
    assert r.status_code == 200
    assert numbers(r.content.decode()) == [items["complaint"]["number"]]
    # The address the browser shows carries the other filters, never the person.
    assert r["HX-Push-Url"] == "/cases/"
    row = AuditEntry.objects.get(object="person-search")
    assert (row.actor_name, row.detail["person"], row.detail["via"]) == ("xiaobao", "138****0001", "web")
    # Without htmx the same form posts the whole page.
    full = page.post("/cases/", {"person": "李娜", "kind": "report"}).content.decode()
    assert items["report"]["number"] in full and items["complaint"]["number"] not in full
    assert 'value="李娜"' in full


def test_too_short_a_term_is_refused_in_place(items):
    r = login("xiaobao").post("/cases/", {"person": "张"}, **HTMX)
    assert r.status_code == 422
    html = r.content.decode()
    assert 'id="person-note" hx-swap-oob="true"' in html and "按姓名查找请至少输入 2 个字" in html
    assert numbers(html) == []


@pytest.mark.parametrize("user", ["archivist", "fenguan"])
def test_staff_who_may_not_see_identities_get_no_field_and_a_403(items, user):
    page = login(user)
    html = page.get("/cases/").content.decode()
    assert "按当事人查找" not in html and 'name="person"' not in html
    assert page.post("/cases/", {"person": "13800000001"}).status_code == 403
    assert page.get("/cases/", {"person": "13800000001"}).status_code == 403
    assert not AuditEntry.objects.filter(object="person-search").exists()


class Fields(HTMLParser):
    """The filter form's values as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._in_form = {}, None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and "filters" in (a.get("class") or ""):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name") and a.get("type") != "hidden":
            if a.get("type") == "checkbox":
                self.values[a["name"]] = a.get("value") if "checked" in a else ""
            else:
                self.values[a["name"]] = a.get("value") or ""
        elif tag == "select":
            self._select = a["name"]
            self.values[self._select] = ""
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form":
            self._in_form = False


def form_fields(html: str) -> dict:
    parser = Fields()
    parser.feed(html)
    return parser.values


def test_a_saved_search_restores_every_filter_and_the_same_results(items):
    page = login("xiaobao")
    chosen = {"q": "空调", "kind": "complaint", "state": "triage", "unit": "", "overdue": "", "include_closed": ""}
    # The clerk filters in place (htmx): the list and the filter the save form will send come back together.
    r = page.post("/cases/", {**chosen, "person": ""}, **HTMX)
    update = r.content.decode()
    saved_query = re.search(r'id="saved-query" value="([^"]*)" hx-swap-oob="true"', update).group(1)
    assert saved_query == "q=%E7%A9%BA%E8%B0%83&amp;kind=complaint&amp;state=triage"
    filtered = numbers(update)
    assert filtered == [items["other"]["number"]]

    r = page.post("/cases/saved/", {"name": "待分流空调", "query": saved_query.replace("&amp;", "&")}, follow=True)
    assert "已保存常用筛选“待分流空调”" in r.content.decode()
    link = re.search(r'<a href="\?([^"]*)">待分流空调</a>', page.get("/cases/").content.decode()).group(1)
    restored = page.get("/cases/?" + link.replace("&amp;", "&")).content.decode()
    assert form_fields(restored) == {**chosen, "person": ""}
    assert numbers(restored) == filtered


def test_a_search_by_person_is_never_kept_in_a_saved_search(items):
    page = login("xiaobao")
    r = page.post("/cases/", {"person": "13800000001", "kind": "complaint"}, **HTMX)
    assert 'id="saved-query" value="kind=complaint"' in r.content.decode()
    # Even a query written by hand: the person is dropped, and the clerk told why.
    r = page.post("/cases/saved/", {"name": "某人", "query": "kind=complaint&person=13800000001"}, follow=True)
    assert "常用筛选不保存按当事人查找的条件" in r.content.decode()
    assert SavedSearch.objects.get(name="某人").query == "kind=complaint"
    assert "13800000001" not in str(list(SavedSearch.objects.values_list("query", flat=True)))
