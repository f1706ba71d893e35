"""PostgreSQL: a new item, its number and its first timeline line written in one statement (issue 9).

From the number's UPDATE to the commit, registrations of a kind run one at a time (the counter's row lock keeps
numbers gap-free), and the audit chain's lock is taken in the same stretch. Written with the ORM, that stretch
held three round trips and the Python that builds each INSERT; here the values are prepared first, and the
counter, the item and its line go in one round trip:

    WITH n AS (UPDATE counter … RETURNING last),
         c AS (INSERT INTO item … SELECT '<prefix>' || lpad(n.last, 6), … FROM n RETURNING id, number),
         e AS (INSERT INTO line … SELECT c.id, …, '<note>' || c.number, … FROM c RETURNING id)
    SELECT c.id, c.number, e.id FROM c, e

The values are the ones Django's own INSERT would send (each field's pre_save and get_db_prep_save). A year
whose counter does not exist yet inserts nothing, and the caller takes the ORM path, which creates it."""

from __future__ import annotations

from django.db import connection, models

from .models import Case, Event, NumberSequence


def _values(obj: models.Model, computed: dict[str, tuple[str, list]]) -> tuple[list[str], list[str], list]:
    """Columns, their SQL and its parameters for an INSERT of obj: each field's value as Django would send
    it, except the columns in `computed`, given as (SQL, parameters)."""
    qn = connection.ops.quote_name
    columns, exprs, params = [], [], []
    for field in obj._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(qn(field.column))
        if field.column in computed:
            expr, expr_params = computed[field.column]
            exprs.append(expr)
            params += expr_params
        else:
            exprs.append("%s")
            params.append(field.get_db_prep_save(field.pre_save(obj, add=True), connection))
    return columns, exprs, params


def insert_numbered(case: Case, event: Event, *, key: str, year: int, number_prefix: str, note_head: str) -> bool:
    """Insert `case` numbered `number_prefix` + the counter's next value (six digits or more) and `event` as its
    line with note `note_head` + that number. Fills in the ids, number and note; False (nothing written) when
    the year's counter does not exist yet."""
    qn = connection.ops.quote_name
    seq = NumberSequence._meta
    c_cols, c_exprs, c_params = _values(case, {
        "number": ("%s || lpad(n.last::text, greatest(6, length(n.last::text)), '0')", [number_prefix])})
    e_cols, e_exprs, e_params = _values(event, {"case_id": ("c.id", []), "note": ("%s || c.number", [note_head])})
    sql = (f"WITH n AS (UPDATE {qn(seq.db_table)} SET {qn('last')} = {qn('last')} + 1 "  # noqa: S608 (model names)
           f"WHERE {qn('key')} = %s AND {qn('year')} = %s RETURNING {qn('last')}), "
           f"c AS (INSERT INTO {qn(Case._meta.db_table)} ({', '.join(c_cols)}) SELECT {', '.join(c_exprs)} FROM n "
           f"RETURNING {qn('id')}, {qn('number')}), "
           f"e AS (INSERT INTO {qn(Event._meta.db_table)} ({', '.join(e_cols)}) SELECT {', '.join(e_exprs)} FROM c "
           f"RETURNING {qn('id')}) "
           f"SELECT c.{qn('id')}, c.{qn('number')}, e.{qn('id')} FROM c, e")
    with connection.cursor() as cur:
        cur.execute(sql, [key, year, *c_params, *e_params])
        row = cur.fetchone()
    if row is None:
        return False
    case.pk, case.number, event.pk = row
    event.case = case
    event.note = note_head + case.number
    for obj in (case, event):
        obj._state.adding = False
        obj._state.db = connection.alias
    return True
