"""举报奖励: who may see a reward, assessing it, and its procedure (notify → apply → approve → pay, or lapse).

Reward records are 工作秘密 (DOMAIN.md, "Report rewards"; API-v1.md, "Report rewards"): only the roles named in
READ_ROLES and the item's handling unit see them, everyone else is told the item's reward does not exist (404).
Every read and every write is an audit row whose action begins with `reward`. Nothing of a reward goes on the
item's timeline, which others who see the item read."""

from __future__ import annotations

import hmac
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xiaobao.cases.errors import Invalid, NotFound, NotPermitted, WrongState
from xiaobao.cases.models import Case, Kind, Outcome
from xiaobao.cases.persons import mask
from xiaobao.cases.selectors import sees_identity
from xiaobao.cases.services import next_number
from xiaobao.clocks.calendar import get_calendar
from xiaobao.clocks.services import today
from xiaobao.records.audit import record
from xiaobao.records.models import AuditEntry
from xiaobao.units.models import Role, Staff

from .models import Reward, RewardState
from .rules import RULES, compute, is_large_amount, split

NOT_FOUND = "未找到该件的举报奖励，或您无权查看。"

# Who sees a reward besides the handling unit's staff (API-v1.md, "Report rewards"). Not the archivist, not the
# administrator, not other units.
READ_ROLES = (Role.DISPATCHER, Role.DEPUTY_DIRECTOR, Role.BUREAU_HEAD, Role.AUDITOR)
UNIT_ROLES = (Role.HANDLER, Role.UNIT_LEADER)

ACTIONS = ("notify", "apply", "approve", "pay", "lapse")
ACTION_LABELS = {"notify": "告知举报人", "apply": "受理奖励申请", "approve": "审批", "pay": "发放", "lapse": "逾期未领取"}
PAYMENT_METHODS = {"bank_transfer": "银行转账", "other_non_cash": "其他非现金方式"}


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def of_handling_unit(user: Staff, case: Case) -> bool:
    return bool(user.unit_id and user.unit_id == case.unit_id and user.has_role(*UNIT_ROLES))


def may_see(user: Staff, case: Case) -> bool:
    """Whether the user may see the item's reward (API-v1.md: 消保股's dispatchers, the deputy director, the
    bureau head, the auditor and the handling unit's staff)."""
    if not _active(user) or case.kind != Kind.REPORT:
        return False
    return user.has_role(*READ_ROLES) or of_handling_unit(user, case)


def may_act(user: Staff, case: Case, reward: Reward | None, action: str) -> bool:
    """Whether the user's role may take the action (its state is checked apart)."""
    if action in ("assess", "notify", "apply"):  # the handling unit or 消保股
        return user.has_role(Role.DISPATCHER) or of_handling_unit(user, case)
    if action == "approve":
        return reward is not None and (nxt := next_approver(reward)) is not None and user.has_role(nxt)
    if action in ("pay", "lapse"):  # 消保股
        return user.has_role(Role.DISPATCHER)
    return False


def next_approver(reward: Reward) -> str | None:
    done = len(reward.approvals)
    return RULES.approvers[done] if done < len(RULES.approvers) else None


def _case_for(actor: Staff, case_id: int, *, lock: bool = False) -> Case:
    qs = Case.objects.select_related("complainant", "unit")
    if lock:
        qs = qs.select_for_update(of=("self",))
    case = qs.filter(pk=case_id).first()
    if case is None or not may_see(actor, case):
        raise NotFound(NOT_FOUND)
    return case


def _audit(actor: Staff, action: str, case: Case, reward: Reward | None, detail: dict | None = None) -> None:
    record(actor=actor, action=action, obj=f"reward:{reward.pk if reward else '-'}", case_id=case.pk,
           detail={"case": case.number, **(detail or {})})


