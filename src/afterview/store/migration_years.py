"""Migration 15: years outside 1990..2100, which earlier versions let in, brought into range.

The store now refuses to write such years (`afterview.daterange`); this repairs
what is already there, once, so that no later computation overflows.
"""

from __future__ import annotations

__all__ = ["MOMENT_COLUMNS", "OPTIONAL_DATE_COLUMNS", "v15"]

#: Every moment column (ISO 8601 text) and every date column that may be empty
MOMENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("account", "created_at"),
    ("action_mark", "at"),
    ("application", "created_at"),
    ("assessment", "at"),
    ("draft", "created_at"),
    ("feed_token", "created_at"),
    ("interview", "start_at"),
    ("interview", "end_at"),
    ("interview", "created_at"),
    ("mail_settings", "updated_at"),
    ("mail_sync", "synced_at"),
    ("notification", "sent_at"),
    ("outbox", "send_at"),
    ("outbox", "due_at"),
    ("outbox", "retry_at"),
    ("outbox", "claimed_at"),
    ("outbox", "sent_at"),
    ("outbox", "approved_at"),
    ("outbox", "updated_at"),
    ("outcome", "at"),
    ("profile_check", "at"),
    ("profile_review", "at"),
    ("question", "answered_at"),
    ("topic", "created_at"),
    ("touch", "at"),
    ("touch", "created_at"),
)
OPTIONAL_DATE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("application", "applied_on"),
    ("interview", "decision_by"),
    ("lead_detail", "posted_on"),
    ("lead_detail", "valid_through"),
)


def _outside(col: str) -> str:
    return f"(substr({col}, 1, 4) > '2100' OR substr({col}, 1, 4) < '1990')"


def _clamp(col: str) -> str:
    """The moment in `col` moved into the range (month, day and time kept), else as it is."""
    return (
        f"(CASE WHEN substr({col}, 1, 4) > '2100' "
        f"THEN replace('2100' || substr({col}, 5), '2100-02-29', '2100-02-28') "
        f"WHEN substr({col}, 1, 4) < '1990' "
        f"THEN replace('1990' || substr({col}, 5), '1990-02-29', '1990-02-28') "
        f"ELSE {col} END)"
    )


def _interview_times() -> str:
    """Start and end moved together (an interview must end after it starts): when moving
    each alone would turn them round, the interview becomes an hour on the range's first
    (or last) day."""
    start, end = _clamp("start_at"), _clamp("end_at")
    turned = f"({end} <= {start})"
    high = "(substr(start_at, 1, 4) > '2100' OR substr(end_at, 1, 4) > '2100')"
    safe_start = (
        f"(CASE WHEN {high} THEN '2100-12-31T00:00:00+00:00' ELSE '1990-01-01T00:00:00+00:00' END)"
    )
    safe_end = (
        f"(CASE WHEN {high} THEN '2100-12-31T01:00:00+00:00' ELSE '1990-01-01T01:00:00+00:00' END)"
    )
    return (
        f"UPDATE interview SET "
        f"start_at = CASE WHEN {turned} THEN {safe_start} ELSE {start} END, "
        f"end_at = CASE WHEN {turned} THEN {safe_end} ELSE {end} END "
        f"WHERE {_outside('start_at')} OR {_outside('end_at')}"
    )


def v15(dialect: str) -> list[str]:
    """Years outside 1990..2100, which earlier versions let in (a decision date of 9999
    for "unknown", a start in year 1), crash every later computation. An optional date
    out of range becomes empty (unknown); a moment moves to the nearest year in range,
    month, day and time kept (29 February becomes the 28th); an interview's start and end
    move together."""
    out = [f"UPDATE {t} SET {c} = NULL WHERE {_outside(c)}" for t, c in OPTIONAL_DATE_COLUMNS]
    out.append(_interview_times())
    out += [
        f"UPDATE {t} SET {c} = {_clamp(c)} WHERE {_outside(c)}"
        for t, c in MOMENT_COLUMNS
        if (t, c) not in (("interview", "start_at"), ("interview", "end_at"))
    ]
    return out
