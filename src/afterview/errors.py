"""One exception tree; each error carries the exit code the CLI returns."""

from __future__ import annotations


class AfterviewError(Exception):
    """Base of every error meant for the user: one clear line, no traceback."""

    exit_code = 1


class Refused(AfterviewError):
    """A rule of the playbook refuses the request (exit 1)."""

    exit_code = 1


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


def db_error_line(exc: BaseException) -> str | None:
    """Return the one line to show for a database driver's error, or None for other errors."""
    import sqlite3

    module = type(exc).__module__
    if isinstance(exc, sqlite3.Error) or module.startswith("psycopg"):
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return f"db: {first}"
    return None
