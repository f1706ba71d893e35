"""并案: items about one matter handled as one, the primary carrying the handling (DOMAIN.md, "The 2026 national
rules"; 《市场监督管理投诉举报处理办法》)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Merge(models.Model):
    """One item joined to a primary item of the same matter. While open, the linked item follows the primary's
    state and unit, takes no action of its own, and is concluded with the primary (its filer keeping their own
    amount and their own reply). Undone (撤销并案) before that, the item goes back to where it stood."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="merges", verbose_name="并入的件")
    into = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="merged_items",
                             verbose_name="主件")
    reason = models.TextField("并案理由")
    # Complaints of different consumers are handled jointly only with their consent: recorded as given.
    consent = models.BooleanField("投诉人同意合并处理", null=True, blank=True)
    merged_at = models.DateTimeField("并案时间")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="并案人")
    # Where the item stood, so that an undo puts it back: its state, unit and handler, and the clocks the merge
    # met (the primary's clocks run for the matter meanwhile; an undo opens these again, their due dates kept).
    before_state = models.CharField(max_length=20)
    before_unit = models.ForeignKey("units.Unit", null=True, on_delete=models.PROTECT, related_name="+")
    before_handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    met_clocks = models.JSONField(default=list, blank=True)
    undone_at = models.DateTimeField("撤销时间", null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name="撤销人")
    undo_reason = models.TextField("撤销理由", blank=True)

    class Meta:
        ordering = ["merged_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(undone_at__isnull=True),
                                    name="one_open_merge_per_item"),
        ]
        indexes = [models.Index(fields=["into", "undone_at"], name="merge_into_open")]
        verbose_name = verbose_name_plural = "并案"

    def __str__(self) -> str:
        return f"{self.case_id} → {self.into_id}"
