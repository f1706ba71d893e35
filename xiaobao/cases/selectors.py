"""Reads: who may see which item and whose identity (rules 三.5). One place decides; everything asks it."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from xiaobao.lib.lookups import Ids
from xiaobao.units.models import Role, Staff, Unit

from . import reference
from .models import OPEN_STATES, Case, State

MASK = "***"


def visible_parts(user: Staff) -> list[QuerySet[Case]]:
    """The items the user may see, as disjoint parts that an index serves each (visible_cases is their union).

    Lists page through the parts and merge (list_page): `unit = X OR id IN (…)` in one query made SQLite
    read and sort every item of the unit for each page (docs/performance.md)."""
    qs = Case.objects.select_related("complainant", "respondent", "unit", "handler")
    if not user.is_authenticated or not user.is_active:
        return [qs.none()]
    if user.sees_whole_bureau:
        return [qs]
    if user.unit_id and user.has_role(Role.HANDLER, Role.UNIT_LEADER):
        # Their unit's items, and read-only the items whose open joint consultation invited them (会商).
        # The invited items are read first (a handful at most); without any, the filter is `unit = X` alone,
        # which the (unit, …, received_at) indexes serve in order.
        parts = [qs.filter(unit_id=user.unit_id)]
        if invited := invited_case_ids(user.unit_id):
            parts.append(qs.filter(pk__in=invited))
        return parts
    return [qs.none()]


def visible_cases(user: Staff) -> QuerySet[Case]:
    parts = visible_parts(user)
    return parts[0] if len(parts) == 1 else parts[0] | parts[1]


# The lists' order: newest received first.
LIST_ORDER = ("-received_at", "-id")


def list_page(parts: list[QuerySet[Case]], start: int, stop: int) -> list[Case]:
    """Rows start..stop of the union of disjoint `parts` in LIST_ORDER: each part's first `stop` rows read
    off its index, merged. The same rows as (parts[0] | parts[1]).order_by(*LIST_ORDER)[start:stop]."""
    if len(parts) == 1:
        return list(parts[0].order_by(*LIST_ORDER)[start:stop])
    rows = [case for part in parts for case in part.order_by(*LIST_ORDER)[:stop]]
    rows.sort(key=lambda c: (c.received_at, c.pk), reverse=True)
    return rows[start:stop]


# The columns a table of items shows (web/_case_table.html): number, kind, respondent, state, outcome,
# returns, unit, time received. Tables read these alone, not the item's texts and every party's row.
TABLE_COLUMNS = ("number", "kind", "state", "outcome", "returns_count", "received_at",
                 "unit__name", "unit__short_name", "respondent__name")


def for_table(qs: QuerySet[Case]) -> QuerySet[Case]:
    """`qs` reading only what a table of items shows, with its deadline (with_next_due)."""
    return with_next_due(qs.select_related(None).select_related("unit", "respondent").only(*TABLE_COLUMNS))


def with_next_due(qs: QuerySet[Case]) -> QuerySet[Case]:
    """`qs` with each item's nearest open due date as `next_due` (None without an open clock): one lookup per row
    read, off the index clock_case_open_due (case, met_on, due), inside the query that reads the rows."""
    from xiaobao.clocks.models import Clock

    nearest = Clock.objects.filter(case=OuterRef("pk"), met_on__isnull=True).order_by("due").values("due")[:1]
    return qs.annotate(next_due=Subquery(nearest))


def add_deadlines(rows: list[Case], *, today, cal) -> list[Case]:
    """Each row's deadline column (rows read with with_next_due): `workdays_left`, the working days from today to
    its next due date by the calendar (negative: working days past it; DOMAIN.md "Legal clocks"), with
    `deadline_text` and `deadline_class` for the table. The calendar is the process's cached one
    (clocks.calendar.get_calendar), read once per page."""
    for case in rows:
        due = getattr(case, "next_due", None)
        left = case.workdays_left = None if due is None else cal.workdays_between(today, due)
        case.deadline_text = deadline_text(left)
        case.deadline_class = "" if left is None else "badge bad" if left < 0 else "badge warn" if left <= 2 else "muted"
    return rows


def deadline_text(left: int | None) -> str:
    if left is None:
        return ""
    if left > 0:
        return f"剩 {left} 个工作日"
    if left == 0:
        return "今日届满"
    return f"已逾期 {-left} 个工作日"


def invited_case_ids(unit_id: int) -> list[int]:
    """The items of other units whose open joint consultation (会商, rules 一.2) invited this unit."""
    return list(Case.objects.filter(consultations__invited=unit_id, consultations__concluded_at__isnull=True)
                .exclude(unit_id=unit_id).order_by().values_list("pk", flat=True).distinct())


def get_visible_case(user: Staff, case_id: int) -> Case | None:
    # One item is shown with its rule set (the item's page names it); lists leave that big row out.
    return visible_cases(user).select_related("rule_set").filter(pk=case_id).first()


# Who registers items: 消保股 registers what reaches the bureau (rules 一.1(1)), the handling units what reaches
# them directly (rules 一.3(2)). Leaders, archivists, auditors and administrators do not (API-v1.md, "Who may
# register").
REGISTRANT_ROLES = frozenset({Role.DISPATCHER, Role.HANDLER, Role.UNIT_LEADER})


def may_register(user: Staff) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_role(*REGISTRANT_ROLES))


# The kinds whose person the handling unit sees: it mediates a complaint and answers an inquiry (rules 二.3).
UNIT_SEES_PERSON_OF = ("complaint", "inquiry")


def sees_identity(user: Staff, case: Case) -> bool:
    """Whether the user may see the complainant's or reporter's identity (rules 二.3, 三.5).

    消保股 registers and supervises, auditors audit: they see it. The unit handling a complaint or an inquiry
    needs it to mediate or answer. A reporter's identity stays with 消保股: nobody else needs it.
    """
    if user.has_role(Role.DISPATCHER, Role.AUDITOR):
        return True
    if case.kind in UNIT_SEES_PERSON_OF and user.unit_id and user.unit_id == case.unit_id:
        return user.has_role(Role.HANDLER, Role.UNIT_LEADER)
    return False


def identity_visible(user: Staff) -> Q | None:
    """sees_identity as a filter on items: None when the user sees every item's person, else the condition.
    Matching on a person's phone or ID number (duplicates, repeat filers) is limited to these items, so that a
    match never tells the user who a masked person is."""
    if user.has_role(Role.DISPATCHER, Role.AUDITOR):
        return None
    if user.unit_id and user.has_role(Role.HANDLER, Role.UNIT_LEADER):
        return Q(kind__in=UNIT_SEES_PERSON_OF, unit_id=user.unit_id)
    return Q(pk__in=[])


def may_find_person(user: Staff) -> bool:
    """Whether the user may find items by a complainant's or reporter's phone, name or ID number
    (cases/persons.py): those who see some items' person (identity_visible), and only among those items."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.has_role(Role.DISPATCHER, Role.AUDITOR) or bool(
        user.unit_id and user.has_role(Role.HANDLER, Role.UNIT_LEADER))


