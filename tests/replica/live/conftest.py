"""The session tests/replica/test_streaming_replica.py starts: "default" is the throwaway primary and "replica"
its streaming replica (scripts/pg-replica.sh). Django creates the test database on the primary; the replica
receives it by streaming, so the "replica" alias is pointed at the same database name on the replica."""

from __future__ import annotations

import os
import time

import dj_database_url
import psycopg
import pytest
from django.db import connections

from xiaobao.lib import dbrouter


def _server(alias_url: str) -> str:
    parsed = dj_database_url.parse(alias_url)
    return f"host={parsed['HOST']} port={parsed['PORT']} user={parsed['USER']} dbname=postgres"


PRIMARY = _server(os.environ["DATABASE_URL"])
REPLICA = _server(os.environ["DATABASE_REPLICA_URL"])


def admin_sql(server: str, sql: str):
    with psycopg.connect(server, autocommit=True) as conn:
        return conn.execute(sql).fetchone()


def wait_replayed(timeout: float = 30) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    (lsn,) = admin_sql(PRIMARY, "SELECT pg_current_wal_lsn()::text")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        (done,) = admin_sql(REPLICA, f"SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '{lsn}') >= 0")
        if done:
            return
        time.sleep(0.05)
    raise AssertionError(f"the replica did not replay up to {lsn} in {timeout} s")


def pause_replay() -> None:
    wait_replayed()
    admin_sql(REPLICA, "SELECT pg_wal_replay_pause()")
    # Paused only once the startup process has stopped replaying.
    deadline = time.monotonic() + 10
    while admin_sql(REPLICA, "SELECT pg_get_wal_replay_pause_state()")[0] != "paused":
        assert time.monotonic() < deadline, "replay did not pause"
        time.sleep(0.05)


def resume_replay() -> None:
    admin_sql(REPLICA, "SELECT pg_wal_replay_resume()")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    # setup_databases made "replica" a mirror of the primary's settings; keep it a mirror (never created,
    # flushed or dropped by the test run) but on the replica's host and port.
    replica = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"])
    conn = connections[dbrouter.REPLICA]
    conn.close()
    primary = connections["default"].settings_dict
    conn.settings_dict = {**primary, "HOST": replica["HOST"], "PORT": replica["PORT"],
                          "OPTIONS": {**primary["OPTIONS"], "connect_timeout": 2}}
    wait_replayed()
    yield
    conn.close()


@pytest.fixture(autouse=True)
def _replica_streaming():
    resume_replay()
    dbrouter.forget_status()
    yield
    resume_replay()
    dbrouter.forget_status()
    connections[dbrouter.REPLICA].close()
