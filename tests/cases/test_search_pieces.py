"""Search by one- and two-character pieces (PostgreSQL: cases_case_text and its GIN index, cases migration
0009; SQLite: the FTS5 tables): the same items as a substring match ignoring case over each field, never
across two fields, newest first, counted exactly, only those the user may see."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.conftest import complaint_body
from xiaobao.cases import search
from xiaobao.cases.models import Case, Party
from xiaobao.cases.search import search_cases, search_count, search_page
from xiaobao.cases.selectors import visible_cases
from xiaobao.demo.generate import generate
from xiaobao.units.models import Staff

FIELDS = ("number", "facts", "demand", "external_id")


def expected(qs, q: str) -> list[int]:
    """Ids of the items of `qs` with `q` inside one of their fields, ignoring case, newest first."""
    q = q.lower()
    return sorted((c.pk for c in qs.select_related("respondent")
                   if any(q in (v or "").lower() for v in (
                       *(getattr(c, f) for f in FIELDS), c.respondent.name if c.respondent else ""))),
                  reverse=True)


@pytest.fixture
def items(bureau, api, monkeypatch):
    generate(items=150, seed=3, years=1)
    client = api("xiaobao")
    made = {}
    for key, facts, demand, respondent in [
        # "甲乙" ends the facts and "丙" starts the demand: "乙丙" and "甲乙丙" cross the boundary.
        ("boundary", "购买的手表表盘脱落，商家称甲乙", "丙方负责", "曾都区鎏金钟表行"),
        # Both pieces of "甲乙丙" are in the facts, apart: a candidate that the recheck must drop.
        ("apart", "甲乙两家店互相推诿，乙丙双方都不处理", "退款", "曾都区乙丙商贸"),
        ("latin", "新买的iPhone屏幕有坏点", "更换新机", "曾都区Apple授权店"),
        ("inside", "甲乙丙三家店联合促销的商品有质量问题", "赔偿", "曾都区甲乙丙商城"),
    ]:
        r = client.post("/api/v1/cases", complaint_body(facts=facts, demand=demand,
                                                        respondent={"name": respondent, "address": "曾都区"}))
        assert r.status_code in (200, 201), r.json()
        made[key] = r.json()["id"]
    station = Staff.objects.get(username="nanjiao").unit
    ids = list(Case.objects.order_by("id").values_list("pk", flat=True))
    Case.objects.filter(pk__in=[*ids[::3], made["latin"]]).update(unit=station)
    # Small windows and rounds, so that a page takes several reads of the index.
    monkeypatch.setattr(search, "FIRST_WINDOW", 10)
    monkeypatch.setattr(search, "FIRST_CHUNK", 3)
    return made


QUERIES = ["乙", "甲乙", "乙丙", "甲乙丙", "鎏", "鎏金", "鎏金钟表", "奶粉", "超市", "进口奶粉一台",
           "iphone", "IPHONE", "iPh", "ph", "PH", "p", "P", "apple", "ts", "TS-20", "丙方", "表盘脱落"]


@pytest.mark.parametrize("username", ["xiaobao", "nanjiao"])
@pytest.mark.parametrize("q", QUERIES)
def test_it_finds_each_fields_substrings_newest_first_and_counts_them_exactly(items, username, q):
    qs = visible_cases(Staff.objects.get(username=username))
    want = expected(qs, q)
    assert [c.pk for c in search_page(qs, q, 0, 1000)] == want
    assert [c.pk for c in search_page(qs, q, 2, 7)] == want[2:7]
    assert sorted(search_cases(qs, q).values_list("pk", flat=True), reverse=True) == want
    assert search_count(qs, q) == len(want)
    assert search_count(qs, q, cap=4) == min(4, len(want))


def test_a_match_across_two_fields_is_not_a_match(items):
    qs = Case.objects.all()
    for q in ("乙丙", "甲乙丙", "商家称甲乙丙方"):
        found = [c.pk for c in search_page(qs, q, 0, 1000)]
        assert items["boundary"] not in found, q
    # The pieces of "甲乙丙" apart in one field do not make a match either; together they do.
    found = [c.pk for c in search_page(qs, "甲乙丙", 0, 1000)]
    assert items["inside"] in found and items["apart"] not in found
    assert search_count(qs, "甲乙丙") == len(expected(qs, "甲乙丙"))
    # Each field on its own still matches.
    assert items["boundary"] in [c.pk for c in search_page(qs, "甲乙", 0, 1000)]
    assert items["boundary"] in [c.pk for c in search_page(qs, "丙方", 0, 1000)]


def test_the_respondents_name_is_searched_and_follows_a_rename(items):
    qs = Case.objects.all()
    case = Case.objects.get(pk=items["boundary"])
    assert [c.pk for c in search_page(qs, "鎏金", 0, 10)] == [case.pk]
    assert search_count(qs, "鎏") == 1
    Party.objects.filter(pk=case.respondent_id).update(name="曾都区钻石钟表行")
    assert search_page(qs, "鎏金", 0, 10) == [] and search_count(qs, "鎏") == 0
    assert [c.pk for c in search_page(qs, "钻石", 0, 10)] == [case.pk]
    Case.objects.filter(pk=case.pk).update(respondent=Case.objects.get(pk=items["latin"]).respondent)
    assert search_count(qs, "钻石") == 0
    assert {c.pk for c in search_page(qs, "apple", 0, 10)} == {case.pk, items["latin"]}


def test_latin_letters_match_in_either_case_through_the_api(items, api):
    for q in ("iphone", "IPHONE", "iPhOnE", "Ph", "pH"):
        body = api("xiaobao").get("/api/v1/cases", q=q).json()
        assert items["latin"] in [r["id"] for r in body["results"]], q
        assert body["count"] == len(expected(Case.objects.all(), q))
    # 南郊所 has the item; 东城所 does not see it.
    station = visible_cases(Staff.objects.get(username="nanjiao"))
    body = api("nanjiao").get("/api/v1/cases", q="iphone").json()
    assert [r["id"] for r in body["results"]] == expected(station, "iphone") and items["latin"] in expected(station, "iphone")
    body = api("dongcheng").get("/api/v1/cases", q="iphone").json()
    assert items["latin"] not in [r["id"] for r in body["results"]]
    assert body["count"] == len(body["results"]) == len(expected(visible_cases(Staff.objects.get(username="dongcheng")), "iphone"))


def test_a_deleted_item_is_no_longer_found(items):
    Case.objects.filter(pk=items["inside"]).delete()
    assert search_count(Case.objects.all(), "甲乙丙") == 0
    assert search_page(Case.objects.all(), "甲乙丙", 0, 10) == []


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.parametrize("q", ["奶", "奶粉", "冷冻肉", "Ts-2026"])
def test_on_postgresql_every_length_is_answered_by_the_gin_index_of_pieces(items, q):
    sql, params = search._grams_where(q)
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute(f"EXPLAIN SELECT t.id FROM {search.TEXT_TABLE} t WHERE {sql}", params)  # noqa: S608
        plan = "\n".join(row[0] for row in cur.fetchall())
    assert "cases_case_text_grams" in plan, plan
    # One or two characters: the index answers alone, no LIKE recheck; longer queries are rechecked.
    assert ("~~" in plan) == (len(q) > 2), plan  # ~~ is LIKE