def get(actor: Staff, case_id: int) -> tuple[Case, Reward]:
    """The item's reward, its read audited (reward_read). NotFound for those who may not see it, and when
    there is none."""
    case = _case_for(actor, case_id)
    reward = Reward.objects.filter(case=case).first()
    if reward is None:
        raise NotFound(NOT_FOUND)
    _audit(actor, "reward_read", case, reward)
    return case, reward


def find(actor: Staff, case: Case) -> Reward | None:
    """For the item's page: the reward if the user may see it (None otherwise, or when there is none); a read
    of an existing reward is audited."""
    if not may_see(actor, case):
        return None
    reward = Reward.objects.filter(case=case).first()
    if reward is not None:
        _audit(actor, "reward_read", case, reward)
    return reward


def record_print(actor: Staff, case: Case, reward: Reward, kind: str) -> None:
    _audit(actor, "reward_print", case, reward, {"form": kind})


# ---------------------------------------------------------------- assessing


def _text(v: Any) -> str:
    return "" if v is None else str(v).strip()


def _money(raw: Any, field: str) -> Decimal:
    try:
        value = Decimal(_text(raw))
        if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
            raise InvalidOperation
    except InvalidOperation:
        raise Invalid([{"field": field, "message": "罚没款应为非负金额（元，至多两位小数），如 12000.00。"}]) from None
    if value >= Decimal(10) ** 12:
        raise Invalid([{"field": field, "message": "罚没款过大，请核对。"}])
    return value


def matter(case: Case) -> tuple[Case, list[Case]]:
    """The primary item of the case's matter and the reports of it: the case's open merge (xiaobao.merging,
    reached through its relations) makes several filings one matter."""
    primary = Case.objects.filter(merged_items__case=case, merged_items__undone_at__isnull=True).first() or case
    reports = list(Case.objects.filter(Q(pk=primary.pk) | Q(merges__into=primary, merges__undone_at__isnull=True),
                                       kind=Kind.REPORT).select_related("complainant").distinct()
                   .order_by("received_at", "pk"))
    return primary, reports


def closing_date(case: Case) -> date | None:
    """The day the penalty was decided: the 处罚决定书's upload (mediation.upload_penalty_decision)."""
    first = case.penalty_decisions.order_by("uploaded_at").values_list("uploaded_at", flat=True).first()
    return timezone.localdate(first) if first is not None else None


def stated_reporter(body: dict) -> dict:
    return body.get("reporter") if isinstance(body.get("reporter"), dict) else {}


def eligibility_errors(case: Case, body: dict) -> list[dict]:
    """The four conditions of the measure and the reporter's identity (DOMAIN.md, "Report rewards")."""
    errors = []
    conditions = body.get("conditions") if isinstance(body.get("conditions"), dict) else {}
    for key, label in RULES.conditions.items():
        if conditions.get(key) is not True:
            errors.append({"field": f"conditions.{key}", "message": f"不符合奖励条件：{label}。"})
    stated = stated_reporter(body)
    for key, label in RULES.reporter_checks.items():
        if key in stated and stated[key] is not True:
            errors.append({"field": f"reporter.{key}", "message": f"举报人不符合奖励条件：{label}。"})
    person = case.complainant
    if person is not None and person.credit_code:
        errors.append({"field": "reporter.natural_person", "message": "举报奖励只给予自然人：该举报人登记为单位。"})
    if person is None or (person.anonymous and not person.reward_code):
        errors.append({"field": "reward_code", "message": "匿名举报人举报时未设置奖励身份代码，无法确认举报人身份。"})
    return errors


# 联名举报: the other signers of one report, besides the first (the item's complainant), at most this many (a
# local limit on one form, not the measure's).
JOINT_MAX = 10
ACCOUNT_FIELDS = ("account_bank", "account_number", "account_name")