def party_view(party, *, masked: bool) -> dict | None:
    if party is None:
        return None
    # Whether the person agreed to electronic delivery is shown to all; the addresses they confirmed are theirs.
    if masked:
        return {"name": MASK, "phone": None, "address": None, "id_type": None, "id_number": None,
                "anonymous": party.anonymous, "wants_reply": party.wants_reply, "masked": True,
                "e_delivery_consent": party.e_delivery_consent, "e_delivery_phone": None, "e_delivery_email": None}
    return {"name": party.name, "phone": party.phone, "address": party.address, "id_type": party.id_type,
            "id_number": party.id_number, "anonymous": party.anonymous, "wants_reply": party.wants_reply,
            "masked": False, "e_delivery_consent": party.e_delivery_consent,
            "e_delivery_phone": party.e_delivery_phone or None, "e_delivery_email": party.e_delivery_email or None}


def agent_view(case: Case, *, masked: bool) -> dict | None:
    """The agent who filed on the person's behalf (SAMR-2026 complaint form). The agent's name and phone lead
    to the person, so they are masked exactly when the person is (rules 三.5)."""
    if not (case.agent_name or case.agent_phone):
        return None
    if masked:
        return {"name": MASK, "phone": None, "masked": True}
    return {"name": case.agent_name, "phone": case.agent_phone, "masked": False}


def identity_fields(case: Case) -> list[str]:
    """The parts of the item that identify the complainant or reporter: what an unmasked view reads."""
    return [f for f, present in (("complainant", case.complainant_id),
                                 ("agent", case.agent_name or case.agent_phone)) if present]


def respondent_view(party) -> dict | None:
    if party is None:
        return None
    return {"name": party.name, "address": party.address, "phone": party.phone,
            "credit_code": party.credit_code, "contact_person": party.contact_person,
            "e_delivery_consent": party.e_delivery_consent, "e_delivery_phone": party.e_delivery_phone or None,
            "e_delivery_email": party.e_delivery_email or None}


# The lists' overdue filter reads the items with an open clock past due first, as a list of ids: they are few by
# nature (overdue is a failure), and as a subquery PostgreSQL's planner guesses thousands and walks every item in
# received order probing clocks (0.8 s at 1M; docs/performance.md). Past the cap the subquery is used.
CLOCK_IDS_CAP = 5000


