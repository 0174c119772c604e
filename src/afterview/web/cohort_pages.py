"""Cohorts in the web app of a server: the coach's pages (cohorts, a cohort's figures, its
CSV, a seeker's shared page), the seeker's (what they share, joining by link, leaving),
and their JSON twins under /api. Only in server mode (`afterview server run`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import Field

from afterview.server import cohorts
from afterview.web.api_shapes import Short, Strict
from afterview.web.deps import Ctx, Form, see_other, text
from afterview.web.routes import Routes
from afterview.web.security import require_csrf
from afterview.web.templating import clock_values, render

router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)
api = Routes(prefix="/api", dependencies=[Depends(require_csrf)])

CohortId = Annotated[int, Path(ge=1, le=2**62, description="a cohort id")]
SeekerId = Annotated[int, Path(ge=1, le=2**62, description="a seeker's account id")]

MESSAGES = {
    "created": "Cohort made. Make a join link and send it to your seekers.",
    "released": "The seeker is out of this cohort; their data stays theirs.",
    "joined": "You joined the cohort. Your coach sees your figures only; choose below.",
    "saved": "Saved: your coach sees this from their next page on.",
    "left": "You left the cohort: your coach sees nothing more of yours.",
}


def _message(request: Request) -> str | None:
    return MESSAGES.get(request.query_params.get("msg", ""))


def _query(request: Request) -> tuple[str, str | None]:
    return request.query_params.get("sort", "overdue"), request.query_params.get("filter") or None


# -- the coach's pages --------------------------------------------------------------------------
@router.get("/cohorts", response_class=HTMLResponse)
def cohorts_page(request: Request, ctx: Ctx) -> Response:
    """The cohorts the account follows, and a form to make one (a seeker: their sharing)."""
    role = cohorts.role_of(ctx)
    if role == "seeker":
        return see_other("/sharing")
    values = {"cohorts": cohorts.list_cohorts(ctx), "can_create": role in ("coach", "admin")}
    return render(request, "cohorts.html", {**values, "message": _message(request)})


@router.post("/cohorts")
def cohort_create(ctx: Ctx, form: Form) -> Response:
    """Make a cohort."""
    cohort = cohorts.create_cohort(ctx, text(form, "name") or "")
    return see_other(f"/cohorts/{cohort}", msg="created")


@router.get("/cohorts/{cohort_id}", response_class=HTMLResponse)
def cohort_page(request: Request, ctx: Ctx, cohort_id: CohortId) -> Response:
    """A cohort: each seeker's figures where shared, sorted and filtered."""
    sort, only = _query(request)
    view = cohorts.cohort_view(ctx, cohort_id, sort, only)
    values = {
        **view,
        "sorts": cohorts.SORTS,
        "filters": cohorts.FILTERS,
        "invite_url": None,
        "message": _message(request),
        **clock_values(ctx),
    }
    return render(request, "cohort.html", values)


@router.post("/cohorts/{cohort_id}/invite", response_class=HTMLResponse)
def cohort_invite(request: Request, ctx: Ctx, cohort_id: CohortId) -> Response:
    """A new join link, shown on this page once (the old one stops working)."""
    token = cohorts.new_invite(ctx, cohort_id)
    url = str(request.url_for("join_page", token=token))
    view = cohorts.cohort_view(ctx, cohort_id)
    values = {
        **view,
        "sorts": cohorts.SORTS,
        "filters": cohorts.FILTERS,
        "invite_url": url,
        "message": None,
        **clock_values(ctx),
    }
    return render(request, "cohort.html", values)


@router.get("/cohorts/{cohort_id}/figures.csv")
def cohort_csv(ctx: Ctx, cohort_id: CohortId) -> Response:
    """The cohort's figures as CSV, one row per seeker."""
    body = cohorts.cohort_csv(ctx, cohort_id)
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="cohort-{cohort_id}.csv"'},
    )


@router.get("/cohorts/{cohort_id}/seekers/{seeker_id}", response_class=HTMLResponse)
def seeker_page(request: Request, ctx: Ctx, cohort_id: CohortId, seeker_id: SeekerId) -> Response:
    """What one seeker shares with the cohort's coach, as of now."""
    view = cohorts.shared_view(ctx, cohort_id, seeker_id)
    return render(request, "cohort_seeker.html", {**view, **clock_values(ctx)})