def joint_reporters(case: Case, body: dict) -> tuple[list[dict], list[dict]]:
    """The other signers of a joint report as stated (`joint_reporters`: [{"name", "id_number", and the reporter
    checks as for the first}]), and the errors, each naming `joint_reporters.<i>.<field>`. Every signer must be
    eligible like the first (RULES.reporter_checks): a check stated false refuses the reward."""
    raw = body.get("joint_reporters")
    if raw in (None, []):
        return [], []
    if not isinstance(raw, list):
        return [], [{"field": "joint_reporters", "message": "联名举报人应为列表：[{姓名, 证件号码}]。"}]
    if len(raw) > JOINT_MAX:
        return [], [{"field": "joint_reporters", "message": f"联名举报的其他署名人至多 {JOINT_MAX} 人。"}]
    person = case.complainant
    if person is None or person.anonymous:
        return [], [{"field": "joint_reporters", "message": "匿名举报不能按联名举报分配奖励：联名举报人须在举报中署名。"}]
    errors, signers = [], []
    seen = {(person.name.strip(), person.id_number.strip())}
    for i, entry in enumerate(raw):
        where = f"joint_reporters.{i}"
        if not isinstance(entry, dict):
            errors.append({"field": where, "message": f"联名举报人第 {i + 1} 位应为 {{姓名, 证件号码}}。"})
            continue
        name, id_number = _text(entry.get("name"))[:120], _text(entry.get("id_number"))[:40]
        if not name:
            errors.append({"field": f"{where}.name", "message": f"请填写联名举报人第 {i + 1} 位的姓名（与举报中的署名一致）。"})
        elif (name, id_number) in seen or (id_number and any(id_number == n for _, n in seen)):
            # the same person twice: the same name and ID number, or the same ID number
            errors.append({"field": f"{where}.name", "message": f"联名举报人第 {i + 1} 位（{name}）重复：每位署名人只计一次。"})
        seen.add((name, id_number))
        checks = {}
        for key, label in RULES.reporter_checks.items():
            value = entry.get(key)
            if value is None:
                continue
            if value is not True:
                errors.append({"field": f"{where}.{key}", "message": f"联名举报人第 {i + 1} 位不符合奖励条件：{label}。"})
            checks[key] = value is True
        signers.append({"name": name, "id_number": id_number, "checks": checks})
    return signers, errors


@transaction.atomic
def assess(*, actor: Staff, case_id: int, body: dict) -> tuple[Case, Reward]:
    """POST /cases/{id}/reward: a filed report whose 处罚决定书 is uploaded gets its reward assessed — level,
    罚没款, the four conditions — and the clock to tell the reporter (15 working days from closing) starts."""
    case = _case_for(actor, case_id, lock=True)
    if not may_act(actor, case, None, "assess"):
        raise NotPermitted("只有承办单位或消保股可以认定举报奖励。")
    if Reward.objects.filter(case=case).exists():
        raise WrongState("该件已认定举报奖励。")
    if case.outcome != Outcome.FILED:
        raise WrongState("只有已立案查处的举报才能认定举报奖励。")
    primary, reports = matter(case)
    # 同一线索多人举报的，奖励第一举报人 (DOMAIN.md, "Report rewards"): one reward per matter, to its first report.
    if Reward.objects.filter(case__in=reports).exclude(case=case).exists():
        raise WrongState("同一事项已认定举报奖励：同一线索只奖励一次。")
    if reports and reports[0].pk != case.pk:
        raise WrongState(f"同一线索多人举报的，奖励第一举报人：应在 {reports[0].number} 认定。")
    closed_on = closing_date(primary)
    if closed_on is None:
        raise WrongState("处罚决定书上报后才能认定举报奖励（须经行政处罚）。")
    errors = []
    level = body.get("level")
    if level not in RULES.levels or isinstance(level, bool):
        errors.append({"field": "level", "message": "奖励等级应为 1、2 或 3。"})
    try:
        fines = _money(body.get("fines"), "fines")
    except Invalid as e:
        errors += e.errors
        fines = None
    errors += eligibility_errors(case, body)
    others, joint_errors = joint_reporters(case, body)
    errors += joint_errors
    if errors:
        raise Invalid(errors)
    a = compute(level, fines)
    cal = get_calendar()
    shares = []
    if others:
        # 联名举报人共享一份奖励 (DOMAIN.md, "Report rewards"): the one amount of the matter, shared to the fen.
        person = case.complainant
        first = {"name": person.name, "id_number": person.id_number,
                 "checks": {k: v for k, v in stated_reporter(body).items() if k in RULES.reporter_checks}}
        signers = [first, *others]
        shares = [{**s, "first": i == 0, "amount": str(amount)}
                  for i, (s, amount) in enumerate(zip(signers, split(a.amount, len(signers)), strict=True))]
    reward = Reward.objects.create(
        case=case, rules_code=RULES.code, level=level, fines=fines, rate=a.level.rate, floor=a.level.floor,
        amount=a.amount, finance_required=a.finance_required, large_amount=is_large_amount(fines),
        conditions={**{k: True for k in RULES.conditions},
                    "reporter": {k: v for k, v in stated_reporter(body).items() if k in RULES.reporter_checks}},
        evidence=_text(body.get("evidence"))[:2000],
        closed_on=closed_on, notify_due=cal.add_workdays(closed_on, RULES.notify_workdays), created_by=actor,
        shares=shares,
    )
    detail = {"level": level, "fines": fines, "amount": a.amount, "finance_required": a.finance_required}
    if shares:
        detail["joint"] = {"signers": len(shares), "shares": [sh["amount"] for sh in shares]}
    _audit(actor, "reward_assess", case, reward, detail)
    return case, reward


