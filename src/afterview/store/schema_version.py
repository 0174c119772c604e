"""The schema version a database is at (0: an empty database)."""

from __future__ import annotations

from afterview.store.db import Database


def current_version(db: Database) -> int:
    """Return the schema version of `db` (0 for an empty database)."""
    if db.dialect == "sqlite":
        exists = db.one(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        )
    else:
        exists = db.one(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_version'"
        )
    if exists is None:
        return 0
    row = db.one("SELECT MAX(version) FROM schema_version")
    return int(row[0]) if row and row[0] is not None else 0
