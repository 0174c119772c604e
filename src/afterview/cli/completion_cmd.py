"""`afterview completion show|install`: the shell completion scripts (`cli/completion.py`)."""

from __future__ import annotations

import click

from afterview.cli.app import cli, emit_json, json_option, want_json

_SHELL = click.Choice(["bash", "zsh", "fish"])


@cli.group("completion")
def completion_group() -> None:
    """Shell completion for bash, zsh and fish: commands, options and ids."""


@completion_group.command("show")
@click.argument("shell", type=_SHELL)
@json_option
def completion_show(shell: str, as_json: bool) -> None:
    """Print the completion script for SHELL (bash, zsh or fish)."""
    from afterview.cli.completion import script

    if want_json(as_json):
        emit_json({"shell": shell, "script": script(shell)})
    else:
        click.echo(script(shell), nl=False)


@completion_group.command("install")
@click.option("--shell", type=_SHELL, help="bash, zsh or fish (default: the one $SHELL names).")
@json_option
def completion_install(shell: str | None, as_json: bool) -> None:
    """Write the completion script where your shell loads it (no start-up file edited;
    for zsh, prints the line to add to .zshrc when needed). Running it again is harmless."""
    import os

    from afterview.cli.completion import script
    from afterview.services.completion_install import guess_shell, install

    chosen = shell or guess_shell(os.environ.get("SHELL"))
    done = install(chosen, script(chosen))
    if want_json(as_json):
        emit_json(
            {
                "shell": done.shell,
                "path": done.path,
                "changed": done.changed,
                "add_to": done.add_to,
                "lines": list(done.lines),
            }
        )
        return
    if done.changed:
        click.echo(f"Wrote {done.shell} completion to {done.path}")
    else:
        click.echo(f"{done.shell} completion already up to date in {done.path}")
    if done.lines:
        click.echo(f"Add to {done.add_to}:")
        for line in done.lines:
            click.echo(f"  {line}")
    click.echo("It takes effect in a new shell.")
