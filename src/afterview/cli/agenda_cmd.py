"""`afterview agenda`: what to do now and in the coming days.

The same command runs without click on the quick path (`cli/quick.py`); both call
`print_agenda`.
"""

from __future__ import annotations

import sys

import click

from afterview.cli.agenda_view import print_agenda
from afterview.cli.app import cli, json_option, settings, want_json


@cli.command("agenda")
@json_option
@click.option("--all", "all_", is_flag=True, help="Also ended actions, and those further ahead.")
def agenda(as_json: bool, all_: bool) -> None:
    """What to do now: overdue, ideal now, open, upcoming."""
    print_agenda(settings().context(), want_json(as_json), all_, sys.stdout)
