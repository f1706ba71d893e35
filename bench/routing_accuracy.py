"""Top-1 and top-3 accuracy of routing suggestions on items written the way people write them.

    .venv/bin/python bench/routing_accuracy.py [--misses]

Scores the suggestions for tests/data/routing_cases.jsonl (165 items as a 曾都区 dispatcher would route them,
written independently of the word lists; see tests/data/routing_cases.md) in a scratch SQLite database holding
the demo bureau and the jurisdiction data, with the rules alone (no routing history), and prints the figures
beside those measured with the code before issue 19."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CASES = ROOT / "tests" / "data" / "routing_cases.jsonl"

# The same set scored with main at ad8feef (before issue 19): addresses by the first place name found, no category
# read from the facts.
BEFORE = {"top1": 107 / 165, "top3": 109 / 165}


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
    result = score(labelled_cases(CASES))
    if args.misses:
        print("\n".join(result.misses))
    n = result.items
    for name, hits in (("top-1", result.top1), ("top-3", result.top3)):
        before = BEFORE[name.replace("-", "")]
        was = f"   before issue 19: {before:.1%}" if before is not None else ""
        print(f"{name} accuracy: {result.rate(hits):.1%} ({hits}/{n}){was}")
    if result.category_guessed:
        print(f"category read from the facts: {result.category_guessed}/{n} items, "
              f"{result.category_right}/{result.category_guessed} as the dispatcher would confirm")


if __name__ == "__main__":
    main()
