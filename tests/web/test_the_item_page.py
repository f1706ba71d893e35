"""The item's page (issue 18, point 8): every registered field in the words of its kind, the person and the agent
only for who may see them, the next step first and the other actions grouped, one word per state, a print view."""

import re

import pytest
import time_machine

from tests.conftest import complaint_body, report_body
from tests.web.test_pages import login
from xiaobao.cases import services
from xiaobao.cases.models import Case, State
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.django_db

NOW = "2026-03-02 10:00 +0800"


def registered(staff, **overrides) -> Case:
    case, _ = services.register_case(actor=staff["xiaobao"], data=complaint_body(**overrides))
    return case


def assigned_to_nanjiao(staff, **overrides) -> Case:
    case = registered(staff, **overrides)
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    return services.assign(actor=staff["xiaobao"], case_id=case.pk, body={"unit": "st-nanjiao", "note": "属地分流"})


def section(page: str, id_: str) -> str:
    return re.search(rf'<dl class="fields" id="{id_}">(.*?)</dl>', page, re.S).group(1)


def actions_section(page: str) -> str:
    return re.search(r'<section class="actions card".*?<div id="action-panel">', page, re.S).group(0)


@time_machine.travel(NOW, tick=False)
def test_it_shows_what_the_clerk_entered(bureau):
    respondent = {"name": "曾都区鑫达电器商行", "address": "曾都区南郊街道白云大道18号", "phone": "0722-3301234",
                  "credit_code": "92421303MA4F123X0K"}
    case = registered(bureau, respondent=respondent, external_id="12315-2026-0042", consent_disclosure=True,
                      consent_entrusted_mediation=False, agent={"name": "张强", "phone": "13700000009"})
    page = login("xiaobao").get(f"/cases/{case.pk}/").content.decode()
    person = section(page, "person")
    assert "张伟" in person and "13800000001" in person and "421302199001011234" in person
    assert "要求回复</dt><dd>是" in person
    assert "代理人</dt><dd>张强 · 13700000009" in person
    business = section(page, "respondent")
    assert "0722-3301234" in business and "92421303MA4F123X0K" in business
    registration = section(page, "registration")
    assert "类别</dt><dd>家用电器" in registration  # the category by its name, not its code
    assert "12315-2026-0042" in registration
    assert "同意公示投诉信息</dt><dd>同意" in registration and "同意委托调解</dt><dd>不同意" in registration
    content = section(page, "content")
    assert "退货并退还货款" in content and "3299.00 元" in content


@time_machine.travel(NOW, tick=False)
def test_the_agent_is_masked_where_the_person_is_masked(bureau):
    # As the reporter is (issue 16, point 5): the row says there is an agent, never who.
    case = assigned_to_nanjiao(bureau, agent={"name": "张强", "phone": "13700000009"})
    page = login("fenguan").get(f"/cases/{case.pk}/").content.decode()
    person = section(page, "person")
    assert "已保密" in person and "代理人</dt><dd><span class=\"masked\"" in person
    for identity in ("张伟", "13800000001", "张强", "13700000009"):
        assert identity not in page


@time_machine.travel(NOW, tick=False)
def test_an_anonymous_reporter_reads_as_anonymous_without_empty_separators(bureau):
    case, _ = services.register_case(actor=bureau["xiaobao"], data=report_body(
        complainant={"name": "", "phone": "", "address": "", "anonymous": True, "wants_reply": False}))
    page = login("xiaobao").get(f"/cases/{case.pk}/").content.decode()
    person = section(page, "person")
    assert "<dt>姓名</dt><dd>匿名</dd>" in person
    assert "· ·" not in page and "联系电话" not in person


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("kind", "person", "content", "absent"), [
    ("inquiry", "咨询人", "咨询内容", ("投诉举报人", "事实与理由", "投诉人")),
    ("report", "举报人", "举报内容", ("投诉举报人", "事实与理由", "投诉人")),
    ("complaint", "投诉人", "投诉事实与诉求", ("投诉举报人", "事实与理由", "举报人")),
])
def test_the_words_fit_the_kind(bureau, kind, person, content, absent):
    body = report_body() if kind == "report" else complaint_body(kind=kind)
    case, _ = services.register_case(actor=bureau["xiaobao"], data=body)
    page = login("xiaobao").get(f"/cases/{case.pk}/").content.decode()
    fields = page[page.index('<h2>'):page.index('id="registration"')]
    assert f"<h2>{person}</h2>" in fields and f"<h2>{content}</h2>" in fields
    for word in absent:
        assert word not in fields


