"""Finding the items of a complainant or reporter — the person who rings back — by phone, ID number or name
(issue 18, point 5), for the staff who may see that person's identity (selectors.may_find_person) and only
among the items whose person they may see (selectors.identity_visible): a reporter is found only by those who
may see reporters (rules 三.5). Every search is a read of personal data and leaves an audit row saying who
searched for what (masked) and which items it found.

The lookups read Party.phone_key, id_key and name_key: normalised copies of the complainant's phone, ID number
and name that the database's triggers write (migration 0015), so that a phone typed "138-0000-0000",
"+86 138 0000 0000" or "13800000000" is one key, read off an index. The functions below normalise what is
typed the same way the triggers normalise what is stored (tests/cases/test_person_search.py checks that both
agree on both databases)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from xiaobao.lib.lookups import Ids
from xiaobao.records.audit import record
from xiaobao.units.models import Staff

from .errors import Invalid, NotPermitted
from .models import Case, Party
from .selectors import identity_visible, may_find_person, sees_identity, visible_cases

# Full-width digits and signs as typed with a Chinese input method, as their ASCII selves.
FULLWIDTH = (*((chr(0xFF10 + i), str(i)) for i in range(10)), ("＋", "+"))
# What separates the digits of a phone as people write it.
PHONE_SEPARATORS = (" ", "\u3000", "\t", "-", "－", "—", "–", "(", ")", "（", "）", ".", "·")
ID_SEPARATORS = (" ", "\u3000", "\t", "-")
NAME_SEPARATORS = (" ", "\u3000", "\t", "·", "•")
# The replacements of each key, in order (migration 0015 replaces in the same order).
PHONE_PAIRS = (*FULLWIDTH, *((c, "") for c in PHONE_SEPARATORS))
ID_PAIRS = (*FULLWIDTH, ("ｘ", "X"), ("Ｘ", "X"), *((c, "") for c in ID_SEPARATORS))
NAME_PAIRS = tuple((c, "") for c in NAME_SEPARATORS)

MIN_DIGITS = 7  # fewer digits than a local number name too many people
MIN_NAME = 2  # one character (a surname) names a tenth of the bureau's callers
# Up to this many people or items the matches travel as a list of ids; past it, as a subquery.
IDS_CAP = 5000
AUDITED_IDS = 200

NUMBER_LIKE = re.compile(r"[\d\s\u3000\-－—–()（）.·+＋０-９xXｘＸ]+")

MAY_NOT = "无权按当事人查找：只有可以查看投诉举报人身份的人员可以按电话、姓名或证件号码查找。"


def _replaced(text: str, pairs) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def _ascii_upper(text: str) -> str:
    # SQLite's UPPER and LOWER change ASCII letters only: so does the key.
    return "".join(c.upper() if c.isascii() else c for c in text)


def _ascii_lower(text: str) -> str:
    return "".join(c.lower() if c.isascii() else c for c in text)


def phone_key(phone: str) -> str | None:
    """Digits as dialled within China: separators gone, the country code (+86, 0086, 86 before a mobile
    number) dropped, a landline's area code given back its leading 0."""
    s = _replaced(phone or "", PHONE_PAIRS)
    if s.startswith("+86"):
        rest = s[3:]
    elif s.startswith("0086"):
        rest = s[4:]
    elif len(s) == 13 and s.startswith("861"):
        rest = s[2:]
    else:
        return s or None
    return (rest if rest[:1] in ("0", "1") else "0" + rest) or None


def id_key(id_number: str) -> str | None:
    s = _replaced(id_number or "", ID_PAIRS)
    return _ascii_upper(s) or None


def name_key(name: str) -> str | None:
    return _ascii_lower(_replaced(name or "", NAME_PAIRS)) or None


def mask(text: str, *, number: bool) -> str:
    """What the audit trail keeps of what was searched for: 138****0000, ******67; 张*."""
    if not number:
        return text[:1] + "*" * max(len(text) - 1, 1)
    if len(text) >= 11:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    return "*" * max(len(text) - 2, 0) + text[-2:]


@dataclass(frozen=True)
class PersonTerm:
    """What was typed, read as a number (a phone or an ID number: both are tried) or as a name (exact or the
    beginning of one)."""

    by: str  # "number" or "name"
    phone: str | None = None
    id_number: str | None = None
    name: str | None = None

    @property
    def masked(self) -> str:
        return mask(self.phone or self.id_number or "", number=self.by == "number") if self.by == "number" \
            else mask(self.name or "", number=False)


