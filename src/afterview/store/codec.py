"""How values are written to the database and read back."""

from __future__ import annotations

from datetime import UTC, date, datetime

from afterview.daterange import check_year


def put_dt(at: datetime) -> str:
    """Store a moment as ISO 8601 UTC text, to the second (years 1990..2100 only)."""
    if at.tzinfo is None:
        raise ValueError("naive datetime")
    check_year(at, "moment")
    return at.astimezone(UTC).replace(microsecond=0).isoformat()


def get_dt(text: str) -> datetime:
    """Read a stored moment (UTC)."""
    return datetime.fromisoformat(text)


def put_date(d: date | None) -> str | None:
    """Store a date as `YYYY-MM-DD` (years 1990..2100 only)."""
    return check_year(d, "date").isoformat() if d is not None else None


def get_date(text: str | None) -> date | None:
    """Read a stored date."""
    return date.fromisoformat(text) if text else None
