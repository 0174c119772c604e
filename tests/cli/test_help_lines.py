"""`afterview --help` and each group's help list every command with the whole first
sentence of its help, wrapped, never cut with "..."."""

from __future__ import annotations

import click
from click.testing import CliRunner

from afterview.cli.app import whole_short_help
from afterview.cli.main import load_cli


def _groups(cmd: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name, sub in cmd.commands.items():
        if isinstance(sub, click.Group):
            found += _groups(sub, (*path, name))
    return found


def test_command_lists_show_each_first_sentence_whole() -> None:
    cli = load_cli()
    for path in _groups(cli):
        group: click.Command = cli
        for name in path:
            assert isinstance(group, click.Group)
            group = group.commands[name]
        assert isinstance(group, click.Group)
        text = CliRunner().invoke(cli, [*path, "--help"], terminal_width=80).output
        # compared without spaces: the list wraps lines, at hyphens too
        listed = "".join(text.split("Commands:", 1)[1].split())
        assert "..." not in listed, path
        for sub in group.commands.values():
            sentence = "".join(whole_short_help(sub).split())
            assert sentence and sentence in listed, (path, sub.name)
