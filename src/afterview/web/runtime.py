"""What the web app holds between requests: its settings, one database connection per
worker thread, the config file, and a cache of the facts keyed by the data revision.

Every request gets a fresh use-case `Context` at the moment the app's clock gives; the
facts come from the cache while no process has written to the database since they were
loaded (`store/revision.py`), so a page costs the plan, not the load.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from afterview import clock
from afterview.config import Config, load_config
from afterview.core.model import Facts
from afterview.services.context import Context, open_database
from afterview.store.db import Database, connect
from afterview.store.facts import load_facts
from afterview.store.revision import data_revision

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class WebSettings(NamedTuple):
    """How one app instance runs: its database, its clock, the host names it answers to."""

    db_target: str
    clock: Callable[[], datetime] = clock.now
    now_given: bool = False
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    config_path: str | None = None
    https: bool = False


class Runtime:
    """Connections, config and caches shared by the requests of one app."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self._local = threading.local()
        self._lock = threading.Lock()
        self._build = threading.Lock()
        self._config: tuple[tuple[int, int] | None, str, Config] | None = None
        self._config_generation = 0
        self._facts: dict[tuple[int, str, str | None, str | None], Facts] = {}
        self._views: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        db = open_database(settings.db_target)  # migrate once, at start
        db.close()

    # -- per thread ------------------------------------------------------------------------------
    def database(self) -> Database:
        """This thread's connection (opened on first use)."""
        db: Database | None = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.settings.db_target)
            self._local.db = db
        elif db.dialect == "postgresql" and db.conn.info.transaction_status != 0:
            # end what the last request left open (its reads, or a failed statement)
            db.conn.rollback()
        return db

    def config(self) -> Config:
        """The config file, read again only when it changed on disk."""
        path = self.settings.config_path
        from afterview.config import config_path

        where = path or config_path()
        try:
            st = os.stat(where)
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        cached = self._config
        if cached is not None and cached[0] == stamp and cached[1] == where:
            return cached[2]
        config = load_config(where)
        with self._lock:
            self._config = (stamp, where, config)
            self._config_generation += 1
        return config

    def context(self) -> Context:
        """A use-case context at the clock's moment, its facts served from the cache."""
        ctx = Context(
            db=self.database(),
            config=self.config(),
            now=self.settings.clock(),
            now_given=self.settings.now_given,
        )
        ctx.facts_source = lambda: self.facts(ctx)
        return ctx

    # -- caches ----------------------------------------------------------------------------------
    def revision(self, ctx: Context) -> int:
        """The database's data revision, read now."""
        return data_revision(ctx.db)

    def facts(self, ctx: Context) -> Facts:
        """Every fact of the account (topics included) as of the current revision."""
        rev = self.revision(ctx)
        key = (rev, ctx.user_tz, ctx.config.country, ctx.config.subdivision)
        facts = self._facts.get(key)
        if facts is None:
            facts = load_facts(ctx.db, ctx.account, user_tz=ctx.user_tz, with_topics=True)
            if ctx.config.country:
                years = [ctx.now.year] + [iv.end.year for iv in facts.interviews]
                years += [iv.decision_by.year for iv in facts.interviews if iv.decision_by]
                facts = facts._replace(holidays=ctx.holidays(min(years) - 1, max(years) + 2))
            with self._lock:
                self._facts = {key: facts}  # only the newest revision is worth keeping
        return facts

    def view(self, ctx: Context, name: str, args: tuple[Any, ...], build: Callable[[], Any]) -> Any:
        """A read-only view, computed once per data revision, moment and arguments."""
        key = (name, args, self.revision(ctx), ctx.now, self._config_generation)
        found = self._cached(key)
        if found is not None:
            return found
        with self._build:  # one build at a time: the others wait for it, then read it
            found = self._cached(key)
            if found is not None:
                return found
            value = build()
            with self._lock:
                self._views[key] = value
                while len(self._views) > 256:
                    self._views.popitem(last=False)
        return value

    def _cached(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            if key in self._views:
                self._views.move_to_end(key)
                return self._views[key]
        return None
