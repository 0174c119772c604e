"""An application's own record (migration 18): the stage the user moved it to on the
board, when, and the user's notes; with what its record page reads beside it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from afterview.store.codec import get_date, get_dt, put_dt
from afterview.store.db import Database
from afterview.store.leads import COLUMNS as LEAD_COLUMNS

#: The stages of the board, in their order (the column's CHECK lists the same).
STAGES = ("lead", "applied", "interviewing", "offer", "closed")


def stages(db: Database, account: int) -> dict[int, tuple[str, datetime]]:
    """The applications the user placed by hand: id -> (stage, when it was placed)."""
    return {
        int(i): (str(s), get_dt(at))
        for i, s, at in db.query(
            "SELECT id, stage, stage_at FROM application "
            "WHERE account_id = ? AND stage IS NOT NULL AND stage_at IS NOT NULL",
            (account,),
        )
    }


def lead_ids(db: Database, account: int) -> set[int]:
    """The applications that came from a job posting (they have its details)."""
    return {
        int(r[0])
        for r in db.query(
            "SELECT d.application_id FROM lead_detail d JOIN application a "
            "ON a.id = d.application_id WHERE a.account_id = ?",
            (account,),
        )
    }


def set_stage(
    db: Database, account: int, application_id: int, stage: str | None, at: datetime | None
) -> int:
    """Place an application on a stage at `at` (None: where its facts put it); returns the
    rows changed (0: no such application)."""
    if stage is not None and stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    return db.update(
        "UPDATE application SET stage = ?, stage_at = ? WHERE id = ? AND account_id = ?",
        (
            stage,
            put_dt(at) if stage is not None and at is not None else None,
            application_id,
            account,
        ),
    )


def set_notes(db: Database, account: int, application_id: int, notes: str | None) -> int:
    """Keep the user's notes on an application (None: none); returns the rows changed."""
    return db.update(
        "UPDATE application SET notes = ? WHERE id = ? AND account_id = ?",
        (notes, application_id, account),
    )


_RECORD = (
    "id", "company", "role", "applied_on", "url", "email_domain", "created_at", "stage",
    "stage_at", "notes",
)  # fmt: skip


def record(db: Database, account: int, application_id: int) -> dict[str, Any] | None:
    """One application as stored (dates and moments as stored text), or None."""
    row = db.one(
        f"SELECT {', '.join(_RECORD)} FROM application WHERE id = ? AND account_id = ?",
        (application_id, account),
    )
    return dict(zip(_RECORD, row, strict=True)) if row else None


def lead_detail(db: Database, application_id: int) -> dict[str, Any] | None:
    """What the job posting said about this application, if it came from one."""
    row = db.one(
        f"SELECT {', '.join(LEAD_COLUMNS)} FROM lead_detail WHERE application_id = ?",
        (application_id,),
    )
    if row is None:
        return None
    detail = dict(zip(LEAD_COLUMNS, row, strict=True))
    detail["remote"] = bool(detail["remote"])
    for k in ("salary_min", "salary_max"):
        if detail[k] is not None:
            detail[k] = float(detail[k])
    return detail


def people(db: Database, account: int, ids: set[int]) -> dict[int, tuple[str, str | None]]:
    """Names and addresses of these people of the account."""
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    return {
        int(i): (str(n), e)
        for i, n, e in db.query(
            f"SELECT id, name, email FROM person WHERE account_id = ? AND id IN ({marks})",
            (account, *sorted(ids)),
        )
    }


def funnel_rows(db: Database, account: int) -> Iterator[tuple[int, str, date | None]]:
    """(id, company, applied day) of each of the account's applications, read a batch
    at a time: what the funnel counts, without holding a long history whole. Each
    company's name is one string however many applications name it."""
    names: dict[str, str] = {}
    for i, company, applied in db.stream(
        "SELECT id, company, applied_on FROM application WHERE account_id = ? ORDER BY id",
        (account,),
    ):
        yield int(i), names.setdefault(company, company), get_date(applied)
