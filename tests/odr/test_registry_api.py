"""The register of ODR businesses through API v1 (issue 22, point 1; API-v1.md "ODR businesses"): 消保股's
dispatchers add a business once its five joining conditions are checked (暂行办法), with a valid 统一社会信用代码
(GB 32100-2015), and give it an account whose first password is shown once; they suspend, remove and reinstate it
with a reason; every write and read of its contact data is an audit row."""

from __future__ import annotations

import pytest

from tests.odr.conftest import BUSINESS_PASSWORD, CODE, OTHER_CODE, business_body, token_of
from xiaobao.odr.models import CONDITIONS, Business
from xiaobao.records.models import AuditEntry
from xiaobao.units.models import ApiToken, Staff


def errors_of(r) -> dict[str, str]:
    assert r.status_code == 422, (r.status_code, r.content)
    return {e["field"]: e["message"] for e in r.json()["errors"]}


def test_a_dispatcher_registers_a_business_and_its_account(api):
    r = api("xiaobao").post("/api/v1/odr/businesses", business_body(origin="applied"))
    assert r.status_code == 201
    answer = r.json()
    assert set(answer) == {"id", "username", "password"}
    assert answer["username"] == f"odr-{CODE.lower()}"
    assert len(answer["password"]) >= 12
    business = Business.objects.get(pk=answer["id"])
    assert business.state == "active" and business.origin == "applied" and business.registered_by.username == "xiaobao"
    assert business.conditions == dict.fromkeys(CONDITIONS, True)
    assert business.commitments == ["advance_compensation", "no_reason_return"]
    account = business.account
    assert account.roles == ["business"] and account.unit is None and account.must_change_password
    assert account.check_password(answer["password"])
    assert AuditEntry.objects.filter(action="odr_business_registered", object=f"odr-business:{business.pk}",
                                     actor_name="xiaobao").exists()
    # The password is shown once: neither the list nor the business's own record gives it again.
    listed = api("xiaobao").get("/api/v1/odr/businesses").content.decode()
    assert answer["password"] not in listed and answer["password"] not in str(AuditEntry.objects.values_list("detail"))


def test_the_origin_defaults_to_recommended_and_a_code_in_lower_case_is_the_same_code(api):
    r = api("xiaobao").post("/api/v1/odr/businesses", business_body(origin=None, credit_code=f" {CODE.lower()} "))
    assert r.status_code == 201
    business = Business.objects.get(pk=r.json()["id"])
    assert business.origin == "recommended" and business.credit_code == CODE


def test_every_joining_condition_must_be_checked(api):
    conditions = dict.fromkeys(CONDITIONS, True) | {"procedure": False}
    del conditions["phone"]
    errors = errors_of(api("xiaobao").post("/api/v1/odr/businesses", business_body(conditions=conditions)))
    assert set(errors) == {"conditions.procedure", "conditions.phone"}
    assert "有书面的纠纷处理制度和流程" in errors["conditions.procedure"]
    errors = errors_of(api("xiaobao").post("/api/v1/odr/businesses", business_body(conditions=None)))
    assert set(errors) == {f"conditions.{key}" for key in CONDITIONS}
    assert not Business.objects.exists() and not Staff.objects.filter(username__startswith="odr-").exists()


def test_every_bad_field_is_named_at_once(api):
    body = business_body(name=" ", credit_code="91420000177570439X", address="", contact="", phone="电话",
                         origin="invited", commitments=["free_lunch"],
                         conditions=dict.fromkeys(CONDITIONS, True) | {"staff": False})
    errors = errors_of(api("xiaobao").post("/api/v1/odr/businesses", body))
    assert set(errors) == {"name", "credit_code", "address", "contact", "phone", "origin", "commitments",
                           "conditions.staff"}
    assert "校验位不正确" in errors["credit_code"]
    assert "18位" in errors_of(api("xiaobao").post("/api/v1/odr/businesses",
                                                   business_body(credit_code="9142000017757043")))["credit_code"]


def test_a_credit_code_is_registered_once(api, registered):
    errors = errors_of(api("xiaobao").post("/api/v1/odr/businesses", business_body(name="另一家")))
    assert set(errors) == {"credit_code"} and "已登记" in errors["credit_code"] and "鑫达" in errors["credit_code"]
    assert api("xiaobao").post("/api/v1/odr/businesses",
                               business_body(credit_code=OTHER_CODE, name="另一家")).status_code == 201
    assert Business.objects.count() == 2


