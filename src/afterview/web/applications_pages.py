"""The Applications pages: the list (searched, filtered, sorted, a page at a time, the add
form first), the board by stage (moved with plain forms; dragged where scripts run), and
one application's record. `/pipeline`, their forerunner, leads to the list."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from afterview.errors import BadInput
from afterview.services import applications as apps
from afterview.services import records
from afterview.services.pipeline import STATUS_ORDER, week_progress
from afterview.web import deps
from afterview.web.deps import (
    Ctx,
    Form,
    RecordId,
    bad_input,
    message_for,
    see_other,
    text,
)
from afterview.web.routes import Routes
from afterview.web.runtime import WebContext
from afterview.web.security import require_csrf
from afterview.web.templating import clock_values, render

router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)

#: How the pages name each stage of the board.
STAGE_LABELS = {
    "lead": "Wishlist",
    "applied": "Applied",
    "interviewing": "Interviewing",
    "offer": "Offer",
    "closed": "Closed",
}


def rows(request: Request, ctx: WebContext) -> list[dict[str, Any]]:
    """Every application with its stage, from the runtime's cache."""
    found: list[dict[str, Any]] = deps.runtime(request).view(
        ctx, "application_rows", (), lambda: apps.application_rows(ctx)
    )
    return found


def _common() -> dict[str, Any]:
    return {"stages": apps.STAGES, "stage_labels": STAGE_LABELS, "statuses": STATUS_ORDER}


@router.get("/applications", response_class=HTMLResponse)
def applications_page(request: Request, ctx: Ctx) -> Response:
    """The applications, newest applied first, a page at a time: searched, filtered by
    stage, status, company and applied days, sorted; the form to add one first."""
    return _applications(request, ctx, {}, None)


def _applications(
    request: Request, ctx: WebContext, typed: dict[str, str], error: str | None
) -> Response:
    """The list; after bad input in the add form, the form again with what was typed."""
    want = apps.read_listing(request.query_params)
    every = rows(request, ctx)
    view = apps.list_view(ctx, every, want)
    message = None if error else message_for(request)
    values = {
        **_common(),
        "view": view,
        "want": want,
        "week": week_progress(ctx, every),
        "message": message,
        "form": typed,
        "error": error,
        # the add form is open for a first application, after a mistake, after an add
        # (the next one), and when asked for (the keep-searching card's link)
        "adding": bool(error or not every or request.query_params.get("msg") == "applied")
        or "add" in request.query_params,
    }
    return render(request, "applications.html", values, status_code=422 if error else 200)


@router.post("/applications")
def add_application(request: Request, ctx: Ctx, form: Form) -> Response:
    """Record an application (default: applied today); bad input shows the form again."""
    try:
        records.add_application(
            ctx,
            text(form, "company") or "",
            text(form, "role") or "",
            applied_on=text(form, "applied_on"),
            url=text(form, "url"),
        )
    except BadInput as exc:
        typed = {k: v for k, v in form.items() if isinstance(v, str)}
        return _applications(request, ctx, typed, bad_input(exc))
    return see_other("/applications", msg="applied")


@router.get("/pipeline")
def pipeline_page(request: Request) -> Response:
    """The former Pipeline page: the Applications list (one status of it, for `?full=`)."""
    status = request.query_params.get("full", "")
    target = "/applications"
    if status in STATUS_ORDER:
        target += "?" + urlencode({"status": status})
    return RedirectResponse(target, status_code=307)


@router.get("/board", response_class=HTMLResponse)
def board_page(request: Request, ctx: Ctx) -> Response:
    """The applications by stage, in columns, each card moved with buttons (or dragged)."""
    every = rows(request, ctx)
    board = deps.runtime(request).view(ctx, "board", (), lambda: apps.board_view(ctx, every))
    values = {**_common(), "board": board, "message": message_for(request)}
    return render(request, "board.html", values)


@router.post("/applications/{application_id}/stage")
def move_application(application_id: RecordId, ctx: Ctx, form: Form) -> Response:
    """Move an application to the stage of the button pressed (`to`), else the one chosen
    (`stage`); back to the board, or to the application's page."""
    stage = text(form, "to") or text(form, "stage")
    if stage is None:
        raise BadInput("stage", f"expected one of {', '.join(apps.STAGES)}")
    apps.move(ctx, application_id, stage)
    if text(form, "back") == "record":
        return see_other(f"/applications/{application_id}", msg="moved")
    return see_other(f"/board#app-{application_id}", msg="moved")


@router.get("/applications/{application_id}", response_class=HTMLResponse)
def application_page(application_id: RecordId, request: Request, ctx: Ctx) -> Response:
    """One application: what it is, where it stands, the posting, its story and actions;
    the form to correct it, and the way to delete it, folded."""
    return show_application(request, ctx, application_id)


def show_application(
    request: Request,
    ctx: WebContext,
    application_id: int,
    typed: dict[str, str] | None = None,
    error: tuple[str, str] | None = None,
) -> Response:
    """The application's page; after bad input in its Edit form (`error`: the field and
    the line), the form open again with what was typed, and status 422."""
    from afterview.services.application_record import application_record

    record = deps.runtime(request).view(
        ctx, "application", (application_id,), lambda: application_record(ctx, application_id)
    )
    values = {
        **_common(),
        **clock_values(ctx),
        "app": record,
        "message": None if error else message_for(request),
        "noun": "lead" if record["status"] == "lead" else "application",
        "posting_fields": record["lead"] is not None or record["status"] == "lead",
        "form": typed if typed is not None else edit_values(record),
        "error": error[1] if error else None,
        "error_field": error[0] if error else None,
        "editing": bool(error) or "edit" in request.query_params,  # the form open
    }
    return render(request, "application.html", values, status_code=422 if error else 200)


def _amount(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def edit_values(record: dict[str, Any]) -> dict[str, str]:
    """The Edit form's fields as the application has them now (a posting's too)."""
    lead = record["lead"] or {}
    return {
        "company": record["company"],
        "role": record["role"],
        "url": record["url"] or "",
        "applied_on": record["applied_on"] or "",
        "stage": record["stage"] if record["placed"] else "auto",
        "mail_domain": record["mail_domain"] or "",
        "notes": record["notes"] or "",
        "location": lead.get("location") or "",
        "remote": "1" if lead.get("remote") else "",
        "salary_min": _amount(lead.get("salary_min")),
        "salary_max": _amount(lead.get("salary_max")),
        "salary_currency": lead.get("salary_currency") or "",
        "salary_unit": lead.get("salary_unit") or "",
        "posted_on": lead.get("posted_on") or "",
        "valid_through": lead.get("valid_through") or "",
    }


@router.post("/applications/{application_id}/notes")
def application_notes(application_id: RecordId, ctx: Ctx, form: Form) -> Response:
    """Save the notes on an application (empty: none)."""
    value = form.get("notes")
    apps.save_notes(ctx, application_id, value if isinstance(value, str) else None)
    return see_other(f"/applications/{application_id}", msg="saved")
