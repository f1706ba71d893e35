"""`__any_of` (xiaobao/lib/lookups.py): ids sent as one array parameter on PostgreSQL, an IN elsewhere — the
same rows either way."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import Api, complaint_body
from xiaobao.cases.models import Case
from xiaobao.lib.lookups import Ids


def test_any_of_finds_the_listed_items_and_nothing_for_an_empty_list(bureau):
    api = Api("xiaobao")
    ids = [api.post("/api/v1/cases", complaint_body()).json()["id"] for _ in range(3)]
    assert set(Case.objects.filter(pk__any_of=Ids(ids[:2])).values_list("pk", flat=True)) == set(ids[:2])
    assert list(Case.objects.filter(pk__any_of=Ids([]))) == []
    assert Case.objects.filter(pk__any_of=Ids([*ids, 10**9])).count() == 3
    assert Case.objects.exclude(pk__any_of=Ids(ids[1:])).filter(pk__in=ids).get().pk == ids[0]


def test_on_postgresql_a_thousand_ids_are_one_parameter(bureau):
    with CaptureQueriesContext(connection) as ctx:
        Case.objects.filter(pk__any_of=Ids(range(1, 1001))).count()
    sql = ctx.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and sql.count(",") >= 999 and "IN (" not in sql
    else:
        assert "IN (" in sql
