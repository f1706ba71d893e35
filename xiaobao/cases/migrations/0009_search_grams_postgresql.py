"""Search on PostgreSQL (xiaobao/cases/search.py, issue 9): a table of each item's searched text with a GIN
index over the text's one- and two-character pieces, kept in sync by triggers, like SQLite's FTS5 tables
(migrations 0004 and 0007).

cases_search_grams(field, …) is the array of the upper-cased pieces of each field, from every position
(the field's last character is a piece alone), never across two fields. A query of one or two characters
is one piece: `grams @> ARRAY[UPPER(q)]` is exactly the substring match ignoring case (the GIN array
operator needs no recheck), so counting the matches compares no text. Longer queries need every one of their
two-character pieces and are rechecked with LIKE. The pg_trgm indexes on the items (0004) could not narrow
one or two characters at all and rechecked every match of the others on the items' heap; nothing else
reads them, so they go (the one on parties' names stays: disclosure searches respondents by name).

The respondent's name is copied into the table (cases_case_text.respondent), so that one index answers
for the five fields; the triggers follow the item's fields, its respondent and the respondent's name.
The table has no foreign key: TRUNCATE of the items (the test suite's flush) empties it by a trigger.
Other databases do nothing here.
"""

from django.db import migrations

FIELDS = ("number", "facts", "demand", "external_id", "respondent")
# Migration 0004's pg_trgm indexes on the items, by the column they index.
TRIGRAM_INDEXES = {"cases_case_number_trgm": "number", "cases_case_facts_trgm": "facts",
                   "cases_case_demand_trgm": "demand", "cases_case_external_id_trgm": "external_id"}

FUNCTION = """CREATE FUNCTION cases_search_grams(VARIADIC fields text[]) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1000 AS $$
        SELECT ARRAY(SELECT substr(u, n, k)
                     FROM unnest(fields) AS f(v)
                     CROSS JOIN LATERAL upper(f.v) AS u
                     CROSS JOIN LATERAL generate_series(1, length(u)) AS n
                     CROSS JOIN (VALUES (1), (2)) AS w(k))
    $$"""
# Duplicates are left in: GIN keeps each distinct key once per row.

POSTGRESQL = [
    FUNCTION,
    """CREATE TABLE cases_case_text (
        id bigint PRIMARY KEY, number text, facts text, demand text, external_id text, respondent text)""",
    """INSERT INTO cases_case_text (id, number, facts, demand, external_id, respondent)
        SELECT c.id, c.number, c.facts, c.demand, c.external_id, p.name
        FROM cases_case c LEFT JOIN cases_party p ON p.id = c.respondent_id""",
    f"CREATE INDEX cases_case_text_grams ON cases_case_text USING gin (cases_search_grams({', '.join(FIELDS)}))",
    """CREATE FUNCTION cases_case_text_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO cases_case_text (id, number, facts, demand, external_id, respondent)
        VALUES (NEW.id, NEW.number, NEW.facts, NEW.demand, NEW.external_id,
                (SELECT name FROM cases_party WHERE id = NEW.respondent_id))
        ON CONFLICT (id) DO UPDATE SET number = EXCLUDED.number, facts = EXCLUDED.facts,
            demand = EXCLUDED.demand, external_id = EXCLUDED.external_id, respondent = EXCLUDED.respondent;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION cases_case_text_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM cases_case_text WHERE id = OLD.id;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION cases_case_text_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE cases_case_text;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION cases_case_text_respondent() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE cases_case_text SET respondent = NEW.name
        WHERE id IN (SELECT id FROM cases_case WHERE respondent_id = NEW.id);
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER cases_case_text_insert AFTER INSERT ON cases_case
        FOR EACH ROW EXECUTE FUNCTION cases_case_text_write()""",
    # Django's save() sets every column: the WHEN clause keeps other changes (state, unit…) away.
    """CREATE TRIGGER cases_case_text_update AFTER UPDATE ON cases_case FOR EACH ROW
        WHEN (OLD.number IS DISTINCT FROM NEW.number OR OLD.facts IS DISTINCT FROM NEW.facts
              OR OLD.demand IS DISTINCT FROM NEW.demand OR OLD.external_id IS DISTINCT FROM NEW.external_id
              OR OLD.respondent_id IS DISTINCT FROM NEW.respondent_id)
        EXECUTE FUNCTION cases_case_text_write()""",
    """CREATE TRIGGER cases_case_text_delete AFTER DELETE ON cases_case
        FOR EACH ROW EXECUTE FUNCTION cases_case_text_delete()""",
    """CREATE TRIGGER cases_case_text_truncate AFTER TRUNCATE ON cases_case
        FOR EACH STATEMENT EXECUTE FUNCTION cases_case_text_truncate()""",
    """CREATE TRIGGER cases_case_text_respondent AFTER UPDATE OF name ON cases_party FOR EACH ROW
        WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION cases_case_text_respondent()""",
    "ANALYZE cases_case_text",
    *(f"DROP INDEX IF EXISTS {name}" for name in TRIGRAM_INDEXES),
]
POSTGRESQL_REVERSE = [
    *(f'CREATE INDEX IF NOT EXISTS {name} ON cases_case USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
      for name, column in TRIGRAM_INDEXES.items()),
    "DROP TRIGGER IF EXISTS cases_case_text_insert ON cases_case",
    "DROP TRIGGER IF EXISTS cases_case_text_update ON cases_case",
    "DROP TRIGGER IF EXISTS cases_case_text_delete ON cases_case",
    "DROP TRIGGER IF EXISTS cases_case_text_truncate ON cases_case",
    "DROP TRIGGER IF EXISTS cases_case_text_respondent ON cases_party",
    "DROP FUNCTION IF EXISTS cases_case_text_write()",
    "DROP FUNCTION IF EXISTS cases_case_text_delete()",
    "DROP FUNCTION IF EXISTS cases_case_text_truncate()",
    "DROP FUNCTION IF EXISTS cases_case_text_respondent()",
    "DROP TABLE IF EXISTS cases_case_text",
    "DROP FUNCTION IF EXISTS cases_search_grams(VARIADIC text[])",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_inbox_open_clock_by_name")]

    operations = [migrations.RunPython(_run(POSTGRESQL), _run(POSTGRESQL_REVERSE))]