def parse(text: str) -> PersonTerm:
    """The term of a search by person; Invalid (field `person`) when it is too short to name someone."""
    text = (text or "").strip()
    if NUMBER_LIKE.fullmatch(text):
        digits = sum(c.isdigit() for c in _replaced(text, FULLWIDTH))
        if digits < MIN_DIGITS:
            raise Invalid([{"field": "person", "message": f"按电话或证件号码查找请至少输入 {MIN_DIGITS} 位数字。"}])
        return PersonTerm(by="number", phone=phone_key(text), id_number=id_key(text))
    name = name_key(text)
    if name is None or len(name) < MIN_NAME:
        raise Invalid([{"field": "person", "message": f"按姓名查找请至少输入 {MIN_NAME} 个字。"}])
    return PersonTerm(by="name", name=name)


def _parties(term: PersonTerm):
    if term.by == "number":
        return Party.objects.filter(Q(phone_key=term.phone) | Q(id_key=term.id_number))
    if connection.vendor == "postgresql":
        # LIKE 'prefix%' on the pattern_ops index (whatever the database's collation).
        return Party.objects.filter(name_key__startswith=term.name)
    # SQLite: LIKE reads no ordinary index; the range of keys that begin with the name does (BINARY order).
    return Party.objects.filter(name_key__gte=term.name, name_key__lt=term.name + "\U0010ffff")


def matching(user: Staff, term: PersonTerm) -> list[int] | None:
    """The ids of the items whose person matches `term`, among those whose person the user may see (all of
    which they may see); None when there are more than IDS_CAP (see person_items). Read in two steps, people
    by their keys and then items by their complainant, each off its own index: as one query the planner may
    walk a unit's items in list order probing each for the person."""
    parties = list(_parties(term).order_by().values_list("pk", flat=True)[:IDS_CAP + 1])
    if len(parties) > IDS_CAP:
        return None
    if not parties:
        return []
    rows = list(Case.objects.filter(complainant_id__in=parties).order_by()
                .values_list("pk", "unit_id", "kind")[:IDS_CAP + 1])
    if len(rows) > IDS_CAP:
        return None
    # Whose person the user may see, by the rule itself (sees_identity; those items are all visible to them):
    # as a query, SQLite without statistics read a station's whole (unit, …) index to keep a dozen of them.
    return [pk for pk, unit_id, kind in rows if sees_identity(user, Case(pk=pk, unit_id=unit_id, kind=kind))]


def _visible(user: Staff):
    qs = visible_cases(user).select_related(None)
    seen = identity_visible(user)
    return qs if seen is None else qs.filter(seen)


def person_items(*, actor: Staff, text: str, via: str) -> Q:
    """The condition on items of a search by person, for the lists' filters (selectors.filter_cases), after
    checking that the actor may search by person (NotPermitted) and what was typed (Invalid), and recording the
    search in the audit trail."""
    if not may_find_person(actor):
        raise NotPermitted(MAY_NOT)
    term = parse(text)
    ids = matching(actor, term)
    record(actor=actor, action="read_personal", obj="person-search",
           detail={"person": term.masked, "by": term.by, "via": via,
                   "found": len(ids) if ids is not None else f"{IDS_CAP}+",
                   "cases": sorted(ids)[-AUDITED_IDS:] if ids is not None else []})
    if ids is None:
        # A common name: the items whose person has it, as a subquery (correct, if slower than a list).
        return Q(pk__in=_visible(actor).filter(complainant__in=_parties(term)).values("pk"))
    return Q(pk__any_of=Ids(ids))


def earlier_items(*, actor: Staff, phone: str, limit: int = 10) -> tuple[list[Case], int]:
    """The caller's earlier items while a clerk registers (issue 18, point 5): those the clerk may see whose
    person has this phone, newest first, and how many there are. Nothing for fewer than MIN_DIGITS digits or
    for staff who may not see identities; a lookup that ran is audited as a search by person."""
    if not may_find_person(actor) or sum(c.isdigit() for c in _replaced(phone or "", FULLWIDTH)) < MIN_DIGITS:
        return [], 0
    if not NUMBER_LIKE.fullmatch(phone.strip()):
        return [], 0
    among = person_items(actor=actor, text=phone, via="registration")
    items = _visible(actor).filter(among).select_related("unit")
    rows = list(items.order_by("-received_at", "-id")[:limit])
    return rows, (len(rows) if len(rows) < limit else items.count())
