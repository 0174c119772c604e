"""What every route needs: the use-case context, the posted form, a redirect after a change."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Path, Request
from fastapi.responses import RedirectResponse
from pydantic import BeforeValidator
from starlette.datastructures import FormData

from afterview.errors import BadInput
from afterview.services.context import DEFAULT_ACCOUNT, Database
from afterview.services.ownership import check_path_ids
from afterview.web.runtime import Runtime, WebContext
from afterview.web.security import MAX_BODY


def runtime(request: Request) -> Runtime:
    """The app's runtime (connections, caches, clock)."""
    rt: Runtime = request.app.state.runtime
    return rt


def context(request: Request) -> Iterator[WebContext]:
    """A fresh use-case context at the app's moment, on a connection of its own for the
    whole request (given back, rolled back if need be, once the response is made).

    The page's header reads the mail state with it (`request.state.web_ctx`, forgotten
    when the connection goes back); a change that went through wakes the mail worker."""
    rt = runtime(request)
    db = rt.acquire()
    db.last_change = None  # the change this request records, for its Undo button
    write = request.method not in ("GET", "HEAD")
    try:
        account = DEFAULT_ACCOUNT
        if rt.settings.server:  # found by `require_session`, which runs first
            account = getattr(request.state, "account", None) or signed_in(request, rt, db)
        ctx = rt.context(db, exact=write, account=account)
        if request.path_params:  # another account's record is no record: 404 first
            check_path_ids(ctx, request.path_params)
        route = getattr(request.scope.get("route"), "path", None) or request.url.path
        ctx.journal_source = f"{request.method} {route}"  # what the change journal says
        request.state.web_ctx = ctx
        yield ctx
        if write and rt.settings.server and db.last_change is not None:
            keep_figures(ctx)  # what the seeker's coach sees follows the change
    finally:
        request.state.web_ctx = None
        rt.release(db)
    if write:
        rt.sender.nudge()  # an approval or a reschedule may have made a message due


def keep_figures(ctx: WebContext) -> None:
    """Compute again the figures a coach sees of the account (when it is in a cohort),
    after a change; a failure is logged, never the change's (it is written already)."""
    import logging

    from afterview.server.cohorts import refresh

    try:
        refresh(ctx)
    except Exception:
        logging.getLogger("afterview").exception("the figures of account %s", ctx.account)


def signed_in(request: Request, rt: Runtime, db: Database) -> int:
    """Server mode: the account of the request's session (or, for the calendar feed, of
    its secret link); raises `SignInNeeded` when there is none. The connection is kept
    to that account; the page's footer names it."""
    from afterview.server import signin
    from afterview.web.signin_pages import SignInNeeded, session_token

    now = rt.settings.clock()
    account = signin.resolve(db, session_token(request), now)
    if account is None and request.url.path == "/calendar.ics":
        account = signin.feed_account(db, request.query_params.get("token", ""))
    if account is None:
        raise SignInNeeded("sign in first")
    request.state.signed_in, request.state.role = signin.login_words(db, account)
    return account


#: What a server answers without a session: signing in and out, and setting a password
#: with a one-time link
OPEN_PATHS = ("/signin", "/signout")
OPEN_PREFIXES = ("/reset", "/welcome/")


def require_session(request: Request) -> None:
    """Server mode, before every route: find the request's account (`request.state.account`)
    or raise `SignInNeeded`; the sign-in pages are open. Single-user mode: nothing."""
    rt = runtime(request)
    if not rt.settings.server:
        return
    path = request.url.path
    if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
        return
    db = rt.acquire()
    try:
        request.state.account = signed_in(request, rt, db)
    finally:
        rt.release(db)


async def bind_secrets(request: Request) -> AsyncIterator[None]:
    """Server mode, after `require_session`: the request's mail secrets are its account's
    rows, sealed with the server secret (`server/secret_store.py`), never the server's
    keyring, secrets file or environment. (Async: what it binds reaches the route.)"""
    rt = runtime(request)
    account = getattr(request.state, "account", None)
    if not rt.settings.server or account is None:
        yield
        return
    from afterview.mail.secret_store import binding
    from afterview.server.secret_store import DatabaseSecrets

    with binding(DatabaseSecrets(account, rt.sealer(), rt.acquire, rt.release)):
        yield


def not_on_a_server(request: Request) -> None:
    """Refuse, on a server, a change to the settings file, which every account shares:
    its zone, name, playbook and notification channels are the career centre's (409)."""
    if runtime(request).settings.server:
        from afterview.errors import Refused

        raise Refused(
            "settings: on this server the settings (time zone, playbook, notifications) are "
            "the career centre's, for every account; ask it to change them"
        )


def no_fetch_on_a_server(request: Request) -> None:
    """Refuse, on a server, to fetch a page at an address a user typed: the fetch would
    run from the server's network, where internal services answer (409)."""
    if runtime(request).settings.server:
        from afterview.errors import Refused

        raise Refused(
            "url: on this server afterview does not fetch pages for you; fill in the "
            "posting's company, role and address by hand"
        )


