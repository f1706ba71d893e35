"""Administrators' changes to jurisdiction data and rules are kept with who, when, old and new values."""

from django.test import Client

from tests.conftest import PASSWORD
from xiaobao.records.models import AuditEntry
from xiaobao.routing.models import Place


def test_changing_a_place_in_the_admin_is_audited_with_old_and_new_values(bureau):
    admin = Client()
    admin.post("/login/", {"username": "admin", "password": PASSWORD})
    place = Place.objects.get(name="清河路")
    r = admin.post(f"/admin/routing/place/{place.pk}/change/",
                   {"name": "清河路", "kind": "road", "unit_code": "st-xicheng", "active": "on"})
    assert r.status_code == 302
    entry = AuditEntry.objects.get(action="change_place")
    assert entry.actor_name == "admin"
    assert entry.detail["old"]["unit_code"] == "st-nanjiao" and entry.detail["new"]["unit_code"] == "st-xicheng"
