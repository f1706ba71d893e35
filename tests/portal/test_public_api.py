"""The public API: a member of the public submits, gets a number and a query code, and follows the item
with them; they see where it stands, its deadlines and the replies, and nothing else."""

import pytest
import time_machine

from tests.conftest import complaint_body, report_body
from tests.portal.helpers import public, submit, track
from xiaobao.cases.models import Case
from xiaobao.portal.models import Hit, Submission
from xiaobao.portal.services import QUERY_CODE_ALPHABET

pytestmark = pytest.mark.django_db

TRACK_KEYS = {"number", "kind", "state", "outcome", "received_at", "clocks", "replies"}


def _public_complaint(**overrides) -> dict:
    body = complaint_body(**overrides)
    del body["channel"], body["received_at"]
    return body


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_a_complaint_is_followed_from_submission_to_the_reply(api):
    person = public()
    r = submit(person, _public_complaint())
    assert r.status_code == 201, r.json()
    number, code = r.json()["number"], r.json()["query_code"]
    assert set(r.json()) == {"number", "query_code"} and number.startswith("TS-2026-")

    r = track(person, number, code)
    assert r.status_code == 200, r.json()
    seen = r.json()
    assert set(seen) == TRACK_KEYS
    assert seen["state"] == "registered" and seen["kind"] == "complaint" and seen["outcome"] is None
    assert seen["received_at"] == "2026-03-02T10:00:00+08:00"
    # The bureau's 7 working days to decide run from its receipt (SAMR-2019 第十四条; issue 17, point 6).
    assert seen["clocks"] == [{"name": "national_acceptance", "label": "受理决定（自本局收到）", "due": "2026-03-11",
                               "state": "running"}]
    assert seen["replies"] == []

    clerk, handler = api("xiaobao"), api("nanjiao")
    case_id = clerk.get("/api/v1/cases", q=number).json()["results"][0]["id"]
    assert clerk.act(case_id, "submit_for_triage").status_code == 200
    assert clerk.act(case_id, "assign", {"unit": "st-nanjiao", "note": "属地分流，内部意见"}).status_code == 200
    assert handler.act(case_id, "accept").status_code == 200
    assert handler.act(case_id, "mediate", {"result": "agreed", "amount_recovered": "800.00",
                                            "agreement": "商家退还货款800元"}).status_code == 200
    assert handler.act(case_id, "reply", {"channel": "phone", "content": "已电话告知"}).status_code == 200

    r = track(person, number, code)
    assert r.status_code == 200
    seen = r.json()
    assert set(seen) == TRACK_KEYS
    assert seen["state"] == "concluded" and seen["outcome"] == "mediated"
    assert seen["replies"] == [{"at": "2026-03-02T10:00:00+08:00", "channel": "phone", "content": "已电话告知"}]
    clocks = {c["name"]: c for c in seen["clocks"]}
    assert all(set(c) == {"name", "label", "due", "state"} for c in seen["clocks"])
    assert clocks["acceptance"] == {"name": "acceptance", "label": "受理决定", "due": "2026-03-11", "state": "met"}
    assert clocks["reply"]["due"] == "2026-03-05" and clocks["reply"]["state"] == "met"
    assert "sign_off" not in clocks  # the bureau's internal discipline, not the person's deadline

    text = r.content.decode()
    for private in ("13800000001", "张伟", "鑫达", "白云大道", "xiaobao", "nanjiao", "st-nanjiao",
                    "内部意见", "商家退还货款800元", "3299"):
        assert private not in text, private


def test_the_query_code_is_unambiguous_and_stored_only_as_a_hash(bureau):
    r = submit(public(), _public_complaint())
    code = r.json()["query_code"]
    assert len(code) >= 8 and set(code) <= set(QUERY_CODE_ALPHABET)
    assert not set(code) & set("0O1IL")
    stored = Submission.objects.get(case__number=r.json()["number"])
    assert code not in stored.query_code_hash


def test_the_code_may_be_typed_back_grouped_and_in_lower_case(bureau):
    person = public()
    r = submit(person, _public_complaint())
    code = r.json()["query_code"]
    grouped = "-".join(code[i:i + 4] for i in range(0, len(code), 4)).lower()
    assert track(person, r.json()["number"], grouped).status_code == 200


