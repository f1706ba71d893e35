"""Issue 16, point 9: someone with write access to the database rewrites the audit trail. Each attack goes
around the application (plain UPDATE/DELETE) and must be found by `verify_audit` and /api/v1/audit/verify."""

import hashlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from xiaobao.records.audit import GENESIS, record, verify
from xiaobao.records.models import SCHEME_PLAIN, AuditEntry
from xiaobao.units.models import Staff

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def trail(bureau) -> list[AuditEntry]:
    """Ten rows of a working day, by the dispatcher and a handler."""
    xiaobao, nanjiao = Staff.objects.get(username="xiaobao"), Staff.objects.get(username="nanjiao")
    rows = []
    for i in range(10):
        actor = xiaobao if i % 2 else nanjiao
        rows.append(record(actor=actor, action="read_personal", obj=f"case:{100 + i}", case_id=100 + i,
                           detail={"fields": ["name", "phone"], "reason": "回访"}))
    call_command("verify_audit")
    return rows


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cur:
        cur.execute(statement, params)


def _rechain_plainly(from_id: int) -> None:
    """What a tamperer without the key can do: recompute every later hash the way the pre-key chain did."""
    before = AuditEntry.objects.filter(pk__lt=from_id).order_by("-id").first()
    prev = before.hash if before else GENESIS
    for entry in AuditEntry.objects.filter(pk__gte=from_id).order_by("id"):
        digest = hashlib.sha256(entry.hash_payload(prev).encode()).hexdigest()
        AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=prev, hash=digest)
        prev = digest


def _fails(match: str) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("verify_audit")


def test_an_edited_row_with_every_later_hash_recomputed_is_found(trail):
    victim = trail[4]
    AuditEntry.objects.filter(pk=victim.pk).update(detail={"fields": ["name"], "reason": "回访"})
    _rechain_plainly(victim.pk)
    result = verify()
    assert result["ok"] is False and result["first_bad_row"] == victim.pk
    _fails(f"第 {victim.pk} 行")


def test_rows_passed_off_as_written_before_the_key_are_refused(trail):
    # The tamperer marks the edited rows as plain ones, whose hashes need no key.
    victim = trail[4]
    AuditEntry.objects.filter(pk__gte=victim.pk).update(scheme=SCHEME_PLAIN)
    AuditEntry.objects.filter(pk=victim.pk).update(action="read_audit")
    _rechain_plainly(victim.pk)
    assert verify()["first_bad_row"] == victim.pk
    _fails("未加密钥")


def test_a_whole_trail_rewritten_as_plain_rows_is_found_by_the_checkpoint(trail):
    call_command("checkpoint_audit")
    AuditEntry.objects.update(scheme=SCHEME_PLAIN)
    AuditEntry.objects.filter(pk=trail[2].pk).update(object="case:999")
    _rechain_plainly(trail[0].pk)
    assert verify()["ok"] is True  # the chain alone is consistent again ...
    _fails("检查点")  # ... but its head is not the one written down outside the database


def test_rows_resealed_with_a_guessed_key_are_found(trail, settings):
    victim = trail[7]
    AuditEntry.objects.filter(pk=victim.pk).update(actor_name="fenguan")
    settings.XIAOBAO_AUDIT_KEY = secrets.token_urlsafe(32)  # not the installation's key
    prev = trail[6].hash
    for entry in AuditEntry.objects.filter(pk__gte=victim.pk).order_by("id"):
        entry.prev_hash = prev
        AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=prev, hash=entry.compute_hash())
        prev = entry.compute_hash()
    settings.XIAOBAO_AUDIT_KEY = ""
    _fails(f"第 {victim.pk} 行")


def test_changing_the_actor_id_is_found(trail):
    victim = trail[3]
    other = Staff.objects.get(username="juzhang")
    _sql("UPDATE records_auditentry SET actor_id = %s WHERE id = %s", [other.pk, victim.pk])
    assert verify()["first_bad_row"] == victim.pk
    _fails(f"第 {victim.pk} 行")


def test_deleting_the_newest_rows_is_reported_as_a_truncated_tail(trail, api):
    call_command("checkpoint_audit")
    _sql("DELETE FROM records_auditentry WHERE id >= %s", [trail[7].pk])
    _fails(f"截断.*记录了 10 行（末行 {trail[9].pk}）.*只有 7 行（末行 {trail[6].pk}）")
    r = api("auditor").get("/api/v1/audit/verify").json()
    assert r["ok"] is False and r["truncated"]["checkpoint_last_id"] == trail[9].pk and "截断" in r["reason"]


def test_deleting_a_row_before_the_checkpoint_is_found(trail):
    call_command("checkpoint_audit")
    record(actor=None, action="login_failed", obj="user:nobody")
    victim = trail[5]
    _sql("DELETE FROM records_auditentry WHERE id = %s", [victim.pk])
    _fails(f"第 {trail[6].pk} 行与前一行的哈希不衔接")


def test_a_checkpoint_typed_into_the_file_by_hand_is_refused(trail, settings):
    call_command("checkpoint_audit")
    path = Path(settings.XIAOBAO_AUDIT_CHECKPOINT_FILE)
    line = path.read_text().splitlines()[0].replace("rows=10 ", "rows=7 ")
    path.write_text(path.read_text() + line + "\n")
    _fails("第 2 行的校验码不符")


def test_rows_written_before_the_key_still_verify_and_are_sealed_by_the_first_keyed_row(bureau):
    # Rows of an installation upgraded from the plain chain (migration records 0003): scheme 1, plain SHA-256.
    prev = GENESIS
    for i in range(3):
        entry = AuditEntry(at=AuditEntry._meta.get_field("at").to_python("2026-03-02T09:00:00+08:00"),
                           actor_name="xiaobao", action="register", object=f"case:{i}", case_id=i, detail={},
                           scheme=SCHEME_PLAIN, prev_hash=prev)
        entry.hash = entry.compute_hash()
        entry.save()
        prev = entry.hash
    old = list(AuditEntry.objects.order_by("id"))
    keyed = record(actor=None, action="login_failed", obj="user:nobody")
    assert keyed.prev_hash == old[-1].hash
    call_command("verify_audit")
    AuditEntry.objects.filter(pk=old[1].pk).update(object="case:999")
    _rechain_plainly(old[1].pk)  # through the plain rows; the keyed row's MAC holds the old head
    _fails(f"第 {keyed.pk} 行")


def test_check_deploy_warns_while_the_audit_key_is_not_set():
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "XIAOBAO_AUDIT_KEY",
                                                              "XIAOBAO_AUDIT_KEY_FILE"}}
    env = {**base, "SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "false", "XIAOBAO_HTTPS": "true",
           "ALLOWED_HOSTS": "xiaobao.example.gov.cn", "DJANGO_SETTINGS_MODULE": "xiaobao.settings"}
    r = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "records.W001" in r.stdout + r.stderr
