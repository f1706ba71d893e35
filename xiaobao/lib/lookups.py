"""`field__any_of=Ids([…])`: the field's value is one of a list of integers, sent to PostgreSQL as one array
parameter (`field = ANY(%s::bigint[])`) instead of one parameter per value; elsewhere an ordinary IN.

The list travels wrapped (Ids) and as the array's text: Django resolves and hashes every element of a plain
list on each queryset clone, and psycopg's list adapter inspects every element — for the inbox's thousand
ids that was ~10 ms per page (docs/performance.md)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.db.models.lookups import In, Lookup


class Ids:
    """Integers for __any_of, opaque to Django's per-element resolution."""

    __slots__ = ("values",)

    def __init__(self, values: Iterable[int]):
        self.values = [int(v) for v in values]

    def __len__(self) -> int:
        return len(self.values)


@models.BigIntegerField.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        values = self.rhs.values if isinstance(self.rhs, Ids) else [int(v) for v in self.rhs]
        if connection.vendor != "postgresql":
            return In(self.lhs, values).as_sql(compiler, connection) if values else ("1 = 0", [])
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, "{" + ",".join(map(str, values)) + "}"]
