"""The current moment as the services see it. Normally the real clock; the demo loader and the data
generator replay history by running the same services at a past moment."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta

from django.utils import timezone

_override: ContextVar[datetime | None] = ContextVar("xiaobao_now", default=None)


def now() -> datetime:
    return _override.get() or timezone.now()


# Background work (a 12315 import, clocks recomputed after a calendar publication) reports progress at least every
# minute; this long without any means its worker was stopped or restarted mid-way.
STALLED_AFTER = timedelta(minutes=10)


def stalled(last: datetime | None) -> bool:
    """Work that last moved at `last` has not moved for STALLED_AFTER."""
    return last is not None and now() - last > STALLED_AFTER


def today() -> date:
    return timezone.localdate(now())


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
