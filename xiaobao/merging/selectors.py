"""Reads of 并案: which item an item is merged into, what holds it, and the candidates to merge with (or a
concluded report it repeats), with the reasons — matching the filer only where the user may see who filed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q, QuerySet

from xiaobao.cases.actions import Held
from xiaobao.cases.models import Case, Kind, State
from xiaobao.cases.selectors import sees_identity, visible_cases
from xiaobao.intake import conf as intake_conf
from xiaobao.intake.selectors import FACTS_OVERLAP, MIN_FACT_TOKENS, fact_tokens, normalise_name
from xiaobao.records.audit import record
from xiaobao.units.models import Staff

from .models import Merge

DONE = frozenset({State.CONCLUDED, State.ARCHIVED})
MERGEABLE = frozenset({Kind.COMPLAINT, Kind.REPORT})
FACTS_SCAN = 100        # the most recent items of the window compared by their facts
SHOWN = 8               # candidates on the item's page
SHOWN_IN_TRIAGE = 3     # hints per row of the triage queue
SAME_RESPONDENT = "同一被投诉（举报）人"
SAME_FILER = "同一投诉（举报）人"


def open_merge(case: Case) -> Merge | None:
    return Merge.objects.filter(case_id=case.pk, undone_at__isnull=True).select_related("into").first()


def merging_of(case: Case) -> tuple[Merge | None, bool]:
    """The item's open merge into a primary, and whether items are merged into it, read once per item object
    (the item's page and its view ask several times). An item registered in this request (register_case leaves
    its timeline line on it) has neither, and nothing is read: a registration's cost is fixed (issue 9)."""
    known = getattr(case, "_merging", None)
    if known is None:
        if getattr(case, "registration_event", None) is not None:
            known = (None, False)
        else:
            known = (open_merge(case), Merge.objects.filter(into_id=case.pk, undone_at__isnull=True).exists())
        case._merging = known
    return known


def merged_into(case: Case) -> int | None:
    """The primary's id while the item is merged (and after it was concluded with it); None otherwise."""
    found = merging_of(case)[0]
    return found.into_id if found is not None else None


def hold(case: Case) -> Held | None:
    """A merged item takes no action of its own until it is concluded with its primary, but the undo."""
    if case.state in DONE:
        return None
    found = merging_of(case)[0]
    if found is None:
        return None
    return Held(f"该件已并入 {found.into.number}，由主件办理；如需单独办理，请先撤销并案。", frozenset({"unmerge"}))


def linked_items(case: Case) -> list[Merge]:
    """The merges into this item, open ones, oldest first."""
    return list(Merge.objects.filter(into=case, undone_at__isnull=True).select_related("case", "merged_by"))


def without_merged(qs: QuerySet[Case]) -> QuerySet[Case]:
    """`qs` less the items merged into another (they move with their primary)."""
    return qs.exclude(pk__in=Merge.objects.filter(undone_at__isnull=True).values("case_id"))


def same_filer(a: Case, b: Case) -> bool:
    """Whether two items were filed by one person (the same phone or ID number)."""
    pa, pb = a.complainant, b.complainant
    if pa is None or pb is None:
        return False
    return bool((pa.phone and pa.phone == pb.phone) or (pa.id_number and pa.id_number == pb.id_number))


@dataclass
class Candidate:
    case: Case
    reasons: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        """merge into an open item; a concluded report is one this report repeats (repeat_report)."""
        return "repeat_report" if self.case.state in DONE else "merge"


def _pool(user: Staff, case: Case) -> QuerySet[Case] | None:
    """The items `case` may join or repeat: the user's visible items of its kind received within the window
    around it, not merged into another; concluded ones only for a report in triage (a repeated report)."""
    if case.kind not in MERGEABLE or case.state in DONE:
        return None
    window = timedelta(days=intake_conf.repeat_days())
    qs = without_merged(visible_cases(user).filter(
        kind=case.kind, received_at__gte=case.received_at - window, received_at__lte=case.received_at + window,
    ).exclude(pk=case.pk))
    if not (case.kind == Kind.REPORT and case.state == State.TRIAGE):
        qs = qs.exclude(state__in=DONE)
    return qs


def _respondent_q(party) -> Q | None:
    if party is None:
        return None
    q = Q(pk__in=[])
    if party.credit_code:
        q |= Q(respondent__credit_code=party.credit_code)
    if party.name.strip():
        q |= Q(respondent__name=party.name.strip())
    return q


def _same_respondent(a, b) -> bool:
    if a is None or b is None:
        return False
    if a.credit_code and a.credit_code == b.credit_code:
        return True
    return bool(normalise_name(a.name)) and normalise_name(a.name) == normalise_name(b.name)


