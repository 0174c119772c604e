"""Use case: compare the CV (JSON Resume) with the LinkedIn export and keep what was found.

A clean check, or one the user confirms (`mark_reviewed`), marks the profile
reviewed, which ends the `refresh_profile` action; open findings show in that
action's reason until the next review.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from afterview.core.profile import Finding, Month, ProfileDoc
from afterview.core.profile_check import check_profile
from afterview.core.timeutil import zone
from afterview.errors import BadInput
from afterview.services.context import Context
from afterview.store import profile as store
from afterview.store import repo


class ProfileReport(NamedTuple):
    """One check: its findings (most severe first), notes on the inputs, and the review it
    recorded (None when findings are left open)."""

    at: datetime
    resume: str
    linkedin: str
    findings: list[Finding]
    notes: list[str]
    reviewed_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        """The porcelain shape of the report."""
        return {
            "at": self.at.isoformat(),
            "resume": self.resume,
            "linkedin": self.linkedin,
            "clean": not self.findings,
            "findings": [f.as_json() for f in self.findings],
            "notes": self.notes,
            "reviewed_at": self.reviewed_at.isoformat() if self.reviewed_at else None,
        }


def _path(given: str | None, configured: str | None, option: str, setting: str) -> Path:
    chosen = given or configured
    if not chosen:
        raise BadInput(option, f"give its path (or set {setting} under [profile] in config.toml)")
    return Path(os.path.expanduser(chosen))


def run_check(
    ctx: Context, resume: str | None, linkedin: str | None, mark_reviewed: bool = False
) -> ProfileReport:
    """Read both sides from disk, compare them at `ctx.now`, record the check, and mark the
    profile reviewed when nothing was found or `mark_reviewed` is set."""
    from afterview.sources.linkedin import read_export
    from afterview.sources.resume import read_resume

    resume_path = _path(resume, ctx.config.resume, "resume", "resume")
    linkedin_path = _path(linkedin, ctx.config.linkedin, "linkedin", "linkedin")
    cv, cv_notes = read_resume(resume_path)
    li, li_notes = read_export(linkedin_path)
    return _record(
        ctx, cv, li, cv_notes + li_notes, str(resume_path), str(linkedin_path), mark_reviewed
    )


def run_check_upload(
    ctx: Context,
    resume: bytes,
    resume_name: str,
    linkedin: bytes,
    linkedin_name: str,
    mark_reviewed: bool = False,
) -> ProfileReport:
    """The same check on uploaded files, held in memory (the web app)."""
    from afterview.sources.linkedin import read_export_bytes
    from afterview.sources.resume import read_resume_bytes

    if not resume:
        raise BadInput("resume", "choose your CV, a JSON Resume file (resume.json)")
    if not linkedin:
        raise BadInput("linkedin", "choose LinkedIn's data export (the .zip it sent you)")
    cv, cv_notes = read_resume_bytes(resume, resume_name)
    li, li_notes = read_export_bytes(linkedin, linkedin_name)
    return _record(ctx, cv, li, cv_notes + li_notes, resume_name, linkedin_name, mark_reviewed)


def _record(
    ctx: Context,
    cv: ProfileDoc,
    li: ProfileDoc,
    notes: list[str],
    resume: str,
    linkedin: str,
    mark_reviewed: bool,
) -> ProfileReport:
    local = ctx.now.astimezone(zone(ctx.user_tz))
    findings = check_profile(cv, li, Month(local.year, local.month))
    reviewed = ctx.now if (mark_reviewed or not findings) else None
    with ctx.db.transaction():
        store.add_check(
            ctx.db, ctx.account, ctx.now, resume, linkedin, [f.as_json() for f in findings], notes
        )
        if reviewed is not None:
            repo.add_profile_review(ctx.db, ctx.account, reviewed)
    return ProfileReport(ctx.now, resume, linkedin, findings, notes, reviewed)


def profile_view(ctx: Context) -> dict[str, Any]:
    """The latest check as stored, whether its findings still stand (no review since), and
    when the profile was last reviewed (the web page and `/api/profile`)."""
    found = store.checks(ctx.db, ctx.account, latest_only=True)
    last = store.last_review(ctx.db, ctx.account)
    check = found[0] if found else None
    tz = zone(ctx.user_tz)
    if check is not None:
        at = datetime.fromisoformat(check["at"])
        check["open"] = bool(check["findings"]) and (last is None or last < at)
        check["at"] = at.astimezone(tz).isoformat()
    return {
        "last_reviewed": last.astimezone(tz).isoformat() if last else None,
        "tz": ctx.user_tz,
        "check": check,
    }
