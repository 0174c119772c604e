"""The click group, global options, error handling and output helpers shared by commands."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from typing import Any

import click

from afterview.cli.error_line import error_line, error_parts, option_for, reworded
from afterview.cli.session import db_error_line, open_context
from afterview.cli.style import dump_json
from afterview.errors import AfterviewError, BadInput, db_error_code
from afterview.textcheck import is_utf8, shown


class UserError(click.ClickException):
    """An AfterviewError shown as one line on stderr, with its exit code; `field` is the
    option or argument it names (None when it names none), `problem` the rest."""

    def __init__(
        self, message: str, exit_code: int, field: str | None = None, problem: str | None = None
    ) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]
        self.field = field
        self.problem = message if problem is None else problem

    @classmethod
    def named(cls, field: str, problem: str, exit_code: int = 2) -> UserError:
        """A bad value of `field`: `FIELD: PROBLEM`."""
        return cls(f"{field}: {problem}", exit_code, field, problem)

    def show(self, file: Any = None) -> None:
        """Print the one line (secrets hidden)."""
        from afterview.cli.error_line import error_text

        click.echo(error_text(self.field, self.problem, self.exit_code, False), err=True)


def _db_error(exc: Exception) -> UserError | None:
    line = db_error_line(exc)
    return UserError(line, db_error_code(line)) if line is not None else None


def field_name(param: click.Parameter) -> str:
    """The name a user typed for `param`: its longest option, or its metavar."""
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return param.human_readable_name


def check_given_values(ctx: click.Context, params: list[click.Parameter]) -> None:
    """Refuse an empty value and text that is not UTF-8, for every value typed or set in
    the environment (a script's unset variable must not mean "the default")."""
    from click.core import ParameterSource

    for param in params:
        if param.name is None or getattr(param, "allow_empty", False):
            continue
        source = ctx.get_parameter_source(param.name)
        if source not in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT):
            continue
        value = ctx.params.get(param.name)
        values = value if isinstance(value, tuple) else (value,)
        for v in values:
            if not isinstance(v, str):
                continue
            if not v.strip():
                raise UserError.named(field_name(param), "expected a value, got an empty string")
            if not is_utf8(v):
                raise UserError.named(field_name(param), "is not valid UTF-8 text")


class EmptyOK(click.Option):
    """An option whose empty value means something (`questions answer --text ""` clears)."""

    allow_empty = True


_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")


def _strict_int(value: Any, param: click.Parameter | None, ctx: click.Context | None) -> None:
    if isinstance(value, str) and not _WHOLE.fullmatch(value.strip()):
        raise click.BadParameter(
            f"expected a whole number written with the digits 0-9, got {shown(value)}", ctx, param
        )


class StrictInt(click.types.IntParamType):
    """An integer written with ASCII digits (Python's `int` also reads '١٢' and '1_000')."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Refuse anything but [+-]digits, then convert as click does."""
        _strict_int(value, param, ctx)
        return super().convert(value, param, ctx)


class StrictIntRange(click.IntRange):
    """`click.IntRange` with the digits of `StrictInt`."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Refuse anything but [+-]digits, then convert and check the range as click does."""
        _strict_int(value, param, ctx)
        return super().convert(value, param, ctx)


def _strict_types(params: list[click.Parameter]) -> None:
    for param in params:
        t = param.type
        if isinstance(t, click.IntRange) and not isinstance(t, StrictIntRange):
            param.type = StrictIntRange(t.min, t.max, t.min_open, t.max_open, t.clamp)
        elif type(t) is click.types.IntParamType:
            param.type = StrictInt()


def whole_short_help(cmd: click.Command) -> str:
    """The first sentence of a command's help, whole: click cuts it to fit 80 columns with
    "..." in the list of commands; here the list wraps it instead."""
    from click.utils import _make_default_short_help

    if cmd.short_help:
        return cmd.short_help
    return _make_default_short_help(cmd.help or "", max_length=10_000)


