"""Profile checks: each comparison of the CV with the LinkedIn export, and what it found."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from afterview.store.codec import get_dt, put_dt
from afterview.store.db import Database

COLUMNS = ("at", "resume", "linkedin", "findings", "notes")


def add_check(
    db: Database,
    account: int,
    at: datetime,
    resume: str,
    linkedin: str,
    findings: list[dict[str, str]],
    notes: list[str],
) -> None:
    """Record one profile check (`findings` in their porcelain shape, most severe first)."""
    high = sum(1 for f in findings if f["severity"] == "high")
    db.execute(
        "INSERT INTO profile_check (account_id, at, resume, linkedin, open_findings, high_findings, "
        "first_fix, findings, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            account,
            put_dt(at),
            resume,
            linkedin,
            len(findings),
            high,
            findings[0]["fix"] if findings else None,
            json.dumps(findings, ensure_ascii=False),
            json.dumps(notes, ensure_ascii=False),
        ),
    )


def checks(db: Database, account: int, latest_only: bool = False) -> list[dict[str, Any]]:
    """The account's profile checks, oldest first (or only the latest), as plain dicts."""
    sql = (
        "SELECT at, resume, linkedin, findings, notes FROM profile_check WHERE account_id = ? "
        + ("ORDER BY at DESC, id DESC LIMIT 1" if latest_only else "ORDER BY at, id")
    )
    return [
        {
            "at": at,
            "resume": resume,
            "linkedin": linkedin,
            "findings": json.loads(findings),
            "notes": json.loads(notes),
        }
        for at, resume, linkedin, findings, notes in db.query(sql, (account,))
    ]


def last_review(db: Database, account: int) -> datetime | None:
    """When the profile was last marked reviewed, if ever."""
    row = db.one("SELECT MAX(at) FROM profile_review WHERE account_id = ?", (account,))
    return get_dt(row[0]) if row and row[0] else None
