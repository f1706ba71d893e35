"""pydantic's validation errors in the users' language, as API v1 answers them (422 {"errors": [{field, message}]}).
Shared by the API (bodies ninja validates) and the lifecycle's action bodies (xiaobao.cases.bodies)."""

from __future__ import annotations

from typing import Any

# pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) in the users' language.
MESSAGES = {
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


def message(error: dict[str, Any]) -> str:
    """The Chinese message of one pydantic error (ValidationError.errors() item)."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "greater_than_equal":
        return f"应不小于 {ctx.get('ge')}。"
    if kind == "less_than_equal":
        return f"应不大于 {ctx.get('le')}。"
    if kind == "literal_error":
        return f"应为以下之一：{ctx.get('expected', '')}。"
    if kind == "string_too_long":
        return f"内容过长（最多 {ctx.get('max_length')} 个字）。"
    return MESSAGES.get(kind) or f"格式不正确：{error.get('msg', '')}"
