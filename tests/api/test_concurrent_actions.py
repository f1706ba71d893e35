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

# Real parallel connections: the test database on SQLite is in memory, which threads cannot share; CI runs these
# on PostgreSQL.
parallel = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database threads can share")


def at_once(fn, args: list) -> None:
    """Run fn(arg) for each arg in its own thread, all released together; each closes its connection."""
    barrier = threading.Barrier(len(args))

    def run(arg) -> None:
        try:
            barrier.wait()
            fn(arg)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)


@parallel
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

    results: list[str] = []

    def act(username: str) -> None:
        try:
            services.accept(actor=Staff.objects.get(username=username), case_id=case.pk)
            results.append("ok")
        except Refused as exc:
            results.append(f"{exc.status}:{exc.extra.get('state')}")

    at_once(act, ["nanjiao", "nanjiao2"])
    assert sorted(results) == ["409:in_progress", "ok"], (connection.vendor, results)
    assert Case.objects.get(pk=case.pk).state == "in_progress"
    assert Event.objects.filter(case=case, action="accept").count() == 1


@parallel
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_registrations_at_once_take_consecutive_numbers_and_a_repeated_external_id_registers_once(monkeypatch):
    # Eight clerks register at the same moment, two of them the same 12315 item: the number counter's lock
    # (cases/fastpath.py) and the external id's unique constraint leave no gap, no duplicate, one chain.
    from xiaobao.records.audit import verify

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    create_bureau(PASSWORD)
    clerk = Staff.objects.get(username="xiaobao")
    services.register_case(actor=clerk, data=complaint_body(received_at=None))  # the year's counter exists
    ids = [f"12315-RACE-{i}" for i in range(7)] + ["12315-RACE-0"]
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def register(external_id: str) -> None:
        try:
            case, created = services.register_case(
                actor=Staff.objects.get(username="xiaobao"),
                data=complaint_body(received_at=None, channel="platform_12315", external_id=external_id))
            results.append((case.pk, created))
        except BaseException as exc:  # reported below
            errors.append(exc)

    at_once(register, ids)
    assert not errors, errors
    assert sorted(created for _, created in results) == [False] + [True] * 7
    assert len({pk for pk, _ in results}) == 7  # the repeated id answered the item registered for it
    numbers = sorted(int(n[-6:]) for n in Case.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))  # the first registration and seven more, no gap
    assert Case.objects.filter(external_id="12315-RACE-0").count() == 1
    assert verify()["ok"]
