"""The worker's last pass, per account: when it ran, how it ended, who ran it.

One row per account (`worker_run`), written at the end of every pass of `afterview run`,
`run --once` and the sender inside `afterview serve`: it is how `send`, `approve` and
`afterview service status` know whether a worker runs at all.

It is the installation's own state, not the user's data (`LOCAL_TABLES`): a write raises
no data revision (the web app's read cache would otherwise die every minute), the
journal does not record it (a pass is no change of the user's, so neither `history` nor
`undo` sees it), and it is neither exported nor imported (a worker's heartbeat on one
machine says nothing about another). The table is made by one migration
(`schema`, listed once in `store/migrations.py`), so renumbering it is one line.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from afterview.store.codec import get_dt, put_dt
from afterview.store.cohort_schema import COHORT_TABLES
from afterview.store.db import Database
from afterview.store.server_schema import SERVER_TABLES

TABLE = "worker_run"
#: Tables that hold this installation's own state, not the user's data: no data revision,
#: no journal, no export or import (the worker's passes; a server's sign-ins, sessions
#: and cohorts).
LOCAL_TABLES = (TABLE, *SERVER_TABLES, *COHORT_TABLES, "account_secret", "account_config")
#: How a pass can end: every message as planned (`ok`); a message refused or uncertain
#: (`attention`); the mail settings wrong or a password missing (`setup`); the pass
#: failed for another reason (`error`).
OUTCOMES = ("ok", "attention", "setup", "error")


class WorkerRun(NamedTuple):
    """The last pass of a worker for one account. `every_s`: the seconds between the
    worker's passes (None for `run --once`, which a timer or cron repeats)."""

    at: datetime
    outcome: str
    detail: str | None
    worker: str
    every_s: int | None


def schema(dialect: str) -> list[str]:
    """The statements of the migration that adds the table (no revision trigger)."""
    ref = "BIGINT" if dialect == "postgresql" else "INTEGER"
    checked = ", ".join(f"'{o}'" for o in OUTCOMES)
    return [
        f"CREATE TABLE {TABLE} (account_id {ref} PRIMARY KEY REFERENCES account(id), "
        f"at TEXT NOT NULL, outcome TEXT NOT NULL CHECK (outcome IN ({checked})), "
        "detail TEXT, worker TEXT NOT NULL, every_s INTEGER)"
    ]


def record(db: Database, account: int, run: WorkerRun) -> None:
    """Keep `run` as the account's last pass (in a transaction of its own, unjournaled)."""
    if run.outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {run.outcome!r}")
    with db.unrecorded(), db.transaction():
        db.execute(
            f"INSERT INTO {TABLE} (account_id, at, outcome, detail, worker, every_s) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET "
            "at = excluded.at, outcome = excluded.outcome, detail = excluded.detail, "
            "worker = excluded.worker, every_s = excluded.every_s",
            (account, put_dt(run.at), run.outcome, run.detail, run.worker, run.every_s),
        )


def last(db: Database, account: int) -> WorkerRun | None:
    """The account's last pass, or None when no worker ever ran on this database."""
    row = db.one(
        f"SELECT at, outcome, detail, worker, every_s FROM {TABLE} WHERE account_id = ?",
        (account,),
    )
    if row is None:
        return None
    every = row[4]
    return WorkerRun(
        get_dt(str(row[0])),
        str(row[1]),
        None if row[2] is None else str(row[2]),
        str(row[3]),
        None if every is None else int(every),
    )
