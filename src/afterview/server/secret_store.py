"""An account's mail secrets on a server: rows of its own, sealed with the server secret.

Bound for each request of a signed-in account (`web/deps.py`) and for each account a
worker serves, so `mail/secrets.py` keeps passwords and OAuth2 tokens here instead of a
keyring: encrypted with Fernet (AES-128-CBC and HMAC-SHA256) under the server secret,
which is a file outside the database; a dump or a backup of the database opens no
mailbox. A secret is never exported and never shown again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from afterview.server import secret
from afterview.store import account_secrets
from afterview.store.db import Database

WORDS = "in the server's database, encrypted with the server secret"


class DatabaseSecrets:
    """The secrets of one account, through a connection `open_db` gives (and `close_db`
    takes back), sealed with `sealer` (a MultiFernet)."""

    words = WORDS

    def __init__(
        self,
        account: int,
        sealer: Any,
        open_db: Callable[[], Database],
        close_db: Callable[[Database], None],
    ) -> None:
        self.account = account
        self.sealer = sealer
        self._open = open_db
        self._close = close_db

    def _with(self, work: Callable[[Database], Any]) -> Any:
        db = self._open()
        try:
            db.use_account(self.account)
            return work(db)
        finally:
            self._close(db)

    def get(self, key: str) -> str | None:
        """The secret under `key`, opened; None when there is none."""
        sealed = self._with(lambda db: account_secrets.get(db, self.account, key))
        return None if sealed is None else secret.unseal(self.sealer, sealed)

    def put(self, key: str, value: str) -> None:
        """Seal `value` and keep it under `key`."""
        sealed = secret.seal(self.sealer, value)

        def write(db: Database) -> None:
            with db.unrecorded(), db.transaction():
                account_secrets.put(db, self.account, key, sealed)

        self._with(write)

    def delete(self, key: str) -> None:
        """Forget the secret under `key`."""

        def write(db: Database) -> None:
            with db.unrecorded(), db.transaction():
                account_secrets.delete(db, self.account, key)

        self._with(write)
