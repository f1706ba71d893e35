"""Items driven through the API into the situations each document needs."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from docx import Document as Docx

from tests.conftest import complaint_body, report_body

FROZEN = "2026-03-02 10:00 +0800"
BUREAU = "曾都区市场监督管理局"


def _ok(r, status: int = 200) -> dict:
    assert r.status_code == status, r.content.decode()
    return r.json()


# The complainant of complaint_body, who agreed to electronic delivery (送达地址确认, SAMR-2026) by SMS and e-mail.
CONSENTING = {**complaint_body()["complainant"], "e_delivery_consent": True, "e_delivery_email": "zhangwei@example.cn"}


def complaint(api, **overrides) -> int:
    clerk = api("xiaobao")
    case = _ok(clerk.post("/api/v1/cases", complaint_body(**overrides)), 201)
    _ok(clerk.act(case["id"], "submit_for_triage"))
    _ok(clerk.act(case["id"], "assign", {"unit": "st-nanjiao"}))
    return case["id"]


def accepted(api, **overrides) -> int:
    case_id = complaint(api, **overrides)
    _ok(api("nanjiao").act(case_id, "accept"))
    return case_id


def not_accepted(api, **overrides) -> int:
    case_id = complaint(api, **overrides)
    _ok(api("nanjiao").act(case_id, "not_accept", {"ground": "not_consumption", "reason": "系经营性采购"}))
    return case_id


def mediated(api) -> int:
    case_id = accepted(api)
    _ok(api("nanjiao").act(case_id, "mediate", {"result": "agreed", "amount_recovered": "3299.00",
                                                "agreement": "被投诉人为投诉人办理退货，退还货款3299元。"}))
    return case_id


def terminated(api, **overrides) -> int:
    case_id = accepted(api, **overrides)
    _ok(api("nanjiao").act(case_id, "mediate", {"result": "terminated", "ground": "no_agreement",
                                                "reason": "张伟坚持三倍赔偿，联系电话13800000001，商家不同意。"}))
    return case_id


def referred(api) -> int:
    case_id = complaint(api)
    _ok(api("nanjiao").act(case_id, "refer_elsewhere", {"authority": "曾都区住房和城乡建设局",
                                                         "reason": "物业服务纠纷"}))
    return case_id


GAIN_FACTORS = {"goods": "同一型号进口奶粉", "quantity": 60, "purchases": 6, "period_days": 10, "assessment": "gain",
                "note": "十日内六次购买同一奶粉共60罐，明显超出生活消费需要，并以投诉相要挟索要十倍赔偿"}


def referred_to_police(api) -> int:
    """A complaint whose purchase was found to be for gain: mediation terminated and referred to the police
    (xiaobao.mediation.purpose); the 移送书 is issued with the decision."""
    case_id = accepted(api)
    _ok(api("nanjiao").act(case_id, "assess_consumer_purpose", GAIN_FACTORS))
    _ok(api("nanjiao").act(case_id, "terminate_and_refer", {"reason": "投诉人系职业索赔，拒绝退货只要求十倍赔偿。"}))
    return case_id


def report_in_verification(api, **overrides) -> int:
    clerk = api("xiaobao")
    case = _ok(clerk.post("/api/v1/cases", report_body(**overrides)), 201)
    _ok(clerk.act(case["id"], "submit_for_triage"))
    _ok(clerk.act(case["id"], "assign", {"unit": "st-nanjiao"}))
    _ok(api("fenguan").act(case["id"], "approve", {"note": "同意分流"}))
    _ok(api("nanjiao").act(case["id"], "begin_verification"))
    return case["id"]


def report_declined(api, **overrides) -> int:
    case_id = report_in_verification(api, **overrides)
    _ok(api("nanjiao").act(case_id, "decline_filing", {"reason": "现场检查未发现过期食品",
                                                        "record": "3月3日现场检查货架，散装白酒均在保质期内。"}))
    return case_id


def report_not_filed(api, **overrides) -> int:
    case_id = report_declined(api, **overrides)
    _ok(api("juzhang").act(case_id, "approve", {"note": "同意"}))
    return case_id


def report_filed(api, **overrides) -> int:
    case_id = report_in_verification(api, **overrides)
    _ok(api("nanjiao").act(case_id, "file", {"note": "已立案"}))
    _ok(api("juzhang").act(case_id, "approve", {"note": "同意立案"}))  # 处罚程序规定第十八条
    return case_id


def issue(api, case_id: int, doc_type: str, user: str = "nanjiao") -> dict:
    return _ok(api(user).post(f"/api/v1/cases/{case_id}/documents", {"type": doc_type}), 201)


def issued(api, case_id: int, doc_type: str, user: str = "nanjiao") -> dict:
    """The item's document of the type: the one issued with the decision (the police referral), else issued now."""
    found = [d for d in _ok(api(user).get(f"/api/v1/cases/{case_id}/documents")) if d["type"] == doc_type]
    return found[-1] if found else issue(api, case_id, doc_type, user)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)  # noqa: S603, S607
    return flat(out.stdout.decode())


def docx_text(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return flat("\n".join(parts))


def download(api, document_id: int, fmt: str, user: str = "nanjiao"):
    return api(user).get(f"/api/v1/documents/{document_id}/file", format=fmt)