# ---------------------------------------------------------------- the procedure


def _require(body: dict, *fields: str) -> None:
    errors = [{"field": f, "message": "请填写此项。"} for f in fields if not _text(body.get(f))]
    if errors:
        raise Invalid(errors)


def _in_state(reward: Reward, *states: str, message: str) -> None:
    if reward.state not in states:
        raise WrongState(message, state=reward.state)


def _within_collection(reward: Reward, on: date) -> None:
    if reward.collect_due and on > reward.collect_due:
        raise WrongState(f"已超过领取期限（{reward.collect_due:%Y-%m-%d}），奖励视为放弃。", state=reward.state)


def _notify(actor, case, reward, body, on):
    _in_state(reward, RewardState.TO_NOTIFY, message="该奖励已告知举报人。")
    reward.state, reward.notified_on = RewardState.NOTIFIED, on
    reward.notice_channel = _text(body.get("channel"))[:20]
    reward.collect_due = get_calendar().add_workdays(on, RULES.collect_workdays)
    return {"channel": reward.notice_channel, "collect_due": reward.collect_due}


def _proves_identity(case: Case, body: dict) -> bool:
    person = case.complainant
    code, password = _text(body.get("reward_code")), _text(body.get("reward_password"))
    if not (person.reward_code and person.reward_password and code and password):
        return False
    same_code = hmac.compare_digest(code.encode(), person.reward_code.encode())
    return check_password(password, person.reward_password) and same_code


def _apply(actor, case, reward, body, on):
    _in_state(reward, RewardState.NOTIFIED, message="只有已告知举报人、尚未申请的奖励才能受理申请。")
    _within_collection(reward, on)
    _require(body, "payee_name", "payee_id_number")
    person = case.complainant
    payee = _text(body.get("payee_name"))
    if person.anonymous:
        # 匿名举报人凭举报时设定的身份代码和密码证明是本人 (DOMAIN.md, "Report rewards").
        if AuditEntry.objects.filter(action=FAILED_PROOF, case_id=case.pk).count() >= MAX_FAILED_PROOFS:
            raise WrongState(f"奖励身份代码或密码已连续错误 {MAX_FAILED_PROOFS} 次，申请已锁定，请由消保股核实举报人身份后处理。",
                             state=reward.state)
        if not _proves_identity(case, body):
            raise NotProved([{"field": "reward_password", "message": "奖励身份代码或密码不正确，不能确认是举报人本人。"}])
    elif payee != person.name:
        raise Invalid([{"field": "payee_name", "message": "奖励由举报人本人领取：领取人姓名应与举报人一致。"}])
    reward.state, reward.applied_on = RewardState.APPLIED, on
    reward.payee_name, reward.payee_id_number = payee[:120], _text(body.get("payee_id_number"))[:40]
    if reward.shares:  # a joint reward: the first signer applies, as for a single reporter
        reward.shares = [{**reward.shares[0], "name": reward.payee_name, "id_number": reward.payee_id_number},
                         *reward.shares[1:]]
    reward.approval_number = f"奖审〔{on.year}〕{next_number('reward-approval', on.year):03d}号"
    return {"approval_number": reward.approval_number, "anonymous_proved": person.anonymous}


