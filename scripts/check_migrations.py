#!/usr/bin/env python3
"""Refuse a new migration that would lock or rewrite a big table of a running province (issue 24, point 4).

    python scripts/check_migrations.py            check the migrations not in scripts/migration_baseline.txt
    python scripts/check_migrations.py --all      report every migration (the baseline's too; nothing fails)
    python scripts/check_migrations.py --write-baseline   record the migrations there are now as the baseline

The baseline lists the migrations that existed when the check was introduced: applied everywhere, never edited
(docs/operations.md says which of them lock and how a province upgrading across them proceeds). Every other
migration must, on the big tables (xiaobao/lib/migrating.py BIG_TABLES):

* build indexes with AddIndexConcurrently (never AddIndex, a unique/indexed AddField, AddConstraint, or a
  CREATE INDEX without CONCURRENTLY in RunSQL/RunPython);
* add columns nullable (a NOT NULL column, with a default or without, is refused);
* change a column only where the database does not rewrite it (type, NULL-ness, uniqueness kept);
* fill or change rows only in a RunPython marked @batched, in a migration with `atomic = False`
  (no UPDATE/DELETE/ALTER TABLE over them in RunSQL).

A migration with `online_review = "why"` is accepted with its reason printed. Exit status 1 when refused."""

from __future__ import annotations

import inspect
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scripts" / "migration_baseline.txt"

_CREATE_INDEX = re.compile(r"\bCREATE\s+(UNIQUE\s+)?INDEX\b(?!\s+CONCURRENTLY)", re.IGNORECASE)
_CHANGES_ROWS = re.compile(r"\b(UPDATE\s+\S+\s+SET|DELETE\s+FROM|ALTER\s+TABLE|\.update\(|\.delete\(|bulk_update\(|"
                           r"\.save\(|update_in_batches\()", re.IGNORECASE)


_ONLINE_ALTER = re.compile(r"\bALTER\s+TABLE\b.*\b(NOT\s+VALID|VALIDATE\s+CONSTRAINT)\b", re.IGNORECASE | re.DOTALL)


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaobao.settings")
    import django

    django.setup()


