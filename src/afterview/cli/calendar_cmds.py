"""`afterview calendar export`: your after-interview actions in the calendar you already use."""

from __future__ import annotations

import sys

import click

from afterview.cli.app import cli, emit_json, json_option, settings, want_json


@cli.group()
def calendar() -> None:
    """The actions as a calendar (.ics) to import or subscribe to."""


@calendar.command("export")
@click.option("--out", "out_path", metavar="FILE", help="Write to FILE (default: standard output).")
@json_option
def calendar_export(out_path: str | None, as_json: bool) -> None:
    """Every open action as an event in its ideal window, with a reminder when it starts;
    with --json, the count of events and where they went (or the calendar as text)."""
    from afterview.outfile import check_destination, discard, finish, prepare
    from afterview.services.calendar_feed import export_calendar

    to_file = out_path if out_path is not None and out_path != "-" else None
    if to_file is None:
        data = export_calendar(settings().context())
    else:
        check_destination(to_file, "--out")  # before the feed's event numbers move
        written: list[str] = []
        try:
            # the file is written beside its place before the numbers are committed
            export_calendar(
                settings().context(), keep=lambda d: written.append(prepare(to_file, d, "--out"))
            )
            finish(written[0], to_file, "--out")
        finally:
            for tmp in written:
                discard(tmp)
        if want_json(as_json):
            emit_json({"out": out_path, "events": len(_events(to_file))})
        else:
            click.echo(
                f"Wrote {out_path}: import it into your calendar, or subscribe to it.", err=True
            )
        return
    if want_json(as_json):
        emit_json({"events": len(_events(data)), "ics": data.decode()})
        return
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def _events(source: bytes | str) -> list[bytes]:
    """The VEVENT blocks of a calendar (`source`: its bytes or the file written)."""
    from pathlib import Path

    data = Path(source).read_bytes() if isinstance(source, str) else source
    return [line for line in data.splitlines() if line == b"BEGIN:VEVENT"]
