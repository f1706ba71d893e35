"""Routing suggestions: jurisdiction rules first (属地管辖 by address, 业务管辖 by category), then what the
bureau itself decided for similar items before. Works with no history at all.

Where (rules 二.1(1)): a named 街道, 镇 or 开发区 decides the territory; a village, market or landmark next; a road
only when nothing else is named, and a road through several subdistricts names every station it crosses. Online
shops by their published address, else the platform's domicile (SAMR-2026). What (rules 二.1(2)): the category the
clerk picked, or the one read from the facts (reading.py), gives the section that owns it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xiaobao.cases.models import Case, Kind
from xiaobao.rules.models import Category
from xiaobao.units.models import Unit, UnitKind

from .data.platforms import PLATFORMS
from .models import Place, RoutingModelState
from .reading import Guess, read_category
from .training import case_tokens, predict

# Categories whose respondents are online sellers: the shop's published address decides (SAMR-2026).
ONLINE_CATEGORIES = frozenset({"online_shopping"})
# Categories whose section takes the item from the station even when it is a complaint: a hazard to life needs
# the special-equipment inspectors (《中华人民共和国特种设备安全法》第五十七条; rules 一.2, sections lead major items).
SECTION_LEADS = frozenset({"special_equipment"})
# How much the learned model weighs against the rules: much when the rules are unsure, little otherwise.
MODEL_WEIGHT = 0.6
MODEL_WEIGHT_WHEN_RULES_SURE = 0.15
# A road through several subdistricts: each station it crosses, less sure than a named subdistrict.
ACROSS_SHARE = 0.6
REFER = "应告知其住所地市场监管部门（告知他部门）"
# An address in another province or municipality, or "外省…": not 曾都区 unless it names 随州 or 曾都.
_ELSEWHERE = re.compile(r"省|自治区|北京市|上海市|天津市|重庆市|外地|外省")
# Words that say the goods were sold through a shop online, whatever the goods (with the platforms' names).
ONLINE_MARKS = ("网店", "网购", "网上", "直播", "主播", "带货")
_PUBLISHED = re.compile(r"公示(?:的)?地址(?:为|是|在)?[:：]?\s*(?:就在)?([^，。；,;]+)")


@dataclass
class Suggestion:
    unit: str
    reason: str
    confidence: float
    category: str = ""  # the category picked or read from the facts, for the clerk to confirm when routing


@dataclass(frozen=True)
class Where:
    place: Place
    units: list[str]  # one when settled; every station a road crosses otherwise
    passed_over: Place | None = None  # a road named with the subdistrict that decided


def locate(text: str, places: list[Place]) -> Where | None:
    """The territory an address (or any text) names; places sorted longest name first."""
    if not text:
        return None
    masked, found = text, []
    for place in places:
        at = masked.find(place.name)
        if at >= 0:
            found.append((at, place))
            masked = masked[:at] + "\0" * len(place.name) + masked[at + len(place.name):]
    found.sort(key=lambda f: f[0])
    named = [p for _, p in found]
    roads = [p for p in named if p.kind == Place.Kind.ROAD]
    for place in named:
        if place.decides_territory:
            road = next((r for r in roads if place.unit_code not in r.unit_codes or len(r.unit_codes) > 1), None)
            return Where(place, [place.unit_code], road)
    for place in named:
        if place.kind != Place.Kind.ROAD:
            return Where(place, [place.unit_code])
    return Where(roads[0], roads[0].unit_codes) if roads else None


def outside_district(address: str) -> bool:
    return bool(_ELSEWHERE.search(address)) and "随州" not in address and "曾都" not in address


def published_address(facts: str) -> str:
    match = _PUBLISHED.search(facts or "")
    return match.group(1).strip() if match else ""


def sold_online(case: Case, category_code: str) -> bool:
    text = f"{case.respondent.name if case.respondent else ''} {case.facts}"
    return category_code in ONLINE_CATEGORIES or any(m in text for m in ONLINE_MARKS) or platform_in(text) is not None


def platform_in(text: str) -> tuple[str, str, str] | None:
    for name, aliases, domicile, unit_code in PLATFORMS:
        if any(n in text for n in (name, *aliases)):
            return name, domicile, unit_code
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


def guessed_category(case: Case, ctx: Context) -> Guess | None:
    if case.category:
        return None
    return read_category(case.facts or "", case.respondent.name if case.respondent else "", kind=case.kind,
                         categories=ctx.categories, model=ctx.model)


def suggest(case: Case, *, limit: int = 3, context: Context | None = None) -> list[Suggestion]:
    ctx = context or Context.load()
    units, places = ctx.units, ctx.places
    scores: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}

    def add(code: str, score: float, reason: str) -> None:
        if code in units and units[code].handles_items:
            scores[code] = min(1.0, scores.get(code, 0.0) + score)
            reasons.setdefault(code, []).append(reason)

    def add_where(where: Where, score: float, what: str) -> None:
        if len(where.units) == 1:
            note = ""
            if where.passed_over:
                note = f"（街道、镇、开发区决定辖区，“{where.passed_over.name}”不作依据）"
            code = where.units[0]
            add(code, score, f"{what}含“{where.place.name}” → {units.get(code, code)}{note}")
            return
        names = "、".join(str(units.get(c, c)) for c in where.units)
        for rank, code in enumerate(where.units):
            add(code, score * ACROSS_SHARE - rank * 0.01,
                f"{what}只有道路“{where.place.name}”，该路跨{names}辖区，请按门牌号核实属地")

    guess = guessed_category(case, ctx)
    category_code = case.category or (guess.code if guess else "")
    category = ctx.categories.get(category_code)
    respondent_name = case.respondent.name if case.respondent else ""
    respondent_address = case.respondent.address if case.respondent else ""
    # Complaints are mediated where the business trades (属地); a report's violation type decides the
    # section that owns it (业务管辖) first.
    territorial = 0.85 if case.kind == Kind.COMPLAINT else 0.4
    refer = ""
    settled = False
    if sold_online(case, category_code):
        shop_address = published_address(case.facts) or respondent_address
        # Outside first: "河南省洛阳市" is not 洛阳镇.
        if shop_address and outside_district(shop_address):
            refer = f"网店公示地址“{shop_address}”不在本区：{REFER}"
        elif shop_address and (where := locate(shop_address, places)):
            add_where(where, territorial, "网店公示地址")
            settled = True
        # "不详" or nothing: the shop shows no address in the district.
        elif not any(mark in shop_address for mark in ("曾都", "随州")) and (
                platform := platform_in(f"{respondent_name} {case.facts}")):
            name, domicile, unit_code = platform
            if unit_code:
                add(unit_code, territorial, f"网店未公示地址，按平台“{name}”住所地（{domicile}）→ {units.get(unit_code)}")
                settled = True
            else:
                refer = f"网店未公示地址，按平台“{name}”住所地（{domicile}）管辖：{REFER}"
    if not settled and not refer:
        if outside_district(respondent_address):
            refer = f"被投诉举报人地址“{respondent_address}”不在本区：{REFER}"
        elif where := locate(respondent_address, places):
            add_where(where, territorial, "被投诉举报人地址")
        elif where := locate(case.facts, places):
            add_where(where, territorial * 0.9, "经营地址未能识别，事实中的地点")
        elif where := locate(respondent_name, places):
            add_where(where, territorial * 0.9, "经营地址未能识别，被投诉举报人名称")
        elif case.complainant and (where := locate(case.complainant.address or "", places)):
            add_where(where, 0.3, "经营地址未能识别，投诉举报人地址")

    territory_found = bool(scores)
    if category and category.section_code:
        section = units.get(category.section_code, category.section_code)
        if category_code in SECTION_LEADS:
            business = 0.9
        else:
            business = 0.7 if case.kind == Kind.REPORT else 0.5 if category.food_drug_safety else 0.25
        approval = "；食品药品安全件，分派后报分管局长审批（规则 二.1（2））" if category.food_drug_safety else ""
        if guess:
            add(category.section_code, business,
                f"根据事实“{guess.evidence}”判断为{category.name}类，由{section}主管{approval}")
        else:
            add(category.section_code, business, f"类别“{category.name}” → {section}{approval}")
    if case.kind == Kind.REPORT:
        add("jicha", 0.2, "举报涉嫌违法，可由稽查分局核查")

    if ctx.model is not None and ctx.model.get("units"):
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
        reason = refer or "地址和类别均未能识别辖区，请人工确认属地"
        return [Suggestion(u.code, reason, round(1 / max(len(stations), 1), 2), category_code)
                for u in stations[:limit]]
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])[:limit]
    unplaced = "" if territory_found or refer else "地址未能识别辖区，请人工确认属地"
    for code, _ in ranked:
        if refer or unplaced:
            reasons.setdefault(code, []).append(refer or unplaced)
    return [Suggestion(code, "；".join(reasons.get(code, [])) or "历史分流", round(max(score, 0.01), 2), category_code)
            for code, score in ranked]
