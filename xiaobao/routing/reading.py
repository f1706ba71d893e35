"""The category of an item read from its facts when the clerk picked none (issue 19): the bureau's category names,
the words clerks use (data/category_words.py), then what the learned model (training.py) saw in past items. The
suggestion carries the guess; the clerk confirms it when routing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xiaobao.rules.models import Category

from .data.category_words import PRIORITY, REPORT_PRIORITY, WORDS
from .training import predict, tokens

# Below this a lone short word ("菜", "宴") is too thin to name a category.
MIN_SCORE = 2.0
# The learned model speaks only when it is this sure.
MODEL_MIN_PROBABILITY = 0.5
EVIDENCE_CHARS = 24
_CLAUSES = re.compile(r"[，。；！？、,.;!?\n]")


@dataclass(frozen=True)
class Guess:
    code: str
    evidence: str  # the part of the facts that says so, quoted in the reason


def _clause(text: str, word: str) -> str:
    for part in _CLAUSES.split(text):
        at = part.find(word)
        if at >= 0:
            part = part.strip()
            at = part.find(word)
            start = max(0, min(at - 8, len(part) - EVIDENCE_CHARS))
            return part[start:start + EVIDENCE_CHARS]
    return word


def read_category(facts: str, respondent_name: str, *, kind: str, categories: dict[str, Category],
                  model: dict | None = None) -> Guess | None:
    scores: dict[str, float] = {}
    best_word: dict[str, str] = {}
    for code, words in WORDS.items():
        category = categories.get(code)
        if category is None:
            continue
        names = (category.name, *words)
        found = [w for w in names if w in facts]
        # The business's name tells something ("…大药房", "…驾校") but less than what happened.
        named = [w for w in names if w in respondent_name and w not in found]
        score = sum(len(w) for w in found) + 0.5 * sum(len(w) for w in named)
        if not score:
            continue
        score *= PRIORITY.get(code, 1.0)
        if kind == "report" and category.kind == Category.Kind.VIOLATION:
            score *= REPORT_PRIORITY
        scores[code] = score
        best_word[code] = max(found or named, key=len)
    if scores:
        code = max(scores, key=lambda c: scores[c])
        if scores[code] >= MIN_SCORE:
            word = best_word[code]
            return Guess(code, _clause(facts, word) if word in facts else word)
    if model and model.get("categories"):
        ranked = [(c, p) for c, p in predict(model["categories"], tokens(facts)) if c in categories]
        if ranked and ranked[0][1] >= MODEL_MIN_PROBABILITY:
            return Guess(ranked[0][0], _CLAUSES.split(facts.strip())[0][:EVIDENCE_CHARS])
    return None
