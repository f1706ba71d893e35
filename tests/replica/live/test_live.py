"""Against a real streaming replica (issue 24, point 2): what reads where, pinning, the audit rows of reads, and
the fallbacks to the primary (lag past the limit, replica down). The replica's replay is paused to tell the two
apart: a row written while it is paused is on the primary only."""

from __future__ import annotations

import socket
import time

import pytest
from django.db import connections
from django.test import Client

from tests.conftest import PASSWORD, Api, complaint_body
from xiaobao.disclosure.models import ConsumerAlert
from xiaobao.lib import dbrouter, timeutil
from xiaobao.records.models import AuditEntry

from .conftest import pause_replay, resume_replay, wait_replayed

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=["default", "replica"])

MONTH = "2026-03"


def unpinned(api: Api) -> Api:
    # Logging in (a token, a session) is a write: it pins the client for a few seconds. These tests read as
    # someone who has not written lately.
    api.client.cookies.pop(dbrouter.PIN_COOKIE, None)
    return api


def received(api: Api) -> int:
    r = api.get("/api/v1/stats/monthly", month=MONTH)
    assert r.status_code == 200, r.content
    return r.json()["received"]["total"]


def register(api: Api, **overrides) -> int:
    r = api.post("/api/v1/cases", complaint_body(**overrides))
    assert r.status_code == 201, r.content
    return r.json()["id"]


