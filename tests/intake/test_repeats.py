"""一人多次, 一事多人 and the duplicate hint while registering."""

import pytest
import time_machine

from tests.conftest import complaint_body
from tests.web.test_pages import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _march_2026():
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        yield


def person(name: str, phone: str) -> dict:
    return {"name": name, "phone": phone, "address": "随州市曾都区东城街道舜井大道66号"}


def plant(api) -> dict[str, list[str]]:
    clerk = api("xiaobao")
    numbers: dict[str, list[str]] = {"repeat": [], "matter": [], "old": []}
    for i, when in enumerate(["2026-02-10T09:00:00+08:00", "2026-02-20T09:00:00+08:00", "2026-03-01T09:00:00+08:00"]):
        r = clerk.post("/api/v1/cases", complaint_body(
            received_at=when, complainant=person("陈秀英", "13872260001"),
            respondent={"name": f"随州市曾都区商户{i}号", "address": "随州市曾都区西城街道解放路1号"}))
        numbers["repeat"].append(r.json()["number"])
    # Three people about one business, its name written three ways and once with its credit code missing.
    for name, phone, business in [("王芳", "13900000011", "随州市曾都区丽人坊美容美发店"),
                                  ("李强", "13900000012", "随州市曾都区丽人坊美容美发店 "),
                                  ("赵敏", "13900000013", "随州市曾都区丽人坊美容美发店")]:
        r = clerk.post("/api/v1/cases", complaint_body(
            complainant=person(name, phone), facts="办理美容卡充值后店家停业，拒绝退款。",
            respondent={"name": business, "address": "随州市曾都区北郊街道擂鼓墩大道219号"}))
        numbers["matter"].append(r.json()["number"])
    # Older than 90 days: not counted.
    r = clerk.post("/api/v1/cases", complaint_body(received_at="2025-11-01T09:00:00+08:00",
                                                  complainant=person("陈秀英", "13872260001")))
    numbers["old"].append(r.json()["number"])
    return numbers


def test_the_api_finds_a_repeat_filer_and_a_many_people_matter(api):
    numbers = plant(api)
    r = api("xiaobao").get("/api/v1/intake/repeats")
    assert r.status_code == 200
    body = r.json()
    repeat = [p for p in body["persons"] if p["phone_masked"] == "138****0001"]
    assert repeat == [{"phone_masked": "138****0001", "count": 3, "cases": numbers["repeat"]}]
    matter = [m for m in body["matters"] if "丽人坊" in m["respondent"]]
    assert len(matter) == 1
    assert matter[0]["count"] == 3 and matter[0]["people"] == 3 and matter[0]["cases"] == numbers["matter"]
    assert "13872260001" not in r.content.decode()


def test_repeats_are_for_dispatchers_only(api):
    assert api("nanjiao").get("/api/v1/intake/repeats").status_code == 403
    assert api("auditor").get("/api/v1/intake/repeats").status_code == 403
    assert login("nanjiao").get("/intake/repeats/").status_code == 403


def test_the_repeats_page_links_to_the_items(api):
    numbers = plant(api)
    html = login("xiaobao").get("/intake/repeats/").content.decode()
    assert "138****0001" in html and "13872260001" not in html
    for number in numbers["repeat"] + numbers["matter"]:
        assert number in html
    assert numbers["old"][0] not in html


def test_the_thresholds_are_settings(api, settings):
    plant(api)
    settings.XIAOBAO_REPEAT_PERSON_MIN = 4
    settings.XIAOBAO_REPEAT_MATTER_MIN = 4
    body = api("xiaobao").get("/api/v1/intake/repeats").json()
    assert body == {"persons": [], "matters": []}


def test_the_duplicates_fragment_finds_a_same_phone_item(api):
    numbers = plant(api)
    r = login("xiaobao").get("/intake/duplicates", {"phone": "13872260001"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    html = r.content.decode()
    assert all(n in html for n in numbers["repeat"]) and "同一联系电话" in html
    assert numbers["old"][0] not in html


def test_the_duplicates_fragment_finds_the_same_respondent_and_similar_facts(api):
    numbers = plant(api)
    page = login("xiaobao")
    html = page.get("/intake/duplicates", {"respondent": "随州市曾都区丽人坊美容美发店"}).content.decode()
    assert all(n in html for n in numbers["matter"]) and "同一被投诉人" in html
    html = page.get("/intake/duplicates", {"facts": "在美容店办理美容卡充值，店家停业后拒绝退款"}).content.decode()
    assert "事实相似" in html and numbers["matter"][0] in html
    assert page.get("/intake/duplicates", {"phone": "13000000000"}).content.decode().strip() == ""


def test_the_duplicates_fragment_takes_the_registration_forms_field_names(api):
    numbers = plant(api)
    html = login("xiaobao").get("/intake/duplicates", {"complainant_phone": "13872260001", "respondent_name": "",
                                                       "facts": ""}).content.decode()
    assert numbers["repeat"][0] in html


def test_the_duplicates_fragment_keeps_to_what_the_user_may_see(api):
    plant(api)
    html = login("dongcheng").get("/intake/duplicates", {"phone": "13872260001"}).content.decode()
    assert html.strip() == ""
    assert login("auditor").get("/intake/duplicates", {"phone": "13872260001"}).status_code == 403
