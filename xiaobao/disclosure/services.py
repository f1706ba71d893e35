"""Publishing a consumer alert: 消保股 only, from a warning that still stands."""

from __future__ import annotations

from django.db import transaction

from xiaobao.cases.errors import Invalid, NotPermitted
from xiaobao.lib import timeutil
from xiaobao.records.audit import record
from xiaobao.stats.warnings import Spike
from xiaobao.units.models import Role, Staff

from .models import ConsumerAlert

TITLE_MAX = 100
BODY_MAX = 5000


def may_publish(user: Staff) -> bool:
    return user.is_authenticated and user.has_role(Role.DISPATCHER)


def default_text(spike: Spike) -> tuple[str, str]:
    """A neutral first draft: what rose, by how much, and what consumers can do. No one's personal data."""
    subject = {"business": f"涉及“{spike.label}”的", "category": f"“{spike.label}”类",
               "area": f"{spike.label}辖区的"}[spike.dimension]
    title = f"消费警示：近期{subject}投诉举报明显增多"[:TITLE_MAX]
    body = (f"近{spike.window_days}日，我局收到{subject}投诉举报{spike.count}件，明显高于此前平均水平"
            f"（每{spike.window_days}日约{spike.mean:.1f}件）。请广大消费者谨慎消费，保留购物凭证，"
            "遇到消费纠纷可拨打12315或通过全国12315平台投诉。")
    return title, body


@transaction.atomic
def publish_alert(*, actor: Staff, spike: Spike, title: str, body: str) -> ConsumerAlert:
    if not may_publish(actor):
        raise NotPermitted("只有消保股可以发布消费警示。")
    title, body = (title or "").strip(), (body or "").strip()
    errors = []
    if not title or len(title) > TITLE_MAX:
        errors.append({"field": "title", "message": f"请填写标题（不超过{TITLE_MAX}字）。"})
    if not body or len(body) > BODY_MAX:
        errors.append({"field": "body", "message": f"请填写正文（不超过{BODY_MAX}字）。"})
    if errors:
        raise Invalid(errors)
    alert = ConsumerAlert.objects.create(
        title=title, body=body, published_at=timeutil.now(), published_by=actor,
        created_from={**spike.as_json(), "case_ids": [c.pk for c in spike.items],
                      "detected_at": timeutil.now().isoformat()})
    record(actor=actor, action="publish_consumer_alert", obj=f"alert:{alert.pk}",
           detail={"title": title, "from": spike.as_json()})
    return alert
