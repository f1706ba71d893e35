"""What the workspace panel shows of an item: contacts, sessions, recusals, pauses with who pays, entrusted
mediation, the agreement; for a report its verification records, penalty case and 处罚决定书."""

from __future__ import annotations

from typing import Any

from xiaobao.cases.models import Case
from xiaobao.units.models import Staff

from . import purpose
from .models import PenaltyCase


def workspace(actor: Staff, case: Case) -> dict[str, Any]:
    return {
        "contacts": list(case.contacts.select_related("by")),
        "sessions": list(case.mediation_sessions.select_related("lead").prefetch_related("staff")),
        "recusals": list(case.recusals.select_related("staff")),
        "pauses": [p for p in case.pauses.select_related("approved_by") if p.reason != "jurisdiction"],
        "entrustments": list(case.entrustments.all()),
        "agreements": list(case.mediation_agreements.all()),
        "verifications": list(case.verification_records.select_related("by")),
        "penalty_case": PenaltyCase.objects.filter(case=case).first(),
        "decisions": list(case.penalty_decisions.select_related("attachment", "uploaded_by", "archived_by")),
        # Claims for gain and extortion (xiaobao.mediation.purpose): the factors, the referral and its dispatch.
        "purpose": purpose.view(case),
        "referral": case.events.filter(action="terminate_and_refer").order_by("-at", "-id").first(),
        "dispatches": list(case.events.filter(action="dispatch_referral").order_by("at", "id")),
    }