class Command(click.Command):
    """A command whose typed values are checked for emptiness and encoding first."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _strict_types(self.params)

    def get_short_help_str(self, limit: int = 45) -> str:
        """The first sentence of the help, never cut (`whole_short_help`)."""
        return whole_short_help(self)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse as click does, then check the values given."""
        check_one_of(self.params, args)
        rest = super().parse_args(ctx, args)
        check_given_values(ctx, self.get_params(ctx))
        return rest

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a bad value is named by the option that gave it."""
        try:
            return super().invoke(ctx)
        except BadInput as exc:
            raise reworded(exc, option_for(self.get_params(ctx))) from None


def check_one_of(params: list[click.Parameter], args: list[str]) -> None:
    """Refuse two flags that set one value (`--sent --received`, `--sent --not-sent`):
    click keeps the last one given. Values of options (`--note "--received"`) are not flags."""
    takes_value = {
        o
        for p in params
        if isinstance(p, click.Option) and not p.is_flag and not p.count
        for o in (*p.opts, *p.secondary_opts)
    }
    flags: list[str] = []
    words = args[: args.index("--")] if "--" in args else args
    i = 0
    while i < len(words):
        word = words[i]
        i += 2 if word in takes_value else 1
        flags.append(word.split("=", 1)[0])
    groups: dict[str, list[str]] = {}
    for p in params:
        if isinstance(p, click.Option) and p.is_flag and p.name:
            if p.is_bool_flag and not p.secondary_opts:
                continue
            groups.setdefault(p.name, []).extend((*p.opts, *p.secondary_opts))
    for opts in groups.values():
        given = list(dict.fromkeys(o for o in flags if o in opts))
        if len(given) > 1:
            raise UserError.named(given[0], f"give one of {', '.join(opts)}, not several")


class Group(click.Group):
    """A group that turns AfterviewError (and database errors) into one clear line."""

    command_class = Command
    group_class = type

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _strict_types(self.params)

    def get_short_help_str(self, limit: int = 45) -> str:
        """The first sentence of the help, never cut (`whole_short_help`)."""
        return whole_short_help(self)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Parse as click does, then check the values given."""
        rest = super().parse_args(ctx, args)
        check_given_values(ctx, self.get_params(ctx))
        return rest

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AfterviewError as exc:
            wording = option_for(self.get_params(ctx))
            field, problem = error_parts(exc, wording)
            raise UserError(error_line(exc, wording), exc.exit_code, field, problem) from None
        except Exception as exc:
            err = _db_error(exc)
            if err is None:
                raise
            raise err from None


@dataclass
class Settings:
    """The global options."""

    db: str | None
    now: str | None
    json: bool
    _ctx: Any = None

    def context(self) -> Any:
        """Open the database and return the use-case context (once per command)."""
        if self._ctx is None:
            self._ctx = open_context(self.db, self.now)
            here = click.get_current_context()
            here.call_on_close(self._ctx.db.close)
            # the change journal names the command: "interview add"
            self._ctx.journal_source = " ".join(here.command_path.split()[1:]) or "afterview"
        return self._ctx


def settings() -> Settings:
    """Return the global options of the running command."""
    obj = click.get_current_context().find_root().obj
    assert isinstance(obj, Settings)
    return obj


def want_json(local: bool) -> bool:
    """True when `--json` was given globally or to the command."""
    return local or settings().json


def emit_json(value: Any) -> None:
    """Print a JSON document (UTF-8, key order as built; indented only on a terminal)."""
    dump_json(value, sys.stdout)


def emit_id(record: dict[str, Any], as_json: bool, line: str | None = None) -> None:
    """Print a new record's id (what scripts read), or the record as one JSON object; on a
    terminal, `line` instead, which names the record and its id (`Added interview 3: …`)."""
    if as_json:
        emit_json(record)
    elif line is not None and sys.stdout.isatty():
        click.echo(line)
    else:
        click.echo(str(record["id"]))


def parse_id_arg(value: str, what: str) -> int:
    """Read a numeric id argument (exit 2 when it is not a number)."""
    from afterview.parsing import parse_id

    return parse_id(value, what)


json_option = click.option("--json", "as_json", is_flag=True, help="Machine output (JSON).")


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="AFTERVIEW_DB",
    metavar="PATH|URL",
    help="SQLite file or postgresql:// URL (default: afterview.db in the data folder).",
)
@click.option(
    "--now",
    envvar="AFTERVIEW_NOW",
    metavar="DATETIME",
    help="The moment to treat as now (ISO 8601; naive means your zone).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine output (JSON) for every command.")
@click.version_option(package_name="afterview", prog_name="afterview")
@click.pass_context
def cli(ctx: click.Context, db: str | None, now: str | None, as_json: bool) -> None:
    """afterview: what to do after each job interview, and when.

    Thank each interviewer within hours, follow up when the decision was due and
    never pester, keep applying while you wait, refresh your profile, and gauge
    your own performance.
    """
    ctx.obj = Settings(db=db or os.environ.get("AFTERVIEW_DB") or None, now=now, json=as_json)
