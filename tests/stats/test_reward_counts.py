"""举报奖励 in the monthly statistics: counts and sums only — rewards assessed, paid and the amount paid, lapsed
(issue 23, point 5: "nothing of them in exports or statistics beyond counts and sums"). No reporter, payee, ID
number or account in the JSON, the page or the Excel export."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook

from tests.conftest import Api
from tests.mediation.conftest import ok
from tests.rewards.conftest import assess_body, filed_report, reward_url
from tests.stats.test_pages import browser

SECRETS = ["李娜", "王强", "13900000002", "421302199001011234", "421302198505051234", "6228480000000000001",
           "6217000000000000002", "中国农业银行", "T20260302"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def rewards(api):
    """On 2026-03-02: a joint reward (李娜 and 王强) paid, and a reward told but never collected."""
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        paid = filed_report(api)
        clerk = api("xiaobao")
        ok(clerk.post(reward_url(paid), assess_body(level=1, fines="120000.00", joint_reporters=[
            {"name": "王强", "id_number": "421302198505051234"}])), 201)
        ok(clerk.post(reward_url(paid, "notify"), {"channel": "phone"}))
        ok(clerk.post(reward_url(paid, "apply"), {"payee_name": "李娜", "payee_id_number": "421302199001011234"}))
        ok(api("fenguan").post(reward_url(paid, "approve")))
        ok(api("juzhang").post(reward_url(paid, "approve")))
        ok(clerk.post(reward_url(paid, "pay"), {
            "method": "bank_transfer", "account_bank": "中国农业银行随州分行", "account_number": "6228480000000000001",
            "account_name": "李娜", "reference": "T20260302", "joint_accounts": [
                {"account_bank": "中国银行", "account_number": "6217000000000000002", "account_name": "王强"}]}))
        lapsing = filed_report(api)
        ok(clerk.post(reward_url(lapsing), assess_body(level=3, fines="0.00")), 201)
        ok(clerk.post(reward_url(lapsing, "notify"), {"channel": "letter"}))
    with time_machine.travel("2026-04-15 00:10 +0800", tick=False):  # the collection deadline 2026-04-14 passed
        call_command("lapse_rewards")


def monthly(api, user: str, month: str, **params) -> dict:
    with time_machine.travel("2026-05-04 09:00 +0800", tick=False):  # a token of that day
        return ok(Api(user).get("/api/v1/stats/monthly", month=month, **params))


def test_reward_counts_and_sums_in_the_monthly_figures(api, rewards):
    assert monthly(api, "xiaobao", "2026-03")["rewards"] == {
        "assessed": 2, "paid": 1, "amount_paid": "6000.00", "lapsed": 0}
    assert monthly(api, "xiaobao", "2026-04")["rewards"] == {
        "assessed": 0, "paid": 0, "amount_paid": "0.00", "lapsed": 1}
    # A unit sees its own items' rewards only (稽查分局 handled both).
    assert monthly(api, "jicha", "2026-03", unit="jicha")["rewards"]["assessed"] == 2
    assert monthly(api, "nanjiao", "2026-03", unit="st-nanjiao")["rewards"] == {
        "assessed": 0, "paid": 0, "amount_paid": "0.00", "lapsed": 0}


def test_reward_nothing_but_counts_and_sums_in_the_json_page_or_excel(api, rewards):
    figures = monthly(api, "xiaobao", "2026-03")
    text = json.dumps(figures, ensure_ascii=False)
    assert not [s for s in SECRETS if s in text]
    assert set(figures["rewards"]) == {"assessed", "paid", "amount_paid", "lapsed"}

    with time_machine.travel("2026-05-04 09:00 +0800", tick=False):
        page = browser("xiaobao").get("/stats/monthly/", {"month": "2026-03"}).content.decode()
        content = Api("xiaobao").get("/api/v1/stats/monthly", month="2026-03", format="xlsx").content
    assert "认定 2 件；发放 1 件，6000.00 元；逾期未领取 0 件" in page
    assert not [s for s in SECRETS if s in page]

    book = load_workbook(BytesIO(content))
    cells = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert not [s for s in SECRETS if any(s in c for c in cells)]
    rows = list(book["举报奖励"].iter_rows(min_row=4, values_only=True))
    assert [(label, float(n)) for label, n in rows] == [
        ("认定举报奖励（件）", 2), ("发放（件）", 1), ("发放金额（元）", 6000.0), ("逾期未领取（件）", 0)]
