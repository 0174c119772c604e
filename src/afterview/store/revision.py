"""The data revision: a number that every write to the database raises (migration 8).

Triggers raise it, so a write by any process (the CLI, the worker, another server)
counts. Caches of what the database holds are keyed by it.
"""

from __future__ import annotations

from afterview.store.db import Database


def data_revision(db: Database) -> int:
    """Return the database's current data revision."""
    row = db.one("SELECT n FROM data_revision WHERE id = 1")
    return int(row[0]) if row else 0
