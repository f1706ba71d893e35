"""Registration through POST /api/v1/cases is a lean write path (issue 9): a fixed, small number of queries,
one audit row, and a response built from what was just created that equals what a read answers."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import Api, complaint_body, report_body
from xiaobao.cases.models import Case, NumberSequence
from xiaobao.records.audit import verify
from xiaobao.records.models import AuditEntry

# Token, parties, number, item, timeline line, audit chain (SQLite: the last hash, then the insert;
# PostgreSQL: lock, last hash and insert in one round trip): at most 7 statements, captured here with the two
# savepoint lines of the test's own transaction. The external id is not looked up first: its unique
# constraint is the check (services.register_case).
# A complaint's national acceptance period starts with it (issue 17, point 6): the calendar's freshness check
# (two queries) and one INSERT more.
REGISTRATION_QUERIES = 12


def register(api: Api, body: dict):
    with CaptureQueriesContext(connection) as ctx:
        r = api.post("/api/v1/cases", body)
    assert r.status_code == 201, r.content[:300]
    return r.json(), [q["sql"] for q in ctx.captured_queries]


def test_a_registration_costs_a_fixed_small_number_of_queries(bureau):
    api = Api("xiaobao")
    register(api, complaint_body(external_id="12315-A-1"))  # the year's first number creates its counter
    _, queries = register(api, complaint_body(external_id="12315-A-2"))
    assert len(queries) <= REGISTRATION_QUERIES, "\n".join(queries)
    inserts = [table for q in queries for table in re.findall(r'INSERT INTO "(\w+)"', q)]
    # Both parties in one INSERT; one timeline line, the clock that runs from the receipt, one audit row.
    assert sorted(inserts) == sorted(["cases_party", "cases_case", "cases_event", "clocks_clock", "records_auditentry"])


def test_numbers_follow_each_other_and_a_new_year_starts_its_own_sequence(bureau):
    api = Api("xiaobao")
    first, _ = register(api, complaint_body())
    second, _ = register(api, complaint_body())
    report, _ = register(api, report_body())
    earlier, _ = register(api, complaint_body(received_at="2025-12-30T09:00:00+08:00"))
    assert (first["number"], second["number"]) == ("TS-2026-000001", "TS-2026-000002")
    assert report["number"] == "JB-2026-000001"
    assert earlier["number"] == "TS-2025-000001"
    assert NumberSequence.objects.get(key="case-complaint", year=2026).last == 2


@pytest.mark.parametrize(("username", "body"), [
    ("xiaobao", complaint_body()),
    ("xiaobao", report_body(complainant={"anonymous": True}, amount="12.5")),
    ("xiaobao", {"kind": "inquiry", "channel": "phone", "question": "网购七天无理由退货怎么算？",
                 "complainant": {"name": "王芳", "phone": "13900000003", "address": "曾都区东城街道青年路12号"}}),
    ("nanjiao", complaint_body(agent={"name": "张强", "phone": "13800000009"}, consent_disclosure=False)),
    ("nanjiao", report_body()),
])
def test_the_answer_to_a_registration_is_the_item_as_a_read_shows_it(bureau, username, body):
    api = Api(username)
    created, _ = register(api, body)
    read = api.get(f"/api/v1/cases/{created['id']}")
    assert read.status_code == 200
    assert created == read.json()


def test_one_audit_row_records_the_registration_and_the_complainant_shown_to_the_registrant(bureau):
    created, _ = register(Api("xiaobao"), complaint_body())
    rows = list(AuditEntry.objects.filter(case_id=created["id"]).values_list("actor_name", "action", "detail"))
    assert len(rows) == 1
    actor, action, detail = rows[0]
    assert (actor, action, detail["to"], detail["read_personal"]) == ("xiaobao", "register", "registered",
                                                                      ["complainant"])
    assert created["complainant"]["phone"] == "13800000001"
    assert verify()["ok"]


def test_a_registrant_who_may_not_see_the_reporter_leaves_no_read_in_the_audit_row(bureau):
    created, _ = register(Api("nanjiao"), report_body())
    assert created["complainant"]["name"] == "***"
    detail = AuditEntry.objects.get(case_id=created["id"]).detail
    assert "read_personal" not in detail


def test_the_same_external_id_again_answers_the_existing_item_without_a_second_registration(bureau):
    api = Api("xiaobao")
    created, _ = register(api, complaint_body(external_id="12315-B-1"))
    again = api.post("/api/v1/cases", complaint_body(external_id="12315-B-1"))
    assert again.status_code == 200 and again.json()["id"] == created["id"]
    assert Case.objects.filter(external_id="12315-B-1").count() == 1
    assert AuditEntry.objects.filter(case_id=created["id"], action="register").count() == 1
    # The refused second registration took no number: the next item gets the one after the first.
    following, _ = register(api, complaint_body(external_id="12315-B-2"))
    assert int(following["number"][-6:]) == int(created["number"][-6:]) + 1
    assert verify()["ok"]


def test_a_body_sent_again_that_no_longer_passes_the_checks_still_answers_its_item(bureau):
    api = Api("xiaobao")
    created, _ = register(api, complaint_body(external_id="12315-C-1"))
    again = api.post("/api/v1/cases", complaint_body(external_id="12315-C-1", facts=""))
    assert again.status_code == 200 and again.json()["id"] == created["id"]
    fresh = api.post("/api/v1/cases", complaint_body(external_id="12315-C-2", facts=""))
    assert fresh.status_code == 422


def test_an_external_id_taken_by_another_units_item_is_refused_without_showing_the_item(bureau):
    register(Api("xiaobao"), complaint_body(external_id="12315-D-1"))  # 消保股's item, not 南郊所's
    again = Api("nanjiao").post("/api/v1/cases", complaint_body(external_id="12315-D-1"))
    assert again.status_code == 422
    assert again.json()["errors"] == [{"field": "external_id", "message": "该来源渠道的此外部编号已经登记，不能重复登记。"}]
    assert "number" not in again.json()


def test_a_registration_notifies_nobody_so_it_needs_no_after_commit_hook(bureau):
    # register_case skips notify.after_commit for its event (one query less per intake); this fails if
    # on_event ever learns to notify about a registration.
    from xiaobao.cases.models import Event
    from xiaobao.notify.models import Notification
    from xiaobao.notify.services import on_event

    for username, body in (("xiaobao", complaint_body()), ("nanjiao", report_body()), ("xiaobao", report_body())):
        created, _ = register(Api(username), body)
        on_event(Event.objects.get(case_id=created["id"], action="register").pk)
    assert not Notification.objects.exists()


def test_numbers_keep_six_digits_and_grow_past_a_million_on_either_write_path(bureau):
    api = Api("xiaobao")
    first, _ = register(api, complaint_body())  # the year's first number: the ORM path creates the counter
    NumberSequence.objects.filter(key="case-complaint", year=2026).update(last=41)
    second, queries = register(api, complaint_body())
    NumberSequence.objects.filter(key="case-complaint", year=2026).update(last=999_999)
    third, _ = register(api, complaint_body())
    assert [first["number"], second["number"], third["number"]] == ["TS-2026-000001", "TS-2026-000042",
                                                                    "TS-2026-1000000"]
    # PostgreSQL takes the counter, the item and its line in one statement (cases/fastpath.py).
    assert any(q.startswith("WITH n AS (UPDATE") for q in queries) == (connection.vendor == "postgresql")
    assert third["events"][0]["note"].endswith("编号 TS-2026-1000000")
    assert api.get(f"/api/v1/cases/{third['id']}").json()["events"][0]["note"] == third["events"][0]["note"]
