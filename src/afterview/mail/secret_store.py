"""Where mail secrets go on a server: a store bound to the account being served.

On one user's machine nothing is bound and secrets go to the keyring or the secrets
file (`secrets.py`). A server binds, for each request and each account a worker
serves, the store of that account (`server/secret_store.py`: its database rows,
encrypted with the server secret): then nothing else is looked at, not the keyring, not
the secrets file, not the process's environment (which would hand one password to
every account).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol


class SecretStore(Protocol):
    """An account's secrets, by key."""

    #: how `mail show` says where a secret is kept
    words: str

    def get(self, key: str) -> str | None:
        """The secret kept under `key`, or None."""
        ...

    def put(self, key: str, value: str) -> None:
        """Keep `value` under `key` (replacing what was there)."""
        ...

    def delete(self, key: str) -> None:
        """Forget the secret kept under `key`."""
        ...


BOUND: ContextVar[SecretStore | None] = ContextVar("afterview_secret_store", default=None)


def bound() -> SecretStore | None:
    """The store bound for the account being served, or None (one user's machine)."""
    return BOUND.get()


@contextmanager
def binding(store: SecretStore | None) -> Iterator[None]:
    """Bind `store` for the block (a worker serving one account after another)."""
    token = BOUND.set(store)
    try:
        yield
    finally:
        BOUND.reset(token)
