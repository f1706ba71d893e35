"""What a member of the public sees of their own item: where it stands, its deadlines and the replies
they were given. Nothing else: no staff names or notes, no other person's data, nothing of the respondent."""

from __future__ import annotations

from django.utils import timezone

from xiaobao.cases.models import Case
from xiaobao.cases.present import clock_views

# Sign-off is the bureau's internal discipline (rules 一.3), and so are the bureau's own periods for routing and
# approvals (rule-set values the rules do not set); the person is owed the legal deadlines.
INTERNAL_CLOCKS = {"sign_off", "routing", "approval"}


def public_view(case: Case) -> dict:
    return {
        "number": case.number,
        "kind": case.kind,
        "state": case.state,
        "outcome": case.outcome,
        "received_at": timezone.localtime(case.received_at).isoformat(),
        "clocks": [{"name": c["name"], "label": c["label"], "due": c["due"], "state": c["state"]}
                   for c in clock_views(case) if c["name"] not in INTERNAL_CLOCKS],
        # The bureau's replies and notices, and for an inquiry its answer, are what the person is owed (rules 二.2,
        # 二.4).
        "replies": [{"at": timezone.localtime(e.at).isoformat(), "channel": e.data.get("channel", "internet"),
                     "content": e.note}
                    for e in case.events.filter(action__in=("reply", "answer", "send_notice")).order_by("at", "id")],
    }
