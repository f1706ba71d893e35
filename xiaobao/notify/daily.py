"""Steps other apps add to the daily clock run (`manage.py daily_clocks`) before overdue clocks are marked: work
whose clock running out moves the item (an ODR business's unanswered complaint going back to triage) must move it
first, so that its clock is closed rather than reported overdue. notify imports none of those apps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

# (what the command prints before the count and the item numbers, the step: the day → numbers of items moved)
BEFORE_OVERDUE: list[tuple[str, Callable[[date], list[str]]]] = []


def add_before_overdue(label: str, step: Callable[[date], list[str]]) -> None:
    if all(known != label for known, _ in BEFORE_OVERDUE):
        BEFORE_OVERDUE.append((label, step))
