"""The archive's classes (分类归档, rules 二.7): by kind of item, then by how it ended."""

from __future__ import annotations

from xiaobao.cases.models import Case, Kind, Outcome

KIND_CLASS = {Kind.COMPLAINT: "投诉类", Kind.REPORT: "举报类", Kind.INQUIRY: "咨询类"}
OUTCOMES_BY_KIND = {
    Kind.COMPLAINT: [Outcome.MEDIATED, Outcome.MEDIATION_TERMINATED, Outcome.WITHDRAWN, Outcome.NOT_ACCEPTED,
                     Outcome.REFERRED_ELSEWHERE],
    Kind.REPORT: [Outcome.FILED, Outcome.NOT_FILED, Outcome.REFERRED_ELSEWHERE],
    Kind.INQUIRY: [Outcome.ANSWERED, Outcome.REFERRED_ELSEWHERE],
}
# Archive number prefixes follow the item numbers (TS 投诉, JB 举报, ZX 咨询).
NUMBER_PREFIX = {Kind.COMPLAINT: "TS", Kind.REPORT: "JB", Kind.INQUIRY: "ZX"}


def classes() -> list[tuple[str, str]]:
    """Every class as (code, label), e.g. ("complaint.mediated", "投诉类·调解成功")."""
    out = []
    for kind, outcomes in OUTCOMES_BY_KIND.items():
        out.append((str(kind), KIND_CLASS[kind]))
        out += [(f"{kind}.{o}", f"{KIND_CLASS[kind]}·{o.label}") for o in outcomes]
    return out


def label(code: str) -> str:
    return dict(classes()).get(code, code)


def suggested(case: Case) -> str:
    code = f"{case.kind}.{case.outcome}"
    return code if code in dict(classes()) else case.kind


def fits(case: Case, code: str) -> bool:
    """A class fits the item when it is of the item's kind (投诉类 for a complaint, and so on)."""
    return code in dict(classes()) and code.split(".")[0] == case.kind
