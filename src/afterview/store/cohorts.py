"""SQL for cohorts: a coach's groups, their members, what each shares, their figures.

What a query returns is also what row-level security lets the account set see (a coach:
their cohorts and members; a seeker: their own memberships); callers check the role.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from afterview.store.codec import get_dt, put_dt
from afterview.store.db import Database


class Cohort(NamedTuple):
    """A coach's cohort."""

    id: int
    coach: int
    name: str
    created_at: datetime
    invite_expires_at: datetime | None
    members: int  # active members


class Invite(NamedTuple):
    """What a join link names."""

    cohort: int
    name: str
    coach_name: str
    expires_at: datetime | None


class Member(NamedTuple):
    """A seeker in a cohort, with the figures they share (None when they do not)."""

    account: int
    name: str
    joined_at: datetime
    shares: tuple[str, ...]
    computed_at: datetime | None
    valid_until: datetime | None
    last_activity: datetime | None
    figures: dict[str, Any] | None


class Membership(NamedTuple):
    """A cohort a seeker is in."""

    cohort: int
    name: str
    joined_at: datetime
    shares: tuple[str, ...]


def _shares(text: str) -> tuple[str, ...]:
    return tuple(w for w in text.split(",") if w)


_COHORT = (
    "SELECT c.id, c.account_id, c.name, c.created_at, c.invite_expires_at, "
    "(SELECT COUNT(*) FROM cohort_member m WHERE m.cohort_id = c.id AND m.left_at IS NULL) "
    "FROM cohort c"
)


def _cohort(row: tuple[Any, ...]) -> Cohort:
    i, coach, name, created, expires, members = row
    return Cohort(
        int(i), int(coach), str(name), get_dt(created), get_dt(expires) if expires else None,
        int(members),
    )  # fmt: skip


def create(db: Database, coach: int, name: str, now: datetime) -> int:
    """A new cohort of the coach; its id."""
    return db.insert(
        "INSERT INTO cohort (account_id, name, created_at) VALUES (?, ?, ?)",
        (coach, name, put_dt(now)),
    )


def owned(db: Database, coach: int) -> list[Cohort]:
    """The coach's cohorts, by name."""
    return [
        _cohort(r)
        for r in db.query(f"{_COHORT} WHERE c.account_id = ? ORDER BY c.name, c.id", (coach,))
    ]


def every(db: Database) -> list[Cohort]:
    """Every cohort the account set may see (all of them for the centre's staff)."""
    return [_cohort(r) for r in db.query(f"{_COHORT} ORDER BY c.name, c.id")]


def get(db: Database, cohort: int) -> Cohort | None:
    """A cohort the account set may see, or None."""
    row = db.one(f"{_COHORT} WHERE c.id = ?", (cohort,))
    return _cohort(row) if row else None


def set_invite(db: Database, cohort: int, token_hash: str | None, expires: datetime | None) -> None:
    """Replace the cohort's join link (None: no link works)."""
    db.execute(
        "UPDATE cohort SET invite_hash = ?, invite_expires_at = ? WHERE id = ?",
        (token_hash, put_dt(expires) if expires else None, cohort),
    )


def invite(db: Database, token_hash: str) -> Invite | None:
    """What a join link names, whatever account is set."""
    if db.dialect == "postgresql":
        row = db.one(
            "SELECT cohort_id, name, coach, expires_at FROM afterview_cohort_invite(?)",
            (token_hash,),
        )
    else:
        row = db.one(
            "SELECT c.id, c.name, a.name, c.invite_expires_at FROM cohort c JOIN account a "
            "ON a.id = c.account_id WHERE c.invite_hash = ?",
            (token_hash,),
        )
    if row is None:
        return None
    return Invite(int(row[0]), str(row[1]), str(row[2]), get_dt(row[3]) if row[3] else None)


def join(db: Database, cohort: int, account: int, shares: tuple[str, ...], now: datetime) -> bool:
    """Put the seeker in the cohort (again, after leaving: with the shares given); False
    when they are in it already."""
    row = db.one(
        "SELECT left_at FROM cohort_member WHERE cohort_id = ? AND account_id = ?",
        (cohort, account),
    )
    if row is not None and row[0] is None:
        return False
    if row is None:
        db.execute(
            "INSERT INTO cohort_member (cohort_id, account_id, joined_at, shares) "
            "VALUES (?, ?, ?, ?)",
            (cohort, account, put_dt(now), ",".join(shares)),
        )
    else:
        db.execute(
            "UPDATE cohort_member SET joined_at = ?, left_at = NULL, shares = ? "
            "WHERE cohort_id = ? AND account_id = ?",
            (put_dt(now), ",".join(shares), cohort, account),
        )
    return True


