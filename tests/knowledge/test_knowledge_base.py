"""The inquiry knowledge base: staff keep standard answers, find them by words of the question (jieba),
and answer an inquiry with one from the `answer` form."""

import re

import pytest
import time_machine

from tests.web.test_pages import login
from xiaobao.cases.models import Case
from xiaobao.knowledge.models import Answer
from xiaobao.knowledge.search import search
from xiaobao.knowledge.services import save_answer
from xiaobao.records.models import AuditEntry
from xiaobao.units.models import Staff

pytestmark = pytest.mark.django_db

RETURN_SHIPPING = {
    "question": "网购商品七日无理由退货的运费由谁承担？",
    "answer": "七日无理由退货的，退回商品的运费由消费者承担；经营者和消费者另有约定的，按照约定。",
    "keywords": "七日无理由 退货 运费 网购",
    "basis": "《消费者权益保护法》第二十五条",
}
PREPAID = {
    "question": "理发店关门了，办的储值卡余额怎么退？",
    "answer": "以预收款方式提供服务的经营者未按约定提供服务的，应当按照消费者的要求履行约定或者退回预付款。",
    "keywords": "预付卡 储值卡 退款 跑路",
    "basis": "《消费者权益保护法》第五十三条",
}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        yield


@pytest.fixture
def answers(bureau):
    # Ranking among these two answers only: the starter set a new bureau ships with is left out here.
    Answer.objects.all().delete()
    clerk = Staff.objects.get(username="xiaobao")
    return [save_answer(actor=clerk, data=RETURN_SHIPPING), save_answer(actor=clerk, data=PREPAID)]


def test_search_finds_the_answer_by_words_of_the_question_best_first(answers):
    assert search("快递退回去的运费谁出")[0].question == RETURN_SHIPPING["question"]
    assert search("储值卡能退吗")[0].question == PREPAID["question"]
    assert search("完全无关的话题 火箭") == []


def test_an_inactive_answer_is_not_offered(answers):
    clerk = Staff.objects.get(username="xiaobao")
    save_answer(actor=clerk, data={**PREPAID, "active": False}, answer=answers[1])
    assert search("储值卡") == []
    assert [a.question for a in search("储值卡", include_inactive=True)] == [PREPAID["question"]]


def test_staff_maintain_answers_on_the_knowledge_page_and_it_is_audited(bureau):
    page = login("xiaobao")
    r = page.post("/knowledge/new/", {**RETURN_SHIPPING, "question": "", "active": "on"})
    assert r.status_code == 422 and "请填写问题" in r.content.decode()
    r = page.post("/knowledge/new/", {**RETURN_SHIPPING, "active": "on"})
    assert r.status_code == 302
    saved = Answer.objects.get(question=RETURN_SHIPPING["question"])
    assert saved.updated_by.username == "xiaobao" and " 运费 " in saved.tokens and saved.active
    assert AuditEntry.objects.filter(action="knowledge_create", object=f"answer:{saved.pk}").exists()
    listing = page.get("/knowledge/?q=运费").content.decode()
    assert RETURN_SHIPPING["answer"] in listing and f"/knowledge/{saved.pk}/edit/" in listing
    assert login("auditor").get("/knowledge/new/").status_code == 403  # reads, does not maintain
    assert login("auditor").get("/knowledge/").status_code == 200


def test_the_admin_keeps_the_search_tokens_and_the_maintainer(bureau):
    admin = login("admin")
    r = admin.post("/admin/knowledge/answer/add/", {**PREPAID, "active": "on"})
    assert r.status_code == 302, r.content.decode()[:2000]
    saved = Answer.objects.get(question=PREPAID["question"])
    assert saved.updated_by.username == "admin" and " 储值卡 " in saved.tokens


def test_an_inquiry_is_answered_with_a_standard_answer_from_the_answer_form(answers, api):
    clerk = api("xiaobao")
    case_id = clerk.post("/api/v1/cases", {
        "kind": "inquiry", "channel": "phone", "received_at": "2026-03-02T09:00:00+08:00",
        "complainant": {"name": "王芳", "phone": "13700000003", "address": "曾都区西城街道"},
        "question": "网上买的衣服想退，退回去的运费要我出吗？"}).json()["id"]
    page = login("xiaobao")
    form = page.get(f"/cases/{case_id}/actions/answer/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-get="/knowledge/search/"' in form and 'id="kb-results-kb_q"' in form

    results = page.get("/knowledge/search/", {"kb_q": "退货运费", "insert": "answer"}, HTTP_HX_REQUEST="true")
    html = results.content.decode()
    assert results.status_code == 200 and RETURN_SHIPPING["question"] in html
    insert_url = re.search(r'hx-get="(/knowledge/\d+/insert/\?field=answer)"', html).group(1)
    textarea = page.get(insert_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="id_answer"' in textarea and 'name="answer"' in textarea
    text = re.search(r"<textarea[^>]*>(.*)</textarea>", textarea, re.S).group(1)
    assert text.startswith(RETURN_SHIPPING["answer"]) and "第二十五条" in text

    r = page.post(f"/cases/{case_id}/actions/answer/", {"kb_q": "退货运费", "answer": text})
    assert r.status_code == 302
    case = Case.objects.get(pk=case_id)
    assert (case.state, case.outcome) == ("concluded", "answered")
    assert case.events.last().note == text


def test_the_search_fragment_needs_a_login_and_inserts_only_into_known_fields(answers):
    from django.test import Client

    assert Client().get("/knowledge/search/", {"q": "运费"}).status_code == 302
    page = login("nanjiao")
    assert page.get(f"/knowledge/{answers[0].pk}/insert/", {"field": "facts"}).status_code == 404
    html = page.get("/knowledge/search/", {"q": "运费", "insert": "facts"}).content.decode()
    assert "插入此答复" not in html and RETURN_SHIPPING["question"] in html


def test_a_new_bureau_starts_with_standard_answers_citing_the_law(bureau):
    # Issue 18 (10): the knowledge base is not empty on a fresh install; each answer names its legal basis.
    starter = Answer.objects.filter(active=True)
    assert starter.count() >= 10 and all(a.basis for a in starter)
    page = login("xiaobao")
    found = page.get("/knowledge/", {"q": "七天无理由退货"}).content.decode()
    assert "第二十五条" in found and "七日内退货" in found
    found = page.get("/knowledge/", {"q": "过期食品十倍赔偿"}).content.decode()
    assert "《中华人民共和国食品安全法》第一百四十八条" in found
    assert "第五十五条" in page.get("/knowledge/", {"q": "欺诈 三倍赔偿"}).content.decode()
    assert "第五十三条" in page.get("/knowledge/", {"q": "预付卡退款"}).content.decode()
