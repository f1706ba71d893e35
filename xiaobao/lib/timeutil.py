"""The current moment as the services see it. Normally the real clock; the demo loader and the data
generator replay history by running the same services at a past moment."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_override: ContextVar[datetime | None] = ContextVar("xiaobao_now", default=None)


def now() -> datetime:
    return _override.get() or timezone.now()


def today() -> date:
    return timezone.localdate(now())


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
