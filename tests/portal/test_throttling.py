"""Floods from one address are held back, with the counters in the database (several app servers share
them) and addresses kept only as keyed hashes."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import complaint_body
from tests.portal.helpers import public, submit, track
from xiaobao.portal.models import Hit, Submission

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


def _body() -> dict:
    body = complaint_body()
    del body["channel"], body["received_at"]
    return body


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_the_sixth_submission_within_ten_minutes_from_one_address_is_refused(bureau):
    person = public(ADDRESS)
    for _ in range(5):
        assert submit(person, _body()).status_code == 201
    r = submit(person, _body())
    assert r.status_code == 429
    assert "稍后再试" in r.json()["error"]
    assert Submission.objects.count() == 5
    assert submit(public("203.0.113.8"), _body()).status_code == 201  # a neighbour is not held back


def test_ten_minutes_later_the_address_may_submit_again_up_to_twenty_a_day(bureau):
    person = public(ADDRESS)
    with time_machine.travel("2026-03-02 08:00 +0800", tick=False) as traveller:
        for _ in range(4):
            for _ in range(5):
                assert submit(person, _body()).status_code == 201
            traveller.shift(timedelta(minutes=11))
        r = submit(person, _body())
        assert r.status_code == 429 and "24 小时" in r.json()["error"]
        traveller.shift(timedelta(hours=24))
        assert submit(person, _body()).status_code == 201


def test_limits_come_from_settings(bureau, settings):
    settings.XIAOBAO_PORTAL_SUBMIT_LIMITS = [(1, 60)]
    person = public(ADDRESS)
    assert submit(person, _body()).status_code == 201
    assert submit(person, _body()).status_code == 429


def test_addresses_are_never_stored(bureau):
    person = public(ADDRESS)
    r = submit(person, _body())
    track(person, r.json()["number"], "WRONGCODE")
    stored = [s.created_ip_hash for s in Submission.objects.all()] + [h.client for h in Hit.objects.all()]
    assert stored and all(ADDRESS not in s and len(s) == 64 for s in stored)


def test_an_invalid_submission_does_not_count(bureau):
    person = public(ADDRESS)
    for _ in range(6):
        assert submit(person, {"kind": "complaint"}).status_code == 422
    assert submit(person, _body()).status_code == 201


@time_machine.travel("2026-03-02 10:00 +0800", tick=False)
def test_after_ten_failed_lookups_even_the_right_code_waits(bureau):
    person = public(ADDRESS)
    r = submit(person, _body())
    number, code = r.json()["number"], r.json()["query_code"]
    for _ in range(10):
        assert track(person, number, "ACDEFGHJKMN3").status_code == 404
    refused = track(person, number, code)
    assert refused.status_code == 429 and "查询失败次数过多" in refused.json()["error"]
    assert track(public("203.0.113.9"), number, code).status_code == 200


def test_successful_lookups_are_not_counted_as_failures(bureau):
    person = public(ADDRESS)
    r = submit(person, _body())
    for _ in range(12):
        assert track(person, r.json()["number"], r.json()["query_code"]).status_code == 200
    assert not Hit.objects.filter(scope="lookup").exists()


def test_pruning_forgets_only_what_no_limit_still_needs(bureau):
    person = public(ADDRESS)
    with time_machine.travel("2026-03-01 09:00 +0800", tick=False):
        submit(person, _body())
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        submit(person, _body())
        call_command("prune_portal", stdout=StringIO())
    assert Hit.objects.count() == 1 and Submission.objects.count() == 2