def web(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_replica_is_a_streaming_standby_of_the_primary(bureau):
    for alias, standby in (("replica", True), ("default", False)):
        with connections[alias].cursor() as cur:
            cur.execute("SELECT pg_is_in_recovery(), current_setting('port')")
            assert cur.fetchone() == (standby, str(connections[alias].settings_dict["PORT"]))
    assert connections["replica"].settings_dict["PORT"] != connections["default"].settings_dict["PORT"]


def test_a_write_is_on_the_primary_and_reaches_the_replica(bureau):
    dispatcher = Api("xiaobao")
    case_id = register(dispatcher)
    assert dispatcher.get(f"/api/v1/cases/{case_id}").status_code == 200
    wait_replayed()
    with connections["replica"].cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case WHERE id = %s", [case_id])
        assert cur.fetchone() == (1,)


def test_statistics_read_from_the_replica_and_the_item_page_from_the_primary(bureau):
    head = unpinned(Api("juzhang"))
    register(Api("xiaobao"))
    wait_replayed()
    assert received(head) == 1
    pause_replay()
    case_id = register(Api("xiaobao"))
    # The replica has not replayed the new item: the statistics (read there) do not count it ...
    assert received(unpinned(head)) == 1
    # ... while the item's own page (the primary) shows it.
    r = head.get(f"/api/v1/cases/{case_id}")
    assert r.status_code == 200 and r.json()["id"] == case_id
    resume_replay()
    wait_replayed()
    assert received(unpinned(head)) == 2


def test_public_pages_and_searches_read_from_the_replica(bureau):
    pause_replay()
    ConsumerAlert.objects.create(title="警惕预付卡跑路", body="……", status=ConsumerAlert.Status.PUBLISHED,
                                 published_at=timeutil.now())
    register(Api("xiaobao"), facts="2026年2月20日购买的榨汁机漏电，商家拒绝退换。")
    public = Client()
    assert "警惕预付卡跑路" not in public.get("/disclosure/alerts/").content.decode()
    head = unpinned(Api("juzhang"))
    assert head.get("/api/v1/cases", q="榨汁机").json()["count"] == 0
    resume_replay()
    wait_replayed()
    assert "警惕预付卡跑路" in public.get("/disclosure/alerts/").content.decode()
    assert head.get("/api/v1/cases", q="榨汁机").json()["count"] == 1


def test_who_has_just_written_reads_the_primary_for_a_while(bureau, settings):
    settings.XIAOBAO_REPLICA_PIN_SECONDS = 2
    writer = unpinned(Api("xiaobao"))
    other = unpinned(Api("fenguan"))
    pause_replay()
    r = writer.post("/api/v1/cases", complaint_body())
    assert r.status_code == 201
    assert r.cookies[dbrouter.PIN_COOKIE]["max-age"] == 2
    # The writer sees their own item in the statistics (the primary); someone else, not yet (the replica).
    assert received(writer) == 1
    assert received(other) == 0
    time.sleep(2.1)
    # The cookie holds the pin's end: sent after it (a browser would have dropped it), it pins no more.
    assert dbrouter.PIN_COOKIE in writer.client.cookies
    assert received(writer) == 0


def test_a_write_pins_the_rest_of_its_own_request(bureau):
    # A reporting view that writes (a change, not an audit row) reads what it wrote: the middleware's state,
    # driven directly, with the replica paused so that a read from it would not find the row.
    from xiaobao.lib.dbrouter import _Request, _request, _watch, pinned

    pause_replay()
    token = _request.set(_Request())
    try:
        with dbrouter.replica_reads() as on_replica, connections["default"].execute_wrapper(_watch):
            assert on_replica and not pinned()
            assert not ConsumerAlert.objects.filter(title="新写的").exists()
            alert = ConsumerAlert.objects.create(title="新写的", body="……")
            assert pinned() and ConsumerAlert.objects.filter(pk=alert.pk).exists()
    finally:
        _request.reset(token)


def test_the_audit_rows_of_reads_pin_no_one(bureau):
    head = unpinned(Api("juzhang"))
    before = AuditEntry.objects.count()
    pause_replay()
    register(Api("xiaobao"))
    # The Excel download is audited (export_stats): a row on the primary, and no pin for the reader.
    r = head.get("/api/v1/stats/monthly", month=MONTH, format="xlsx")
    assert r.status_code == 200
    assert dbrouter.PIN_COOKIE not in r.cookies
    assert AuditEntry.objects.filter(action="export_stats").count() == 1
    assert AuditEntry.objects.count() > before
    assert received(head) == 0  # still from the replica
    # A search by person (the dispatcher's) is audited too, and read from the replica: the new item is not found.
    dispatcher = unpinned(Api("xiaobao"))
    r = dispatcher.get("/api/v1/cases", person="13800000001")
    assert r.status_code == 200 and dbrouter.PIN_COOKIE not in r.cookies
    assert r.json()["count"] == 0
    assert AuditEntry.objects.filter(action="read_personal", object="person-search").count() == 1


def test_past_the_lag_limit_reads_fall_back_to_the_primary(bureau, settings, admin_client_of):
    settings.XIAOBAO_REPLICA_MAX_LAG_SECONDS = 1
    head = unpinned(Api("juzhang"))
    pause_replay()
    register(Api("xiaobao"))
    time.sleep(1.5)
    status = dbrouter.replica_status(fresh=True)
    assert status["reachable"] and status["lag_seconds"] > 1 and not status["usable"]
    assert received(head) == 1  # the primary answers
    page = admin_client_of.get("/admin/").content.decode()
    assert "延迟超过上限" in page and "读取改由主库承担" in page
    resume_replay()
    wait_replayed()
    dbrouter.forget_status()
    assert dbrouter.replica_status(fresh=True)["usable"]
    assert "正常使用中" in admin_client_of.get("/admin/").content.decode()


def test_an_unreachable_replica_leaves_the_reads_to_the_primary(bureau, admin_client_of):
    conn = connections["replica"]
    port = conn.settings_dict["PORT"]
    conn.close()
    conn.settings_dict = {**conn.settings_dict, "PORT": str(_closed_port())}  # nothing listens there
    try:
        dbrouter.forget_status()
        head = unpinned(Api("juzhang"))
        register(Api("xiaobao"))
        assert received(head) == 1
        assert "无法连接" in admin_client_of.get("/admin/").content.decode()
    finally:
        conn.close()
        conn.settings_dict = {**conn.settings_dict, "PORT": port}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def admin_client_of(bureau):
    client = web("admin")
    client.cookies.pop(dbrouter.PIN_COOKIE, None)
    return client
