"""Issue 22 end to end: a complaint goes to a business registered through the API, is settled or comes back, and
the scorecard and the monthly statistics count what the flow left behind (not rows written by hand)."""

from __future__ import annotations

from tests.odr.conftest import BUSINESS_PASSWORD, business_body, change_password, complaint, ok, token_of
from xiaobao.odr.models import Business


def _registered_business(api) -> tuple[int, dict]:
    made = ok(api("xiaobao").post("/api/v1/odr/businesses", business_body()), 201)
    # The business sets its own password before its first token (API-v1.md "ODR businesses").
    assert token_of(made["username"], made["password"]).status_code == 403
    assert change_password(made["username"], made["password"], BUSINESS_PASSWORD).status_code == 200
    token = ok(token_of(made["username"], BUSINESS_PASSWORD))["token"]
    return made["id"], {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_one_settled_one_returned_counted_on_the_scorecard_and_in_the_month(api, clock):
    business_id, headers = _registered_business(api)
    assert Business.objects.get(pk=business_id).name == "曾都区鑫达电器商行"  # the complaints' respondent
    settled, returned = complaint(api), complaint(api)
    for case_id in (settled, returned):
        ok(api("xiaobao").act(case_id, "forward_to_business",
                              {"business": business_id, "consent": True, "consent_note": "电话确认同意先行和解"}))
    client = api("xiaobao").client
    inbox = ok(client.get("/api/v1/odr/inbox", **headers))
    assert {row["id"] for row in inbox["results"]} == {settled, returned}

    def answer(case_id: int, body: dict) -> dict:
        return ok(client.post(f"/api/v1/cases/{case_id}/actions/business_answer", body,
                              content_type="application/json", **headers))

    answer(settled, {"result": "settled", "detail": "退货退款", "amount": "3299.00"})
    answer(returned, {"result": "not_settled", "detail": "消费者要求三倍赔偿，未达成一致"})
    assert ok(api("xiaobao").get(f"/api/v1/cases/{returned}"))["state"] == "triage"

    card = ok(api("juzhang").get("/api/v1/odr/scorecard", month="2026-05"))
    (row,) = [r for r in card["businesses"] if r["business"] == business_id]
    assert (row["forwarded"], row["settled"], row["not_settled"]) == (2, 1, 1)
    assert row["amount_recovered"] == "3299.00" and row["settlement_rate"] == 0.5
    month = ok(api("juzhang").get("/api/v1/stats/monthly", month="2026-05"))
    assert month["odr"] == {"forwarded": 2, "settled": 1, "settlement_rate": 0.5, "amount_recovered": "3299.00"}
    assert month["concluded"]["by_outcome"]["settled_by_business"] == 1
