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


#: The modules that define each top-level command and its subcommands: a command line
#: loads only its command's (tests/cli/test_lazy_commands.py holds this equal to what
#: loading every module registers); help, a typo or no command loads them all.
COMMANDS: dict[str, tuple[str, ...]] = {
    "agenda": ("agenda_cmd",),
    "application": ("edit_cmds", "lead_cmds", "list_cmds", "record_cmds"),
    "assess": ("assess_cmd",),
    "assessment": ("edit_more_cmds",),
    "backup": ("backup_cmds",),
    "calendar": ("calendar_cmds",),
    "config": ("config_cmd",),
    "demo": ("data_cmds",),
    "done": ("record_cmds",),
    "draft": ("draft_cmds",),
    "export": ("data_cmds",),
    "goal": ("lead_cmds",),
    "history": ("journal_cmds",),
    "import": ("data_cmds",),
    "import-tracker": ("tracker_cmd",),
    "insights": ("insights_cmds",),
    "interview": ("edit_cmds", "invite_cmd", "list_cmds", "record_cmds"),
    "lead": ("edit_more_cmds", "lead_cmds", "list_cmds"),
    "log": ("record_cmds",),
    "mail": ("mail_cmds",),
    "message": ("edit_more_cmds",),
    "notify": ("notify_cmd",),
    "outbox": ("mail_cmds",),
    "outcome": ("record_cmds",),
    "person": ("edit_cmds",),
    "prep": ("insights_cmds",),
    "profile": ("profile_cmd", "record_cmds"),
    "questions": ("questions_cmd",),
    "reopen": ("reopen_cmd",),
    "report": ("insights_cmds",),
    "restore": ("backup_cmds",),
    "run": ("mail_cmds",),
    "send": ("mail_cmds",),
    "serve": ("serve_cmd",),
    "skip": ("record_cmds",),
    "stats": ("stats_cmd",),
    "undo": ("journal_cmds",),
}
#: The global options that take a value (`--db URL`), before the command's name.
_VALUED = ("--db", "--now")


def command_name(args: list[str]) -> str | None:
    """The top-level command a command line runs (None: help, a version, or no command)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            return args[i + 1] if i + 1 < len(args) else None
        if arg in _VALUED:
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        return arg
    return None


def load_cli(command: str | None = None) -> click.Group:
    """Return the click group with `command`'s modules registered (every command's when
    `command` is None or unknown)."""
    import importlib

    modules = COMMANDS.get(command or "") or sorted({m for ms in COMMANDS.values() for m in ms})
    for name in modules:
        importlib.import_module(f"afterview.cli.{name}")
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

    cli = load_cli(command_name(args))
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
