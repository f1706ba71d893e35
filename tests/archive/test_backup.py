"""backup and restore: one tar.gz with the database, the uploaded files and a manifest of hashes, restored
end to end in a separate process (pytest-django's in-memory SQLite cannot be backed up by file)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings

from xiaobao.archive.backup import BackupError, unpack_verified

ROOT = Path(__file__).resolve().parents[2]
UPLOAD = "document_templates/受理通知书模板.docx"


def _manage(env: dict, *args: str) -> str:
    run = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,  # noqa: S603
                         timeout=600, check=False)
    assert run.returncode == 0, f"manage.py {' '.join(args)}\n{run.stdout}\n{run.stderr}"
    return run.stdout


def _counts(env: dict) -> tuple[int, int]:
    out = _manage(env, "shell", "-c", "from xiaobao.cases.models import Case; from xiaobao.records.audit import "
                                       "verify; print('COUNT', Case.objects.count(), verify()['ok'])")
    line = next(x for x in out.splitlines() if x.startswith("COUNT"))
    _, count, ok = line.split()
    return int(count), ok == "True"


def _round_trip(tmp_path: Path, database_url: str, drop_database) -> None:
    var = tmp_path / "var"
    env = {**os.environ, "DATABASE_URL": database_url, "XIAOBAO_VAR_DIR": str(var),
           "XIAOBAO_DEMO_PASSWORD": "Backup-test-2026", "DJANGO_SETTINGS_MODULE": "xiaobao.settings"}
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "load_demo", "--items", "10")
    upload = var / "uploads" / UPLOAD
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"PK\x03\x04 template bytes")
    items, ok = _counts(env)
    assert items == 10 and ok

    out = _manage(env, "backup", "--output", str(tmp_path / "backups"))
    (archive,) = (tmp_path / "backups").glob("xiaobao-backup-*.tar.gz")
    assert "10 件" in out
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        assert set(tar.getnames()) == {"manifest.json", *manifest["sha256"]}
    assert manifest["item_count"] == 10 and manifest["file_count"] == 1
    assert set(manifest["keys"]) == {"secret_key", "audit_key", "totp_devices"}  # named, never carried
    assert "不含密钥" in out
    assert f"media/{UPLOAD}" in manifest["sha256"]

    drop_database()
    shutil.rmtree(var / "uploads")

    _manage(env, "restore", str(archive), "--yes")
    assert _counts(env) == (10, True)
    assert upload.read_bytes() == b"PK\x03\x04 template bytes"


def test_sqlite_round_trip_restores_items_and_files(tmp_path):
    db = tmp_path / "xiaobao.sqlite3"

    def drop():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)

    _round_trip(tmp_path, f"sqlite:///{db}", drop)
    assert db.exists()


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                    reason="the PostgreSQL round trip runs when the suite runs on PostgreSQL")
def test_postgresql_round_trip_restores_items_and_files(tmp_path):
    db = settings.DATABASES["default"]
    name = f"xiaobao_backup_test_{os.getpid()}"
    host, port, user = db.get("HOST") or "127.0.0.1", str(db.get("PORT") or 5432), db.get("USER") or "postgres"
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}

    def psql(sql: str) -> None:
        subprocess.run(["psql", "-h", host, "-p", port, "-U", user, "-d", "postgres", "-v", "ON_ERROR_STOP=1",  # noqa: S603, S607
                        "-c", sql], env=env, check=True, capture_output=True)

    def recreate():
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        psql(f'CREATE DATABASE "{name}"')

    recreate()
    auth = f"{user}:{db['PASSWORD']}@" if db.get("PASSWORD") else f"{user}@"
    try:
        _round_trip(tmp_path, f"postgres://{auth}{host}:{port}/{name}", recreate)
    finally:
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _archive(tmp_path: Path, members: dict[str, bytes], manifest: dict | None = None) -> Path:
    if manifest is None:
        manifest = {"database": {"vendor": "sqlite", "member": "database.sqlite3"},
                    "sha256": {n: hashlib.sha256(b).hexdigest() for n, b in members.items()}}
    path = tmp_path / "b.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_checked_archive_unpacks(tmp_path):
    path = _archive(tmp_path, {"database.sqlite3": b"db", "media/a/b.txt": b"file"})
    manifest = unpack_verified(path, tmp_path / "out")
    assert manifest["database"]["member"] == "database.sqlite3"
    assert (tmp_path / "out" / "media/a/b.txt").read_bytes() == b"file"


def test_a_changed_file_is_refused(tmp_path):
    members = {"database.sqlite3": b"db", "media/a.txt": b"file"}
    manifest = {"database": {"vendor": "sqlite", "member": "database.sqlite3"},
                "sha256": {n: hashlib.sha256(b).hexdigest() for n, b in members.items()}}
    path = _archive(tmp_path, {**members, "media/a.txt": b"changed"}, manifest)
    with pytest.raises(BackupError, match="SHA-256"):
        unpack_verified(path, tmp_path / "out")


def test_members_outside_the_manifest_or_outside_the_folder_are_refused(tmp_path):
    members = {"database.sqlite3": b"db"}
    manifest = {"database": {"vendor": "sqlite", "member": "database.sqlite3"},
                "sha256": {n: hashlib.sha256(b).hexdigest() for n, b in members.items()}}
    with pytest.raises(BackupError, match="不符"):
        unpack_verified(_archive(tmp_path, {**members, "media/extra.txt": b"x"}, manifest), tmp_path / "o1")
    evil = {"database.sqlite3": b"db", "../escape.txt": b"x"}
    with pytest.raises(BackupError, match="不安全"):
        unpack_verified(_archive(tmp_path, evil), tmp_path / "o2")
    assert not (tmp_path / "escape.txt").exists()


def test_restore_without_yes_in_a_script_refuses(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "XIAOBAO_VAR_DIR": str(tmp_path)}
    path = _archive(tmp_path, {"database.sqlite3": b"db"})
    run = subprocess.run([sys.executable, "manage.py", "restore", str(path)], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,  # noqa: S603
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode != 0 and "--yes" in run.stderr
