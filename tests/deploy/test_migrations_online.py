"""Migrations without downtime (issue 24, point 4): scripts/check_migrations.py refuses a new migration that
would lock or rewrite a big table, and passes the repository's own."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader

from xiaobao.lib.migrating import batched

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("check_migrations", ROOT / "scripts" / "check_migrations.py")
check_migrations = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_migrations)


@pytest.fixture(scope="module")
def loader():
    return MigrationLoader(None, ignore_no_migrations=True)


def problems(loader, *operations, app="cases", atomic=True, name="0019_alter_case_outcome_alter_case_state"):
    # Named as an existing migration so that AlterField compares with the state before it.
    migration = type("Migration", (migrations.Migration,), {"operations": list(operations), "atomic": atomic})(
        name, app)
    return check_migrations.problems_of(migration, loader, connection)


def test_the_repositorys_new_migrations_pass_and_the_baseline_is_recorded():
    out = io.StringIO()
    assert check_migrations.check(out=out) == 0, out.getvalue()
    baseline = check_migrations.read_baseline()
    assert ("cases", "0011_case_routed_at") in baseline and ("stats", "0005_received_covering_index") in baseline


def test_a_new_migration_that_locks_a_big_table_is_refused(loader):
    out = io.StringIO()
    keys = [("cases", "0011_case_routed_at")]
    # Were the routed_at fill new, it would be refused: one UPDATE over every item.
    assert check_migrations.check(keys, baseline=set(), out=out) == 1
    assert "REFUSED cases.0011_case_routed_at: RunSQL changes cases_case" in out.getvalue()


def test_an_index_on_items_must_be_built_concurrently(loader):
    index = models.Index(fields=["received_at", "kind"], name="case_received_kind")
    assert "AddIndex on cases.case" in problems(loader, migrations.AddIndex("case", index))[0]
    assert problems(loader, AddIndexConcurrently("case", index), atomic=False) == []
    # A small table takes a plain index.
    assert problems(loader, migrations.AddIndex("numbersequence", models.Index(fields=["year"], name="n_y"))) == []


def test_raw_index_builds_need_concurrently(loader):
    plain = migrations.RunSQL("CREATE INDEX clock_due ON clocks_clock (due)")
    assert "without CONCURRENTLY" in problems(loader, plain, app="clocks")[0]
    concurrent = migrations.RunSQL("CREATE INDEX CONCURRENTLY IF NOT EXISTS clock_due ON clocks_clock (due)")
    assert problems(loader, concurrent, app="clocks", atomic=False) == []


def test_a_constraint_is_added_not_valid_then_validated(loader):
    at_once = migrations.RunSQL("ALTER TABLE cases_case ADD CONSTRAINT facts_set CHECK (facts <> '')")
    assert "RunSQL changes cases_case" in problems(loader, at_once)[0]
    online = migrations.RunSQL("ALTER TABLE cases_case ADD CONSTRAINT facts_set CHECK (facts <> '') NOT VALID; "
                               "ALTER TABLE cases_case VALIDATE CONSTRAINT facts_set")
    assert problems(loader, online) == []


def test_a_not_null_column_on_a_big_table_is_refused_and_a_nullable_one_passes(loader):
    with_default = migrations.AddField("event", "weight", models.IntegerField(default=0))
    assert "is NOT NULL" in problems(loader, with_default)[0]
    assert problems(loader, migrations.AddField("event", "weight", models.IntegerField(null=True))) == []
    audit = migrations.AddField("auditentry", "origin", models.CharField(max_length=10, default="web"))
    assert "records.auditentry.origin is NOT NULL" in problems(loader, audit, app="records", name="0003_keyed_audit_chain")[0]


def test_a_column_change_is_refused_only_when_the_database_rewrites(loader):
    rewrite = migrations.AlterField("case", "facts", models.CharField(max_length=4000))
    assert "AlterField cases.case.facts changes the column" in problems(loader, rewrite)[0]
    # Labels and choices live in Python only.
    relabel = migrations.AlterField("case", "facts", models.TextField("事实与理由（新标签）"))
    assert problems(loader, relabel) == []


def _fill(apps, schema_editor):
    schema_editor.execute("UPDATE cases_case SET returns_count = 0 WHERE returns_count IS NULL")


@batched
def _fill_in_batches(apps, schema_editor):
    from xiaobao.lib.migrating import update_in_batches

    update_in_batches(schema_editor, "cases_case", "returns_count = 0", "returns_count IS NULL")


def test_a_fill_over_a_big_table_must_be_batched_outside_one_transaction(loader):
    assert "mark it @batched" in problems(loader, migrations.RunPython(_fill))[0]
    assert "mark it @batched" in problems(loader, migrations.RunPython(_fill_in_batches))[0]  # still atomic
    assert problems(loader, migrations.RunPython(_fill_in_batches), atomic=False) == []


def test_a_reviewed_migration_passes_with_its_reason(loader, monkeypatch):
    migration = loader.disk_migrations["cases", "0011_case_routed_at"]
    monkeypatch.setattr(type(migration), "online_review", "在维护窗口执行", raising=False)
    out = io.StringIO()
    assert check_migrations.check([("cases", "0011_case_routed_at")], baseline=set(), out=out) == 0
    assert "reviewed cases.0011_case_routed_at (在维护窗口执行)" in out.getvalue()


@pytest.mark.django_db
def test_update_in_batches_changes_every_matching_row_a_slice_at_a_time(bureau):
    from xiaobao.lib.migrating import update_in_batches
    from xiaobao.units.models import Unit

    total = Unit.objects.count()
    editor = SimpleNamespace(connection=connection)  # all it uses of a schema editor
    changed = update_in_batches(editor, Unit._meta.db_table, "sort = sort + 1000", "active = %s", [True], size=2)
    assert changed == Unit.objects.filter(active=True).count() and total > 2
    assert not Unit.objects.filter(active=True, sort__lt=1000).exists()
