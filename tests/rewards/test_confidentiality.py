"""举报奖励 records are 工作秘密 (DOMAIN.md, "Report rewards"; API-v1.md): 404 for everyone the contract does not
name — other units' handlers, the archivist, the administrator — on every route; the public has no way in;
nothing of a reward in the item's own view, timeline, lists or statistics."""

import json

import pytest
from django.test import Client

from tests.mediation.conftest import ok
from tests.rewards.conftest import assess_body, filed_report, reward_url
from xiaobao.records.models import AuditEntry

pytestmark = pytest.mark.usefixtures("clock")

NOT_NAMED = ["nanjiao", "dongcheng", "shipin", "archivist", "admin"]
NAMED = ["xiaobao", "fenguan", "juzhang", "auditor", "jicha"]


@pytest.fixture
def rewarded(api) -> int:
    case_id = filed_report(api)
    ok(api("jicha").post(reward_url(case_id), assess_body()), 201)
    return case_id


@pytest.mark.parametrize("username", NOT_NAMED)
def test_reward_routes_answer_404_to_everyone_not_named(api, rewarded, username):
    user = api(username)
    before = AuditEntry.objects.filter(action__startswith="reward").count()
    for r in (user.get(reward_url(rewarded)), user.post(reward_url(rewarded), assess_body()),
              *(user.post(reward_url(rewarded, a)) for a in ("notify", "apply", "approve", "pay", "lapse"))):
        assert r.status_code == 404, (username, r.content)
        assert r.json() == {"error": "未找到该件的举报奖励，或您无权查看。"}
    assert AuditEntry.objects.filter(action__startswith="reward").count() == before  # nothing was read


@pytest.mark.parametrize("username", NAMED)
def test_reward_is_read_by_the_named_roles(api, rewarded, username):
    assert ok(api(username).get(reward_url(rewarded)))["amount"] == "6000.00"


def test_reward_the_public_has_no_way_in(bureau, rewarded):
    public = Client()
    assert public.get(reward_url(rewarded)).status_code == 401
    assert public.post(reward_url(rewarded, "apply"), "{}", content_type="application/json").status_code == 401


def test_reward_a_reward_that_does_not_exist_and_one_that_does_look_the_same_to_outsiders(api, rewarded):
    other = filed_report(api)  # no reward assessed
    for case_id in (rewarded, other, 999999):
        assert api("nanjiao").get(reward_url(case_id)).json() == {"error": "未找到该件的举报奖励，或您无权查看。"}


def test_reward_nothing_of_it_in_the_items_view_timeline_or_lists(api, rewarded):
    for username in ("xiaobao", "jicha", "archivist"):
        item = api(username).get(f"/api/v1/cases/{rewarded}").content.decode()
        assert "6000" not in item and "reward" not in item and "奖励" not in item, username
    listed = api("xiaobao").get("/api/v1/cases").content.decode()
    assert "reward" not in listed and "6000.00" not in listed


def test_reward_nothing_of_it_in_monthly_statistics_but_counts_and_sums(api, rewarded):
    r = api("xiaobao").get("/api/v1/stats/monthly", month="2026-03")
    assert r.status_code == 200, r.content
    figures = r.json()
    # Issue 23, point 5: counts and sums only (tests/stats/test_reward_counts.py has the paid and lapsed ones).
    assert figures.pop("rewards") == {"assessed": 1, "paid": 0, "amount_paid": "0.00", "lapsed": 0}
    text = json.dumps(figures, ensure_ascii=False)
    assert "奖励" not in text and "reward" not in text and "6000" not in text and "李娜" not in text


def test_reward_audit_rows_detail_is_for_the_auditor_alone(api, rewarded):
    rows = api("auditor").get("/api/v1/audit", case=rewarded, action="reward_assess").json()["results"]
    assert rows[0]["detail"]["amount"] == "6000.00"
    rows = api("admin").get("/api/v1/audit", case=rewarded, action="reward_assess").json()["results"]
    assert rows[0]["actor"] == "jicha" and rows[0]["detail"] == {"redacted": "工作秘密"}
