"""The register's pages for 消保股 (issue 22, point 1): the list with each business's state, the form that adds a
business with errors in place (nothing typed is lost) and shows the first password once, and the business's page
whose suspend / remove / reinstate forms require a reason. Everyone but dispatchers is refused."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.odr.conftest import CODE, OTHER_CODE
from xiaobao.odr.models import CONDITIONS, Business
from xiaobao.records.models import AuditEntry
from xiaobao.units.models import Staff


def logged_in(username: str) -> Client:
    c = Client()
    c.force_login(Staff.objects.get(username=username))
    return c


def form(**overrides) -> dict:
    data = {"name": "曾都区鑫达电器商行", "credit_code": CODE, "address": "曾都区南郊街道白云大道18号",
            "contact": "王经理", "phone": "0722-3300001", "origin": "applied",
            "commitments": ["advance_compensation"], **{f"cond_{key}": "on" for key in CONDITIONS}}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_refused_form_comes_back_in_place_with_what_was_typed(bureau):
    c = logged_in("xiaobao")
    page = c.get("/odr/new/").content.decode()
    for label in CONDITIONS.values():
        assert label in page
    assert "先行赔付" in page and "无理由退货" in page and "县级局推荐" in page

    r = c.post("/odr/new/", form(credit_code="91420000177570439X", cond_procedure=None), HTTP_HX_REQUEST="true")
    assert r.status_code == 422
    text = r.content.decode()
    assert "<html" not in text  # the form's fragment, swapped in place
    assert "统一社会信用代码校验位不正确" in text
    assert "加入条件未核实：有书面的纠纷处理制度和流程" in text
    assert 'value="曾都区鑫达电器商行"' in text and 'value="91420000177570439X"' in text
    assert re.search(r'<input[^>]*value="applied"[^>]*checked', text)
    assert re.search(r'<input[^>]*value="advance_compensation"[^>]*checked', text)
    assert re.search(r'<input[^>]*name="cond_place"[^>]*checked', text)
    assert not re.search(r'<input[^>]*name="cond_procedure"[^>]*checked', text)
    assert not Business.objects.exists()

    r = c.post("/odr/new/", form(), HTTP_HX_REQUEST="true")
    assert r.status_code == 201
    business = Business.objects.get()
    text = r.content.decode()
    assert business.account.username in text
    password = text.split('id="new-password">')[1].split("<")[0]
    assert business.account.check_password(password)
    assert r["Cache-Control"] == "no-store"
    assert password not in c.get(f"/odr/{business.pk}/").content.decode()
    assert business.origin == "applied" and business.commitments == ["advance_compensation"]


def test_without_htmx_the_form_is_a_whole_page(bureau):
    c = logged_in("xiaobao")
    r = c.post("/odr/new/", form(name=""))
    assert r.status_code == 422 and "<html" in r.content.decode() and "请填写企业名称" in r.content.decode()
    r = c.post("/odr/new/", form())
    assert r.status_code == 200 and "初始密码只显示这一次" in r.content.decode()


def test_the_register_lists_businesses_with_their_state(api, registered):
    api("xiaobao").post("/api/v1/odr/businesses", {
        "name": "随州市好又多超市", "credit_code": OTHER_CODE, "address": "曾都区东城街道", "contact": "李店长",
        "phone": "0722-3300002", "conditions": dict.fromkeys(CONDITIONS, True)})
    other = Business.objects.get(credit_code=OTHER_CODE)
    api("xiaobao").post(f"/api/v1/odr/businesses/{other.pk}/suspend", {"reason": "联系电话长期无人接听"})
    page = logged_in("xiaobao").get("/odr/").content.decode()
    assert "曾都区鑫达电器商行" in page and "随州市好又多超市" in page
    assert "正常" in page and "暂停" in page and "联系电话长期无人接听" in page
    assert AuditEntry.objects.filter(action="odr_business_list_read", actor_name="xiaobao").count() >= 1


def test_suspend_remove_and_reinstate_need_a_reason(registered):
    c = logged_in("xiaobao")
    path = f"/odr/{registered['id']}/"
    page = c.get(path).content.decode()
    assert "王经理" in page and "暂停" in page and "移出名录" in page and "恢复" not in page.split("<h2>")[-1]
    assert AuditEntry.objects.filter(action="odr_business_read", object=f"odr-business:{registered['id']}").exists()

    r = c.post(f"{path}suspend/", {"suspend-reason": " "}, HTTP_HX_REQUEST="true")
    assert r.status_code == 422 and "请填写暂停的原因" in r.content.decode() and "<html" not in r.content.decode()
    assert Business.objects.get().state == "active"

    r = c.post(f"{path}suspend/", {"suspend-reason": "投诉处理逾期"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "投诉处理逾期" in r.content.decode()
    assert Business.objects.get().state == "suspended"
    assert not Staff.objects.get(username=registered["username"]).is_active

    r = c.post(f"{path}reinstate/", {"reinstate-reason": "已整改"})
    assert r.status_code == 302 and Business.objects.get().state == "active"
    assert c.post(f"{path}remove/", {"remove-reason": "企业申请退出"}).status_code == 302
    assert Business.objects.get().state == "removed"
    # Removed, it cannot be suspended: the refusal is said in place.
    r = c.post(f"{path}suspend/", {"suspend-reason": "再暂停"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 409 and "不能暂停" in r.content.decode()
    assert c.post(f"{path}forget/", {"reason": "x"}).status_code == 404
    assert c.get("/odr/999999/").status_code == 404


@pytest.mark.parametrize("user", ["nanjiao", "fenguan", "juzhang", "auditor", "admin"])
def test_only_dispatchers_open_the_register(registered, user):
    c = logged_in(user)
    for path in ("/odr/", "/odr/new/", f"/odr/{registered['id']}/"):
        r = c.get(path)
        assert r.status_code == 403 and "王经理" not in r.content.decode(), path
    assert c.post("/odr/new/", form(credit_code=OTHER_CODE)).status_code == 403
    assert c.post(f"/odr/{registered['id']}/remove/", {"remove-reason": "x"}).status_code == 403
    assert Business.objects.get().state == "active" and Business.objects.count() == 1
    assert Client().get("/odr/")["Location"].startswith("/login/")