def read_baseline(path: Path = BASELINE) -> set[tuple[str, str]]:
    if not path.exists():
        return set()
    return {tuple(line.split()) for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")}


def project_migrations(loader) -> dict:
    return {key: m for key, m in loader.disk_migrations.items() if m.__module__.startswith("xiaobao.")}


def _tables_named(text: str) -> list[str]:
    from xiaobao.lib.migrating import BIG_TABLES

    return [t for t in BIG_TABLES if re.search(rf"\b{t}\b", text)]


def _models_named(text: str) -> list[str]:
    from xiaobao.lib.migrating import BIG_MODELS

    found = []
    for app, model in BIG_MODELS:
        if re.search(rf"get_model\(\s*['\"]{app}['\"]\s*,\s*['\"]{model}['\"]", text, re.IGNORECASE) or \
                re.search(rf"get_model\(\s*['\"]{app}\.{model}['\"]", text, re.IGNORECASE):
            found.append(f"{app}.{model}")
    return found


def _code_text(fn) -> str:
    """A RunPython function's source and the module's string constants it names (its SQL is often one)."""
    try:
        text = inspect.getsource(fn)
    except (OSError, TypeError):
        text = ""
    module_globals = getattr(fn, "__globals__", {})
    names = getattr(getattr(fn, "__code__", None), "co_names", ())
    return text + "".join(f"\n{module_globals[n]}" for n in names if isinstance(module_globals.get(n), str))


def _field_signature(field, connection):
    return (field.db_type(connection), field.null, field.unique, bool(getattr(field, "db_index", False)))


def problems_of(migration, loader, connection) -> list[str]:
    """What in `migration` would lock or rewrite a big table (empty: nothing)."""
    from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
    from django.db import migrations as m

    from xiaobao.lib.migrating import BIG_MODELS

    app = migration.app_label
    found: list[str] = []
    before = None

    def big(model_name: str) -> bool:
        return (app, model_name.lower()) in BIG_MODELS

    for op in migration.operations:
        name = type(op).__name__
        if isinstance(op, (AddIndexConcurrently, RemoveIndexConcurrently)):
            continue
        if isinstance(op, (m.AddIndex, m.RemoveIndex, m.RenameIndex)) and big(op.model_name):
            if isinstance(op, m.AddIndex):
                found.append(f"{name} on {app}.{op.model_name}: build it with AddIndexConcurrently (atomic = False)")
        elif isinstance(op, m.AddConstraint) and big(op.model_name):
            found.append(f"AddConstraint on {app}.{op.model_name}: it builds or validates under a table lock")
        elif isinstance(op, m.AddField) and big(op.model_name):
            field = op.field
            if not field.null and not field.many_to_many:
                found.append(f"AddField {app}.{op.model_name}.{op.name} is NOT NULL: add it nullable, fill in batches")
            if field.unique or (getattr(field, "db_index", False) and not field.many_to_many):
                found.append(f"AddField {app}.{op.model_name}.{op.name} builds an index under a lock: add it without "
                             "and AddIndexConcurrently")
        elif isinstance(op, m.AlterField) and big(op.model_name):
            if before is None:
                before = loader.project_state((app, migration.name), at_end=False)
            old = before.models[app, op.model_name.lower()].fields.get(op.name)
            if old is None or _field_signature(old, connection) != _field_signature(op.field, connection):
                found.append(f"AlterField {app}.{op.model_name}.{op.name} changes the column (type, NULL, index): a "
                             "rewrite or a lock of the table")
        elif isinstance(op, m.RunSQL):
            sql = op.sql if isinstance(op.sql, str) else " ".join(
                s if isinstance(s, str) else s[0] for s in op.sql)
            for statement in sql.split(";"):
                tables = _tables_named(statement)
                if not tables:
                    continue
                if _CREATE_INDEX.search(statement):
                    found.append(f"RunSQL builds an index on {', '.join(tables)} without CONCURRENTLY")
                # A constraint added NOT VALID, then validated, takes no long lock (section 3 of docs/operations.md).
                if _CHANGES_ROWS.search(statement) and not _ONLINE_ALTER.search(statement):
                    found.append(f"RunSQL changes {', '.join(tables)} in one statement: use a @batched RunPython")
        elif isinstance(op, m.RunPython):
            source = _code_text(op.code)
            touched = _tables_named(source) + _models_named(source)
            if not touched:
                continue
            if _CREATE_INDEX.search(source):
                found.append(f"RunPython {op.code.__name__} builds an index on {', '.join(touched)} without "
                             "CONCURRENTLY")
            if _CHANGES_ROWS.search(source) and not (getattr(op.code, "online_batched", False)
                                                      and not migration.atomic):
                found.append(f"RunPython {op.code.__name__} changes {', '.join(touched)}: mark it @batched "
                             "(xiaobao.lib.migrating) and change rows a slice at a time in a migration with "
                             "atomic = False")
    return found


def check(keys=None, *, baseline: set | None = None, report_all: bool = False, out=sys.stdout) -> int:
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    migrations = project_migrations(loader)
    baseline = read_baseline() if baseline is None else baseline
    refused = 0
    for key in sorted(keys or migrations):
        migration = migrations[key]
        old = key in baseline
        if old and not report_all:
            continue
        problems = problems_of(migration, loader, connection)
        if not problems:
            continue
        label = f"{key[0]}.{key[1]}"
        if old:
            print(f"baseline {label}: " + "; ".join(problems), file=out)
        elif reason := getattr(migration, "online_review", ""):
            print(f"reviewed {label} ({reason}): " + "; ".join(problems), file=out)
        else:
            refused += 1
            print(f"REFUSED {label}: " + "; ".join(problems), file=out)
    return 1 if refused else 0


def write_baseline() -> None:
    from django.db.migrations.loader import MigrationLoader

    keys = sorted(project_migrations(MigrationLoader(None, ignore_no_migrations=True)))
    BASELINE.write_text("# Migrations that existed when scripts/check_migrations.py was introduced (issue 24, point 4).\n"
                        "# Never add to this list by hand: a new migration must pass the check.\n"
                        + "".join(f"{app} {name}\n" for app, name in keys))


def main(argv: list[str]) -> int:
    _setup()
    if "--write-baseline" in argv:
        write_baseline()
        return 0
    status = check(report_all="--all" in argv)
    if status:
        print("Some migrations would lock or rewrite a big table; docs/operations.md says how to write them.")
    return 0 if "--all" in argv else status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
