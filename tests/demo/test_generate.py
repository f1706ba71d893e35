"""generate_data (issue 24, point 1): outside a transaction the batches are written by a second thread while the
next ones are planned, and on PostgreSQL without per-row triggers — the rows must be what the services and
the triggers would have left."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from xiaobao.cases.models import Case, Event, NumberSequence, Party
from xiaobao.cases.search import search_cases
from xiaobao.demo import generate as gen

# The write-behind thread uses its own connection, so these tests commit (and restore the data afterwards).
behind = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _numbers_continue() -> None:
    for seq in NumberSequence.objects.filter(key__startswith="case-"):
        kind = seq.key.removeprefix("case-")
        last = f"{gen.NUMBER_PREFIX[kind]}-{seq.year}-{seq.last:06d}"
        assert Case.objects.filter(kind=kind, number__startswith=f"{gen.NUMBER_PREFIX[kind]}-{seq.year}-") \
            .order_by("-number").values_list("number", flat=True).first() == last


@behind
def test_written_behind_the_planning_every_item_is_complete_searchable_and_numbered():
    result = gen.generate(items=60, seed=5, years=2, batch=20)
    assert result["items"] == 60 and Case.objects.count() == 60
    # Every item has its registration on the timeline and its parties; ids were assigned in one sequence.
    assert Event.objects.filter(action="register").values("case").distinct().count() == 60
    assert not Case.objects.filter(complainant__isnull=True).exists()
    _numbers_continue()
    # Found by what a clerk types: a respondent's name (the search copy on PostgreSQL, FTS5 on SQLite).
    case = Case.objects.filter(kind="complaint").select_related("respondent").first()
    found = search_cases(Case.objects.all(), case.respondent.name)
    assert case in found
    # The ids continue after the run: a registration through the services gets the next one.
    assert Case.objects.order_by("-pk").first().pk == 60 + Case.objects.order_by("pk").first().pk - 1


@behind
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the per-row triggers skipped are PostgreSQL's")
def test_without_triggers_the_rows_hold_what_the_triggers_would_have_written():
    gen.generate(items=40, seed=6, years=11, batch=10)
    from xiaobao.lib import partitions

    with connection.cursor() as cur:
        # The search copy (cases 0009): one row per item with the respondent's name.
        cur.execute("SELECT count(*) FROM cases_case c JOIN cases_case_text t ON t.id = c.id "
                    "LEFT JOIN cases_party p ON p.id = c.respondent_id "
                    "WHERE t.number = c.number AND t.facts = c.facts AND t.respondent IS NOT DISTINCT FROM p.name")
        assert cur.fetchone()[0] == 40
        # The person keys (cases 0015): the trigger, run again on every complainant, changes nothing.
        cur.execute("CREATE TEMP TABLE keys AS SELECT id, phone_key, id_key, name_key FROM cases_party")
        cur.execute("UPDATE cases_party SET phone = phone, id_number = id_number, name = name")
        cur.execute("SELECT count(*) FROM cases_party p JOIN keys k USING (id) WHERE p.phone_key IS DISTINCT FROM "
                    "k.phone_key OR p.id_key IS DISTINCT FROM k.id_key OR p.name_key IS DISTINCT FROM k.name_key")
        assert cur.fetchone()[0] == 0
        cur.execute("DROP TABLE keys")
    assert Party.objects.filter(role="complainant", phone_key__isnull=True).count() == 0
    # Eleven years of timeline, each year in its own partition, none in DEFAULT.
    years = {e.at.year for e in Event.objects.all()}
    if partitions.is_partitioned("cases_event"):
        assert years <= set(partitions.year_partitions("cases_event"))
        assert partitions.rows_in_default("cases_event") == {}


@behind
def test_a_failing_write_stops_the_run_with_its_error_and_nothing_hangs(monkeypatch):
    real = gen.Writer.write
    calls = []

    def write(self, plans):
        calls.append(len(plans))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        real(self, plans)

    monkeypatch.setattr(gen.Writer, "write", write)
    with pytest.raises(RuntimeError, match="disk full"):
        gen.generate(items=100, seed=7, years=1, batch=10)
    assert Case.objects.count() == 10  # the first batch, committed; the second rolled back


@pytest.mark.django_db
def test_inside_a_transaction_the_batches_are_written_in_line_with_the_triggers():
    with transaction.atomic():
        gen.generate(items=15, seed=8, years=1, batch=5)
    assert Case.objects.count() == 15
    assert Party.objects.filter(role="complainant", phone_key__isnull=True).count() == 0
