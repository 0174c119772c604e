"""Correcting and deleting an application from its page: the Edit form (a lead's posting
with it), and the delete's confirmation page, which works without JavaScript.

- `POST /applications/{id}/edit` saves the whole form as one change; bad input shows the
  page again with what was typed and the field named (422), nothing written. Then the
  page's confirmation carries Undo.
- `GET /applications/{id}/delete` says what would go with it, counted; when a message
  went out, that it stays in the mailbox, and asks for the explicit checkbox (`force`).
  `POST` deletes, then the Applications list says so, with Undo.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from afterview.errors import BadInput, Refused
from afterview.services import application_changes as changes
from afterview.services.editing import KEEP, ApplicationChanges, Keep
from afterview.services.record_edits import LeadChanges
from afterview.web import deps
from afterview.web.applications_pages import STAGE_LABELS, show_application
from afterview.web.deps import Ctx, Form, RecordId, after_change, field_name
from afterview.web.routes import Routes
from afterview.web.runtime import WebContext
from afterview.web.security import require_csrf
from afterview.web.templating import render

router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)

#: The Edit form's fields for every application, then a lead's posting's.
APPLICATION_FIELDS = ("company", "role", "url", "applied_on", "stage", "mail_domain", "notes")
POSTING_FIELDS = (
    "location",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_unit",
    "posted_on",
    "valid_through",
)


def _field(form: FormData, name: str) -> str | Keep:
    """A text field as typed (an empty one clears its value); absent: kept as it is."""
    value = form.get(name)
    if value is None:
        return KEEP
    if not isinstance(value, str):
        raise BadInput(name, "expected text, not a file")
    return value


def _changes(form: FormData) -> tuple[ApplicationChanges, LeadChanges | None]:
    """The form as the services' changes; the posting's only when the form had them (a
    lead's page: the hidden `posting` field), its address, company and role with them."""
    given = {name: _field(form, name) for name in APPLICATION_FIELDS}
    if form.get("posting") is None:
        return ApplicationChanges(**given), None
    posting: dict[str, Any] = {name: _field(form, name) for name in POSTING_FIELDS}
    for name in ("company", "role", "url"):  # checked as a posting's, once
        posting[name], given[name] = given[name], KEEP
    posting["remote"] = form.get("remote") == "1"
    return ApplicationChanges(**given), LeadChanges(**posting)


@router.post("/applications/{application_id}/edit")
def edit_application(application_id: RecordId, request: Request, ctx: Ctx, form: Form) -> Response:
    """Save the Edit form of the application's page as one change (undoable); bad input
    shows the page again with what was typed and the field named (422)."""
    try:
        app_changes, posting = _changes(form)
        changes.edit_from_page(ctx, application_id, app_changes, posting)
    except BadInput as exc:
        typed = {k: v for k, v in form.items() if isinstance(v, str)}
        name = field_name(exc.field)
        return show_application(request, ctx, application_id, typed, (name, deps.bad_input(exc)))
    return after_change(ctx, f"/applications/{application_id}", "edited")


def _confirmation(
    request: Request, ctx: WebContext, application_id: int, error: str | None, status: int
) -> Response:
    from afterview.services.application_record import application_record

    preview = changes.delete_preview(ctx, application_id)
    record = deps.runtime(request).view(
        ctx, "application", (application_id,), lambda: application_record(ctx, application_id)
    )
    values = {
        "app": record,
        "preview": preview,
        "actions": len(record["actions"]),
        "stage_labels": STAGE_LABELS,
        "error": error,
    }
    return render(request, "application_delete.html", values, status_code=status)


@router.get("/applications/{application_id}/delete", response_class=HTMLResponse)
def delete_page(application_id: RecordId, request: Request, ctx: Ctx) -> Response:
    """What deleting the application would remove, counted, and the button to do it;
    a message that went out stays in the mailbox and needs the explicit checkbox."""
    return _confirmation(request, ctx, application_id, None, 200)


@router.post("/applications/{application_id}/delete")
def delete_application(
    application_id: RecordId, request: Request, ctx: Ctx, form: Form
) -> Response:
    """Delete the application (a lead as a lead) with what hangs only on it; refused
    (409, the confirmation again) while a message that went out is not explicitly let
    go (`force`), or while one is being sent."""
    force = form.get("force") == "1"
    try:
        changes.delete_from_page(ctx, application_id, force)
    except Refused as exc:
        if exc.override:
            why = (
                "A message went out: it stays in your mailbox. To delete the application "
                "anyway, tick “Also remove the record of what was sent”. Nothing was deleted."
            )
        elif "being sent" in str(exc):
            why = "A message is being sent right now: try again in a minute. Nothing was deleted."
        else:
            why = str(exc)
        return _confirmation(request, ctx, application_id, why, 409)
    return after_change(ctx, "/applications", "deleted")
