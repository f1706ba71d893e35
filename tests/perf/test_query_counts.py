"""Pages and API reads cost a fixed number of queries, however many items or timeline lines there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import Api
from xiaobao.cases.models import Case, Event
from xiaobao.demo.generate import generate
from xiaobao.units.models import Staff

# Upper bounds, well above today's counts: a regression that adds a query per row or per event breaks the
# equality below long before it reaches them.
LIMITS = {"inbox": 60, "list": 30, "page": 60, "api_list": 20, "api_detail": 50}


def count(fetch) -> int:
    fetch()  # the process's reference caches (cases/reference.py: rule sets, categories) filled, not counted
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(Staff.objects.get(username=username))
    return client


@pytest.fixture
def few_then_many(bureau):
    """Counts with 5 items, then with 30: {name: (few, many)}."""

    def measure(username: str) -> dict[str, int]:
        web, api = logged_in(username), Api(username)
        unit = "st-nanjiao" if username == "nanjiao" else ""
        return {
            "inbox": count(lambda: web.get("/")),
            "list": count(lambda: web.get("/cases/")),
            "api_list": count(lambda: api.get("/api/v1/cases", page_size=50)),
            # Every complaint and report names a business of 曾都区: the page is never empty.
            "api_filtered": count(lambda: api.get("/api/v1/cases", unit=unit, q="曾都区")),
        }

    def run(username: str) -> dict[str, tuple[int, int]]:
        user = Staff.objects.get(username=username)

        def make(n: int, seed: int) -> None:
            generate(items=n, seed=seed, years=1)
            if not user.sees_whole_bureau:
                # A handler should see all of them: an empty list skips the audit row of the people shown.
                Case.objects.update(unit=user.unit)

        make(5, 3)
        few = measure(username)
        make(25, 4)
        many = measure(username)
        return {k: (few[k], many[k]) for k in few}

    return run


@pytest.mark.parametrize("username", ["xiaobao", "nanjiao"])
def test_lists_and_the_inbox_cost_the_same_for_5_and_30_items(few_then_many, username):
    counts = few_then_many(username)
    for name, (few, many) in counts.items():
        assert few == many, (name, counts)
        assert many <= LIMITS.get(name, 20), (name, counts)


def _add_timeline(case: Case, n: int) -> None:
    last = case.events.order_by("-at").first()
    Event.objects.bulk_create([Event(case=case, at=last.at, actor=last.actor, action="record_contact",
                                     note=f"电话联系第 {i} 次") for i in range(n)])


@pytest.mark.parametrize("username", ["xiaobao", "nanjiao"])
def test_an_items_page_costs_the_same_with_5_and_30_timeline_lines(bureau, username):
    generate(items=40, seed=5, years=1)
    case = Case.objects.filter(kind="complaint", state="in_progress").first() or Case.objects.filter(
        kind="complaint").first()
    Case.objects.filter(pk=case.pk).update(unit=Staff.objects.get(username="nanjiao").unit)
    web, api = logged_in(username), Api(username)
    _add_timeline(case, max(0, 5 - case.events.count()))
    few = {"page": count(lambda: web.get(f"/cases/{case.pk}/")),
           "api_detail": count(lambda: api.get(f"/api/v1/cases/{case.pk}"))}
    _add_timeline(case, 25)
    many = {"page": count(lambda: web.get(f"/cases/{case.pk}/")),
            "api_detail": count(lambda: api.get(f"/api/v1/cases/{case.pk}"))}
    assert few == many
    for name, n in many.items():
        assert n <= LIMITS[name], many
