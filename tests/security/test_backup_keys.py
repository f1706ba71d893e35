"""Issue 16, point 10: a backup restored on a machine with another SECRET_KEY or audit key. The archive carries
no key (anyone holding it would hold them); it names them by fingerprint, and the restore refuses, before
overwriting anything, to bring back TOTP secrets nobody can open and an audit trail that no longer verifies."""

import hashlib
import io
import json
import secrets
import tarfile

import pytest
from django.db import connection

from xiaobao.archive.backup import BackupError, check_keys, key_fingerprints, restore_backup
from xiaobao.records.audit import record, verify
from xiaobao.records.models import AuditEntry
from xiaobao.units import accounts
from xiaobao.units.models import Staff, TotpDevice

pytestmark = pytest.mark.django_db


@pytest.fixture
def installation(bureau, settings):
    settings.SECRET_KEY = "the-bureaus-own-secret-key-" + "x" * 30
    settings.XIAOBAO_AUDIT_KEY = "the-bureaus-own-audit-key-" + "y" * 30
    accounts.start_enrolment(Staff.objects.get(username="juzhang"))
    TotpDevice.objects.update(confirmed_at="2026-03-02T10:00:00+08:00")
    record(actor=None, action="test", obj="case:1")
    return settings


def _archive(tmp_path, keys: dict):
    members = {"database.sqlite3": b"db"}
    manifest = {"database": {"vendor": connection.vendor, "member": "database.sqlite3"}, "keys": keys,
                "sha256": {n: hashlib.sha256(b).hexdigest() for n, b in members.items()}}
    path = tmp_path / "b.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_restore_under_another_secret_key_is_refused_before_anything_is_overwritten(installation, tmp_path):
    archive = _archive(tmp_path, key_fingerprints())
    installation.SECRET_KEY = secrets.token_urlsafe(50)  # a new server, set up from scratch
    with pytest.raises(BackupError, match="SECRET_KEY 与当前不同：1 个账号的两步验证"):
        restore_backup(archive)
    assert AuditEntry.objects.filter(action="test").exists() and verify()["ok"]  # nothing was overwritten


def test_the_old_secret_key_as_a_fallback_is_enough(installation):
    kept = key_fingerprints()
    old = installation.SECRET_KEY
    installation.SECRET_KEY, installation.SECRET_KEY_FALLBACKS = secrets.token_urlsafe(50), [old]
    check_keys({"keys": kept})


def test_a_restore_under_another_audit_key_is_refused(installation):
    kept = key_fingerprints()
    installation.XIAOBAO_AUDIT_KEY = secrets.token_urlsafe(40)
    with pytest.raises(BackupError, match="XIAOBAO_AUDIT_KEY"):
        check_keys({"keys": kept})
    check_keys({})  # archives from before the keys were named restore as before