def _approve(actor, case, reward, body, on):
    _in_state(reward, RewardState.APPLIED, message="只有已申请的奖励才能审批。")
    _within_collection(reward, on)
    role = next_approver(reward)
    last = len(reward.approvals) + 1 == len(RULES.approvers)
    if last and reward.finance_required and not _text(body.get("finance")):
        raise Invalid([{"field": "finance", "message": "奖励金额达到50万元以上，须填写会同财政部门确定的意见。"}])
    reward.approvals = [*reward.approvals, {"role": role, "by": actor.username, "name": str(actor),
                                            "on": on.isoformat(), "note": _text(body.get("note"))[:500]}]
    if last:
        reward.state, reward.approved_on = RewardState.APPROVED, on
        reward.finance_note = _text(body.get("finance"))[:250]
    return {"role": role, "approved": last}


def _pay(actor, case, reward, body, on):
    _in_state(reward, RewardState.APPROVED, message="只有已批准的奖励才能发放。")
    _within_collection(reward, on)
    errors = []
    method = _text(body.get("method"))
    if method not in PAYMENT_METHODS:
        errors.append({"field": "method", "message": "奖励以非现金方式发放：method 应为 bank_transfer 或 other_non_cash。"})
    errors += [{"field": f, "message": "请填写此项。"} for f in ACCOUNT_FIELDS if not _text(body.get(f))]
    if _text(body.get("account_name")) and _text(body.get("account_name")) != reward.payee_name:
        errors.append({"field": "account_name", "message": "奖励只能转入举报人本人名下的账户：户名应与领取人姓名一致。"})
    accounts, joint_errors = _joint_accounts(reward, body)
    errors += joint_errors
    if errors:
        raise Invalid(errors)
    reward.state, reward.paid_on, reward.payment_method = RewardState.PAID, on, method
    reward.account_bank = _text(body.get("account_bank"))[:120]
    reward.account_number = _text(body.get("account_number"))[:60]
    reward.account_name = _text(body.get("account_name"))[:120]
    reward.payment_reference = _text(body.get("reference"))[:80]
    reward.payment_number = f"奖发〔{on.year}〕{next_number('reward-payment', on.year):03d}号"
    detail = {"method": method, "payment_number": reward.payment_number, "amount": reward.amount}
    if reward.shares:
        first = {"account_bank": reward.account_bank, "account_number": reward.account_number,
                 "account_name": reward.account_name, "reference": reward.payment_reference}
        reward.shares = [{**share, **account} for share, account in zip(reward.shares, [first, *accounts], strict=True)]
        detail["joint"] = {"signers": len(reward.shares), "shares": [sh["amount"] for sh in reward.shares]}
    return detail


