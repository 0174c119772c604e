"""Moving in from another tracker: a CSV export becomes applications (and leads), with
a preview first; rows already tracked (same address, else same company and role) are
not added twice; all the good rows are written in one transaction, or none."""

from __future__ import annotations

from typing import Any, BinaryIO, NamedTuple

from afterview.errors import BadInput
from afterview.services.context import Context
from afterview.sources.trackers import Row, Stream, stream_tracker
from afterview.store import tracked
from afterview.store.codec import put_dt

MAX_FILE = 200 * 1024 * 1024

BATCH = tracked.BATCH


class ImportReport(NamedTuple):
    """What the import did (or, with `dry_run`, would do)."""

    parsed: Stream  # its problems and warnings are complete once the import is done
    added: int
    already_tracked: int
    dry_run: bool
    leads: int
    applied: int


def import_tracker(
    ctx: Context,
    data: bytes | BinaryIO,
    kind: str,
    *,
    columns: dict[str, str] | None = None,
    stages: dict[str, str] | None = None,
    date_order: str | None = None,
    encoding: str | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Read the file (bytes, or a seekable binary file read as it goes) and, unless
    `dry_run`, write its good rows in one transaction, in batches. What is already
    tracked is known from fingerprints in a temporary table, so memory stays flat.

    A file with no good row (no company column, nothing readable, every row a problem)
    is refused with one line naming the first problem: nothing is written."""
    stream = stream_tracker(
        data, kind, columns=columns, stages=stages, date_order=date_order, encoding=encoding
    )
    counts = {"added": 0, "seen": 0, "lead": 0, "applied": 0}
    with ctx.db.transaction():
        seen = tracked.TrackedKeys(ctx.db, ctx.account, _fingerprints)
        next_id = tracked.next_application_id(ctx.db)
        batch: list[Row] = []
        for row in stream.rows:
            if row.status == "applied" and row.applied_on is None:
                row = row._replace(status="lead")  # afterview counts an application by its day
            counts[row.status] += 1
            batch.append(row)
            if len(batch) >= BATCH:
                next_id = _batch(ctx, seen, batch, kind, next_id, counts, dry_run)
                batch = []
        _batch(ctx, seen, batch, kind, next_id, counts, dry_run)
        if not counts["lead"] + counts["applied"]:
            raise BadInput("FILE", _nothing(stream))  # rolls back: nothing was written
        seen.drop()
        if not dry_run and counts["added"]:
            ctx.db.sync_ids("application")
    return ImportReport(
        stream, counts["added"], counts["seen"], dry_run, counts["lead"], counts["applied"]
    )


def _nothing(stream: Stream) -> str:
    """The one line for a file that gives no row: its first problem, and how many more."""
    if not stream.problems:
        return "nothing to import: no row below the header"
    first = stream.problems[0]
    more = len(stream.problems) - 1
    also = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"nothing to import: line {first.line}: {first.text}{also}"


def _key(kind: str, *parts: str) -> int:
    """A fingerprint of what identifies a row, as a signed 64-bit number (an SQL BIGINT).
    Python's own hash: it only has to agree within this one import."""
    return hash((kind, *(p.lower() for p in parts)))


def _fingerprints(company: str, role: str, url: str | None) -> list[int]:
    """The keys of a stored application: its company and role, and its address."""
    return [_key("n", company, role), *([_key("u", url)] if url else [])]


def _batch(
    ctx: Context, seen: tracked.TrackedKeys, rows: list[Row], kind: str, next_id: int,
    counts: dict[str, int], dry_run: bool,
) -> int:  # fmt: skip
    """Skip the tracked rows of a batch, write the others; return the next free id."""
    keys = [(_key("n", r.company, r.role), _key("u", r.url) if r.url else None) for r in rows]
    known = seen.known([k for pair in keys for k in pair if k is not None])
    fresh: list[Row] = []
    new_keys: list[tuple[int]] = []
    for row, (name, url) in zip(rows, keys, strict=True):
        if name in known or (url is not None and url in known):
            counts["seen"] += 1
            continue
        known.add(name)
        new_keys.append((name,))
        if url is not None:
            known.add(url)
            new_keys.append((url,))
        fresh.append(row)
    counts["added"] += len(fresh)
    seen.add(new_keys)
    if dry_run or not fresh:
        return next_id
    return _write(ctx, fresh, kind, next_id)


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
    tracked.insert_applications(ctx.db, apps, details)
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
