"""Top-1 accuracy of routing suggestions on a held-out set built from the project's own realistic data.

    .venv/bin/python bench/routing_accuracy.py [--items 800] [--seed 7]

Replays realistic histories through the real services into a scratch SQLite database (xiaobao.demo.history),
trains the routing model on the older 80% of routing decisions and scores the newest 20%: the unit that
finally kept the item (assigned or approved and not returned) against the best suggestion, once with the
rules alone and once with rules plus the learned model."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=800)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="xiaobao-routing-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'routing.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaobao.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from xiaobao.cases.models import Case
    from xiaobao.demo.bureau import create_bureau
    from xiaobao.demo.history import Replay
    from xiaobao.routing.suggest import Context, suggest
    from xiaobao.routing.training import case_tokens, fit

    call_command("migrate", verbosity=0)
    staff = create_bureau("bench-only-password")
    from xiaobao.units.models import Role, Staff, Unit

    for unit in Unit.objects.all():
        if unit.handles_items and not any(Role.HANDLER in s.roles for s in unit.staff.all()):
            staff[f"h-{unit.code}"] = Staff.objects.create(username=f"h-{unit.code}", unit=unit, roles=[Role.HANDLER])
    started = time.perf_counter()
    Replay(staff, seed=args.seed).run(args.items)
    print(f"replayed {Case.objects.count()} items through the services in {time.perf_counter() - started:.0f} s")

    decided = final_units()  # case id -> the unit that kept it
    ids = sorted(decided, key=lambda i: Case.objects.get(pk=i).received_at)
    cut = int(len(ids) * 0.8)
    train, test = ids[:cut], ids[cut:]
    cases = {c.pk: c for c in Case.objects.filter(pk__in=ids).select_related("respondent", "complainant")}
    model = fit([(case_tokens(cases[i]), decided[i]) for i in train])
    rules_only = Context.load()
    rules_only.model = None
    with_model = Context.load()
    with_model.model = model
    for name, ctx in (("rules only", rules_only), ("rules + model", with_model)):
        best = {i: suggest(cases[i], context=ctx)[0] for i in test}
        hits = sum(1 for i in test if best[i].unit == decided[i])
        if os.environ.get("SHOW_MISSES"):
            for i in test:
                if best[i].unit != decided[i]:
                    print("  miss", cases[i].kind, cases[i].category, decided[i], "→", best[i].unit, best[i].reason)
        print(f"top-1 accuracy, {name:13}: {hits / len(test):.1%} ({hits}/{len(test)} held-out items, "
              f"trained on {len(train)})")


def final_units() -> dict[int, str]:
    """The unit that kept each item: assigned or approved to it and not returned (as training_samples)."""
    from xiaobao.cases.models import Event

    returned = set(Event.objects.filter(action="return").values_list("case_id", "data__unit"))
    final = {}
    for case_id, unit in (Event.objects.filter(action__in=("assign", "approve"), data__has_key="unit")
                          .values_list("case_id", "data__unit").order_by("id")):
        if (case_id, unit) not in returned:
            final[case_id] = unit
    return final


if __name__ == "__main__":
    main()
