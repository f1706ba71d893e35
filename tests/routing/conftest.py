import pytest
import time_machine

from tests.conftest import complaint_body


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        yield


@pytest.fixture
def in_triage(api):
    """Register an item as 消保股 and send it to triage; returns its suggestions as the API gives them."""
    clerk = api("xiaobao")
    counter = iter(range(1, 10_000))

    def make(*, address: str = "", name: str = "曾都区某商行", facts: str = "", category: str = "",
             kind: str = "complaint", complainant_address: str = "外省某市") -> tuple[dict, list[dict]]:
        body = complaint_body(category=category, kind=kind, external_id=f"r19-{next(counter)}",
                              channel="platform_12315")
        body["respondent"] = {"name": name, "address": address}
        body["complainant"]["address"] = complainant_address
        if facts:
            body["facts"] = facts
        r = clerk.post("/api/v1/cases", body)
        assert r.status_code == 201, r.content
        case = r.json()
        clerk.act(case["id"], "submit_for_triage")
        answer = clerk.get(f"/api/v1/cases/{case['id']}/suggestions")
        assert answer.status_code == 200
        return case, answer.json()

    return make
