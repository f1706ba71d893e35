"""What a handling unit reports to 消保股 each month (rules 一.3(3), 二.6): its figures as they stood when
submitted, and the typical cases (典型案例) it picked. A resubmission is a new version; earlier ones stay."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class MonthlySubmission(models.Model):
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="monthly_submissions",
                             verbose_name="填报单位")
    month = models.CharField("统计月份", max_length=7)  # YYYY-MM
    version = models.PositiveIntegerField("版本", default=1)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="上报人")
    submitted_at = models.DateTimeField("上报时间")
    note = models.TextField("说明", blank=True)
    figures = models.JSONField("上报时的统计数据", default=dict)

    class Meta:
        ordering = ["month", "unit__sort", "-version"]
        constraints = [models.UniqueConstraint(fields=["unit", "month", "version"],
                                               name="one_submission_version_per_unit_month")]
        verbose_name = verbose_name_plural = "月度上报"

    def __str__(self) -> str:
        return f"{self.unit} {self.month} 第{self.version}版"


class TypicalCase(models.Model):
    submission = models.ForeignKey(MonthlySubmission, on_delete=models.CASCADE, related_name="typical_cases")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="件")
    write_up = models.TextField("案例简介")

    class Meta:
        ordering = ["submission", "id"]
        constraints = [models.UniqueConstraint(fields=["submission", "case"], name="one_typical_case_per_submission")]
        verbose_name = verbose_name_plural = "典型案例"

    def __str__(self) -> str:
        return f"{self.submission} · {self.case_id}"
