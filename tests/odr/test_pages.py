"""Settling first through the pages: the suggestion and the forwarding form on a triage complaint's page (errors
in place), and the business's own pages under /business/: its list, the item with the consumer's particulars,
the contact log and the answer, errors in place with what was typed kept; nothing of anyone else's."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from tests.odr.business_routes import BUSINESS_WEB_ROUTES
from tests.odr.conftest import complaint, forwarded
from tests.web.test_pages import login
from xiaobao.cases.models import Case
from xiaobao.odr.models import Contact, Forwarding
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.usefixtures("clock")
HTMX = {"HTTP_HX_REQUEST": "true"}


def business_login(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_triage_page_suggests_forwarding_and_the_form_shows_its_errors_in_place(api, xinda):
    case_id = complaint(api)
    page = login("xiaobao")
    html = page.get(f"/cases/{case_id}/").content.decode()
    assert 'class="flash info odr-suggestion"' in html and "曾都区鑫达电器商行" in html
    assert f'href="/cases/{case_id}/actions/forward_to_business/"' in html

    form = page.get(f"/cases/{case_id}/actions/forward_to_business/", **HTMX).content.decode()
    assert f'<option value="{xinda.pk}">曾都区鑫达电器商行（91420000177570439L）</option>' in form
    r = page.post(f"/cases/{case_id}/actions/forward_to_business/",
                  {"business": xinda.pk, "consent_note": "电话联系，消费者未表态"}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 422
    assert "须经消费者同意先行和解" in html and "电话联系，消费者未表态" in html  # in place, nothing lost
    assert Case.objects.get(pk=case_id).state == "triage"

    r = page.post(f"/cases/{case_id}/actions/forward_to_business/",
                  {"business": xinda.pk, "consent": "on", "consent_note": "电话确认同意"}, **HTMX)
    assert r.status_code == 200 and r["HX-Redirect"] == f"/cases/{case_id}/"
    html = page.get(f"/cases/{case_id}/").content.decode()
    assert "企业和解中" in html and "期限 2026-05-18" in html and "电话确认同意" in html
    assert 'data-action="escalate"' in html and "odr-suggestion" not in html


def test_no_suggestion_when_the_respondent_is_no_odr_business(api, xinda):
    case_id = complaint(api, respondent={"name": "曾都区某某餐馆", "address": "曾都区文化路2号"})
    html = login("xiaobao").get(f"/cases/{case_id}/").content.decode()
    assert "odr-suggestion" not in html and "forward_to_business" not in html


def test_the_business_lists_its_items_and_answers_on_the_item_page(api, xinda, huimin):
    case_id = forwarded(api, xinda)
    number = Case.objects.get(pk=case_id).number
    page = business_login("odr-xinda")
    home = page.get("/business/").content.decode()
    assert f'data-case="{number}"' in home and "张伟" in home and "2026-05-18" in home
    assert "分流" not in home and "全部件" not in home  # no staff navigation

    html = page.get(f"/business/items/{case_id}/").content.decode()
    assert "13800000001" in html and "退货并退还货款" in html and 'id="due">2026-05-18' in html
    assert "421302199001011234" not in html and "清河路8号" not in html and "电话确认同意先行和解" not in html
    assert AuditEntry.objects.filter(action="odr_read_personal", case_id=case_id, detail__via="web").exists()

    r = page.post(f"/business/items/{case_id}/contacts/", {"method": "电话", "offer": "维修并延保一年"}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 422 and "请填写联系过程" in html and "维修并延保一年" in html
    r = page.post(f"/business/items/{case_id}/contacts/",
                  {"at": "2026-05-04T10:00", "method": "电话", "process": "电话沟通，消费者坚持退货"}, **HTMX)
    assert r.status_code == 200 and "电话沟通，消费者坚持退货" in r.content.decode()
    assert Contact.objects.get().process == "电话沟通，消费者坚持退货"

    r = page.post(f"/business/items/{case_id}/answer/", {"result": "settled", "detail": "同意退货退款"}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 422 and "请填写和解金额" in html and "同意退货退款" in html
    r = page.post(f"/business/items/{case_id}/answer/",
                  {"result": "settled", "detail": "同意退货退款", "amount": "3299.00"}, **HTMX)
    assert r.status_code == 200 and r["HX-Redirect"] == "/business/"
    case = Case.objects.get(pk=case_id)
    assert (case.state, case.outcome, str(case.amount_recovered)) == ("concluded", "settled_by_business", "3299.00")
    home = page.get("/business/").content.decode()
    assert "和解成功，本件以先行和解办结" in home and "目前没有待处理的投诉" in home
    assert page.get(f"/business/items/{case_id}/").status_code == 404


@pytest.mark.parametrize(("method", "path", "name"), BUSINESS_WEB_ROUTES)
def test_another_business_and_staff_reach_nothing_on_these_pages(api, xinda, huimin, method, path, name):
    case_id = forwarded(api, xinda)
    url = path.format(case_id=case_id)
    for client in (business_login("odr-huimin"), login("xiaobao"), login("nanjiao")):
        r = client.get(url) if method == "GET" else client.post(url, {"method": "电话", "process": "x",
                                                                      "result": "not_settled", "detail": "x"})
        if client is not None and url == "/business/" and r.status_code == 200:
            assert "张伟" not in r.content.decode()  # the other business's empty list
        else:
            assert r.status_code == 404, (url, r.status_code)
    assert Forwarding.objects.get(case_id=case_id).state == "with_business"
    assert not Contact.objects.exists()
