"""Background work of intake (django-tasks): importing a large 12315 export uploaded on the import page.

The page keeps the upload under MEDIA_ROOT/imports/ (private: never served, like attachments) named by the
run's id, and queues import_stored_file with that id (task arguments are JSON). The task imports it with
importer.import_file, which records the progress that the run's page polls and deletes the file when the run
ends. A worker killed mid-way leaves both behind: importer.end_stalled_runs ends such a run and deletes its file."""

from __future__ import annotations

import logging

from django_tasks import task

from xiaobao.lib import timeutil

from . import importer
from .importer import discard_upload, stored_file
from .models import ImportRun

log = logging.getLogger(__name__)


def enqueue_import(run: ImportRun, data: bytes) -> None:
    """Store the upload and queue its import. The run is committed by now (the page is not atomic), so that
    the worker finds it."""
    path = stored_file(run.pk)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        with open(path, "wb") as f:
            f.write(data)
        path.chmod(0o640)
        import_stored_file.enqueue(run_id=run.pk)
    except Exception:
        _fail(run.pk, "无法启动后台导入，请稍后重试或联系系统管理员。")
        raise


@task()
def import_stored_file(*, run_id: int) -> dict:
    """Import the stored upload of the run; returns its totals. A failure marks the run failed (导入失败) with
    a message the page shows, and is raised again so that the task's result records it too."""
    path = stored_file(run_id)
    try:
        run = ImportRun.objects.select_related("started_by").get(pk=run_id)
        if not run.running:
            return {"status": run.status}
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            _fail(run_id, "上传的文件已不在服务器上（可能已被清理），请重新上传。")
            raise
        # import_file marks the run failed itself when the import stops half-way.
        run = importer.import_file(actor=run.started_by, file_name=run.file_name, data=data, run=run)
        return {"status": run.status, "created": run.created, "updated": run.updated,
                "unchanged": run.unchanged, "failed": run.failed}
    except Exception:
        log.exception("12315 import %s failed in the background", run_id)
        _fail(run_id, "后台导入出错，已处理的行已保存；可重新导入同一文件（不会重复登记）。")
        raise
    finally:
        discard_upload(run_id)


def _fail(run_id: int, message: str) -> None:
    """Mark a run that is still running failed (a run import_file already finished keeps its message)."""
    ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.RUNNING).update(
        status=ImportRun.Status.FAILED, message=message, finished_at=timeutil.now())
    discard_upload(run_id)