def _joint_accounts(reward: Reward, body: dict) -> tuple[list[dict], list[dict]]:
    """The accounts of a joint reward's other signers (`joint_accounts`, in the order of `joint_reporters`), each
    in that signer's own name (payment to an account in the reporter's own name; DOMAIN.md, "Report rewards")."""
    raw = body.get("joint_accounts")
    others = reward.shares[1:]
    if not others:
        if raw:
            return [], [{"field": "joint_accounts", "message": "该奖励不是联名举报，不需填写其他署名人的账户。"}]
        return [], []
    if not isinstance(raw, list) or len(raw) != len(others):
        return [], [{"field": "joint_accounts", "message": f"联名举报：应按联名举报人的顺序为其他 {len(others)} 位署名人各填一个账户。"}]
    errors, accounts = [], []
    for i, (entry, share) in enumerate(zip(raw, others, strict=True)):
        entry = entry if isinstance(entry, dict) else {}
        for f in ACCOUNT_FIELDS:
            if not _text(entry.get(f)):
                errors.append({"field": f"joint_accounts.{i}.{f}", "message": f"请填写联名举报人{share['name']}的此项。"})
        name = _text(entry.get("account_name"))
        if name and name != share["name"]:
            errors.append({"field": f"joint_accounts.{i}.account_name",
                           "message": f"奖励只能转入署名人本人名下的账户：户名应为“{share['name']}”。"})
        accounts.append({"account_bank": _text(entry.get("account_bank"))[:120],
                         "account_number": _text(entry.get("account_number"))[:60],
                         "account_name": name[:120], "reference": _text(entry.get("reference"))[:80]})
    return accounts, errors


def _lapse(actor, case, reward, body, on):
    _in_state(reward, *LAPSABLE, message="只有已告知、尚未发放的奖励才会逾期。")
    if on <= reward.collect_due:
        raise WrongState(f"领取期限（{reward.collect_due:%Y-%m-%d}）尚未届满。", state=reward.state)
    reward.state, reward.lapsed_on = RewardState.LAPSED, on
    return {"collect_due": reward.collect_due}


LAPSABLE = (RewardState.NOTIFIED, RewardState.APPLIED, RewardState.APPROVED)
STEPS = {"notify": _notify, "apply": _apply, "approve": _approve, "pay": _pay, "lapse": _lapse}


class NotProved(Invalid):
    """An anonymous reporter's code and password did not match."""


# Wrong codes or passwords for one reward before its application is refused outright (no guessing).
MAX_FAILED_PROOFS = 5
FAILED_PROOF = "reward_apply_refused"


def act(*, actor: Staff, case_id: int, action: str, body: dict) -> tuple[Case, Reward]:
    try:
        return _act(actor=actor, case_id=case_id, action=action, body=body)
    except NotProved:
        # Recorded after the refused change rolled back: every failed proof of identity stays in the trail.
        case = Case.objects.get(pk=case_id)
        _audit(actor, FAILED_PROOF, case, Reward.objects.filter(case=case).first(), {"reason": "code or password"})
        raise


@transaction.atomic
def _act(*, actor: Staff, case_id: int, action: str, body: dict) -> tuple[Case, Reward]:
    case = _case_for(actor, case_id, lock=True)
    reward = Reward.objects.select_for_update().filter(case=case).first()
    if reward is None or action not in STEPS:
        raise NotFound(NOT_FOUND if reward is None else "没有这个操作。")
    if not may_act(actor, case, reward, action):
        if action == "approve" and reward.state == RewardState.APPLIED:
            raise NotPermitted(f"该奖励现由{_role_label(next_approver(reward))}审批。")
        raise NotPermitted(f"您无权执行“{ACTION_LABELS[action]}”。")
    before = reward.state
    on = today()
    detail = STEPS[action](actor, case, reward, body, on)
    reward.save()
    _audit(actor, f"reward_{action}", case, reward, {"from": before, "to": reward.state, **detail})
    return case, reward


