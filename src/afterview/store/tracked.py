"""Writing a tracker's rows in bulk: the fingerprints of what is already tracked (in a
temporary table of the transaction, so memory stays flat), the next free ids, and the
batch inserts of applications with their lead details."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from afterview.store import leads
from afterview.store.db import Database

BATCH = 2000


class TrackedKeys:
    """The fingerprints of what the account tracks, in a temporary table.

    `fingerprints(company, role, url)` gives the keys of one stored application."""

    def __init__(
        self, db: Database, account: int, fingerprints: Callable[[str, str, str | None], list[int]]
    ) -> None:
        self.db = db
        if db.dialect == "postgresql":
            db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS afterview_seen (k BIGINT PRIMARY KEY) "
                "ON COMMIT DROP"
            )
        else:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS afterview_seen (k INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM afterview_seen")
        keys: list[tuple[int]] = []
        for company, role, url in db.query(
            "SELECT company, role, url FROM application WHERE account_id = ?", (account,)
        ):
            keys += [(k,) for k in fingerprints(str(company), str(role), url or None)]
            if len(keys) >= BATCH:
                self.add(keys)
                keys = []
        self.add(keys)

    def add(self, keys: list[tuple[int]]) -> None:
        """Remember fingerprints."""
        if keys:
            self.db.executemany(
                "INSERT INTO afterview_seen (k) VALUES (?) ON CONFLICT DO NOTHING", keys
            )

    def known(self, keys: list[int]) -> set[int]:
        """Which of `keys` are remembered."""
        if not keys:
            return set()
        marks = ", ".join("?" for _ in keys)
        return {
            int(r[0])
            for r in self.db.query(f"SELECT k FROM afterview_seen WHERE k IN ({marks})", keys)
        }

    def drop(self) -> None:
        """Forget them (PostgreSQL drops the table at commit itself)."""
        if self.db.dialect != "postgresql":
            self.db.execute("DROP TABLE IF EXISTS afterview_seen")


def next_application_id(db: Database) -> int:
    """The first free application id; on PostgreSQL the table is locked against other
    writers until the transaction ends, so the ids chosen stay free."""
    if db.dialect == "postgresql":
        db.execute("LOCK TABLE application IN SHARE ROW EXCLUSIVE MODE")
    row = db.one("SELECT COALESCE(MAX(id), 0) FROM application")
    return int(row[0]) + 1 if row else 1


def insert_applications(
    db: Database, apps: Sequence[tuple[object, ...]], details: Sequence[tuple[object, ...]]
) -> None:
    """Insert applications `(id, account, company, role, applied_on, url, created_at)` and
    their lead details `(application id, *leads.COLUMNS)`."""
    db.executemany(
        "INSERT INTO application (id, account_id, company, role, applied_on, url, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        apps,
    )
    db.executemany(
        f"INSERT INTO lead_detail (application_id, {', '.join(leads.COLUMNS)}) "
        f"VALUES (?, {', '.join('?' for _ in leads.COLUMNS)})",
        details,
    )
