"""Cursors become visible in order (PostgreSQL, where writers run concurrently): an outbox row appended while an
earlier one is still uncommitted waits for it, so a connector that has read cursor N never later finds a row
below N (docs/12345-bridge.md, "The connector's loop")."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.hotline.conftest import order_body
from xiaobao.hotline import services
from xiaobao.hotline.models import OutboxEntry, OutboxLock
from xiaobao.units.models import Staff

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")]


def test_a_later_append_waits_for_the_earlier_to_commit(bureau):
    OutboxLock.objects.get_or_create(pk=1)
    case, _ = services.receive_order(actor=Staff.objects.get(username="xiaobao"), data=order_body())
    order = case.hotline_order
    first_appended, release = threading.Event(), threading.Event()
    done: dict[str, tuple[int, float]] = {}

    def append(name: str, wait_for: threading.Event | None, hold: threading.Event | None) -> None:
        try:
            if wait_for is not None:
                wait_for.wait(5)
            with transaction.atomic():
                entry = services._append(order, "signed", SimpleNamespace(at=timezone.now()), {"who": name})
                if hold is not None:
                    first_appended.set()
                    hold.wait(5)
            done[name] = (entry.pk, time.monotonic())
        finally:
            connection.close()

    a = threading.Thread(target=append, args=("a", None, release))
    b = threading.Thread(target=append, args=("b", first_appended, None))
    a.start()
    b.start()
    first_appended.wait(5)
    time.sleep(0.5)
    assert "b" not in done  # b waits for a's commit
    released_at = time.monotonic()
    release.set()
    a.join(10)
    b.join(10)
    assert done["b"][1] >= released_at and done["b"][0] > done["a"][0]
    assert [e.data["who"] for e in OutboxEntry.objects.order_by("pk")] == ["a", "b"]
