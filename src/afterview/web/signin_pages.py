"""Signing in to a server (`afterview server run`): the pages and the session cookie.

Only in server mode: every other route needs a session (`deps.context` finds its
account); without one a page sends the browser to /signin and the API answers 401.
The forms carry the CSRF token like every other form of the app.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import BackgroundTasks, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from afterview.errors import AfterviewError, Refused
from afterview.web import deps
from afterview.web.deps import Form, text
from afterview.web.routes import Routes
from afterview.web.security import require_csrf
from afterview.web.templating import render

SESSION_COOKIE = "afterview_session"
router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)


class SignInNeeded(AfterviewError):
    """A route that needs a session was asked without one (401 for the API, a redirect
    to /signin for a page)."""

    exit_code = 1


def session_token(request: Request) -> str | None:
    """The session token the browser sent, or None."""
    return request.cookies.get(SESSION_COOKIE)


def set_session_cookie(response: Response, request: Request, token: str, max_age: int) -> None:
    """Give the browser its session: HttpOnly, SameSite=Lax, Secure over https."""
    https = deps.runtime(request).settings.https
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=https,
    )


def _next(value: str | None) -> str:
    """Where to go after signing in: a path of this app only (never another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if any(ord(c) < 32 for c in value) or len(value) > 1000:
        return "/"
    return value


async def sign_in_needed(request: Request, exc: SignInNeeded) -> Response:
    """No session: the API says 401; a page sends the browser to sign in, then back."""
    from afterview.web.app import wants_json

    if wants_json(request):
        return JSONResponse(
            {"error": "sign in first: POST /signin with email and password"},
            status_code=401,
            headers={"WWW-Authenticate": 'Cookie realm="afterview"'},
        )
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    where = "/signin?" + urlencode({"next": _next(target)})
    if "hx-request" in request.headers:
        return Response(status_code=401, headers={"HX-Redirect": where})
    return RedirectResponse(where, status_code=303)


def _page(request: Request, values: dict[str, Any], status: int = 200) -> HTMLResponse:
    return render(request, "signin.html", {"problem": None, "done": None, **values}, status)


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, next: str = "/") -> Response:
    """The sign-in form."""
    return _page(request, {"next": _next(next), "email": ""})


@router.post("/signin", response_class=HTMLResponse)
def signin_post(request: Request, form: Form) -> Response:
    """Check the password; on success a new session cookie (any old one ends)."""
    from afterview.server import signin

    rt = deps.runtime(request)
    db = rt.acquire()
    email = text(form, "email") or ""
    target = _next(text(form, "next"))
    try:
        session = signin.sign_in(
            db, email, str(form.get("password") or ""), rt.settings.clock(),
            old_token=session_token(request),
        )  # fmt: skip
    except Refused as exc:
        if "application/json" in request.headers.get("accept", ""):
            return JSONResponse({"error": exc.reason}, status_code=401)
        return _page(request, {"next": target, "email": email[:254], "problem": exc.reason}, 401)
    finally:
        rt.release(db)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, request, session.token, int(signin.SESSION_MAX.total_seconds()))
    return response


@router.post("/signout")
def signout_post(request: Request) -> Response:
    """End this browser's session."""
    from afterview.server import signin

    rt = deps.runtime(request)
    db = rt.acquire()
    try:
        signin.sign_out(db, session_token(request))
    finally:
        rt.release(db)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/signout/everywhere")
def signout_everywhere_post(request: Request, ctx: deps.Ctx) -> Response:
    """End every session of the account, on every device (a stolen cookie too)."""
    from afterview.server import signin

    signin.sign_out_everywhere(ctx.db, ctx.account)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# -- one-time links: a forgotten password, an invitation ----------------------------------------
RESET_SENT = (
    "If an account signs in with this address, a link to set a new password is on its way "
    "(it works for an hour)."
)


@router.get("/reset", response_class=HTMLResponse)
def reset_page(request: Request) -> Response:
    """Ask for a password-reset link."""
    return render(request, "reset.html", {"done": None, "problem": None})


@router.post("/reset", response_class=HTMLResponse)
def reset_post(request: Request, form: Form, later: BackgroundTasks) -> Response:
    """Mail a reset link when the address has an account, after answering; say the same
    either way."""
    from afterview.server import links

    rt = deps.runtime(request)
    now = rt.settings.clock()
    db = rt.acquire()
    try:
        found = links.reset_link(db, rt.settings.server_settings, text(form, "email") or "", now)
    finally:
        rt.release(db)
    if found is not None:
        later.add_task(links.send_quietly, rt.settings.server_settings, found[0], "reset",
                       found[1], now)  # fmt: skip
    return render(request, "reset.html", {"done": RESET_SENT, "problem": None})


def _link_page(request: Request, token: str, purpose: str, problem: str | None = None,
               status: int = 200) -> Response:  # fmt: skip
    from afterview.server import signin

    rt = deps.runtime(request)
    db = rt.acquire()
    try:
        good = signin.link_account(db, token, purpose, rt.settings.clock()) is not None
    finally:
        rt.release(db)
    values = {"purpose": purpose, "action": request.url.path, "good": good, "problem": problem}
    return render(request, "set_password.html", values, status if good else 404)


def _link_post(request: Request, form: Form, token: str, purpose: str) -> Response:
    from afterview.server import signin

    password, again = str(form.get("password") or ""), str(form.get("again") or "")
    if password != again:
        return _link_page(request, token, purpose, "the two passwords differ", 422)
    rt = deps.runtime(request)
    db = rt.acquire()
    try:
        session = signin.use_link(db, token, purpose, password, rt.settings.clock())
    except AfterviewError as exc:
        return _link_page(request, token, purpose, str(exc), 422)
    finally:
        rt.release(db)
    response = RedirectResponse("/", status_code=303)
    set_session_cookie(response, request, session.token, int(signin.SESSION_MAX.total_seconds()))
    return response


@router.get("/reset/{token}", response_class=HTMLResponse)
def reset_link_page(request: Request, token: str) -> Response:
    """Choose a new password with a reset link."""
    return _link_page(request, token, "reset")


@router.post("/reset/{token}", response_class=HTMLResponse)
def reset_link_post(request: Request, form: Form, token: str) -> Response:
    """Set the new password, end every other session, sign in."""
    return _link_post(request, form, token, "reset")


@router.get("/welcome/{token}", response_class=HTMLResponse)
def welcome_page(request: Request, token: str) -> Response:
    """Choose a first password with an invitation."""
    return _link_page(request, token, "invite")


@router.post("/welcome/{token}", response_class=HTMLResponse)
def welcome_post(request: Request, form: Form, token: str) -> Response:
    """Set the first password and sign in."""
    return _link_post(request, form, token, "invite")
