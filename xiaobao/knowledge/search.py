"""Finding standard answers by jieba tokens: a question's words against each answer's question and keywords
(and, less, its text). The base is a few hundred rows; ranking happens in Python over the candidates the
database returns."""

from __future__ import annotations

import re
from functools import reduce
from operator import or_

from django.db.models import Q

from .models import Answer

_STOP = set("的了吗呢啊吧么是在和与及或怎么怎样如何什么可以能否有没有请问我们你们他们这个那个一个")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
MAX_RESULTS = 8


def tokens(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(60)
    out: list[str] = []
    for tok in jieba.lcut_for_search(text or ""):
        tok = _PUNCT.sub("", tok).lower()
        if tok and tok not in _STOP and tok not in out and (len(tok) > 1 or not tok.isascii()):
            out.append(tok)
    return out


def index(answer: Answer) -> str:
    words = tokens(f"{answer.question} {answer.keywords.replace(',', ' ').replace('，', ' ')}")
    return f" {' '.join(words)} " if words else ""


def search(q: str, *, include_inactive: bool = False) -> list[Answer]:
    """Answers best first: each query token found in question or keywords weighs 3, in the answer text 1."""
    words = [w for w in tokens(q) if len(w) > 1] or tokens(q)
    if not words:
        return []
    qs = Answer.objects.all() if include_inactive else Answer.objects.filter(active=True)
    candidates = qs.filter(reduce(or_, (Q(tokens__contains=f" {w} ") | Q(answer__icontains=w) for w in words)))

    def score(a: Answer) -> int:
        return sum(3 if f" {w} " in a.tokens else 1 if w in a.answer.lower() else 0 for w in words)

    ranked = sorted(candidates[:200], key=lambda a: (-score(a), a.question))
    return ranked[:MAX_RESULTS]
