"""A JSON object body read as it comes, for endpoints whose body a service checks with its own model (the actions,
the 回访): ninja does not validate it first, so the service's checks keep their order (404, 403, 409, then 422)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest

from xiaobao.cases.errors import Invalid

NOT_AN_OBJECT = "请求体应为 JSON 对象（UTF-8 编码）。"


def json_object(request: HttpRequest) -> dict[str, Any]:
    """The body as a JSON object; a blank body is an empty one (actions such as accept need none)."""
    if not request.body.strip():
        return {}
    try:
        data = json.loads(request.body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise Invalid([{"field": "body", "message": NOT_AN_OBJECT}])
    return data
