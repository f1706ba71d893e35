"""A user whose roles show no item (the system administrator) searches: nothing is found, nothing fails.
On PostgreSQL the filtered count once wrote the SQL of an empty queryset and answered 500."""

import pytest

from tests.conftest import complaint_body
from tests.web.test_pages import login


@pytest.mark.parametrize("q", ["空", "空调", "空调一台"])
def test_a_user_who_sees_no_items_searches_and_finds_none(api, q):
    api("xiaobao").post("/api/v1/cases", complaint_body())
    r = api("admin").get("/api/v1/cases", q=q)
    assert r.status_code == 200, r.content[:300]
    assert r.json()["count"] == 0 and r.json()["results"] == []
    page = login("admin").get("/cases/", {"q": q})
    assert page.status_code == 200 and "共 0 件" in page.content.decode()
