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
