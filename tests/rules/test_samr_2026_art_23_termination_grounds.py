"""SAMR-2026 第二十三条: the termination grounds in the order and with the item numbers of the 2026 text (DOMAIN.md,
"Required content, grounds and documents"; issue 17, point 7), the same in the rules the API serves, in the
termination form and in the citation printed on the 终止调解决定书; and the clocks of the rule sets under the 2026
rules cite the 2026 articles, not the repealed 2019 ones.

The cast: a complaint received and accepted by 南郊所 on Wed 2026-05-06 under the 2026 rule set; its 60-day cap
ends Mon 2026-07-06, so the time-limit ground is taken on 07-07 and every other ground the day after acceptance."""

from __future__ import annotations

import re

import pytest
import time_machine

from tests.conftest import complaint_body
from tests.documents import flows
from tests.web.test_pages import login
from xiaobao.rules.models import RuleSet

ACCEPTED = "2026-05-06 10:00 +0800"
PAST_THE_CAP = "2026-07-07 09:00 +0800"
TITLE = "《市场监督管理投诉举报处理办法》"

# (code, item of 第二十三条, words of the 2026 text the ground must carry), in the 2026 text's order.
ART_23 = [
    ("withdrawn_or_settled", "一", "撤回投诉或者双方自行和解"),
    ("party_absent", "二", "无正当理由不参加调解，或者被投诉人明确拒绝调解"),
    ("no_agreement", "三", "明确表示无法达成调解协议"),
    ("testing_disagreement", "四", "技术机构或者费用承担无法协商一致"),
    ("time_limit", "五", "自投诉受理之日起六十日内"),
    ("inadmissible_found", "六", "第十六条、第四十二条规定情形"),
    ("party_ceased", "七", "投诉人死亡或者被投诉人终止，且无权利义务承受人"),
    ("other", "八", "其他情形"),
]


@pytest.fixture
def travel(settings):
    settings.XIAOBAO_TOKEN_HOURS = 24 * 200
    with time_machine.travel(ACCEPTED, tick=False) as t:
        yield t


@pytest.fixture
def accepted(api, travel):
    def make() -> int:
        clerk = api("xiaobao")
        case = flows._ok(clerk.post("/api/v1/cases", complaint_body(received_at="2026-05-06T09:30:00+08:00")), 201)
        assert case["rule_set"] == "zengdu-2026"
        flows._ok(clerk.act(case["id"], "submit_for_triage"))
        flows._ok(clerk.act(case["id"], "assign", {"unit": "st-nanjiao"}))
        flows._ok(api("nanjiao").act(case["id"], "accept"))
        return case["id"]
    return make


def _check_art_23(grounds: list[dict]) -> None:
    assert [g["code"] for g in grounds] == [code for code, _, _ in ART_23]
    for g, (_, item, words) in zip(grounds, ART_23, strict=True):
        assert g["basis"] == f"SAMR-2026 第二十三条第（{item}）项", g
        assert words in g["text"], g


def test_samr_2026_art_23_the_rules_in_force_list_the_grounds_in_the_order_of_the_2026_text(api, travel):
    rules = flows._ok(api("nanjiao").get("/api/v1/rules/current"))
    assert rules["code"] == "zengdu-2026"
    _check_art_23(rules["grounds"]["mediation_terminated"])
    # The national rule set a bureau without rules of its own loads: the same list.
    _check_art_23(RuleSet.objects.get(code="samr-2026").grounds("mediation_terminated"))


def test_samr_2026_art_23_the_termination_form_offers_the_grounds_in_that_order(accepted):
    case_id = accepted()
    form = login("nanjiao").get(f"/cases/{case_id}/actions/mediate/", HTTP_HX_REQUEST="true").content.decode()
    select = re.search(r'<select name="ground".*?</select>', form, re.S).group(0)
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    assert [code for code, _ in options if code] == [code for code, _, _ in ART_23]
    for (_, label), (_, item, words) in zip([o for o in options if o[0]], ART_23, strict=True):
        assert words in label and f"第二十三条第（{item}）项" in label


@pytest.mark.parametrize(("code", "item", "words"), ART_23, ids=[code for code, _, _ in ART_23])
def test_samr_2026_art_23_the_termination_decision_cites_the_item_of_its_ground(api, accepted, travel,
                                                                               code, item, words):
    case_id = accepted()
    travel.move_to(PAST_THE_CAP if code == "time_limit" else "2026-05-07 09:00 +0800")
    ended = flows._ok(api("nanjiao").act(case_id, "mediate", {"result": "terminated", "ground": code,
                                                               "reason": "依规定终止调解"}))
    assert ended["ground"] == code
    doc = flows.issue(api, case_id, "termination_decision")
    text = flows.docx_text(flows.download(api, doc["id"], "docx").content)
    # 理由：<the ground>（<its article>）, then the rules it rests on: the 2026 order, never the repealed rules.
    ground = next(g for g in RuleSet.objects.get(code="zengdu-2026").grounds("mediation_terminated")
                  if g["code"] == code)
    assert flows.flat(f"理由：{ground['text']}（{TITLE}第二十三条第（{item}）项）") in text
    assert flows.flat(words) in text and flows.flat(f"{TITLE}（国家市场监督管理总局令第121号") in text
    assert "暂行办法" not in text and "第二十一条" not in text


def test_samr_2026_the_clocks_of_the_2026_rule_sets_cite_the_2026_articles(api, travel):
    served = flows._ok(api("nanjiao").get("/api/v1/rules/current"))["clocks"]
    for clocks in (served, RuleSet.objects.get(code="samr-2026").data["clocks"]):
        bases = {c["name"]: c["basis"] for c in clocks}
        # The repealed 2019 instrument (《市场监督管理投诉举报处理暂行办法》); the ODR businesses' own 暂行办法 (the
        # business_settlement clock) is in force and is cited by its full title.
        assert not [b for b in bases.values() if "SAMR-2019" in b or "投诉举报处理暂行办法" in b]
        assert "SAMR-2026 第十五条" in bases["acceptance"] and "SAMR-2026 第十五条" in bases["not_accepted_notice"]
        assert "SAMR-2026 第二十三条第（五）项" in bases["mediation_cap"]
        assert bases["termination_notice"].startswith("SAMR-2026 第二十三条")
    # …and those under the 2019 rules cite the 2019 articles.
    for code in ("zengdu-2020", "samr-2019"):
        assert not [c for c in RuleSet.objects.get(code=code).data["clocks"] if "SAMR-2026" in c["basis"]]
