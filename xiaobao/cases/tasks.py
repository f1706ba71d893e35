"""Background work of the items' clocks (django-tasks): recomputing the clocks that reach into a year after the
calendar page published it. At 10^6 open items this takes about 30 s (docs/performance.md), too long for a
request; the page shows the progress recorded here on CalendarYear. `manage.py recompute_clocks --year N`
does the same work from cron or by hand."""

from __future__ import annotations

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django_tasks import task

from xiaobao.clocks.models import CalendarYear
from xiaobao.lib import timeutil

from .recompute import recompute_reaching

log = logging.getLogger(__name__)
Recompute = CalendarYear.Recompute


def enqueue_recompute(*, year: int, actor) -> None:
    """Queue the recomputation of the year just published (its calendar committed, so that the worker finds
    it). The publication's time identifies the run: a later publication of the same year supersedes it."""
    cy = CalendarYear.objects.get(year=year)
    CalendarYear.objects.filter(year=year, published_at=cy.published_at).update(recompute_status=Recompute.QUEUED)
    recompute_year.enqueue(year=year, published_at=cy.published_at.isoformat(), actor_id=getattr(actor, "pk", None))


@task()
def recompute_year(*, year: int, published_at: str, actor_id: int | None) -> int:
    """Recompute the year's clocks as publish_year would and record the progress per batch; returns the number
    of items looked at. A run superseded by a newer publication of the year leaves the work to that one's."""
    current = CalendarYear.objects.filter(year=year, published=True,
                                          published_at=datetime.fromisoformat(published_at))

    def note(**fields) -> int:
        return current.update(**fields)

    if not note(recompute_status=Recompute.RUNNING, recompute_progress_at=timeutil.now()):
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        total = recompute_reaching(year, actor=actor, progress=lambda done, total: note(
            recompute_done=done, recompute_total=total, recompute_progress_at=timeutil.now()))
    except Exception as exc:
        log.exception("recomputing the clocks of %s failed", year)
        note(recompute_status=Recompute.FAILED, recompute_finished_at=timeutil.now(),
             recompute_message=f"{type(exc).__name__}: {exc}"[:500])
        raise
    note(recompute_status=Recompute.DONE, recompute_total=total, recompute_done=total,
         recompute_finished_at=timeutil.now())
    return total
