"""`afterview notify`: the daily digest and alerts, to the channels in the config."""

from __future__ import annotations

import click

from afterview.cli.app import cli, emit_json, json_option, settings, want_json
from afterview.errors import Refused


@cli.command("notify")
@json_option
def notify_cmd(as_json: bool) -> None:
    """Send the daily digest and an alert per action that enters its ideal window or turns overdue."""
    from afterview.services.notify import notify

    report = notify(settings().context())
    if want_json(as_json):
        emit_json(report._asdict())
    else:
        line = f"{report.sent} notifications sent"
        if report.waiting:
            line += f"; {report.waiting} alerts wait for the end of the quiet hours"
        click.echo(line)
    if report.failed:
        raise Refused(f"channel failed, tried again next time: {', '.join(report.failed)}")
