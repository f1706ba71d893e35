"""Reserving many numbers of a per-year sequence at once (the 12315 bulk import registers items by the
thousand). The same counter as services.next_number: reserving n numbers and taking them one by one give the
same numbers."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F

from .models import NumberSequence


def reserve(key: str, year: int, count: int) -> range:
    """The next `count` numbers of the sequence, taken in one step: one UPDATE … RETURNING where the database
    has it (PostgreSQL; SQLite ≥ 3.35), whose row lock (PostgreSQL) or write lock (SQLite) lasts until the
    caller's transaction ends; else, and for a year's first numbers, under select_for_update."""
    if count <= 0:
        return range(0)
    if connection.features.can_return_columns_from_insert:
        qn = connection.ops.quote_name
        with connection.cursor() as cur:
            cur.execute(f"UPDATE {qn(NumberSequence._meta.db_table)} SET {qn('last')} = {qn('last')} + %s "  # noqa: S608
                        f"WHERE {qn('key')} = %s AND {qn('year')} = %s RETURNING {qn('last')}",  # names from the model
                        [count, key, year])
            row = cur.fetchone()
        if row is not None:
            return range(row[0] - count + 1, row[0] + 1)
    with transaction.atomic():
        seq, _ = NumberSequence.objects.select_for_update().get_or_create(key=key, year=year)
        NumberSequence.objects.filter(pk=seq.pk).update(last=F("last") + count)
        seq.refresh_from_db(fields=["last"])
        return range(seq.last - count + 1, seq.last + 1)
