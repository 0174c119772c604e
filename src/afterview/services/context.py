"""The context of one use case: the database, the settings, the account and the moment."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime
from functools import cached_property

from afterview import paths
from afterview.clock import system_zone
from afterview.config import Config
from afterview.core.model import Facts, Interview
from afterview.core.plan import Plan, plan_with_cycles
from afterview.errors import BadInput, NotFound, StoreError
from afterview.store.db import Database as Database  # re-exported for the adapters
from afterview.store.db import connect
from afterview.store.facts import load_facts
from afterview.store.migrations import migrate

DEFAULT_ACCOUNT = 1


def default_db_target() -> str:
    """Return `AFTERVIEW_DB`, else `afterview.db` in the platform's data folder (created)."""
    target = paths.env_setting("AFTERVIEW_DB")
    if target is not None:
        return target
    folder = paths.user_data_dir()
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"db: cannot create the data folder {folder} ({exc.strerror}); "
            "set XDG_DATA_HOME to a folder, or give --db PATH"
        ) from None
    return os.path.join(folder, "afterview.db")


def open_database(target: str | None = None) -> Database:
    """Connect to the database and bring its schema up to date."""
    if target is not None and not target.strip():
        raise BadInput("db", "expected a file path or a postgresql:// URL, got an empty string")
    db = connect(default_db_target() if target is None else target)
    try:
        migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def open_database_read_only(target: str | None = None) -> Database | None:
    """Open the database for reading only, creating and migrating nothing: None when it
    does not exist yet or its schema is not the one this afterview writes (shell
    completion must never change a database, nor wait for an upgrade)."""
    from afterview.store.db import connect_read_only
    from afterview.store.migrations import LATEST, current_version

    if target is None:
        target = paths.env_setting("AFTERVIEW_DB") or os.path.join(
            paths.user_data_dir(), "afterview.db"
        )
    db = connect_read_only(target)
    if db is None:
        return None
    try:
        if current_version(db) != LATEST:
            db.close()
            return None
    except BaseException:
        db.close()
        raise
    return db


def connect_for_requests(target: str) -> Database:
    """A connection for a server's requests, usable from any thread; on PostgreSQL a lock
    waited for over 10 seconds becomes an error (busy) instead of a hung request."""
    return connect(target, any_thread=True, lock_wait_s=10)


class Context:
    """What every use case needs; `now` is the moment to treat as now."""

    def __init__(
        self,
        db: Database,
        config: Config,
        now: datetime,
        now_given: bool = False,
        account: int = DEFAULT_ACCOUNT,
    ) -> None:
        self.config = config
        self.now = now
        self.now_given = now_given
        #: the account whose data this use case reads and writes (the connection is kept
        #: to it: `Database.use_account`)
        self.account = account
        #: where the change journal says this use case's writes come from: the command
        #: (`interview add`) or the page or route (`POST /interviews`)
        self.journal_source = "afterview"
        #: a server's account: its settings are its own copy in the database, not the
        #: settings file every account shares (`services/account_settings.py`)
        self.settings_in_db = False
        self.db = db
        self._holidays: dict[tuple[int, int], frozenset[date]] = {}
        #: where `facts()` comes from instead of the database (the web app's cache):
        #: it must return every fact, topics included, as they are now
        self.facts_source: Callable[[], Facts] | None = None

    @property
    def db(self) -> Database:
        """The database; its writes are journaled with this context's moment and source."""
        return self._db

    @db.setter
    def db(self, db: Database) -> None:
        self._db = db
        db.stamp = self
        db.use_account(self.account)

    @property
    def journal_days(self) -> int:
        """How many days the change journal keeps (config `[history] keep_days`)."""
        return self.config.journal_days

    @cached_property
    def user_tz(self) -> str:
        """The user's zone: config `timezone`, else the system's."""
        return self.config.timezone or system_zone()

    def check_settings(self) -> None:
        """Refuse settings that could only fail later, after a write: a holidays country or
        subdivision the holidays package does not know (BadInput naming the setting)."""
        if self.config.country:
            self.holidays(self.now.year, self.now.year)

    def holidays(self, first_year: int, last_year: int) -> frozenset[date]:
        """Public holidays of the configured country over the years given (empty if none)."""
        if not self.config.country:
            return frozenset()
        key = (first_year, last_year)
        if key not in self._holidays:
            from afterview.services.holidays import holiday_dates

            self._holidays[key] = holiday_dates(
                self.config.country, self.config.subdivision, range(first_year, last_year + 1)
            )
        return self._holidays[key]

    def facts(
        self,
        *,
        with_topics: bool = False,
        settled_before: datetime | None = None,
    ) -> Facts:
        """Load the account's facts, with the holidays of the years they span.

        `settled_before` loads only what `core.plan.live_actions` needs (see
        `load_facts`).
        """
        if self.facts_source is not None:
            return self.facts_source()
        facts = load_facts(
            self.db,
            self.account,
            user_tz=self.user_tz,
            with_topics=with_topics,
            settled_before=settled_before,
        )
        return self.with_holidays(facts)

    def with_holidays(self, facts: Facts) -> Facts:
        """`facts` with the public holidays of every year they can reach: from the year
        before the first interview (or now) to two years after the last interview, decision
        date or now, so facts kept across a new year still hold. Unchanged without a
        configured country."""
        if not self.config.country:
            return facts
        years = [self.now.year] + [iv.end.year for iv in facts.interviews]
        years += [iv.decision_by.year for iv in facts.interviews if iv.decision_by]
        return facts._replace(holidays=self.holidays(min(years) - 1, max(years) + 2))

    def plan(self, facts: Facts | None = None) -> Plan:
        """Compute the plan at `now`."""
        return plan_with_cycles(facts or self.facts(), self.now, self.config.playbook)

    def interview(self, interview_id: int) -> Interview:
        """Return an interview of this account or raise `NotFound`."""
        from afterview.store import repo

        iv = repo.get_interview(self.db, self.account, interview_id)
        if iv is None:
            raise NotFound(
                f"interview {interview_id}: no such interview (see `afterview interview list`)"
            )
        return iv