def _case_ids(clocks: QuerySet) -> list[int] | QuerySet:
    ids = list(clocks.order_by().values_list("case_id", flat=True).distinct()[:CLOCK_IDS_CAP + 1])
    return ids if len(ids) <= CLOCK_IDS_CAP else clocks.values("case_id")


def overdue_items(today, *, include_closed: bool = False) -> Q:
    """Items with an open clock past its due date (the lists' `overdue` filter), from the open clocks' ids
    (index clock_open_by_due) — not a join of every item to its clocks made distinct (0.3 s at 1M). Finished
    items have no open clock (clocks.services.settle) but what a concluded one still owes the person; with
    `include_closed` the items with a clock recorded as missed come too (index clock_missed_by_due)."""
    from xiaobao.clocks.models import Clock, Settlement

    open_overdue = Clock.objects.filter(met_on__isnull=True, due__lt=today)
    if not include_closed:
        return _among(_case_ids(open_overdue))
    missed = Clock.objects.filter(settled=Settlement.MISSED)
    ids = _case_ids(open_overdue)
    more = _case_ids(missed)
    if isinstance(ids, list) and isinstance(more, list) and len(ids) + len(more) <= CLOCK_IDS_CAP:
        return _among(sorted(set(ids) | set(more)))
    return Q(pk__in=open_overdue.values("case_id")) | Q(pk__in=missed.values("case_id"))


def filter_cases(qs: QuerySet, f: dict) -> QuerySet:
    """The lists' filters (state, unit code, kind, overdue, a person's items, search words, include_closed), for
    the pages and the API alike.

    `include_closed` (含已办结; issue 18, point 2): False leaves finished items (concluded, archived) out unless a state
    is asked for; True lists them, and with `overdue` adds the finished items with a clock recorded as missed;
    None is the API's default (API-v1.md): every item, and for `overdue` open work only. `overdue` alone is open
    work whatever the state: an open clock past its due date, on a concluded item what it still owes the person."""
    from xiaobao.clocks import services as clock_services

    from .search import search_cases

    closed = f.get("include_closed")
    if f.get("state"):
        qs = qs.filter(state=f["state"])
    elif closed is False and not f.get("overdue"):
        qs = qs.filter(state__in=OPEN_STATES)
    if f.get("unit"):
        # The unit's id as a scalar subquery, not a join on its code: with `unit_id = (…)` PostgreSQL reads the
        # (unit, state, kind, received_at) index in list order; joined, it walked every item newest first
        # looking for a unit with no such items (333 ms at 1M; docs/performance.md).
        qs = qs.filter(unit_id=Subquery(Unit.objects.filter(code=f["unit"]).values("pk")[:1]))
    if f.get("kind"):
        qs = qs.filter(kind=f["kind"])
    if f.get("overdue"):
        qs = qs.filter(overdue_items(clock_services.today(), include_closed=bool(closed)))
        if not closed:
            qs = qs.exclude(state=State.ARCHIVED)  # an archived item owes nothing (settled when archived)
    if (person := f.get("person_items")) is not None:
        # A search by person, checked and audited by the caller (cases.persons.person_items).
        qs = qs.filter(person)
    if q := (f.get("q") or "").strip():
        qs = search_cases(qs, q)
    return qs


# The inbox's clock sections (已逾期, 即将到期, 待回复当事人) list their items most urgent first: in order of the
# section's clocks by due date, read off the partial index clock_open_by_due (due, case) a few hundred at a time,
# the visible ones kept, stopped when the page is full. Before (issue 24, point 1) every item in the window was read
# and sorted by time received: 5,357 items due within three working days at 2M items took 86 ms of the bureau's
# inbox, and a province's window is larger still. The sections are counted like the others, with the inbox's cap.
FIRST_CLOCKS = 200
MAX_CLOCKS = 51_200


def _by_due(base: QuerySet[Case], clocks: QuerySet, rows: int) -> QuerySet[Case]:
    """The items of `base` with a clock among `clocks`; `page` holds the first `rows` of them by the earliest due
    date of those clocks (then by id), and `page_ids` their ids in that order."""
    # Counted from the clocks' item ids as a list while they are few (CLOCK_IDS_CAP): as a subquery PostgreSQL
    # hashed the 4,441 overdue clocks and read all 600k of a station's open items against them (100 ms at 10M).
    section = base.filter(_among(_case_ids(clocks)))
    ordered = clocks.order_by("due", "case_id").values_list("case_id", flat=True)
    first: list[int] = []
    seen: set[int] = set()
    start, size = 0, FIRST_CLOCKS
    while len(first) < rows:
        read = list(ordered[start:start + size])
        new = [pk for pk in dict.fromkeys(read) if pk not in seen]
        seen.update(new)
        if new:
            visible = set(base.filter(_among(new)).values_list("pk", flat=True))
            first += [pk for pk in new if pk in visible]
        if len(read) < size:
            break
        start, size = start + size, min(size * 4, MAX_CLOCKS)
    section.page_ids = first[:rows]
    section.page = base.filter(_among(section.page_ids))
    return section


