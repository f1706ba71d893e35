"""Reads of intake: repeat filers (一人多次), one matter many people (一事多人), possible duplicates while
registering. The grouping runs in SQL; only the groups found are fetched row by row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Case as Choose
from django.db.models import CharField, Count, F, Max, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Lower, NullIf, Replace, Trim

from xiaobao.cases.models import Case
from xiaobao.cases.selectors import identity_visible, visible_cases
from xiaobao.lib import timeutil
from xiaobao.units.models import Staff

from . import conf

DUPLICATE_CANDIDATES = 200
FACTS_OVERLAP = 0.5
MIN_FACT_TOKENS = 4


def mask(value: str) -> str:
    """138****0001; short values keep only their last two characters."""
    value = value or ""
    if len(value) >= 7:
        return value[:3] + "****" + value[-4:]
    return "*" * max(len(value) - 2, 0) + value[-2:]


def _normalised(expr):
    """Lower-case, without spaces and with half-width brackets: 随州市曾都区 丽人坊（东城店） ≡ 随州市曾都区丽人坊(东城店)."""
    out = Lower(Trim(expr))
    for old, new in ((" ", ""), ("\u3000", ""), ("（", "("), ("）", ")")):
        out = Replace(out, Value(old), Value(new))
    return out


def normalise_name(name: str) -> str:
    return re.sub(r"[ \u3000]", "", (name or "").strip().lower()).replace("（", "(").replace("）", ")")


def _person_key():
    return Coalesce(NullIf("complainant__phone", Value("")), NullIf("complainant__id_number", Value("")))


def _respondent_key():
    return Coalesce(NullIf("respondent__credit_code", Value("")), NullIf(_normalised(F("respondent__name")), Value("")))


def _window(qs: QuerySet[Case], days: int) -> QuerySet[Case]:
    return qs.filter(received_at__gte=timeutil.now() - timedelta(days=days))


def _whose_person_is_seen(qs: QuerySet[Case], user: Staff) -> QuerySet[Case]:
    """The items of `qs` whose complainant or reporter the user may see: the only ones matched on a person's
    phone or ID number, so that a match never says who a masked person is (rules 三.5)."""
    seen = identity_visible(user)
    return qs if seen is None else qs.filter(seen)


def _seen_person_key(user: Staff):
    """_person_key where the user may see the person; NULL (a person of its own) elsewhere."""
    seen = identity_visible(user)
    return _person_key() if seen is None else Choose(When(seen, then=_person_key()), default=None)


@dataclass
class RepeatPerson:
    key: str
    count: int
    cases: list[Case] = field(default_factory=list)

    @property
    def masked(self) -> str:
        return mask(self.key)


@dataclass
class RepeatMatter:
    key: str
    respondent: str
    count: int
    people: int
    cases: list[Case] = field(default_factory=list)


def repeat_persons(user: Staff, *, days: int | None = None, minimum: int | None = None) -> list[RepeatPerson]:
    """People (by phone, else by ID number) with at least `minimum` items in the last `days` days."""
    days, minimum = days or conf.repeat_days(), minimum or conf.repeat_person_min()
    base = (_whose_person_is_seen(_window(visible_cases(user), days), user)
            .annotate(person=_person_key()).filter(person__isnull=False))
    groups = list(base.order_by().values("person").annotate(n=Count("id", distinct=True))
                  .filter(n__gte=minimum).order_by("-n", "person"))
    found = {g["person"]: RepeatPerson(key=g["person"], count=g["n"]) for g in groups}
    if found:
        for case in base.filter(person__in=list(found)).order_by("received_at", "id"):
            found[case.person].cases.append(case)
    return list(found.values())


def repeat_matters(user: Staff, *, days: int | None = None, minimum: int | None = None) -> list[RepeatMatter]:
    """Respondents (by credit code, else by normalised name) with items from at least `minimum` different
    people in the window. An item whose person cannot be told apart counts as one more person."""
    days, minimum = days or conf.repeat_days(), minimum or conf.repeat_matter_min()
    person = Coalesce(_seen_person_key(user), Cast("id", output_field=CharField()))
    base = _window(visible_cases(user), days).annotate(matter=_respondent_key()).filter(matter__isnull=False)
    groups = list(base.order_by().values("matter")
                  .annotate(n=Count("id", distinct=True), people=Count(person, distinct=True),
                            name=Max("respondent__name"))
                  .filter(people__gte=minimum).order_by("-people", "-n", "matter"))
    found = {g["matter"]: RepeatMatter(key=g["matter"], respondent=g["name"], count=g["n"], people=g["people"])
             for g in groups}
    if found:
        for case in base.filter(matter__in=list(found)).order_by("received_at", "id"):
            found[case.matter].cases.append(case)
    return list(found.values())


# ---------------------------------------------------------------- duplicates while typing


def fact_tokens(text: str) -> set[str]:
    from xiaobao.routing.training import tokens

    return set(tokens(text))


@dataclass
class Duplicate:
    case: Case
    reasons: list[str]
    # Found by the person's phone: telling it is a read of that person's data (the caller audits it).
    by_person: bool = False


def possible_duplicates(user: Staff, *, phone: str = "", respondent: str = "", facts: str = "",
                        days: int | None = None) -> list[Duplicate]:
    """Items of the last 90 days the user may see with the same phone, the same respondent name, or facts
    whose jieba tokens overlap by at least half (over the most recent 200 candidates). The phone is matched
    only on items whose person the user may see (sees_identity): a handler cannot ask whether a number is a
    masked reporter's."""
    phone, respondent, facts = phone.strip(), respondent.strip(), facts.strip()
    recent = _window(visible_cases(user), days or conf.repeat_days())
    found: dict[int, Duplicate] = {}

    def note(case: Case, reason: str) -> None:
        found.setdefault(case.pk, Duplicate(case=case, reasons=[])).reasons.append(reason)

    if len(phone) >= 5:
        for case in _whose_person_is_seen(recent, user).filter(complainant__phone=phone).order_by("-received_at")[:20]:
            note(case, "同一联系电话")
            found[case.pk].by_person = True
    if len(normalise_name(respondent)) >= 2:
        named = recent.annotate(rname=_normalised(F("respondent__name"))).filter(rname=normalise_name(respondent))
        for case in named.order_by("-received_at")[:20]:
            note(case, "同一被投诉人")
    typed = fact_tokens(facts)
    if len(typed) >= MIN_FACT_TOKENS:
        for case in recent.exclude(facts="").order_by("-received_at")[:DUPLICATE_CANDIDATES]:
            theirs = fact_tokens(case.facts)
            if not theirs:
                continue
            overlap = len(typed & theirs) / min(len(typed), len(theirs))
            if overlap >= FACTS_OVERLAP:
                note(case, f"事实相似（{overlap:.0%}）")
    return sorted(found.values(), key=lambda d: (-len(d.reasons), -d.case.received_at.timestamp()))

