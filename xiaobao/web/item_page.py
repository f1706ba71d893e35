"""How the item's page lays out what the user may do and what was registered (issue 18, point 8): the expected
next step first, the other actions in groups, and the words that fit the kind of item."""

from __future__ import annotations

from collections.abc import Iterable

from xiaobao.cases.lifecycle import Transition
from xiaobao.cases.models import Case

# The step a user is expected to take next: the first of these that they may take now. Decisions that move the
# item on (rules 二.1 to 二.4) come before the records and requests that accompany them.
NEXT_STEPS = (
    "approve", "assign", "answer", "submit_for_triage", "accept", "begin_verification", "mediate", "file",
    "reply", "archive", "archive_penalty_decision", "upload_penalty_decision", "give_opinion",
    "answer_supervision", "follow_up",
)

# The other actions, grouped by what they do, in this order. An action not listed (a new family's) goes under 其他.
OTHER = "其他"
GROUPS = (
    ("办理", ("keep", "submit_for_triage", "assign", "approve", "reject_approval", "accept", "not_accept",
              "begin_verification", "file", "decline_filing", "mediate", "terminate_and_refer", "entrust",
              "entrusted_result", "answer",
              "reply", "return", "refer_elsewhere", "split", "open_report", "reopen", "archive")),
    ("记录", ("sign", "record_contact", "assess_consumer_purpose", "record_session", "record_verification",
              "record_visit", "follow_up", "receive_id")),
    ("协同", ("open_consultation", "give_opinion", "conclude_consultation", "supervise", "answer_supervision",
              "request_visit")),
    ("文书", ("upload_penalty_decision", "archive_penalty_decision", "dispatch_referral")),
    (OTHER, ("pause", "resume", "change_tier", "request_id")),
)
_GROUP_OF = {action: title for title, members in GROUPS for action in members}
_RANK = {action: i for i, action in enumerate(a for _, members in GROUPS for a in members)}


def arrange_actions(actions: Iterable[Transition]) -> tuple[Transition | None, list[tuple[str, list[Transition]]]]:
    """The expected next step, and the others in their groups (empty groups left out): each action once."""
    by_action = {t.action: t for t in actions}
    primary = next((by_action[a] for a in NEXT_STEPS if a in by_action), None)
    grouped: dict[str, list[Transition]] = {title: [] for title, _ in GROUPS}
    for t in sorted(by_action.values(), key=lambda t: _RANK.get(t.action, len(_RANK))):
        if t is not primary:
            grouped[_GROUP_OF.get(t.action, OTHER)].append(t)
    return primary, [(title, members) for title, members in grouped.items() if members]


# The words of each kind of item, for its person, the business concerned and what was said (rules 二.3 names
# what is registered: the business, the demand of a complaint, the matter and clues of a report).
WORDS = {
    "complaint": {"person": "投诉人", "respondent": "被投诉人", "content": "投诉事实与诉求", "facts": "投诉事实",
                  "demand": "诉求"},
    "report": {"person": "举报人", "respondent": "被举报人", "content": "举报内容", "facts": "举报内容",
               "demand": "举报人的要求"},
    "inquiry": {"person": "咨询人", "respondent": "涉及的经营者", "content": "咨询内容", "facts": "咨询内容",
                "demand": "咨询人的要求"},
}


def words_for(case: Case) -> dict[str, str]:
    return WORDS.get(case.kind, WORDS["complaint"])
