"""Issue 24, point 3: the timeline and the audit trail by year on PostgreSQL — partitions, the online conversion of
a populated table, and a year detached to archive storage and attached again while the audit chain still verifies."""

import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Q

from tests.conftest import complaint_body
from xiaobao.cases import history
from xiaobao.cases.models import Case, Event
from xiaobao.lib import partitions, timeutil
from xiaobao.records import checkpoints
from xiaobao.records.audit import record, verify
from xiaobao.records.models import ArchivedYear, AuditEntry
from xiaobao.units.models import Staff

BEIJING = ZoneInfo("Asia/Shanghai")
ON_PG = connection.vendor == "postgresql"
needs_pg = pytest.mark.skipif(not ON_PG, reason="按年分区只在 PostgreSQL 上：SQLite 的两张表不分区")
# Detaching and converting run DDL in transactions of their own, as the commands do in production.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _sql(statement: str, params=()) -> list:
    with connection.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall() if cur.description else []


def _where(table: str, ids: list[int]) -> list[str]:
    """The partition each row lies in, in the order of `ids`."""
    found = dict(_sql(f"SELECT id, tableoid::regclass::text FROM {table} WHERE id = ANY(%s)", [ids]))  # noqa: S608
    return [found[i] for i in ids]


def _moment(year: int, month: int = 6, day: int = 15) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=BEIJING)


def _history(case_id: int, years: list[int]) -> tuple[list[int], list[int]]:
    """A line of the item's timeline and an audit row in each year, written as the services write them."""
    clerk = Staff.objects.get(username="xiaobao")
    events, audits = [], []
    for year in years:
        with timeutil.at(_moment(year)):
            events.append(Event.objects.create(case_id=case_id, at=timeutil.now(), actor=clerk, action="note",
                                               note=f"{year} 年的记录").pk)
            audits.append(record(actor=clerk, action="read_personal", obj=f"case:{case_id}", case_id=case_id,
                                 detail={"year": year}).pk)
    return events, audits


@pytest.fixture
def item(api):
    return api("xiaobao").post("/api/v1/cases", complaint_body()).json()


# --- SQLite ---------------------------------------------------------------------------------------------------

@pytest.mark.skipif(ON_PG, reason="说的是 SQLite 上的情形")
@pytest.mark.django_db
@pytest.mark.parametrize("argv", [["partition_history"], ["history_year", "status"],
                                  ["history_year", "detach", "2019", "--to", "archive"]])
def test_on_sqlite_the_commands_say_partitioning_is_for_postgresql_only(argv):
    with pytest.raises(CommandError, match="按年分区只用于 PostgreSQL"):
        call_command(*argv)


@pytest.mark.skipif(ON_PG, reason="说的是 SQLite 上的情形")
@pytest.mark.django_db
def test_on_sqlite_the_daily_job_says_so_and_succeeds(capsys):
    call_command("history_year", "ensure")
    assert "按年分区只用于 PostgreSQL" in capsys.readouterr().out


# --- Partitions -----------------------------------------------------------------------------------------------

@needs_pg
@pytest.mark.django_db
def test_both_tables_are_partitioned_by_year_with_a_default_partition():
    for table in partitions.HISTORY_TABLES:
        assert _sql("SELECT pg_get_partkeydef(%s::regclass)", [table]) == [("RANGE (at)",)]
        children = {name for (name,) in _sql("SELECT inhrelid::regclass::text FROM pg_inherits "
                                              "WHERE inhparent = %s::regclass", [table])}
        year = partitions.current_year()
        assert {f"{table}_default", f"{table}_y{year}", f"{table}_y{year + 1}"} <= children
        # The primary key holds the partition key; Django's pk is still `id`, from the identity.
        assert _sql("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s", [f"{table}_pkey"]) \
            == [("PRIMARY KEY (id, at)",)]
    # The statistics' indexes on the timeline are there, partitioned.
    names = {n for (n,) in _sql("SELECT indexname FROM pg_indexes WHERE tablename = 'cases_event'")}
    assert {"stats_event_moves", "stats_event_returned_case", "stats_event_case_at", "stats_event_to_state_at",
            "stats_event_action_at"} <= names


