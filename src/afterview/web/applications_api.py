"""The applications' JSON twins under `/api`: the pipeline, adding one, the Applications
page's list, the board, one application's page, and moving it on the board.

Writes need the CSRF token like every API write (`X-CSRF-Token`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field

from afterview.services import records
from afterview.web import deps
from afterview.web.api import _ERRORS, Day, Short, Strict
from afterview.web.deps import Ctx, RecordId
from afterview.web.security import require_csrf

router = APIRouter(prefix="/api", dependencies=[Depends(require_csrf)], responses=_ERRORS)

Json = dict[str, Any]


class ApplicationIn(Strict):
    company: Short
    role: Short
    applied_on: Day | None = None
    url: Annotated[str, Field(max_length=2000)] | None = None


@router.get("/pipeline")
def pipeline(request: Request, ctx: Ctx) -> Json:
    """Applications by status and this week's keep-searching progress."""
    from afterview.services.pipeline import pipeline_view

    view: Json = deps.runtime(request).view(ctx, "pipeline", (), lambda: pipeline_view(ctx))
    return view


@router.post("/applications", status_code=201)
def add_application(body: ApplicationIn, ctx: Ctx) -> Json:
    """Record an application."""
    app_id = records.add_application(
        ctx,
        body.company,
        body.role,
        body.applied_on,
        body.url,
    )
    return {"id": app_id}


Stage = Literal["lead", "applied", "interviewing", "offer", "closed"]


class ApplicationPatch(Strict):
    """A move on the board (`stage`; null: back where its facts put it) and/or the notes
    (null or empty: none); a field left out is kept."""

    stage: Stage | None = None
    notes: Annotated[str, Field(max_length=20_000)] | None = None


def _query(description: str, **more: Any) -> Any:
    return Query(description=description, **more)


@router.get("/applications")
def applications(
    request: Request,
    ctx: Ctx,
    q: Annotated[str | None, _query("search company and role", max_length=200)] = None,
    stage: Annotated[Stage | None, _query("only this stage")] = None,
    status: Annotated[str | None, _query("only this status", max_length=20)] = None,
    company: Annotated[str | None, _query("only this company (any case)", max_length=200)] = None,
    since: Annotated[Day | None, _query("applied on or after", alias="from")] = None,
    until: Annotated[Day | None, _query("applied on or before", alias="to")] = None,
    sort: Annotated[Literal["applied", "company", "status"] | None, _query("sort by")] = None,
    order: Annotated[Literal["asc", "desc"] | None, _query("direction")] = None,
    page: Annotated[int | None, _query("page number, 50 a page", ge=1, le=999_999)] = None,
) -> Json:
    """The Applications page's twin: a page of applications (`applications`) with each
    one's `stage` on the board and its `status`; `total`, `found`, `page`, `pages`; and
    this week's keep-searching progress (`week`)."""
    from afterview.services import applications as apps
    from afterview.services.pipeline import week_progress
    from afterview.web.applications_pages import rows

    given = {"q": q, "stage": stage, "status": status, "company": company, "from": since,
             "to": until, "sort": sort, "order": order, "page": str(page) if page else None}  # fmt: skip
    want = apps.read_listing({k: v for k, v in given.items() if v is not None})
    every = rows(request, ctx)
    return {**apps.list_view(ctx, every, want), "week": week_progress(ctx, every)}


@router.get("/board")
def board(request: Request, ctx: Ctx) -> Json:
    """The board's twin: `columns` by stage, each with its `count` and first cards."""
    from afterview.services import applications as apps
    from afterview.web.applications_pages import rows

    every = rows(request, ctx)
    view: Json = deps.runtime(request).view(ctx, "board", (), lambda: apps.board_view(ctx, every))
    return view


@router.get("/applications/{application_id}")
def application(application_id: RecordId, request: Request, ctx: Ctx) -> Json:
    """One application's page: posting, interviews, actions, timeline, notes."""
    from afterview.services.application_record import application_record

    view: Json = deps.runtime(request).view(
        ctx, "application", (application_id,), lambda: application_record(ctx, application_id)
    )
    return view


@router.patch("/applications/{application_id}")
def update_application(application_id: RecordId, body: ApplicationPatch, ctx: Ctx) -> Json:
    """Move an application on the board (`stage`) and/or set its notes; returns its page.
    Moved to `applied` with no applied day, it was applied today."""
    from afterview.services import applications as apps
    from afterview.services.application_record import application_record

    given = body.model_fields_set
    with ctx.db.transaction():  # both, or nothing
        if "stage" in given:
            apps.move(ctx, application_id, body.stage)
        if "notes" in given:
            apps.save_notes(ctx, application_id, body.notes)
    return application_record(ctx, application_id)
