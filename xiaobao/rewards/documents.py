"""The 举报奖励审批表 and 发放表 as PDFs (WeasyPrint, like stats.report), numbered and marked 工作秘密."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from xiaobao.cases.models import Case
from xiaobao.lib import timeutil

from .models import Reward
from .rules import MEASURE, RULES

KINDS = {"approval": "举报奖励审批表", "payment": "举报奖励发放表"}


def available(reward: Reward) -> list[str]:
    """The forms that exist: the 审批表 from the application on (its number), the 发放表 once paid."""
    return [k for k, present in (("approval", reward.approval_number), ("payment", reward.payment_number)) if present]


def render_pdf(kind: str, case: Case, reward: Reward) -> bytes:
    from weasyprint import HTML  # loads Pango and fonts: only these downloads need it

    person = case.complainant
    html = render_to_string("rewards/form_pdf.html", {
        "kind": kind, "title": KINDS[kind], "bureau": settings.XIAOBAO_BUREAU_NAME, "case": case, "r": reward,
        "number": reward.approval_number if kind == "approval" else reward.payment_number,
        "level": RULES.levels[reward.level], "rules": RULES, "anonymous": bool(person and person.anonymous),
        "reporter": "匿名举报人（凭身份代码和密码确认）" if person and person.anonymous else (person.name if person else ""),
        "printed_at": timeutil.now(), "measure": MEASURE,
        "rate_percent": f"{(reward.rate * 100).normalize():f}",
    })
    return HTML(string=html).write_pdf()