@needs_pg
def test_rows_of_several_years_land_in_their_partitions_and_the_pages_read_across_them(api, item):
    partitions.ensure_years([2022, 2023])
    events, audits = _history(item["id"], [2021, 2022, 2023])
    assert _where("cases_event", events) == ["cases_event_default", "cases_event_y2022",
                                                           "cases_event_y2023"]
    assert _where("records_auditentry", audits) == ["records_auditentry_default",
                                                                  "records_auditentry_y2022",
                                                                  "records_auditentry_y2023"]
    # 2021 went to DEFAULT; making its partition moves the rows there.
    assert partitions.rows_in_default("cases_event") == {2021: 1}
    assert partitions.ensure_years([2021]) == ["cases_event_y2021", "records_auditentry_y2021"]
    assert _where("cases_event", events)[0] == "cases_event_y2021"
    assert partitions.rows_in_default("records_auditentry") == {}

    # The item's timeline shows the lines of every year, in time order; the auditor reads every year's rows.
    notes = [e["note"] for e in api("xiaobao").get(f"/api/v1/cases/{item['id']}").json()["events"]]
    assert [n for n in notes if n.endswith("年的记录")] == ["2021 年的记录", "2022 年的记录", "2023 年的记录"]
    rows = api("auditor").get("/api/v1/audit", case=item["id"]).json()["results"]
    assert {r["detail"].get("year") for r in rows} >= {2021, 2022, 2023}
    assert verify(checkpoints.read())["ok"]


@needs_pg
@pytest.mark.django_db
def test_ensure_makes_this_year_and_the_next_and_says_when_all_are_there():
    call_command("history_year", "ensure")
    year = partitions.current_year()
    assert {year, year + 1} <= set(partitions.year_partitions("records_auditentry"))


# --- The online conversion ------------------------------------------------------------------------------------

@needs_pg
@transactional
def test_the_online_conversion_keeps_every_row_and_the_chain(api, item, capsys):
    _history(item["id"], [2019, 2020, 2024])
    before = {t: _sql(f"SELECT * FROM {t} ORDER BY id") for t in partitions.HISTORY_TABLES}  # noqa: S608
    for table in partitions.HISTORY_TABLES:
        partitions.unpartition(table)
        assert not partitions.is_partitioned(table)
    call_command("checkpoint_audit")
    try:
        call_command("partition_history", "--batch", "3")
        out = capsys.readouterr().out
        assert "cases_event 已转换为按年分区" in out and "records_auditentry 已转换为按年分区" in out
        for table in partitions.HISTORY_TABLES:
            assert partitions.is_partitioned(table)
            assert {2019, 2020, 2024} <= set(partitions.year_partitions(table))
            assert _sql(f"SELECT * FROM {table} ORDER BY id") == before[table]  # noqa: S608
        call_command("verify_audit")
        # New rows go on from the old identity: ids stay unique and increasing, the chain goes on.
        last = AuditEntry.objects.order_by("-id").first()
        row = record(actor=None, action="read_audit", obj="audit")
        assert row.pk > last.pk and row.prev_hash == last.hash
        call_command("verify_audit")
        call_command("partition_history")
        assert "已按年分区" in capsys.readouterr().out
    finally:
        call_command("partition_history")  # a failed assertion must not leave the tables unpartitioned


@needs_pg
@transactional
def test_writes_during_the_copy_are_replayed_before_the_swap(api, item):
    """What the change log is for: rows inserted, changed and deleted after the copy began."""
    events, _ = _history(item["id"], [2020, 2021, 2022])
    partitions.unpartition("cases_event")
    try:
        copied = []

        def meanwhile(line):
            if "已复制" in line and not copied:
                copied.append(line)
                Event.objects.filter(pk=events[0]).update(note="改过")
                Event.objects.filter(pk=events[1]).delete()
                copied.append(Event.objects.create(case_id=item["id"], at=_moment(2022), action="note").pk)

        partitions.convert("cases_event", batch=1, report=meanwhile)
        assert partitions.is_partitioned("cases_event")
        assert Event.objects.get(pk=events[0]).note == "改过"
        assert not Event.objects.filter(pk=events[1]).exists()
        assert Event.objects.filter(pk=copied[1]).exists()
    finally:
        if not partitions.is_partitioned("cases_event"):
            partitions.convert("cases_event")


# --- Detaching and attaching a year ---------------------------------------------------------------------------