def lapse_overdue(on: date | None = None) -> int:
    """Every reward still uncollected after its collection deadline lapses (the measure: 逾期未领取的，视为放弃);
    each an audit row `reward_lapse` by the system. Returns how many."""
    on = on or today()
    count = 0
    for reward_id in Reward.objects.filter(state__in=LAPSABLE, collect_due__lt=on).values_list("pk", flat=True):
        with transaction.atomic():
            reward = Reward.objects.select_for_update().select_related("case").get(pk=reward_id)
            if reward.state not in LAPSABLE or not reward.collect_due or reward.collect_due >= on:
                continue
            before = reward.state
            reward.state, reward.lapsed_on = RewardState.LAPSED, on
            reward.save(update_fields=["state", "lapsed_on", "updated_at"])
            _audit(None, "reward_lapse", reward.case, reward,
                   {"from": before, "to": reward.state, "collect_due": reward.collect_due, "by": "lapse_rewards"})
            count += 1
    return count


def warn_notice_due(on: date | None = None) -> tuple[int, int]:
    """The daily warnings of the notice clock (reward_notice: tell the reporter within 15 working days of closing
    the case; RULES.notify_basis): XIAOBAO_REWARD_NOTICE_WARN_WORKDAYS working days before its due date, and once
    it has run out, each once per reward, to the handling unit's leaders and 消保股. In-app only (no e-mail or SMS:
    工作秘密), naming the item and the date, never the reporter; each an audit row by the system. Returns how many
    rewards were warned (due soon, overdue)."""
    from xiaobao.notify import services as notify

    on = on or today()
    until = get_calendar().add_workdays(on, settings.XIAOBAO_REWARD_NOTICE_WARN_WORKDAYS)
    waiting = Reward.objects.filter(state=RewardState.TO_NOTIFY).select_related("case", "case__unit")
    dispatchers = notify.with_role(Role.DISPATCHER)

    def leaders(case: Case) -> list:
        return notify.unit_leaders(case.unit_id) if case.unit_id else []

    soon = overdue = 0
    for reward in waiting.filter(notify_due__lt=on, notice_overdue_warned_on__isnull=True).order_by("notify_due", "pk"):
        if not Reward.objects.filter(pk=reward.pk, notice_overdue_warned_on__isnull=True).update(
                notice_overdue_warned_on=on):
            continue  # another run told them
        case = reward.case
        late = get_calendar().workdays_between(reward.notify_due, on)
        notify.send(leaders(case) + dispatchers, kind="reward_notice_overdue", case=case,
                    external=False, title=f"举报奖励告知逾期：{case.number} 告知举报人期限 {reward.notify_due:%Y-%m-%d} 已过",
                    body=f"已逾期 {late} 个工作日，请尽快告知举报人。{RULES.notify_basis}。")
        _audit(None, "reward_notice_overdue", case, reward, {"due": reward.notify_due, "workdays_late": late})
        overdue += 1
    for reward in waiting.filter(notify_due__gte=on, notify_due__lte=until, notice_warned_on__isnull=True).order_by(
            "notify_due", "pk"):
        if not Reward.objects.filter(pk=reward.pk, notice_warned_on__isnull=True).update(notice_warned_on=on):
            continue
        case = reward.case
        left = get_calendar().workdays_between(on, reward.notify_due)
        notify.send(leaders(case) + dispatchers, kind="reward_notice_due_soon", case=case,
                    external=False,
                    title=f"举报奖励告知期限将至：{case.number} 告知举报人期限 {reward.notify_due:%Y-%m-%d}（还有 {left} 个工作日）",
                    body=f"请在期限内告知举报人。{RULES.notify_basis}。")
        _audit(None, "reward_notice_due_soon", case, reward, {"due": reward.notify_due, "workdays_left": left})
        soon += 1
    return soon, overdue


def _role_label(role: str | None) -> str:
    return dict(Role.choices).get(role, "审批人") if role else "审批人"


# ---------------------------------------------------------------- what is shown


CLOCK_STATES = {"running": "进行中", "met": "已完成", "overdue": "已逾期"}