def memberships(db: Database, account: int) -> list[Membership]:
    """The cohorts the seeker is in now."""
    rows = db.query(
        "SELECT m.cohort_id, c.name, m.joined_at, m.shares FROM cohort_member m "
        "JOIN cohort c ON c.id = m.cohort_id WHERE m.account_id = ? AND m.left_at IS NULL "
        "ORDER BY c.name, c.id",
        (account,),
    )
    return [Membership(int(r[0]), str(r[1]), get_dt(r[2]), _shares(str(r[3]))) for r in rows]


def shares_of(db: Database, cohort: int, account: int) -> tuple[str, ...] | None:
    """What an active member shares with the cohort (None: not a member now)."""
    row = db.one(
        "SELECT shares FROM cohort_member WHERE cohort_id = ? AND account_id = ? "
        "AND left_at IS NULL",
        (cohort, account),
    )
    return _shares(str(row[0])) if row else None


def set_shares(db: Database, cohort: int, account: int, shares: tuple[str, ...]) -> bool:
    """Replace what the seeker shares with the cohort; False when not a member now."""
    return (
        db.update(
            "UPDATE cohort_member SET shares = ? WHERE cohort_id = ? AND account_id = ? "
            "AND left_at IS NULL",
            (",".join(shares), cohort, account),
        )
        == 1
    )


def leave(db: Database, cohort: int, account: int, now: datetime) -> bool:
    """The seeker is out of the cohort from `now` (their data stays theirs)."""
    return (
        db.update(
            "UPDATE cohort_member SET left_at = ? WHERE cohort_id = ? AND account_id = ? "
            "AND left_at IS NULL",
            (put_dt(now), cohort, account),
        )
        == 1
    )


def members(db: Database, cohort: int) -> list[Member]:
    """The cohort's active members with their figures where they share them (what the
    account set may see)."""
    rows = db.query(
        "SELECT m.account_id, a.name, m.joined_at, m.shares, s.computed_at, s.valid_until, "
        "s.last_activity, s.figures FROM cohort_member m "
        "LEFT JOIN account a ON a.id = m.account_id "
        "LEFT JOIN seeker_summary s ON s.account_id = m.account_id "
        "WHERE m.cohort_id = ? AND m.left_at IS NULL ORDER BY m.account_id",
        (cohort,),
    )
    out = []
    for acc, name, joined, shares, computed, valid, last, figures in rows:
        shared = _shares(str(shares))
        sees = "figures" in shared and figures is not None
        out.append(
            Member(
                int(acc), str(name) if name is not None else f"seeker {acc}", get_dt(joined),
                shared,
                get_dt(computed) if sees and computed else None,
                get_dt(valid) if sees and valid else None,
                get_dt(last) if sees and last else None,
                json.loads(figures) if sees else None,
            )
        )  # fmt: skip
    return out


def save_summary(
    db: Database,
    account: int,
    computed_at: datetime,
    valid_until: datetime,
    last_activity: datetime | None,
    figures: dict[str, Any],
) -> None:
    """Keep the seeker's figures (replacing the last ones)."""
    db.execute("DELETE FROM seeker_summary WHERE account_id = ?", (account,))
    db.execute(
        "INSERT INTO seeker_summary (account_id, computed_at, valid_until, last_activity, "
        "figures) VALUES (?, ?, ?, ?, ?)",
        (
            account,
            put_dt(computed_at),
            put_dt(valid_until),
            put_dt(last_activity) if last_activity else None,
            json.dumps(figures, sort_keys=True),
        ),
    )


def summary_valid_until(db: Database, account: int) -> datetime | None:
    """Until when the account's kept figures hold (None: none kept)."""
    row = db.one("SELECT valid_until FROM seeker_summary WHERE account_id = ?", (account,))
    return get_dt(row[0]) if row else None


def in_a_cohort(db: Database, account: int) -> bool:
    """True when the seeker is in a cohort now (their figures are worth keeping)."""
    row = db.one(
        "SELECT 1 FROM cohort_member WHERE account_id = ? AND left_at IS NULL LIMIT 1",
        (account,),
    )
    return row is not None


def stale_summaries(db: Database, now: datetime, limit: int) -> list[int]:
    """Seekers in a cohort whose figures are missing or out of date at `now` (as the
    tables' owner sees them: the worker's pass over every account)."""
    rows = db.query(
        "SELECT DISTINCT m.account_id FROM cohort_member m LEFT JOIN seeker_summary s "
        "ON s.account_id = m.account_id WHERE m.left_at IS NULL "
        "AND (s.account_id IS NULL OR s.valid_until <= ?) ORDER BY m.account_id LIMIT ?",
        (put_dt(now), limit),
    )
    return [int(r[0]) for r in rows]


def last_change(db: Database, account: int) -> datetime | None:
    """When the account last changed something (its history's latest change)."""
    row = db.one("SELECT MAX(at) FROM journal_change WHERE account_id = ?", (account,))
    return get_dt(row[0]) if row and row[0] else None
