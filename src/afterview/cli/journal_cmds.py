"""`afterview undo` and `afterview history`: take back a change, list the changes."""

from __future__ import annotations

from typing import Any

import click

from afterview.cli.app import cli, emit_json, json_option, parse_id_arg, settings, want_json
from afterview.errors import BadInput


@cli.command("undo")
@click.argument("change_id", required=False, metavar="[CHANGE_ID]")
@click.option(
    "--to",
    "to",
    metavar="CHANGE_ID",
    help="Take back this change and every one after it (newest first, all or nothing).",
)
@json_option
def undo(change_id: str | None, to: str | None, as_json: bool) -> None:
    """Take back the latest change not undone yet (again and again, down to the first).

    With CHANGE_ID, that change alone: refused when a later change wrote one of its
    rows (`--to` then takes back both). A message that went out stays sent; the rest
    of its change is taken back, and a line says what was kept.
    """
    from afterview.services import journal

    if change_id is not None and to is not None:
        raise BadInput("--to", "give either CHANGE_ID or --to CHANGE_ID, not both")
    ctx = settings().context()
    if to is not None:
        result = journal.undo_to(ctx, parse_id_arg(to, "--to"))
    elif change_id is not None:
        result = journal.undo_change(ctx, parse_id_arg(change_id, "CHANGE_ID"))
    else:
        result = journal.undo_latest(ctx)
    if want_json(as_json):
        emit_json(
            {
                "undone": [journal.change_json(ctx, c) for c in result.undone],
                "kept": result.kept,
            }
        )
        return
    from afterview.textcheck import printable

    for c in result.undone:
        click.echo(f"undone: change {c.id} ({printable(c.source)}): {printable(c.summary)}")
    for line in result.kept:
        click.echo(f"kept: {printable(line)}")


@cli.command("history")
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=20,
    show_default=True,
    metavar="N",
    help="How many changes to list.",
)
@json_option
def history(limit: int, as_json: bool) -> None:
    """The changes recorded, newest first: id, moment, command or page, what it did, and
    whether it was undone (kept for `[history] keep_days`, 90 by default)."""
    from afterview.services import journal

    ctx = settings().context()
    changes = [journal.change_json(ctx, c) for c in journal.history(ctx, limit)]
    if want_json(as_json):
        emit_json(changes)
        return
    if not changes:
        click.echo("no change recorded yet")
        return
    _lines(changes)


def _lines(changes: list[dict[str, Any]]) -> None:
    from datetime import datetime

    from afterview.textcheck import printable

    width = max(len(str(c["id"])) for c in changes)
    source = min(max(len(printable(c["source"])) for c in changes), 28)
    for c in changes:
        at = datetime.fromisoformat(c["at"])
        line = (
            f"{c['id']:>{width}}  {at:%a %d %b %Y %H:%M}  "
            f"{printable(c['source']):<{source}}  {printable(c['summary'])}"
        )
        if c["undone"]:
            line += f"  [undone {datetime.fromisoformat(c['undone_at']):%a %d %b %H:%M}]"
        click.echo(line)
