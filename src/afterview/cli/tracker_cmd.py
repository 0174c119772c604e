"""`afterview import-tracker`: move in from Huntr, Teal, applyr or any CSV."""

from __future__ import annotations

import os
import stat

import click

from afterview.cli.app import cli, emit_json, json_option, settings, want_json
from afterview.errors import BadInput
from afterview.textcheck import shown
from afterview.timewords import counted


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        key, sep, value = v.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise BadInput(option, f"expected NAME=VALUE, got {shown(v)}")
        out[key.strip()] = value.strip()
    return out


@cli.command("import-tracker")
@click.argument("file", metavar="FILE.csv")
@click.option(
    "--from",
    "kind",
    required=True,
    type=click.Choice(["huntr", "teal", "applyr", "generic"]),
    help="Which tracker wrote the file (generic: any CSV, see --column; it reads applyr's too).",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="FIELD=HEADER",
    help="Read FIELD (company, role, status, applied_on, url, location, notes) "
    "from the column HEADER.",
)
@click.option(
    "--status",
    "stages",
    multiple=True,
    metavar="STAGE=lead|applied",
    help="What a stage of the file means (for stages afterview does not know).",
)
@click.option("--day-first", is_flag=True, help="Read 03/04/2026 as 3 April.")
@click.option("--month-first", is_flag=True, help="Read 03/04/2026 as 4 March.")
@click.option(
    "--encoding",
    help="The file's encoding (default: its byte-order mark, else UTF-8, else Windows-1252).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be imported; write nothing.")
@json_option
def import_tracker_cmd(
    file: str, kind: str, columns: tuple[str, ...], stages: tuple[str, ...], day_first: bool,
    month_first: bool, encoding: str | None, dry_run: bool, as_json: bool,
) -> None:  # fmt: skip
    """Import another tracker's CSV export as applications and leads; problems are
    reported by line and the good rows still come in (all in one transaction)."""
    from afterview.services.tracker_import import MAX_FILE, import_tracker, report_json

    if day_first and month_first:
        raise BadInput("--day-first", "give one of --day-first, --month-first, not several")
    order = "day-first" if day_first else "month-first" if month_first else None
    if encoding is not None:
        from afterview.sources.csv_text import check_encoding

        check_encoding(encoding)
    stage_map = _pairs(stages, "--status")
    for stage, meaning in stage_map.items():
        if meaning not in ("lead", "applied"):
            raise BadInput(
                "--status", f"{shown(stage)}: expected lead or applied, got {shown(meaning)}"
            )
    try:
        fh = open(file, "rb")  # noqa: SIM115 (closed below; read as the import goes)
    except OSError as exc:
        raise BadInput("FILE", f"cannot read {shown(file, 200)}: {exc.strerror}") from None
    with fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise BadInput("FILE", f"{shown(file, 200)} is not a regular file")
        if info.st_size > MAX_FILE:
            raise BadInput("FILE", f"over {MAX_FILE // 1048576} MB")
        report = import_tracker(
            settings().context(), fh, kind, columns=_pairs(columns, "--column"),
            stages=stage_map, date_order=order, encoding=encoding, dry_run=dry_run,
        )  # fmt: skip
    out = report_json(report)
    if want_json(as_json):
        emit_json(out)
        return
    verb = "would add" if dry_run else "added"
    click.echo(
        f"{counted(out['rows'], 'good row')} ({out['applied']} applied, "
        f"{counted(out['leads'], 'lead')}): {verb} "
        f"{out['added']}, {out['already_tracked']} already tracked; "
        f"{counted(len(out['problems']), 'row')} with problems"
    )
    for p in out["problems"]:
        click.echo(f"  line {p['line']}: {p['problem']}", err=True)
    for w in out["warnings"]:
        where = f"line {w['line']}: " if w["line"] else ""
        click.echo(f"  note: {where}{w['warning']}", err=True)
