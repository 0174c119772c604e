"""One exception tree; each error carries the exit code the CLI returns."""

from __future__ import annotations


class AfterviewError(Exception):
    """Base of every error meant for the user: one clear line, no traceback."""

    exit_code = 1


class Refused(AfterviewError):
    """A rule refuses the request (exit 1). The message says why, in words for any
    adapter; `override`, when the user may insist, says what insisting does ("record it
    anyway"): the CLI words it as its `--force` option, the web as a button."""

    exit_code = 1

    def __init__(self, reason: str, *, override: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.override = override


class NotFound(AfterviewError):
    """An id that names nothing (exit 1)."""

    exit_code = 1


class BadInput(AfterviewError):
    """Input that cannot be used: the message names the field and what is accepted (exit 2)."""

    exit_code = 2

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class StoreError(AfterviewError):
    """The database cannot be opened or is in a state we cannot use (exit 2)."""

    exit_code = 2


class Unavailable(AfterviewError):
    """The database cannot take a write now: busy with another writer, a full disk, a
    read-only folder (exit 1; HTTP 503). Nothing was written; the same command can be
    run again once the cause is gone."""

    exit_code = 1


BUSY = "db: busy: another afterview is writing to the database; try again in a moment"

_BUSY_SQLITE = ("database is locked", "database is busy", "database table is locked")
_BUSY_PG = ("LockNotAvailable", "DeadlockDetected", "SerializationFailure")


def is_busy(exc: BaseException) -> bool:
    """True for a driver's error that means another writer holds the lock (retry later)."""
    import sqlite3

    if isinstance(exc, sqlite3.OperationalError):
        return str(exc).strip().lower().startswith(_BUSY_SQLITE)
    if type(exc).__module__.startswith("psycopg"):
        if type(exc).__name__ in _BUSY_PG:
            return True
        return "lock timeout" in str(exc).lower()
    return False


def db_error_line(exc: BaseException) -> str | None:
    """Return the one line to show for a database driver's error, or None for other errors."""
    import sqlite3

    from afterview.redact import redact

    module = type(exc).__module__
    if is_busy(exc):
        return BUSY
    if isinstance(exc, sqlite3.Error) or module.startswith("psycopg"):
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if "disk is full" in first or "disk I/O error" in first:
            return "db: cannot write: the disk holding the database is full or failing; nothing was written"
        if "readonly database" in first:
            return "db: cannot write: the database or its folder is read-only; nothing was written"
        return redact(f"db: {first}")
    return None


def db_error_code(line: str) -> int:
    """The exit code for a database error line: 1 for a condition that passes (busy,
    full, read-only), 2 otherwise."""
    return 1 if line == BUSY or line.startswith("db: cannot write:") else 2
