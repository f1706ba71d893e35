"""Two people acting on one item at the same moment: the row lock lets one through, the other is refused
with the item's new state — no update is lost (run with real parallel connections on PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from tests.conftest import PASSWORD, complaint_body
from xiaobao.cases import services
from xiaobao.cases.errors import Refused
from xiaobao.cases.models import Case, Event
from xiaobao.demo.bureau import create_bureau
from xiaobao.units.models import Staff


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the test database on SQLite is in memory, which threads cannot share; CI runs this on "
                           "PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_handlers_accepting_at_once_make_one_acceptance_and_one_refusal(monkeypatch):
    # The browser tests' Playwright session may leave an event loop on this thread; these calls are plain
    # synchronous ORM work all the same.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    create_bureau(PASSWORD)
    Staff.objects.create(username="nanjiao2", unit=Staff.objects.get(username="nanjiao").unit, roles=["handler"])
    clerk = Staff.objects.get(username="xiaobao")
    case, _ = services.register_case(actor=clerk, data=complaint_body(received_at=None))
    services.submit_for_triage(actor=clerk, case_id=case.pk)
    services.assign(actor=clerk, case_id=case.pk, body={"unit": "st-nanjiao"})

    barrier = threading.Barrier(2)
    results: list[str] = []

    def act(username: str) -> None:
        try:
            barrier.wait()
            services.accept(actor=Staff.objects.get(username=username), case_id=case.pk)
            results.append("ok")
        except Refused as exc:
            results.append(f"{exc.status}:{exc.extra.get('state')}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(u,)) for u in ("nanjiao", "nanjiao2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == ["409:in_progress", "ok"], (connection.vendor, results)
    assert Case.objects.get(pk=case.pk).state == "in_progress"
    assert Event.objects.filter(case=case, action="accept").count() == 1
