"""Archive (归档, rules 二.7): concluded items classified, numbered and kept for a retention period."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Retention(models.Model):
    """A retention period with its basis. Data, loaded by a migration; administrators may change it."""

    code = models.SlugField("代码", max_length=20, unique=True)
    label = models.CharField("保管期限", max_length=20)
    years = models.PositiveIntegerField("年限", null=True, blank=True, help_text="空表示永久保存")
    basis = models.TextField("依据")
    # Kinds of item ("complaint", "report", "inquiry") that get this period unless the archivist chooses another.
    default_for = models.JSONField("默认适用", default=list, blank=True)
    sort = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = verbose_name_plural = "保管期限"

    def __str__(self) -> str:
        return self.label


class ArchiveRecord(models.Model):
    """One archived item: its archive number (e.g. 2026-TS-0001), class, retention and where the paper is."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="archive_record",
                                verbose_name="件")
    number = models.CharField("档号", max_length=30, unique=True)
    classification = models.CharField("分类", max_length=40)
    retention = models.ForeignKey(Retention, on_delete=models.PROTECT, related_name="+", verbose_name="保管期限")
    location = models.CharField("存放位置（盒号、卷号）", max_length=120, blank=True)
    note = models.TextField("说明", blank=True)
    archived_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="归档人")
    archived_at = models.DateTimeField("归档时间")

    class Meta:
        ordering = ["-archived_at", "-id"]
        verbose_name = verbose_name_plural = "归档记录"

    def __str__(self) -> str:
        return self.number

    @property
    def classification_label(self) -> str:
        from .classification import label

        return label(self.classification)
