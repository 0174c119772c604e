"""`afterview agenda`: what to do now and in the coming days."""

from __future__ import annotations

import click

from afterview.cli.app import cli, emit_json, json_option, settings, want_json
from afterview.services.views import agenda_view


@cli.command("agenda")
@json_option
@click.option("--all", "all_", is_flag=True, help="Also ended actions, and those further ahead.")
def agenda(as_json: bool, all_: bool) -> None:
    """What to do now: overdue, ideal now, open, upcoming."""
    view = agenda_view(settings().context(), everything=all_)
    if want_json(as_json):
        emit_json({"at": view["at"], "actions": view["actions"]})
        return
    from afterview.cli.agenda_view import render_agenda

    render_agenda(view, all_)
