"""联名举报 (one report signed by several people): the signers share the one reward of the matter (DOMAIN.md,
"Report rewards": "joint reporters share one reward"; 《市场监管领域重大违法行为举报奖励暂行办法》). Shared to the fen,
each signer checked like the first, each paid to an account in the signer's own name; a single reporter's API
stays as it was."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from tests.conftest import PASSWORD
from tests.mediation.conftest import ok
from tests.rewards.conftest import ANONYMOUS, assess_body, filed_report, reward_url
from xiaobao.records.models import AuditEntry
from xiaobao.rewards.models import Reward
from xiaobao.rewards.rules import split

D = Decimal
HTMX = {"HTTP_HX_REQUEST": "true"}
SIGNERS = [{"name": "王强", "id_number": "421302198505051234"}, {"name": "陈静", "id_number": "421302199202022345"}]
FIRST_ACCOUNT = {"account_bank": "中国农业银行随州分行", "account_number": "6228480000000000001", "account_name": "李娜"}
ACCOUNTS = [{"account_bank": "中国银行随州分行", "account_number": "6217000000000000002", "account_name": "王强",
             "reference": "T2"},
            {"account_bank": "湖北农信", "account_number": "6230000000000000003", "account_name": "陈静",
             "reference": "T3"}]


# ---------------------------------------------------------------- the split, exact to the fen


@pytest.mark.parametrize(("amount", "signers", "shares"), [
    ("5000.00", 3, ["1666.67", "1666.67", "1666.66"]),  # 2 fen left over: the first two signers one each
    ("1000.00", 3, ["333.34", "333.33", "333.33"]),  # 1 fen: the first signer
    ("6000.00", 2, ["3000.00", "3000.00"]),
    ("1000000.00", 11, ["90909.10"] + ["90909.09"] * 10),
    ("1000.01", 1, ["1000.01"]),
])
def test_reward_joint_split_examples(amount, signers, shares):
    assert split(D(amount), signers) == [D(s) for s in shares]


@given(fen=st.integers(min_value=100_000, max_value=100_000_000), signers=st.integers(min_value=1, max_value=11))
def test_reward_joint_shares_sum_to_the_amount_and_differ_by_at_most_a_fen(fen, signers):
    amount = D(fen) / 100
    shares = split(amount, signers)
    assert len(shares) == signers and sum(shares) == amount
    assert max(shares) - min(shares) <= D("0.01")
    assert shares[0] == max(shares) and shares == sorted(shares, reverse=True)  # the remainder from the first on
    assert all(s == s.quantize(D("0.01")) for s in shares)


# ---------------------------------------------------------------- through the API


on_monday = pytest.mark.usefixtures("clock")


@on_monday
def test_reward_joint_report_from_assessment_to_payment(api):
    case_id = filed_report(api)
    handler, clerk = api("jicha"), api("xiaobao")
    reward = ok(handler.post(reward_url(case_id), assess_body(level=2, fines="100000.00", joint_reporters=SIGNERS)), 201)
    # One reward for the matter (3 % of 100,000 = the floor 3,000), shared by three: 1000.00 each.
    assert reward["amount"] == "3000.00" and reward["joint"] is True
    assert [(s["name"], s["amount"], s["first"]) for s in reward["shares"]] == [
        ("李娜", "1000.00", True), ("王强", "1000.00", False), ("陈静", "1000.00", False)]
    # The handling unit does not see a reporter's identity: ID numbers masked; 消保股 sees them.
    assert reward["shares"][1]["id_number"] == "421***********1234"
    assert ok(clerk.get(reward_url(case_id)))["shares"][1]["id_number"] == "421302198505051234"
    detail = AuditEntry.objects.get(action="reward_assess", case_id=case_id).detail
    assert detail["joint"] == {"signers": 3, "shares": ["1000.00", "1000.00", "1000.00"]}

    ok(handler.post(reward_url(case_id, "notify"), {"channel": "phone"}))
    reward = ok(clerk.post(reward_url(case_id, "apply"), {"payee_name": "李娜", "payee_id_number": "421302199001011234"}))
    assert reward["state"] == "applied" and reward["payee_name"] == "李娜"  # the first signer applies
    ok(api("fenguan").post(reward_url(case_id, "approve")))
    ok(api("juzhang").post(reward_url(case_id, "approve")))

    pay = {"method": "bank_transfer", **FIRST_ACCOUNT}
    r = clerk.post(reward_url(case_id, "pay"), pay)  # no accounts for the other signers
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["joint_accounts"]
    wrong = [ACCOUNTS[0], {**ACCOUNTS[1], "account_name": "王强"}]
    r = clerk.post(reward_url(case_id, "pay"), {**pay, "joint_accounts": wrong})
    assert r.status_code == 422 and r.json()["errors"] == [
        {"field": "joint_accounts.1.account_name", "message": "奖励只能转入署名人本人名下的账户：户名应为“陈静”。"}]
    r = clerk.post(reward_url(case_id, "pay"), {**pay, "method": "cash", "joint_accounts": [ACCOUNTS[0], {}]})
    assert [e["field"] for e in r.json()["errors"]] == [
        "method", "joint_accounts.1.account_bank", "joint_accounts.1.account_number", "joint_accounts.1.account_name"]
    assert Reward.objects.get(case_id=case_id).state == "approved"

    reward = ok(clerk.post(reward_url(case_id, "pay"), {**pay, "reference": "T1", "joint_accounts": ACCOUNTS}))
    assert reward["state"] == "paid" and reward["payment"]["account_name"] == "李娜"
    assert [(s["name"], s["amount"], s["account"]["account_name"], s["account"]["account_number"])
            for s in reward["shares"]] == [("李娜", "1000.00", "李娜", "6228480000000000001"),
                                           ("王强", "1000.00", "王强", "6217000000000000002"),
                                           ("陈静", "1000.00", "陈静", "6230000000000000003")]
    assert AuditEntry.objects.get(action="reward_pay", case_id=case_id).detail["joint"]["signers"] == 3


@on_monday
def test_reward_joint_remainder_fen_from_the_first_signer_on(api):
    case_id = filed_report(api)
    reward = ok(api("jicha").post(reward_url(case_id), assess_body(level=1, fines="0.00",
                                                                   joint_reporters=SIGNERS)), 201)
    assert reward["amount"] == "5000.00"  # one reward, the floor — not one floor per signer
    assert [s["amount"] for s in reward["shares"]] == ["1666.67", "1666.67", "1666.66"]


@on_monday
def test_reward_joint_signers_are_checked_like_the_first(api):
    case_id = filed_report(api)
    signers = [{"name": "王强", "not_staff": False}, {"name": " ", "id_number": "1"},
               {"name": "李娜", "id_number": ""}, *({"name": f"署名人{i}"} for i in range(3))]
    r = api("jicha").post(reward_url(case_id), assess_body(joint_reporters=signers))
    assert r.status_code == 422 and r.json()["errors"] == [
        {"field": "joint_reporters.0.not_staff",
         "message": "联名举报人第 1 位不符合奖励条件：举报人不是市场监督管理部门或者其他有查处职责的国家机关工作人员。"},
        {"field": "joint_reporters.1.name", "message": "请填写联名举报人第 2 位的姓名（与举报中的署名一致）。"},
        {"field": "joint_reporters.2.name", "message": "联名举报人第 3 位（李娜）重复：每位署名人只计一次。"},
    ]
    r = api("jicha").post(reward_url(case_id), assess_body(joint_reporters=[{"name": f"署名人{i}"} for i in range(11)]))
    assert r.status_code == 422 and r.json()["errors"] == [
        {"field": "joint_reporters", "message": "联名举报的其他署名人至多 10 人。"}]
    assert not Reward.objects.filter(case_id=case_id).exists()
    checks = {"natural_person": True, "not_staff": True, "not_infringed_party": True, "not_violator": True}
    signers = [{"name": f"署名人{i}", **checks} for i in range(10)]
    reward = ok(api("jicha").post(reward_url(case_id), assess_body(joint_reporters=signers)), 201)
    assert len(reward["shares"]) == 11 and reward["shares"][10]["id_number"] is None


@on_monday
def test_reward_joint_an_anonymous_report_has_no_signers(api):
    case_id = filed_report(api, complainant=dict(ANONYMOUS))
    r = api("xiaobao").post(reward_url(case_id), assess_body(joint_reporters=SIGNERS))
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["joint_reporters"]


@on_monday
def test_reward_single_reporter_unchanged_and_refuses_joint_accounts(api):
    case_id = filed_report(api)
    clerk = api("xiaobao")
    reward = ok(clerk.post(reward_url(case_id), assess_body()), 201)
    assert reward["joint"] is False and reward["shares"] == [] and reward["amount"] == "6000.00"
    ok(clerk.post(reward_url(case_id, "notify")))
    ok(clerk.post(reward_url(case_id, "apply"), {"payee_name": "李娜", "payee_id_number": "421302199001011234"}))
    ok(api("fenguan").post(reward_url(case_id, "approve")))
    ok(api("juzhang").post(reward_url(case_id, "approve")))
    r = clerk.post(reward_url(case_id, "pay"), {"method": "bank_transfer", **FIRST_ACCOUNT, "joint_accounts": ACCOUNTS})
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["joint_accounts"]
    reward = ok(clerk.post(reward_url(case_id, "pay"), {"method": "bank_transfer", **FIRST_ACCOUNT}))
    assert reward["state"] == "paid" and reward["shares"] == []


# ---------------------------------------------------------------- pages and forms


def login(username: str) -> Client:
    c = Client()
    assert c.login(username=username, password=PASSWORD)
    return c


def pdf_text(content: bytes) -> str:
    """The PDF's text without line breaks (pypdf: no poppler needed)."""
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\n", "")


