"""The command groups whose subcommands live in several modules (`application`,
`interview`, `lead`, `profile`): defined here, apart from any subcommand, so a command
line loads only the modules of the subcommand it runs (`cli/main.py`'s `SUBCOMMANDS`)."""

from __future__ import annotations

from afterview.cli.app import cli


@cli.group()
def application() -> None:
    """Applications: the jobs you applied to."""


@cli.group()
def interview() -> None:
    """Interviews: add, edit, delete, list, show, note topics."""


@cli.group("lead")
def lead() -> None:
    """Job leads: postings you may apply to (they keep the search moving)."""


@cli.group()
def profile() -> None:
    """Your profile (CV and LinkedIn)."""
