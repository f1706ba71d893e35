"""Error answers shared by the staff API and the public API (API-v1.md: errors are JSON with Chinese messages)."""

from __future__ import annotations

import logging

from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from xiaobao.lib.boundary import DISK_FULL_MESSAGE, is_disk_full

logger = logging.getLogger("xiaobao.api")

# pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) in the users' language.
_MESSAGES = {
    "missing": "必填。",
    "int_parsing": "应为整数。",
    "int_type": "应为整数。",
    "int_from_float": "应为整数。",
    "bool_parsing": "应为 true 或 false。",
    "bool_type": "应为 true 或 false。",
    "string_type": "应为文本。",
    "dict_type": "应为 JSON 对象。",
    "model_type": "应为 JSON 对象。",
    "model_attributes_type": "应为 JSON 对象。",
    "list_type": "应为列表。",
}


def _field_name(loc: list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "filters")]
    return ".".join(parts) or "body"


def _message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"应不小于 {ctx.get('ge')}。"
    if kind == "less_than_equal":
        return f"应不大于 {ctx.get('le')}。"
    return _MESSAGES.get(kind) or f"格式不正确：{error.get('msg', '')}"


def field_errors(exc: NinjaValidationError) -> list[dict[str, str]]:
    return [{"field": _field_name(list(e.get("loc", []))), "message": _message(e)} for e in exc.errors]


def answer_disk_full(api: NinjaAPI) -> None:
    """A full disk answers `503` with a Chinese message; anything else goes on to Django's handler500
    (xiaobao.lib.boundary.server_error), which answers the API in JSON too."""

    @api.exception_handler(Exception)
    def on_server_error(request, exc: Exception):
        if not is_disk_full(exc):
            raise exc
        logger.error("disk full while serving %s %s", request.method, request.path, exc_info=exc)
        return api.create_response(request, {"error": DISK_FULL_MESSAGE}, status=503)
