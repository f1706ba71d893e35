"""Search for one or two characters on SQLite (xiaobao/cases/search.py): a contentless FTS5 table whose
tokens are the searched fields' bigrams, kept in sync by triggers; 1–2 character queries look a token up
instead of scanning every item with LIKE (issue 9).

Each field is written as the space-separated list of its two-character pieces, from every position
(`substr(text, n, 2)` for n = 1 … length, so the last piece is the last character alone); the unicode61
tokenizer makes each piece one token. A two-character query is then one token, and a one-character query
a token prefix ("x" *). The pieces come from a table of positions (SQLite allows no WITH RECURSIVE inside a
trigger); a field longer than its 100,000 positions is indexed up to there (a complaint is a few hundred
characters). The table is contentless (content=''), so removing a row names the tokens it had: the
triggers recompute them from the old values.
PostgreSQL keeps pg_trgm (migration 0004); other databases the plain substring filter.
"""

from django.db import migrations

POSITIONS = 100_000
FIELDS = ("number", "facts", "demand", "respondent", "external_id")


def pieces(expr: str) -> str:
    """SQL for the space-separated bigrams of `expr` ('' for NULL)."""
    return (f"coalesce((SELECT group_concat(substr({expr}, p.n, 2), ' ') FROM cases_search_position p "
            f"WHERE p.n <= length({expr})), '')")


def row(prefix: str, respondent: str) -> str:
    exprs = {"number": f"{prefix}.number", "facts": f"{prefix}.facts", "demand": f"{prefix}.demand",
             "respondent": respondent, "external_id": f"{prefix}.external_id"}
    return ", ".join(pieces(exprs[f]) for f in FIELDS)


COLUMNS = ", ".join(FIELDS)
INSERT = f"INSERT INTO cases_case_bigram(rowid, {COLUMNS})"
DELETE = f"INSERT INTO cases_case_bigram(cases_case_bigram, rowid, {COLUMNS})"

SQLITE = [
    "CREATE TABLE cases_search_position (n INTEGER PRIMARY KEY)",
    f"""INSERT INTO cases_search_position(n)
        WITH RECURSIVE p(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM p WHERE n < {POSITIONS}) SELECT n FROM p""",
    f"""CREATE VIRTUAL TABLE cases_case_bigram USING fts5({COLUMNS}, content='',
        tokenize="unicode61 remove_diacritics 0")""",
    f"""CREATE TRIGGER cases_case_bigram_insert AFTER INSERT ON cases_case BEGIN
        {INSERT} VALUES (new.id, {row("new", "(SELECT name FROM cases_party WHERE id = new.respondent_id)")});
    END""",
    f"""CREATE TRIGGER cases_case_bigram_update
        AFTER UPDATE OF number, facts, demand, respondent_id, external_id ON cases_case BEGIN
        {DELETE} VALUES ('delete', old.id,
            {row("old", "(SELECT name FROM cases_party WHERE id = old.respondent_id)")});
        {INSERT} VALUES (new.id, {row("new", "(SELECT name FROM cases_party WHERE id = new.respondent_id)")});
    END""",
    f"""CREATE TRIGGER cases_case_bigram_delete AFTER DELETE ON cases_case BEGIN
        {DELETE} VALUES ('delete', old.id,
            {row("old", "(SELECT name FROM cases_party WHERE id = old.respondent_id)")});
    END""",
    f"""CREATE TRIGGER cases_case_bigram_respondent AFTER UPDATE OF name ON cases_party BEGIN
        {DELETE} SELECT 'delete', c.id, {row("c", "old.name")} FROM cases_case c WHERE c.respondent_id = new.id;
        {INSERT} SELECT c.id, {row("c", "new.name")} FROM cases_case c WHERE c.respondent_id = new.id;
    END""",
    f"""{INSERT} SELECT c.id, {row("c", "r.name")}
        FROM cases_case c LEFT JOIN cases_party r ON r.id = c.respondent_id""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_case_bigram_insert",
    "DROP TRIGGER IF EXISTS cases_case_bigram_update",
    "DROP TRIGGER IF EXISTS cases_case_bigram_delete",
    "DROP TRIGGER IF EXISTS cases_case_bigram_respondent",
    "DROP TABLE IF EXISTS cases_case_bigram",
    "DROP TABLE IF EXISTS cases_search_position",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_case_unit_received")]

    operations = [migrations.RunPython(_run(SQLITE), _run(SQLITE_REVERSE))]