@needs_pg
@transactional
def test_a_year_detached_to_archive_storage_verifies_as_archived_and_comes_back(api, item, tmp_path, capsys):
    partitions.ensure_years([2022, 2023])
    _history(item["id"], [2022, 2023])
    _, audits = _history(item["id"], [2022, 2023, 2024])
    call_command("checkpoint_audit")
    archived_rows = sorted(_sql("SELECT * FROM records_auditentry_y2023 ORDER BY id"))

    with pytest.raises(CommandError, match="本年度或以后"):
        call_command("history_year", "detach", str(partitions.current_year()), "--to", str(tmp_path))
    with pytest.raises(CommandError, match="涉及 1 件尚未办结"):
        call_command("history_year", "detach", "2023", "--to", str(tmp_path))
    Case.objects.filter(pk=item["id"]).update(state="archived")

    call_command("history_year", "detach", "2023", "--to", str(tmp_path))
    assert "2023 年已卸下" in capsys.readouterr().out
    assert 2023 not in partitions.year_partitions("records_auditentry")
    assert not partitions.exists("records_auditentry_y2023") and not partitions.exists("cases_event_y2023")
    manifest = json.loads((tmp_path / "2023" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["records_auditentry"]["rows"] == 2
    assert manifest["tables"]["cases_event"]["rows"] == 2
    assert manifest["audit"]["first_prev_hash"] and manifest["audit"]["last_hash"]
    assert all(len(t["sha256"]) == 64 for t in manifest["tables"].values())
    # The detachment is in the trail, the table of archived years and the checkpoint file outside the database.
    assert AuditEntry.objects.filter(action="history_detach", object="history:2023").exists()
    assert ArchivedYear.objects.get(year=2023).detached
    assert [(m.kind, m.year) for m in checkpoints.read_years()] == [("archived", 2023)]

    # The chain verifies: the missing rows are 2023's, archived, not cut out.
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "审计链完好" in out and "2023 年的 2 行已卸下归档" in out
    assert Event.objects.filter(case_id=item["id"], at__year=2023).count() == 0

    # A row deleted from a year still in the database is still found.
    victim = audits[2]  # 2024's
    kept = _sql("SELECT * FROM records_auditentry WHERE id = %s", [victim])
    _sql("DELETE FROM records_auditentry WHERE id = %s", [victim])
    with pytest.raises(CommandError, match="不衔接"):
        call_command("verify_audit")
    cols = ", ".join(partitions.columns("records_auditentry"))
    _sql(f"INSERT INTO records_auditentry ({cols}) VALUES ({', '.join(['%s'] * len(kept[0]))})",  # noqa: S608
         list(kept[0]))
    call_command("verify_audit")

    # Attaching checks the manifest, restores both tables and the chain verifies with everything.
    call_command("history_year", "attach", "2023", "--from", str(tmp_path))
    assert "2023 年已接入，审计链完好" in capsys.readouterr().out
    assert 2023 in partitions.year_partitions("cases_event")
    assert sorted(_sql("SELECT * FROM records_auditentry_y2023 ORDER BY id")) == archived_rows
    assert Event.objects.filter(case_id=item["id"], at__year=2023).count() == 2
    assert AuditEntry.objects.filter(action="history_attach", object="history:2023").exists()
    assert [(m.kind, m.year) for m in checkpoints.read_years()] == [("archived", 2023), ("restored", 2023)]
    result = verify(checkpoints.read(), checkpoints.read_years())
    assert result["ok"] and result["archived_years"] == []

    # Once back, the year's rows are no longer excused: deleting them is a break.
    _sql("DELETE FROM records_auditentry WHERE id = %s", [audits[1]])
    with pytest.raises(CommandError, match="不衔接"):
        call_command("verify_audit")


@needs_pg
@transactional
def test_a_truncated_tail_is_still_found_with_a_year_detached(api, item, tmp_path):
    partitions.ensure_years([2022])
    _history(item["id"], [2022, 2022, 2024, 2025])
    Case.objects.filter(pk=item["id"]).update(state="archived")
    call_command("checkpoint_audit")
    try:
        call_command("history_year", "detach", "2022", "--to", str(tmp_path))
        call_command("checkpoint_audit")
        last = AuditEntry.objects.order_by("-id").first()
        _sql("DELETE FROM records_auditentry WHERE id = %s", [last.pk])
        with pytest.raises(CommandError, match="末尾被截断"):
            call_command("verify_audit")
    finally:
        if 2022 not in partitions.year_partitions("records_auditentry"):
            history.attach(2022, tmp_path)


@needs_pg
@transactional
def test_an_archive_whose_file_was_changed_is_not_attached(api, item, tmp_path):
    partitions.ensure_years([2022])
    _history(item["id"], [2022])
    Case.objects.filter(pk=item["id"]).update(state="archived")
    call_command("history_year", "detach", "2022", "--to", str(tmp_path))
    target = tmp_path / "2022" / "records_auditentry.csv.gz"
    good = target.read_bytes()
    try:
        target.write_bytes(good[:-1] + bytes([good[-1] ^ 1]))
        with pytest.raises(CommandError, match="SHA-256 与清单不符"):
            call_command("history_year", "attach", "2022", "--from", str(tmp_path))
        assert 2022 not in partitions.year_partitions("records_auditentry")
    finally:
        target.write_bytes(good)
        call_command("history_year", "attach", "2022", "--from", str(tmp_path / "2022"))
    call_command("verify_audit")


@pytest.mark.django_db
def test_a_row_typed_into_the_table_of_archived_years_excuses_nothing(api, item):
    """Without the audit key, a record claiming a year was archived does not hide deleted rows."""
    _, audits = _history(item["id"], [2024, 2024, 2024])
    victim = AuditEntry.objects.get(pk=audits[1])
    ArchivedYear.objects.create(year=2019, detached_at=timeutil.now(), mac="0" * 64,
                                segments=[[victim.pk, victim.pk, 1, victim.prev_hash, victim.hash]])
    _sql("DELETE FROM records_auditentry WHERE id = %s", [victim.pk])
    with pytest.raises(CommandError, match="不衔接"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_verify_steps_over_the_runs_of_a_sealed_archived_year_and_nothing_else(api, item):
    """The verifier's part on either database: rows gone with a sealed record of their year are archived; the
    count and the checkpoints still hold; a row gone beside them is not excused."""
    _, audits = _history(item["id"], [2021, 2022, 2021, 2024])
    call_command("checkpoint_audit")
    rows = {a: AuditEntry.objects.get(pk=a) for a in audits}
    year = ArchivedYear(year=2021, detached_at=timeutil.now(),
                        segments=[[a, a, 1, rows[a].prev_hash, rows[a].hash] for a in (audits[0], audits[2])])
    year.seal()
    year.save()
    total = AuditEntry.objects.count()
    _sql("DELETE FROM records_auditentry WHERE id IN (%s, %s)", [audits[0], audits[2]])
    result = verify(checkpoints.read(), checkpoints.read_years())
    assert result == {"ok": True, "rows": total, "archived_years": [2021], "archived_rows": 2}
    # Re-attached (a `restored` line in the file outside the database), the year excuses nothing any more.
    checkpoints.append(checkpoints.YearMark("restored", 2021, "2026-12-07T10:00:00+08:00", []))
    assert verify(checkpoints.read(), checkpoints.read_years())["ok"] is False
    checkpoints.append(checkpoints.YearMark("archived", 2021, "2026-12-07T10:01:00+08:00", year.segments))
    assert verify(checkpoints.read(), checkpoints.read_years())["ok"] is True
    _sql("DELETE FROM records_auditentry WHERE id = %s", [audits[1]])
    result = verify(checkpoints.read(), checkpoints.read_years())
    assert result["ok"] is False and "不衔接" in result["reason"]


@needs_pg
@transactional
def test_a_detachment_stopped_before_the_drop_is_taken_up_again(api, item, tmp_path, monkeypatch):
    partitions.ensure_years([2022])
    _history(item["id"], [2022, 2022])
    Case.objects.filter(pk=item["id"]).update(state="archived")

    def fail(name):
        raise OSError("停电")

    with monkeypatch.context() as m:
        m.setattr(partitions, "drop", fail)
        with pytest.raises(OSError):
            call_command("history_year", "detach", "2022", "--to", str(tmp_path))
    # Detached, written and recorded, not yet dropped: the chain verifies as archived meanwhile.
    assert partitions.exists("records_auditentry_y2022") and not partitions.is_attached("records_auditentry_y2022")
    call_command("verify_audit")
    with pytest.raises(CommandError, match="同一存放位置"):
        call_command("history_year", "detach", "2022", "--to", str(tmp_path / "elsewhere"))
    call_command("history_year", "detach", "2022", "--to", str(tmp_path))
    assert not partitions.exists("records_auditentry_y2022")
    call_command("verify_audit")
    call_command("history_year", "attach", "2022", "--from", str(tmp_path))
    assert AuditEntry.objects.filter(action="history_detach").count() == 1


@needs_pg
@pytest.mark.django_db
@time_machine.travel("2026-12-07 10:00 +0800", tick=False)  # the same generated items on every run
def test_who_held_an_item_is_looked_up_in_the_years_from_its_receipt_with_the_same_figures(bureau, monkeypatch):
    """The monthly figures' lookup of the unit holding each item (stats.queries._holder) is bounded below by the
    item's receipt, so PostgreSQL skips the earlier years' partitions as it runs; the figures do not change."""
    from xiaobao.demo.generate import generate
    from xiaobao.stats import queries
    from xiaobao.stats.periods import Month

    generate(items=120, seed=11, years=4, batch=40)
    latest = Case.objects.order_by("-received_at").first().received_at.astimezone(BEIJING)
    month = Month(latest.year, latest.month)
    office = queries.office_code()
    year_of = re.compile(r"on cases_event_y(\d{4})")
    for qs in (queries._received(month, office), queries._open_at_end(month, office)):  # holder; state at the end
        plan = qs.explain(analyze=True)
        older = [line for line in plan.splitlines() if (m := year_of.search(line)) and int(m[1]) < latest.year - 1]
        assert older and all("never executed" in line for line in older), plan
    bounded = queries.monthly_figures(month)
    monkeypatch.setattr(queries, "_since_receipt", lambda prefix="": Q())
    assert queries.monthly_figures(month) == bounded
