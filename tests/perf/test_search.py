"""q= finds what a substring match ignoring case finds (what icontains did), with the index on both
databases: 2 characters (bigram FTS5 on SQLite), 3 and 6 (FTS5 trigram); on PostgreSQL every length through the
cases_case_text GIN index of one- and two-character pieces (cases migration 0009)."""

from __future__ import annotations

import pytest
from django.db import connection  # noqa: F401 (skipif condition)

from tests.conftest import complaint_body
from xiaobao.cases.models import Case, Party
from xiaobao.cases.search import search_cases, search_count
from xiaobao.cases.selectors import visible_cases
from xiaobao.demo.generate import generate
from xiaobao.units.models import Staff


def expected(cases, q: str) -> set[int]:
    q = q.lower()
    return {c.pk for c in cases if any(q in (v or "").lower() for v in (
        c.number, c.facts, c.demand, c.external_id, c.respondent.name if c.respondent else ""))}


@pytest.fixture
def items(bureau):
    generate(items=120, seed=7, years=1)
    # A third of them with 南郊所, so that a station handler sees some and not others.
    station = Staff.objects.get(username="nanjiao").unit
    Case.objects.filter(pk__in=list(Case.objects.values_list("pk", flat=True)[::3])).update(unit=station)
    return list(Case.objects.select_related("respondent"))


QUERIES = ["鑫达", "超市", "冷冻肉", "奶粉", "进口奶粉", "商家拒绝退还", "以人为损坏为", "曾都区华联", "Ts-20", "124213",
           "不存在的词语", "退货并退还货款",
           # One and two characters (bigram index on SQLite), the last character of a field, letters in
           # either case, digits, and characters that fall back to LIKE (punctuation, a full-width comma).
           "奶", "店", "市", "Ts", "ts", "T", "20", "7", "-2", "，", "。退", "榴"]


@pytest.mark.parametrize("q", QUERIES)
def test_it_finds_what_a_substring_match_finds(items, q):
    found = set(search_cases(Case.objects.all(), q).values_list("pk", flat=True))
    assert found == expected(items, q)


def test_two_three_and_six_character_queries_find_the_items_that_contain_them(items):
    found = {q: set(search_cases(Case.objects.all(), q).values_list("pk", flat=True)) for q in ("奶粉", "冷冻肉", "商家拒绝退还")}
    assert all(found.values()), found
    for q, ids in found.items():
        assert all(q in (c.facts + c.demand + (c.respondent.name if c.respondent else "")) for c in items
                   if c.pk in ids)


def test_it_follows_edits_of_the_facts_and_of_the_respondents_name(items, api):
    r = api("xiaobao").post("/api/v1/cases", complaint_body(facts="购买的榴莲千层蛋糕变质发霉。",
                                                           respondent={"name": "曾都区甜蜜蜜烘焙坊",
                                                                       "address": "曾都区西城街道明珠路1号"}))
    case = Case.objects.get(pk=r.json()["id"])
    assert list(search_cases(Case.objects.all(), "榴莲千层")) == [case]
    assert list(search_cases(Case.objects.all(), "甜蜜蜜烘焙")) == [case]
    Case.objects.filter(pk=case.pk).update(facts="购买的芒果班戟变质。")
    Party.objects.filter(pk=case.respondent_id).update(name="曾都区芝士烘焙坊")
    assert list(search_cases(Case.objects.all(), "榴莲千层")) == []
    assert list(search_cases(Case.objects.all(), "芒果班戟")) == [case]
    assert list(search_cases(Case.objects.all(), "芝士烘焙")) == [case]
    assert list(search_cases(Case.objects.all(), "甜蜜蜜")) == []
    # Another respondent: SQLite's trigram table keeps no copy of the texts (cases 0010), so its trigger names
    # what the item held before.
    other = Party.objects.create(role=Party.Role.RESPONDENT, name="曾都区好滋味食品店")
    Case.objects.filter(pk=case.pk).update(respondent=other)
    assert list(search_cases(Case.objects.all(), "芝士烘焙")) == []
    assert list(search_cases(Case.objects.all(), "好滋味食品")) == [case]
    assert search_count(Case.objects.all(), "好滋味食品") == 1
    Case.objects.filter(pk=case.pk).delete()
    assert list(search_cases(Case.objects.all(), "芒果班戟")) == []
    assert search_count(Case.objects.all(), "好滋味食品") == 0


def test_the_api_searches_only_the_items_the_user_may_see(items, api):
    handler = Staff.objects.get(username="nanjiao")
    visible = [c for c in items if c.unit_id == handler.unit_id]
    assert visible
    for q in ("超市", "冷冻肉", "商家拒绝退还"):
        r = api("nanjiao").get("/api/v1/cases", q=q, page_size=200)
        assert r.status_code == 200
        assert {row["id"] for row in r.json()["results"]} == expected(visible, q)
        assert set(search_cases(visible_cases(handler), q).values_list("pk", flat=True)) == expected(visible, q)


def test_one_and_two_characters_follow_edits_too(items, api):
    # The bigram index of 1–2 character queries has its own triggers (cases migration 0007).
    r = api("xiaobao").post("/api/v1/cases", complaint_body(facts="购买的榴莲千层蛋糕变质发霉。",
                                                           respondent={"name": "曾都区甜蜜蜜烘焙坊",
                                                                       "address": "曾都区西城街道明珠路1号"}))
    case = Case.objects.get(pk=r.json()["id"])
    assert list(search_cases(Case.objects.all(), "榴莲")) == [case]
    assert list(search_cases(Case.objects.all(), "榴")) == [case]
    assert case in search_cases(Case.objects.all(), "坊")  # the last character of a field
    Case.objects.filter(pk=case.pk).update(facts="购买的芒果班戟变质。")
    Party.objects.filter(pk=case.respondent_id).update(name="曾都区芝士烘焙坊")
    assert list(search_cases(Case.objects.all(), "榴莲")) == []
    assert list(search_cases(Case.objects.all(), "芒果")) == [case]
    assert list(search_cases(Case.objects.all(), "芝士")) == [case]
    assert list(search_cases(Case.objects.all(), "甜蜜")) == []
    Case.objects.filter(pk=case.pk).delete()
    assert list(search_cases(Case.objects.all(), "芒果")) == []
    assert list(search_cases(Case.objects.all(), "芝")) == []


@pytest.mark.skipif("connection.vendor != 'sqlite'")
@pytest.mark.parametrize(("q", "index"), [("奶", "cases_case_bigram"), ("奶粉", "cases_case_bigram"),
                                          ("Ts", "cases_case_bigram"), ("冷冻肉", "cases_case_search"),
                                          ("-2", None), ("，", None)])
def test_on_sqlite_short_queries_use_the_bigram_index_and_only_odd_characters_scan(items, q, index):
    sql = str(search_cases(Case.objects.all(), q).query)
    for table in ("cases_case_bigram", "cases_case_search"):
        assert (table in sql) == (table == index), sql
    if index is None:
        assert "LIKE" in sql
