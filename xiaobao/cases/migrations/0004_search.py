"""Full-text search (xiaobao/cases/search.py): FTS5 trigram table and triggers on SQLite, pg_trgm GIN
indexes on PostgreSQL. Other databases keep the plain substring filter."""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE cases_case_search USING fts5(
        number, facts, demand, respondent, external_id, tokenize='trigram')""",
    """CREATE TRIGGER cases_case_search_insert AFTER INSERT ON cases_case BEGIN
        INSERT INTO cases_case_search(rowid, number, facts, demand, respondent, external_id)
        VALUES (new.id, new.number, new.facts, new.demand,
                (SELECT name FROM cases_party WHERE id = new.respondent_id), new.external_id);
    END""",
    """CREATE TRIGGER cases_case_search_update
        AFTER UPDATE OF number, facts, demand, respondent_id, external_id ON cases_case BEGIN
        DELETE FROM cases_case_search WHERE rowid = old.id;
        INSERT INTO cases_case_search(rowid, number, facts, demand, respondent, external_id)
        VALUES (new.id, new.number, new.facts, new.demand,
                (SELECT name FROM cases_party WHERE id = new.respondent_id), new.external_id);
    END""",
    """CREATE TRIGGER cases_case_search_delete AFTER DELETE ON cases_case BEGIN
        DELETE FROM cases_case_search WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER cases_case_search_respondent AFTER UPDATE OF name ON cases_party BEGIN
        UPDATE cases_case_search SET respondent = new.name
        WHERE rowid IN (SELECT id FROM cases_case WHERE respondent_id = new.id);
    END""",
    """INSERT INTO cases_case_search(rowid, number, facts, demand, respondent, external_id)
        SELECT c.id, c.number, c.facts, c.demand, p.name, c.external_id
        FROM cases_case c LEFT JOIN cases_party p ON p.id = c.respondent_id""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_case_search_insert",
    "DROP TRIGGER IF EXISTS cases_case_search_update",
    "DROP TRIGGER IF EXISTS cases_case_search_delete",
    "DROP TRIGGER IF EXISTS cases_case_search_respondent",
    "DROP TABLE IF EXISTS cases_case_search",
]
# The expressions Django's icontains compares on PostgreSQL: UPPER("column"::text) LIKE UPPER(%s).
TRIGRAM_INDEXES = [
    ("cases_case_number_trgm", "cases_case", "number"),
    ("cases_case_facts_trgm", "cases_case", "facts"),
    ("cases_case_demand_trgm", "cases_case", "demand"),
    ("cases_case_external_id_trgm", "cases_case", "external_id"),
    ("cases_party_name_trgm", "cases_party", "name"),
]
POSTGRESQL = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
    f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
    for name, table, column in TRIGRAM_INDEXES
]
POSTGRESQL_REVERSE = [f"DROP INDEX IF EXISTS {name}" for name, _, _ in TRIGRAM_INDEXES]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_samr2026_consents_agent")]

    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
                             _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE})),
    ]
