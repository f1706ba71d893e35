"""Full-text search over items: number, facts, demand, respondent's name and external id, as a substring
match ignoring case (what icontains did, without reading every row).

SQLite: an FTS5 table with the trigram tokenizer (migration 0004), kept in sync by triggers, for three
characters or more; for one or two, a second FTS5 table whose tokens are the fields' bigrams (migration
0007): "奶粉" is one token, "奶" a token prefix. Queries with characters that table's tokenizer (unicode61)
might treat as separators — anything but ASCII letters and digits and the CJK ideographs of Unicode 6.1 —
fall back to LIKE.
PostgreSQL: pg_trgm GIN indexes on UPPER(column), the expression Django's icontains compares; the same
filter then uses them. With fewer than three characters pg_trgm cannot narrow the search and the planner
reads the table (see docs/performance.md).

Results are shown newest registered first (id descending, which is the order of receipt for all but
back-dated letters): that is the FTS index's own order, so a page is read off the index with a LIMIT
instead of sorting every match (search_page), and a LIKE scan newest first stops at the page's last row.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from .models import Case

TRIGRAM = 3
# Order of search results: newest registered first.
ORDER = ("-id",)
# FTS candidates read per round when other filters (a unit, a state) may reject some of them.
FIRST_CHUNK = 200
MAX_CHUNK = 20_000


def _contains(q: str) -> Q:
    return (Q(number__icontains=q) | Q(facts__icontains=q) | Q(demand__icontains=q)
            | Q(external_id__icontains=q))


def _token_char(c: str) -> bool:
    # Characters unicode61 (Unicode 6.1 tables) always keeps inside a token: ASCII letters and digits, CJK
    # Unified Ideographs U+4E00–U+9FCC and Extension A U+3400–U+4DB5.
    return (c.isascii() and c.isalnum()) or "\u4e00" <= c <= "\u9fcc" or "\u3400" <= c <= "\u4db5"


def _index(q: str) -> str | None:
    """The FTS5 table that answers `q` on this database, if any."""
    if connection.vendor != "sqlite":
        return None
    if len(q) >= TRIGRAM:
        return "cases_case_search"
    if all(_token_char(c) for c in q):
        return "cases_case_bigram"
    return None


def _uses_fts(q: str) -> bool:
    return _index(q) is not None


def _phrase(q: str) -> str:
    phrase = '"' + q.replace('"', '""') + '"'
    # One character: every bigram token that starts with it (the field's last character is a token alone).
    return phrase + " *" if len(q) == 1 else phrase


MATCH = {table: f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608 (two fixed table names)
         for table in ("cases_case_search", "cases_case_bigram")}


def _match(q: str) -> str:
    return MATCH[_index(q)]


def search_cases(qs: QuerySet[Case], q: str) -> QuerySet[Case]:
    """The items of `qs` that contain `q` in any searched field."""
    if _uses_fts(q):
        return qs.filter(pk__in=RawSQL(_match(q), [_phrase(q)]))  # noqa: S611 (SQL from MATCH)
    if connection.vendor == "postgresql":
        # One OR across two tables cannot use either table's index; the union of two indexed scans can.
        on_case = Case.objects.filter(_contains(q)).order_by().values("pk")
        on_respondent = Case.objects.filter(respondent__name__icontains=q).order_by().values("pk")
        return qs.filter(pk__in=on_case.union(on_respondent))
    return qs.filter(_contains(q) | Q(respondent__name__icontains=q))


def _fts_ids(q: str, *, below: int | None, limit: int) -> list[int]:
    """Ids of the items containing `q`, newest first, read off the FTS index (rowid order) with a LIMIT."""
    sql = _match(q)
    params: list = [_phrase(q)]
    if below is not None:
        sql += " AND rowid < %s"
        params.append(below)
    with connection.cursor() as cur:
        cur.execute(sql + " ORDER BY rowid DESC LIMIT %s", [*params, limit])
        return [row[0] for row in cur.fetchall()]


def search_page(qs: QuerySet[Case], q: str, start: int, stop: int) -> list[Case]:
    """Matches start..stop of `qs` for `q`, newest first — the same items as
    search_cases(qs, q).order_by(*ORDER)[start:stop], without reading every match.

    `qs` carries the access rule (visible_cases) and the list's filters: the FTS index proposes
    candidates newest first and `qs` keeps those the user may see and asked for."""
    if not _uses_fts(q):
        # LIKE and pg_trgm: the database scans newest first and stops at the LIMIT.
        return list(search_cases(qs, q).order_by(*ORDER)[start:stop])
    found: list[Case] = []
    below, chunk = None, max(FIRST_CHUNK, stop)
    while len(found) < stop:
        ids = _fts_ids(q, below=below, limit=chunk)
        if not ids:
            break
        found += qs.filter(pk__in=ids).order_by(*ORDER)
        if len(ids) < chunk:
            break
        below, chunk = ids[-1], min(chunk * 4, MAX_CHUNK)
    return found[start:stop]


def search_count(qs: QuerySet[Case], q: str, *, cap: int | None = None) -> int:
    """How many items of `qs` contain `q`; with `cap`, counting stops at cap (shown as "1,000+")."""
    if _uses_fts(q) and not qs.query.where:
        # The whole bureau with no other filter: count in the search index alone, no join to the items.
        with connection.cursor() as cur:
            cur.execute("SELECT count(*) FROM (" + _match(q) + " LIMIT %s)",  # noqa: S608 (SQL from MATCH)
                        [_phrase(q), -1 if cap is None else cap])
            return cur.fetchone()[0]
    matches = search_cases(qs, q)
    if cap is not None:
        return matches.order_by()[:cap].count()
    return matches.count()
