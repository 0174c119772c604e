"""The one range of years afterview accepts for a date or a moment: 1990 to 2100.

Every entry (CLI, web, API, import, invitations, files, the mailbox) checks it
before writing, and the store refuses to write outside it, so the plan's
arithmetic (a week or two added or taken away) never leaves what `datetime`
can hold. Year 9999 or 0001, often typed for "unknown", are refused with this
line instead of poisoning every later agenda.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from afterview.errors import BadInput

FIRST_YEAR = 1990
LAST_YEAR = 2100

D = TypeVar("D", bound=date)


def in_range(value: date) -> bool:
    """True when `value` (a date or a moment, read where it is written) falls in the range."""
    return FIRST_YEAR <= value.year <= LAST_YEAR


def check_year(value: D, field: str) -> D:
    """Return `value` if its year is within 1990..2100, else refuse it naming `field`."""
    if not in_range(value):
        raise BadInput(field, f"expected a year from {FIRST_YEAR} to {LAST_YEAR}, got {value.year}")
    return value
