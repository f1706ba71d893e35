"""Jurisdiction data (gazetteer) and the routing model learned from the bureau's own past decisions."""

from __future__ import annotations

from django.db import models


class Place(models.Model):
    class Kind(models.TextChoices):
        STREET = "street", "街道"
        TOWN = "town", "镇"
        ZONE = "zone", "开发区"
        ROAD = "road", "道路"
        COMMUNITY = "community", "社区/村"
        MARKET = "market", "市场"
        LANDMARK = "landmark", "地标"

    name = models.CharField("地名", max_length=60, unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    unit_code = models.SlugField("辖区所代码", max_length=40)
    # A road through several subdistricts: the other stations it also runs through (gazetteer.ROADS_ACROSS).
    also_in = models.JSONField("跨越的其他辖区所", default=list, blank=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["unit_code", "name"]
        verbose_name = verbose_name_plural = "地名辖区"

    def __str__(self) -> str:
        return f"{self.name} → {self.unit_code}"

    @property
    def decides_territory(self) -> bool:
        """A named 街道, 镇 or 开发区 settles the territory whatever road is named with it."""
        return self.kind in {self.Kind.STREET, self.Kind.TOWN, self.Kind.ZONE}

    @property
    def unit_codes(self) -> list[str]:
        return [self.unit_code, *(c for c in self.also_in if c != self.unit_code)]


class RoutingModelState(models.Model):
    """A trained routing model: token counts per unit from past routing decisions (see training.py)."""

    trained_at = models.DateTimeField("训练时间", auto_now_add=True)
    samples = models.PositiveIntegerField("样本数")
    data = models.JSONField()

    class Meta:
        ordering = ["-trained_at"]
        verbose_name = verbose_name_plural = "分流模型"

    def __str__(self) -> str:
        return f"{self.trained_at:%Y-%m-%d %H:%M}（{self.samples} 件）"
