"""Mail secrets (passwords, OAuth2 tokens): the system keyring when it works, else the
secrets file (`secret_file.py`: readable by the user only, next to `config.toml`);
passwords may also come from an environment variable.

They are never written to the database, the config file, an export or a log: every
secret read or kept is handed to `afterview.redact.remember`. A keyring that fails
(locked, its service gone) is reported in one line, never with a traceback; a secret
it refuses to keep goes to the secrets file instead, and the user is told so.
"""

from __future__ import annotations

import contextlib
import os
from typing import NamedTuple

from afterview.errors import BadInput
from afterview.mail import secret_file, secret_store
from afterview.redact import remember

SERVICE = "afterview"
ENV = {"smtp": "AFTERVIEW_SMTP_PASSWORD", "imap": "AFTERVIEW_IMAP_PASSWORD"}
KEYRING = "in the system keyring"


def _key(kind: str, user: str, host: str) -> str:
    return f"{kind}:{user}@{host}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def keyring_available() -> bool:
    """True when a real keyring backend is installed and usable."""
    try:
        import keyring
        from keyring.backends import fail

        return not isinstance(keyring.get_keyring(), fail.Keyring)
    except Exception:  # no backend that works
        return False


def in_file_words(path: str) -> str:
    """How `mail show` says a secret is in the secrets file."""
    return f"in the secrets file {path}"


class Found(NamedTuple):
    """A secret looked up: its value (None when not found), where it was found (the words
    `mail show` uses), and what went wrong with the keyring on the way (or None)."""

    value: str | None
    where: str | None
    problem: str | None


def get_secret(key: str) -> Found:
    """The secret kept under `key`: the keyring first, then the secrets file (a file that
    others may read is refused in one line: `BadInput`); on a server, the account's
    store only (`secret_store.py`)."""
    store = secret_store.bound()
    if store is not None:
        value = store.get(key)
        remember(value)
        return Found(value, store.words if value is not None else None, None)
    problem = None
    if keyring_available():
        try:
            import keyring

            found = keyring.get_password(SERVICE, key) or None
        except Exception as exc:  # locked, or its service gone
            found, problem = None, f"the system keyring failed ({_first_line(exc)})"
        if found is not None:
            remember(found)
            return Found(found, KEYRING, None)
    path = secret_file.secrets_path()
    value = secret_file.get(key, path)
    if value is not None:
        return Found(value, in_file_words(path), problem)
    return Found(None, None, problem)


def put_secret(key: str, value: str) -> str:
    """Keep `value` under `key` and return where it went (the words `mail setup` prints):
    the keyring when it works, else the secrets file (created readable by the user only)."""
    remember(value)
    store = secret_store.bound()
    if store is not None:
        store.put(key, value)
        return store.words
    refused = ""
    if keyring_available():
        try:
            import keyring

            keyring.set_password(SERVICE, key, value)
        except Exception as exc:
            refused = f" (the system keyring refused it: {_first_line(exc)})"
        else:
            _drop_from_file(key)  # an older copy must not outlive the new one
            return KEYRING
    path = secret_file.put(key, value)
    return in_file_words(path) + refused


def delete_secret(key: str) -> None:
    """Forget the secret kept under `key`, in the keyring and in the secrets file (on a
    server, in the account's store)."""
    store = secret_store.bound()
    if store is not None:
        store.delete(key)
        return
    if keyring_available():
        try:
            import keyring
            from keyring.errors import PasswordDeleteError

            with contextlib.suppress(PasswordDeleteError):  # not there
                keyring.delete_password(SERVICE, key)
        except Exception as exc:
            raise BadInput("keyring", f"the system keyring failed ({_first_line(exc)})") from None
    _drop_from_file(key)


def _drop_from_file(key: str) -> None:
    path = secret_file.secrets_path()
    if os.path.exists(path):
        secret_file.put(key, None, path)


# -- passwords -------------------------------------------------------------------------------------
def store_password(kind: str, user: str, host: str, password: str) -> str:
    """Keep `password` for `kind` (smtp or imap); return where it went."""
    return put_secret(_key(kind, user, host), password)


def password_place(kind: str, user: str, host: str) -> str | None:
    """Where the password is kept (keyring or secrets file), None when in neither."""
    return get_secret(_key(kind, user, host)).where


def _get(kind: str, user: str, host: str) -> tuple[str | None, str | None]:
    """`(password, problem)` from the keyring or the secrets file, else the environment;
    every password found is remembered by `afterview.redact`."""
    found = get_secret(_key(kind, user, host))
    if secret_store.bound() is not None:  # a server: never the process's environment
        return found.value, found.problem
    remember(os.environ.get(ENV[kind]))
    return found.value, found.problem


def find_password(kind: str, user: str, host: str) -> str | None:
    """Return the password for `kind` (smtp or imap): keyring, secrets file, environment."""
    found, _ = _get(kind, user, host)
    if secret_store.bound() is not None:
        return found
    return found or os.environ.get(ENV[kind]) or None


def require_password(kind: str, user: str, host: str) -> str:
    """Return the password or explain where to put it."""
    found, problem = _get(kind, user, host)
    if secret_store.bound() is None:
        found = found or os.environ.get(ENV[kind]) or None
    if found is None:
        if problem:
            raise BadInput(f"{kind} password", f"{problem}; or set {ENV[kind]}")
        raise BadInput(
            f"{kind} password",
            f"none found for {user} at {host}: run `afterview mail setup ... "
            f"--{kind}-password-stdin` to keep it, or set {ENV[kind]}",
        )
    return found
