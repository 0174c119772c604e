"""The click group, global options, error handling and output helpers shared by commands."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

import click

from afterview.cli.session import db_error_line, open_context
from afterview.cli.style import dump_json
from afterview.errors import AfterviewError


class UserError(click.ClickException):
    """An AfterviewError shown as one line on stderr, with its exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]

    def show(self, file: Any = None) -> None:
        click.echo(f"afterview: {self.message}", err=True)


def _db_error(exc: Exception) -> UserError | None:
    line = db_error_line(exc)
    return UserError(line, 2) if line is not None else None


class Group(click.Group):
    """A group that turns AfterviewError (and database errors) into one clear line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AfterviewError as exc:
            raise UserError(str(exc), exc.exit_code) from None
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
            click.get_current_context().call_on_close(self._ctx.db.close)
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


def emit_id(record: dict[str, Any], as_json: bool) -> None:
    """Print a new record's id, or the record as one JSON object."""
    if as_json:
        emit_json(record)
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
    ctx.obj = Settings(db=db or os.environ.get("AFTERVIEW_DB"), now=now, json=as_json)
