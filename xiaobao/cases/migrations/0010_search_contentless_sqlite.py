"""SQLite: the trigram search table (migration 0004) keeps no copy of the texts (content=''), like the bigram
table of 0007. Search reads only its rowids (xiaobao/cases/search.py), so the copy was written with every item and
never read: a registration writes ~0.4 ms less (issue 9) and a district's database is smaller by the texts once
more. A contentless table is told what a removed row held: the triggers give the old values with 'delete'.
Other databases: nothing."""

from django.db import migrations

COLUMNS = "number, facts, demand, respondent, external_id"
INSERT = f"INSERT INTO cases_case_search(rowid, {COLUMNS})"
DELETE = f"INSERT INTO cases_case_search(cases_case_search, rowid, {COLUMNS})"
RESPONDENT = "(SELECT name FROM cases_party WHERE id = {}.respondent_id)"


def values(prefix: str, respondent: str) -> str:
    return f"{prefix}.number, {prefix}.facts, {prefix}.demand, {respondent}, {prefix}.external_id"


TRIGGERS = ["cases_case_search_insert", "cases_case_search_update", "cases_case_search_delete",
            "cases_case_search_respondent"]
SQLITE = [
    *(f"DROP TRIGGER IF EXISTS {t}" for t in TRIGGERS),
    "DROP TABLE IF EXISTS cases_case_search",
    f"CREATE VIRTUAL TABLE cases_case_search USING fts5({COLUMNS}, tokenize='trigram', content='')",
    f"""CREATE TRIGGER cases_case_search_insert AFTER INSERT ON cases_case BEGIN
        {INSERT} VALUES (new.id, {values("new", RESPONDENT.format("new"))});
    END""",
    f"""CREATE TRIGGER cases_case_search_update
        AFTER UPDATE OF number, facts, demand, respondent_id, external_id ON cases_case BEGIN
        {DELETE} VALUES ('delete', old.id, {values("old", RESPONDENT.format("old"))});
        {INSERT} VALUES (new.id, {values("new", RESPONDENT.format("new"))});
    END""",
    f"""CREATE TRIGGER cases_case_search_delete AFTER DELETE ON cases_case BEGIN
        {DELETE} VALUES ('delete', old.id, {values("old", RESPONDENT.format("old"))});
    END""",
    f"""CREATE TRIGGER cases_case_search_respondent AFTER UPDATE OF name ON cases_party BEGIN
        {DELETE} SELECT 'delete', c.id, {values("c", "old.name")} FROM cases_case c WHERE c.respondent_id = new.id;
        {INSERT} SELECT c.id, {values("c", "new.name")} FROM cases_case c WHERE c.respondent_id = new.id;
    END""",
    f"""{INSERT} SELECT c.id, {values("c", "p.name")}
        FROM cases_case c LEFT JOIN cases_party p ON p.id = c.respondent_id""",
]
# Back to 0004's table, which keeps its copy of the texts.
SQLITE_REVERSE = [
    *(f"DROP TRIGGER IF EXISTS {t}" for t in TRIGGERS),
    "DROP TABLE IF EXISTS cases_case_search",
    f"CREATE VIRTUAL TABLE cases_case_search USING fts5({COLUMNS}, tokenize='trigram')",
    f"""CREATE TRIGGER cases_case_search_insert AFTER INSERT ON cases_case BEGIN
        {INSERT} VALUES (new.id, {values("new", RESPONDENT.format("new"))});
    END""",
    f"""CREATE TRIGGER cases_case_search_update
        AFTER UPDATE OF number, facts, demand, respondent_id, external_id ON cases_case BEGIN
        DELETE FROM cases_case_search WHERE rowid = old.id;
        {INSERT} VALUES (new.id, {values("new", RESPONDENT.format("new"))});
    END""",
    """CREATE TRIGGER cases_case_search_delete AFTER DELETE ON cases_case BEGIN
        DELETE FROM cases_case_search WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER cases_case_search_respondent AFTER UPDATE OF name ON cases_party BEGIN
        UPDATE cases_case_search SET respondent = new.name
        WHERE rowid IN (SELECT id FROM cases_case WHERE respondent_id = new.id);
    END""",
    f"""{INSERT} SELECT c.id, {values("c", "p.name")}
        FROM cases_case c LEFT JOIN cases_party p ON p.id = c.respondent_id""",
]


def _run(statements: list[str]):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_search_grams_postgresql")]

    operations = [migrations.RunPython(_run(SQLITE), _run(SQLITE_REVERSE))]
