"""Entry point: `afterview` and `python -m afterview`."""

from __future__ import annotations

import sys

import click

from afterview.cli import (  # noqa: F401
    agenda_cmd,
    assess_cmd,
    config_cmd,
    data_cmds,
    draft_cmds,
    record_cmds,
)
from afterview.cli.app import cli


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    try:
        cli.main(args=argv, prog_name="afterview", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("afterview: aborted", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("afterview: interrupted", err=True)
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    return 0
