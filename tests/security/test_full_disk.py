"""A full disk (issue 16, point 10): the database or the file store cannot write. The API once answered with
Django's HTML 500; it must answer `503` JSON with a Chinese message, the pages a plain Chinese 503 page, and
the operator must find the cause in the log. Simulated by making a service raise exactly what the drivers
and the OS raise: sqlite3's OperationalError "database or disk is full", PostgreSQL's disk_full (53100) as
Django wraps it, and OSError ENOSPC."""

from __future__ import annotations

import errno
import json
import sqlite3
from unittest import mock

import pytest
from django.db import utils as db_utils
from django.test import Client

from tests.conftest import PASSWORD, complaint_body

pytestmark = pytest.mark.django_db


def _sqlite_full() -> Exception:
    return sqlite3.OperationalError("database or disk is full")


def _django_wrapped_sqlite_full() -> Exception:
    try:
        raise db_utils.OperationalError("database or disk is full") from _sqlite_full()
    except db_utils.OperationalError as e:
        return e


def _postgresql_disk_full() -> Exception:
    errors = pytest.importorskip("psycopg.errors")
    try:
        raise db_utils.OperationalError("could not extend file") from errors.DiskFull("could not extend file")
    except db_utils.OperationalError as e:
        return e


def _no_space() -> Exception:
    return OSError(errno.ENOSPC, "No space left on device")


FULL = [_sqlite_full, _django_wrapped_sqlite_full, _postgresql_disk_full, _no_space]


def _api_client(api):
    clerk = api("xiaobao")
    clerk.client.raise_request_exception = False
    return clerk


def _says_disk_full(response) -> None:
    assert response.status_code == 503, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    assert "存储空间已满" in response.json()["error"]


@pytest.mark.parametrize("full", FULL)
def test_registering_on_a_full_disk_answers_503_json_in_chinese(api, full, caplog):
    clerk = _api_client(api)
    with mock.patch("xiaobao.cases.services.register_case", side_effect=full()):
        r = clerk.post("/api/v1/cases", complaint_body(external_id=None))
    _says_disk_full(r)
    assert any("disk full" in rec.getMessage() for rec in caplog.records)  # the operator learns why


@pytest.mark.parametrize("full", FULL)
def test_reading_on_a_full_disk_answers_503_json(api, full):
    clerk = _api_client(api)
    with mock.patch("xiaobao.api.v1.get_visible_case", side_effect=full()):
        _says_disk_full(clerk.get("/api/v1/cases/1"))


def test_the_public_api_answers_503_json_on_a_full_disk(bureau):
    client = Client(raise_request_exception=False)
    body = {"kind": "inquiry", "question": "网购退货期限是多久？",
            "complainant": {"name": "张三", "phone": "13800000000"}}
    with mock.patch("xiaobao.portal.services.submit", side_effect=_sqlite_full()):
        r = client.post("/api/public/v1/submissions", json.dumps(body), content_type="application/json")
    _says_disk_full(r)


def test_any_other_server_error_on_the_api_is_json_too(api):
    clerk = _api_client(api)
    with mock.patch("xiaobao.cases.services.register_case", side_effect=RuntimeError("boom")):
        r = clerk.post("/api/v1/cases", complaint_body(external_id=None))
    assert r.status_code == 500
    assert r.json() == {"error": "服务器内部错误，请稍后再试；如持续出现，请联系系统管理员。"}


def test_an_unrelated_operational_error_is_not_called_a_full_disk(api):
    clerk = _api_client(api)
    with mock.patch("xiaobao.cases.services.register_case", side_effect=sqlite3.OperationalError("database is locked")):
        r = clerk.post("/api/v1/cases", complaint_body(external_id=None))
    assert r.status_code == 500


def _page_client() -> Client:
    client = Client(raise_request_exception=False)
    assert client.post("/login/", {"username": "xiaobao", "password": PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize("full", FULL)
def test_a_page_on_a_full_disk_is_a_plain_chinese_503(bureau, full):
    client = _page_client()
    with mock.patch("xiaobao.web.views.list_results_page", side_effect=full()):
        r = client.get("/cases/")
    assert r.status_code == 503
    html = r.content.decode()
    assert "存储空间已满" in html and "Server Error" not in html


def test_a_full_disk_while_saving_the_session_is_a_503_page(bureau):
    # The session is written after the view, in the middleware: still a 503 with the cause, not a 500.
    client = Client(raise_request_exception=False)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.save", side_effect=_sqlite_full()):
        r = client.post("/login/", {"username": "xiaobao", "password": PASSWORD})
    assert r.status_code == 503
    assert "存储空间已满" in r.content.decode()
