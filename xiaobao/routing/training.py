"""Small naive Bayes models (jieba tokens) of where the bureau routed similar items before, and of the category
clerks gave items by their facts (read when an item comes in without one, reading.py)."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

_NOISE = re.compile(r"^[\d\W_]+$")


def tokens(*texts: str) -> list[str]:
    import jieba

    jieba.setLogLevel(60)
    out = []
    for text in texts:
        for tok in jieba.lcut(text or ""):
            tok = tok.strip()
            if len(tok) >= 2 and not _NOISE.match(tok):
                out.append(tok)
    return out


def case_tokens(case) -> list[str]:
    respondent = case.respondent
    # Who and where decide jurisdiction; the facts' wording mostly adds noise.
    return [*tokens(respondent.name if respondent else "", respondent.address if respondent else ""), f"kind:{case.kind}", f"cat:{case.category}"]


def fit(samples: list[tuple[list[str], str]]) -> dict:
    unit_counts: Counter[str] = Counter()
    token_counts: dict[str, Counter[str]] = defaultdict(Counter)
    vocab: set[str] = set()
    for toks, unit in samples:
        unit_counts[unit] += 1
        token_counts[unit].update(toks)
        vocab.update(toks)
    return {"units": dict(unit_counts), "tokens": {u: dict(c) for u, c in token_counts.items()},
            "vocab": len(vocab)}


def predict(model: dict, toks: list[str]) -> list[tuple[str, float]]:
    """(unit, probability) best first."""
    units = model.get("units") or {}
    if not units:
        return []
    total = sum(units.values())
    vocab = max(model.get("vocab", 1), 1)
    scores = {}
    for unit, n in units.items():
        counts = model["tokens"].get(unit, {})
        denom = sum(counts.values()) + vocab
        score = math.log(n / total)
        for tok in toks:
            score += math.log((counts.get(tok, 0) + 1) / denom)
        scores[unit] = score
    top = max(scores.values())
    exp = {u: math.exp(s - top) for u, s in scores.items()}
    z = sum(exp.values())
    return sorted(((u, e / z) for u, e in exp.items()), key=lambda x: -x[1])


def training_samples(limit: int | None = None) -> list[tuple[list[str], str]]:
    """Past routing decisions that stood: the unit that received the item and did not return it."""
    from xiaobao.cases.models import Case, Event

    returned = set(Event.objects.filter(action="return").values_list("case_id", "data__unit"))
    decided = (Event.objects.filter(action__in=("assign", "approve"), data__has_key="unit")
               .values_list("case_id", "data__unit").order_by("id"))
    final: dict[int, str] = {}
    for case_id, unit in decided:
        if (case_id, unit) not in returned:
            final[case_id] = unit
    ids = list(final)[-limit:] if limit else list(final)
    cases = Case.objects.filter(pk__in=ids).select_related("respondent")
    return [(case_tokens(c), final[c.pk]) for c in cases]


def category_samples(limit: int | None = None) -> list[tuple[list[str], str]]:
    """The facts of past items with the category a clerk gave them, newest first."""
    from xiaobao.cases.models import Case

    rows = Case.objects.exclude(category="").order_by("-id").values_list("facts", "category")
    return [(tokens(facts), category) for facts, category in (rows[:limit] if limit else rows)]
