"""Error answers shared by the staff API and the public API (API-v1.md: errors are JSON with Chinese messages)."""

from __future__ import annotations

import logging

from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from xiaobao.lib.boundary import DISK_FULL_MESSAGE, is_disk_full
from xiaobao.lib.validation import message

logger = logging.getLogger("xiaobao.api")


def _field_name(loc: list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path", "filters")]
    return ".".join(parts) or "body"


def field_errors(exc: NinjaValidationError) -> list[dict[str, str]]:
    return [{"field": _field_name(list(e.get("loc", []))), "message": message(e)} for e in exc.errors]


def answer_disk_full(api: NinjaAPI) -> None:
    """A full disk answers `503` with a Chinese message; anything else goes on to Django's handler500
    (xiaobao.lib.boundary.server_error), which answers the API in JSON too."""

    @api.exception_handler(Exception)
    def on_server_error(request, exc: Exception):
        if not is_disk_full(exc):
            raise exc
        logger.error("disk full while serving %s %s", request.method, request.path, exc_info=exc)
        return api.create_response(request, {"error": DISK_FULL_MESSAGE}, status=503)