def _among(ids: list[int] | QuerySet) -> Q:
    """Items whose id is in `ids`. A list goes to PostgreSQL as one array parameter (`id = ANY(%s)`): as
    `IN (%s, …)` a thousand ids cost Django and psycopg ~10 ms to write into every section's list and count
    and PostgreSQL as long to parse (docs/performance.md)."""
    return Q(pk__any_of=Ids(ids)) if isinstance(ids, list) else Q(pk__in=ids)


APPROVAL_SECTIONS = (
    ("approve_routing", "待我审批：分流", ("routing",)),
    ("approve_filing", "待我审批：立案", ("filing",)),
    ("approve_not_filed", "待我审批：不予立案、告知他部门", ("not_filed", "referral")),
)


def _approval_kinds(user: Staff) -> frozenset[str]:
    return reference.approval_kinds(set(user.roles))


def inbox_sections(user: Staff, *, today, warn_until, rows: int = 20) -> list[tuple[str, str, QuerySet[Case]]]:
    """What waits for the user, by role: (key, title, items). The clock sections carry their first `rows` items,
    most urgent first (`_by_due`)."""
    from xiaobao.clocks.models import Clock

    base = visible_cases(user)
    # Start from the few open clocks in the window (index clock_open_by_due), not from every visible item. Open
    # work only: a finished item's clocks are settled (clocks.services.settle) but for what a concluded one still
    # owes the person; an archived item owes nothing.
    open_clocks = Clock.objects.filter(met_on__isnull=True)
    open_work = base.exclude(state=State.ARCHIVED)
    overdue = _by_due(open_work, open_clocks.filter(due__lt=today), rows)
    due_soon = _by_due(open_work, open_clocks.filter(due__gte=today, due__lte=warn_until), rows)
    sections: list[tuple[str, str, QuerySet[Case]]] = []
    if user.has_role(Role.DISPATCHER):
        sections += [
            ("returned", "被退回的件（优先处理）", base.filter(state="triage", returns_count__gt=0)),
            ("triage", "待分流", base.filter(state="triage", returns_count=0)),
            ("registered", "已登记待提交", base.filter(state="registered")),
        ]
    # Each approval waits for the role the item's rule set names (rules 二.1(2), 二.2; 处罚程序规定第十八条).
    kinds = _approval_kinds(user)
    for key, title, among in APPROVAL_SECTIONS:
        if mine := [k for k in among if k in kinds]:
            sections.append((key, title, base.filter(state="pending_approval", approval_kind__in=mine)))
    if user.has_role(Role.HANDLER, Role.UNIT_LEADER):
        sections += [
            ("registered", "本单位登记待处理", base.filter(state="registered")),
            ("assigned", "待签收、待决定受理或立案", base.filter(state="assigned")),
            ("in_progress", "办理中", base.filter(state="in_progress")),
            # From the few open reply clocks, not from every concluded item of the unit.
            ("reply", "待回复当事人", _by_due(base.filter(state="concluded"), open_clocks.filter(name="reply"),
                                            rows)),
        ]
    if user.has_role(Role.ARCHIVIST):
        sections.append(("archive", "待归档", base.filter(state="concluded")))
    if sections:
        sections += [("due_soon", "即将到期", due_soon), ("overdue", "已逾期", overdue)]
    return sections


# The navigation's count stops here (shown as "999+"): it is read on every page, and an archivist's backlog at
# 1M items was 694k rows counted for each page (~45 ms); the inbox's sections count exactly.
WAITING_CAP = 1000


def waiting_count(user: Staff) -> int:
    """How many items wait for the user to act (the count beside 我的工作 in the navigation), up to
    WAITING_CAP."""
    q = Q(pk__in=[])
    if user.has_role(Role.DISPATCHER):
        q |= Q(state__in=("registered", "triage"))
    if kinds := _approval_kinds(user):
        q |= Q(state="pending_approval", approval_kind__in=sorted(kinds))
    if user.has_role(Role.HANDLER, Role.UNIT_LEADER):
        q |= Q(state__in=("registered", "assigned", "in_progress"), unit_id=user.unit_id)
    if user.has_role(Role.ARCHIVIST):
        q |= Q(state="concluded")
    return visible_cases(user).filter(q).order_by()[:WAITING_CAP].count()
