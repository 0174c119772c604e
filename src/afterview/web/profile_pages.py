"""The profile page: the latest check of the CV against LinkedIn, a new check from
uploaded files (held in memory, never written to disk), and "mark reviewed"."""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from afterview.services import records
from afterview.web import deps
from afterview.web.deps import Ctx, Form, see_other
from afterview.web.routes import Routes
from afterview.web.security import MAX_BODY, require_csrf
from afterview.web.templating import clock_values, render

router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)


@router.get("/profile", response_class=HTMLResponse)
def profile_page(request: Request, ctx: Ctx) -> Response:
    """What the latest profile check found, and the form for a new one."""
    from afterview.services.profile_check import profile_view

    view = deps.runtime(request).view(ctx, "profile", (), lambda: profile_view(ctx))
    return render(
        request,
        "profile.html",
        {
            "view": view,
            "message": deps.message_for(request),
            "limit_mb": MAX_BODY // 1048576,
            **clock_values(ctx),
        },
    )


def _upload(form: FormData, name: str) -> tuple[bytes, str]:
    value = form.get(name)
    if not isinstance(value, UploadFile):
        return b"", ""
    return value.file.read(MAX_BODY + 1), (value.filename or name)[:200]


@router.post("/profile/check")
def profile_check_post(ctx: Ctx, form: Form) -> Response:
    """Compare the uploaded CV and LinkedIn export; a clean check marks the profile reviewed."""
    from afterview.services.profile_check import run_check_upload

    resume, resume_name = _upload(form, "resume")
    linkedin, linkedin_name = _upload(form, "linkedin")
    report = run_check_upload(
        ctx, resume, resume_name, linkedin, linkedin_name, form.get("mark_reviewed") == "1"
    )
    if not report.findings:
        return see_other("/profile", msg="profile_clean")
    return see_other(
        "/profile", msg="profile_accepted" if report.reviewed_at else "profile_checked"
    )


@router.post("/profile/reviewed")
def profile_reviewed_post(ctx: Ctx) -> Response:
    """Mark the profile reviewed now (the user is satisfied with it)."""
    records.profile_reviewed(ctx)
    return see_other("/profile", msg="profile_reviewed")
