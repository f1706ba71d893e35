"""A made-up context of the snapshot's shape, to try an uploaded template before it is used."""

from __future__ import annotations

from django.conf import settings

from .catalog import SPECS


def sample_context(doc_type: str) -> dict:
    spec = SPECS[doc_type]
    return {
        "type": doc_type, "title": spec.title, "number": "样〔2026〕1号", "date": "2026年3月2日",
        "issued_at": "2026-03-02T10:00:00+08:00", "bureau_name": settings.XIAOBAO_BUREAU_NAME,
        "unit": "南郊市场监督管理所", "state": "concluded", "outcome": None,
        "case": {"number": "TS-2026-000001", "kind": "complaint", "kind_label": "投诉", "channel_label": "电话",
                 "received": "2026年3月2日", "facts": "样例事实", "demand": "样例诉求", "amount": "100.00元",
                 "state_label": "已办结", "outcome_label": ""},
        "complainant": {"name": "样例", "phone": "", "address": "", "id_type": "", "id_number": "",
                        "shown": True, "anonymous": False},
        "respondent": {"name": "样例商行", "address": "样例地址", "credit_code": "", "contact_person": ""},
        "addressee": "样例", "decision": ["样例决定。"],
        "ground": {"code": "other", "text": "样例理由", "basis": "样例依据"} if spec.ground_outcome else None,
        "basis": ["样例依据"],
        "clocks": [{"name": "acceptance", "label": "受理决定", "start": "2026年3月2日", "due": "2026年3月11日",
                    "met_on": "", "basis": "样例依据"}],
    }
