"""Maintaining the standard answers. The admin and the /knowledge/ page both save through here, so that
the search tokens and the maintainer are always recorded (and the change is in the audit trail)."""

from __future__ import annotations

from xiaobao.cases.errors import Invalid, NotPermitted
from xiaobao.records.audit import record
from xiaobao.units.models import Role, Staff

from .models import Answer
from .search import index

EDITOR_ROLES = (Role.DISPATCHER, Role.HANDLER, Role.UNIT_LEADER, Role.ADMIN)
FIELDS = ("question", "answer", "keywords", "basis")


def may_edit(user: Staff) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(*EDITOR_ROLES))


def save_answer(*, actor: Staff, data: dict, answer: Answer | None = None) -> Answer:
    if not may_edit(actor):
        raise NotPermitted("您的角色不能维护咨询知识库。")
    values = {f: str(data.get(f) or "").strip() for f in FIELDS}
    errors = [{"field": f, "message": m} for f, m in (("question", "请填写问题。"), ("answer", "请填写标准答复。"))
              if not values[f]]
    for f in FIELDS:
        limit = Answer._meta.get_field(f).max_length
        if limit and len(values[f]) > limit:
            errors.append({"field": f, "message": f"内容过长（最多 {limit} 个字）。"})
    if errors:
        raise Invalid(errors)
    created = answer is None
    answer = answer or Answer()
    for f, v in values.items():
        setattr(answer, f, v)
    answer.active = bool(data.get("active", True))
    return store(actor=actor, answer=answer, created=created)


def store(*, actor: Staff, answer: Answer, created: bool) -> Answer:
    """Save with fresh search tokens and the maintainer; audited."""
    answer.updated_by = actor
    answer.tokens = index(answer)
    answer.save()
    record(actor=actor, action="knowledge_create" if created else "knowledge_update", obj=f"answer:{answer.pk}",
           detail={"question": answer.question, "active": answer.active})
    return answer
