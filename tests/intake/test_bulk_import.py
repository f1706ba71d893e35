"""The bulk path of the 12315 import gives what the row-by-row path gives (register_case per row), field by
field: items, numbers, parties, timeline events, clocks and the run's totals, errors and notes."""

import io
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from xiaobao.cases import services as case_services
from xiaobao.cases.models import Case, Event, Party
from xiaobao.clocks import services as clock_services
from xiaobao.clocks.models import Clock
from xiaobao.intake import bulk
from xiaobao.intake.importer import import_file
from xiaobao.intake.models import ImportRun
from xiaobao.intake.sample import HEADERS, SAMPLE_PATH, TITLE, rows
from xiaobao.records.models import AuditEntry
from xiaobao.units.models import Staff

pytestmark = pytest.mark.django_db

SKIP = {"id", "created_at", "updated_at", "complainant", "respondent"}


@pytest.fixture(autouse=True)
def _late_november_2026():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def _xlsx(data: list[list]) -> bytes:
    wb = Workbook()
    wb.active.append([TITLE])
    wb.active.append(HEADERS)
    for row in data:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _second_file() -> bytes:
    """The sample a week later: a changed complaint (update), a changed item already in triage (note), a
    changed 类型 (error), a fixed bad row (new item), a new number given twice (second row updates it)."""
    data = [list(r) for r in rows()]
    data[0][9] += "另：商家已停业。"  # row 3, still registered → updated
    data[1][10] = "退货退款并赔偿"  # row 4, moved to triage below → in handling
    data[2][2] = "举报"  # row 5, 类型 changed → error
    data[10][4] = "13972219999"  # row 13, the complaint without a phone, now complete → new
    extra = list(data[4])
    extra[0] = "4213032026112000001"
    data.append(extra)
    twice = list(extra)
    twice[9] = extra[9] + "（补充）"
    data.append(twice)
    return _xlsx(data)


def _item(case: Case) -> dict:
    out = {f.name: getattr(case, f.attname) for f in Case._meta.concrete_fields if f.name not in SKIP}
    for role in ("complainant", "respondent"):
        party = getattr(case, role)
        out[role] = None if party is None else {
            f.name: getattr(party, f.name) for f in Party._meta.concrete_fields if f.name != "id"}
    out["events"] = [(e.action, e.actor_id, e.from_state, e.to_state, e.note, e.data)
                     for e in Event.objects.filter(case=case).order_by("id")]
    out["clocks"] = [(c.name, c.start, c.length, c.unit, c.basis, c.due, c.provisional, c.met_on, c.explanation)
                     for c in Clock.objects.filter(case=case).order_by("name")]
    return out


def _state(run_list: list[ImportRun]) -> dict:
    return {
        "runs": [(r.status, r.total_rows, r.rows_done, r.created, r.updated, r.unchanged, r.failed, r.errors, r.notes)
                 for r in run_list],
        "items": {c.external_id: _item(c) for c in Case.objects.filter(channel="platform_12315")
                  .select_related("complainant", "respondent")},
        "parties": Party.objects.count(),
    }


def _scenario(*, bulk_path: bool) -> dict:
    actor = Staff.objects.get(username="xiaobao")
    first = import_file(actor=actor, file_name="a.xlsx", data=SAMPLE_PATH.read_bytes(), bulk=bulk_path)
    in_triage = Case.objects.get(external_id=rows()[1][0])
    case_services.submit_for_triage(actor=actor, case_id=in_triage.pk)
    second = import_file(actor=actor, file_name="b.xlsx", data=_second_file(), bulk=bulk_path)
    again = import_file(actor=actor, file_name="b.xlsx", data=_second_file(), bulk=bulk_path)
    return _state([first, second, again])


def _in_fresh_state(**kwargs) -> dict:
    with transaction.atomic():
        state = _scenario(**kwargs)
        transaction.set_rollback(True)
    return state


@pytest.mark.parametrize("batch", [1000, 7])
def test_the_bulk_path_gives_exactly_what_the_row_by_row_path_gives(bureau, monkeypatch, batch):
    monkeypatch.setattr(bulk, "BATCH", batch)
    by_row = _in_fresh_state(bulk_path=False)
    assert Case.objects.filter(channel="platform_12315").count() == 0  # rolled back: a fresh state again
    by_batch = _in_fresh_state(bulk_path=True)

    runs = by_batch["runs"]
    # (created, updated, unchanged, failed); the number given twice is updated twice on every import.
    assert [r[3:7] for r in runs] == [(47, 0, 0, 3), (2, 2, 45, 3), (0, 2, 47, 3)]
    assert by_batch["runs"] == by_row["runs"]
    assert by_batch["parties"] == by_row["parties"] == 2 * 49  # an import row always names both (maybe blank)
    assert by_batch["items"].keys() == by_row["items"].keys()
    for external_id, item in by_row["items"].items():
        assert by_batch["items"][external_id] == item, external_id
    # What a user sees: readable per-year numbers in row order, the registration on the timeline.
    first = by_batch["items"][rows()[0][0]]
    assert first["number"] == "TS-2026-000001" and first["amount"] == Decimal("3171.00")
    assert first["events"][0][:5] == ("register", first["registered_by"], "", "registered", "全国12315平台登记，编号 TS-2026-000001")
    assert [e[0] for e in first["events"]] == ["register", "import_update"]
    assert sorted(i["number"] for i in by_batch["items"].values() if i["kind"] == "report")[0] == "JB-2026-000001"


