"""A large 12315 export goes to a background task (django-tasks): the page stores the upload and queues its
import, the run's page shows the progress and the outcome, the stored file is deleted after. The tests run
tasks inline (tests/conftest.py); outside the tests the database queue is the default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django_tasks import default_task_backend

from tests.web.test_pages import login
from xiaobao.cases.models import Case
from xiaobao.intake import bulk
from xiaobao.intake.models import ImportRun
from xiaobao.intake.sample import SAMPLE_PATH
from xiaobao.intake.tasks import import_stored_file, stored_file

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _late_november_2026():
    with time_machine.travel("2026-11-25 10:00 +0800", tick=False):
        yield


@pytest.fixture
def large(settings):
    # The sample's 50 rows count as a large file.
    settings.XIAOBAO_IMPORT_INLINE_ROWS = 10


def _upload(page, path: Path = SAMPLE_PATH) -> ImportRun:
    with path.open("rb") as f:
        r = page.post("/intake/import/", {"file": f})
    assert r.status_code == 302
    run = ImportRun.objects.get()
    assert r["Location"] == f"/intake/import/{run.pk}/"
    return run


def test_a_large_file_is_imported_by_the_background_task_and_its_page_shows_the_totals(bureau, large):
    page = login("xiaobao")
    run = _upload(page)
    html = page.get(f"/intake/import/{run.pk}/").content.decode()
    assert "已完成" in html and 'data-total="created">47<' in html and 'data-total="failed">3<' in html
    assert "已处理 <span class=\"count\">50</span> / 50 行" in html
    assert 'hx-trigger="every 1s"' not in html
    assert Case.objects.filter(channel="platform_12315").count() == 47
    assert not stored_file(run.pk).exists()


def test_the_page_queues_the_import_and_shows_it_waiting_until_the_worker_runs_it(bureau, large, settings):
    settings.TASKS = DUMMY
    page = login("xiaobao")
    run = _upload(page)
    queued = default_task_backend.results
    assert [r.task for r in queued] == [import_stored_file] and queued[0].kwargs == {"run_id": run.pk}
    assert stored_file(run.pk).read_bytes() == SAMPLE_PATH.read_bytes()
    assert stored_file(run.pk).is_relative_to(settings.MEDIA_ROOT)
    html = page.get(f"/intake/import/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "导入中" in html and "等待后台导入开始" in html and 'hx-trigger="every 1s"' in html
    assert Case.objects.filter(channel="platform_12315").count() == 0

    # What `manage.py db_worker` does with the queued task:
    assert import_stored_file.call(**queued[0].kwargs)["created"] == 47
    html = page.get(f"/intake/import/{run.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "已完成" in html and 'data-total="created">47<' in html and "等待后台导入开始" not in html
    assert not stored_file(run.pk).exists()


def test_a_small_file_is_still_imported_in_the_request_and_read_once(bureau, settings, monkeypatch):
    from xiaobao.intake import importer

    reads = []
    real = importer.read_table
    monkeypatch.setattr(importer, "read_table", lambda data, *a, **k: reads.append(len(data)) or real(data, *a, **k))
    settings.TASKS = DUMMY
    run = _upload(login("xiaobao"))
    assert default_task_backend.results == []
    run.refresh_from_db()
    assert run.status == "done" and run.created == 47
    assert len(reads) == 1  # counted and imported from the same reading


def test_a_file_that_is_not_an_export_fails_its_run_with_a_message(bureau):
    page = login("xiaobao")
    r = page.post("/intake/import/", {"file": _named(b"not a spreadsheet", "x.xlsx")})
    run = ImportRun.objects.get()
    assert r.status_code == 302 and run.status == "failed" and run.message
    assert run.message in page.get(f"/intake/import/{run.pk}/").content.decode()


def _named(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_task_that_fails_shows_the_run_failed_with_the_message(bureau, large, monkeypatch):
    def broken(self, on_batch):
        raise RuntimeError("disk full")

    monkeypatch.setattr(bulk.Importer, "run_all", broken)
    page = login("xiaobao")
    run = _upload(page)
    html = page.get(f"/intake/import/{run.pk}/").content.decode()
    assert "导入失败" in html and 'role="alert">导入中途出错，已处理的行已保存；可修正后重新导入（不会重复登记）。' in html
    assert 'hx-trigger="every 1s"' not in html
    assert not stored_file(run.pk).exists()


def test_a_task_whose_file_is_gone_fails_the_run_with_a_message(bureau, large, settings):
    settings.TASKS = DUMMY
    page = login("xiaobao")
    run = _upload(page)
    stored_file(run.pk).unlink()
    with pytest.raises(FileNotFoundError):
        import_stored_file.call(run_id=run.pk)
    html = page.get(f"/intake/import/{run.pk}/").content.decode()
    assert "导入失败" in html and "上传的文件已不在服务器上（可能已被清理），请重新上传。" in html


def test_the_database_queue_is_the_default_outside_the_tests():
    def backend(**env: str) -> str:
        environ = {k: v for k, v in os.environ.items() if k != "XIAOBAO_TASKS_BACKEND"} | env
        code = ("import django; django.setup(); from django_tasks import task_backends; "
                "b = task_backends['default']; print(type(b).__module__ + '.' + type(b).__name__)")
        environ["DJANGO_SETTINGS_MODULE"] = "xiaobao.settings"
        out = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True,  # noqa: S603
                             check=True, cwd=Path(__file__).resolve().parents[2])
        return out.stdout.strip()

    assert backend() == "django_tasks_db.backend.DatabaseBackend"
    assert backend(XIAOBAO_TASKS_BACKEND="immediate") == "django_tasks.backends.immediate.ImmediateBackend"


def test_a_run_that_stops_moving_is_ended_with_how_to_finish_it(bureau, large, settings):
    settings.TASKS = DUMMY  # queued, never run: as if the worker had been stopped
    page = login("xiaobao")
    run = _upload(page)
    html = page.get(f"/intake/import/{run.pk}/").content.decode()
    assert "导入中" in html and "已中止" not in html
    # A batch written two minutes before (the worker is alive, a big file): not cut short.
    from datetime import datetime

    ImportRun.objects.filter(pk=run.pk).update(progress_at=datetime.fromisoformat("2026-11-25T10:09:00+08:00"))
    with time_machine.travel("2026-11-25 10:11 +0800", tick=False):
        assert "已中止" not in page.get(f"/intake/import/{run.pk}/").content.decode()
    # Ten minutes without a batch: the run is over, and the page says how to finish the import.
    with time_machine.travel("2026-11-25 10:20 +0800", tick=False):
        html = page.get(f"/intake/import/{run.pk}/").content.decode()
    assert "导入失败" in html and "已超过 10 分钟没有进展，已中止" in html and "重新导入同一文件即可补完" in html
    assert 'hx-trigger="every 1s"' not in html
    # The worker, back, finds the run ended and leaves it so.
    assert import_stored_file.call(run_id=run.pk) == {"status": "failed"}


def test_what_the_import_writes_with_each_batch_is_its_progress(bureau, large, settings):
    settings.TASKS = DUMMY
    run = _upload(login("xiaobao"))
    with time_machine.travel("2026-11-25 10:12 +0800", tick=False):
        import_stored_file.call(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == "done" and f"{run.progress_at:%H:%M}" == "02:12"  # UTC
