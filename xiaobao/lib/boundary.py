"""The HTTP boundary's answers to requests the server cannot serve, for pages and both APIs alike.

- A NUL character anywhere in a request (path, query, form, cookie, JSON string) is refused before any view or
  session lookup sees it: PostgreSQL text cannot hold NUL (psycopg raises DataError on the parameter) and
  SQLite's full-text MATCH fails on it, both as a 500. The API answers `422` naming the field, pages `400`.
- A full disk (SQLite "database or disk is full", PostgreSQL disk_full, OSError ENOSPC) answers `503` with a
  Chinese message — JSON on the API, a plain page elsewhere — instead of Django's HTML 500, and is logged.
"""

from __future__ import annotations

import errno
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator
from html import escape

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

logger = logging.getLogger("xiaobao.boundary")

API_PREFIX = "/api/"
# The highest page number a list serves, pages and API alike: (page - 1) * page_size becomes the query's
# OFFSET, and past 2**63 SQLite answers "datatype mismatch" and PostgreSQL "bigint out of range" (issue 16,
# point 10). Ten million pages of the largest page size is still far inside both.
MAX_PAGE = 10_000_000
NUL = "\x00"
# A JSON string's escaped NUL: \u0000 after an even number of backslashes (an odd one escapes a backslash).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

NUL_MESSAGE = "不得包含空字符（NUL，\\u0000），请删除后重试。"
DISK_FULL_MESSAGE = "服务器存储空间已满，暂时无法保存或处理请求，请稍后再试；如持续出现，请联系系统管理员。"
SERVER_ERROR_MESSAGE = "服务器内部错误，请稍后再试；如持续出现，请联系系统管理员。"

# SQLite's result code for a full database or disk (https://sqlite.org/rescode.html#full); PostgreSQL's
# SQLSTATE 53100 disk_full (Appendix A, class 53 "Insufficient Resources").
SQLITE_FULL = 13
PG_DISK_FULL = "53100"
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def is_disk_full(exc: BaseException) -> bool:
    """Whether exc, or what caused it (Django wraps the driver's error), says the disk or database is full."""
    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno in _NO_SPACE:
            return True
        if getattr(e, "sqlite_errorcode", None) == SQLITE_FULL or getattr(e, "sqlstate", None) == PG_DISK_FULL:
            return True
        # sqlite3 sets sqlite_errorcode on what it raises itself; the message is what every version says.
        if type(e).__name__ == "OperationalError" and "database or disk is full" in str(e):
            return True
    return False


def nul_field(request: HttpRequest) -> str | None:
    """The name of the first part of the request that holds a NUL character, or None."""
    if NUL in request.path_info:
        return "path"
    for name, value in request.COOKIES.items():
        if NUL in name or NUL in value:
            return "cookie"
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in v for v in values):
            return name.replace(NUL, "") or "query"
    content_type = request.content_type or ""
    if request.method in ("POST", "PUT", "PATCH") and content_type.startswith(_FORM_TYPES):
        for name, values in request.POST.lists():
            if NUL in name or any(NUL in v for v in values):
                return name.replace(NUL, "") or "body"
        for name, files in request.FILES.lists():
            if any(NUL in (f.name or "") for f in files):
                return name
    elif request.method in ("POST", "PUT", "PATCH") and (b"\x00" in request.body or _JSON_NUL.search(request.body)):
        try:
            return _json_nul_path(json.loads(request.body)) or "body"
        except ValueError:
            return "body"
    return None


def _json_nul_path(value: object, path: str = "") -> str | None:
    """Where in a parsed JSON body a NUL is, as the API names fields ("complainant.name", "units.1")."""
    if isinstance(value, str):
        return (path or "body") if NUL in value else None
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = [(str(i), v) for i, v in enumerate(value)]
    else:
        return None
    for key, item in items:
        if NUL in key:
            return path or "body"
        if (found := _json_nul_path(item, f"{path}.{key}" if path else key)) is not None:
            return found
    return None


def plain_page(title: str, message: str, status: int) -> HttpResponse:
    """A page that needs no template, session or database: it must render when those are what failed."""
    html = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)} · 消保</title>'
            f'</head><body><h1>{escape(title)}</h1><p>{escape(message)}</p><p><a href="/">返回首页</a></p>'
            "</body></html>")
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def disk_full_response(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"error": DISK_FULL_MESSAGE}, status=503, json_dumps_params={"ensure_ascii": False})
    return plain_page("存储空间已满", DISK_FULL_MESSAGE, 503)


class RejectNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = nul_field(request)
        if field is None:
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            errors = [{"field": field, "message": NUL_MESSAGE}]
            return JsonResponse({"errors": errors}, status=422, json_dumps_params={"ensure_ascii": False})
        return plain_page("请求无效", f"请求中的“{field}”含有空字符，无法处理；请删除后重试。", 400)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: what escaped every view and middleware. A full disk is 503 with its cause; the API answers
    JSON as its contract says (API-v1.md, errors), not Django's HTML page."""
    exc = sys.exc_info()[1]
    if exc is not None and is_disk_full(exc):
        return disk_full_response(request)
    if request.path_info.startswith(API_PREFIX):
        return JsonResponse({"error": SERVER_ERROR_MESSAGE}, status=500, json_dumps_params={"ensure_ascii": False})
    return defaults.server_error(request, template_name)
