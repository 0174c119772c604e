"""Mail passwords: the system keyring when it has one, else an environment variable.

They are never written to the database, the config file, an export or a log.
"""

from __future__ import annotations

import os

from afterview.errors import BadInput

SERVICE = "afterview"
ENV = {"smtp": "AFTERVIEW_SMTP_PASSWORD", "imap": "AFTERVIEW_IMAP_PASSWORD"}


def _key(kind: str, user: str, host: str) -> str:
    return f"{kind}:{user}@{host}"


def keyring_available() -> bool:
    """True when a real keyring backend is installed and usable."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:  # pragma: no cover - keyring is a dependency
        return False
    return not isinstance(keyring.get_keyring(), fail.Keyring)


def store_password(kind: str, user: str, host: str, password: str) -> None:
    """Keep a password in the system keyring; refused when there is none."""
    if not keyring_available():
        raise BadInput(
            f"--{kind}-password-stdin",
            f"no system keyring here; set {ENV[kind]} in the environment of afterview instead",
        )
    import keyring

    keyring.set_password(SERVICE, _key(kind, user, host), password)


def in_keyring(kind: str, user: str, host: str) -> bool:
    """True when the system keyring holds this password."""
    if not keyring_available():
        return False
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(SERVICE, _key(kind, user, host)) is not None
    except KeyringError:
        return False


def find_password(kind: str, user: str, host: str) -> str | None:
    """Return the password for `kind` (smtp or imap): keyring first, then the environment."""
    if keyring_available():
        import keyring
        from keyring.errors import KeyringError

        try:
            found = keyring.get_password(SERVICE, _key(kind, user, host))
        except KeyringError:
            found = None
        if found:
            return found
    return os.environ.get(ENV[kind]) or None


def require_password(kind: str, user: str, host: str) -> str:
    """Return the password or explain where to put it."""
    found = find_password(kind, user, host)
    if found is None:
        where = (
            f"run `afterview mail setup ... --{kind}-password-stdin` to keep it in the keyring, or "
            if keyring_available()
            else ""
        )
        raise BadInput(
            f"{kind} password", f"none found for {user} at {host}: {where}set {ENV[kind]}"
        )
    return found
