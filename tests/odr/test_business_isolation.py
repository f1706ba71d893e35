"""An ODR business's account reaches nothing it was not sent (issue 22, point 2: "it sees nothing else … and every
route proves it in the same way the units' isolation is tested", tests/security/test_no_route_leaks.py).

Route by route: every web URL pattern of the site and every operation of API v1's OpenAPI document, filled with the
ids of real items, documents and another business, is asked for by a business that has set its password and
holds a session and a token. Each answer is 404, 403 or 401 and names none of what it holds — except the routes
of BUSINESS_ROUTES, the business's own (its pages under /business/ and its API operations are added there as they
are built) and the account pages every user needs."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.conftest import PASSWORD
from tests.documents import flows
from tests.odr.conftest import BUSINESS_PASSWORD, OTHER_CODE, business_body
from xiaobao.cases.models import Case
from xiaobao.odr.models import Business
from xiaobao.units.models import Staff

# The routes a business may use. Web: URL names (their answers are checked elsewhere) and path prefixes; API: the
# operations by method and path (a prefix ending in "*"). The business's own pages and inbox go here.
BUSINESS_ROUTES = {
    "web_names": {"web:login", "web:login_otp", "web:logout", "web:password_change", "web:totp"},
    "web_prefixes": ("/business/",),
    "api": {("post", "/api/v1/auth/token"), ("post", "/api/v1/auth/password"), ("*", "/api/v1/odr/inbox*")},
}
# Not the staff's: the public API (no account at all) is public to everyone alike.
PUBLIC_PREFIXES = ("/api/public/",)
REFUSALS = (401, 403, 404)

OTHER_NAME, OTHER_CONTACT, OTHER_PHONE = "曾都区独一无二家具城", "赵独有", "0722-9876543"


@pytest.fixture
def world(api, business_token):
    """What a business must not reach: a complaint with its complainant and a document, and another business."""
    case_id = flows.complaint(api)
    document = flows.issue(api, case_id, "registration_form")["id"]
    r = api("xiaobao").post("/api/v1/odr/businesses", business_body(
        name=OTHER_NAME, credit_code=OTHER_CODE, contact=OTHER_CONTACT, phone=OTHER_PHONE))
    assert r.status_code == 201
    case = Case.objects.select_related("complainant").get(pk=case_id)
    secrets = [case.number, case.facts[:20], case.complainant.name, case.complainant.phone, OTHER_NAME,
               OTHER_CONTACT, OTHER_PHONE]
    ids = {"case_id": case_id, "document_id": document, "business_id": r.json()["id"], "int": case_id}
    client = Client()
    assert client.post("/login/", {"username": business_token["username"], "password": BUSINESS_PASSWORD}
                       ).status_code == 302
    return {"ids": ids, "secrets": secrets, "session": client, "token": business_token["headers"]}


def _value(name: str, converter: str, ids: dict) -> str:
    if converter in ("int", "") and name in ids:
        return str(ids[name])
    if converter == "int":
        return str(ids["int"])
    return {"app_label": "units", "object_id": "1", "id": "1"}.get(name, "x")


def web_paths(ids: dict) -> list[tuple[str, str]]:
    """(path, URL name) of every URL pattern of the site, its parameters filled."""
    found = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for p in patterns:
            text = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, text, f"{namespace}{p.namespace}:" if p.namespace else namespace)
                continue
            assert isinstance(p, URLPattern)
            path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: _value(m.group(2), m.group(1) or "", ids), text)
            path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: _value(m.group(1), "", ids), path)
            path = "/" + path.replace("^", "").replace("$", "").replace("\\", "")
            found.append((path, f"{namespace}{p.name}" if p.name else ""))

    walk(get_resolver().url_patterns, "", "")
    return found


def _allowed_web(path: str, name: str) -> bool:
    if path == "/":  # the inbox's address sends a business to its own page (checked below)
        return True
    return name in BUSINESS_ROUTES["web_names"] or path.startswith(BUSINESS_ROUTES["web_prefixes"]) \
        or path.startswith("/api/")  # the API is walked below, operation by operation


def _no_leak(response, secrets: list[str], where: str) -> None:
    assert response.status_code in REFUSALS, (where, response.status_code)
    body = response.content.decode("utf-8", errors="replace")
    for secret in secrets:
        assert secret not in body, (where, secret)


def test_every_staff_page_answers_a_business_404(world):
    paths = web_paths(world["ids"])
    assert len(paths) > 200  # the site's pages, the admin's and the public ones
    walked = 0
    for path, name in paths:
        if _allowed_web(path, name):
            continue
        try:
            resolve(path)
        except Resolver404:
            pytest.fail(f"the walk built a path that names no route: {path} ({name})")
        client = world["session"]
        _no_leak(client.get(path), world["secrets"], f"GET {path}")
        _no_leak(client.get(path, HTTP_HX_REQUEST="true"), world["secrets"], f"GET (htmx) {path}")
        _no_leak(client.post(path, {"reason": "x", "note": "x", "unit": "st-nanjiao", "q": "x"}),
                 world["secrets"], f"POST {path}")
        walked += 1
    assert walked > 150
    # Not even the site's root: it sends the business to its own page.
    assert world["session"].get("/")["Location"] == "/business/"
    assert Case.objects.get(pk=world["ids"]["case_id"]).events.filter(actor__roles__icontains="business").count() == 0


def api_operations(ids: dict):
    doc = Client().get("/api/v1/openapi.json")
    assert doc.status_code == 200
    for path, methods in doc.json()["paths"].items():
        for method, op in methods.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            filled = path
            for param in op.get("parameters", []):
                if param["in"] == "path":
                    integer = param.get("schema", {}).get("type") == "integer"
                    value = _value(param["name"], "int" if integer else "str", ids)
                    filled = filled.replace("{" + param["name"] + "}", value)
            yield method, path, filled


def _allowed_api(method: str, path: str) -> bool:
    for m, p in BUSINESS_ROUTES["api"]:
        if m in ("*", method) and (path == p or (p.endswith("*") and path.startswith(p[:-1]))):
            return True
    return False


def test_every_api_operation_answers_a_business_404(world):
    client, headers = Client(), world["token"]
    walked = 0
    for method, path, filled in api_operations(world["ids"]):
        if _allowed_api(method, path):
            continue
        assert "{" not in filled, filled
        call = getattr(client, method)
        kwargs = {"content_type": "application/json", **headers}
        r = call(filled, json.dumps({"reason": "x", "unit": "st-nanjiao"}), **kwargs) if method != "get" \
            else call(filled, {"q": "张伟"}, **headers)
        _no_leak(r, world["secrets"], f"{method.upper()} {filled}")
        if r.status_code != 404:  # the gate answers before anything else; 401/403 would mean it was not asked
            pytest.fail(f"{method.upper()} {filled}: {r.status_code} {r.content[:200]!r}")
        walked += 1
    assert walked > 80
    # The same token still works where the business may go (so the refusals above are about the routes).
    r = client.post("/api/v1/auth/token", json.dumps({"username": Staff.objects.get(
        pk=Business.objects.get(name="曾都区鑫达电器商行").account_id).username, "password": BUSINESS_PASSWORD}),
        content_type="application/json")
    assert r.status_code == 200


def test_staff_and_visitors_are_not_affected(world, api):
    staff = Client()
    staff.force_login(Staff.objects.get(username="xiaobao"))
    assert staff.get("/cases/").status_code == 200 and staff.get("/odr/").status_code == 200
    assert api("xiaobao").get(f"/api/v1/cases/{world['ids']['case_id']}").status_code == 200
    assert Client().get("/cases/")["Location"].startswith("/login/")
    assert Client().get("/login/").status_code == 200
    nanjiao = Client()
    assert nanjiao.post("/login/", {"username": "nanjiao", "password": PASSWORD})["Location"] == "/"