@pytest.mark.parametrize("user", ["nanjiao", "fenguan", "juzhang", "auditor", "archivist", "admin"])
def test_only_dispatchers_keep_the_register(api, registered, user):
    client = api(user)
    assert client.post("/api/v1/odr/businesses", business_body(credit_code=OTHER_CODE)).status_code == 403
    assert client.get("/api/v1/odr/businesses").status_code == 403
    r = client.get(f"/api/v1/odr/businesses/{registered['id']}")
    assert r.status_code == 403 and "王经理" not in r.content.decode()
    for action in ("suspend", "remove", "reinstate"):
        r = client.post(f"/api/v1/odr/businesses/{registered['id']}/{action}", {"reason": "试试"})
        assert r.status_code == 403 and r.json()["error"]
    assert Business.objects.get().state == "active" and Business.objects.count() == 1


def test_the_list_and_a_business_are_read_with_an_audit_row(api, registered):
    r = api("xiaobao").get("/api/v1/odr/businesses")
    assert r.status_code == 200
    [row] = r.json()
    assert row["name"] == "曾都区鑫达电器商行" and row["contact"] == "王经理" and row["state"] == "active"
    assert row["conditions"] == dict.fromkeys(CONDITIONS, True) and row["username"] == registered["username"]
    assert AuditEntry.objects.filter(action="odr_business_list_read", actor_name="xiaobao").count() == 1
    r = api("xiaobao").get(f"/api/v1/odr/businesses/{registered['id']}")
    assert r.status_code == 200 and r.json()["phone"] == "0722-3300001"
    assert AuditEntry.objects.filter(action="odr_business_read", object=f"odr-business:{registered['id']}").count() == 1
    assert api("xiaobao").get("/api/v1/odr/businesses/999999").status_code == 404
    assert api("xiaobao").get("/api/v1/odr/businesses", state="removed").json() == []
    assert api("xiaobao").get("/api/v1/odr/businesses", state="gone").status_code == 422


def test_suspending_needs_a_reason_and_stops_the_account(api, registered):
    path = f"/api/v1/odr/businesses/{registered['id']}"
    for body in ({}, {"reason": "  "}):
        assert errors_of(api("xiaobao").post(f"{path}/suspend", body)).keys() == {"reason"}
    from tests.odr.conftest import change_password
    assert change_password(registered["username"], registered["password"], BUSINESS_PASSWORD).status_code == 200
    assert token_of(registered["username"], BUSINESS_PASSWORD).status_code == 200
    assert ApiToken.objects.filter(staff__username=registered["username"]).count() == 1

    r = api("xiaobao").post(f"{path}/suspend", {"reason": "连续三次逾期未处理"})
    assert r.status_code == 200
    assert r.json()["state"] == "suspended" and r.json()["state_reason"] == "连续三次逾期未处理"
    assert not r.json()["account_active"]
    assert not ApiToken.objects.filter(staff__username=registered["username"]).exists()
    assert token_of(registered["username"], BUSINESS_PASSWORD).status_code == 401
    assert api("xiaobao").post(f"{path}/suspend", {"reason": "再次"}).status_code == 409
    entry = AuditEntry.objects.get(action="odr_business_suspend")
    assert entry.detail["reason"] == "连续三次逾期未处理" and entry.detail["tokens_revoked"] == 1

    r = api("xiaobao").post(f"{path}/reinstate", {"reason": "已整改"})
    assert r.status_code == 200 and r.json()["state"] == "active" and r.json()["account_active"]
    assert token_of(registered["username"], BUSINESS_PASSWORD).status_code == 200
    assert api("xiaobao").post(f"{path}/reinstate", {"reason": "再次"}).status_code == 409


def test_removing_deactivates_the_account(api, registered):
    path = f"/api/v1/odr/businesses/{registered['id']}"
    r = api("xiaobao").post(f"{path}/remove", {"reason": "企业申请退出"})
    assert r.status_code == 200 and r.json()["state"] == "removed"
    assert not Staff.objects.get(username=registered["username"]).is_active
    assert AuditEntry.objects.filter(action="odr_business_remove", actor_name="xiaobao").exists()
    assert api("xiaobao").post(f"{path}/suspend", {"reason": "x"}).status_code == 409
    assert api("xiaobao").post("/api/v1/odr/businesses/999999/remove", {"reason": "x"}).status_code == 404


def test_the_document_declares_the_register(api):
    doc = api("xiaobao").client.get("/api/v1/openapi.json").json()
    create = doc["paths"]["/api/v1/odr/businesses"]["post"]
    assert {"201", "403", "422"} <= set(create["responses"])
    body = doc["components"]["schemas"]["BusinessIn"]
    assert set(body["properties"]["conditions"]["required"]) == set(CONDITIONS)
    assert body["properties"]["commitments"]["items"]["enum"] == ["advance_compensation", "no_reason_return"]
    for action in ("suspend", "remove", "reinstate"):
        op = doc["paths"][f"/api/v1/odr/businesses/{{business_id}}/{action}"]["post"]
        assert "422" in op["responses"]
    assert "/api/v1/auth/password" in doc["paths"]
