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
    from afterview.services.calendar_feed import export_calendar

    data = export_calendar(settings().context())
    if out_path and out_path != "-":
        from afterview.services.drafting import write_file

        write_file(out_path, data, field="--out")
        click.echo(f"Wrote {out_path}: import it into your calendar, or subscribe to it.", err=True)
        return
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
