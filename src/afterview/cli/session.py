"""Opening one command's use-case context from the global options, without click.

Shared by the click CLI and the agenda's quick path (`cli/quick.py`), so both read
`--db`, `--now` and the configuration the same way and report errors alike.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from afterview.services.context import Context


def open_context(db: str | None, now: str | None) -> Context:
    """Load the config, read `--now` in the user's zone, open (and migrate) the database."""
    from afterview.clock import now as clock_now
    from afterview.clock import system_zone
    from afterview.config import load_config
    from afterview.parsing import parse_datetime
    from afterview.services.context import Context, open_database

    config = load_config()
    tz = config.timezone or system_zone()
    moment: datetime = parse_datetime(now, tz, "--now") if now else clock_now()
    database = open_database(db)
    return Context(db=database, config=config, now=moment, now_given=now is not None)


def db_error_line(exc: BaseException) -> str | None:
    """Return the one line to show for a database driver's error, or None for other errors."""
    module = type(exc).__module__
    if isinstance(exc, sqlite3.Error) or module.startswith("psycopg"):
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return f"db: {first}"
    return None