ASSESS_FORM = {"assess-level": "2", "assess-fines": "100000.00", "assess-in_scope": "on", "assess-key_evidence": "on",
               "assess-not_known": "on", "assess-penalised": "on", "assess-natural_person": "on",
               "assess-not_staff": "on", "assess-not_infringed_party": "on", "assess-not_violator": "on"}


@on_monday
def test_reward_joint_through_the_pages_with_errors_in_place_and_both_forms(api):
    case_id = filed_report(api)
    handler = login("jicha")
    url = f"/rewards/cases/{case_id}/actions/"
    r = handler.post(url + "assess/", {**ASSESS_FORM, "assess-joint_reporters": "王强 4213 多余"}, **HTMX)
    assert r.status_code == 422 and "第 1 行应为“姓名 证件号码”两项" in r.content.decode()
    r = handler.post(url + "assess/", {**ASSESS_FORM, "assess-joint_reporters": "王强\n李娜"}, **HTMX)
    assert r.status_code == 422 and "联名举报人第 2 位（李娜）重复" in r.content.decode()
    text = handler.post(url + "assess/", {**ASSESS_FORM, "assess-joint_reporters":
                                          "王强 421302198505051234\n陈静，421302199202022345"}, **HTMX).content.decode()
    assert "3 人署名，共享一份奖励" in text and "王强" in text and "1000.00" in text
    assert "421***********1234" in text and "421302198505051234" not in text  # masked for the handling unit

    clerk = login("xiaobao")
    clerk.post(url + "notify/", {"notify-channel": "phone"}, **HTMX)
    clerk.post(url + "apply/", {"apply-payee_name": "李娜", "apply-payee_id_number": "421302199001011234"}, **HTMX)
    approval = pdf_text(clerk.get(f"/rewards/cases/{case_id}/forms/approval.pdf").content)
    assert "联名举报人" in approval and "陈静" in approval and "分得 1000.00 元" in approval
    login("fenguan").post(url + "approve/", {}, **HTMX)
    login("juzhang").post(url + "approve/", {}, **HTMX)

    panel = clerk.get(f"/rewards/cases/{case_id}/", **HTMX).content.decode()
    assert "署名人王强（1000.00 元）：户名（须为本人）" in panel
    pay = {"pay-method": "bank_transfer", "pay-account_bank": "农行", "pay-account_number": "622848",
           "pay-account_name": "李娜", "pay-joint_0_account_bank": "中行", "pay-joint_0_account_number": "621700",
           "pay-joint_0_account_name": "王强", "pay-joint_1_account_bank": "农信",
           "pay-joint_1_account_number": "623000", "pay-joint_1_account_name": "王强"}
    r = clerk.post(url + "pay/", pay, **HTMX)
    assert r.status_code == 422 and "户名应为“陈静”" in r.content.decode()
    assert 'value="621700"' in r.content.decode()  # what was typed is kept
    r = clerk.post(url + "pay/", {**pay, "pay-joint_1_account_name": "陈静"}, **HTMX)
    assert r.status_code == 200 and "已发放" in r.content.decode()
    payment = pdf_text(clerk.get(f"/rewards/cases/{case_id}/forms/payment.pdf").content)
    assert "陈静：1000.00 元，农信 / 陈静 / 623000" in payment
    assert "各署名人本人名下账户" in payment
