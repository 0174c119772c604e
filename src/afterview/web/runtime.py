"""What the web app holds between requests: its settings, a pool of database
connections (one per request in flight), the config file, and a cache of the facts
keyed by the data revision.

Every request gets a fresh use-case `Context` at the moment the app's clock gives; the
facts come from the cache while no process has written to the database since they were
loaded (`store/revision.py`), so a page costs the plan, not the load.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from afterview import clock
from afterview.config import Config, load_config
from afterview.services.context import (
    DEFAULT_ACCOUNT,
    Context,
    Database,
    connect_for_requests,
    open_database,
)
from afterview.services.shared_facts import Action, Cycle, Facts, SharedFacts

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
#: views kept (the values of a page of the 5-year benchmark history)
MAX_VIEWS = 1024


class WebSettings(NamedTuple):
    """How one app instance runs: its database, its clock, the host names it answers to."""

    db_target: str
    clock: Callable[[], datetime] = clock.now
    now_given: bool = False
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    config_path: str | None = None
    https: bool = False
    #: run the mail worker's passes in the background (`web/sender.py`): `serve` does,
    #: unless `--no-worker`; the tests and the benchmark do not
    worker: bool = False
    #: server mode (`afterview server run`): many accounts, each request signed in
    #: (`web/signin_pages.py`); single-user mode serves account 1 without a sign-in
    server: bool = False
    #: server mode: what server.toml says (its url and mail: one-time links)
    server_settings: Any = None


class WebContext(Context):
    """A request's context; `config_generation` tells which reading of the config it holds,
    `revision_seen` the data revision its page was read at (None before a view is read)."""

    config_generation = 0
    revision_seen: int | None = None


class Runtime:
    """Connections, config and caches shared by the requests of one app."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self._pool: queue.LifoQueue[Database] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._config: tuple[tuple[int, int, int] | None, str, Config, int] | None = None
        self._building: dict[tuple[Any, ...], threading.Lock] = {}
        self._once: dict[str, str] = {}
        self.shared = SharedFacts()
        self._views: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._sealer: Any = None
        db = open_database(settings.db_target)  # migrate once, at start
        db.close()
        from afterview.web.sender import Sender

        #: the mail worker's passes and the header's mail state
        self.sender = Sender(self, enabled=settings.worker)

    def sealer(self) -> Any:
        """Server mode: what seals the accounts' mail secrets (the server secret's keys,
        read once)."""
        from afterview.server.secret import sealer

        found = self.settings.server_settings
        if found is None:
            raise RuntimeError("server mode needs server.toml's settings (secret_file)")
        try:  # `server rotate-secret` replaces the file: read it again when it changed
            stamp = os.stat(found.secret_file).st_mtime_ns
        except OSError:
            stamp = None
        if self._sealer is None or self._sealer[0] != stamp:
            self._sealer = (stamp, sealer(found.secret_file))
        return self._sealer[1]

    # -- connections ----------------------------------------------------------------------------
    def acquire(self) -> Database:
        """A connection for one request, from the pool or new."""
        try:
            return self._pool.get_nowait()
        except queue.Empty:
            return self.connect()

    def connect(self) -> Database:
        """A new connection to the app's database (not from the pool)."""
        return connect_for_requests(self.settings.db_target)

    def release(self, db: Database) -> None:
        """Give a connection back: what its request left open is rolled back; a broken
        one (the server restarted, say) is closed, and the next request opens a new one."""
        db.stamp = None  # the request's context goes with it
        if db.reset():
            try:
                db.use_account(None)  # and its account: the next request sets its own
            except Exception:
                with contextlib.suppress(Exception):
                    db.close()
                return
            self._pool.put(db)
        else:
            with contextlib.suppress(Exception):  # already gone
                db.close()

    def close(self) -> None:
        """Close every pooled connection (at shutdown)."""
        while True:
            try:
                db = self._pool.get_nowait()
            except queue.Empty:
                return
            with contextlib.suppress(Exception):
                db.close()

    def config(self) -> tuple[Config, int]:
        """The config file (read again only when it changed on disk) and its generation."""
        path = self.settings.config_path
        from afterview.config import config_path

        where = path or config_path()
        try:
            st = os.stat(where)
            stamp: tuple[int, int, int] | None = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            stamp = None
        cached = self._config
        if cached is not None and cached[0] == stamp and cached[1] == where:
            return cached[2], cached[3]
        config = load_config(where)
        with self._lock:
            generation = (cached[3] + 1) if cached else 1
            self._config = (stamp, where, config, generation)
        return config, generation

    def context(
        self, db: Database, *, exact: bool = False, account: int = DEFAULT_ACCOUNT
    ) -> WebContext:
        """A use-case context at the clock's moment, its facts served from the cache.

        Pages read the time to the second, as changes are stamped: a page read the second
        after a change sees it (their views are cached per minute and data revision, see
        `view`). `exact` (a change being recorded) also checks the settings first.
        """
        config, generation = self.config()
        if self.settings.server:  # the account's own copy of the settings, if it made one
            from afterview.services.account_settings import config_for

            config, text = config_for(db, account, config)
            if text is not None:
                generation = hash((generation, text))
        now = self.settings.clock()
        ctx = WebContext(
            db=db, config=config, now=now, now_given=self.settings.now_given, account=account
        )
        ctx.config_generation = generation
        ctx.settings_in_db = self.settings.server
        ctx.facts_source = lambda: self.facts(ctx)
        if exact:
            ctx.check_settings()  # a change is refused before it is written, not after
        return ctx

    # -- one-time messages ----------------------------------------------------------------------
    def keep_once(self, client: str, value: str) -> None:
        """Keep a value for the next page this client opens (a secret shown once)."""
        with self._lock:
            self._once[client] = value

    def take_once(self, client: str) -> str | None:
        """The value kept for this client, if any; it is forgotten."""
        with self._lock:
            return self._once.pop(client, None)

    # -- caches ----------------------------------------------------------------------------------
    def revision(self, ctx: Context) -> int:
        """The database's data revision, read now."""
        return self.shared.revision(ctx)

    def facts(self, ctx: Context) -> Facts:
        """Every fact of the account (topics included) as of the current revision."""
        return self.shared.facts(ctx)

    def view(
        self,
        ctx: WebContext,
        name: str,
        args: tuple[Any, ...],
        build: Callable[[], Any],
        prepare: Callable[[], None] | None = None,
    ) -> Any:
        """A read-only view, computed once per data revision, moment, config and arguments,
        from one consistent snapshot of the database (never inside a write). When it must
        be built, `prepare` runs first, outside the snapshot: it may store what the build
        reads (the agenda's bounds, `live.keep_bounds`)."""
        if ctx.db.in_transaction:
            return build()
        if prepare is not None:
            with ctx.db.snapshot():
                missing = self._cached(self._key(ctx, name, args)) is None
            if missing:
                prepare()
        with ctx.db.snapshot(), self.shared.snapshot_of(ctx.db):
            key = self._key(ctx, name, args)
            ctx.revision_seen = key[3]
            found = self._cached(key)
            if found is not None:
                return found
            with self._lock:
                lock = self._building.setdefault(key, threading.Lock())
            with lock:  # the same view asked at once is built once; the others read it
                found = self._cached(key)
                if found is not None:
                    return found
                try:
                    value = build()
                finally:
                    with self._lock:
                        self._building.pop(key, None)
                with self._lock:
                    self._views[key] = value
                    while len(self._views) > MAX_VIEWS:
                        self._views.popitem(last=False)
        return value

    def _key(self, ctx: WebContext, name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
        """A view's cache key; what a view says is in minutes: it lasts the minute, or
        until the data change (the revision, read now)."""
        minute = ctx.now.replace(second=0, microsecond=0)
        return (ctx.account, name, args, self.revision(ctx), minute, ctx.config_generation)

    def interview_plan(self, ctx: WebContext, interview_id: int) -> tuple[list[Action], Cycle]:
        """One interview's actions and cycle (`SharedFacts.interview_plan`)."""
        return self.shared.interview_plan(ctx, interview_id, ctx.config_generation)

    def _cached(self, key: tuple[Any, ...]) -> Any:
        with self._lock:
            if key in self._views:
                self._views.move_to_end(key)
                return self._views[key]
        return None
