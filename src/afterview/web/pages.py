"""The HTML pages: Today, Interviews, one interview, and the changes made from them.

Each route parses its input, calls one use case, and renders or redirects; reads go
through the runtime's cache (`Runtime.view`). Every change is a POST checked for the
CSRF token (`require_csrf`); after it the browser is sent to a page (303), so a reload
never repeats it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from afterview.errors import BadInput, Refused
from afterview.services import interview_listing, listing, live, records, views
from afterview.web import deps
from afterview.web.deps import (
    Ctx,
    Form,
    RecordId,
    after_change,
    bad_input,
    lines,
    message_for,
    see_other,
    text,
)
from afterview.web.routes import Routes
from afterview.web.runtime import WebContext
from afterview.web.security import require_csrf
from afterview.web.templating import clock_values, render

INTERVIEW_STATUSES = interview_listing.STATUSES


router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)


#: cards shown in each group of Today before "Show all" (the JSON twin has them all)
GROUP_LIMIT = 10
#: cards each state of the "Now" group keeps within the limit, when it has them
STATE_FLOOR = 3
#: ended actions on one page of Today's "Show all" (with `all`), newest first
ENDED_PAGE = 50
#: the states of what can be done now, in the agenda's order
NOW_STATES = ("overdue", "ideal", "open")


@router.get("/", response_class=HTMLResponse)
def today(request: Request, ctx: Ctx, all: bool = False, full: bool = False) -> Response:
    """Today: what to do now (overdue, ideal, open), what comes in the next days, then the
    counts; each group shows its first cards, `full` all of them (ended ones, with `all`,
    a page at a time). A new user (no data, no config file) is sent to the set-up."""
    from afterview.services import first_run

    if first_run.needs_setup(ctx) and not deps.runtime(request).settings.server:
        return see_other("/setup")
    page = _page_number(request)
    rt = deps.runtime(request)
    prepare = None if all else lambda: live.keep_bounds(ctx)

    def values() -> dict[str, object]:
        view = rt.view(
            ctx, "agenda", (all,), lambda: views.agenda_view(ctx, everything=all), prepare
        )
        groups = _today_groups(view["actions"], all=all, full=full, page=page)
        counts = {
            state: sum(1 for a in view["actions"] if a["state"] == state)
            for state in (*NOW_STATES, "upcoming")
        }
        quiet = not any(g["total"] for g in groups)
        return {
            "view": view,
            "groups": groups,
            "counts": counts,
            "ended": next((g["total"] for g in groups if g["key"] == "ended"), 0),
            "first_time": quiet and not first_run.has_interviews(ctx),
            "show_all": all,
            "full": full,
            "user_tz": view["tz"],
        }

    return _page(request, ctx, "today.html", (all, full, page), values, prepare)


def _page_number(request: Request) -> int:
    """The `page` asked in the address (1 when absent)."""
    value = request.query_params.get("page", "1")
    if not (value.isascii() and value.isdigit() and 1 <= len(value) <= 6 and int(value) >= 1):
        raise BadInput("page", "expected a page number from 1")
    return int(value)


def _today_groups(
    actions: list[dict[str, Any]], *, all: bool, full: bool, page: int
) -> list[dict[str, Any]]:
    """Today's groups: "Now" (split by state, each state keeping a few cards within the
    limit), "Coming up", and with `all` the ended actions, newest first."""
    now_parts = [[a for a in actions if a["state"] == s] for s in NOW_STATES]
    sizes = [len(p) for p in now_parts]
    keep = sizes if full else _share(sizes, GROUP_LIMIT, STATE_FLOOR)
    coming = [a for a in actions if a["state"] == "upcoming"]
    groups: list[dict[str, Any]] = [
        {
            "key": "now",
            "title": "Now",
            "total": sum(sizes),
            "parts": [
                (state, part[:n], len(part))
                for state, part, n in zip(NOW_STATES, now_parts, keep, strict=True)
                if part
            ],
            "shown": sum(keep),
        },
        {
            "key": "coming",
            "title": "Coming up",
            "total": len(coming),
            "parts": [("upcoming", coming if full else coming[:GROUP_LIMIT], len(coming))],
            "shown": len(coming) if full else min(len(coming), GROUP_LIMIT),
        },
    ]
    if all:
        from datetime import datetime

        ended = sorted(
            (a for a in actions if a["state"] in views.ENDED_STATES),
            key=lambda a: datetime.fromisoformat(a["ended_at"] or a["due_at"]),
            reverse=True,
        )
        pages = max(1, -(-len(ended) // ENDED_PAGE))
        page = min(page, pages)
        shown = ended[(page - 1) * ENDED_PAGE : page * ENDED_PAGE] if full else ended[:GROUP_LIMIT]
        groups.append(
            {
                "key": "ended",
                "title": "Ended",
                "total": len(ended),
                "parts": [("ended", shown, len(ended))],
                "shown": len(shown),
                "page": page,
                "pages": pages if full else 1,
            }
        )
    return groups


def _share(sizes: list[int], limit: int, floor: int) -> list[int]:
    """How many cards of each part to show: each keeps up to `floor`, the rest of `limit`
    goes to the parts in order (overdue first)."""
    shown = [min(floor, n) for n in sizes]
    left = limit - sum(shown)
    for i, n in enumerate(sizes):
        extra = max(0, min(n - shown[i], left))
        shown[i] += extra
        left -= extra
    return shown


def _page(
    request: Request,
    ctx: WebContext,
    name: str,
    args: tuple[object, ...],
    values: Callable[[], dict[str, object]],
    prepare: Callable[[], None] | None = None,
) -> Response:
    """A page rendered from its values, which the runtime keeps once per revision, moment
    and arguments (`Runtime.view`; `prepare` as there); a page with a confirmation
    message reads them afresh (what a change said is said once). The HTML is made per
    request, with the client's own token and header."""
    message = message_for(request)
    if message:
        return render(request, name, {**values(), "message": message})
    shown = deps.runtime(request).view(ctx, f"page:{name}", args, values, prepare)
    return render(request, name, shown)


