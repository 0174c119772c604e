"""The ids the shell offers for an argument (`shell_complete=complete_interviews`).

Each completer reads the database given by `--db`/`AFTERVIEW_DB` (and `--now`) for
reading only, through `services/completion.py`, and answers nothing at all (no message,
no write, no migration) when it cannot: a database not created yet or at an older
schema, a config that does not read, a server that does not answer. This module loads
with the commands, so it imports nothing but click until a completion is asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

Completer = Callable[[click.Context, click.Parameter, str], list[Any]]


def _completer(use: str, **options: Any) -> Completer:
    """A click `shell_complete` callback offering what `services/completion.<use>` finds."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
        try:
            from click.shell_completion import CompletionItem

            from afterview.cli.session import read_only_context
            from afterview.services import completion

            root = ctx.find_root()
            opened = read_only_context(root.params.get("db"), root.params.get("now"))
            if opened is None:
                return []
            try:
                found = getattr(completion, use)(opened, incomplete, **options)
            finally:
                opened.db.close()
            return [CompletionItem(c.value, help=c.help) for c in found]
        except Exception:  # a completion never fails aloud: the shell shows nothing
            return []

    return complete


complete_interviews = _completer("interview_choices")
complete_applications = _completer("application_choices")
complete_leads = _completer("application_choices", leads=True)
complete_messages = _completer("outbox_choices")
complete_actions = _completer("action_choices", which="open")
complete_done_actions = _completer("action_choices", which="done")
complete_send_actions = _completer("action_choices", which="send")
complete_ended_actions = _completer("action_choices", which="ended")
