"""Market warnings (市场预警, rules 一.1(7)): a business, a category or a station whose items in the last 7
(or 30) days rise well above its own history.

Counting is done in SQL: items of the last (history + 1) windows are grouped by key and by window number
(0 = the latest window), so Python only sees a few numbers per key. A key is a spike when its latest window
has at least MIN_COUNT items and either exceeds RATIO × its average over the previous windows, or reaches
mean + SIGMAS × standard deviation of them (when they vary at all)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import fmean, pstdev

from django.db.models import Case as Choose
from django.db.models import CharField, Count, F, IntegerField, Max, Q, QuerySet, Value, When, Window
from django.db.models.functions import Concat, NullIf, Replace, RowNumber, Trim, Upper

from xiaobao.cases.models import Case, Kind
from xiaobao.lib import timeutil
from xiaobao.units.models import UnitKind

from .queries import category_names

MIN_COUNT = 3
SIGMAS = 3
RATIO = 3
# (window in days, how many earlier windows make the history)
WINDOWS = ((7, 8), (30, 6))
ITEM_KINDS = (Kind.COMPLAINT, Kind.REPORT)


class Dimension:
    BUSINESS = "business"
    CATEGORY = "category"
    AREA = "area"


DIMENSION_LABELS = {Dimension.BUSINESS: "经营者", Dimension.CATEGORY: "类别", Dimension.AREA: "辖区"}


def _normalised_name(path: str):
    # The same shop is written with and without spaces, in full-width or half-width brackets.
    expr = Trim(path)
    for old, new in ((" ", ""), ("\u3000", ""), ("（", "("), ("）", ")")):
        expr = Replace(expr, Value(old), Value(new))
    return Upper(expr)


def key_expression(dimension: str):
    if dimension == Dimension.BUSINESS:
        # Concat treats NULL as "" on every backend, so the choice is made with When, not Coalesce.
        code, name = Upper(Trim("respondent__credit_code")), _normalised_name("respondent__name")
        return Choose(
            When(~Q(respondent__credit_code=""), then=Concat(Value("c:"), code, output_field=CharField())),
            When(~Q(respondent__name=""), then=Concat(Value("n:"), name, output_field=CharField())),
            default=None, output_field=CharField())
    if dimension == Dimension.CATEGORY:
        return NullIf(F("category"), Value(""))
    if dimension == Dimension.AREA:
        return Choose(When(unit__kind=UnitKind.STATION, then=F("unit__code")), default=None, output_field=CharField())
    raise ValueError(dimension)


def _label(dimension: str):
    if dimension == Dimension.BUSINESS:
        return Max("respondent__name")
    if dimension == Dimension.AREA:
        return Max("unit__short_name")
    return Max("category")


@dataclass
class Spike:
    dimension: str
    key: str
    label: str
    window_days: int
    count: int
    history: list[int]
    mean: float
    std: float
    items: list[Case] = field(default_factory=list)

    @property
    def dimension_label(self) -> str:
        return DIMENSION_LABELS[self.dimension]

    def as_json(self) -> dict:
        return {"dimension": self.dimension, "key": self.key, "label": self.label, "window_days": self.window_days,
                "count": self.count, "history": self.history, "mean": round(self.mean, 2),
                "std": round(self.std, 2)}


def is_spike(count: int, history: list[int]) -> bool:
    mean, std = fmean(history), pstdev(history)
    return count >= MIN_COUNT and (count > RATIO * mean or (std > 0 and count >= mean + SIGMAS * std))


def _in_window(qs: QuerySet[Case], now: datetime, days: int, windows: int) -> QuerySet[Case]:
    return qs.filter(kind__in=ITEM_KINDS, received_at__gt=now - timedelta(days=days * windows),
                     received_at__lte=now)


def detect(dimension: str, *, days: int, history: int, now: datetime | None = None) -> list[Spike]:
    now = now or timeutil.now()
    window = Choose(*(When(received_at__gt=now - timedelta(days=days * (i + 1)), then=Value(i))
                      for i in range(history + 1)), output_field=IntegerField())
    rows = (_in_window(Case.objects.all(), now, days, history + 1).order_by()
            .annotate(key=key_expression(dimension), window=window).filter(key__isnull=False)
            .values("key", "window").annotate(n=Count("id"), label=_label(dimension)))
    counts: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    for r in rows:
        counts.setdefault(r["key"], [0] * (history + 1))[r["window"]] += r["n"]
        if r["window"] == 0 or r["key"] not in labels:
            labels[r["key"]] = r["label"] or r["key"]
    if dimension == Dimension.CATEGORY:
        names = category_names()
        labels = {k: names.get(k, k) for k in labels}
    spikes = [Spike(dimension, key, labels[key], days, c[0], c[1:], fmean(c[1:]), pstdev(c[1:]))
              for key, c in counts.items() if is_spike(c[0], c[1:])]
    return sorted(spikes, key=lambda s: (-s.count, s.key))


def _keyed_items(dimension: str, days: int, now: datetime) -> QuerySet[Case]:
    """The items of the latest window with their `key` in the dimension, as the warnings page shows them."""
    return (_in_window(Case.objects.select_related("respondent", "unit"), now, days, 1)
            .annotate(key=key_expression(dimension)))


def items_behind(dimension: str, key: str, *, days: int, now: datetime | None = None) -> QuerySet[Case]:
    return _keyed_items(dimension, days, now or timeutil.now()).filter(key=key).order_by("-received_at", "-id")


def all_spikes(*, now: datetime | None = None, with_items: int = 50) -> list[Spike]:
    """Every warning of every window and dimension, each with (up to `with_items` of, newest first) the items
    behind it: one query for the items of all the warnings of a window and dimension, not one per warning
    (each reads the window's items to work out their keys; 46 warnings at 1M took ~1.6 s that way)."""
    now = now or timeutil.now()
    spikes = []
    for days, history in WINDOWS:
        for dimension in DIMENSION_LABELS:
            found = detect(dimension, days=days, history=history, now=now)
            if not found:
                continue
            newest = Window(RowNumber(), partition_by=F("key"), order_by=(F("received_at").desc(), F("id").desc()))
            rows = (_keyed_items(dimension, days, now).filter(key__in=[s.key for s in found])
                    .annotate(newest=newest).filter(newest__lte=with_items).order_by("-received_at", "-id"))
            behind: dict[str, list[Case]] = {}
            for case in rows:
                behind.setdefault(case.key, []).append(case)
            for spike in found:
                spike.items = behind.get(spike.key, [])
                spikes.append(spike)
    return spikes


def find(dimension: str, key: str, days: int, *, now: datetime | None = None) -> Spike | None:
    history = dict(WINDOWS).get(days)
    if history is None or dimension not in DIMENSION_LABELS:
        return None
    now = now or timeutil.now()
    for spike in detect(dimension, days=days, history=history, now=now):
        if spike.key == key:
            spike.items = list(items_behind(dimension, key, days=days, now=now))
            return spike
    return None
