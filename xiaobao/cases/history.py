"""History by year (issue 24, point 3; docs/operations.md, section 7): the timeline and the audit trail are
partitioned by year on PostgreSQL (xiaobao.lib.partitions), and an old year can leave the database for archive
storage and come back.

Detaching a year: both tables' partitions of that year are detached in one transaction, the year and the runs
of its audit rows in the chain are recorded (records.models.ArchivedYear, sealed under the audit key) and the
detachment is itself audited; the two tables are written as gzip'd CSV files beside a manifest (row counts, id
and time ranges, the audit rows' first prev_hash and last hash and their runs, each file's SHA-256; the manifest
sealed under the audit key); the checkpoint file outside the database gets an `archived` line
(records.checkpoints); then the tables are dropped. verify() then steps over the year's runs: the year is
archived, not cut out. Attaching reads the files back after checking the manifest and every hash, checks each
audit row's MAC and that its runs are those recorded, attaches the partitions, writes a `restored` line and
audits it.

A year is refused while it is this year or later, while any item with a line in its timeline is still open
(its history would vanish from the item's page while someone works on it), and while the chain does not verify
(an archive must not carry a break away with it)."""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction

from xiaobao.lib import partitions, timeutil
from xiaobao.records import audit, checkpoints, keys
from xiaobao.records.models import ArchivedYear, AuditEntry

from .models import OPEN_STATES, Case, Event

EVENTS = Event._meta.db_table
AUDIT = AuditEntry._meta.db_table
TABLES = (EVENTS, AUDIT)
MANIFEST = "manifest.json"
FORMAT = 1

Report = Callable[[str], None]


class HistoryError(Exception):
    pass


def require_postgresql() -> None:
    if not partitions.supported():
        raise HistoryError("按年分区只用于 PostgreSQL。SQLite 上时间线和审计记录各是一张普通的表，"
                           "没有分区可建、卸下或接入。")


def require_partitioned() -> None:
    require_postgresql()
    missing = [t for t in TABLES if not partitions.is_partitioned(t)]
    if missing:
        raise HistoryError(f"{'、'.join(missing)} 尚未按年分区：先运行 manage.py partition_history。")


def status() -> dict:
    """What each table holds by year: partitions attached (with their rows as the statistics estimate them, -1
    before the partition was first analyzed), DEFAULT's rows by year, and the years archived."""
    require_postgresql()
    tables = {}
    for table in TABLES:
        if not partitions.is_partitioned(table):
            tables[table] = {"partitioned": False}
            continue
        years = partitions.year_partitions(table)
        with connection.cursor() as cur:
            cur.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)",
                        [list(years.values())])
            estimate = dict(cur.fetchall())
        tables[table] = {"partitioned": True, "years": {y: estimate.get(n, 0) for y, n in sorted(years.items())},
                         "default": partitions.rows_in_default(table)}
    archived = [{"year": a.year, "detached": a.detached, "location": a.location,
                 "rows": {t: v.get("rows") for t, v in a.manifest.get("tables", {}).items()}}
                for a in ArchivedYear.objects.all()]
    return {"tables": tables, "archived": archived}