@router.post("/actions/{action_id}/done")
def action_done(action_id: str, request: Request, ctx: Ctx, form: Form) -> Response:
    """Record the action's fact at now (the same checks as `afterview done`); a rule's
    refusal offers to record it anyway."""
    try:
        action = records.done(ctx, action_id, force=text(form, "force") == "1")
    except Refused as exc:
        if not exc.override:
            raise
        why = exc.reason
        return render(
            request,
            "error.html",
            {
                "title": "Not now",
                "problem": why,
                "retry": {
                    "action": f"/actions/{quote(action_id, safe='')}/done",
                    "back": text(form, "back") or "today",
                    "label": "Record it as done anyway",
                },
            },
            status_code=409,
        )
    return _back(ctx, form, action.interview_id, "done")


@router.post("/actions/{action_id}/skip")
def action_skip(action_id: str, request: Request, ctx: Ctx, form: Form) -> Response:
    """End an action without doing it, with the reason given."""
    action = records.skip(ctx, action_id, text(form, "why") or "")
    return _back(ctx, form, action.interview_id, "skipped")


def _back(ctx: WebContext, form: FormData, interview_id: int | None, msg: str) -> RedirectResponse:
    """Back to the page the form was on (Today, or the interview's page), with Undo."""
    if text(form, "back") == "interview" and interview_id is not None:
        return after_change(ctx, f"/interviews/{interview_id}", msg)
    return after_change(ctx, "/", msg)


#: Interviews on one page of the Interviews page.
INTERVIEWS_PAGE = 50


@router.get("/interviews", response_class=HTMLResponse)
def interviews(request: Request, ctx: Ctx) -> Response:
    """The interviews, newest first, a page at a time, searched and filtered by status;
    and the form to add one."""
    return _interviews(request, ctx, {}, None)


INTERVIEW_SORTS = interview_listing.SORTS


def _listing(request: Request) -> interview_listing.Wanted:
    """The search, filters, order and page number asked in the address."""
    return interview_listing.read(request.query_params)


def _interviews(
    request: Request, ctx: WebContext, typed: dict[str, str], error: str | None
) -> Response:
    """The Interviews page; after bad input, the form again with what was typed."""
    want = _listing(request)
    every = deps.runtime(request).view(ctx, "interviews", (), lambda: views.list_interviews(ctx))
    found = interview_listing.select(every, want)
    shown = listing.page_of(found, want.page, INTERVIEWS_PAGE)
    values = {
        "rows": shown.items,
        "total": len(every),
        "found": len(found),
        "first": shown.first,
        "page": shown.page,
        "pages": shown.pages,
        "q": want.q,
        "status": want.status,
        "statuses": INTERVIEW_STATUSES,
        "want": want,
        "sorts": INTERVIEW_SORTS,
        **clock_values(ctx),
        "message": None if error else message_for(request),
        "form": typed,
        "error": error,
    }
    return render(request, "interviews.html", values, status_code=422 if error else 200)


@router.post("/interviews")
def add_interview(request: Request, ctx: Ctx, form: Form) -> Response:
    """Add an interview from the form; on bad input the form comes back with the problem."""
    try:
        start = text(form, "start")
        if start is None:
            raise BadInput("start", "expected the date and time the interview starts")
        with ctx.db.transaction():  # the interview and its topics, or nothing
            iv_id = records.add_interview(
                ctx,
                company=text(form, "company") or "",
                role=text(form, "role") or "",
                start=start,
                duration=_minutes(text(form, "duration")),
                tz=text(form, "tz"),
                interviewers=lines(form, "interviewers"),
                decision_by=text(form, "decision_by"),
            )
            topics = lines(form, "topics")
            if topics:
                records.note_interview(ctx, iv_id, topics)
    except BadInput as exc:
        typed = {k: v for k, v in form.items() if isinstance(v, str)}
        return _interviews(request, ctx, typed, bad_input(exc))
    return see_other(f"/interviews/{iv_id}", msg="added")


