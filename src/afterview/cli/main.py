"""Entry point: `afterview` and `python -m afterview`.

The agenda takes a quick path that never loads click (`cli/quick.py`); every other
command line goes to the click CLI, whose modules load only then. A shell asking for
completions (`_AFTERVIEW_COMPLETE` set) always goes to click (`cli/completion.py`).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code."""
    args = sys.argv[1:] if argv is None else list(argv)
    instruction = os.environ.get("_AFTERVIEW_COMPLETE")
    if instruction:  # the shell asks for completions: click answers (cli/completion.py)
        from afterview.cli.completion import run

        return run(instruction)
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
    "application": ("edit_cmds", "groups", "lead_cmds", "list_cmds", "record_cmds"),
    "assess": ("assess_cmd",),
    "assessment": ("edit_more_cmds",),
    "backup": ("backup_cmds",),
    "calendar": ("calendar_cmds",),
    "completion": ("completion_cmd",),
    "config": ("config_cmd",),
    "demo": ("data_cmds",),
    "done": ("record_cmds",),
    "draft": ("draft_cmds",),
    "export": ("data_cmds",),
    "goal": ("lead_cmds",),
    "history": ("journal_cmds",),
    "import": ("data_cmds",),
    "import-tracker": ("tracker_cmd",),
    "init": ("init_cmd",),
    "insights": ("insights_cmds",),
    "interview": ("edit_cmds", "groups", "invite_cmd", "list_cmds", "record_cmds"),
    "lead": ("edit_more_cmds", "groups", "lead_cmds", "list_cmds"),
    "log": ("record_cmds",),
    "mail": ("mail_cmds", "mail_login_cmd"),
    "message": ("edit_more_cmds",),
    "notify": ("notify_cmd",),
    "outbox": ("mail_cmds",),
    "outcome": ("record_cmds",),
    "person": ("edit_cmds",),
    "prep": ("insights_cmds",),
    "profile": ("groups", "profile_cmd", "record_cmds"),
    "questions": ("questions_cmd",),
    "reopen": ("reopen_cmd",),
    "report": ("insights_cmds",),
    "restore": ("backup_cmds",),
    "run": ("mail_cmds",),
    "send": ("mail_cmds",),
    "serve": ("serve_cmd",),
    "server": ("server_cmds",),
    "service": ("service_cmd",),
    "skip": ("record_cmds",),
    "stats": ("stats_cmd",),
    "undo": ("journal_cmds",),
    "where": ("config_cmd",),
}
#: The module of each subcommand of the groups that span several modules (`cli/groups.py`):
#: `application list` loads `list_cmds` only; the group's help or a typo loads them all.
SUBCOMMANDS: dict[str, dict[str, str]] = {
    "application": {
        "add": "record_cmds", "apply": "lead_cmds", "delete": "edit_cmds",
        "edit": "edit_cmds", "list": "list_cmds",
    },
    "interview": {
        "add": "record_cmds", "delete": "edit_cmds", "edit": "edit_cmds",
        "import": "invite_cmd", "list": "list_cmds", "note": "record_cmds",
        "show": "record_cmds", "update": "edit_cmds",
    },
    "lead": {
        "add": "lead_cmds", "board": "lead_cmds", "delete": "edit_more_cmds",
        "edit": "edit_more_cmds", "list": "list_cmds",
    },
    "profile": {"check": "profile_cmd", "reviewed": "record_cmds"},
}  # fmt: skip
#: The global options that take a value (`--db URL`), before the command's name.
_VALUED = ("--db", "--now")


def command_name(args: list[str]) -> str | None:
    """The top-level command a command line runs (None: help, a version, or no command)."""
    return command_words(args)[0]


def command_words(args: list[str]) -> tuple[str | None, str | None]:
    """The command a command line runs and the word after it (its subcommand, when it has
    one; None when an option or nothing follows)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            i += 1
            break
        if arg in _VALUED:
            i += 2
            continue
        if arg.startswith("-"):
            i += 1
            continue
        break
    if i >= len(args):
        return None, None
    after = args[i + 1] if i + 1 < len(args) else None
    return args[i], (after if after is not None and not after.startswith("-") else None)


def load_cli(command: str | None = None, sub: str | None = None) -> click.Group:
    """Return the click group with `command`'s modules registered (only `sub`'s module
    when it is a subcommand of a group in `SUBCOMMANDS`; every command's when `command`
    is None or unknown)."""
    import importlib

    module = SUBCOMMANDS.get(command or "", {}).get(sub or "")
    modules = (
        ("groups", module)
        if module is not None
        else COMMANDS.get(command or "") or sorted({m for ms in COMMANDS.values() for m in ms})
    )
    for name in modules:
        importlib.import_module(f"afterview.cli.{name}")
    from afterview.cli.app import cli

    return cli


def usage_parts(exc: click.UsageError) -> tuple[str | None, str]:
    """`(field, message)` of a usage error: the option or argument it is about (None when
    it is about none), and what is wrong, with where to read more (click prints four lines)."""
    import click

    field = None
    message = " ".join(exc.format_message().split())
    if type(exc) is click.BadParameter and exc.param is not None:
        from afterview.cli.app import field_name

        field, message = field_name(exc.param), " ".join(exc.message.split())
    elif isinstance(exc, click.NoSuchOption):
        field = exc.option_name
    elif isinstance(exc, click.MissingParameter) and exc.param is not None:
        from afterview.cli.app import field_name

        field = field_name(exc.param)
    path = exc.ctx.command_path if exc.ctx is not None else "afterview"
    return field, f"{message} (see '{path} --help')"


def usage_line(exc: click.UsageError) -> str:
    """One line for a usage error: where, what, and where to read more."""
    import click

    field, message = usage_parts(exc)
    return f"{field}: {message}" if field and type(exc) is click.BadParameter else message


def run_click(args: list[str]) -> int:
    """Run a command line through the click CLI and return its exit code; with `--json`,
    an error is one JSON object on stderr (`{"error": {"field", "message", "exit"}}`)."""
    import click

    from afterview.cli.error_line import error_text, json_wanted

    as_json = json_wanted(args)

    def fail(field: str | None, message: str, code: int) -> int:
        click.echo(error_text(field, message, code, as_json), err=True)
        return code

    cli = load_cli(*command_words(args))
    try:
        cli.main(args=args, prog_name="afterview", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.NoArgsIsHelpError as exc:  # `afterview`, `afterview mail`: help
        assert exc.ctx is not None
        click.echo(exc.ctx.get_help())
        return 0
    except click.UsageError as exc:
        field, message = usage_parts(exc)
        if not as_json:
            return fail(None, usage_line(exc), exc.exit_code)
        return fail(field, message, exc.exit_code)
    except click.ClickException as exc:
        from afterview.cli.app import UserError

        if isinstance(exc, UserError):
            return fail(exc.field, exc.problem, exc.exit_code)
        return fail(None, exc.format_message(), exc.exit_code)
    except click.exceptions.Abort:
        return fail(None, "aborted", 130)
    except KeyboardInterrupt:
        return fail(None, "interrupted", 130)
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    return 0
