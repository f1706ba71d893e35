"""identity_visible is sees_identity as a filter: the two agree for every role on every kind of item."""

import pytest
import time_machine

from tests.conftest import complaint_body, report_body
from xiaobao.cases.models import Case
from xiaobao.cases.selectors import identity_visible, sees_identity
from xiaobao.units.models import Staff

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-03-05 10:00 +0800", tick=False)
def test_the_filter_and_the_check_agree_for_every_account(api):
    clerk = api("xiaobao")
    inquiry = {"kind": "inquiry", "channel": "phone", "facts": "网购退货的期限是多久？",
               "complainant": {"name": "王五", "phone": "13700000003"}}
    for body, unit in ((complaint_body(), "st-nanjiao"), (report_body(), "st-nanjiao"), (inquiry, None),
                       (complaint_body(external_id="C2"), "st-dongcheng")):
        case_id = clerk.post("/api/v1/cases", body).json()["id"]
        if unit:
            clerk.act(case_id, "submit_for_triage")
            clerk.act(case_id, "assign", {"unit": unit})
    for user in Staff.objects.all():
        seen = identity_visible(user)
        filtered = set(Case.objects.filter(*([seen] if seen is not None else [])).values_list("pk", flat=True))
        assert filtered == {c.pk for c in Case.objects.all() if sees_identity(user, c)}, user.username
