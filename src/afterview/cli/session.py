"""Opening one command's use-case context from the global options, without click.

Shared by the click CLI and the agenda's quick path (`cli/quick.py`), so both read
`--db`, `--now` and the configuration the same way and report errors alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from afterview.errors import db_error_line

if TYPE_CHECKING:
    from afterview.services.context import Context


def read_now(now: str | None) -> datetime:
    """`--now` (or AFTERVIEW_NOW) read in the system's zone, else the clock's moment: for
    commands that open no user's database (`afterview server ...`)."""
    from afterview.clock import now as clock_now
    from afterview.clock import system_zone
    from afterview.parsing import parse_datetime
    from afterview.paths import env_setting

    if now is None:
        now = env_setting("AFTERVIEW_NOW")
    moment: datetime = (
        parse_datetime(now, system_zone(), "--now") if now is not None else clock_now()
    )
    check_now(moment)
    return moment


def open_context(db: str | None, now: str | None) -> Context:
    """Load the config, read `--now` in the user's zone, open (and migrate) the database."""
    from afterview.clock import now as clock_now
    from afterview.clock import system_zone
    from afterview.config import load_config
    from afterview.parsing import parse_datetime
    from afterview.paths import env_setting
    from afterview.services.context import Context, open_database

    if now is None:
        now = env_setting("AFTERVIEW_NOW")  # set but empty is refused, not the clock
    config = load_config()
    tz = config.timezone or system_zone()
    moment: datetime = parse_datetime(now, tz, "--now") if now is not None else clock_now()
    check_now(moment)
    database = open_database(db)
    ctx = Context(db=database, config=config, now=moment, now_given=now is not None)
    try:
        ctx.check_settings()
    except BaseException:
        database.close()
        raise
    return ctx


def read_only_context(db: str | None, now: str | None) -> Context | None:
    """A context on the database opened for reading only, for shell completion: None when
    the database does not exist yet or is at another schema (nothing is created or
    migrated). Errors (a bad --now, a config that does not read) are raised."""
    from afterview.clock import now as clock_now
    from afterview.clock import system_zone
    from afterview.config import load_config
    from afterview.parsing import parse_datetime
    from afterview.paths import env_setting
    from afterview.services.context import Context, open_database_read_only

    if now is None:
        now = env_setting("AFTERVIEW_NOW")
    config = load_config()
    tz = config.timezone or system_zone()
    moment: datetime = parse_datetime(now, tz, "--now") if now is not None else clock_now()
    check_now(moment)
    database = open_database_read_only(db)
    if database is None:
        return None
    return Context(db=database, config=config, now=moment, now_given=now is not None)


def check_now(moment: datetime) -> None:
    """Refuse a moment to treat as now in the first or last year of the range: the plan
    looks weeks around it, and every moment it reads or writes must stay in range."""
    from afterview.daterange import FIRST_YEAR, LAST_YEAR
    from afterview.errors import BadInput

    if not FIRST_YEAR < moment.year < LAST_YEAR:
        raise BadInput(
            "--now", f"expected a year from {FIRST_YEAR + 1} to {LAST_YEAR - 1}, got {moment.year}"
        )


__all__ = ["check_now", "db_error_line", "open_context", "read_only_context"]