def test_a_batch_of_new_items_is_one_audit_row_listing_them(bureau, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 20)
    before = AuditEntry.objects.count()
    run = import_file(actor=Staff.objects.get(username="xiaobao"), file_name="12315-sample.xlsx",
                      data=SAMPLE_PATH.read_bytes())
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [e.action for e in entries] == ["register"] * 3  # rows 3–22, 23–42, 43–52
    assert [e.object for e in entries] == [f"import_run:{run.pk}"] * 3
    listed = {number for e in entries for _, number, _ in e.detail["cases"]}
    assert listed == set(Case.objects.filter(channel="platform_12315").values_list("number", flat=True))
    assert len(listed) == sum(e.detail["count"] for e in entries) == 47


def test_progress_is_saved_after_every_batch(bureau, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 20)
    seen = []
    import_file(actor=None, file_name="12315-sample.xlsx", data=SAMPLE_PATH.read_bytes(),
                on_progress=lambda run: seen.append(ImportRun.objects.get(pk=run.pk).rows_done))
    assert seen == [20, 40, 50]


def test_a_row_register_case_refuses_gets_its_messages(bureau):
    data = [list(r) for r in rows()[:4]]
    data[0][11] = "-5"  # a negative amount
    data[1][5] = "地" * 300  # an address longer than the column
    data[2][1] = "2026-11-25 10:30"  # half an hour from now
    run = import_file(actor=None, file_name="x.xlsx", data=_xlsx(data))
    assert (run.created, run.failed) == (1, 3)
    assert [(e["row"], e["column"], e["message"]) for e in run.errors] == [
        (3, "涉案金额", "涉案金额应为非负数字，如 1299.00。"), (4, "联系地址", "内容过长（最多 250 个字）。"),
        (5, "登记时间", "接收时间不能晚于现在。")]


def test_clocks_started_at_registration_are_those_clocks_start_computes(bureau, monkeypatch):
    # No clock starts at registration today (rules 二.2); were one to, the bulk path computes it as
    # clocks.services.start does.
    assert bulk.STARTED_AT_REGISTRATION == ()
    names = ("acceptance", "handling", "mediation_cap", "verification")
    monkeypatch.setattr(bulk, "STARTED_AT_REGISTRATION", names)
    import_file(actor=None, file_name="12315-sample.xlsx", data=SAMPLE_PATH.read_bytes())
    fields = ("name", "start", "length", "unit", "basis", "due", "provisional", "met_on", "explanation")
    # The national acceptance period of each complaint starts from its receipt (issue 17, point 6).
    national = Clock.objects.filter(name="national_acceptance").select_related("case")
    assert national.count() == Case.objects.filter(kind="complaint").count() > 0
    assert all(c.start == timezone.localdate(c.case.received_at) for c in national)
    national.delete()
    bulk_clocks = sorted(Clock.objects.values_list("case_id", *fields))
    assert len(bulk_clocks) == 47 * 4
    assert ("acceptance", "2026-12-04") in {(c[1], f"{c[6]:%Y-%m-%d}") for c in bulk_clocks}  # 7 workdays
    Clock.objects.all().delete()
    for case in Case.objects.select_related("rule_set"):
        for name in ("mediation_cap", "acceptance", "handling", "verification"):
            clock_services.start(case, name)
    assert sorted(Clock.objects.values_list("case_id", *fields)) == bulk_clocks


def test_the_reader_thread_hands_on_its_error_and_stops_when_the_import_stops():
    def rows_then_broken():
        yield 1
        yield 2
        raise ValueError("第 3 行读不出来")

    got = []
    with pytest.raises(ValueError, match="第 3 行"):
        for item in bulk.ahead(rows_then_broken()):
            got.append(item)
    assert got == [1, 2]

    produced = []

    def many():
        for i in range(1000):
            produced.append(i)
            yield i

    for item in bulk.ahead(many(), depth=2):
        if item == 3:
            break
    assert len(produced) < 10  # the reader does not run on after the import stopped
