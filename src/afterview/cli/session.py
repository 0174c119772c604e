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


def open_context(db: str | None, now: str | None) -> Context:
    """Load the config, read `--now` in the user's zone, open (and migrate) the database."""
    from afterview.clock import now as clock_now
    from afterview.clock import system_zone
    from afterview.config import load_config
    from afterview.parsing import parse_datetime
    from afterview.services.context import Context, open_database

    config = load_config()
    tz = config.timezone or system_zone()
    moment: datetime = parse_datetime(now, tz, "--now") if now is not None else clock_now()
    database = open_database(db)
    ctx = Context(db=database, config=config, now=moment, now_given=now is not None)
    try:
        ctx.check_settings()
    except BaseException:
        database.close()
        raise
    return ctx


__all__ = ["db_error_line", "open_context"]
