"""The agenda's quick path: `afterview agenda` without loading click.

The agenda is the command people (and scripts, and status bars) run most, so it
should answer about as fast as the interpreter starts. `main()` tries this path
first; it takes only a command line of exactly this shape:

    afterview [--db V] [--now V] [--json] agenda [--json] [--all]

with each option at most once, written `--opt V` or `--opt=V`. Anything else
(help, `--version`, another command, an unknown option, a repeated one, a
missing value) goes to the click CLI, which parses it and reports errors. Both
paths open the context with `cli/session.py` and print with `print_agenda`;
tests/cli/test_quick_path.py checks they print the same thing.
"""

import gc
import os
import sys
from typing import NamedTuple, TextIO

from afterview.errors import AfterviewError
from afterview.textcheck import is_utf8


class QuickArgs(NamedTuple):
    """The options of an agenda command line."""

    db: str | None
    now: str | None
    as_json: bool
    all_: bool


_VALUED = ("--db", "--now")
#: the options a bad value can come from on this path, by field
_GLOBAL = {"db": "--db", "now": "--now"}


def parse(argv: list[str]) -> QuickArgs | None:
    """Return the agenda's options, or None when click must handle this command line."""
    values: dict[str, str] = {}
    flags: set[str] = set()
    command_seen = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "agenda" and not command_seen:
            command_seen = True
            continue
        name, eq, value = arg.partition("=")
        if not command_seen and name in _VALUED:
            if name in values:
                return None
            if not eq:
                if i >= len(argv):
                    return None
                value = argv[i]
                i += 1
            if not value.strip() or not is_utf8(value):
                return None  # click refuses an empty value or bad UTF-8 with its one line
            values[name] = value
            continue
        allowed = ("--json", "--all") if command_seen else ("--json",)
        key = ("cmd" if command_seen else "top") + arg
        if arg in allowed and key not in flags:
            flags.add(key)
            continue
        return None
    if not command_seen:
        return None
    # click reads these variables for options not given; an empty one counts as unset
    db = values.get("--db") or os.environ.get("AFTERVIEW_DB") or None
    now = values["--now"] if "--now" in values else (os.environ.get("AFTERVIEW_NOW") or None)
    as_json = "top--json" in flags or "cmd--json" in flags
    return QuickArgs(db=db, now=now, as_json=as_json, all_="cmd--all" in flags)


def run(args: QuickArgs, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Print the agenda; return the exit code (errors as one line on `err`, like the CLI)."""
    from afterview.cli.session import db_error_line, open_context

    # A short run that builds many small objects and no reference cycles worth
    # collecting: the cyclic collector would only walk them over and over.
    gc.disable()
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        ctx = open_context(args.db, args.now)
        try:
            from afterview.cli.agenda_view import print_agenda

            print_agenda(ctx, args.as_json, args.all_, out)
        finally:
            ctx.db.close()
    except AfterviewError as exc:
        from afterview.cli.error_line import error_parts, error_text

        err.write(error_text(*error_parts(exc, _GLOBAL.get), exc.exit_code, args.as_json) + "\n")
        return exc.exit_code
    except Exception as exc:
        from afterview.cli.error_line import error_text
        from afterview.errors import db_error_code

        line = db_error_line(exc)
        if line is None:
            raise
        err.write(error_text(None, line, db_error_code(line), args.as_json) + "\n")
        return db_error_code(line)
    finally:
        gc.enable()
    return 0
