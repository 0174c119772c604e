"""`afterview interview import FILE.ics`: an interview from the invitation itself."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

import click

from afterview.cli.app import emit_json, json_option, settings, want_json
from afterview.cli.groups import interview
from afterview.errors import BadInput
from afterview.textcheck import shown

_WORDS = {
    "added": "Added interview {id}",
    "moved": "Moved interview {id}",
    "unchanged": "Interview {id} was imported already (same or older SEQUENCE): nothing changed",
    "cancelled": "Cancelled: interview {id} removed",
    "not found": "A cancellation of an invitation never imported: nothing to do",
}


@interview.command("import")
@click.argument("path", metavar="FILE")
@click.option(
    "--company", metavar="C", help="The company (else guessed from the title and addresses)."
)
@click.option("--role", metavar="R", help="The role (else guessed from the title).")
@json_option
def interview_import(path: str, company: str | None, role: str | None, as_json: bool) -> None:
    """Add (or move, or cancel) interviews from an invitation .ics file (- for stdin)."""
    from afterview.cal.invite import MAX_BYTES
    from afterview.services.invitations import as_json as result_json
    from afterview.services.invitations import import_invitations, notes

    data = _read(path, MAX_BYTES + 1)
    ctx = settings().context()
    results = import_invitations(ctx, data, company, role)
    if want_json(as_json):
        emit_json([result_json(r) for r in results])
        return
    for note in notes(results):
        click.echo(f"note: {note}", err=True)
    for r in results:
        click.echo(_line(r, ctx.now, ctx.user_tz))


def _read(path: str, limit: int) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read(limit)
        with open(path, "rb") as fh:
            return fh.read(limit)
    except OSError as exc:
        raise BadInput("FILE", f"cannot read {shown(path, 200)}: {exc.strerror}") from None


def _line(r: Any, now: datetime, here: str) -> str:
    """One invitation's result; an interview's time on the clock of `here` (the user's
    zone), with the interview's own where that clock differs."""
    from afterview.timewords import span_words

    inv = r.invitation
    head = _WORDS[r.what].format(id=r.interview_id)
    if r.what in ("added", "moved"):
        when = span_words(inv.start, inv.end, now, here, inv.tz)
        what = f"{r.company} · {r.role}, " if r.company else ""
        fmt = f", {inv.format}" if inv.format else ""
        place = f" ({inv.meeting_url or inv.location})" if (inv.meeting_url or inv.location) else ""
        people = ", ".join(n for n, _ in r.people) or "no interviewer named"
        return f"{head}: {what}{when}{fmt}{place}, with {people}"
    return f"{head}: {inv.summary or inv.uid}"
