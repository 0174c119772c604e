"""Moving in from another tracker: a CSV export becomes applications (and leads), with
a preview first; rows already tracked (same address, else same company and role) are
not added twice; all the good rows are written in one transaction, or none."""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

from afterview.services.context import Context
from afterview.sources.trackers import Parsed, Row, stream_tracker
from afterview.store import leads
from afterview.store.codec import put_dt

MAX_FILE = 200 * 1024 * 1024


BATCH = 2000


class ImportReport(NamedTuple):
    """What the import did (or, with `dry_run`, would do)."""

    parsed: Parsed
    added: int
    already_tracked: int
    dry_run: bool
    leads: int
    applied: int


def import_tracker(
    ctx: Context,
    data: bytes,
    kind: str,
    *,
    columns: dict[str, str] | None = None,
    stages: dict[str, str] | None = None,
    date_order: str | None = None,
    encoding: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Read the file and, unless `dry_run`, write its good rows in one transaction,
    in batches as they are read (memory does not grow with the file)."""
    stream = stream_tracker(
        data, kind, columns=columns, stages=stages, date_order=date_order, encoding=encoding
    )
    urls, names = _tracked(ctx)
    counts = {"added": 0, "seen": 0, "lead": 0, "applied": 0}
    batch: list[Row] = []
    with ctx.db.transaction():
        next_id = _next_id(ctx)
        for row in stream.rows:
            counts[row.status] += 1
            name, url = _key(row.company, row.role), _key(row.url) if row.url else None
            if name in names or (url is not None and url in urls):
                counts["seen"] += 1
                continue
            names.add(name)
            if url is not None:
                urls.add(url)
            counts["added"] += 1
            if dry_run:
                continue
            batch.append(row)
            if len(batch) >= BATCH:
                next_id = _write(ctx, batch, kind, next_id)
                batch = []
        if batch:
            _write(ctx, batch, kind, next_id)
        if not dry_run and counts["added"]:
            ctx.db.sync_ids("application")
    parsed = Parsed(
        [], stream.problems, stream.warnings, stream.encoding, stream.delimiter, stream.mapping
    )
    return ImportReport(
        parsed, counts["added"], counts["seen"], dry_run, counts["lead"], counts["applied"]
    )


def _key(*parts: str) -> int:
    """A small fingerprint of what identifies a row (so 100,000 of them stay light)."""
    digest = hashlib.blake2b("\x1f".join(p.lower() for p in parts).encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big")


def _tracked(ctx: Context) -> tuple[set[int], set[int]]:
    urls: set[int] = set()
    names: set[int] = set()
    for company, role, url in ctx.db.query(
        "SELECT company, role, url FROM application WHERE account_id = ?", (ctx.account,)
    ):
        names.add(_key(str(company), str(role)))
        if url:
            urls.add(_key(str(url)))
    return urls, names


def _next_id(ctx: Context) -> int:
    if ctx.db.dialect == "postgresql":  # ids chosen here: no other writer meanwhile
        ctx.db.execute("LOCK TABLE application IN SHARE ROW EXCLUSIVE MODE")
    row = ctx.db.one("SELECT COALESCE(MAX(id), 0) FROM application")
    return int(row[0]) + 1 if row else 1


def _write(ctx: Context, rows: list[Row], kind: str, next_id: int) -> int:
    """Insert a batch (ids from `next_id`); return the next free id."""
    now = put_dt(ctx.now)
    apps = []
    details = []
    for n, r in enumerate(rows):
        app_id = next_id + n
        applied_on = r.applied_on if r.status == "applied" else None  # a lead: not applied
        apps.append((app_id, ctx.account, r.company, r.role, applied_on, r.url, now))
        details.append(
            (app_id, r.location, 0, None, None, None, None, None, None, kind,
             r.source_status, r.notes)
        )  # fmt: skip
    ctx.db.executemany(
        "INSERT INTO application (id, account_id, company, role, applied_on, url, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        apps,
    )
    ctx.db.executemany(
        f"INSERT INTO lead_detail (application_id, {', '.join(leads.COLUMNS)}) "
        f"VALUES (?, {', '.join('?' for _ in leads.COLUMNS)})",
        details,
    )
    return next_id + len(rows)


def report_json(report: ImportReport) -> dict[str, Any]:
    """The report for `--json`."""
    p = report.parsed
    return {
        "dry_run": report.dry_run,
        "rows": report.leads + report.applied,
        "added": report.added,
        "already_tracked": report.already_tracked,
        "leads": report.leads,
        "applied": report.applied,
        "encoding": p.encoding,
        "delimiter": p.delimiter,
        "columns": p.mapping,
        "problems": [{"line": n.line, "problem": n.text} for n in p.problems],
        "warnings": [{"line": n.line, "warning": n.text} for n in p.warnings],
    }
