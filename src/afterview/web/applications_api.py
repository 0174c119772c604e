"""The applications' JSON twins under `/api`: the pipeline, adding one, the Applications
page's list, the board, one application's page, and moving it on the board.

Writes need the CSRF token like every API write (`X-CSRF-Token`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from pydantic import Field

from afterview.services import records
from afterview.web import deps
from afterview.web.api_shapes import ERRORS, Day, Short, Strict
from afterview.web.deps import Ctx, RecordId
from afterview.web.routes import Routes
from afterview.web.security import require_csrf

router = Routes(prefix="/api", dependencies=[Depends(require_csrf)], responses=ERRORS)

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
    """What to change in an application; a field left out is kept. `stage`: a move on
    the board (null: back where its facts put it); `url`, `applied_on` (null: not applied
    yet, a lead), `mail_domain` (mail from it is the employer's) and `notes`: null or
    empty removes them."""

    company: Short | None = None
    role: Short | None = None
    url: Annotated[str, Field(max_length=2000)] | None = None
    applied_on: Day | None = None
    stage: Stage | None = None
    mail_domain: Annotated[str, Field(max_length=253)] | None = None
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
    """Correct an application (the CLI's `application edit`): company, role, address,
    applied day, its stage on the board, the mail domain, notes; all of it, or nothing.
    Moved to `applied` with no applied day, it was applied today. Returns its page, with
    `edit`: the fields changed and each change in words."""
    from afterview.services.editing import ApplicationChanges, edit_application, edited_json

    given = body.model_fields_set
    for name in ("company", "role"):  # these cannot be removed: null leaves them
        if getattr(body, name) is None:
            given = given - {name}
    changes = ApplicationChanges(**{k: getattr(body, k) for k in given})
    return edited_json(ctx, edit_application(ctx, application_id, changes))


@router.delete("/applications/{application_id}")
def delete_application(application_id: RecordId, ctx: Ctx, force: bool = False) -> Json:
    """Delete an application with its interviews and what hangs on them (the CLI's
    `application delete`): `removed` counts each kind of record that went. One holding a
    message that went out is refused (409) unless `force` (it stays in the mailbox)."""
    from afterview.services.deleting import delete_application as delete

    return delete(ctx, application_id, force).as_json()
