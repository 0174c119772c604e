"""The history of changes, and Undo: the page lists what each change did (newest first,
a page at a time) with a button to take it back; every page's confirmation after a
one-click change (Done, Skip, I sent it, a delete) carries an Undo button of its own."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response

from afterview.errors import BadInput
from afterview.services import journal
from afterview.web.deps import Ctx, Form, message_for, see_other, text
from afterview.web.routes import Routes
from afterview.web.security import require_csrf
from afterview.web.templating import clock_values, render

router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)

#: Changes per page of the history
PAGE = 50


def _id(value: str | None, field: str) -> int | None:
    """A change id from a form or the address: digits 0-9 only, or None when absent."""
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        raise BadInput(field, f"expected a change id (digits 0-9), got {value[:40]!r}")
    return int(value)


def local_path(value: str | None) -> str:
    """Where to go back after an undo: a path of this app only (never another site, no
    line break, no scheme), else the history."""
    if (
        value is None
        or not value.startswith("/")
        or value.startswith("//")
        or len(value) > 2000
        or not value.isascii()
        or any(c in value for c in "\\\r\n\t ")
    ):
        return "/history"
    return value


@router.get("/history", response_class=HTMLResponse)
def history_page(request: Request, ctx: Ctx) -> Response:
    """The changes, newest first, 50 a page (`before` pages back)."""
    before = _id(request.query_params.get("before"), "before")
    changes = journal.history(ctx, PAGE + 1, before)
    shown = [journal.change_json(ctx, c) for c in changes[:PAGE]]
    older = shown[-1]["id"] if len(changes) > PAGE else None
    values = {
        "changes": shown,
        "older": older,
        "first_page": before is None,
        "keep_days": ctx.journal_days,
        "message": message_for(request),
        **clock_values(ctx),
    }
    return render(request, "history.html", values)


@router.post("/undo")
def undo(ctx: Ctx, form: Form) -> Response:
    """Take back a change: `change` alone (refused when a later change stands in the
    way), `to` that change and every one after it, or, with neither, the latest. Back to
    `back` (a path of this app), saying whether a message that went out was kept."""
    change = _id(text(form, "change"), "change")
    to = _id(text(form, "to"), "to")
    if change is not None and to is not None:
        raise BadInput("change", "give change or to, not both")
    if to is not None:
        result = journal.undo_to(ctx, to)
    elif change is not None:
        result = journal.undo_change(ctx, change)
    else:
        result = journal.undo_latest(ctx)
    back = local_path(text(form, "back"))
    return see_other(back, msg="undone_kept" if result.kept else "undone")
