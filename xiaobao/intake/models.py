"""Intake: files attached to an item, and runs of the 12315 platform import."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models

STAFF = settings.AUTH_USER_MODEL


class Attachment(models.Model):
    """A file kept with an item (evidence, receipts, recordings). The file lives under MEDIA_ROOT, which no
    static handler serves; it is read only through the download view, which checks visibility."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="attachments")
    # Relative to MEDIA_ROOT: attachments/<yyyy>/<random>, never derived from the uploaded name.
    path = models.CharField(max_length=200, unique=True)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(STAFF, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = verbose_name_plural = "附件"

    def __str__(self) -> str:
        return self.name

    @property
    def full_path(self) -> Path:
        return Path(settings.MEDIA_ROOT) / self.path


# A batch of 1,000 rows takes seconds; ten minutes without progress means the import is no longer running.
class ImportRun(models.Model):
    """One import of a 12315 platform export: progress while it runs, totals and per-row errors after."""

    class Status(models.TextChoices):
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "导入失败"

    file_name = models.CharField("文件名", max_length=200)
    started_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.RUNNING)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    rows_done = models.PositiveIntegerField("已处理", default=0)
    created = models.PositiveIntegerField("新登记", default=0)
    updated = models.PositiveIntegerField("已更新", default=0)
    unchanged = models.PositiveIntegerField("未变化", default=0)
    failed = models.PositiveIntegerField("失败", default=0)
    # [{"row": 7, "field": "complainant.phone", "column": "联系电话", "message": "..."}]
    errors = models.JSONField("错误", default=list, blank=True)
    # Rows whose item is already past registration: [{"row": 9, "number": "TS-...", "message": "..."}]
    notes = models.JSONField("说明", default=list, blank=True)
    message = models.TextField("整体错误", blank=True)
    # Written with every batch's progress: a run that stops moving was cut short (a restarted worker).
    progress_at = models.DateTimeField("最近进展", null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = verbose_name_plural = "12315平台导入"

    def __str__(self) -> str:
        return f"{self.file_name} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def running(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def stalled(self) -> bool:
        """Running, but nothing has moved for a while (timeutil.STALLED_AFTER): the worker was stopped or
        restarted mid-import."""
        from xiaobao.lib import timeutil

        return self.running and timeutil.stalled(self.progress_at or self.started_at)

    @property
    def percent(self) -> int:
        return int(100 * self.rows_done / self.total_rows) if self.total_rows else (0 if self.running else 100)