@time_machine.travel(NOW, tick=False)
def test_the_expected_next_step_comes_first_and_the_others_are_grouped(bureau):
    case = assigned_to_nanjiao(bureau)
    actions = actions_section(login("nanjiao").get(f"/cases/{case.pk}/").content.decode())
    found = re.findall(r'data-action="(\w+)"', actions)
    # Each action once (并案 is a family of its own, under 其他), 受理 first as the primary button.
    assert sorted(found) == sorted({"return", "accept", "not_accept", "refer_elsewhere", "pause", "change_tier",
                                    "sign", "record_contact", "open_consultation", "request_visit", "record_visit",
                                    "request_id", "merge", "assess_consumer_purpose"})
    assert found[0] == "accept"
    assert re.search(r'class="button primary"[^>]*data-action="accept"', actions)
    groups = re.findall(r'role="group" aria-label="(\w+)"', actions)
    assert groups == ["办理", "记录", "协同", "其他"]
    handling = actions[actions.index('aria-label="办理"'):actions.index('aria-label="记录"')]
    assert re.findall(r'data-action="(\w+)"', handling) == ["not_accept", "return", "refer_elsewhere"]


@time_machine.travel(NOW, tick=False)
def test_in_triage_the_next_step_is_to_assign(bureau):
    case = registered(bureau)
    services.submit_for_triage(actor=bureau["xiaobao"], case_id=case.pk)
    actions = actions_section(login("xiaobao").get(f"/cases/{case.pk}/").content.decode())
    assert re.findall(r'data-action="(\w+)"', actions)[0] == "assign"
    assert 'class="next-step"' in actions


@time_machine.travel(NOW, tick=False)
def test_a_state_has_one_word_on_the_lists_and_on_the_item(bureau):
    case = registered(bureau)
    clerk = login("xiaobao")
    steps = [
        lambda: services.submit_for_triage(actor=bureau["xiaobao"], case_id=case.pk),
        lambda: services.assign(actor=bureau["xiaobao"], case_id=case.pk, body={"unit": "st-nanjiao"}),
        lambda: services.accept(actor=bureau["nanjiao"], case_id=case.pk),
    ]
    for step in [lambda: None, *steps]:
        step()
        state = Case.objects.get(pk=case.pk).state
        word = State(state).label
        item = clerk.get(f"/cases/{case.pk}/").content.decode()
        listing = clerk.get("/cases/", {"q": case.number}).content.decode()
        assert re.search(rf'<span class="state s-{state}">{word}</span>', item)
        assert re.search(rf'<span class="state s-{state}">{word}</span>', listing)
        others = [label for value, label in State.choices if value != state]
        head = item[item.index('<div class="head">'):item.index("</div>")]
        assert not any(label in head for label in others)


@time_machine.travel(NOW, tick=False)
def test_the_print_view_has_no_navigation_nor_actions_and_is_audited_as_a_read(bureau):
    case = assigned_to_nanjiao(bureau)
    handler = login("nanjiao")
    reads = AuditEntry.objects.filter(action="read_personal", case_id=case.pk)
    before = reads.count()
    page = handler.get(f"/cases/{case.pk}/print/").content.decode()
    assert 'aria-label="主导航"' not in page and "data-action=" not in page
    assert "13800000001" in page and "投诉事实" in page and "受理决定" in page
    assert reads.count() == before + 1


@time_machine.travel(NOW, tick=False)
def test_a_masked_print_view_shows_no_person_and_reads_nothing_personal(bureau):
    case = assigned_to_nanjiao(bureau)
    reads = AuditEntry.objects.filter(action="read_personal")
    before = reads.count()
    page = login("fenguan").get(f"/cases/{case.pk}/print/").content.decode()
    assert "13800000001" not in page and "张伟" not in page and "已保密" in page
    assert reads.count() == before


@time_machine.travel(NOW, tick=False)
def test_another_units_handler_cannot_print_the_item(bureau):
    case = assigned_to_nanjiao(bureau)
    assert login("dongcheng").get(f"/cases/{case.pk}/print/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_action_forms_leave_the_checks_to_the_server(bureau):
    case = assigned_to_nanjiao(bureau)
    handler = login("nanjiao")
    for action in ("not_accept", "return", "refer_elsewhere", "pause", "record_contact"):
        form = handler.get(f"/cases/{case.pk}/actions/{action}/", HTTP_HX_REQUEST="true").content.decode()
        assert "novalidate" in form.split(">", 1)[0]  # the browser's own validation would hide the server's message
