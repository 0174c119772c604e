"""Mail passwords: the system keyring when it has one, else an environment variable.

They are never written to the database, the config file, an export or a log.
A keyring that fails (locked, its service gone) is reported in one line, never
with a traceback.
"""

from __future__ import annotations

import os

from afterview.errors import BadInput
from afterview.redact import remember

SERVICE = "afterview"
ENV = {"smtp": "AFTERVIEW_SMTP_PASSWORD", "imap": "AFTERVIEW_IMAP_PASSWORD"}


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


def _get(kind: str, user: str, host: str) -> tuple[str | None, str | None]:
    """`(password, problem)` from the keyring, else the environment; a password found is
    remembered by `afterview.redact`, so that no error line can show it."""
    problem = None
    found = None
    if keyring_available():
        try:
            import keyring

            found = keyring.get_password(SERVICE, _key(kind, user, host)) or None
        except Exception as exc:  # locked, or its service gone
            problem = f"the system keyring failed ({_first_line(exc)})"
    remember(found)
    remember(os.environ.get(ENV[kind]))
    return found, problem


def store_password(kind: str, user: str, host: str, password: str) -> None:
    """Keep `password` in the system keyring (refused when there is none)."""
    remember(password)
    _store(kind, user, host, password)


def _store(kind: str, user: str, host: str, password: str) -> None:
    """Keep a password in the system keyring; refused when there is none (or it fails)."""
    field = f"{kind}_password_stdin"
    if not keyring_available():
        raise BadInput(
            field,
            f"no system keyring here; set {ENV[kind]} in the environment of afterview instead",
        )
    try:
        import keyring

        keyring.set_password(SERVICE, _key(kind, user, host), password)
    except Exception as exc:
        raise BadInput(
            field, f"the system keyring refused it ({_first_line(exc)}); set {ENV[kind]} instead"
        ) from None


def in_keyring(kind: str, user: str, host: str) -> bool:
    """True when the system keyring holds this password."""
    return _get(kind, user, host)[0] is not None


def find_password(kind: str, user: str, host: str) -> str | None:
    """Return the password for `kind` (smtp or imap): keyring first, then the environment."""
    found, _ = _get(kind, user, host)
    return found or os.environ.get(ENV[kind]) or None


def require_password(kind: str, user: str, host: str) -> str:
    """Return the password or explain where to put it."""
    found, problem = _get(kind, user, host)
    found = found or os.environ.get(ENV[kind]) or None
    if found is None:
        if problem:
            raise BadInput(f"{kind} password", f"{problem}; or set {ENV[kind]}")
        where = (
            f"run `afterview mail setup ... --{kind}-password-stdin` to keep it in the keyring, or "
            if keyring_available()
            else ""
        )
        raise BadInput(
            f"{kind} password", f"none found for {user} at {host}: {where}set {ENV[kind]}"
        )
    return found
