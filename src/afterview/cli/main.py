"""Entry point: `afterview` and `python -m afterview`.

The agenda takes a quick path that never loads click (`cli/quick.py`); every other
command line goes to the click CLI, whose modules load only then.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    from afterview.cli import quick

    quick_args = quick.parse(args)
    if quick_args is not None:
        try:
            return quick.run(quick_args)
        except KeyboardInterrupt:
            sys.stderr.write("afterview: interrupted\n")
            return 130
        except BrokenPipeError:
            sys.stderr.close()
            return 0
    return run_click(args)


def load_cli() -> click.Group:
    """Return the click group with every command registered."""
    from afterview.cli import (  # noqa: F401
        agenda_cmd,
        assess_cmd,
        backup_cmds,
        calendar_cmds,
        config_cmd,
        data_cmds,
        draft_cmds,
        edit_cmds,
        edit_more_cmds,
        insights_cmds,
        invite_cmd,
        journal_cmds,
        lead_cmds,
        list_cmds,
        mail_cmds,
        notify_cmd,
        profile_cmd,
        questions_cmd,
        record_cmds,
        reopen_cmd,
        serve_cmd,
        stats_cmd,
        tracker_cmd,
    )
    from afterview.cli.app import cli

    return cli


def usage_line(exc: click.UsageError) -> str:
    """One line for a usage error: where, what, and where to read more (click prints four)."""
    import click

    message = " ".join(exc.format_message().split())
    if type(exc) is click.BadParameter and exc.param is not None:
        from afterview.cli.app import field_name

        message = f"{field_name(exc.param)}: {' '.join(exc.message.split())}"
    path = exc.ctx.command_path if exc.ctx is not None else "afterview"
    return f"{message} (see '{path} --help')"


def run_click(args: list[str]) -> int:
    """Run a command line through the click CLI and return its exit code."""
    import click

    cli = load_cli()
    try:
        cli.main(args=args, prog_name="afterview", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.NoArgsIsHelpError as exc:  # `afterview`, `afterview mail`: help
        assert exc.ctx is not None
        click.echo(exc.ctx.get_help())
        return 0
    except click.UsageError as exc:
        click.echo(f"afterview: {usage_line(exc)}", err=True)
        return exc.exit_code
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
