"""`afterview reopen`: an action ended by `done` or `skip` is open again."""

from __future__ import annotations

import click

from afterview.cli.app import cli, emit_json, json_option, settings, want_json
from afterview.cli.id_completion import complete_ended_actions


@cli.command("reopen")
@click.argument("action_id", shell_complete=complete_ended_actions)
@json_option
def reopen(action_id: str, as_json: bool) -> None:
    """Open again an action ended by done or skip (removes the mark, or the fact done
    recorded); a lapsed or cancelled one cannot be reopened."""
    from afterview.services.reopening import reopen as reopen_action
    from afterview.services.reopening import reopened_json, reopened_line

    ctx = settings().context()
    result = reopen_action(ctx, action_id)
    if want_json(as_json):
        emit_json(reopened_json(ctx, result))
    else:
        click.echo(reopened_line(ctx, result))
