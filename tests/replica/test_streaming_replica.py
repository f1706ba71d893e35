"""A real streaming replica (issue 24, point 2): scripts/pg-replica.sh starts a primary on 127.0.0.1:55432 and a
replica of it (pg_basebackup -R) on :55433 (here on two free ports); tests/replica/live then run in one pytest session of their own with
the primary as DATABASE_URL and the replica as DATABASE_REPLICA_URL, and the clusters are stopped after.

Runs in the PostgreSQL half of .ci/run (DATABASE_URL on PostgreSQL) when the server binaries are installed; a
machine without PostgreSQL skips it."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "pg-replica.sh"
BASH = shutil.which("bash") or "/bin/bash"
BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"))

pytestmark = [
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                       reason="the replica tests run with DATABASE_URL on PostgreSQL"),
    pytest.mark.skipif(not BINARIES and not os.environ.get("XIAOBAO_PG_BIN"),
                       reason="PostgreSQL server binaries (initdb, pg_basebackup) are not installed"),
    pytest.mark.skipif(os.getuid() == 0 and shutil.which("runuser") is None, reason="no runuser to run initdb"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def clusters(tmp_path_factory):
    # A directory of our own under /tmp that the postgres user can enter (pytest's tmp dirs are 0700 root's).
    directory = Path(f"/tmp/xiaobao-pg-replica-{os.getpid()}")  # noqa: S108 (emptied by `stop`)
    # Two free ports: two runs on one machine (CI beside a developer) never share clusters.
    env = {**os.environ, "XIAOBAO_PG_REPLICA_DIR": str(directory),
           "XIAOBAO_PG_PRIMARY_PORT": str(_free_port()), "XIAOBAO_PG_REPLICA_PORT": str(_free_port())}
    started = subprocess.run([BASH, str(SCRIPT), "start"], env=env, capture_output=True, text=True,  # noqa: S603
                             timeout=120)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield env
    finally:
        subprocess.run([BASH, str(SCRIPT), "stop"], env=env, capture_output=True, text=True, timeout=120)  # noqa: S603


def test_reads_against_a_real_streaming_replica(clusters):
    primary, replica = clusters["XIAOBAO_PG_PRIMARY_PORT"], clusters["XIAOBAO_PG_REPLICA_PORT"]
    env = {**clusters,
           "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary}/xiaobao",
           "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{replica}/xiaobao",
           "XIAOBAO_REPLICA_LIVE": "1",
           # Measure the replica at every reporting request: the tests pause and resume it between requests.
           "XIAOBAO_REPLICA_CHECK_SECONDS": "0"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-o", "addopts=", "-q", "-p", "no:cacheprovider", "--strict-markers",
         "tests/replica/live"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    assert " passed" in run.stdout and "skipped" not in run.stdout, run.stdout[-3000:]
