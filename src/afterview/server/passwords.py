"""Password hashes for server accounts: argon2id (argon2-cffi), checked in constant time.

The parameters are argon2-cffi's defaults (RFC 9106's second recommendation: 64 MiB,
3 passes, 4 lanes); a hash made with older parameters is replaced at the next sign-in
(`needs_rehash`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from afterview.errors import BadInput, StoreError
from afterview.textcheck import has_control

MIN_LENGTH = 10
MAX_LENGTH = 1024


@lru_cache(maxsize=1)
def _hasher() -> Any:
    try:
        from argon2 import PasswordHasher
    except ImportError:  # the `server` extra is not installed
        raise StoreError(
            "server: password hashing needs argon2-cffi, which the base install leaves out: "
            "pip install 'afterview[server]'"
        ) from None
    return PasswordHasher()


def check_password(password: str, field: str = "password") -> str:
    """The password, checked: 10 to 1,024 characters, no control characters."""
    if len(password) < MIN_LENGTH:
        raise BadInput(field, f"at least {MIN_LENGTH} characters, got {len(password)}")
    if len(password) > MAX_LENGTH:
        raise BadInput(field, f"at most {MAX_LENGTH} characters")
    if has_control(password):
        raise BadInput(field, "a password holds no line breaks or control characters")
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes read from stdin
        raise BadInput(field, "a password is UTF-8 text") from None
    return password


def hash_password(password: str) -> str:
    """The argon2id hash of a checked password (a salt of its own each time)."""
    return str(_hasher().hash(check_password(password)))


def verify(hashed: str | None, password: str) -> bool:
    """True when `password` matches `hashed`; False for no hash, a wrong password or a
    hash that cannot be read. Takes as long either way (a dummy hash is checked when
    there is none), so timing does not tell whether an account exists."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    try:
        return bool(hasher.verify(hashed or _dummy(), password)) and hashed is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(hashed: str) -> bool:
    """True when `hashed` was made with weaker parameters than today's."""
    return bool(_hasher().check_needs_rehash(hashed))


@lru_cache(maxsize=1)
def _dummy() -> str:
    return str(_hasher().hash("afterview: no such account"))
