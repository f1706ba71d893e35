"""The replica's settings and its pinning logic, on any database (issue 24, points 2 and 5); the behaviour
against a real streaming replica is tests/replica."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from xiaobao.lib import dbrouter
from xiaobao.records.audit import record

ROOT = Path(__file__).resolve().parents[2]
SHOW = ("import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'aliases': sorted(s.DATABASES), 'routers': s.DATABASE_ROUTERS, "
        "'middleware': [m for m in s.MIDDLEWARE if 'dbrouter' in m], 'db': s.DATABASES['default'], "
        "'replica': s.DATABASES.get('replica')}, default=str))")


def settings_with(**env) -> dict:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_REPLICA_URL", "XIAOBAO_PGBOUNCER")}
    run = subprocess.run([sys.executable, "-c", SHOW], cwd=ROOT, capture_output=True, text=True, check=True,  # noqa: S603
                         env={**base, "DJANGO_SETTINGS_MODULE": "xiaobao.settings",
                              "DATABASE_URL": "postgres://xiaobao@db.example:5432/xiaobao", **env})
    return json.loads(run.stdout)


def test_without_a_replica_url_nothing_changes():
    shown = settings_with()
    assert shown["aliases"] == ["default"] and shown["routers"] == [] and shown["middleware"] == []
    assert shown["db"]["OPTIONS"]["options"] == "-c jit=off"


def test_a_replica_url_adds_the_alias_the_router_and_the_pin_middleware():
    shown = settings_with(DATABASE_REPLICA_URL="postgres://xiaobao@replica.example:5432/xiaobao")
    assert shown["aliases"] == ["default", "replica"]
    assert shown["routers"] == ["xiaobao.lib.dbrouter.ReplicaRouter"]
    assert shown["middleware"] == ["xiaobao.lib.dbrouter.ReplicaPinMiddleware"]
    assert shown["replica"]["HOST"] == "replica.example" and shown["replica"]["TEST"]["MIRROR"] == "default"
    assert shown["replica"]["OPTIONS"]["connect_timeout"] == 2


def test_behind_pgbouncer_no_server_side_cursors_prepared_statements_or_startup_options():
    shown = settings_with(XIAOBAO_PGBOUNCER="1", DATABASE_REPLICA_URL="postgres://xiaobao@127.0.0.1:6432/xiaobao_replica")
    for db in (shown["db"], shown["replica"]):
        assert db["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert db["OPTIONS"]["prepare_threshold"] is None
        assert "options" not in db["OPTIONS"]
    ini = (ROOT / "deploy" / "pgbouncer.ini").read_text()
    assert "pool_mode = transaction" in ini and "auth_file = /etc/pgbouncer/userlist.txt" in ini


@pytest.mark.parametrize(("sql", "writes"), [
    ('INSERT INTO "cases_case" ("number") VALUES (%s)', True),
    ('UPDATE "cases_case" SET "state" = %s WHERE "id" = %s', True),
    ('DELETE FROM "units_loginattempt" WHERE "at" < %s', True),
    ('WITH n AS (UPDATE "cases_numbersequence" SET "last" = "last" + 1) INSERT INTO "cases_case" SELECT 1', True),
    ('SELECT "cases_case"."id" FROM "cases_case" WHERE "cases_case"."state" = %s FOR UPDATE', False),
    ('SELECT "update", "insert" FROM "t"', False),
    ("SAVEPOINT s1", False),
])
def test_what_counts_as_a_write(sql, writes):
    assert dbrouter.is_write(sql) is writes


@pytest.mark.django_db
def test_a_change_pins_and_an_audit_row_does_not(bureau):
    """The middleware's watch on the primary, on whichever database the suite runs."""
    from xiaobao.units.models import Unit

    state = dbrouter._Request()
    token = dbrouter._request.set(state)
    try:
        with connection.execute_wrapper(dbrouter._watch):
            record(actor=bureau["juzhang"], action="read_personal", obj="case-list", detail={})
            list(Unit.objects.all())
            assert not state.pinned and not state.wrote
            Unit.objects.filter(code="nowhere").update(sort=1)
            assert state.pinned and state.wrote
    finally:
        dbrouter._request.reset(token)


def test_without_a_replica_reads_stay_on_the_primary():
    with dbrouter.replica_reads() as on_replica:
        assert on_replica is False
        assert dbrouter.read_connection().alias == "default"
    assert dbrouter.replica_status()["configured"] is False


@pytest.mark.django_db
def test_the_admin_index_shows_no_replica_box_without_a_replica(bureau, client):
    client.force_login(bureau["admin"])
    r = client.get("/admin/")
    assert r.status_code == 200 and "只读副本" not in r.content.decode()
