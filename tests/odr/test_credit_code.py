"""统一社会信用代码 check digit (GB 32100-2015 第 5.3 条), on published codes and on every single-character slip."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiaobao.odr.credit_code import CHARSET, problem

# Codes printed on published business licences.
REAL = ["91350100M000100Y43", "91110000600037341L", "91420000177570439L", "914403001922038216"]


@pytest.mark.parametrize("code", REAL)
def test_published_codes_pass(code):
    assert problem(code) is None
    assert problem(code.lower()) is None  # typed in lower case, taken as the same code


@pytest.mark.parametrize(("code", "words"), [
    ("911100001011075931", "校验位不正确"), ("9111000010110759", "18位"), ("91110000I01107593X", "18位"),
    ("", "请填写"), (None, "请填写"), (12345, "请填写")])
def test_bad_codes_are_refused_in_words(code, words):
    assert words in problem(code)


@given(st.sampled_from(REAL), st.integers(0, 16), st.sampled_from(CHARSET))
def test_any_single_slip_in_the_first_17_is_caught(code, position, char):
    slipped = code[:position] + char + code[position + 1:]
    assert (problem(slipped) is None) == (slipped == code)
