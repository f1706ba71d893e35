"""Issue 16.10 (import): a worker killed mid-import left the run showing 导入中 for ever and its uploaded file —
complainants' names, phones, ID numbers — on the server for ever.

The attack is the kill itself: the file is queued (the worker never runs it, or stops after some batches), and
the clock moves on. Tasks are queued without running here (django-tasks' dummy backend)."""

from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command

from tests.web.test_pages import login
from xiaobao.intake.importer import stored_file
from xiaobao.intake.models import ImportRun
from xiaobao.intake.sample import SAMPLE_PATH
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _queued_never_run(settings, tmp_path):
    settings.TASKS = DUMMY
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.XIAOBAO_IMPORT_INLINE_ROWS = 10  # the sample's 50 rows go to the background


@pytest.fixture(autouse=True)
def _late_november_2026():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


def _queue(page) -> ImportRun:
    with SAMPLE_PATH.open("rb") as f:
        assert page.post("/intake/import/", {"file": f}).status_code == 302
    run = ImportRun.objects.latest("pk")
    assert run.running and stored_file(run.pk).is_file()
    return run


def _killed_after_some_batches(run: ImportRun) -> None:
    ImportRun.objects.filter(pk=run.pk).update(total_rows=50, rows_done=20, created=20,
                                               progress_at=datetime.fromisoformat("2026-11-25T10:01:00+08:00"))


def test_the_cron_job_ends_a_run_whose_worker_was_killed_and_deletes_its_upload(bureau):
    run = _queue(login("xiaobao"))
    _killed_after_some_batches(run)
    with time_machine.travel("2026-11-25 10:05 +0800", tick=False):
        call_command("end_stalled_imports")
    assert ImportRun.objects.get(pk=run.pk).running and stored_file(run.pk).is_file()  # 4 minutes: still alive

    with time_machine.travel("2026-11-25 10:12 +0800", tick=False):
        call_command("end_stalled_imports")
    run.refresh_from_db()
    assert run.status == "failed" and run.finished_at is not None
    assert "已超过 10 分钟没有进展，已中止" in run.message and "上传的文件已删除" in run.message
    assert not stored_file(run.pk).exists()
    entry = AuditEntry.objects.get(action="end_stalled_import")
    assert entry.object == f"import_run:{run.pk}" and entry.detail["rows_done"] == 20


def test_the_import_page_ends_it_too_without_the_cron_job(bureau):
    page = login("xiaobao")
    run = _queue(page)
    with time_machine.travel("2026-11-25 10:11 +0800", tick=False):
        html = page.get("/intake/import/").content.decode()
    assert "导入中" not in html and "导入失败" in html
    assert ImportRun.objects.get(pk=run.pk).status == "failed" and not stored_file(run.pk).exists()


def test_an_upload_left_behind_by_an_ended_run_is_deleted_and_a_running_runs_is_kept(bureau):
    page = login("xiaobao")
    ended, running = _queue(page), _queue(page)
    # Finished, but the process died before it deleted the file; and a file no run owns.
    ImportRun.objects.filter(pk=ended.pk).update(status="done")
    orphan = stored_file(running.pk + 100)
    orphan.write_bytes(b"PK")
    call_command("end_stalled_imports")
    assert not stored_file(ended.pk).exists() and not orphan.exists()
    assert stored_file(running.pk).is_file()


def test_every_ending_deletes_the_upload(bureau, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page = login("xiaobao")
    with SAMPLE_PATH.open("rb") as f:
        page.post("/intake/import/", {"file": f})
    done = ImportRun.objects.get()
    assert done.status == "done" and not stored_file(done.pk).exists()
    assert not list(stored_file(0).parent.glob("*"))
