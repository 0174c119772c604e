"""The README documents every command, and its opening gives the two set-up commands."""

from __future__ import annotations

from pathlib import Path

import click

from afterview.cli.main import load_cli

cli = load_cli()

ROOT = Path(__file__).resolve().parents[1]


def _commands(group: click.Group, prefix: str = "afterview") -> list[str]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if isinstance(cmd, click.Group):
            out += _commands(cmd, path)
        else:
            out.append(path)
    return out


def test_every_command_is_in_the_readme_reference() -> None:
    readme = (ROOT / "README.md").read_text()
    reference = readme.split("## CLI reference", 1)[1]
    missing = [c for c in _commands(cli) if f"`{c}" not in reference]
    assert not missing, f"undocumented commands: {missing}"


def test_every_option_is_in_the_readme_reference() -> None:
    reference = (ROOT / "README.md").read_text().split("## CLI reference", 1)[1]

    def walk(group: click.Group) -> list[tuple[str, str]]:
        found = []
        for name, cmd in group.commands.items():
            if isinstance(cmd, click.Group):
                found += walk(cmd)
                continue
            for p in cmd.params:
                if isinstance(p, click.Option) and p.name != "as_json":
                    found.append((name, max(p.opts, key=len)))
        return found

    missing = [(c, o) for c, o in walk(cli) if o not in reference]
    assert not missing, f"undocumented options: {missing}"


def test_readme_opens_with_the_two_commands() -> None:
    head = (ROOT / "README.md").read_text().split("\n## ", 1)[0]
    assert "./scripts/demo" in head and "./scripts/test" in head
    assert (ROOT / "scripts" / "demo").exists()


def test_changelog_exists() -> None:
    assert "## " in (ROOT / "CHANGELOG.md").read_text()
