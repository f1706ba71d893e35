"""The fast recompute of a publication (cases.recompute, one batch of raw rows) stores exactly what the
per-item recompute (clocks.services.recompute) computes, over generated combinations of rule set, kind, tier,
state and pauses of every reason (issue 17, point 8), the clocks of an item waiting for the bureau included
(routing, approval, the national acceptance period: point 6); and bench/run.py's sample check agrees with it at any hour
of the day (its publication ran "today" on the next day from 16:00 UTC, so its open pauses were one day longer
than the check counted them)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import run as bench
from xiaobao.cases.models import Case
from xiaobao.cases.recompute import publish_year
from xiaobao.clocks import services
from xiaobao.clocks.calendar import reset_cache
from xiaobao.clocks.models import Clock, PauseReason
from xiaobao.rules.models import RuleSet
from xiaobao.units.models import Unit

NOTICE_2027 = {"holidays": ["2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11",
                            "2027-02-12"], "workdays": ["2027-02-06"]}
TODAY = date(2026, 12, 24)
# 01:30 in Asia/Shanghai is 17:30 UTC of the day before: "today" must be the bureau's day everywhere.
NOW = "2026-12-24 01:30 +0800"

pause = st.tuples(st.sampled_from(PauseReason.values), st.integers(0, 40), st.one_of(st.none(), st.integers(0, 20)))
item = st.fixed_dictionaries({
    "rule_set": st.sampled_from(["zengdu-2020", "zengdu-2026", "samr-2019", "samr-2026"]),
    "state": st.sampled_from(["deciding", "mediating", "reopened", "reopened_past_cap", "reopened_cap_met",
                              "verifying", "waiting"]),
    "tier": st.sampled_from(["urgent", "general", "difficult"]),
    "start": st.integers(0, 53),  # days after 2026-11-01
    "pauses": st.lists(pause, max_size=3),
})


def make(spec: dict, n: int, unit: Unit, handler) -> Case:
    """One item as the services leave it; at most one pause open, the last."""
    kind = "report" if spec["state"] == "verifying" else "complaint"
    case = Case.objects.create(
        number=f"TS-2026-{n:05d}", kind=kind, channel="platform_12315", facts="测试",
        received_at=timezone.make_aware(datetime(2026, 11, 1, 9)), unit=unit, handler=handler,
        rule_set=RuleSet.objects.get(code=spec["rule_set"]), tier=spec["tier"],
        state={"deciding": "assigned", "waiting": "triage"}.get(spec["state"], "in_progress"))
    start = date(2026, 11, 1) + timedelta(days=spec["start"])
    for i, (reason, offset, length) in enumerate(spec["pauses"]):
        begin = min(TODAY, start + timedelta(days=offset))
        p = services.open_pause(case, reason=reason, note="", actor=handler, on=begin)
        if length is not None or i < len(spec["pauses"]) - 1:
            services.close_pause(p, on=begin + timedelta(days=length or 0))
    if spec["state"] == "deciding":
        services.start(case, "acceptance", on=start)
        # The national period from the bureau's receipt, a few days earlier (issue 17, point 6).
        services.start(case, "national_acceptance", on=start - timedelta(days=spec["start"] % 5))
    elif spec["state"] == "waiting":
        # Waiting for the bureau itself: routing, an approval, the national period (issue 17, point 6).
        for name in ("national_acceptance", "routing", "approval"):
            services.start(case, name, on=start)
    elif spec["state"] == "verifying":
        services.start(case, "verification", on=start)
    else:
        accepted = start - timedelta(days=75 if spec["state"] == "reopened_past_cap" else 20)
        services.start(case, "mediation_cap", on=accepted)
        services.start(case, "handling", on=accepted)
        if spec["state"] != "mediating":
            # Concluded, then reopened on `start`: the cap as it was met, handling from the reopening.
            services.settle(case, on=accepted + timedelta(days=10))
            if spec["state"] != "reopened_cap_met":  # as items reopened before issue 17 were
                services.reopen(case, "mediation_cap", on=start)
            services.start(case, "handling", on=start, restart=True)
    services.recompute(case, on=TODAY)
    return case


def stored() -> dict[int, tuple]:
    return {pk: tuple(rest) for pk, *rest in
            Clock.objects.values_list("pk", "due", "provisional", "explanation", "length", "met_on")}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(item, min_size=1, max_size=6))
def test_the_batch_recompute_stores_what_the_per_item_recompute_computes(bureau, specs):
    unit = Unit.objects.get(code="st-nanjiao")
    try:
        with time_machine.travel(NOW, tick=False), transaction.atomic():
            cases = [make(spec, n, unit, bureau["nanjiao"]) for n, spec in enumerate(specs)]
            publish_year(year=2027, actor=bureau["admin"], **NOTICE_2027)
            batch = stored()
            for case in cases:
                services.recompute(Case.objects.select_related("rule_set").get(pk=case.pk))
            assert stored() == batch
            for clock in Clock.objects.filter(met_on__isnull=True):
                assert clock.due >= clock.start
            transaction.set_rollback(True)
    finally:
        reset_cache()


@pytest.mark.parametrize("moment", ["2026-06-01 10:00 +0800", "2026-06-02 01:30 +0800"])
def test_the_benchmarks_sample_agrees_at_any_hour(bureau, moment):
    """bench/run.py --items … reported five sampled items different from the slow path when run in the
    evening UTC."""
    with time_machine.travel(moment, tick=True):
        checked, bad = bench.bench_publish(400, random.Random(1), 400)
    assert checked > 0 and bad == []