@router.post("/cohorts/{cohort_id}/seekers/{seeker_id}/release")
def seeker_release(ctx: Ctx, cohort_id: CohortId, seeker_id: SeekerId) -> Response:
    """Take a seeker out of the cohort."""
    cohorts.release(ctx, cohort_id, seeker_id)
    return see_other(f"/cohorts/{cohort_id}", msg="released")


# -- the seeker's pages -------------------------------------------------------------------------
@router.get("/sharing", response_class=HTMLResponse)
def sharing_page(request: Request, ctx: Ctx) -> Response:
    """The cohorts the seeker is in, and what each coach sees."""
    return render(
        request, "sharing.html", {**cohorts.sharing_view(ctx), "message": _message(request)}
    )


@router.post("/sharing/{cohort_id}")
def sharing_post(ctx: Ctx, form: Form, cohort_id: CohortId) -> Response:
    """Replace what the seeker shares with a cohort."""
    cohorts.set_shares(ctx, cohort_id, [str(v) for v in form.getlist("share")])
    return see_other("/sharing", msg="saved")


@router.post("/sharing/{cohort_id}/leave")
def sharing_leave(ctx: Ctx, cohort_id: CohortId) -> Response:
    """Leave a cohort."""
    cohorts.leave(ctx, cohort_id)
    return see_other("/sharing", msg="left")


@router.get("/join/{token}", response_class=HTMLResponse, name="join_page")
def join_page(request: Request, ctx: Ctx, token: str) -> Response:
    """What joining by this link means, with the button."""
    found = cohorts.invitation(ctx, token)
    values = {"cohort": found.name, "coach": found.coach_name, "token": token}
    return render(request, "join.html", values)


@router.post("/join/{token}")
def join_post(ctx: Ctx, token: str) -> Response:
    """Join the cohort of the link (sharing the figures only, until the seeker says more)."""
    cohorts.join(ctx, token)
    return see_other("/sharing", msg="joined")


# -- the API ------------------------------------------------------------------------------------
@api.get("/cohorts")
def api_cohorts(ctx: Ctx) -> dict[str, Any]:
    """The cohorts the account follows."""
    return {"cohorts": cohorts.list_cohorts(ctx)}


class CohortIn(Strict):
    """A new cohort."""

    name: Short


class SharesIn(Strict):
    """What a seeker shares with a cohort: words of `figures`, `agenda`, `notes`,
    `assessments`, `messages` (an empty list: nothing)."""

    shares: list[Short] = Field(max_length=10)


@api.post("/cohorts", status_code=201)
def api_cohort_create(body: CohortIn, ctx: Ctx) -> dict[str, Any]:
    """Make a cohort: `{"name": ...}`."""
    return {"id": cohorts.create_cohort(ctx, body.name)}


@api.get("/cohorts/{cohort_id}")
def api_cohort(request: Request, ctx: Ctx, cohort_id: CohortId) -> dict[str, Any]:
    """A cohort's figures (`?sort=` overdue|progress|activity|name, `?filter=`
    overdue|behind|inactive|not_sharing)."""
    sort, only = _query(request)
    return cohorts.cohort_view(ctx, cohort_id, sort, only)


@api.get("/cohorts/{cohort_id}/seekers/{seeker_id}")
def api_seeker(ctx: Ctx, cohort_id: CohortId, seeker_id: SeekerId) -> dict[str, Any]:
    """What one seeker shares with the cohort's coach."""
    return cohorts.shared_view(ctx, cohort_id, seeker_id)


@api.get("/sharing")
def api_sharing(ctx: Ctx) -> dict[str, Any]:
    """The seeker's cohorts and what each coach sees."""
    return cohorts.sharing_view(ctx)


@api.put("/sharing/{cohort_id}")
def api_sharing_put(body: SharesIn, ctx: Ctx, cohort_id: CohortId) -> dict[str, Any]:
    """Replace what the seeker shares with a cohort: `{"shares": ["figures", ...]}`."""
    return {"shares": list(cohorts.set_shares(ctx, cohort_id, body.shares))}


@api.post("/sharing/{cohort_id}/leave")
def api_sharing_leave(ctx: Ctx, cohort_id: CohortId) -> JSONResponse:
    """Leave a cohort."""
    cohorts.leave(ctx, cohort_id)
    return JSONResponse({"left": cohort_id})
