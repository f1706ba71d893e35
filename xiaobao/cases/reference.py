"""Reference data that every registration reads — the rule sets, the category codes, the office unit —
cached per process, so that intake does not ask the database for rows that change a few times a year.

A change saved through the ORM in this process clears the cache at once (signals below); a change made by
another process (another gunicorn worker, a management command) is seen within MAX_AGE seconds. An unknown
category code is looked up in the database before it is refused, so a category added elsewhere is accepted
at once.
"""

from __future__ import annotations

import copy
import threading
import time
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from xiaobao.rules.models import Category, RuleSet, in_force_among
from xiaobao.units.models import Unit, UnitKind

MAX_AGE = 60.0  # seconds

_lock = threading.Lock()
_cache: dict[Any, tuple[float, Any]] = {}


def _get(key: Any, load):
    hit = _cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < MAX_AGE:
        return hit[1]
    with _lock:
        value = load()
        _cache[key] = (now, value)
        return value


def reset_cache(**_: Any) -> None:
    _cache.clear()


def rule_set_in_force(on: date, family: str | None = None) -> RuleSet:
    """The same answer as RuleSet.in_force, from the cached rule sets of the family."""
    family = family or settings.XIAOBAO_RULE_FAMILY
    sets = _get(("rule_sets", family), lambda: list(RuleSet.objects.filter(family=family)))
    return in_force_among(sets, on, family=family)


def approval_kinds(roles, family: str | None = None) -> frozenset[str]:
    """The kinds of approval that any of these roles decides under some rule set of the family (the rule sets
    name them; items are registered under the family's)."""
    family = family or settings.XIAOBAO_RULE_FAMILY
    sets = _get(("rule_sets", family), lambda: list(RuleSet.objects.filter(family=family)))
    return frozenset(kind for rs in sets for kind in APPROVAL_KINDS if rs.approver_role(kind) in roles)


APPROVAL_KINDS = ("routing", "filing", "not_filed", "referral")


def category_exists(code: str) -> bool:
    if code in _get("categories", lambda: frozenset(Category.objects.values_list("code", flat=True))):
        return True
    return Category.objects.filter(code=code).exists()


def category_codes() -> list[str]:
    """Every category's code, sorted (API v1's document lists them as the values of `category`)."""
    return sorted(_get("categories", lambda: frozenset(Category.objects.values_list("code", flat=True))))


def office_unit() -> Unit:
    """消保股 (a copy: callers may hang the instance on an item)."""
    return copy.copy(_get("office", lambda: Unit.objects.get(kind=UnitKind.OFFICE)))


for _model in (RuleSet, Category, Unit):
    post_save.connect(reset_cache, sender=_model, dispatch_uid=f"reference-cache-save-{_model.__name__}")
    post_delete.connect(reset_cache, sender=_model, dispatch_uid=f"reference-cache-delete-{_model.__name__}")
