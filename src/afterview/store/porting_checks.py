"""What an import in progress needs to know of the database: which of the ids and keys
a batch of records names are already there (written by earlier batches of the same
import, or held by another account), so that each batch is checked without keeping
every id of a long history in memory."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from afterview.store.db import Database

#: What can be looked up: the query (its IN list left as {}), and whether it reads
#: every account (the ids and Message-IDs unique across the database) or this one.
_LOOKUPS: dict[str, tuple[str, bool]] = {
    "application": ("SELECT id, account_id FROM application WHERE id IN ({})", True),
    "person": ("SELECT id, account_id FROM person WHERE id IN ({})", True),
    "interview": ("SELECT id, account_id FROM interview WHERE id IN ({})", True),
    "touch": ("SELECT id, account_id FROM touch WHERE id IN ({})", True),
    "outbox": ("SELECT id, account_id FROM outbox WHERE id IN ({})", True),
    "outbox_message": ("SELECT message_id, account_id FROM outbox WHERE message_id IN ({})", True),
    "invitation": (
        "SELECT ical_uid FROM interview WHERE account_id = ? AND ical_uid IN ({})",
        False,
    ),
    "touch_message": (
        "SELECT message_id FROM touch WHERE account_id = ? AND message_id IN ({})",
        False,
    ),
    "outcome": (
        "SELECT interview_id FROM outcome WHERE account_id = ? AND interview_id IN ({})",
        False,
    ),
    "assessment": (
        "SELECT interview_id FROM assessment WHERE account_id = ? AND interview_id IN ({})",
        False,
    ),
    "calendar_event": (
        "SELECT action_id FROM calendar_event WHERE account_id = ? AND action_id IN ({})",
        False,
    ),
    "notification": (
        "SELECT key, channel FROM notification WHERE account_id = ? AND key IN ({})",
        False,
    ),
    "mail_sync": (
        "SELECT folder FROM mail_sync WHERE account_id = ? AND folder IN ({})",
        False,
    ),
    "outbox_live": (
        "SELECT action_id FROM outbox WHERE account_id = ? AND action_id IN ({}) "
        "AND state IN ('scheduled', 'sending', 'held', 'uncertain')",
        False,
    ),
}
LOOKUPS = tuple(_LOOKUPS)
_CHUNK = 500


def present(
    db: Database, account: int, what: str, values: Collection[Any]
) -> tuple[set[Any], set[Any]]:
    """Of `values`, those the account holds as `what` (see `LOOKUPS`) and those another
    account holds (only for the ids and Message-IDs unique across the database).
    A notification is held as its (key, channel) pair, looked up by key."""
    sql, every_account = _LOOKUPS[what]
    mine: set[Any] = set()
    others: set[Any] = set()
    ordered = list(values)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        query = sql.format(", ".join("?" for _ in chunk))
        if every_account:
            for value, owner in db.query(query, chunk):
                (mine if int(owner) == account else others).add(value)
        elif what == "notification":
            mine.update((key, channel) for key, channel in db.query(query, [account, *chunk]))
        else:
            mine.update(row[0] for row in db.query(query, [account, *chunk]))
    return mine, others
