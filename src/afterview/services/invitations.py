"""`afterview interview import FILE.ics`: interviews from calendar invitations.

A new UID becomes an interview (company and role guessed, or given); the same UID
with a higher SEQUENCE moves it; a cancellation removes it while nothing has been
recorded about it. The whole file is checked first and written in one
transaction: nothing is half-imported.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from afterview.cal.invite import MAX_PEOPLE, Invitation, name_from_address, read_invitations
from afterview.core.guess import guess
from afterview.errors import BadInput, Refused
from afterview.parsing import check_line, shown
from afterview.services.context import Context
from afterview.store import calendar as calstore
from afterview.store import repo


class Imported(NamedTuple):
    """What happened to one event of the file."""

    interview_id: int | None
    what: str  # added, moved, unchanged, cancelled, not found
    company: str | None
    role: str | None
    invitation: Invitation
    people: tuple[tuple[str, str], ...] = ()


def _own(ctx: Context) -> set[str]:
    mine = {ctx.config.my_email.lower()} if ctx.config.my_email else set()
    from afterview.store import mail as mailstore

    settings = mailstore.get_settings(ctx.db, ctx.account)
    if settings is not None:
        mine |= set(settings.own_addresses())
    return mine


def _refuse_without_own_address(invitations: list[Invitation]) -> None:
    """Not knowing the user's address, an attendee may be the user: the import would
    plan a thank-you to themselves. Refused, with how to say which address is theirs."""
    for inv in invitations:
        if inv.cancelled or not inv.attendees:
            continue
        listed = ", ".join(shown(email, 60) for _, email in inv.attendees[:4])
        more = f" and {len(inv.attendees) - 4} more" if len(inv.attendees) > 4 else ""
        raise BadInput(
            "ATTENDEE",
            f"your e-mail address is not set, and one of the attendees ({listed}{more}) may be "
            "you: set it first (afterview config set me.email ADDRESS, or Settings in the web "
            "app), then import again",
        )


def _people(inv: Invitation, own: set[str]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out = []
    for name, email in ([inv.organizer] if inv.organizer else []) + list(inv.attendees):
        if email in own or email in seen:
            continue
        seen.add(email)
        out.append((name, email))  # checked by the reader
    if len(out) > MAX_PEOPLE:
        raise BadInput(
            "ATTENDEE",
            f"{len(out)} people invited: that is not an interview panel (at most {MAX_PEOPLE}); "
            "add the interview by hand with `afterview interview add`",
        )
    return out


def _person(ctx: Context, name: str, email: str) -> Any:
    """The person with this address: named by the invitation when it gives a name; else
    as already known; else by a name the address clearly holds, or by the address."""
    if name:
        return repo.find_or_add_person(ctx.db, ctx.account, name, email)
    known = repo.find_or_add_person(ctx.db, ctx.account, "", email)
    if known.name:
        return known
    return repo.find_or_add_person(ctx.db, ctx.account, name_from_address(email) or email, email)


def import_invitations(
    ctx: Context, data: bytes, company: str | None = None, role: str | None = None
) -> list[Imported]:
    """Import every event of an invitation file."""
    invitations = read_invitations(data, ctx.user_tz)
    own = _own(ctx)
    if not own:
        _refuse_without_own_address(invitations)
    plans: list[tuple[Invitation, list[tuple[str, str]], str | None, str | None]] = []
    for inv in invitations:
        people = [] if inv.cancelled else _people(inv, own)
        c, r = company, role
        if not inv.cancelled and (c is None or r is None):
            g_company, g_role = guess(inv.summary, [e for _, e in people], ctx.config.my_name)
            c = c or g_company
            r = r or g_role
        if not inv.cancelled and calstore.find_imported(ctx.db, ctx.account, inv.uid) is None:
            if not c:
                raise BadInput(
                    "company",
                    f"cannot tell the company from {shown(inv.summary)}; give --company NAME",
                )
            if not r:
                raise BadInput(
                    "role", f"cannot tell the role from {shown(inv.summary)}; give --role TITLE"
                )
            c = check_line(c, "company", limit=200)
            r = check_line(r, "role", limit=200)
        plans.append((inv, people, c, r))
    results = []
    with ctx.db.transaction():
        for inv, people, c, r in plans:
            results.append(_apply(ctx, inv, people, c, r))
    return results


def _apply(
    ctx: Context,
    inv: Invitation,
    people: list[tuple[str, str]],
    company: str | None,
    role: str | None,
) -> Imported:
    found = calstore.find_imported(ctx.db, ctx.account, inv.uid)
    if inv.cancelled:
        if found is None:
            return Imported(None, "not found", None, None, inv)
        iv_id = found[0]
        if inv.sequence < found[1]:
            return Imported(iv_id, "unchanged", None, None, inv)  # an older cancellation
        if calstore.has_facts(ctx.db, iv_id):
            raise Refused(
                f"the invitation for interview {iv_id} was cancelled, but things are recorded "
                f"about it; record what happened with `afterview outcome {iv_id} withdrawn`"
            )
        calstore.delete_interview(ctx.db, ctx.account, iv_id)
        return Imported(iv_id, "cancelled", None, None, inv)
    persons = [_person(ctx, n, e) for n, e in people]
    people = [(p.name, p.email or e) for p, (_, e) in zip(persons, people, strict=True)]
    if found is not None:
        iv_id, sequence = found
        if inv.sequence <= sequence:
            return Imported(iv_id, "unchanged", None, None, inv)
        iv = ctx.interview(iv_id)
        repo.update_interview_times(ctx.db, iv_id, inv.start, inv.end, inv.tz, iv.decision_by)
        repo.set_interviewers(ctx.db, iv_id, persons)
        calstore.set_invitation(
            ctx.db, iv_id, inv.uid, inv.sequence, inv.format, inv.location, inv.meeting_url
        )
        return Imported(iv_id, "moved", None, None, inv, tuple(people))
    assert company is not None and role is not None
    app_id = repo.find_application(ctx.db, ctx.account, company, role)
    if app_id is None:
        app_id = repo.add_application(ctx.db, ctx.account, company, role, None, None, ctx.now)
    iv_id = repo.add_interview(
        ctx.db, ctx.account, app_id, inv.start, inv.end, inv.tz, None, ctx.now
    )
    repo.set_interviewers(ctx.db, iv_id, persons)
    calstore.set_invitation(
        ctx.db, iv_id, inv.uid, inv.sequence, inv.format, inv.location, inv.meeting_url
    )
    return Imported(iv_id, "added", company, role, inv, tuple(people))


def as_json(r: Imported) -> dict[str, Any]:
    """One imported event as JSON."""
    inv = r.invitation
    return {
        "interview_id": r.interview_id,
        "result": r.what,
        "uid": inv.uid,
        "sequence": inv.sequence,
        "company": r.company,
        "role": r.role,
        "start": inv.start.isoformat(),
        "end": inv.end.isoformat(),
        "tz": inv.tz,
        "format": inv.format,
        "location": inv.location,
        "meeting_url": inv.meeting_url,
        "interviewers": [{"name": n, "email": e} for n, e in r.people],
        "notes": list(inv.notes),
    }


def notes(results: list[Imported]) -> list[str]:
    """What the reader had to guess, each said once, in file order."""
    return list(dict.fromkeys(n for r in results for n in r.invitation.notes))
