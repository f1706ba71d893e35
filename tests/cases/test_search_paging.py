"""Search pages (xiaobao/cases/search.py): read newest first off the index, the same items and order as
sorting every match, for the whole bureau and for a station; counts exact for the API, capped on the page."""

from __future__ import annotations

import pytest
from django.test import Client

from xiaobao.cases import search
from xiaobao.cases.models import Case
from xiaobao.cases.search import search_cases, search_count, search_page
from xiaobao.cases.selectors import visible_cases
from xiaobao.demo.generate import generate
from xiaobao.units.models import Staff
from xiaobao.web import paging

QUERIES = ["超市", "奶粉", "冷冻肉", "商家拒绝退还", "曾都区", "TS-20", "不存在的词语"]


@pytest.fixture
def items(bureau):
    generate(items=150, seed=11, years=1)
    station = Staff.objects.get(username="nanjiao").unit
    Case.objects.filter(pk__in=list(Case.objects.values_list("pk", flat=True)[::3])).update(unit=station)


def every_match(qs, q: str) -> list[int]:
    return list(search_cases(qs, q).order_by("-id").values_list("pk", flat=True))


@pytest.mark.parametrize("username", ["xiaobao", "nanjiao"])
@pytest.mark.parametrize("q", QUERIES)
def test_a_page_holds_the_matches_newest_first_however_the_index_is_read(items, monkeypatch, username, q):
    # Small rounds, so that a station's page needs several reads of the index.
    monkeypatch.setattr(search, "FIRST_CHUNK", 7)
    qs = visible_cases(Staff.objects.get(username=username))
    expected = every_match(qs, q)
    for start, stop in ((0, 10), (10, 20), (0, 50), (45, 95), (len(expected) - 3, len(expected) + 10)):
        start = max(start, 0)
        assert [c.pk for c in search_page(qs, q, start, stop)] == expected[start:stop], (q, start)
    assert search_count(qs, q) == len(expected)
    assert search_count(qs, q, cap=5) == min(5, len(expected))


def test_other_filters_apply_before_the_page_is_cut(items, monkeypatch):
    monkeypatch.setattr(search, "FIRST_CHUNK", 5)
    qs = visible_cases(Staff.objects.get(username="xiaobao")).filter(kind="complaint", state="archived")
    expected = every_match(qs, "曾都区")
    assert expected
    assert [c.pk for c in search_page(qs, "曾都区", 0, 30)] == expected[:30]
    assert search_count(qs, "曾都区") == len(expected)


def test_the_api_pages_search_results_newest_first_with_the_exact_count(items, api):
    expected = every_match(visible_cases(Staff.objects.get(username="nanjiao")), "曾都区")
    client = api("nanjiao")
    first = client.get("/api/v1/cases", q="曾都区", page_size=20).json()
    second = client.get("/api/v1/cases", q="曾都区", page_size=20, page=2).json()
    assert first["count"] == second["count"] == len(expected)
    assert [r["id"] for r in first["results"] + second["results"]] == expected[:40]


def test_the_list_page_counts_search_results_up_to_a_cap(items, monkeypatch):
    client = Client()
    client.force_login(Staff.objects.get(username="xiaobao"))
    expected = every_match(Case.objects.all(), "曾都区")
    assert len(expected) > 40
    page = client.get("/cases/", {"q": "曾都区"}).content.decode()
    assert f"共 {len(expected)} 件" in page
    monkeypatch.setattr(paging, "COUNT_CAP", 40)
    page = client.get("/cases/", {"q": "曾都区"}).content.decode()
    assert "共 40+ 件" in page and "第 1 / 2+ 页" in page
    # Past the counted matches the next pages are still there while they come back full.
    page = client.get("/cases/", {"q": "曾都区", "page": 2}).content.decode()
    assert Case.objects.get(pk=expected[30]).number in page
    assert "下一页" in page
