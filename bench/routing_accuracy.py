"""Top-1 and top-3 accuracy of routing suggestions on items written the way people write them.

    .venv/bin/python bench/routing_accuracy.py [--misses]

Scores the suggestions for the labelled sets in tests/data (items as a 曾都区 dispatcher would route them; see
tests/data/routing_cases.md) in a scratch SQLite database holding the demo bureau and the jurisdiction data, with
the rules alone (no routing history), and prints the figures beside those measured with the code before issue 19."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"
# routing_cases: 165 items written before the word lists existed (the lists' author had read them).
# routing_holdout: 40 items written after the word lists were frozen, never tuned on.
SETS = {"routing_cases": DATA / "routing_cases.jsonl", "routing_holdout": DATA / "routing_holdout.jsonl"}

# The same sets scored with main at ad8feef (before issue 19): addresses by the first place name found, no category
# read from the facts.
BEFORE = {"routing_cases": {"top1": 107 / 165, "top3": 109 / 165},
          "routing_holdout": {"top1": 21 / 40, "top3": 23 / 40}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list the items whose best suggestion is wrong")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="xiaobao-routing-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'routing.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaobao.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from xiaobao.demo.bureau import create_bureau
    from xiaobao.routing.evaluation import labelled_cases, score

    call_command("migrate", verbosity=0)
    create_bureau("bench-only-password")
    for name, path in SETS.items():
        result = score(labelled_cases(path))
        print(f"{name} ({result.items} items)")
        if args.misses:
            print("\n".join(f"  {m}" for m in result.misses))
        for label, hits in (("top-1", result.top1), ("top-3", result.top3)):
            before = BEFORE[name][label.replace("-", "")]
            print(f"  {label} accuracy: {result.rate(hits):.1%} ({hits}/{result.items})   "
                  f"before issue 19: {before:.1%}")
        if result.category_guessed:
            print(f"  category read from the facts: {result.category_guessed}/{result.items} items, "
                  f"{result.category_right}/{result.category_guessed} as the dispatcher would confirm")

if __name__ == "__main__":
    main()
