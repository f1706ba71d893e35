"""What the public may see of complaints (SAMR-2026 consent to disclosure): per business, the counts and
outcomes of the last 12 months, and per item only when it came in, its category, what was asked for (as a
type, never the person's words) and how it ended. Nothing that names or reaches a person."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from xiaobao.cases.models import Case, Kind, Outcome, State
from xiaobao.lib import timeutil
from xiaobao.stats.queries import category_names
from xiaobao.stats.warnings import Dimension, key_expression

COMPLAINT_OUTCOMES = (Outcome.MEDIATED, Outcome.MEDIATION_TERMINATED, Outcome.WITHDRAWN, Outcome.NOT_ACCEPTED,
                      Outcome.REFERRED_ELSEWHERE)
OUTCOME_LABELS = dict(Outcome.choices)
# The demand types of the complaint form (SAMR-2019 Art. 9), each with the words that name it.
DEMAND_TYPES = (
    ("修理", ("修理", "维修")), ("重作", ("重作", "重做")), ("更换", ("更换", "换货", "调换")),
    ("退货", ("退货",)), ("补足数量", ("补足",)),
    ("退还货款和服务费用", ("退款", "退还", "退费", "返还")), ("赔偿损失", ("赔偿", "赔付")),
)
PAGE_SIZE = 50


def demand_type(demand: str) -> str:
    found = [name for name, words in DEMAND_TYPES if any(w in (demand or "") for w in words)]
    return "、".join(found) or "其他诉求"


def disclosed_complaints() -> QuerySet[Case]:
    """Concluded complaints of the last 12 months whose complainant consented to disclosure."""
    since = timeutil.now() - timedelta(days=365)
    return (Case.objects.filter(kind=Kind.COMPLAINT, consent_disclosure=True, received_at__gte=since,
                                state__in=(State.CONCLUDED, State.ARCHIVED), outcome__in=COMPLAINT_OUTCOMES,
                                respondent__isnull=False)
            .annotate(business=key_expression(Dimension.BUSINESS)).filter(business__isnull=False).order_by())


def businesses(*, search: str = "") -> list[dict]:
    qs = disclosed_complaints()
    if search:
        qs = qs.filter(respondent__name__icontains=search.strip())
    rows = (qs.values("business")
            .annotate(name=Max("respondent__name"), total=Count("id"),
                      **{o: Count("id", filter=Q(outcome=o)) for o in COMPLAINT_OUTCOMES})
            .order_by("-total", "name")[:PAGE_SIZE])
    return [{"key": r["business"], "name": r["name"], "total": r["total"],
             "outcomes": [(OUTCOME_LABELS[o], r[o]) for o in COMPLAINT_OUTCOMES]} for r in rows]


def business(key: str) -> dict | None:
    qs = disclosed_complaints().filter(business=key)
    # Only these columns leave the database: no party, no facts, no staff.
    items = list(qs.order_by("-received_at", "-id").values("received_at", "category", "demand", "outcome"))
    if not items:
        return None
    name = qs.aggregate(name=Max("respondent__name"))["name"]
    names = category_names()
    counts = {o: 0 for o in COMPLAINT_OUTCOMES}
    for i in items:
        counts[i["outcome"]] += 1
    return {
        "key": key, "name": name, "total": len(items),
        "outcomes": [(OUTCOME_LABELS[o], n) for o, n in counts.items()],
        "items": [{"received_on": timezone.localdate(i["received_at"]),
                   "category": names.get(i["category"], "未分类") if i["category"] else "未分类",
                   "demand": demand_type(i["demand"]), "outcome": OUTCOME_LABELS[i["outcome"]]} for i in items],
    }
