"""How well the suggestions match what a dispatcher decides, on a labelled set of items
(tests/data/routing_cases.jsonl): top-1, top-3, and the category read from the facts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from xiaobao.cases.models import Case, Party

from .suggest import Context, suggest

# The label of items outside the district's power: the dispatcher tells the person where to go (告知他部门,
# rules 二.2 last paragraph); a suggestion whose reason says so is right.
REFER = "refer"
REFER_MARK = "告知他部门"


@dataclass
class Labelled:
    id: int
    case: Case
    unit: str
    category: str


@dataclass
class Score:
    items: int = 0
    top1: int = 0
    top3: int = 0
    category_guessed: int = 0
    category_right: int = 0
    misses: list[str] = field(default_factory=list)

    def rate(self, hits: int) -> float:
        return hits / self.items if self.items else 0.0


def labelled_cases(path: Path) -> list[Labelled]:
    """The set's items as unsaved Case objects: suggestions read an item, they never need it stored."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        case = Case(kind=row["kind"], channel="phone", facts=row["facts"], category=row.get("category", ""))
        case.respondent = Party(role=Party.Role.RESPONDENT, **row["respondent"])
        case.complainant = Party(role=Party.Role.COMPLAINANT, address=row.get("complainant_address", ""))
        out.append(Labelled(row["id"], case, row["unit"], row.get("category_truth", "")))
    return out


def _hit(expected: str, unit: str, reason: str) -> bool:
    return REFER_MARK in reason if expected == REFER else unit == expected


def score(items: list[Labelled], context: Context | None = None) -> Score:
    ctx = context or Context.load()
    result = Score()
    for item in items:
        suggestions = suggest(item.case, context=ctx)
        result.items += 1
        if suggestions and _hit(item.unit, suggestions[0].unit, suggestions[0].reason):
            result.top1 += 1
        else:
            got = f"{suggestions[0].unit}：{suggestions[0].reason}" if suggestions else "—"
            result.misses.append(f"#{item.id} 应为 {item.unit}，建议 {got}")
        if any(_hit(item.unit, s.unit, s.reason) for s in suggestions[:3]):
            result.top3 += 1
        guessed = getattr(suggestions[0], "category", "") if suggestions else ""
        if guessed:
            result.category_guessed += 1
            result.category_right += guessed == item.category
    return result
