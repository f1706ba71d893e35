"""Reading from a streaming replica (issue 24, point 2), when DATABASE_REPLICA_URL names one.

What reads where: every write, and every read by default, goes to the primary ("default"). Views that only
report — statistics, dashboards, their exports, searches and the public pages — run inside `replica_reads()`
(or under `@reads_from_replica`), and their reads go to the "replica" alias, unless:

* the user is pinned: they wrote in this request (from then on), or in the last XIAOBAO_REPLICA_PIN_SECONDS (a
  cookie the middleware sets after a write), so they read their own writes from the primary. The audit rows
  that reads write (records.audit.record runs under `not_pinning()`) pin no one;
* the replica is behind by more than XIAOBAO_REPLICA_MAX_LAG_SECONDS, or does not answer: the primary serves.

The replica's state (lag, reachable) is measured at most every XIAOBAO_REPLICA_CHECK_SECONDS per process, when
a reporting view asks for it, and is shown to administrators on the admin site's index. Without
DATABASE_REPLICA_URL there is no "replica" alias, no router and no middleware (settings.py): nothing changes."""

from __future__ import annotations

import functools
import re
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "xb_pin"

# Seconds behind the primary: 0 when the replica has replayed all it received (or is not in recovery, e.g. a
# promoted one); else the age of the last transaction it replayed. NULL (unknown) counts as too far behind.
LAG_SQL = """SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0
                         WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                         ELSE EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) END,
                    pg_is_in_recovery()"""

# A statement that changes data or schema (the parameters are never in the text, only names and placeholders).
_WRITE = re.compile(r"\b(INSERT\s+INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM|TRUNCATE|MERGE\s+INTO|COPY\s+\S+\s+FROM)\b"
                    r"|^\s*(CREATE|ALTER|DROP)\b", re.IGNORECASE)


@dataclass
class _Request:
    pinned: bool = False  # read from the primary (an earlier write of this user, or one in this request)
    wrote: bool = False   # this request wrote: the response pins the user for a while


_request: ContextVar[_Request | None] = ContextVar("xiaobao_replica_request", default=None)
_reading: ContextVar[bool] = ContextVar("xiaobao_replica_reading", default=False)
_quiet: ContextVar[bool] = ContextVar("xiaobao_replica_quiet", default=False)

# The replica's state as this process last measured it.
_status: dict = {"checked": 0.0, "reachable": None, "lag": None, "recovery": None, "error": ""}


def configured() -> bool:
    return REPLICA in settings.DATABASES


def pinned() -> bool:
    state = _request.get()
    return bool(state and state.pinned)


def is_write(sql: str) -> bool:
    return bool(_WRITE.search(sql))


def _pin_seconds() -> float:
    return float(getattr(settings, "XIAOBAO_REPLICA_PIN_SECONDS", 5))


def _max_lag() -> float:
    return float(getattr(settings, "XIAOBAO_REPLICA_MAX_LAG_SECONDS", 30))


def forget_status() -> None:
    """Measure again at the next question (tests; after a failover)."""
    _status.update(checked=0.0, reachable=None, lag=None, recovery=None, error="")


def replica_status(*, fresh: bool = False) -> dict:
    """{"configured", "reachable", "lag_seconds", "in_recovery", "max_lag_seconds", "usable", "error",
    "checked_at"}: measured at most every XIAOBAO_REPLICA_CHECK_SECONDS unless `fresh`."""
    if not configured():
        return {"configured": False, "reachable": None, "lag_seconds": None, "in_recovery": None,
                "max_lag_seconds": _max_lag(), "usable": False, "error": "", "checked_at": None}
    every = float(getattr(settings, "XIAOBAO_REPLICA_CHECK_SECONDS", 2))
    now = time.time()
    if fresh or now - _status["checked"] >= every:
        _measure(now)
    lag = _status["lag"]
    usable = bool(_status["reachable"]) and lag is not None and lag <= _max_lag()
    return {"configured": True, "reachable": _status["reachable"], "lag_seconds": lag,
            "in_recovery": _status["recovery"], "max_lag_seconds": _max_lag(), "usable": usable,
            "error": _status["error"], "checked_at": _status["checked"]}


def _measure(now: float) -> None:
    conn = connections[REPLICA]
    try:
        if conn.vendor != "postgresql":
            lag, recovery = 0.0, False
        else:
            with conn.cursor() as cur:
                cur.execute(LAG_SQL)
                lag, recovery = cur.fetchone()
        _status.update(checked=now, reachable=True, lag=None if lag is None else max(0.0, float(lag)),
                       recovery=recovery, error="")
    except Exception as e:  # unreachable, refused, or (in a test) a database the test may not use
        _status.update(checked=now, reachable=False, lag=None, recovery=None, error=str(e).strip()[:300])
        try:
            conn.close()
        except Exception:  # noqa: S110 (the broken connection is dropped; the next request connects anew)
            pass


@contextmanager
def replica_reads(enabled: bool = True):
    """Reads inside go to the replica if one is configured, usable and the user is not pinned. Yields whether
    they do (decided once, on entry; a write inside pins the rest to the primary)."""
    if not enabled or not configured() or _reading.get():
        yield _reading.get()
        return
    use = not pinned() and replica_status()["usable"]
    token = _reading.set(use)
    try:
        yield use
    finally:
        _reading.reset(token)


def read_connection():
    """The connection a raw SQL read should use (statistics, search): the replica inside replica_reads unless
    pinned, else the primary. Raw writes keep django.db.connection (the primary)."""
    return connections[REPLICA if _reading.get() and not pinned() else PRIMARY]


def reads_from_replica(view):
    """A page view whose reads may come from the replica (see replica_reads). The user and the session are
    read from the primary first, so that a login a moment old is never missed."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        user = getattr(request, "user", None)
        if user is not None:
            user.is_authenticated  # noqa: B018 (loads the lazy user and session from the primary)
        with replica_reads():
            return view(request, *args, **kwargs)
    return wrapped


@contextmanager
def not_pinning():
    """Writes inside pin no one: the audit rows that reads write (records.audit.record)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _watch(execute, sql, params, many, context):
    state = _request.get()
    if state is not None and not _quiet.get() and is_write(sql):
        state.pinned = state.wrote = True
    return execute(sql, params, many, context)


class ReplicaPinMiddleware:
    """Pins a user who writes to the primary: for the rest of the request (every write statement on the primary
    is watched) and, by a cookie holding the pin's end, for XIAOBAO_REPLICA_PIN_SECONDS after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            until = float(request.COOKIES.get(PIN_COOKIE, "0"))
        except ValueError:
            until = 0.0
        token = _request.set(_Request(pinned=until > time.time()))
        try:
            with connections[PRIMARY].execute_wrapper(_watch):
                response = self.get_response(request)
            if _request.get().wrote:
                seconds = _pin_seconds()
                response.set_cookie(PIN_COOKIE, f"{time.time() + seconds:.3f}", max_age=max(1, int(seconds + 0.999)),
                                    httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
            return response
        finally:
            _request.reset(token)


# Always read from the primary: who is logged in, and the session (a fresh login must never be missed).
_PRIMARY_ONLY = {"sessions.session"}


class ReplicaRouter:
    """settings.DATABASE_ROUTERS when a replica is configured."""

    def db_for_read(self, model, **hints):
        if _reading.get() and not pinned():
            label = model._meta.label_lower
            if label not in _PRIMARY_ONLY and label != settings.AUTH_USER_MODEL.lower():
                return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
