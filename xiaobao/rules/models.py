"""Rules the law sets, as versioned data keyed by legal basis and effective date (DOMAIN.md)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models


class RuleSet(models.Model):
    code = models.SlugField("代码", max_length=40, unique=True)
    family = models.SlugField("体系", max_length=20, help_text="zengdu：本局制度；samr：国家规章")
    name = models.CharField("名称", max_length=120)
    effective_from = models.DateField("施行日期")
    basis = models.TextField("依据")
    # {"clocks": [{"name", "length", "unit", "basis", "tiers"?, "cap"?}], "grounds": {...},
    #  "required": {kind: [field, ...]}, "approval": {...},
    #  "pauses": {reason: {"stops": [clock name, ...], "basis"}}, "cap": {"ground", "basis"}}
    data = models.JSONField("内容")

    class Meta:
        ordering = ["family", "-effective_from"]
        verbose_name = verbose_name_plural = "规则集"

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m-%d}起）"

    @classmethod
    def in_force(cls, on: date, family: str | None = None) -> RuleSet:
        """The rule set of the family that was in force on the given day (an item keeps it for life)."""
        family = family or settings.XIAOBAO_RULE_FAMILY
        return in_force_among(cls.objects.filter(family=family), on, family=family)

    def clock(self, name: str) -> dict | None:
        return next((c for c in self.data["clocks"] if c["name"] == name), None)

    def pause_stops(self) -> dict[str, frozenset[str]]:
        """{pause reason: the clocks it stops} (DOMAIN.md, "Which clocks a pause stops"); a reason the rule set
        does not list stops nothing."""
        return {reason: frozenset(p["stops"]) for reason, p in self.data.get("pauses", {}).items()}

    def cap_ground(self) -> str | None:
        """The termination ground that alone ends mediation past the mediation cap, and not before it."""
        return self.data.get("cap", {}).get("ground")

    def grounds(self, outcome: str) -> list[dict]:
        return self.data["grounds"].get(outcome, [])

    def ground(self, outcome: str, code: str) -> dict | None:
        return next((g for g in self.grounds(outcome) if g["code"] == code), None)

    def required_fields(self, kind: str) -> list[str]:
        return self.data["required"].get(kind, [])

    # A report referred elsewhere by the unit holding it is approved as 不予立案 is: by the bureau's rule it is
    # a report not filed here (rules 二.2).
    APPROVAL_OF = {"referral": "not_filed"}

    def approval(self, kind: str) -> dict | None:
        """The approval of that kind ("routing", "filing", "not_filed", "referral"): who decides, and why."""
        return self.data.get("approval", {}).get(self.APPROVAL_OF.get(kind, kind))

    def approver_role(self, kind: str) -> str:
        """The role that decides an approval of that kind (the rule set names it; "" when it names none)."""
        return (self.approval(kind) or {}).get("role", "")


class Category(models.Model):
    """Subject categories (goods, services, violation types) and the section that owns each (业务管辖)."""

    class Kind(models.TextChoices):
        GOODS = "goods", "商品"
        SERVICE = "service", "服务"
        VIOLATION = "violation", "违法行为"

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    section_code = models.SlugField("主管股室代码", max_length=40, blank=True)
    # Food and drug safety complaints need the deputy director's approval before routing (rules 二.1(2)).
    food_drug_safety = models.BooleanField("食品药品安全", default=False)
    sort = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = verbose_name_plural = "类别"

    def __str__(self) -> str:
        return self.name


def in_force_among(rule_sets, on: date, *, family: str = "") -> RuleSet:
    """Of rule sets already read (one family), the one in force on `on`: the latest that took effect by then,
    or, before any did, the earliest. The one rule behind RuleSet.in_force, the registration cache
    (cases/reference.py) and the 12315 bulk import."""
    ordered = sorted(rule_sets, key=lambda r: (r.effective_from, r.pk))
    if not ordered:
        raise LookupError(f"no rule set of family {family!r}")
    started = [r for r in ordered if r.effective_from <= on]
    return started[-1] if started else ordered[0]
