"""The mail worker of a server (`afterview server worker`): every account's passes.

Each pass goes over the accounts with mail settings. For each, the worker leases the
account (`store/worker_accounts.py`: a row lock taken `SKIP LOCKED`, so several workers
share the accounts and never serve one at the same time), binds that account's sealed
secrets, and runs the same pass as `afterview run` (`services/worker.tick`: read the
mailbox, send what is due, each message claimed before it is sent, at most once, an
interrupted send left `uncertain`), as that account: row-level security keeps the pass to
its rows. Then the figures its coach sees are computed again when they are out of date.
An account whose mailbox fails is reported and the next account is served: one failing
account never stops another.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from afterview.config import Config
from afterview.mail.secret_store import binding
from afterview.server import cohorts, secret
from afterview.server.secret_store import DatabaseSecrets
from afterview.services import worker
from afterview.services.account_settings import config_for
from afterview.services.context import Context
from afterview.store import worker_accounts
from afterview.store.db import Database

#: How often each account's mailbox is read (the sends go every pass)
SYNC_EVERY = timedelta(minutes=5)


class AccountPass(NamedTuple):
    """One account's pass: its result (None when it failed), and the one line saying why
    it failed or why its mail settings cannot be used now (the mail waits)."""

    account: int
    tick: worker.Tick | None
    error: str | None


class Worker:
    """One worker process: a connection for the passes, one for the leases."""

    def __init__(
        self,
        open_db: Callable[[], Database],
        config: Config,
        secret_file: str,
        every: float | None,
    ) -> None:
        self.open_db = open_db
        self.work = open_db()
        self.locks = open_db()
        self.config = config
        self.secret_file = secret_file
        self.every = every
        self.synced: dict[int, datetime] = {}

    def close(self) -> None:
        """Close both connections."""
        for db in (self.work, self.locks):
            with contextlib.suppress(Exception):  # already gone
                db.close()

    def pass_once(self, now: datetime, now_given: bool) -> list[AccountPass]:
        """Serve every account not served by another worker at this moment, once."""
        sealer = secret.sealer(self.secret_file)
        out = []
        for account in worker_accounts.served_accounts(self.work):
            with worker_accounts.lease(self.locks, account) as mine:
                if mine:
                    out.append(self._serve(account, now, now_given, sealer))
        self.work.use_account(None)
        return out

    def _serve(self, account: int, now: datetime, now_given: bool, sealer: Any) -> AccountPass:
        config, _ = config_for(self.work, account, self.config)  # the account's own, if any
        ctx = Context(self.work, config, now, now_given, account=account)
        ctx.journal_source = "server worker"
        store = DatabaseSecrets(account, sealer, lambda: self.work, lambda db: None)
        last = self.synced.get(account)
        sync = last is None or now - last >= SYNC_EVERY or now < last
        try:
            with binding(store):
                done = worker.tick(ctx, sync=sync, every=self.every)
                if sync:
                    self.synced[account] = now
                cohorts.refresh_if_stale(ctx)
        except Exception as exc:
            if worker.connection_lost(exc):
                raise
            self.work.reset()
            return AccountPass(account, None, str(exc).splitlines()[0] if str(exc) else repr(exc))
        problem = done.report.account_problem or (done.sync_error if done.sync_setup else None)
        return AccountPass(account, done, problem)