def test_a_wrong_code_and_an_unknown_number_look_the_same(bureau):
    person = public()
    r = submit(person, _public_complaint())
    number, code = r.json()["number"], r.json()["query_code"]
    wrong_code = track(person, number, "ACDEFGHJKMNP" if code != "ACDEFGHJKMNP" else "PNMKJHGFEDCA")
    unknown = track(person, "TS-2026-999999", code)
    assert wrong_code.status_code == unknown.status_code == 404
    assert wrong_code.json() == unknown.json() == {"error": "编号或查询码不正确，请核对后重试。"}


def test_an_item_registered_by_staff_cannot_be_tracked(api):
    staff_case = api("xiaobao").post("/api/v1/cases", complaint_body()).json()
    assert track(public(), staff_case["number"], "ACDEFGHJKMNP").status_code == 404


def test_an_empty_complaint_names_every_missing_field_and_stores_nothing(bureau):
    r = submit(public(), {"kind": "complaint"})
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {
        "complainant.name", "complainant.phone", "complainant.address", "respondent.name",
        "respondent.address", "facts", "demand"}
    assert all(e["message"] for e in r.json()["errors"])
    assert not Case.objects.exists() and not Submission.objects.exists() and not Hit.objects.exists()


def test_text_too_long_for_the_record_is_refused_not_truncated(bureau):
    r = submit(public(), _public_complaint(complainant={"name": "张" * 200, "phone": "1", "address": "a"}))
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["complainant.name"]
    assert not Case.objects.exists()


def test_an_anonymous_report_is_accepted_and_keeps_no_identity(bureau):
    body = report_body(complainant={"name": "李娜", "phone": "13900000002", "anonymous": True})
    del body["channel"], body["received_at"]
    person = public()
    r = submit(person, body)
    assert r.status_code == 201, r.json()
    case = Case.objects.select_related("complainant").get(number=r.json()["number"])
    assert case.kind == "report" and case.channel == "web"
    assert case.complainant.anonymous and case.complainant.name == "" and case.complainant.phone == ""
    assert track(person, case.number, r.json()["query_code"]).json()["state"] == "registered"


def test_the_public_sets_neither_the_channel_nor_an_external_id_nor_the_time_received(bureau):
    body = complaint_body(external_id="12315-0001", tier="urgent")  # channel phone, received 09:30
    first, second = submit(public(), body), submit(public(), body)
    assert first.status_code == second.status_code == 201
    assert first.json()["number"] != second.json()["number"]
    case = Case.objects.get(number=first.json()["number"])
    assert case.channel == "web" and case.external_id is None and case.tier == "general"


def test_consents_are_kept_on_the_item(bureau):
    r = submit(public(), {**_public_complaint(), "consent_disclosure": True, "consent_mediation": False})
    stored = Submission.objects.get(case__number=r.json()["number"])
    assert stored.case.consent_disclosure is True and stored.case.consent_entrusted_mediation is False


def test_a_body_that_is_not_a_json_object_is_a_422(bureau):
    r = public().post("/api/public/v1/submissions", "[1, 2]", content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body"


def test_the_public_api_has_its_own_openapi_document(bureau):
    doc = public().get("/api/public/v1/openapi.json").json()
    assert doc["info"]["version"] == "public-1"
    assert set(doc["paths"]) == {"/api/public/v1/submissions", "/api/public/v1/track"}
    assert {"201", "422", "429"} <= set(doc["paths"]["/api/public/v1/submissions"]["post"]["responses"])


def test_the_public_api_serves_no_docs_page_that_would_load_a_cdn(bureau):
    assert public().get("/api/public/v1/docs").status_code == 404


def test_an_inquiry_answered_by_staff_shows_the_answer_on_the_track_page(bureau):
    from xiaobao.cases import services as cases
    from xiaobao.units.models import Staff

    r = submit(public(), {"kind": "inquiry", "facts": "预付卡商家关门了应该向哪个部门投诉？",
                          "complainant": {"name": "王芳", "phone": "13700000003", "address": "曾都区"}})
    assert r.status_code == 201, r.content
    number, code = r.json()["number"], r.json()["query_code"]
    from xiaobao.cases.models import Case

    cases.answer(actor=Staff.objects.get(username="xiaobao"), case_id=Case.objects.get(number=number).pk,
                 body={"answer": "可向本局投诉，并保留预付凭证。"})
    seen = public().get("/api/public/v1/track", {"number": number, "query_code": code}).json()
    assert seen["state"] == "concluded" and seen["outcome"] == "answered"
    assert [x["content"] for x in seen["replies"]] == ["可向本局投诉，并保留预付凭证。"]