def candidates(user: Staff, case: Case) -> list[Candidate]:
    """Items `case` may be merged into (or, for a report in triage, concluded reports it may repeat), each with
    its reasons: the same respondent, facts alike, the same filer — the filer only on items whose person the
    user may see on both sides (cases.selectors.sees_identity), so that a match never tells who a masked person
    is; such a match is a read of personal data in the audit trail."""
    if open_merge(case) is not None or (pool := _pool(user, case)) is None:
        return []
    found: dict[int, Candidate] = {}

    def note(c: Case, reason: str) -> None:
        reasons = found.setdefault(c.pk, Candidate(c)).reasons
        if reason not in reasons:
            reasons.append(reason)

    if (q := _respondent_q(case.respondent)) is not None:
        for c in pool.filter(q).order_by("-received_at")[:20]:
            note(c, SAME_RESPONDENT)
    person = case.complainant if sees_identity(user, case) else None
    matched_person = []
    if person is not None and (person.phone or person.id_number):
        q = Q(pk__in=[])
        if person.phone:
            q |= Q(complainant__phone=person.phone)
        if person.id_number:
            q |= Q(complainant__id_number=person.id_number)
        for c in pool.filter(q).order_by("-received_at")[:20]:
            if sees_identity(user, c):
                note(c, SAME_FILER)
                matched_person.append(c.number)
    mine = fact_tokens(case.facts)
    for c in pool.exclude(facts="").order_by("-received_at")[:FACTS_SCAN]:
        if _same_respondent(case.respondent, c.respondent):
            note(c, SAME_RESPONDENT)
        theirs = fact_tokens(c.facts)
        if len(mine) >= MIN_FACT_TOKENS and theirs:
            overlap = len(mine & theirs) / min(len(mine), len(theirs))
            if overlap >= FACTS_OVERLAP:
                note(c, f"事实相似（{overlap:.0%}）")
    if matched_person:
        record(actor=user, action="read_personal", obj=f"case:{case.pk}", case_id=case.pk,
               detail={"fields": ["complainant"], "via": "merge_candidates", "matched": matched_person})
    ranked = sorted(found.values(), key=lambda c: (-len(c.reasons), -c.case.received_at.timestamp()))
    return ranked[:SHOWN]


def triage_hints(user: Staff, rows: Iterable[Case]) -> dict[int, list[Candidate]]:
    """For the triage queue: per item, up to three items of the same respondent or filer it may join or repeat,
    read in two queries for the whole queue (the facts are compared on the item's page)."""
    rows = [c for c in rows if c.kind in MERGEABLE]
    if not rows:
        return {}
    window = timedelta(days=intake_conf.repeat_days())
    base = without_merged(visible_cases(user).filter(
        kind__in=MERGEABLE, received_at__gte=min(c.received_at for c in rows) - window,
        received_at__lte=max(c.received_at for c in rows) + window))
    names = {c.respondent.name.strip() for c in rows if c.respondent and c.respondent.name.strip()}
    codes = {c.respondent.credit_code for c in rows if c.respondent and c.respondent.credit_code}
    phones = {c.complainant.phone for c in rows if c.complainant and c.complainant.phone and sees_identity(user, c)}
    by_respondent = list(base.filter(Q(respondent__name__in=names) | Q(respondent__credit_code__in=codes))
                         .order_by("-received_at")[:500]) if names or codes else []
    by_phone = [c for c in base.filter(complainant__phone__in=phones).order_by("-received_at")[:500]
                if sees_identity(user, c)] if phones else []
    hints: dict[int, list[Candidate]] = {}
    for row in rows:
        found: dict[int, Candidate] = {}
        for others, reason, match in ((by_respondent, SAME_RESPONDENT, _same_respondent_rows),
                                      (by_phone, SAME_FILER, _same_phone_rows)):
            for c in others:
                if (c.pk == row.pk or c.kind != row.kind or abs(c.received_at - row.received_at) > window
                        or (c.state in DONE and row.kind != Kind.REPORT) or not match(row, c, user)):
                    continue
                found.setdefault(c.pk, Candidate(c)).reasons.append(reason)
        if found:
            hints[row.pk] = sorted(found.values(), key=lambda c: -len(c.reasons))[:SHOWN_IN_TRIAGE]
    return hints


def _same_respondent_rows(row: Case, c: Case, user: Staff) -> bool:
    return _same_respondent(row.respondent, c.respondent)


def _same_phone_rows(row: Case, c: Case, user: Staff) -> bool:
    return bool(row.complainant and c.complainant and row.complainant.phone == c.complainant.phone
                and sees_identity(user, row))