def _minutes(text_value: str | None) -> int | None:
    """The duration field: whole minutes, 1 to 1440."""
    if text_value is None:
        return None
    value = text_value.strip()
    if not re.fullmatch(r"[0-9]{1,4}", value) or not 1 <= int(value) <= 1440:
        raise BadInput("duration", f"expected minutes from 1 to 1440, got {value[:20]!r}")
    return int(value)


@router.post("/interviews/import")
def import_invitation(request: Request, ctx: Ctx, form: Form) -> Response:
    """Import an invitation `.ics`, uploaded or pasted."""
    from afterview.services.invitations import import_invitations

    upload = form.get("file")
    data = b""
    if upload is not None and not isinstance(upload, str):
        data = upload.file.read(2 * 1024 * 1024 + 1)
    if not data:
        data = (text(form, "ics") or "").encode("utf-8")
    if not data.strip():
        raise BadInput("file", "choose an invitation file (.ics) or paste its text")
    done = import_invitations(ctx, data, text(form, "company"), text(form, "role"))
    first = next((r.interview_id for r in done if r.interview_id is not None), None)
    if first is not None and len(done) == 1:
        return see_other(f"/interviews/{first}", msg="imported")
    return see_other("/interviews", msg="imported")


@router.get("/interviews/{interview_id}", response_class=HTMLResponse)
def interview_page(interview_id: RecordId, request: Request, ctx: Ctx) -> Response:
    """One interview's record: its status, what to do now, then soon, then what ended
    (folded), one timeline newest first, and the forms to update it (folded). After an
    edit, what else it did is said once."""
    from afterview.web.interview_edit_pages import take_notes

    notes = take_notes(request) if request.query_params.get("msg") == "edited" else []

    def values() -> dict[str, object]:
        return {**interview_values(request, ctx, interview_id), "edit_notes": notes}

    return _page(request, ctx, "interview.html", (interview_id,), values)


def interview_values(request: Request, ctx: WebContext, interview_id: int) -> dict[str, Any]:
    """What the interview's page shows: its JSON (`iv`), its actions grouped and its
    timeline (`services.timeline.record`), the clock."""
    from afterview.services.outbox import interview_messages
    from afterview.services.timeline import record

    rt = deps.runtime(request)
    planned = rt.interview_plan(ctx, ctx.interview(interview_id).id)
    view = rt.view(
        ctx,
        "interview",
        (interview_id,),
        lambda: views.show_interview(ctx, interview_id, planned),
    )
    return {
        "iv": view,
        **record(view, interview_messages(ctx, interview_id)),
        **clock_values(ctx),
        "edit_notes": [],
    }


@router.post("/interviews/{interview_id}/notes")
def save_notes(interview_id: RecordId, ctx: Ctx, form: Form) -> Response:
    """Save the interview's notes and add the topics given (one per line)."""
    notes = text(form, "notes")
    topics = lines(form, "topics")
    if notes is None and not topics:
        raise BadInput("notes", "write a note or at least one topic")
    records.note_interview(ctx, interview_id, topics, notes)
    return see_other(f"/interviews/{interview_id}", msg="saved")


@router.post("/interviews/{interview_id}/decision")
def save_decision(interview_id: RecordId, ctx: Ctx, form: Form) -> Response:
    """Record the decision date the interviewers gave."""
    day = text(form, "decision_by")
    if day is None:
        raise BadInput("decision_by", "expected a date (YYYY-MM-DD)")
    records.update_interview(ctx, interview_id, decision_by=day)
    return see_other(f"/interviews/{interview_id}", msg="saved")


@router.post("/interviews/{interview_id}/outcome")
def save_outcome(interview_id: RecordId, ctx: Ctx, form: Form) -> Response:
    """Record the outcome; it ends the interview's follow-ups."""
    records.record_outcome(ctx, interview_id, text(form, "result") or "")
    return after_change(ctx, f"/interviews/{interview_id}", "outcome")


@router.post("/interviews/{interview_id}/log")
def log_message(interview_id: RecordId, ctx: Ctx, form: Form) -> Response:
    """Record a message sent or received (the employer's reply ends the pending follow-up)."""
    records.log_touch(
        ctx,
        interview_id,
        text(form, "direction") or "",
        kind=text(form, "kind") or "other",
        to=text(form, "to"),
        at=text(form, "at"),
        note=text(form, "note"),
    )
    return see_other(f"/interviews/{interview_id}", msg="logged")
