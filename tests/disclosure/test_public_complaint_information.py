"""Public complaint information (no login): only complaints whose complainant consented, only concluded
ones, and nothing that names or reaches a person."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from tests.conftest import complaint_body
from xiaobao.cases.models import Case
from xiaobao.units.models import Staff

SHOP = "曾都区鑫达电器商行"
OTHER = "曾都区惠民超市"
FACTS = "2026年3月1日在该店购买空调一台，安装师傅王某某留下电话后失联，本人住清河路8号。"


def ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.content.decode()
    return response.json()


def complaint(api, *, shop: str = SHOP, consent: bool | None = True, **extra) -> int:
    body = complaint_body(consent_disclosure=consent, facts=FACTS,
                          respondent={"name": shop, "address": "曾都区南郊街道白云大道18号"}, **extra)
    case_id = ok(api("xiaobao").post("/api/v1/cases", body), 201)["id"]
    ok(api("xiaobao").act(case_id, "submit_for_triage"))
    ok(api("xiaobao").act(case_id, "assign", {"unit": "st-nanjiao"}))
    return case_id


@pytest.fixture
def complaints(api):
    with time_machine.travel("2026-03-03 10:00 +0800", tick=False):
        mediated = complaint(api)
        ok(api("nanjiao").act(mediated, "accept"))
        ok(api("nanjiao").act(mediated, "mediate", {"result": "agreed", "amount_recovered": "3299.00",
                                                     "agreement": "张伟与商家达成退货协议"}))
        declined = complaint(api, demand="要求赔偿损失", category="repair")
        ok(api("nanjiao").act(declined, "not_accept", {"ground": "not_consumption", "reason": "非生活消费"}))
        in_mediation = complaint(api)
        ok(api("nanjiao").act(in_mediation, "accept"))
        no_consent = complaint(api, consent=False)
        ok(api("nanjiao").act(no_consent, "not_accept", {"ground": "not_consumption", "reason": "非生活消费"}))
        other_shop = complaint(api, shop=OTHER, consent=None)
        ok(api("nanjiao").act(other_shop, "not_accept", {"ground": "not_consumption", "reason": "非生活消费"}))
    return {"mediated": mediated, "declined": declined}


@pytest.fixture
def public():
    with time_machine.travel("2026-03-20 10:00 +0800", tick=False):
        yield Client()


def personal_data() -> list[str]:
    people = [v for c in Case.objects.select_related("complainant") for v in (
        c.complainant.name, c.complainant.phone, c.complainant.address, c.complainant.id_number)]
    staff = [s.full_name for s in Staff.objects.all()]
    return [*people, *staff, FACTS, "王某某", "清河路", "张伟与商家达成退货协议", "非生活消费"]


def test_the_list_counts_only_consented_concluded_complaints(complaints, public):
    r = public.get("/disclosure/")
    assert r.status_code == 200
    [shop] = r.context["businesses"]
    assert (shop["name"], shop["total"]) == (SHOP, 2)
    assert dict(shop["outcomes"]) == {"调解成功": 1, "终止调解": 0, "撤回": 0, "不予受理": 1, "告知他部门": 0}
    assert OTHER not in r.content.decode()


def test_the_business_page_shows_each_item_without_anything_personal(complaints, public):
    key = public.get("/disclosure/").context["businesses"][0]["key"]
    r = public.get("/disclosure/business/", {"key": key})
    assert r.status_code == 200
    assert [(str(i["received_on"]), i["category"], i["demand"], i["outcome"])
            for i in r.context["business"]["items"]] == [
        ("2026-03-02", "修理服务", "赔偿损失", "不予受理"),
        ("2026-03-02", "家用电器", "退货、退还货款和服务费用", "调解成功"),
    ]
    page = r.content.decode()
    assert "2026-03-02" in page and "调解成功" in page and "退货" in page
    for text in personal_data():
        assert text not in page, text
    for number in Case.objects.values_list("number", flat=True):
        assert number not in page


def test_no_public_page_shows_anything_personal(complaints, public):
    pages = [public.get("/disclosure/"), public.get("/disclosure/alerts/")]
    pages.append(public.get("/disclosure/business/", {"key": pages[0].context["businesses"][0]["key"]}))
    for r in pages:
        assert r.status_code == 200
        for text in personal_data():
            assert text not in r.content.decode(), text


def test_a_business_without_consented_complaints_is_not_found(complaints, public):
    assert public.get("/disclosure/business/", {"key": f"n:{OTHER}"}).status_code == 404
    assert public.get("/disclosure/business/", {"key": ""}).status_code == 404


def test_the_search_narrows_the_list(complaints, public):
    assert public.get("/disclosure/", {"q": "鑫达"}).context["businesses"][0]["name"] == SHOP
    assert public.get("/disclosure/", {"q": "惠民"}).context["businesses"] == []


def test_after_twelve_months_nothing_is_shown(complaints):
    with time_machine.travel("2027-03-10 10:00 +0800", tick=False):
        assert Client().get("/disclosure/").context["businesses"] == []
