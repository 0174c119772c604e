"""What a job posting said about a lead (migration 10), beside its application row."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from afterview.store.db import Database

COLUMNS = (
    "location",
    "remote",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_unit",
    "posted_on",
    "valid_through",
    "source",
    "source_status",
    "notes",
)


def save_detail(db: Database, application_id: int, detail: dict[str, Any]) -> None:
    """Keep the posting's details of an application (replacing earlier ones)."""
    db.execute("DELETE FROM lead_detail WHERE application_id = ?", (application_id,))
    db.execute(
        f"INSERT INTO lead_detail (application_id, {', '.join(COLUMNS)}) "
        f"VALUES (?, {', '.join('?' for _ in COLUMNS)})",
        (application_id, *(_stored(k, detail.get(k)) for k in COLUMNS)),
    )


def _stored(key: str, value: Any) -> Any:
    return int(bool(value)) if key == "remote" else value


def details(db: Database, account: int) -> dict[int, dict[str, Any]]:
    """The posting details of the account's applications, by application id."""
    return dict(detail_rows(db, account, stream=False))


def sources(db: Database, account: int) -> dict[int, str]:
    """Where each of the account's applications came from, for those whose source is
    known (`file`, `url`, `greenhouse`, `huntr`, …), by application id."""
    return {
        int(app): str(source)
        for app, source in db.stream(
            "SELECT d.application_id, d.source FROM lead_detail d JOIN application a "
            "ON a.id = d.application_id WHERE a.account_id = ? AND d.source IS NOT NULL "
            "AND d.source <> ''",
            (account,),
        )
    }


def detail_rows(
    db: Database, account: int, stream: bool = True
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(application id, posting details) of the account's applications, by ascending id;
    read a batch at a time when `stream` (inside `snapshot()`)."""
    read = db.stream if stream else db.query
    rows = read(
        f"SELECT d.application_id, {', '.join('d.' + c for c in COLUMNS)} FROM lead_detail d "
        "JOIN application a ON a.id = d.application_id WHERE a.account_id = ? "
        "ORDER BY d.application_id",
        (account,),
    )
    for row in rows:
        detail = dict(zip(COLUMNS, row[1:], strict=True))
        detail["remote"] = bool(detail["remote"])
        for k in ("salary_min", "salary_max"):
            if detail[k] is not None:
                detail[k] = float(detail[k])
        yield int(row[0]), detail


def find_by_url(db: Database, account: int, url: str) -> int | None:
    """The application already tracked at this address, if any."""
    row = db.one(
        "SELECT id FROM application WHERE account_id = ? AND url = ? ORDER BY id LIMIT 1",
        (account, url),
    )
    return int(row[0]) if row else None


def set_applied(db: Database, account: int, application_id: int, day: str) -> int:
    """Mark an application as applied on `day`; returns the rows changed (0: unknown id)."""
    return db.update(
        "UPDATE application SET applied_on = ? WHERE id = ? AND account_id = ?",
        (day, application_id, account),
    )


def find_by_name(
    db: Database, account: int, company: str, title: str, url: str | None
) -> int | None:
    """The application with this company and role (ignoring case) that could be the same
    posting: one of the two has no address (two addresses mean two postings)."""
    row = db.one(
        "SELECT id FROM application WHERE account_id = ? AND LOWER(company) = LOWER(?) "
        "AND LOWER(role) = LOWER(?) AND (url IS NULL OR CAST(? AS TEXT) IS NULL) ORDER BY id LIMIT 1",
        (account, company, title, url),
    )
    return int(row[0]) if row else None


def applied_day(db: Database, account: int, application_id: int) -> tuple[bool, str | None]:
    """Whether the account has this application, and the day it was applied (or None)."""
    row = db.one(
        "SELECT applied_on FROM application WHERE id = ? AND account_id = ?",
        (application_id, account),
    )
    return (row is not None, str(row[0]) if row and row[0] is not None else None)
