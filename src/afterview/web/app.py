"""The app factory: one FastAPI app shared by `afterview serve`, the tests and the benchmark.

Pages (HTML, `web/pages.py`) and their JSON twins (`/api`, `web/api.py`) call the same
use cases. Errors meant for the user become a clear 4xx page (or JSON under `/api`);
anything else is logged and shown as a short 500 page, never a traceback.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from afterview.errors import (
    AfterviewError,
    BadInput,
    NotFound,
    Refused,
    Unavailable,
    db_error_code,
    db_error_line,
)
from afterview.redact import redact
from afterview.web.deps import bad_input, bind_secrets, field_name, require_session
from afterview.web.runtime import Runtime, WebSettings
from afterview.web.security import Guard
from afterview.web.templating import render

STATIC = os.path.join(os.path.dirname(__file__), "static")


def create_app(settings: WebSettings) -> FastAPI:
    """Build the app for one database; the database is migrated here, once."""
    from afterview import __version__
    from afterview.web import (
        api,
        application_edit_pages,
        applications_api,
        applications_pages,
        edit_api,
        history_pages,
        insights_pages,
        interview_edit_pages,
        leads_api,
        leads_pages,
        message_pages,
        outbox_pages,
        pages,
        pages_more,
        profile_pages,
        setup_pages,
    )

    runtime = Runtime(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        runtime.sender.start()  # the mail worker's passes, when the settings ask for them
        try:
            yield
        finally:
            # a pass that has started finishes first (in a thread: the loop stays free)
            await asyncio.to_thread(runtime.sender.stop)
            runtime.close()  # the pooled connections, at shutdown

    app = FastAPI(
        lifespan=lifespan,
        # server mode: every route signed in, its mail secrets its account's
        dependencies=[Depends(require_session), Depends(bind_secrets)],
        title="afterview",
        version=__version__,
        description="The after-the-interview assistant: every page of the web app as JSON.",
        docs_url=None,  # the interactive docs load scripts from a CDN: not here
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.runtime = runtime
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    pages.router.add_to(app)
    pages_more.router.add_to(app)
    history_pages.router.add_to(app)
    interview_edit_pages.router.add_to(app)
    message_pages.router.add_to(app)
    applications_pages.router.add_to(app)
    application_edit_pages.router.add_to(app)
    profile_pages.router.add_to(app)
    insights_pages.router.add_to(app)
    leads_pages.router.add_to(app)
    setup_pages.router.add_to(app)
    outbox_pages.router.add_to(app)
    api.router.add_to(app)
    applications_api.router.add_to(app)
    leads_api.router.add_to(app)
    outbox_pages.api_router.add_to(app)
    edit_api.router.add_to(app)
    if settings.server:
        from afterview.web import cohort_pages, signin_pages

        signin_pages.router.add_to(app)
        cohort_pages.router.add_to(app)
        cohort_pages.api.add_to(app)
        app.add_exception_handler(signin_pages.SignInNeeded, signin_pages.sign_in_needed)  # type: ignore[arg-type]
    app.add_exception_handler(AfterviewError, _user_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _crash)
    app.add_middleware(Guard, allowed_hosts=settings.allowed_hosts, https=settings.https)
    return app


def wants_json(request: Request) -> bool:
    """True for the API (and for clients that ask for JSON only)."""
    return request.url.path.startswith("/api/") or request.headers.get("accept", "").startswith(
        "application/json"
    )


def _status(exc: AfterviewError) -> int:
    if isinstance(exc, Unavailable):
        return 503
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, BadInput):
        return 422
    if isinstance(exc, Refused):
        return 409
    return 400


def _error(
    request: Request,
    status: int,
    title: str,
    message: str,
    field: str | None,
    override: str | None = None,
) -> Response:
    message = redact(message)
    if wants_json(request):
        body: dict[str, Any] = {"error": message}
        if field:
            body["field"] = field
        if override:
            body["override"] = override  # what sending the request again with force=1 does
        response: Response = JSONResponse(body, status_code=status)
    else:
        values = {"title": title, "problem": message}
        response = render(request, "error.html", values, status_code=status)
    if status == 503:
        response.headers["Retry-After"] = "5"
    return response


async def _user_error(request: Request, exc: AfterviewError) -> Response:
    field = field_name(exc.field) if isinstance(exc, BadInput) else None
    message = bad_input(exc) if isinstance(exc, BadInput) and field else str(exc)
    titles = {
        404: "Not found",
        422: "Please check what you entered",
        409: "Not now",
        503: "Busy, try again",
    }
    status = _status(exc)
    override = exc.override if isinstance(exc, Refused) else None
    return _error(request, status, titles.get(status, "Refused"), message, field, override)


async def _invalid(request: Request, exc: RequestValidationError) -> Response:
    problems: list[str] = []
    fields: list[str] = []
    for e in exc.errors()[:5]:
        if e.get("type") == "json_invalid":
            problems.append("request body: not valid JSON")
            continue
        where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path"))
        fields.append(where)
        problems.append(f"{where or 'request'}: {e.get('msg', 'invalid')}")
    field = fields[0] if len(fields) == 1 and fields[0] else None
    return _error(request, 422, "Please check what you entered", "; ".join(problems), field)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    titles = {404: "Not found", 405: "Not allowed", 403: "Refused", 413: "Too large"}
    message = str(exc.detail) if exc.detail else titles.get(exc.status_code, "Error")
    if exc.status_code == 404 and message == "Not Found":
        message = "there is no page at this address"
    response = _error(request, exc.status_code, titles.get(exc.status_code, "Error"), message, None)
    for name, value in (exc.headers or {}).items():  # a 405 says what is allowed (`Allow`)
        response.headers[name] = value
    return response


async def _crash(request: Request, exc: Exception) -> Response:
    line = db_error_line(exc)
    if line is not None and db_error_code(line) == 1:
        return _error(request, 503, "Busy, try again", line, None)
    if line is None:  # the server logs the traceback (Starlette re-raises it after this page)
        line = "something went wrong on our side; the details are in the server's log"
    return _error(request, 500, "Something went wrong", line, None)
