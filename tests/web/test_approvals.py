"""The approvers' pages (issue 18, point 7): what each approval asks beside 批准, going on to the next waiting item,
and approving several at once — each still the lifecycle's `approve`, refusals shown on their row."""

import re

import pytest
import time_machine

from tests.conftest import complaint_body, report_body
from tests.web.test_pages import login
from xiaobao.cases import actions, approvals, services
from xiaobao.cases.errors import WrongState
from xiaobao.cases.models import Case

pytestmark = pytest.mark.django_db

NOW = "2026-03-02 10:00 +0800"


def report_routed(staff, note="属地分流", **overrides) -> Case:
    """A report routed to 南郊所: it waits for the deputy director's approval (rules 二.1(2))."""
    case, _ = services.register_case(actor=staff["xiaobao"], data=report_body(**overrides))
    services.submit_for_triage(actor=staff["xiaobao"], case_id=case.pk)
    return services.assign(actor=staff["xiaobao"], case_id=case.pk, body={"unit": "st-nanjiao", "note": note})


def numbers_listed(page: str) -> list[str]:
    return re.findall(r'<a href="/cases/\d+/">([^<]+)</a><br><small>', page)


@time_machine.travel(NOW, tick=False)
def test_the_item_page_shows_the_unit_and_the_reason_beside_approve(bureau):
    case = report_routed(bureau, note="举报地址位于南郊街道，属南郊所辖区")
    page = login("fenguan").get(f"/cases/{case.pk}/").content.decode()
    box = re.search(r'<div class="approval-request".*?</div>', page, re.S).group(0)
    assert "分流至 <strong>南郊所</strong>" in box
    assert "举报地址位于南郊街道，属南郊所辖区" in box and "王晓" in box
    assert re.search(r'class="button primary"[^>]*data-action="approve">批准</a>', box)
    # Someone who does not decide it sees no such box (the bureau head, on a routing).
    assert 'class="approval-request"' not in login("juzhang").get(f"/cases/{case.pk}/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_approving_then_next_goes_to_the_next_waiting_item_and_then_to_the_list(bureau):
    first = report_routed(bureau, received_at="2026-03-02T08:00:00+08:00")
    second = report_routed(bureau, received_at="2026-03-02T09:00:00+08:00")
    deputy = login("fenguan")
    form = deputy.get(f"/cases/{first.pk}/actions/approve/", HTTP_HX_REQUEST="true").content.decode()
    assert 'name="then" value="next"' in form and "批准并处理下一件" in form
    r = deputy.post(f"/cases/{first.pk}/actions/approve/", {"note": "同意", "then": "next"}, HTTP_HX_REQUEST="true")
    assert r["HX-Redirect"] == f"/cases/{second.pk}/"
    assert Case.objects.get(pk=first.pk).state == "assigned"
    page = deputy.get(r["HX-Redirect"]).content.decode()
    assert f"已批准：{first.number}" in page and f"下一件待审批：{second.number}" in page
    r = deputy.post(f"/cases/{second.pk}/actions/approve/", {"note": "同意", "then": "next"})
    assert r.status_code == 302 and r["Location"] == "/approvals/"
    assert "待您审批的件已全部处理" in deputy.get("/approvals/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_sending_back_then_next_goes_on_too(bureau):
    first, second = report_routed(bureau), report_routed(bureau)
    r = login("fenguan").post(f"/cases/{first.pk}/actions/reject_approval/",
                              {"note": "举报地址不在南郊街道，请重新分流", "then": "next"}, HTTP_HX_REQUEST="true")
    assert r["HX-Redirect"] == f"/cases/{second.pk}/"
    assert Case.objects.get(pk=first.pk).state == "triage"


@time_machine.travel(NOW, tick=False)
def test_approve_alone_stays_on_the_item(bureau):
    case = report_routed(bureau)
    report_routed(bureau)
    r = login("fenguan").post(f"/cases/{case.pk}/actions/approve/", {"note": "同意"}, HTTP_HX_REQUEST="true")
    assert r["HX-Redirect"] == f"/cases/{case.pk}/"


@time_machine.travel(NOW, tick=False)
def test_the_list_shows_each_waiting_item_with_its_unit_and_reason(bureau):
    case = report_routed(bureau, note="属南郊所辖区")
    page = login("fenguan").get("/approvals/").content.decode()
    assert numbers_listed(page) == [case.number]
    row = re.search(rf'<tr id="approval-{case.pk}">.*?</tr>', page, re.S).group(0)
    assert "分流至 <strong>南郊所</strong>" in row and "属南郊所辖区" in row
    inbox = login("fenguan").get("/").content.decode()
    assert 'href="/approvals/"' in inbox and "批量审批" in inbox
    assert login("juzhang").get("/approvals/").status_code == 200
    assert case.number not in login("juzhang").get("/approvals/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_kind_of_approval_the_queue_never_heard_of_shows_up_for_whoever_may_approve_it(bureau):
    # 立案 is asked by another family of actions; here an item is simply set to wait for it.
    case = report_routed(bureau)
    Case.objects.filter(pk=case.pk).update(approval_kind="filing", approval_unit=None)
    case.refresh_from_db()
    deciders = [name for name in ("fenguan", "juzhang")
                if any(t.action == "approve" for t in services.available_actions(bureau[name], case))]
    assert deciders, "someone decides a filing"
    for name in ("fenguan", "juzhang"):
        page = login(name).get("/approvals/").content.decode()
        assert (case.number in page) == (name in deciders)
        assert list(approvals.approval_queue(bureau[name])) == ([case] if name in deciders else [])
    assert "<strong>立案</strong>" in login(deciders[0]).get("/approvals/").content.decode()


@time_machine.travel(NOW, tick=False)
def test_several_are_approved_at_once(bureau):
    first, second, third = (report_routed(bureau) for _ in range(3))
    r = login("fenguan").post("/approvals/", {"case": [first.pk, second.pk], "note": "同意分流"}, follow=True)
    page = r.content.decode()
    assert f"已批准 2 件：{first.number}、{second.number}" in page
    assert numbers_listed(page) == [third.number]
    for case in (first, second):
        case.refresh_from_db()
        assert case.state == "assigned" and case.unit.code == "st-nanjiao"
        assert case.events.get(action="approve").note == "同意分流"


@time_machine.travel(NOW, tick=False)
def test_a_refused_approval_stays_ticked_with_the_reason_on_its_row(bureau, monkeypatch):
    first, second = report_routed(bureau), report_routed(bureau)
    approve = actions.function("approve")

    def refusing(*, actor, case_id, body):
        if case_id == second.pk:
            raise WrongState("该件的承办单位已撤销，请退回重审。", state="pending_approval")
        return approve(actor=actor, case_id=case_id, body=body)

    monkeypatch.setitem(actions._functions, "approve", refusing)
    r = login("fenguan").post("/approvals/", {"case": [first.pk, second.pk], "note": "同意"})
    page = r.content.decode()
    assert r.status_code == 422
    row = re.search(rf'<tr class="has-error" id="approval-{second.pk}">.*?</tr>', page, re.S).group(0)
    assert 'value="' + str(second.pk) + '" aria-label="选择 ' + second.number + '" checked' in row
    assert "该件的承办单位已撤销，请退回重审。" in row
    assert 'value="同意"' in page  # the note typed is kept
    assert Case.objects.get(pk=first.pk).state == "assigned"


@time_machine.travel(NOW, tick=False)
def test_an_item_decided_meanwhile_is_named_above_the_list(bureau):
    case = report_routed(bureau)
    services.approve(actor=bureau["fenguan"], case_id=case.pk, body={})
    r = login("fenguan").post("/approvals/", {"case": [case.pk]})
    page = r.content.decode()
    assert r.status_code == 422
    assert f"<li>{case.number}：" in page and "不能执行“批准”" in page


@time_machine.travel(NOW, tick=False)
def test_only_approvers_open_the_list(bureau):
    complaint, _ = services.register_case(actor=bureau["xiaobao"], data=complaint_body())
    for name in ("xiaobao", "nanjiao", "archivist"):
        assert login(name).get("/approvals/").status_code == 403
        assert login(name).post("/approvals/", {"case": [complaint.pk]}).status_code == 403
