"""Full-text search over items: number, facts, demand, respondent's name and external id, as a substring
match ignoring case (what icontains did, without reading every row).

SQLite: an FTS5 table with the trigram tokenizer (migration 0004), kept in sync by triggers; a trigram
index needs at least three characters, so shorter queries fall back to LIKE.
PostgreSQL: pg_trgm GIN indexes on UPPER(column), the expression Django's icontains compares; the same
filter then uses them. With fewer than three characters pg_trgm cannot narrow the search and the planner
reads the table (see docs/performance.md).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from .models import Case

TRIGRAM = 3


def _contains(q: str) -> Q:
    return (Q(number__icontains=q) | Q(facts__icontains=q) | Q(demand__icontains=q)
            | Q(external_id__icontains=q))


def search_cases(qs: QuerySet[Case], q: str) -> QuerySet[Case]:
    """The items of `qs` that contain `q` in any searched field."""
    if connection.vendor == "sqlite" and len(q) >= TRIGRAM:
        phrase = '"' + q.replace('"', '""') + '"'
        return qs.filter(pk__in=RawSQL("SELECT rowid FROM cases_case_search WHERE cases_case_search MATCH %s",
                                       [phrase]))
    if connection.vendor == "postgresql":
        # One OR across two tables cannot use either table's index; the union of two indexed scans can.
        on_case = Case.objects.filter(_contains(q)).order_by().values("pk")
        on_respondent = Case.objects.filter(respondent__name__icontains=q).order_by().values("pk")
        return qs.filter(pk__in=on_case.union(on_respondent))
    return qs.filter(_contains(q) | Q(respondent__name__icontains=q))