def clocks(reward: Reward, on: date | None = None) -> list[dict]:
    """The procedure's two clocks, in working days of the calendar table."""
    on = on or today()
    cal = get_calendar()

    def clock(name, label, start, due, length, met_on, basis):
        if met_on:
            state = "met"
        elif on > due:
            state = "overdue"
        else:
            state = "running"
        return {"name": name, "label": label, "state_label": CLOCK_STATES[state], "start": start.isoformat(), "due": due.isoformat(), "length": length,
                "unit": "workdays", "state": state, "met_on": met_on.isoformat() if met_on else None,
                "days_left": None if met_on else cal.workdays_between(on, due), "basis": basis}

    out = [clock("reward_notice", "告知举报人", reward.closed_on, reward.notify_due, RULES.notify_workdays,
                 reward.notified_on, RULES.notify_basis)]
    if reward.notified_on and reward.collect_due:
        done = reward.applied_on if reward.state != RewardState.LAPSED else None
        out.append(clock("reward_collect", "申请领取奖励", reward.notified_on, reward.collect_due,
                         RULES.collect_workdays, done, RULES.collect_basis))
    return out


def available(actor: Staff, case: Case, reward: Reward | None) -> list[str]:
    if reward is None:
        return ["assess"] if (may_act(actor, case, None, "assess") and case.outcome == Outcome.FILED
                              and case.penalty_decisions.exists()) else []
    on = today()
    states = {"notify": (RewardState.TO_NOTIFY,), "apply": (RewardState.NOTIFIED,),
              "approve": (RewardState.APPLIED,), "pay": (RewardState.APPROVED,)}
    late = bool(reward.collect_due and on > reward.collect_due)
    out = [a for a, s in states.items() if reward.state in s and may_act(actor, case, reward, a)
           and not (late and a != "notify")]
    if late and reward.state in LAPSABLE and may_act(actor, case, reward, "lapse"):
        out.append("lapse")
    return out


def view(actor: Staff, case: Case, reward: Reward) -> dict:
    person = case.complainant
    return {
        "case": case.pk, "number": case.number, "level": reward.level, "fines": str(reward.fines),
        "rate": str(reward.rate), "rate_percent": f"{(reward.rate * 100).normalize():f}", "floor": str(reward.floor), "amount": str(reward.amount),
        "finance_required": reward.finance_required, "large_amount": reward.large_amount,
        "state": reward.state, "state_label": reward.get_state_display(), "rules": reward.rules_code,
        "conditions": reward.conditions, "evidence": reward.evidence, "closed_on": reward.closed_on.isoformat(),
        "reporter": {"anonymous": bool(person and person.anonymous), "wants_reward": bool(person and person.wants_reward)},
        "clocks": clocks(reward),
        "approval_number": reward.approval_number or None,
        "approvals": reward.approvals,
        "payee_name": reward.payee_name or None,
        "payment": ({"paid_on": reward.paid_on.isoformat(), "method": reward.payment_method,
                     "account_bank": reward.account_bank, "account_number": reward.account_number,
                     "account_name": reward.account_name, "reference": reward.payment_reference,
                     "payment_number": reward.payment_number} if reward.paid_on else None),
        "lapsed_on": reward.lapsed_on.isoformat() if reward.lapsed_on else None,
        "joint": bool(reward.shares),
        "shares": shares_view(actor, case, reward),
        "actions": available(actor, case, reward),
    }


def shares_view(actor: Staff, case: Case, reward: Reward) -> list[dict]:
    """A joint reward's shares, one per signer: the amount and, once paid, the account. ID numbers are masked
    (421***********1234) for those who may not see a reporter's identity (cases.selectors.sees_identity)."""
    masked = not sees_identity(actor, case)
    out = []
    for share in reward.shares:
        id_number = share.get("id_number") or ""
        out.append({
            "name": share["name"], "id_number": (mask(id_number, number=True) if masked else id_number) or None,
            "first": bool(share.get("first")), "amount": share["amount"],
            "account": ({f: share.get(f, "") for f in (*ACCOUNT_FIELDS, "reference")}
                        if share.get("account_name") else None),
        })
    return out
