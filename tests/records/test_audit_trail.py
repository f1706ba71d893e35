"""The audit trail: every change and every read of personal data, chained so tampering shows."""

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from tests.conftest import complaint_body
from xiaobao.records.models import AuditEntry


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        yield


@pytest.fixture
def routed(api):
    clerk = api("xiaobao")
    case = clerk.post("/api/v1/cases", complaint_body()).json()
    clerk.act(case["id"], "submit_for_triage")
    clerk.act(case["id"], "assign", {"unit": "st-nanjiao"})
    api("nanjiao").get(f"/api/v1/cases/{case['id']}")
    return case


def test_the_auditor_reads_every_change_and_every_read_of_personal_data_of_an_item(api, routed):
    r = api("auditor").get("/api/v1/audit", case=routed["id"])
    assert r.status_code == 200
    rows = r.json()["results"]
    actions = [(row["actor"], row["action"]) for row in reversed(rows)]
    assert ("xiaobao", "register") in actions and ("xiaobao", "assign") in actions
    assert ("nanjiao", "read_personal") in actions
    assert all({"at", "actor", "action", "object", "detail"} <= row.keys() for row in rows)


def test_staff_other_than_auditors_and_administrators_cannot_read_the_trail(api, routed):
    for username in ("xiaobao", "nanjiao", "juzhang"):
        assert api(username).get("/api/v1/audit", case=routed["id"]).status_code == 403
        assert api(username).get("/api/v1/audit/verify").status_code == 403
    assert api("admin").get("/api/v1/audit/verify").status_code == 200


def test_the_chain_verifies_and_an_edited_row_is_found(api, routed):
    ok = api("auditor").get("/api/v1/audit/verify").json()
    assert ok["ok"] is True and ok["rows"] == AuditEntry.objects.count()
    call_command("verify_audit")
    victim = AuditEntry.objects.filter(action="assign").get()
    with connection.cursor() as cur:  # a tamperer going around the application
        cur.execute("UPDATE records_auditentry SET actor_name = %s WHERE id = %s", ["fenguan", victim.pk])
    bad = api("auditor").get("/api/v1/audit/verify").json()
    assert bad["ok"] is False and bad["first_bad_row"] == victim.pk
    with pytest.raises(CommandError, match=str(victim.pk)):
        call_command("verify_audit")


def test_audit_rows_cannot_be_changed_or_deleted_through_the_application(api, routed):
    row = AuditEntry.objects.first()
    row.action = "nothing"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()


@pytest.mark.django_db
def test_each_row_seals_its_predecessor_the_same_way_whichever_database_stores_it():
    # On PostgreSQL the row goes in by raw SQL (records.audit._insert_chained), the JSON as jsonb; verify() reads
    # it back through the ORM. Texts that JSON escapes must give the same bytes on both sides.
    from xiaobao.records.audit import GENESIS, record, verify

    details = [{}, {"note": "退货并退还货款，\"加急\"\\n第二行\t制表", "n": 3, "amount": 12.5, "none": None},
               {"nested": {"b": [1, "二", {"c": True}], "a": "😀 emoji"}, "control": "\x01\x1f"}]
    rows = [record(actor=None, action="test", obj=f"case:{i}", case_id=i, detail=d) for i, d in enumerate(details)]
    stored = list(AuditEntry.objects.filter(pk__in=[r.pk for r in rows]).order_by("id"))
    assert [s.hash for s in stored] == [r.hash for r in rows]
    assert all(s.hash == s.compute_hash() for s in stored)
    assert stored[0].prev_hash == (AuditEntry.objects.filter(pk__lt=stored[0].pk).order_by("-id").values_list(
        "hash", flat=True).first() or GENESIS)
    assert [s.prev_hash for s in stored[1:]] == [s.hash for s in stored[:-1]]
    assert verify()["ok"]


@pytest.mark.django_db
def test_a_row_after_the_processes_own_goes_in_with_one_statement_and_a_stale_guess_still_chains():
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from xiaobao.records import audit

    audit.record(actor=None, action="test", obj="case:1")
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        audit.record(actor=None, action="test", obj="case:2")
    if connection.vendor == "postgresql":
        assert len(queries) == 1  # lock, head check and INSERT in one round trip
    audit._head_guess = "f" * 64  # another process wrote since
    third = audit.record(actor=None, action="test", obj="case:3")
    assert third.prev_hash == AuditEntry.objects.get(object="case:2").hash
    assert audit.verify()["ok"]
