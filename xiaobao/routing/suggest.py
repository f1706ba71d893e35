"""Routing suggestions: jurisdiction rules first (属地管辖 by address, 业务管辖 by category), then what the
bureau itself decided for similar items before. Works with no history at all."""

from __future__ import annotations

from dataclasses import dataclass

from xiaobao.cases.models import Case, Kind
from xiaobao.rules.models import Category
from xiaobao.units.models import Unit, UnitKind

from .models import Place, RoutingModelState
from .training import case_tokens, predict

# Categories whose respondents are online sellers, routed by domicile.
ONLINE_CATEGORIES = frozenset({"online_shopping"})
# How much the learned model weighs against the rules: much when the rules are unsure, little otherwise.
MODEL_WEIGHT = 0.6
MODEL_WEIGHT_WHEN_RULES_SURE = 0.15


@dataclass
class Suggestion:
    unit: str
    reason: str
    confidence: float


def _place_in(address: str, places: list[Place]) -> Place | None:
    for place in places:
        if place.name in address:
            return place
    return None


@dataclass
class Context:
    """What every suggestion reads, loaded once for a whole triage queue."""

    units: dict[str, Unit]
    places: list[Place]
    categories: dict[str, Category]
    model: dict | None

    @classmethod
    def load(cls) -> Context:
        state = RoutingModelState.objects.first()
        return cls(
            units={u.code: u for u in Unit.objects.filter(active=True)},
            # Longest name first, so "南郊农贸市场" wins over "南郊" when both could match.
            places=sorted(Place.objects.filter(active=True), key=lambda p: -len(p.name)),
            categories={c.code: c for c in Category.objects.all()},
            model=state.data if state else None,
        )


def suggest(case: Case, *, limit: int = 3, context: Context | None = None) -> list[Suggestion]:
    ctx = context or Context.load()
    units, places = ctx.units, ctx.places
    scores: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}

    def add(code: str, score: float, reason: str) -> None:
        if code in units and units[code].handles_items:
            scores[code] = min(1.0, scores.get(code, 0.0) + score)
            reasons.setdefault(code, []).append(reason)

    respondent_address = case.respondent.address if case.respondent else ""
    place = _place_in(respondent_address, places)
    # Complaints are mediated where the business trades (属地); a report's violation type decides the
    # section that owns it (业务管辖) first.
    territorial = 0.85 if case.kind == Kind.COMPLAINT else 0.4
    # Online sellers are under the bureau where they are domiciled, not where the buyer lives (属地管辖:
    # 网络交易经营者按住所地); the respondent's recorded address is taken as that domicile.
    online = case.category in ONLINE_CATEGORIES
    where = "住所地" if online else "地址"
    if place:
        add(place.unit_code, territorial,
            f"被投诉举报人{where}含“{place.name}” → {units.get(place.unit_code, place.unit_code)}")

    elif case.complainant and (p := _place_in(case.complainant.address or "", places)):
        add(p.unit_code, 0.3, f"经营地址未能识别，投诉举报人地址含“{p.name}” → {units.get(p.unit_code, p.unit_code)}")
    category = ctx.categories.get(case.category) if case.category else None
    if category and category.section_code:
        business = 0.7 if case.kind == Kind.REPORT else 0.5 if category.food_drug_safety else 0.25
        add(category.section_code, business,
            f"类别“{category.name}” → {units.get(category.section_code, category.section_code)}")
    if case.kind == Kind.REPORT:
        add("jicha", 0.2, "举报涉嫌违法，可由稽查分局核查")

    if ctx.model is not None:
        learned = {code: p for code, p in predict(ctx.model, case_tokens(case)) if code in units}
        for code, p in sorted(learned.items(), key=lambda kv: -kv[1])[:3]:
            if p >= 0.05:
                reasons.setdefault(code, []).append(f"历史相似件多分流至{units[code]}（{p:.0%}）")
        # The rules speak for jurisdiction; history decides mostly where the rules are unsure.
        weight = MODEL_WEIGHT_WHEN_RULES_SURE if max(scores.values(), default=0) >= 0.5 else MODEL_WEIGHT
        scores = {code: scores.get(code, 0.0) * (1 - weight) + learned.get(code, 0.0) * weight
                  for code in set(scores) | {c for c, p in learned.items() if p >= 0.05}}

    if not scores:
        stations = [u for u in units.values() if u.kind == UnitKind.STATION]
        reason = "地址和类别均未能识别辖区，请人工确认属地"
        if online and respondent_address:
            reason = f"网络经营者住所地“{respondent_address}”不在本区：应告知其住所地市场监管部门（告知他部门）"
        return [Suggestion(u.code, reason, round(1 / max(len(stations), 1), 2)) for u in stations[:limit]]
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])[:limit]
    if online and not place and respondent_address:
        for code, _ in ranked:
            reasons.setdefault(code, []).append(
                f"网络经营者住所地“{respondent_address}”不在本区：应告知其住所地市场监管部门（告知他部门）")
    return [Suggestion(code, "；".join(reasons.get(code, [])) or "历史分流", round(score, 2)) for code, score in ranked]
