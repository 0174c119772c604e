"""Correcting a message or call logged, from the interview's timeline: a small form page
to edit it (sent or received, its kind, who, when, the note) and a confirmation page to
delete it. A message afterview sent, or one found in the mailbox, follows the mailbox:
only its note changes, and its record goes only when the user ticks that it may (the
message itself stays in the mailbox)."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from afterview.errors import AfterviewError, BadInput, Refused
from afterview.services import delete_preview, deleting, editing
from afterview.web.deps import (
    Ctx,
    Form,
    RecordId,
    after_change,
    field_name,
    problem_words,
    see_other,
    text,
)
from afterview.web.interview_edit_pages import in_words
from afterview.web.routes import Routes
from afterview.web.runtime import WebContext
from afterview.web.security import require_csrf
from afterview.web.templating import clock_values, render

router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)

#: How the form labels its fields, for the line that names a bad one.
LABELS = {
    "direction": "Sent or received",
    "kind": "Kind",
    "to": "Who",
    "at": "When",
    "note": "Note",
}
KINDS = (("thank_you", "Thank-you"), ("follow_up", "Follow-up"), ("other", "Other"))


def _who(m: dict[str, Any]) -> str:
    """The person of a message as the form shows it: "Name <address>", or nothing."""
    p = m["person"]
    if not p:
        return ""
    return f"{p['name']} <{p['email']}>" if p["email"] else str(p["name"])


def _typed(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else None


def message_changes(m: dict[str, Any], form: FormData) -> editing.MessageChanges:
    """The service's changes for the form: the fields whose values differ from the
    message's (`m`: `editing.message_json`)."""
    given: dict[str, Any] = {}
    for name, current in (("direction", (m["direction"],)), ("kind", (m["kind"],)),
                          ("to", (_who(m),)), ("at", (m["at"][:16], m["at"][:19]))):  # fmt: skip
        value = _typed(form, name)
        if value is not None and value.strip(" ") not in current:
            given[name] = value.strip(" ") if name != "to" else (value.strip(" ") or None)
    note = _typed(form, "note")
    if note is not None and note.strip() != (m["note"] or "").strip():
        given["note"] = note.strip() or None
    return editing.MessageChanges(**given, force=text(form, "force") == "1")


def _page(
    request: Request,
    ctx: WebContext,
    m: dict[str, Any],
    typed: dict[str, str] | None = None,
    error: dict[str, Any] | None = None,
) -> Response:
    recorded = {
        "direction": m["direction"],
        "kind": m["kind"],
        "to": _who(m),
        "at": m["at"][:16],
        "note": m["note"] or "",
    }
    values = {
        "m": m,
        "f": typed or recorded,
        "kinds": KINDS,
        "interview": delete_preview.interview_words(ctx, m["interview_id"]),
        "iv_tz": ctx.interview(m["interview_id"]).tz,
        "error": error,
        **clock_values(ctx),
    }
    status = int(error["status"]) if error else 200
    return render(request, "message_edit.html", values, status_code=status)


@router.get("/messages/{touch_id}/edit", response_class=HTMLResponse)
def edit_page(touch_id: RecordId, request: Request, ctx: Ctx) -> Response:
    """The form to correct a message logged, filled with what is recorded."""
    return _page(request, ctx, editing.message_json(ctx, touch_id))


def _error(exc: AfterviewError) -> dict[str, Any]:
    if isinstance(exc, BadInput):
        field = field_name(exc.field)
        field = "direction" if field == "received" else field
        label = LABELS.get(field, field)
        return {
            "field": field,
            "text": f"{label}: {problem_words(exc.problem)}",
            "status": 422,
            "force": False,
        }
    forceable = isinstance(exc, Refused) and exc.override is not None
    return {"field": None, "text": in_words(str(exc)), "status": 409, "force": forceable}


@router.post("/messages/{touch_id}/edit")
def edit_post(touch_id: RecordId, request: Request, ctx: Ctx, form: Form) -> Response:
    """Save the corrections; the form again, as typed, when a value is refused (a
    follow-up against the playbook's rules offers to record it anyway)."""
    m = editing.message_json(ctx, touch_id)
    try:
        edited = editing.edit_message(ctx, touch_id, message_changes(m, form))
    except (BadInput, Refused) as exc:
        typed = {k: v for k, v in form.items() if isinstance(v, str)}
        return _page(request, ctx, m, typed, _error(exc))
    back = f"/interviews/{m['interview_id']}"
    if not edited.said:
        return see_other(back, msg="unchanged")
    return after_change(ctx, back, "edited")


# -- delete -----------------------------------------------------------------------------------------
def _what(m: dict[str, Any]) -> str:
    """The message in words, as the timeline says it."""
    who = (m["person"] or {}).get("name")
    kind = m["kind"].replace("_", "-")
    if m["direction"] == "sent":
        said = f"You sent a {kind}" if kind != "other" else "You sent a message"
        return said + (f" to {who}" if who else "")
    return "They wrote a message" + (f" (from {who})" if who else "")


def _confirm(
    request: Request, ctx: WebContext, m: dict[str, Any], error: str | None = None
) -> Response:
    force = None
    if m["from_mailbox"]:
        how = (
            "afterview sent it from your mailbox"
            if m["direction"] == "sent"
            else "it was found in your mailbox"
        )
        force = {
            "text": f"This message went through the mail: {how}. It stays in your mailbox "
            "(and in theirs): only the record of it here can go.",
            "label": "Also remove the record of this message that went through the mail",
        }
    values = {
        "title": "Delete this message?",
        "what": f"{_what(m)} — {delete_preview.interview_words(ctx, m['interview_id'])}",
        "at": m["at"],
        "at_tz": ctx.interview(m["interview_id"]).tz,
        "note": m["note"],
        "goes": [],
        "stays": ["the interview; its plan counts the message no more"],
        "force": force,
        "sending": False,
        "warning": None,
        "action": f"/messages/{m['id']}/delete",
        "button": "Delete the message",
        "back": f"/interviews/{m['interview_id']}",
        "back_label": "Keep it: back to the interview",
        "error": error,
        **clock_values(ctx),
    }
    return render(request, "confirm_delete.html", values, status_code=409 if error else 200)


@router.get("/messages/{touch_id}/delete", response_class=HTMLResponse)
def delete_page(touch_id: RecordId, request: Request, ctx: Ctx) -> Response:
    """What deleting the message means, and the button to do it."""
    return _confirm(request, ctx, editing.message_json(ctx, touch_id))


@router.post("/messages/{touch_id}/delete")
def delete_post(touch_id: RecordId, request: Request, ctx: Ctx, form: Form) -> Response:
    """Delete the message (one that went through the mail only when ticked); back to
    its interview, with Undo."""
    m = editing.message_json(ctx, touch_id)
    try:
        deleting.delete_message(ctx, touch_id, force=text(form, "force") == "1")
    except Refused as exc:
        return _confirm(request, ctx, m, in_words(exc.reason))
    return after_change(ctx, f"/interviews/{m['interview_id']}", "deleted")
