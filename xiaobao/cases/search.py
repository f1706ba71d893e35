"""Full-text search over items: number, facts, demand, respondent's name and external id, as a substring
match ignoring case (what icontains did, without reading every row).

SQLite: an FTS5 table with the trigram tokenizer (migration 0004), kept in sync by triggers, for three
characters or more; for one or two, a second FTS5 table whose tokens are the fields' bigrams (migration
0007): "奶粉" is one token, "奶" a token prefix. Queries with characters that table's tokenizer (unicode61)
might treat as separators — anything but ASCII letters and digits and the CJK ideographs of Unicode 6.1 —
fall back to LIKE.
PostgreSQL: a copy of the five fields per item (cases_case_text, kept in sync by triggers, migration 0009)
with a GIN index over their upper-cased one- and two-character pieces (cases_search_grams, per field). A
query of one or two characters is one piece, and containing it is the match itself: the count reads no text
and rechecks nothing. A longer query needs all its two-character pieces, and the rows that have them are
rechecked with LIKE on that table (the pieces may come from different fields or places).

Results are shown newest registered first (id descending, which is the order of receipt for all but
back-dated letters). On SQLite that is the FTS index's own order, so a page is read off the index with a
LIMIT instead of sorting every match; a GIN index has no order, so PostgreSQL reads the matches in windows
of ids from the newest down, widening while they are sparse; a LIKE scan newest first stops at the page's
last row (search_page).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from xiaobao.lib.dbrouter import read_connection

from .models import Case

TRIGRAM = 3
# Order of search results: newest registered first.
ORDER = ("-id",)
# Index candidates read per round when other filters (a unit, a state) may reject some of them.
FIRST_CHUNK = 200
MAX_CHUNK = 20_000
# PostgreSQL: the newest items compared one by one before the index is read, and the first window of ids
# read off the index below them (widened fourfold while it holds too few matches).
PROBE = 2_000
FIRST_WINDOW = 20_000
# PostgreSQL (migration 0009): the copy of the searched fields and the pieces its GIN index holds.
TEXT_TABLE = "cases_case_text"
TEXT_FIELDS = ("number", "facts", "demand", "external_id", "respondent")
GRAMS = f"cases_search_grams({', '.join('t.' + f for f in TEXT_FIELDS)})"
# The longest piece the GIN index holds: a query up to this length is one piece and needs no recheck.
PIECE = 2


def copy_text(cursor, first_id: int, last_id: int) -> None:
    """PostgreSQL: write the search copies of items first_id..last_id, for a bulk load that ran without the
    triggers of migration 0009 (the demo generator, issue 24); the same five fields the trigger copies."""
    cursor.execute(
        f"INSERT INTO {TEXT_TABLE} (id, {', '.join(TEXT_FIELDS)}) "  # noqa: S608 (this module's constants)
        "SELECT c.id, c.number, c.facts, c.demand, c.external_id, p.name FROM cases_case c "
        "LEFT JOIN cases_party p ON p.id = c.respondent_id WHERE c.id BETWEEN %s AND %s", [first_id, last_id])


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


def _uses_grams() -> bool:
    return connection.vendor == "postgresql"


def _phrase(q: str) -> str:
    phrase = '"' + q.replace('"', '""') + '"'
    # One character: every bigram token that starts with it (the field's last character is a token alone).
    return phrase + " *" if len(q) == 1 else phrase


MATCH = {table: f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608 (two fixed table names)
         for table in ("cases_case_search", "cases_case_bigram")}


def _match(q: str) -> str:
    return MATCH[_index(q)]


def _like_where(q: str) -> tuple[str, list]:
    """PostgreSQL: `q` in a field of cases_case_text (as t), ignoring case, as icontains compares.

    The fields are compared as they are first: a field that contains `q` still contains it once both are
    upper-cased (UPPER maps character by character), and upper-casing Chinese text costs more than the LIKE
    (94k candidates of "以人为损坏为": 310 → 200 ms); only the rows that fail those are upper-cased."""
    pattern = f"%{connection.ops.prep_for_like_query(q)}%"
    fields = ("facts", "respondent", "demand", "number", "external_id")
    tests = [f"t.{f} LIKE %s" for f in fields] + [f"UPPER(t.{f}) LIKE UPPER(%s)" for f in fields]
    return "(" + " OR ".join(tests) + ")", [pattern] * len(tests)


def _grams_where(q: str) -> tuple[str, list]:
    """PostgreSQL: the condition on cases_case_text (as t) that its rows match `q`, and its parameters."""
    pieces = [q] if len(q) <= PIECE else list(dict.fromkeys(q[i:i + PIECE] for i in range(len(q) - 1)))
    sql = f"{GRAMS} @> ARRAY[{', '.join(['UPPER(%s)'] * len(pieces))}]"
    params: list = list(pieces)
    if len(q) > PIECE:
        # The pieces may sit in different fields or apart: the rows that have them all are candidates.
        like, like_params = _like_where(q)
        sql, params = f"{sql} AND {like}", params + like_params
    return sql, params


def search_cases(qs: QuerySet[Case], q: str) -> QuerySet[Case]:
    """The items of `qs` that contain `q` in any searched field."""
    if _uses_fts(q):
        return qs.filter(pk__in=RawSQL(_match(q), [_phrase(q)]))  # noqa: S611 (SQL from MATCH)
    if _uses_grams():
        where, params = _grams_where(q)
        sql = f"SELECT t.id FROM {TEXT_TABLE} t WHERE {where}"  # noqa: S608
        if len(q) <= PIECE:
            # OFFSET 0: the matches come off the GIN index first. Otherwise, beside a unit's items, PostgreSQL
            # computed the pieces of each of the unit's 60k items (2.8 s for "退货" at 1M, 0.3 s so). Longer
            # queries compare the text first (LIKE), which is cheap enough item by item.
            sql = f"SELECT id FROM ({sql} OFFSET 0) m"  # noqa: S608
        return qs.filter(pk__in=RawSQL(sql, params))  # noqa: S611
    return qs.filter(_contains(q) | Q(respondent__name__icontains=q))


def _fts_ids(q: str, *, below: int | None, limit: int) -> list[int]:
    """Ids of the items containing `q`, newest first, read off the FTS index (rowid order) with a LIMIT."""
    sql = _match(q)
    params: list = [_phrase(q)]
    if below is not None:
        sql += " AND rowid < %s"
        params.append(below)
    with read_connection().cursor() as cur:
        cur.execute(sql + " ORDER BY rowid DESC LIMIT %s", [*params, limit])
        return [row[0] for row in cur.fetchall()]


def _fts_rounds(q: str, stop: int) -> Iterator[list[int]]:
    """SQLite: the ids of the items containing `q`, newest first, in growing rounds."""
    below, chunk = None, max(FIRST_CHUNK, stop)
    while True:
        ids = _fts_ids(q, below=below, limit=chunk)
        if ids:
            yield ids
        if len(ids) < chunk:
            return
        below, chunk = ids[-1], min(chunk * 4, MAX_CHUNK)


def _gram_rounds(q: str, chunk: int) -> Iterator[list[int]]:
    """PostgreSQL: the ids of the items containing `q`, newest first, in rounds of at most `chunk`.

    The first round reads the newest PROBE items by primary key and compares their text (LIKE): a query
    that many items match fills a page there, without reading the index's long lists. Then windows of
    ids [lo, hi) below, each read off the GIN index (its matches in the window, up to `chunk`, the
    newest), widening fourfold while they hold fewer than `chunk`."""
    where, params = _grams_where(q)
    like, like_params = _like_where(q)
    # OFFSET 0 keeps the LIMIT out of the window's plan: with it, PostgreSQL walks the primary key backwards
    # computing each row's pieces, expecting to meet the matches early (170 ms instead of 25 for a window).
    windows = {
        False: (f"SELECT id FROM (SELECT t.id FROM {TEXT_TABLE} t WHERE {where} "  # noqa: S608
                "AND t.id >= %s AND t.id < %s OFFSET 0) w ORDER BY id DESC LIMIT %s", params),
        True: (f"SELECT t.id FROM {TEXT_TABLE} t WHERE {like} AND t.id >= %s AND t.id < %s "  # noqa: S608
               "ORDER BY t.id DESC LIMIT %s", like_params),
    }
    with read_connection().cursor() as cur:
        cur.execute(f"SELECT min(id), max(id) FROM {TEXT_TABLE}")  # noqa: S608
        low, top = cur.fetchone()
        if low is None:
            return
        hi, width = top + 1, PROBE
        while hi > low:
            lo = max(hi - width, low)
            sql, sql_params = windows[width <= PROBE]
            cur.execute(sql, [*sql_params, lo, hi, chunk])
            ids = [row[0] for row in cur.fetchall()]
            if ids:
                yield ids
            if len(ids) == chunk:
                hi, chunk = ids[-1], min(chunk * 4, MAX_CHUNK)
            else:
                hi, width = lo, max(width * 4, FIRST_WINDOW)


def search_page(qs: QuerySet[Case], q: str, start: int, stop: int) -> list[Case]:
    """Matches start..stop of `qs` for `q`, newest first — the same items as
    search_cases(qs, q).order_by(*ORDER)[start:stop], without reading every match.

    `qs` carries the access rule (visible_cases) and the list's filters: the index proposes candidates
    newest first and `qs` keeps those the user may see and asked for."""
    if qs.query.is_empty():  # a user who may see no item: nothing to look for
        return []
    if _uses_fts(q):
        rounds = _fts_rounds(q, stop)
    elif _uses_grams():
        # The whole bureau keeps every candidate: a round needs no more than the page.
        rounds = _gram_rounds(q, max(FIRST_CHUNK, stop) if qs.query.where else stop)
    else:
        # LIKE: the database scans newest first and stops at the LIMIT.
        return list(search_cases(qs, q).order_by(*ORDER)[start:stop])
    found: list[Case] = []
    for ids in rounds:
        found += qs.filter(pk__in=ids).order_by(*ORDER)
        if len(found) >= stop:
            break
    return found[start:stop]


def search_count(qs: QuerySet[Case], q: str, *, cap: int | None = None) -> int:
    """How many items of `qs` contain `q`; with `cap`, counting stops at cap (shown as "1,000+")."""
    if qs.query.is_empty():  # a user who may see no item (its SQL cannot even be written)
        return 0
    if _uses_fts(q) or _uses_grams():
        if _uses_fts(q):
            sql, params = _match(q), [_phrase(q)]
        else:
            where, params = _grams_where(q)
            sql = f"SELECT t.id FROM {TEXT_TABLE} t WHERE {where}"  # noqa: S608
        if not qs.query.where:
            # The whole bureau with no other filter: count in the search index alone, no join to the items.
            limit = "" if cap is None else " LIMIT %s"
            with read_connection().cursor() as cur:
                cur.execute(f"SELECT count(*) FROM ({sql}{limit}) m",  # noqa: S608 (SQL from MATCH / _grams_where)
                            [*params, *([] if cap is None else [cap])])
                return cur.fetchone()[0]
        if _uses_grams():
            return _filtered_gram_count(qs, sql, params, cap)
    matches = search_cases(qs, q)
    if cap is not None:
        return matches.order_by()[:cap].count()
    return matches.count()


def _filtered_gram_count(qs: QuerySet[Case], sql: str, params: list, cap: int | None) -> int:
    """PostgreSQL: how many of the items of `qs` (a station's, a state's) are among the matches `sql`.

    Both sides apart (OFFSET 0) and hashed: a station's ids come off its (unit, …, id) index alone. Left to
    itself PostgreSQL estimated a few matches (the pieces' selectivities multiplied) and looked each of them
    up among the items, or computed the pieces item by item (a station's "冷冻肉" 170–260 → 84–93 ms at 1M)."""
    ids_sql, ids_params = qs.order_by().values("pk").query.sql_with_params()
    counted = f"SELECT 1 FROM ({ids_sql} OFFSET 0) u (id) WHERE u.id IN (SELECT id FROM ({sql} OFFSET 0) m)"  # noqa: S608
    limit = "" if cap is None else " LIMIT %s"
    with read_connection().cursor() as cur:
        cur.execute(f"SELECT count(*) FROM ({counted}{limit}) c",  # noqa: S608 (SQL from the ORM / _grams_where)
                    [*ids_params, *params, *([] if cap is None else [cap])])
        return cur.fetchone()[0]
