"""`afterview calendar export`: your after-interview actions in the calendar you already use."""

from __future__ import annotations

import sys

import click

from afterview.cli.app import cli, settings


@cli.group()
def calendar() -> None:
    """The actions as a calendar (.ics) to import or subscribe to."""


@calendar.command("export")
@click.option("--out", "out_path", metavar="FILE", help="Write to FILE (default: standard output).")
def calendar_export(out_path: str | None) -> None:
    """Every open action as an event in its ideal window, with a reminder when it starts."""
    from afterview.outfile import check_destination, write_atomically
    from afterview.services.calendar_feed import export_calendar

    to_file = out_path if out_path is not None and out_path != "-" else None
    if to_file is not None:
        check_destination(to_file, "--out")  # before the feed's event numbers move
    data = export_calendar(settings().context())
    if to_file is not None:
        write_atomically(to_file, data, "--out")
        click.echo(f"Wrote {out_path}: import it into your calendar, or subscribe to it.", err=True)
        return
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
