"""Search by person (issue 18, point 5; rules 三.5): those who may see a complainant's or reporter's identity
find items by the person's phone, ID number or name, however the phone is written; others are refused; every
search is in the audit trail, masked; a reporter is found only by those who may see reporters."""

import pytest
import time_machine

from tests.conftest import Api, complaint_body, report_body
from xiaobao.cases import persons
from xiaobao.cases.models import Party
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.django_db

PHONES = ["13800000001", "138-0000-0001", "+86 138 0000 0001", "0086 13800000001", "8613800000001",
          "(138)0000 0001", "１３８－００００－０００１", "＋86 13800000001", "0722-3812345", "+86 722 3812345",
          "(0722)3812345", "3812345", "", " ", "+1 555 0100", "+86", "0722－3812345"]
IDS = ["421302199001011234", "42130219900101123x", "421302 19900101 123X", "４２１３０２１９９００１０１１２３ｘ",
       "", "E12345678"]
NAMES = ["张伟", " 张 伟 ", "张\u3000伟", "John Smith", "阿卜杜·热合曼", "", "Ｊｏｈｎ"]


def test_the_database_keys_a_person_as_the_search_normalises_what_is_typed(bureau):
    """The triggers (migration 0015) and cases.persons agree, for rows inserted and rows changed."""
    rows = [Party(role="complainant", phone=p, id_number=i, name=n)
            for p, i, n in zip(PHONES, IDS * 3, NAMES * 3, strict=False)]
    Party.objects.bulk_create(rows)
    changed = Party.objects.create(role="complainant", phone="1", name="x")
    changed.phone, changed.id_number, changed.name = "+86 139-0000-0002", "11010519491231002x", "王 五"
    changed.save()
    respondent = Party.objects.create(role="respondent", phone="13800000001", name="张伟")
    for party in Party.objects.filter(role="complainant"):
        assert (party.phone_key, party.id_key, party.name_key) == (
            persons.phone_key(party.phone), persons.id_key(party.id_number), persons.name_key(party.name)), party.phone
    respondent.refresh_from_db()
    assert (respondent.phone_key, respondent.id_key, respondent.name_key) == (None, None, None)
    assert persons.phone_key("+86 138 0000 0001") == persons.phone_key("138-0000-0001") == "13800000001"
    assert persons.phone_key("+86 722 3812345") == persons.phone_key("0722-3812345") == "07223812345"
    assert persons.id_key("421302 19900101 123x") == "42130219900101123X"


@pytest.fixture
def filed(api):
    """A complaint at 南郊所, a report at 南郊所 (its reporter 李娜), a complaint at 东城所."""
    clerk = api("xiaobao")
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        ids = {}
        for key, body, unit in (
                ("complaint", complaint_body(), "st-nanjiao"),
                ("report", report_body(), "st-nanjiao"),
                ("other", complaint_body(external_id="C2", complainant={
                    "name": "欧阳娜娜", "phone": "0722-3812345", "address": "曾都区东城街道文化路1号",
                    "id_type": "居民身份证", "id_number": "42130219850505002X"}), "st-dongcheng")):
            case = clerk.post("/api/v1/cases", body).json()
            clerk.act(case["id"], "submit_for_triage")
            clerk.act(case["id"], "assign", {"unit": unit})
            if key == "report":
                # A client of its own: a token issued at the travelled time would be stale in the tests.
                Api("fenguan").act(case["id"], "approve", {"note": "同意"})
            ids[key] = case["id"]
    return ids


def found(client, person: str, **params) -> list[int]:
    r = client.get("/api/v1/cases", person=person, **params)
    assert r.status_code == 200, r.content.decode()
    return sorted(c["id"] for c in r.json()["results"])


@pytest.mark.parametrize("typed", ["13800000001", "138-0000-0001", "+86 138 0000 0001", "0086-138-0000-0001",
                                   "１３８００００００01", "421302199001011234", "4213 0219 9001 0112 34"])
def test_the_clerk_finds_a_complainant_by_phone_or_id_number_however_written(api, filed, typed):
    assert found(api("xiaobao"), typed) == [filed["complaint"]]


def test_the_clerk_finds_by_name_whole_or_its_beginning_and_by_landline_and_lower_case_x(api, filed):
    clerk = api("xiaobao")
    assert found(clerk, "张伟") == [filed["complaint"]]
    assert found(clerk, "欧阳") == found(clerk, "欧阳娜娜") == [filed["other"]]
    assert found(clerk, "+86 722 3812345") == found(clerk, "(0722) 381-2345") == [filed["other"]]
    assert found(clerk, "42130219850505002x") == [filed["other"]]
    assert found(clerk, "李娜") == [filed["report"]]  # 消保股 sees reporters (rules 三.5)
    assert found(clerk, "13999999999") == [] and found(clerk, "张伟伟") == []
    # Combined with the other filters.
    assert found(clerk, "张伟", unit="st-dongcheng") == [] and found(clerk, "张伟", q="空调") == [filed["complaint"]]


def test_a_search_by_person_is_audited_masked_with_who_searched_and_what_it_found(api, filed):
    api("xiaobao").get("/api/v1/cases", person="+86 138-0000-0001")
    api("xiaobao").get("/api/v1/cases", person="张伟")
    rows = list(AuditEntry.objects.filter(action="read_personal", object="person-search").order_by("id"))
    assert [(r.actor_name, r.detail["person"], r.detail["by"], r.detail["via"], r.detail["cases"]) for r in rows] == [
        ("xiaobao", "138****0001", "number", "api", [filed["complaint"]]),
        ("xiaobao", "张*", "name", "api", [filed["complaint"]])]
    assert "13800000001" not in str([r.detail for r in rows])


@pytest.mark.parametrize("user", ["archivist", "fenguan", "juzhang", "admin"])
def test_staff_who_may_not_see_identities_cannot_search_by_person(api, filed, user):
    r = api(user).get("/api/v1/cases", person="13800000001")
    assert r.status_code == 403 and "无权按当事人查找" in r.json()["error"]
    assert not AuditEntry.objects.filter(object="person-search").exists()
    assert api(user).get("/api/v1/cases").status_code == 200  # the list itself is unchanged


def test_a_reporter_is_not_found_by_a_unit_that_may_not_see_reporters_规则_三_5(api, filed):
    station = api("nanjiao")
    # 南郊所 holds the report and sees it in its list, but not who reported it: searching finds nothing.
    assert filed["report"] in [c["id"] for c in station.get("/api/v1/cases").json()["results"]]
    assert found(station, "13900000002") == [] and found(station, "李娜") == []
    # Its own complainant, yes; another station's, no.
    assert found(station, "13800000001") == [filed["complaint"]]
    assert found(station, "0722-3812345") == [] and found(api("dongcheng"), "0722-3812345") == [filed["other"]]
    assert found(api("auditor"), "13900000002") == [filed["report"]]


@pytest.mark.parametrize(("typed", "message"), [("138000", "至少输入 7 位数字"), ("张", "至少输入 2 个字")])
def test_a_term_too_short_to_name_someone_is_refused(api, filed, typed, message):
    r = api("xiaobao").get("/api/v1/cases", person=typed)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "person"
    assert message in r.json()["errors"][0]["message"]


def test_a_common_name_past_the_list_cap_is_still_found(api, filed, monkeypatch):
    monkeypatch.setattr(persons, "IDS_CAP", 0)
    assert found(api("xiaobao"), "张伟") == [filed["complaint"]]
    assert AuditEntry.objects.get(object="person-search").detail["found"] == "0+"
