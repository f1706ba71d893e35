"""Issue 16, point 10: a token taken with a stolen password outlives the owner's change of password."""

import json

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-pass-2026!"


def test_a_token_taken_before_the_owner_changes_the_password_no_longer_works(bureau):
    stolen = Client().post("/api/v1/auth/token", json.dumps({"username": "nanjiao", "password": PASSWORD}),
                           content_type="application/json").json()["token"]
    thief = {"HTTP_AUTHORIZATION": f"Bearer {stolen}"}
    assert Client().get("/api/v1/cases", **thief).status_code == 200

    owner = Client()
    assert owner.post("/login/", {"username": "nanjiao", "password": PASSWORD}).status_code == 302
    r = owner.post("/account/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                          "new_password2": NEW_PASSWORD})
    assert r.status_code == 302

    r = Client().get("/api/v1/cases", **thief)
    assert r.status_code == 401
    assert AuditEntry.objects.get(action="password_changed", object="user:nanjiao").detail["tokens_revoked"] == 1
    fresh = Client().post("/api/v1/auth/token", json.dumps({"username": "nanjiao", "password": NEW_PASSWORD}),
                          content_type="application/json").json()["token"]
    assert Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {fresh}").status_code == 200
