"""The server secret: the key that encrypts every account's mail secrets at rest.

A Fernet key (`cryptography`: AES-128-CBC with HMAC-SHA256), kept in a file of its own
(0600, refused when group or others may read it), outside the database: a copy of the
database (a backup, a dump) holds no secret that opens the accounts' mailboxes.
"""

from __future__ import annotations

import os
import stat
from typing import Any

from afterview.errors import StoreError
from afterview.outfile import replace_text
from afterview.textcheck import shown


def _fernet() -> Any:
    try:
        from cryptography.fernet import Fernet
    except ImportError:  # the `server` extra is not installed
        raise StoreError(
            "server: the server secret needs cryptography, which the base install leaves "
            "out: pip install 'afterview[server]'"
        ) from None
    return Fernet


def create(path: str) -> bool:
    """Write a new key to `path` (0600) unless a file is there; True when one was made.
    An existing secret is never replaced here (`server rotate-secret` does, later)."""
    if os.path.lexists(path):
        read(path)  # checked: a key, readable by afterview only
        return False
    key = _fernet().generate_key().decode("ascii")
    try:
        replace_text(path, key + "\n", 0o600)
    except OSError as exc:
        raise StoreError(
            f"server: cannot write the secret {shown(path)} ({exc.strerror})"
        ) from None
    return True


def keys(path: str) -> list[bytes]:
    """Every key in `path`, the current one first (during a rotation the file holds the
    new key and the old one), checked."""
    try:
        st = os.stat(path)
        with open(path, "rb") as fh:
            lines = [k.strip() for k in fh.read(16384).splitlines() if k.strip()]
    except OSError as exc:
        raise StoreError(f"server: cannot read the secret {shown(path)} ({exc.strerror})") from None
    if os.name == "posix" and stat.S_IMODE(st.st_mode) & 0o077:
        raise StoreError(f"server: others may read the secret {shown(path)}; chmod 600 {path}")
    fernet = _fernet()
    try:
        for key in lines or [b""]:
            fernet(key)
    except ValueError:
        raise StoreError(
            f"server: {shown(path)} does not hold a server secret (a Fernet key)"
        ) from None
    return lines


def sealer(path: str) -> Any:
    """What seals and opens the accounts' secrets: a MultiFernet of the file's keys (it
    seals with the first, opens with any)."""
    from cryptography.fernet import MultiFernet

    fernet = _fernet()
    return MultiFernet([fernet(k) for k in keys(path)])


def write_keys(path: str, new: list[bytes]) -> None:
    """Replace the file's keys (0600, atomically)."""
    try:
        replace_text(path, "".join(k.decode("ascii") + "\n" for k in new), 0o600)
    except OSError as exc:
        raise StoreError(
            f"server: cannot write the secret {shown(path)} ({exc.strerror})"
        ) from None


def seal(sealer: Any, value: str) -> str:
    """`value` sealed with the current key (a Fernet token, text)."""
    return str(sealer.encrypt(value.encode("utf-8")).decode("ascii"))


def unseal(sealer: Any, sealed: str) -> str:
    """A sealed value opened with any key of the sealer; StoreError when none opens it."""
    from cryptography.fernet import InvalidToken

    try:
        return str(sealer.decrypt(sealed.encode("ascii")).decode("utf-8"))
    except (InvalidToken, UnicodeError):
        raise StoreError(
            "server: a mail secret does not open with the server secret (was the secret "
            "file replaced?); set the password again"
        ) from None


def reseal(sealer: Any, current: bytes, sealed: str) -> str | None:
    """A sealed value sealed again with the `current` key (the sealer's first), or None
    when no key opens it; one sealed with `current` already comes back as it was."""
    from cryptography.fernet import InvalidToken

    try:
        _fernet()(current).decrypt(sealed.encode("ascii"))
        return sealed
    except InvalidToken:
        pass
    try:
        return str(sealer.rotate(sealed.encode("ascii")).decode("ascii"))
    except InvalidToken:
        return None


def new_key() -> bytes:
    """A new server secret."""
    return bytes(_fernet().generate_key())


def read(path: str) -> bytes:
    """The key in `path`, checked (a Fernet key; the file private to its owner)."""
    try:
        st = os.stat(path)
        with open(path, "rb") as fh:
            key = fh.read(4096).strip()
    except OSError as exc:
        raise StoreError(f"server: cannot read the secret {shown(path)} ({exc.strerror})") from None
    if os.name == "posix" and stat.S_IMODE(st.st_mode) & 0o077:
        raise StoreError(f"server: others may read the secret {shown(path)}; chmod 600 {path}")
    try:
        _fernet()(key)
    except ValueError:
        raise StoreError(
            f"server: {shown(path)} does not hold a server secret (a Fernet key)"
        ) from None
    return key
