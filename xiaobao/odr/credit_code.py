"""统一社会信用代码 (GB 32100-2015): 18 characters; the last is a check character computed from the first 17."""

from __future__ import annotations

import re

# GB 32100-2015 表 2: the 31 characters a code may use (no I, O, S, V, Z), each with its value.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 第 5.3 条: the weights of positions 1–17.
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
SHAPE = re.compile(rf"^[{CHARSET}]{{18}}$")


def check_character(first17: str) -> str:
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def problem(code: object) -> str | None:
    """Why `code` is not a 统一社会信用代码, in words for the form; None when it is one."""
    if not isinstance(code, str) or not code.strip():
        return "请填写统一社会信用代码。"
    code = code.strip().upper()
    if not SHAPE.match(code):
        return "统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z）。"
    if check_character(code[:17]) != code[17]:
        return "统一社会信用代码校验位不正确，请核对。"
    return None
