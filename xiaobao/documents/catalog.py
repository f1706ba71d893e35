"""Which document fits which item: kinds, states and outcomes, number codes, who receives it, what it may
print about the complainant or reporter, and which clocks it shows. Data, read by services and rendering.

Identity (rules 二.3, 三.5): "full" prints the person's name, phone, address and ID (only the registration
form, and masked for viewers who may not see identity); "name" prints the name of a complainant on documents
addressed to that complainant or to both parties (the 终止调解决定书 names the complainant as the official form does); "none" prints nothing of the person. A reporter,
or anyone anonymous, is never printed on anything but the registration form.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import DocumentType


@dataclass(frozen=True)
class Fit:
    """One situation in which the document may be issued. Empty sets mean "any"."""

    states: frozenset[str]
    outcomes: frozenset[str] = frozenset()
    approval: str = ""        # while pending approval, the kind of approval asked for
    after: str = ""           # an action that must be on the item's timeline
    title: str = ""           # the document's title in this situation, when it differs


@dataclass(frozen=True)
class Spec:
    type: str
    title: str
    code: str                          # short code in the number: 曾市监{code}〔2026〕12号
    kinds: frozenset[str]
    fits: tuple[Fit, ...]
    needs: str                         # the situation in words, for the refusal message
    identity: str                      # "full", "name" or "none" (see module docstring)
    recipients: frozenset[str]         # to whom it may be delivered; empty: kept on file only
    decided_by: tuple[str, ...] = ()   # timeline actions whose note, data and basis the document quotes
    clocks: tuple[str, ...] = ()
    template: str = "notice"           # HTML layout under documents/
    ground_outcome: str = ""


ALL_KINDS = frozenset({"complaint", "report", "inquiry"})
# An archived item is read-only (rules 二.7): no new document, not even a registration form.
ALL_STATES = frozenset({"registered", "triage", "pending_approval", "assigned", "in_progress", "concluded"})
CONCLUDED = frozenset({"concluded"})
BOTH = frozenset({"complainant", "respondent"})
COMPLAINANT = frozenset({"complainant"})

SPECS: dict[str, Spec] = {s.type: s for s in [
    Spec(DocumentType.REGISTRATION_FORM, "投诉举报登记表", "投登", ALL_KINDS, (Fit(ALL_STATES),),
         needs="任何状态", identity="full", recipients=COMPLAINANT, decided_by=("register",),
         clocks=("sign_off", "acceptance", "verification"), template="registration_form"),
    Spec(DocumentType.ACCEPTANCE_NOTICE, "受理通知书", "投受", frozenset({"complaint"}),
         (Fit(frozenset({"in_progress"})), Fit(CONCLUDED, after="accept")),
         needs="投诉已受理（办理中，或受理后办结）", identity="name", recipients=COMPLAINANT,
         decided_by=("accept",), clocks=("handling", "mediation_cap")),
    Spec(DocumentType.NON_ACCEPTANCE_NOTICE, "不予受理告知书", "投不受", frozenset({"complaint"}),
         (Fit(CONCLUDED, frozenset({"not_accepted"})),), needs="办结结果为不予受理", identity="name",
         recipients=COMPLAINANT, decided_by=("not_accept",), clocks=("acceptance",), ground_outcome="not_accepted"),
    Spec(DocumentType.MEDIATION_AGREEMENT, "调解书", "投调", frozenset({"complaint"}),
         (Fit(CONCLUDED, frozenset({"mediated"})),), needs="办结结果为调解成功", identity="name",
         recipients=BOTH, decided_by=("accept", "mediate"), template="mediation_agreement"),
    Spec(DocumentType.TERMINATION_DECISION, "终止调解决定书", "投终", frozenset({"complaint"}),
         (Fit(CONCLUDED, frozenset({"mediation_terminated"})),), needs="办结结果为终止调解", identity="name",
         recipients=BOTH, decided_by=("accept", "mediate", "terminate_and_refer"),
         clocks=("mediation_cap", "termination_notice"), ground_outcome="mediation_terminated"),
    Spec(DocumentType.NON_FILING_RECORD, "不予立案书面记录", "举不立", frozenset({"report"}),
         (Fit(frozenset({"pending_approval"}), approval="not_filed", title="不予立案审批表"),
          Fit(CONCLUDED, frozenset({"not_filed"}), title="不予立案书面记录")),
         needs="拟不予立案待局负责人审批，或已批准不予立案", identity="none", recipients=frozenset(),
         decided_by=("decline_filing", "approve"), clocks=("verification",)),
    Spec(DocumentType.REPORT_RESULT_NOTICE, "举报处理结果告知书", "举告", frozenset({"report"}),
         (Fit(CONCLUDED, frozenset({"filed", "not_filed", "referred_elsewhere", "repeat_not_handled"})),),
         needs="举报已办结", identity="none", recipients=COMPLAINANT,
         decided_by=("file", "decline_filing", "approve", "refer_elsewhere", "repeat_report"), clocks=("verification",)),
    Spec(DocumentType.REFERRAL_NOTICE, "告知他部门处理的告知书", "告", ALL_KINDS,
         (Fit(CONCLUDED, frozenset({"referred_elsewhere"})),), needs="办结结果为告知他部门", identity="name",
         recipients=COMPLAINANT, decided_by=("refer_elsewhere",)),
    # A claim for gain or extortion referred to the police (SAMR-2026; 《行政执法机关移送涉嫌犯罪案件的规定》): the
    # police need to know who the person is, so it prints their identity like the registration form (masked for
    # readers who may not see it). It goes to the police, not to a party: its dispatch is the item's timeline line
    # `dispatch_referral` (xiaobao.mediation.purpose).
    Spec(DocumentType.POLICE_REFERRAL, "涉嫌违法犯罪案件移送书", "移", frozenset({"complaint"}),
         (Fit(CONCLUDED, frozenset({"mediation_terminated"}), after="terminate_and_refer"),),
         needs="以牟利为目的或涉嫌敲诈勒索终止调解并移送公安机关", identity="full", recipients=frozenset(),
         decided_by=("accept", "terminate_and_refer"), template="police_referral",
         ground_outcome="mediation_terminated"),
]}

assert set(SPECS) == set(DocumentType.values), "every document type has its spec"


def fitting(spec: Spec, case, actions: set[str]) -> Fit | None:
    """The situation of the spec the item is in, or None when the document does not fit the item."""
    if case.kind not in spec.kinds:
        return None
    for fit in spec.fits:
        if case.state not in fit.states:
            continue
        if fit.outcomes and case.outcome not in fit.outcomes:
            continue
        if fit.approval and case.approval_kind != fit.approval:
            continue
        if fit.after and fit.after not in actions:
            continue
        return fit
    return None
