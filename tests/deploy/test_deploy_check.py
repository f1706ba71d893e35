"""The production configuration passes Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_manage_check_deploy_is_clean_with_the_documented_production_environment():
    # The browser tests allow async-unsafe ORM calls in their process; production never does.
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**base, "SECRET_KEY": secrets.token_urlsafe(50), "DEBUG": "false", "XIAOBAO_HTTPS": "true",
           "ALLOWED_HOSTS": "xiaobao.example.gov.cn", "DJANGO_SETTINGS_MODULE": "xiaobao.settings",
           "XIAOBAO_AUDIT_KEY": secrets.token_urlsafe(32)}
    r = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL setting")
    with connection.cursor() as cur:
        cur.execute("SHOW jit")
        assert cur.fetchone()[0] == "off"


def _documented_settings() -> dict[str, str]:
    settings = {}
    for line in (ROOT / "deploy" / "postgresql.conf").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, value = line.partition("=")
            settings[name.strip()] = value.strip()
    return settings


def test_the_documented_postgresql_settings_keep_commits_synchronous_and_autovacuum_on():
    documented = _documented_settings()
    assert documented["synchronous_commit"] == "on" and documented["autovacuum"] == "on"
    assert documented["jit"] == "off"
    r = subprocess.run(["/bin/bash", "-n", str(ROOT / "scripts" / "pg-settings.sh")],  # noqa: S603 (our script)
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr


@pytest.mark.django_db
def test_every_documented_postgresql_setting_is_one_the_server_knows_with_a_valid_value():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL setting")
    documented = _documented_settings()
    with connection.cursor() as cur:
        cur.execute("SELECT name, vartype, unit, enumvals FROM pg_settings WHERE name = ANY(%s)", [list(documented)])
        known = {name: (vartype, unit, enumvals) for name, vartype, unit, enumvals in cur.fetchall()}
    assert set(documented) == set(known), set(documented) - set(known)
    for name, value in documented.items():
        vartype, unit, enumvals = known[name]
        if vartype == "bool":
            assert value in ("on", "off"), name
        elif vartype == "enum":
            assert value in enumvals, name
        elif unit:  # sizes such as 4GB, 32MB
            assert value[:-2].isdigit() and value[-2:] in ("kB", "MB", "GB"), name
        else:
            float(value)


def test_gunicorn_workers_freeze_their_long_lived_objects_after_their_first_requests():
    import gc
    import runpy

    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    worker = type("Worker", (), {})()
    gc.unfreeze()
    try:
        for _ in range(config["FREEZE_AFTER_REQUESTS"] - 1):
            config["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() == 0
        config["post_request"](worker, None, {}, None)
        assert gc.get_freeze_count() > 0  # the objects alive then are out of the full collections' sight
    finally:
        gc.unfreeze()
