"""Bad parameters sent on purpose (issue 16, point 10): a NUL in a search, page numbers past the database's
integer range, dates past the calendar or the year 9999. Each once answered with Django's HTML 500; the API
must answer `422` JSON naming the field in Chinese, and the pages `400` (or the page served) — never a 5xx."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.conftest import PASSWORD, complaint_body

pytestmark = pytest.mark.django_db

HUGE_PAGE = "4611686018427387904"  # 2**62: times the page size, past 2**63 (SQLite and PostgreSQL's bigint)


def _api(api, username: str = "xiaobao"):
    client = api(username)
    client.client.raise_request_exception = False
    return client


def _refused(response, field: str) -> str:
    assert response.status_code == 422, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    (error,) = [e for e in response.json()["errors"] if e["field"] == field]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"]), error  # in Chinese
    return error["message"]


def _page(username: str = "xiaobao") -> Client:
    client = Client(raise_request_exception=False)
    assert client.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


# ---------------------------------------------------------------- NUL


@pytest.mark.parametrize("q", ["\x00", "空调\x00", "\x00' OR 1=1 --"])
def test_a_search_with_a_nul_is_refused_with_422(api, q):
    clerk = _api(api)
    clerk.post("/api/v1/cases", complaint_body(external_id=None))
    message = _refused(clerk.get("/api/v1/cases", q=q), "q")
    assert "空字符" in message


def test_a_nul_in_any_filter_of_the_list_is_refused(api):
    clerk = _api(api)
    for name in ("state", "unit", "kind"):
        _refused(clerk.get("/api/v1/cases", **{name: "assigned\x00"}), name)


def test_a_nul_in_the_audit_filters_is_refused(api):
    auditor = _api(api, "auditor")
    for name in ("actor", "action"):
        _refused(auditor.get("/api/v1/audit", **{name: "\x00"}), name)


def test_a_nul_inside_a_json_body_is_refused_naming_the_field(api):
    clerk = _api(api)
    body = complaint_body(external_id=None, facts="空调不制冷\x00")
    _refused(clerk.post("/api/v1/cases", body), "facts")
    body = complaint_body(external_id=None)
    body["complainant"]["name"] = "\x00"
    _refused(clerk.post("/api/v1/cases", body), "complainant.name")
    # Nothing was registered.
    assert clerk.get("/api/v1/cases").json()["count"] == 0


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(api):
    clerk = _api(api)
    r = clerk.post("/api/v1/cases", complaint_body(external_id=None, facts="路径 C:\\u0000 是文字"))
    assert r.status_code == 201, r.content
    assert r.json()["facts"] == "路径 C:\\u0000 是文字"


def test_the_public_api_refuses_a_nul_with_422(bureau):
    client = Client(raise_request_exception=False)
    r = client.get("/api/public/v1/track", {"number": "TS-2026-000001\x00", "query_code": "x"})
    _refused(r, "number")
    body = {"kind": "inquiry", "question": "\x00", "complainant": {"name": "张三", "phone": "13800000000"}}
    r = client.post("/api/public/v1/submissions", json.dumps(body), content_type="application/json")
    _refused(r, "question")


@pytest.mark.parametrize("path", ["/cases/?q=%00", "/cases/?q=%E7%A9%BA%E8%B0%83%00", "/cases/?state=%00",
                                  "/knowledge/?q=%00", "/disclosure/?q=%00", "/intake/duplicates?phone=%00"])
def test_the_pages_answer_a_nul_with_400_in_chinese(bureau, path):
    r = _page().get(path)
    assert r.status_code == 400
    assert "含有空字符" in r.content.decode()


def test_a_login_with_a_nul_in_the_username_is_400_not_a_server_error(bureau):
    r = Client(raise_request_exception=False).post("/login/", {"username": "xiaobao\x00", "password": PASSWORD})
    assert r.status_code == 400
    assert "含有空字符" in r.content.decode()


def test_a_portal_query_with_a_nul_is_400(bureau):
    r = Client(raise_request_exception=False).get("/portal/track/", {"number": "\x00", "query_code": "\x00"})
    assert r.status_code == 400


def test_a_session_cookie_with_a_nul_never_reaches_the_session_table(bureau):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abcdefgh\x00"
    assert client.get("/cases/").status_code == 400


# ---------------------------------------------------------------- page numbers


@pytest.mark.parametrize("params", [{"page": HUGE_PAGE}, {"page": HUGE_PAGE, "q": "空调"},
                                    {"page": "99999999999999999999999"}, {"page": "-" + HUGE_PAGE}])
def test_a_page_past_the_offset_range_is_refused_with_422(api, params):
    clerk = _api(api)
    clerk.post("/api/v1/cases", complaint_body(external_id=None))
    _refused(clerk.get("/api/v1/cases", **params), "page")


@pytest.mark.parametrize("page", ["1e20", HUGE_PAGE, "9223372036854775807"])
def test_the_audit_trail_refuses_a_page_past_the_offset_range(api, page):
    _refused(_api(api, "auditor").get("/api/v1/audit", page=page), "page")


def test_the_audit_trail_refuses_a_case_id_past_64_bits(api):
    _refused(_api(api, "auditor").get("/api/v1/audit", case="99999999999999999999"), "case")


def test_a_page_size_past_the_limit_is_served_at_the_limit(api):
    clerk = _api(api)
    r = clerk.get("/api/v1/cases", page_size=HUGE_PAGE)
    assert r.status_code == 200 and r.json()["page_size"] == 200


@pytest.mark.parametrize("q", ["", "空调"])
def test_the_list_page_serves_a_huge_page_number_instead_of_failing(api, q):
    _api(api).post("/api/v1/cases", complaint_body(external_id=None))
    r = _page().get("/cases/", {"q": q, "page": HUGE_PAGE})
    assert r.status_code == 200


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("unit", ["days", "workdays"])
def test_a_deadline_past_year_9999_is_refused_with_422(api, unit):
    message = _refused(_api(api).get("/api/v1/calendar/deadline", start="9999-12-30", days="10", unit=unit),
                       "start")
    assert "工作日历的范围" in message


def test_a_deadline_before_the_calendar_is_refused_rather_than_answered_years_later(api):
    # It once answered 1990-01-01 + 10 days with the calendar's first working day, 2003-01-02.
    r = _api(api).get("/api/v1/calendar/deadline", start="1990-01-01", days="10", unit="days")
    _refused(r, "start")


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00",
                                    "9999-12-31T23:59:59-12:00", "1000-01-01T00:00:00+08:00",
                                    "2026-02-30T10:00:00+08:00"])
def test_a_registration_received_outside_the_served_years_is_refused_with_422(api, moment):
    clerk = _api(api)
    _refused(clerk.post("/api/v1/cases", complaint_body(external_id=None, received_at=moment)), "received_at")
    assert clerk.get("/api/v1/cases").json()["count"] == 0


# ---------------------------------------------------------------- a little fuzzing around them

BAD_INTEGERS = ["0", "-1", "1.5", "1e20", "abc", "", " ", "0x10", "１", "1_000", HUGE_PAGE, "9223372036854775807",
                "9223372036854775808", "-9223372036854775809", "9" * 40, "NaN", "Infinity"]


def _no_server_error(response, allowed: tuple[int, ...] | range) -> None:
    assert response.status_code in allowed, (response.request["PATH_INFO"], response.request["QUERY_STRING"],
                                             response.status_code, response.content[:300])


@pytest.mark.parametrize("value", BAD_INTEGERS)
def test_every_api_list_takes_any_page_and_page_size_without_a_server_error(api, value):
    clerk, auditor = _api(api), _api(api, "auditor")
    clerk.post("/api/v1/cases", complaint_body(external_id=None))
    for client, path, extra in ((clerk, "/api/v1/cases", {}), (clerk, "/api/v1/cases", {"q": "空调"}),
                                (auditor, "/api/v1/audit", {}), (auditor, "/api/v1/audit", {"case": "1"})):
        for name in ("page", "page_size"):
            r = client.get(path, **extra, **{name: value})
            _no_server_error(r, (200, 422))
            assert r["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("value", BAD_INTEGERS)
def test_every_list_page_takes_any_page_number_without_a_server_error(api, value):
    _api(api).post("/api/v1/cases", complaint_body(external_id=None))
    clerk, archivist = _page(), _page("archivist")
    for client, path in ((clerk, "/cases/"), (clerk, "/cases/?q=空调"), (clerk, "/notifications/"),
                         (archivist, "/archive/")):
        _no_server_error(client.get(path, {"page": value}), (200,))


ID_PATHS = ["/api/v1/cases/{id}", "/api/v1/cases/{id}/documents", "/api/v1/cases/{id}/case-file.pdf",
            "/api/v1/cases/{id}/archive-record", "/api/v1/cases/{id}/suggestions", "/api/v1/cases/{id}/attachments",
            "/api/v1/documents/{id}/file", "/api/v1/attachments/{id}"]
ID_POSTS = ["/api/v1/cases/{id}/actions/accept", "/api/v1/cases/{id}/reveal", "/api/v1/cases/{id}/documents",
            "/api/v1/cases/{id}/archive-record", "/api/v1/documents/{id}/deliveries"]
PAGE_ID_PATHS = ["/cases/{id}/", "/cases/{id}/documents/", "/archive/{id}/", "/intake/cases/{id}/attachments/",
                 "/knowledge/{id}/edit/", "/stats/submissions/{id}/", "/documents/{id}/file/pdf/"]


@pytest.mark.parametrize("object_id", ["0", "9223372036854775807", "9223372036854775808", "9" * 40])
def test_ids_past_64_bits_name_nothing_instead_of_failing(api, object_id):
    clerk = _api(api)
    for path in ID_PATHS:
        _no_server_error(clerk.get(path.format(id=object_id)), (404, 422))
    for path in ID_POSTS:
        _no_server_error(clerk.post(path.format(id=object_id), {"reason": "核对", "type": "registration_form"}),
                         (403, 404, 422))
    page = _page()
    for path in PAGE_ID_PATHS:
        # 404 mostly; /knowledge/0/edit/ is the new-answer form, /archive/{id}/ takes POST only.
        _no_server_error(page.get(path.format(id=object_id)), range(200, 500))


BAD_DATES = ["9999-12-31", "9999-12-30", "0001-01-01", "1899-12-31", "2026-02-30", "2026-13-01", "+10000-01-01",
             "-0001-01-01", "2026-1-1", "20260301", "", "今天"]


@pytest.mark.parametrize("start", BAD_DATES)
def test_the_deadline_takes_any_start_and_length_without_a_server_error(api, start):
    clerk = _api(api)
    for unit in ("days", "workdays"):
        for days in ("0", "10", "3650", "3651", "-1", HUGE_PAGE):
            r = clerk.get("/api/v1/calendar/deadline", start=start, days=days, unit=unit)
            _no_server_error(r, (200, 422))


@pytest.mark.parametrize("year", ["0", "-1", "1999", "2101", "9999", "10000", HUGE_PAGE, "9" * 40])
def test_a_calendar_year_outside_the_served_years_is_refused(api, year):
    _no_server_error(_api(api).get(f"/api/v1/calendar/{year}"), (422,))
    _no_server_error(_api(api, "admin").put(f"/api/v1/calendar/{year}", {"holidays": [], "workdays": []}), (422,))
    _no_server_error(_page("admin").get("/calendar/", {"year": year}), (200,))


MONTHS = ["9999-12", "0000-01", "0001-01", "2026-00", "2026-13", "99999-01", "2026-1", "１２３４-01", "", "-2026-01"]


@pytest.mark.parametrize("month", MONTHS)
def test_every_statistics_month_parameter_refuses_a_month_outside_the_served_years(api, month):
    r = _api(api).get("/api/v1/stats/monthly", month=month)
    _no_server_error(r, (422,))
    clerk = _page()
    for path in ("/stats/monthly/", "/stats/dashboard/", "/stats/submission/", "/stats/monthly.xlsx"):
        # Each page answers a bad month its own way (an error on the form, 404): never a server error.
        _no_server_error(clerk.get(path, {"month": month}), range(200, 500))


BAD_MOMENTS = ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "2026-02-30T10:00:00", "1999-12-31T23:00:00",
               "9999-12-31", "today"]


@pytest.mark.parametrize("moment", BAD_MOMENTS)
def test_every_date_in_an_action_body_is_refused_without_a_server_error(api, moment):
    clerk, nanjiao = _api(api), _api(api, "nanjiao")
    case_id = clerk.post("/api/v1/cases", complaint_body(external_id=None)).json()["id"]
    assert clerk.act(case_id, "submit_for_triage").status_code == 200
    assert clerk.act(case_id, "assign", {"unit": "st-nanjiao"}).status_code == 200
    assert nanjiao.act(case_id, "accept").status_code == 200
    date_part = moment.split("T")[0]
    for client, action, body in (
        (clerk, "supervise", {"note": "请加快办理", "due": date_part}),
        (clerk, "request_visit", {"reason": "现场核查", "scheduled_for": date_part}),
        (nanjiao, "request_id", {"note": "请补充身份证明", "due": date_part}),
        (nanjiao, "record_session", {"at": moment, "mode": "phone", "summary": "电话调解", "lead": "nanjiao",
                                     "parties": "双方"}),
    ):
        _no_server_error(client.act(case_id, action, body), (200, 403, 409, 422))
    r = clerk.get(f"/api/v1/cases/{case_id}")
    _no_server_error(r, (200,))