def open_items(year: int) -> int:
    """Items still open with a line of `year` in their timeline."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(DISTINCT e.case_id) FROM {connection.ops.quote_name(partitions.partition_name(EVENTS, year))} e "  # noqa: S608
                    f"JOIN {Case._meta.db_table} c ON c.id = e.case_id WHERE c.state = ANY(%s)", [list(OPEN_STATES)])
        return cur.fetchone()[0]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _seal_manifest(manifest: dict) -> dict:
    body = json.dumps({k: v for k, v in manifest.items() if k != "mac"}, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return {**manifest, "mac": keys.mac(b"history-manifest:" + body.encode())}


def _facts(name: str) -> dict:
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*), min(id), max(id), min(at), max(at) FROM {connection.ops.quote_name(name)}")  # noqa: S608
        rows, low, high, first, last = cur.fetchone()
    return {"rows": rows, "min_id": low, "max_id": high,
            "min_at": first.isoformat() if first else None, "max_at": last.isoformat() if last else None}


def _write(name: str, target: Path) -> None:
    with gzip.open(target, "wb", compresslevel=6) as gz, connection.cursor() as cur, \
            cur.copy(f"COPY (SELECT * FROM {connection.ops.quote_name(name)} ORDER BY id) "  # noqa: S608
                     "TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
        for data in copy:
            gz.write(data)


def _read(name: str, source: Path) -> None:
    with gzip.open(source, "rb") as gz:
        header = gz.readline().decode().strip()
        columns = ", ".join(connection.ops.quote_name(c) for c in header.split(","))
        gz.seek(0)
        with connection.cursor() as cur, \
                cur.copy(f"COPY {connection.ops.quote_name(name)} ({columns}) FROM STDIN "
                         "WITH (FORMAT csv, HEADER)") as copy:
            while chunk := gz.read(1 << 20):
                copy.write(chunk)


def detach(year: int, to: Path, *, report: Report = lambda line: None) -> dict:
    """Detach `year` to the folder `to`/<year>/ (the module's docstring). Returns the manifest."""
    require_partitioned()
    if year >= partitions.current_year():
        raise HistoryError(f"{year} 年是本年度或以后的年度，不能卸下。")
    folder = Path(to) / str(year)
    record = ArchivedYear.objects.filter(year=year).first()
    # A detachment stopped after the partitions were detached but before they were dropped is taken up again:
    # the files are written anew from the tables, which nothing writes to any more.
    resuming = record is not None and record.detached and all(partitions.exists(partitions.partition_name(t, year))
                                                              for t in TABLES)
    if record is not None and record.detached and not resuming:
        raise HistoryError(f"{year} 年已卸下（{record.location}）。")
    if resuming and record.location != str(folder):
        raise HistoryError(f"{year} 年的卸下未完成，接着做时请用同一存放位置：--to {Path(record.location).parent}")
    if (folder / MANIFEST).exists() and not resuming:
        raise HistoryError(f"{folder} 已有 {year} 年的归档清单；换一个存放位置，或先移走它。")
    if not resuming:
        partitions.ensure_years([year], TABLES)  # its rows in DEFAULT, if any, move into the year's partition
        if busy := open_items(year):
            raise HistoryError(f"{year} 年的时间线涉及 {busy} 件尚未办结的投诉举报，办结后才能卸下。")
        check = audit.verify(checkpoints.read(), checkpoints.read_years())
        if not check["ok"]:
            raise HistoryError(f"审计链校验不通过，不能卸下：{check['reason']}")
        # The year's runs and counts are read before the detachment, so that the lock it takes on both tables
        # is held only for the DDL; the year is past and takes no new rows (their `at` is the moment of entry).
        report(f"{year} 年：校验该年的审计记录并分段……")
        name = partitions.partition_name(AUDIT, year)
        try:
            runs = audit.runs_in(name, year, checkpoints.read_years())
        except audit.ArchiveError as e:
            raise HistoryError(f"{year} 年的审计记录校验不通过：{e}") from e
        facts = {t: _facts(partitions.partition_name(t, year)) for t in TABLES}
        report(f"{year} 年：卸下分区……")
        with transaction.atomic():
            # The detachment's audit row first: it chains to the head as it is with the year still there (were
            # the year's last row the head, a row written after the detachment would chain past it), and from
            # here to the commit it holds the chain's lock.
            audit.record(actor=None, action="history_detach", obj=f"history:{year}",
                         detail={"year": year, "to": str(folder), "rows": {t: f["rows"] for t, f in facts.items()}})
            for table in TABLES:
                partitions.detach(table, year)
            record = record or ArchivedYear(year=year)
            record.detached, record.detached_at, record.attached_at = True, timeutil.now(), None
            record.location, record.segments, record.manifest = str(folder), runs, {}
            record.seal()
            record.save()
        if {t: _facts(partitions.partition_name(t, year)) for t in TABLES} != facts:
            # A row of the year came in between the reading and the detachment: read the runs again.
            record.segments = audit.runs_in(name, year, checkpoints.read_years())
            record.seal()
            record.save(update_fields=["segments", "mac"])
    runs = record.segments
    folder.mkdir(parents=True, exist_ok=True)
    tables = {}
    for table in TABLES:
        name = partitions.partition_name(table, year)
        target = folder / f"{table}.csv.gz"
        report(f"{year} 年：写出 {name} → {target}")
        _write(name, target)
        tables[table] = {"file": target.name, "sha256": _sha256(target), "columns": partitions.columns(name),
                         **_facts(name)}
    manifest = _seal_manifest({
        "format": FORMAT, "year": year, "bureau": settings.XIAOBAO_BUREAU_NAME,
        "detached_at": record.detached_at.isoformat(), "key": keys.fingerprint(), "tables": tables,
        "audit": {"rows": tables[AUDIT]["rows"], "first_prev_hash": runs[0][3] if runs else None,
                  "last_hash": runs[-1][4] if runs else None, "segments": runs},
    })
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    checkpoints.append(checkpoints.YearMark("archived", year, timeutil.now().isoformat(timespec="seconds"), runs))
    with transaction.atomic():
        for table in TABLES:
            partitions.drop(partitions.partition_name(table, year))
        record.manifest = manifest
        record.save(update_fields=["manifest"])
    counts = "，".join(f"{t} {v['rows']} 行" for t, v in tables.items())
    report(f"{year} 年已卸下：{counts}；清单 {folder / MANIFEST}")
    return manifest


def read_manifest(source: Path, year: int) -> tuple[Path, dict]:
    folder = Path(source)
    if not (folder / MANIFEST).exists() and (folder / str(year) / MANIFEST).exists():
        folder = folder / str(year)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise HistoryError(f"读不到 {folder / MANIFEST}：{e}") from e
    if not hmac.compare_digest(str(manifest.get("mac", "")), _seal_manifest(manifest)["mac"]):
        raise HistoryError(f"{folder / MANIFEST} 的校验码不符（清单被改动过，或审计密钥不是卸下时的那把）。")
    if manifest.get("year") != year or manifest.get("format") != FORMAT:
        raise HistoryError(f"{folder / MANIFEST} 不是 {year} 年的归档清单。")
    for table in TABLES:
        entry = manifest["tables"][table]
        if _sha256(folder / entry["file"]) != entry["sha256"]:
            raise HistoryError(f"{folder / entry['file']} 的 SHA-256 与清单不符（文件损坏或被改动）。")
    return folder, manifest


def attach(year: int, source: Path, *, report: Report = lambda line: None) -> dict:
    """Bring `year` back from the folder `source` (or `source`/<year>/). Returns verify()'s answer after."""
    require_partitioned()
    if all(year in partitions.year_partitions(t) for t in TABLES):
        raise HistoryError(f"{year} 年的分区都在库中，无需接入。")
    folder, manifest = read_manifest(source, year)
    record = ArchivedYear.objects.filter(year=year).first()
    if record is not None and record.segments != manifest["audit"]["segments"]:
        raise HistoryError(f"清单中 {year} 年审计记录的分段与库中的归档记录不同：这不是卸下时写出的那份归档。")
    for table in TABLES:
        name, entry = partitions.partition_name(table, year), manifest["tables"][table]
        if year in partitions.year_partitions(table):
            continue
        if not partitions.exists(name):
            report(f"{year} 年：读入 {folder / entry['file']} → {name}")
            with transaction.atomic():
                partitions.create_standalone(table, year)
                _read(name, folder / entry["file"])
        facts = _facts(name)
        wanted = {k: entry[k] for k in ("rows", "min_id", "max_id", "min_at", "max_at")}
        if facts != wanted:
            partitions.drop(name)
            raise HistoryError(f"{name} 读入后与清单不符（{facts} ≠ {wanted}），已删除读入的表。")
    audit_name = partitions.partition_name(AUDIT, year)
    if not partitions.is_attached(audit_name):
        try:
            runs = audit.runs_in(audit_name, year, checkpoints.read_years())
        except audit.ArchiveError as e:
            raise HistoryError(f"归档中的审计记录校验不通过：{e}") from e
        if runs != manifest["audit"]["segments"]:
            raise HistoryError(f"归档中 {year} 年审计记录的分段与清单不符。")
    with transaction.atomic():
        for table in TABLES:
            partitions.attach(table, year)
        record = record or ArchivedYear(year=year, detached_at=manifest["detached_at"],
                                        segments=manifest["audit"]["segments"])
        record.detached, record.attached_at = False, timeutil.now()
        record.seal()
        record.save()
        audit.record(actor=None, action="history_attach", obj=f"history:{year}",
                     detail={"year": year, "from": str(folder),
                             "rows": {t: manifest["tables"][t]["rows"] for t in TABLES}})
    checkpoints.append(checkpoints.YearMark("restored", year, timeutil.now().isoformat(timespec="seconds"), []))
    result = audit.verify(checkpoints.read(), checkpoints.read_years())
    counts = "，".join(f"{t} {manifest['tables'][t]['rows']} 行" for t in TABLES)
    report(f"{year} 年已接入：{counts}")
    return result
