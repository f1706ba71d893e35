"""The reward rule set: rates, floors, cap, the finance threshold, the clocks and the approvers, each with its
basis in 《市场监管领域重大违法行为举报奖励暂行办法》(国市监稽规〔2021〕4号, in force 2021-12-01; DOMAIN.md,
"Report rewards"). The amount is computed here, in exact decimals."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

MEASURE = "《市场监管领域重大违法行为举报奖励暂行办法》（国市监稽规〔2021〕4号）"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Level:
    level: int
    label: str
    rate: Decimal
    floor: Decimal
    basis: str


@dataclass(frozen=True)
class RewardRules:
    code: str
    name: str
    effective_from: str
    levels: dict[int, Level]
    cap: Decimal
    cap_basis: str
    finance_from: Decimal
    finance_basis: str
    notify_workdays: int
    notify_basis: str
    collect_workdays: int
    collect_basis: str
    # The roles that approve a reward, in order: 分管局长 reviews, 局负责人 approves (the measure: rewards are
    # approved by the bureau's head; this bureau's practice puts the deputy director's review first).
    approvers: tuple[str, ...]
    approvers_basis: str
    conditions: dict[str, str] = field(default_factory=dict)
    # Who may be rewarded (the measure's exclusions): checked when stated, recorded with the reward.
    reporter_checks: dict[str, str] = field(default_factory=dict)


RULES = RewardRules(
    code="SAMR-reward-2021",
    name="市场监管领域重大违法行为举报奖励暂行办法",
    effective_from="2021-12-01",
    levels={
        1: Level(1, "一级", Decimal("0.05"), Decimal("5000.00"), f"{MEASURE}：一级举报奖励按罚没款的5%给予，不足5000元的给予5000元"),
        2: Level(2, "二级", Decimal("0.03"), Decimal("3000.00"), f"{MEASURE}：二级举报奖励按罚没款的3%给予，不足3000元的给予3000元"),
        3: Level(3, "三级", Decimal("0.01"), Decimal("1000.00"), f"{MEASURE}：三级举报奖励按罚没款的1%给予，不足1000元的给予1000元"),
    },
    cap=Decimal("1000000.00"),
    cap_basis=f"{MEASURE}：每起案件的举报奖励金额上限为100万元",
    finance_from=Decimal("500000.00"),
    finance_basis=f"{MEASURE}：单笔奖励金额达到50万元以上（含50万元）的，会同同级财政部门确定",
    notify_workdays=15,
    notify_basis=f"{MEASURE}：查处结案或者移送追究刑事责任后15个工作日内告知举报人",
    collect_workdays=30,
    collect_basis=f"{MEASURE}：举报人应当在收到奖励通知之日起30个工作日内领取奖励，逾期视为放弃",
    approvers=("deputy_director", "bureau_head"),
    approvers_basis=f"{MEASURE}：举报奖励由市场监督管理部门负责人批准",
    conditions={
        "in_scope": "属于举报奖励范围的重大违法行为",
        "key_evidence": "有明确的被举报对象和具体违法事实或者违法犯罪线索，并提供了关键证据",
        "not_known": "举报内容事先未被市场监督管理部门掌握",
        "penalised": "经查处结案并被行政处罚，或者依法移送司法机关被追究刑事责任",
    },
    reporter_checks={
        "natural_person": "举报人为自然人",
        "not_staff": "举报人不是市场监督管理部门或者其他有查处职责的国家机关工作人员",
        "not_infringed_party": "举报人不是违法行为的直接受害人（受害人投诉不属举报奖励）",
        "not_violator": "举报人不是违法行为人（内部知情人员举报的除外）",
    },
)


@dataclass(frozen=True)
class Amount:
    amount: Decimal
    computed: Decimal  # rate × 罚没款, before floor and cap
    floor_applied: bool
    cap_applied: bool
    finance_required: bool
    level: Level


def compute(level: int, fines: Decimal, rules: RewardRules = RULES) -> Amount:
    """amount = min(max(rate × 罚没款, floor), cap), to the fen, half up; from finance_from on, the finance
    department decides with the bureau. Raises KeyError for an unknown level, ValueError for negative fines."""
    lv = rules.levels[level]
    if not fines.is_finite() or fines < 0:
        raise ValueError("fines must be a non-negative amount")
    computed = (lv.rate * fines).quantize(CENT, rounding=ROUND_HALF_UP)
    amount = max(computed, lv.floor)
    capped = amount > rules.cap
    amount = min(amount, rules.cap)
    return Amount(amount=amount, computed=computed, floor_applied=computed < lv.floor, cap_applied=capped,
                  finance_required=amount >= rules.finance_from, level=lv)


def large_amount_threshold() -> Decimal:
    """The province's "较大数额" of 罚没款 (configuration: XIAOBAO_REWARD_LARGE_AMOUNT)."""
    return Decimal(str(settings.XIAOBAO_REWARD_LARGE_AMOUNT))


def is_large_amount(fines: Decimal) -> bool:
    return fines >= large_amount_threshold()


def split(amount: Decimal, signers: int) -> list[Decimal]:
    """One reward shared by the signers of a joint report (联名举报人共享一份奖励; DOMAIN.md, "Report rewards"):
    equal shares to the fen; the fen that do not divide go one each to the signers in signing order, the first
    signer first — so the first signer's share is the largest, no two shares differ by more than 0.01, and the
    shares add up to the amount exactly."""
    if signers < 1:
        raise ValueError("a reward has at least one signer")
    fen = int(amount.quantize(CENT) / CENT)
    if Decimal(fen) * CENT != amount:
        raise ValueError("the amount must be to the fen")
    base, rest = divmod(fen, signers)
    return [(Decimal(base + (1 if i < rest else 0)) * CENT).quantize(CENT) for i in range(signers)]
