"""Checkpoints of the audit chain outside the database (issue 16, point 9).

Deleting the newest rows leaves a chain that is valid but shorter; only a record kept elsewhere shows it. On a
schedule (deploy/xiaobao.cron) `manage.py checkpoint_audit` appends the chain's head (its last id and hash) and
row count to a file the operator keeps append-only and may mail away; `verify_audit` reads them back and checks
that each named row is still there with that hash and that many rows up to it. Each line carries a MAC under the
audit key, so a line typed into the file by hand does not pass either.

A year detached to archive storage (xiaobao.cases.history, issue 24, point 3) is written here too: an `archived`
line with the runs of its audit rows in the chain (records.models.ArchivedYear.segments), and a `restored` line
when it is attached again. verify() steps over a missing run only where the last such line of its year says
`archived`, so rows gone from the database are never taken for an archived year once it is back."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db.models import Count

from xiaobao.lib import timeutil

from . import keys
from .audit import archived_runs
from .models import AuditEntry

LINE = re.compile(r"^at=(?P<at>\S+) rows=(?P<rows>\d+) last_id=(?P<last_id>\d+) head=(?P<head>[0-9a-f]{64}) "
                  r"mac=(?P<mac>[0-9a-f]{64})$")


YEAR_LINE = re.compile(r"^(?P<kind>archived|restored) year=(?P<year>\d{4}) at=(?P<at>\S+) segments=(?P<segments>\S+) "
                       r"mac=(?P<mac>[0-9a-f]{64})$")


class CheckpointError(Exception):
    pass


@dataclass(frozen=True)
class Checkpoint:
    at: str
    rows: int
    last_id: int
    head: str

    def body(self) -> str:
        return f"at={self.at} rows={self.rows} last_id={self.last_id} head={self.head}"

    def line(self) -> str:
        return f"{self.body()} mac={keys.mac(self.body().encode())}"


@dataclass(frozen=True)
class YearMark:
    """A year detached (`archived`, with its audit rows' runs) or attached again (`restored`)."""

    kind: str
    year: int
    at: str
    segments: list = field(default_factory=list, hash=False)

    def body(self) -> str:
        runs = json.dumps(self.segments, separators=(",", ":"))
        return f"{self.kind} year={self.year} at={self.at} segments={runs}"

    def line(self) -> str:
        return f"{self.body()} mac={keys.mac(self.body().encode())}"


def path() -> Path:
    return Path(settings.XIAOBAO_AUDIT_CHECKPOINT_FILE)


def current() -> Checkpoint | None:
    """The chain's head and the number of rows up to it, now; None while the trail is empty. Writers hold the
    chain's lock from their INSERT to their commit, so rows commit in id order and the count up to the head
    cannot change afterwards. The rows of years detached to archive storage count (records.audit.archived_runs):
    they are still the chain's, and verify() counts them where it steps over them."""
    last = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
    if last is None:
        return None
    rows = AuditEntry.objects.filter(id__lte=last[0]).aggregate(n=Count("id"))["n"]
    rows += sum(run.rows for run in archived_runs(read_years()) if run.last_id < last[0])
    return Checkpoint(at=timeutil.now().isoformat(timespec="seconds"), rows=rows, last_id=last[0], head=last[1])


def append(checkpoint: Checkpoint | YearMark, target: Path | None = None) -> str:
    target = target or path()
    target.parent.mkdir(parents=True, exist_ok=True)
    line = checkpoint.line()
    with target.open("a", encoding="utf-8") as f:  # append only: earlier checkpoints are never rewritten
        f.write(line + "\n")
    return line


def read(source: Path | None = None) -> list[Checkpoint]:
    """Every checkpoint in the file (none if there is no file). A line that does not parse or whose MAC is
    wrong raises CheckpointError: the file was edited."""
    return [line for line in read_all(source) if isinstance(line, Checkpoint)]


def read_years(source: Path | None = None) -> list[YearMark]:
    """The file's archived and restored years, in the order written."""
    return [line for line in read_all(source) if isinstance(line, YearMark)]


def read_all(source: Path | None = None) -> list[Checkpoint | YearMark]:
    source = source or path()
    if not source.exists():
        return []
    found: list[Checkpoint | YearMark] = []
    for number, text in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        if (y := YEAR_LINE.match(text.strip())) is not None:
            try:
                runs = json.loads(y["segments"])
            except ValueError:
                raise CheckpointError(f"检查点文件 {source} 第 {number} 行格式不对。") from None
            checkpoint = YearMark(kind=y["kind"], year=int(y["year"]), at=y["at"], segments=runs)
        elif (m := LINE.match(text.strip())) is not None:
            checkpoint = Checkpoint(at=m["at"], rows=int(m["rows"]), last_id=int(m["last_id"]), head=m["head"])
        else:
            raise CheckpointError(f"检查点文件 {source} 第 {number} 行格式不对。")
        if checkpoint.line() != text.strip():
            raise CheckpointError(f"检查点文件 {source} 第 {number} 行的校验码不符（被改动过，或审计密钥已更换）。")
        found.append(checkpoint)
    return found
