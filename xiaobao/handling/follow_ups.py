"""回访问效 (SAMR-2026; DOMAIN.md "The 2026 national rules"; issue 20.4): after handling, the unit that handled a
complaint calls the consumer back; 消保股 calls back a share of each unit's concluded complaints as a check
(settings.XIAOBAO_FOLLOW_UP_CHECK_SHARE). These are the two work lists; the figures are in stats.queries."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Exists, F, OuterRef, QuerySet

from xiaobao.cases import reference
from xiaobao.cases.models import Case, Kind
from xiaobao.units.models import Role, Staff

from .models import FollowUp

# The sample is fixed per item (a multiplicative hash of its id), so a month's list does not change from one
# look to the next and nobody chooses which consumers are called.
_HASH, _BUCKETS = 2654435761, 1000


def check_share() -> float:
    return min(max(float(settings.XIAOBAO_FOLLOW_UP_CHECK_SHARE), 0.0), 1.0)


def _concluded(start: datetime, end: datetime) -> QuerySet[Case]:
    """Complaints a unit concluded in [start, end) whose consumer can be called back."""
    office = reference.office_unit()
    return (Case.objects.filter(kind=Kind.COMPLAINT, concluded_at__gte=start, concluded_at__lt=end,
                                unit__isnull=False, complainant__isnull=False)
            .exclude(unit_id=office.pk).exclude(complainant__phone="")
            .select_related("unit", "complainant", "respondent").order_by("concluded_at", "id"))


def _followed(office_check: bool):
    return Exists(FollowUp.objects.filter(case=OuterRef("pk"), office_check=office_check))


def sampled(qs: QuerySet[Case], share: float | None = None) -> QuerySet[Case]:
    share = check_share() if share is None else share
    return qs.alias(bucket=F("pk") * _HASH % _BUCKETS).filter(bucket__lt=round(share * _BUCKETS))


def unit_queue(actor: Staff, start: datetime, end: datetime) -> QuerySet[Case]:
    """The actor's unit's concluded complaints of the period not yet followed up by the unit."""
    if actor.unit_id is None:
        return Case.objects.none()
    return _concluded(start, end).filter(unit_id=actor.unit_id).exclude(_followed(False))


def office_queue(start: datetime, end: datetime) -> QuerySet[Case]:
    """消保股's check: the sampled share of the units' concluded complaints, not yet called back by 消保股."""
    return sampled(_concluded(start, end)).exclude(_followed(True))


def may_check(actor: Staff) -> bool:
    return actor.has_role(Role.DISPATCHER)
