"""Finding a person's items (cases/persons.py, issue 18, point 5): normalised copies of each complainant's
phone, ID number and name, indexed, written by triggers on every insert and every change of those columns —
whatever writes the row (the services, the bulk imports' raw INSERTs, the demo generator) — and filled here
for the rows already stored. Respondents get none.

The SQL below normalises as cases/persons.py does (phone_key, id_key, name_key); it is written out here, not
imported, so that this migration stays what it was if that module changes. Triggers on SQLite update the
row after the insert or change (SQLite cannot assign NEW); PostgreSQL sets NEW before writing it.
"""

# ruff: noqa: S608 (the SQL is built from this file's constants, never from input)
from django.db import migrations, models

FULLWIDTH = [(chr(0xFF10 + i), str(i)) for i in range(10)] + [("＋", "+")]
PHONE_SEPARATORS = [" ", "\u3000", "\t", "-", "－", "—", "–", "(", ")", "（", "）", ".", "·"]
ID_SEPARATORS = [" ", "\u3000", "\t", "-"]
NAME_SEPARATORS = [" ", "\u3000", "\t", "·", "•"]


# SQLite's parser overflows on a few dozen nested calls: the replacements go in layers of derived tables.
LAYER = 8


def _replaced(column: str, pairs) -> str:
    """A SELECT of `column` with `pairs` replaced in order, as its column s."""
    sql = f"SELECT {column} AS s"
    for start in range(0, len(pairs), LAYER):
        expr = "s"
        for old, new in pairs[start:start + LAYER]:
            expr = f"REPLACE({expr}, '{old}', '{new}')"
        sql = f"SELECT {expr} AS s FROM ({sql}) AS l{start}"
    return sql


def phone_sql(column: str) -> str:
    s = _replaced(column, FULLWIDTH + [(c, "") for c in PHONE_SEPARATORS])
    return (f"(SELECT NULLIF(CASE WHEN r IS NULL THEN s WHEN r LIKE '0%' OR r LIKE '1%' THEN r ELSE '0' || r END, '') "
            f"FROM (SELECT s, CASE WHEN s LIKE '+86%' THEN SUBSTR(s, 4) WHEN s LIKE '0086%' THEN SUBSTR(s, 5) "
            f"WHEN LENGTH(s) = 13 AND s LIKE '861%' THEN SUBSTR(s, 3) END AS r FROM ({s}) AS a) AS b)")


LOWER_CASE, UPPER_CASE = "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _case(expr: str, vendor: str, *, upper: bool) -> str:
    """ASCII letters only change case: SQLite's UPPER and LOWER do that; PostgreSQL's change every letter."""
    if vendor == "sqlite":
        return f"{'UPPER' if upper else 'LOWER'}({expr})"
    source, target = (LOWER_CASE, UPPER_CASE) if upper else (UPPER_CASE, LOWER_CASE)
    return f"TRANSLATE({expr}, '{source}', '{target}')"


def id_sql(column: str, vendor: str) -> str:
    pairs = FULLWIDTH + [("ｘ", "X"), ("Ｘ", "X")] + [(c, "") for c in ID_SEPARATORS]
    return f"(SELECT NULLIF({_case('s', vendor, upper=True)}, '') FROM ({_replaced(column, pairs)}) AS a)"


def name_sql(column: str, vendor: str) -> str:
    pairs = [(c, "") for c in NAME_SEPARATORS]
    return f"(SELECT NULLIF({_case('s', vendor, upper=False)}, '') FROM ({_replaced(column, pairs)}) AS a)"


def keys(row: str, vendor: str) -> dict[str, str]:
    return {"phone_key": phone_sql(f"{row}.phone"), "id_key": id_sql(f"{row}.id_number", vendor),
            "name_key": name_sql(f"{row}.name", vendor)}


def _set(row: str, vendor: str, *, complainant_only: str = "") -> str:
    if complainant_only:
        return ", ".join(f"{k} = CASE WHEN {complainant_only} THEN {v} END" for k, v in keys(row, vendor).items())
    return ", ".join(f"{k} = {v}" for k, v in keys(row, vendor).items())


SQLITE = [
    f"""CREATE TRIGGER cases_party_keys_insert AFTER INSERT ON cases_party WHEN NEW.role = 'complainant' BEGIN
        UPDATE cases_party SET {_set("NEW", "sqlite")} WHERE id = NEW.id;
    END""",
    f"""CREATE TRIGGER cases_party_keys_update AFTER UPDATE OF phone, id_number, name, role ON cases_party BEGIN
        UPDATE cases_party SET {_set("NEW", "sqlite", complainant_only="NEW.role = 'complainant'")} WHERE id = NEW.id;
    END""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS cases_party_keys_insert", "DROP TRIGGER IF EXISTS cases_party_keys_update"]

POSTGRESQL = [
    f"""CREATE FUNCTION cases_party_keys() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.role = 'complainant' THEN
            {" ".join(f"NEW.{k} := {v};" for k, v in keys("NEW", "postgresql").items())}
        ELSE
            NEW.phone_key := NULL; NEW.id_key := NULL; NEW.name_key := NULL;
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER cases_party_keys BEFORE INSERT OR UPDATE OF phone, id_number, name, role ON cases_party
        FOR EACH ROW EXECUTE FUNCTION cases_party_keys()""",
]
POSTGRESQL_REVERSE = ["DROP TRIGGER IF EXISTS cases_party_keys ON cases_party",
                      "DROP FUNCTION IF EXISTS cases_party_keys()"]

BACKFILL = {vendor: f"UPDATE cases_party SET {_set('cases_party', vendor)} WHERE role = 'complainant'"
            for vendor in ("sqlite", "postgresql")}


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, []):
        schema_editor.execute(sql, None)  # no parameters: the % of LIKE stays as written
    if vendor in BACKFILL:
        schema_editor.execute(BACKFILL[vendor], None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}.get(vendor, []):
        schema_editor.execute(sql, None)  # no parameters: the % of LIKE stays as written


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0014_combined_choices'),
    ]

    operations = [
        migrations.AddField(
            model_name='party',
            name='id_key',
            field=models.CharField(blank=True, editable=False, max_length=40, null=True),
        ),
        migrations.AddField(
            model_name='party',
            name='name_key',
            field=models.CharField(blank=True, editable=False, max_length=120, null=True),
        ),
        migrations.AddField(
            model_name='party',
            name='phone_key',
            field=models.CharField(blank=True, editable=False, max_length=40, null=True),
        ),
        # Filled before the indexes are built: one pass over the table, then each index sorted once.
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name='party',
            index=models.Index(fields=['phone_key'], name='party_phone_key'),
        ),
        migrations.AddIndex(
            model_name='party',
            index=models.Index(fields=['id_key'], name='party_id_key'),
        ),
        migrations.AddIndex(
            model_name='party',
            index=models.Index(fields=['name_key'], name='party_name_key', opclasses=['varchar_pattern_ops']),
        ),
    ]
