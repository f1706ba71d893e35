"""举报奖励 amounts (《市场监管领域重大违法行为举报奖励暂行办法》): max(rate × 罚没款, floor), at most 1,000,000 元,
from 500,000 元 decided with the finance department; exact decimals at every boundary."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiaobao.rewards.rules import RULES, compute, is_large_amount

D = Decimal


@pytest.mark.parametrize(("level", "fines", "amount", "floor_applied"), [
    # Level 1, 5 %, floor 5,000: the floor holds up to 100,000 元 of 罚没款, the rate beyond.
    (1, "0.00", "5000.00", True),
    (1, "99999.99", "5000.00", False),  # 4999.9995 → 5000.00: the rate, rounded half up, reaches the floor
    (1, "99999.80", "5000.00", True),  # 4999.99
    (1, "100000.00", "5000.00", False),
    (1, "100000.20", "5000.01", False),
    (1, "100000.10", "5000.01", False),  # 5000.005 → half up
    # Level 2, 3 %, floor 3,000: boundary at 100,000 元.
    (2, "99999.66", "3000.00", True),
    (2, "100000.00", "3000.00", False),
    (2, "100000.34", "3000.01", False),
    # Level 3, 1 %, floor 1,000: boundary at 100,000 元.
    (3, "99999.00", "1000.00", True),
    (3, "100000.00", "1000.00", False),
    (3, "100001.00", "1000.01", False),
])
def test_reward_amount_is_rate_times_fines_with_the_levels_floor(level, fines, amount, floor_applied):
    a = compute(level, D(fines))
    assert a.amount == D(amount) and a.floor_applied is floor_applied and not a.cap_applied


@pytest.mark.parametrize(("level", "fines", "amount", "capped"), [
    (1, "20000000.00", "1000000.00", False),  # exactly the cap
    (1, "20000000.20", "1000000.00", True),
    (2, "33333333.33", "1000000.00", False),  # 999,999.9999 → 1,000,000.00
    (2, "40000000.00", "1000000.00", True),
    (3, "100000000.00", "1000000.00", False),
    (3, "100000100.00", "1000000.00", True),
])
def test_reward_amount_is_at_most_one_million_per_case(level, fines, amount, capped):
    a = compute(level, D(fines))
    assert a.amount == D(amount) and a.cap_applied is capped and a.finance_required


@pytest.mark.parametrize(("level", "fines", "finance"), [
    (1, "9999999.80", False),  # 499,999.99
    (1, "10000000.00", True),  # 500,000.00: 50万元以上（含50万元）
    (2, "16666666.67", True),  # 500,000.0001 → 500,000.00
    (2, "16666666.33", False),  # 499,999.9899 → 499,999.99
    (3, "49999999.00", False),
    (3, "50000000.00", True),
])
def test_reward_from_500000_is_decided_with_the_finance_department(level, fines, finance):
    assert compute(level, D(fines)).finance_required is finance


def test_reward_rules_carry_their_basis():
    assert [(lv.rate, lv.floor) for lv in RULES.levels.values()] == [
        (D("0.05"), D("5000.00")), (D("0.03"), D("3000.00")), (D("0.01"), D("1000.00"))]
    assert RULES.cap == D("1000000.00") and RULES.finance_from == D("500000.00")
    for basis in [lv.basis for lv in RULES.levels.values()] + [RULES.cap_basis, RULES.finance_basis,
                                                                RULES.notify_basis, RULES.collect_basis]:
        assert "国市监稽规〔2021〕4号" in basis


def test_reward_refuses_unknown_levels_and_negative_fines():
    with pytest.raises(KeyError):
        compute(4, D("1"))
    with pytest.raises(ValueError, match="non-negative"):
        compute(1, D("-0.01"))


def test_large_amount_threshold_is_configuration(settings):
    settings.XIAOBAO_REWARD_LARGE_AMOUNT = "200000"
    assert not is_large_amount(D("199999.99")) and is_large_amount(D("200000.00"))


@given(level=st.sampled_from([1, 2, 3]),
       fines=st.decimals(min_value=0, max_value=D("999999999999.99"), places=2, allow_nan=False))
def test_reward_amount_properties(level, fines):
    a = compute(level, fines)
    lv = RULES.levels[level]
    exact = lv.rate * fines
    assert a.amount == a.amount.quantize(D("0.01"))
    assert lv.floor <= a.amount <= RULES.cap
    # Never more than a fen away from the exact figure unless the floor or the cap decided.
    if not a.floor_applied and not a.cap_applied:
        assert abs(a.amount - exact) <= D("0.005")
    assert a.finance_required is (a.amount >= D("500000"))
    # Monotonic: more 罚没款 never gives less.
    assert compute(level, fines + D("0.01")).amount >= a.amount
