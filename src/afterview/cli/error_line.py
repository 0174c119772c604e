"""How the command line words an error the services raise: one function for every path."""

from __future__ import annotations

from afterview.errors import AfterviewError, Refused


def error_line(exc: AfterviewError) -> str:
    """The line to print for `exc` (after "afterview: "): its message, and for a refusal
    the user may override, how to insist (`--force`)."""
    if isinstance(exc, Refused) and exc.override:
        return f"{exc}; add --force to {exc.override}"
    return str(exc)