async def form_data(request: Request) -> FormData:
    """The posted form (urlencoded or multipart), parsed once per request."""
    return await request.form(max_part_size=MAX_BODY, max_files=2, max_fields=400)


Ctx = Annotated[WebContext, Depends(context)]


def _digits(value: Any) -> Any:
    """A path id is written with the digits 0-9 only, as on the command line ('1_0', '١'
    and '+1' are numbers to Python, not ids)."""
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise ValueError("expected a record id written with the digits 0-9")
    return value


#: a record id in a path: a positive number the databases can hold
RecordId = Annotated[int, BeforeValidator(_digits), Path(ge=1, le=2**62, description="a record id")]
Form = Annotated[FormData, Depends(form_data)]


def text(form: FormData, name: str) -> str | None:
    """A text field of the form; None when absent or blank."""
    value = form.get(name)
    if not isinstance(value, str) or not value.strip():
        return None
    return value


def lines(form: FormData, name: str) -> list[str]:
    """A multi-line text field as its non-blank lines."""
    value = text(form, name)
    return [ln.strip() for ln in value.splitlines() if ln.strip()] if value else []


def see_other(path: str, **query: Any) -> RedirectResponse:
    """Redirect after a change (303: the browser then GETs the page); a `#fragment` in
    `path` stays at the end, after the query."""
    shown = {k: v for k, v in query.items() if v is not None}
    path, hash_, fragment = path.partition("#")
    target = f"{path}?{urlencode(shown)}" if shown else path
    return RedirectResponse(target + hash_ + fragment, status_code=303)


def after_change(ctx: WebContext, path: str, msg: str, **query: Any) -> RedirectResponse:
    """Redirect after a one-click change: the confirmation `msg`, with an Undo button for
    the change the request recorded (none when it recorded none)."""
    return see_other(path, msg=msg, change=ctx.db.last_change, **query)


_ALIASES = {
    "outcome": "result",
    "text": "notes",
    "topic": "topics",
    "interviewer": "interviewers",
    "add_interviewer": "add_interviewers",
    "rename_interviewer": "rename_interviewers",
    "remove_interviewer": "remove_interviewers",
    "remove_topic": "remove_topics",
    "remove_score": "scores",
    "score": "scores",
    "smtp_password_stdin": "smtp_password",
    "imap_password_stdin": "imap_password",
}


#: an option the problem's words name, `--remove-interviewer`: the page says "remove interviewer"
_OPTION = re.compile(r"(?<![\w-])--([a-z][a-z0-9-]*)")


def problem_words(problem: str) -> str:
    """A service's problem as a page words it: options named as words."""
    return _OPTION.sub(lambda m: m.group(1).replace("-", " "), problem)


def bad_input(exc: BadInput) -> str:
    """The line a page shows for bad input: its field as the form calls it, then the
    problem in words (`end: expected a time after start`)."""
    return f"{field_name(exc.field)}: {problem_words(exc.problem)}"


def field_name(field: str) -> str:
    """A service's field as the web's form calls it: `topic` -> `topics`."""
    name = field.lower()
    return _ALIASES.get(name, name)


MESSAGES = {
    "added": "Interview added: its thank-yous and the rest of the plan are below.",
    "imported": "Invitation imported.",
    "done": "Marked done.",
    "skipped": "Skipped.",
    "saved": "Saved.",
    "outcome": "Outcome recorded: follow-ups for this interview have ended.",
    "logged": "Recorded.",
    "assessed": "Self-assessment saved.",
    "sent": "Marked as sent.",
    "approved": (
        "Approved: it goes from your mailbox in its ideal window, while this app runs; "
        "the Outbox lists it."
    ),
    "approved_elsewhere": (
        "Approved: sending is off in this app, and the worker running beside it sends it in "
        "its ideal window; the Outbox lists it."
    ),
    "approved_no_worker": (
        "Approved, but nothing is sending: this app was started with --no-worker and no "
        "worker has run for 10 minutes. On this computer, run `afterview service install` "
        "(it keeps one running) or `afterview run`; the Outbox lists the message."
    ),
    "cancelled": "The send is cancelled: nothing went out, and the draft is kept.",
    "feed": "A new calendar feed link is below: copy it now, it is shown only once.",
    "applied": "Application added.",
    "moved": "Moved on the board.",
    "settings": "Settings saved.",
    "mail": "Mail settings saved.",
    "profile_clean": "Your CV and your LinkedIn profile agree: profile marked reviewed.",
    "profile_checked": "Checked: the differences are below, each with its fix.",
    "profile_reviewed": "Profile marked reviewed.",
    "profile_accepted": "Checked, and marked reviewed as you asked: the differences are below.",
    "undone": "Undone.",
    "undone_kept": "Undone, except a message that went out: it stays sent (see History).",
    "deleted": "Deleted.",
    "edited": "Saved.",
    "outcome_cleared": "Outcome taken back: the follow-ups are as before it.",
    "unchanged": "Nothing to save: every field was as recorded.",
}


def message_for(request: Request) -> str | None:
    """The confirmation named by `?msg=` (only these texts: nothing from the address)."""
    return MESSAGES.get(request.query_params.get("msg", ""))
