"""The records that end an action, found by the moment they end it, and removed again
(`afterview reopen`): marks (done, skipped), messages sent, profile reviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from afterview.store.codec import get_dt, put_dt
from afterview.store.db import Database


@dataclass(frozen=True, slots=True)
class MarkRow:
    """An action marked done or skipped by hand."""

    id: int
    action_id: str
    state: str
    at: datetime
    why: str | None


@dataclass(frozen=True, slots=True)
class SentRow:
    """A message recorded as sent: by `done` (note "marked done", no Message-ID), by
    `log`, or by afterview's own outbox (with its Message-ID)."""

    id: int
    interview_id: int
    kind: str
    person_id: int | None
    at: datetime
    note: str | None
    message_id: str | None


def marks_at(db: Database, account: int, at: datetime) -> list[MarkRow]:
    """The marks recorded for the moment `at`."""
    return [
        MarkRow(int(i), str(a), str(s), get_dt(t), w)
        for i, a, s, t, w in db.query(
            "SELECT id, action_id, state, at, why FROM action_mark "
            "WHERE account_id = ? AND at = ? ORDER BY id",
            (account, put_dt(at)),
        )
    ]


def sent_at(
    db: Database, account: int, interview_id: int, kind: str, at: datetime
) -> list[SentRow]:
    """The messages of `kind` sent about an interview at the moment `at`."""
    return [
        SentRow(int(i), int(iv), str(k), p, get_dt(t), n, m)
        for i, iv, k, p, t, n, m in db.query(
            "SELECT id, interview_id, kind, person_id, at, note, message_id FROM touch "
            "WHERE account_id = ? AND interview_id = ? AND direction = 'sent' AND kind = ? "
            "AND at = ? ORDER BY id",
            (account, interview_id, kind, put_dt(at)),
        )
    ]


def reviews_at(db: Database, account: int, at: datetime) -> list[int]:
    """The ids of the profile reviews recorded for the moment `at`."""
    return [
        int(r[0])
        for r in db.query(
            "SELECT id FROM profile_review WHERE account_id = ? AND at = ? ORDER BY id",
            (account, put_dt(at)),
        )
    ]


_TABLES = {"mark": "action_mark", "touch": "touch", "review": "profile_review"}


def remove(db: Database, account: int, what: str, ids: list[int]) -> int:
    """Delete rows of one kind ("mark", "touch" or "review") by id; return how many went."""
    table = _TABLES[what]
    gone = 0
    for row_id in ids:
        gone += db.update(f"DELETE FROM {table} WHERE account_id = ? AND id = ?", (account, row_id))
    return gone
