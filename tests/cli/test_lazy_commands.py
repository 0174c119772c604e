"""A command line loads only its command's modules (`cli/main.py`'s `COMMANDS`), and
that map says every module that adds to each command, so nothing goes missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest

from afterview.cli.main import COMMANDS, SUBCOMMANDS, command_name, command_words, load_cli


def _modules(command: click.Command) -> set[str]:
    found = {command.callback.__module__} if command.callback else set()
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found |= _modules(sub)
    return found


def test_the_map_names_every_module_of_every_command() -> None:
    cli = load_cli()
    computed = {
        name: tuple(sorted(m.removeprefix("afterview.cli.") for m in _modules(command)))
        for name, command in cli.commands.items()
    }
    assert computed == COMMANDS


def test_the_subcommand_map_names_the_module_of_every_subcommand() -> None:
    """Each group of `SUBCOMMANDS` is defined in `cli/groups.py`, and each of its
    subcommands in the one module the map names; every group spanning modules is there."""
    cli = load_cli()
    spanning = {
        name
        for name, command in cli.commands.items()
        if isinstance(command, click.Group)
        and len(_modules(command) - {command.callback.__module__ if command.callback else ""}) > 1
    }
    assert set(SUBCOMMANDS) == spanning
    for name, subs in SUBCOMMANDS.items():
        group = cli.commands[name]
        assert group.callback is not None
        assert group.callback.__module__ == "afterview.cli.groups"
        computed = {
            sub: "".join(m.removeprefix("afterview.cli.") for m in _modules(command))
            for sub, command in group.commands.items()  # type: ignore[attr-defined]
        }
        assert computed == subs


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--db", "x.db", "application", "list", "--all"], ("application", "list")),
        (["interview", "--help"], ("interview", None)),
        (["lead"], ("lead", None)),
        (["--json"], (None, None)),
    ],
)
def test_the_command_words(args: list[str], words: tuple[str | None, str | None]) -> None:
    assert command_words(args) == words


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["agenda"], "agenda"),
        (["--db", "x.db", "--now", "2026-01-01T10:00", "interview", "list"], "interview"),
        (["--db=x.db", "--json", "lead", "list", "--all"], "lead"),
        (["--help"], None),
        ([], None),
        (["--", "outbox"], "outbox"),
    ],
)
def test_the_command_name_skips_global_options(args: list[str], name: str | None) -> None:
    assert command_name(args) == name


def test_a_list_loads_its_own_modules_only(tmp_path: Path) -> None:
    """Through a real process: `interview list` runs, without the web app's or mail's
    command modules; `--help` (no command) still lists every command."""
    db = str(tmp_path / "lazy.db")
    probe = (
        "import sys\n"
        "from afterview.cli.main import main\n"
        f"code = main(['--db', {db!r}, 'interview', 'list', '--json'])\n"
        "print(code, ' '.join(sorted(m for m in sys.modules if m.startswith('afterview.cli.'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.splitlines()[-1]
    code, loaded = out.split(" ", 1)
    assert code == "0"
    assert "afterview.cli.list_cmds" in loaded
    assert "afterview.cli.record_cmds" not in loaded and "afterview.cli.edit_cmds" not in loaded
    assert "afterview.cli.serve_cmd" not in loaded and "afterview.cli.mail_cmds" not in loaded
    helped = subprocess.run(
        [sys.executable, "-m", "afterview", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert all(f"  {name} " in helped or f"  {name}\n" in helped for name in COMMANDS)
