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
