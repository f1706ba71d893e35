"""One consistent backup archive (tar.gz): the database, the uploaded files and a manifest of SHA-256 hashes;
and restoring it into the configured database and MEDIA_ROOT after checking every hash."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from xiaobao.cases.models import Case
from xiaobao.lib import timeutil
from xiaobao.records import keys as audit_keys
from xiaobao.units.models import TotpDevice

MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DB_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FORMAT = 1


class BackupError(Exception):
    pass


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _db() -> dict:
    return settings.DATABASES["default"]


def _pg_args(db: dict) -> tuple[list[str], dict]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _dump_database(target: Path) -> None:
    db = _db()
    vendor = connections["default"].vendor
    if vendor == "sqlite":
        # The online backup API copies a consistent snapshot even while the application writes (WAL mode).
        source = sqlite3.connect(str(db["NAME"]))
        dest = sqlite3.connect(str(target))
        try:
            with dest:
                source.backup(dest)
        finally:
            dest.close()
            source.close()
    elif vendor == "postgresql":
        args, env = _pg_args(db)
        run = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,  # noqa: S603, S607
                              "--file", str(target), str(db["NAME"])], env=env, capture_output=True, text=True,
                             check=False)
        if run.returncode != 0:
            raise BackupError(f"pg_dump 失败：{run.stderr.strip()}")
    else:
        raise BackupError(f"不支持的数据库：{vendor}")


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, MEDIA_PREFIX + path.relative_to(root).as_posix()


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connections["default"]).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _secret_key_fingerprint(secret_key: str) -> str:
    return hmac.new(secret_key.encode(), b"xiaobao.backup.secret-key-fingerprint", hashlib.sha256).hexdigest()[:16]


def key_fingerprints() -> dict:
    """What a restore needs besides the archive (issue 16, point 10), named without being given away: the
    archive never holds a key. TOTP secrets are sealed with SECRET_KEY (xiaobao.units.totp) and the audit trail
    with the audit key (xiaobao.records.keys); restored under other keys, nobody with a second factor can log in
    and the trail no longer verifies."""
    return {"secret_key": _secret_key_fingerprint(settings.SECRET_KEY), "audit_key": audit_keys.fingerprint(),
            "totp_devices": TotpDevice.objects.filter(confirmed_at__isnull=False).count()}


def check_keys(manifest: dict) -> None:
    """Raise BackupError, before anything is overwritten, when this installation lacks a key the archive needs."""
    kept = manifest.get("keys")
    if not kept:  # an archive from before the keys were recorded
        return
    known = {_secret_key_fingerprint(k) for k in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]}
    problems = []
    if kept.get("totp_devices") and kept.get("secret_key") not in known:
        problems.append(f"备份时的 SECRET_KEY 与当前不同：{kept['totp_devices']} 个账号的两步验证密钥以它加密，恢复后将无法登录。"
                        "请把原来的 SECRET_KEY 设为当前的 SECRET_KEY 后再恢复。")
    if kept.get("audit_key") != audit_keys.fingerprint():
        problems.append("备份时的审计密钥（XIAOBAO_AUDIT_KEY）与当前不同：恢复后审计记录将无法通过校验。"
                        "请设置原来的 XIAOBAO_AUDIT_KEY 后再恢复。")
    if problems:
        raise BackupError("".join(problems) + "确需按当前密钥恢复，请加 --allow-other-keys。")


def make_backup(output_dir: Path) -> tuple[Path, dict]:
    """Write xiaobao-backup-<time>.tar.gz into output_dir; return its path and manifest.

    The database is dumped first, then the files copied: files are written before the rows that name them
    commit, so every file the dumped database refers to is already there."""
    output_dir.mkdir(parents=True, exist_ok=True)
    vendor = connections["default"].vendor
    started = timeutil.now()
    with tempfile.TemporaryDirectory(prefix="xiaobao-backup-") as tmp:
        db_member = DB_MEMBERS.get(vendor, "database")
        db_file = Path(tmp) / db_member
        _dump_database(db_file)
        media = list(_media_files(Path(settings.MEDIA_ROOT)))
        hashes = {db_member: sha256_file(db_file)}
        for path, member in media:
            hashes[member] = sha256_file(path)
        manifest = {
            "format": FORMAT, "created_at": timezone.localtime(started).isoformat(), "database": {"vendor": vendor, "member": db_member},
            "item_count": Case.objects.count(), "file_count": len(media), "migrations": _migrations(),
            "keys": key_fingerprints(), "sha256": hashes,
        }
        name = f"xiaobao-backup-{timezone.localtime(started):%Y%m%d-%H%M%S-%f}.tar.gz"
        partial = output_dir / (name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(started.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname=db_member, recursive=False)
            for path, member in media:
                tar.add(path, arcname=member, recursive=False)
        final = output_dir / name
        os.replace(partial, final)
        final.chmod(0o600)
    return final, manifest


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def unpack_verified(archive: Path, into: Path) -> dict:
    """Extract the archive into `into` after checking that it holds exactly the manifest's members, each
    with its SHA-256. Raises BackupError and writes nothing outside `into` otherwise."""
    try:
        tar = tarfile.open(archive, "r:gz")
    except (OSError, tarfile.TarError) as e:
        raise BackupError(f"无法读取备份文件：{e}") from e
    with tar:
        members = {m.name: m for m in tar.getmembers()}
        if MANIFEST not in members:
            raise BackupError("备份文件中没有 manifest.json。")
        manifest = json.loads(tar.extractfile(members[MANIFEST]).read())
        expected = manifest.get("sha256") or {}
        db_member = (manifest.get("database") or {}).get("member")
        if db_member not in expected:
            raise BackupError("manifest.json 中没有数据库文件。")
        unexpected = set(members) - set(expected) - {MANIFEST}
        missing = set(expected) - set(members)
        if unexpected or missing:
            raise BackupError(f"备份内容与 manifest 不符：多出 {sorted(unexpected)}，缺少 {sorted(missing)}。")
        for name in expected:
            member = members[name]
            if not member.isfile() or not _safe_member(name):
                raise BackupError(f"备份中的 {name} 不是普通文件或路径不安全。")
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
            if sha256_file(target) != expected[name]:
                raise BackupError(f"{name} 的 SHA-256 与 manifest 不符，备份已损坏或被改动。")
    return manifest


def _restore_sqlite(source: Path) -> None:
    target = Path(_db()["NAME"])
    connections.close_all()
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(source, staged)
    # A WAL or shared-memory file left from the old database would be replayed onto the restored one.
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(staged, target)


def _restore_postgresql(source: Path) -> None:
    db = _db()
    connections.close_all()
    args, env = _pg_args(db)
    run = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",  # noqa: S603, S607
                          "--single-transaction", "--exit-on-error", *args, "--dbname", str(db["NAME"]),
                          str(source)], env=env, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise BackupError(f"pg_restore 失败：{run.stderr.strip()}")


def _restore_media(source: Path) -> None:
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    staged = root.with_name(root.name + ".restoring")
    shutil.rmtree(staged, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, staged)
    else:
        staged.mkdir()
    old = root.with_name(root.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        os.replace(root, old)
    os.replace(staged, root)
    shutil.rmtree(old, ignore_errors=True)


def restore_backup(archive: Path, *, allow_other_keys: bool = False) -> dict:
    """Replace the configured database and MEDIA_ROOT with the archive's, once every hash has checked out and
    (unless allow_other_keys) this installation has the keys the archive's data was sealed with."""
    vendor = connections["default"].vendor
    with tempfile.TemporaryDirectory(prefix="xiaobao-restore-") as tmp:
        manifest = unpack_verified(archive, Path(tmp))
        if manifest["database"]["vendor"] != vendor:
            raise BackupError(f"备份来自 {manifest['database']['vendor']} 数据库，当前配置的是 {vendor}。")
        if not allow_other_keys:
            check_keys(manifest)
        source = Path(tmp) / manifest["database"]["member"]
        if vendor == "sqlite":
            _restore_sqlite(source)
        elif vendor == "postgresql":
            _restore_postgresql(source)
        else:
            raise BackupError(f"不支持的数据库：{vendor}")
        _restore_media(Path(tmp) / MEDIA_PREFIX.rstrip("/"))
    return manifest
