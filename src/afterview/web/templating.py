"""Jinja2 for the web pages: autoescaped, strict about missing values, with the time words.

The time filters (`when`, `span`, `when_line`) say moments on the user's clock, with an
interview's local time added where its clock differs (the rule of `afterview.timewords`);
a page that uses them passes the user's zone as `user_tz`."""

from __future__ import annotations

import os
import re
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2.runtime import Context as TemplateContext

from afterview.services.context import Context
from afterview.services.views import ENDED_STATES, KIND_LABELS, iso
from afterview.timewords import moment, relative, span_words, when_line
from afterview.web.security import CSRF_FIELD, csrf_token

TEMPLATES = os.path.join(os.path.dirname(__file__), "templates")

STATE_LABELS = {
    "overdue": "Overdue",
    "ideal": "Ideal now",
    "open": "Open",
    "upcoming": "Upcoming",
    "done": "Done",
    "skipped": "Skipped",
    "cancelled": "Cancelled",
    "lapsed": "Lapsed",
}


def clock_values(ctx: Context) -> dict[str, Any]:
    """What a page that shows moments passes to the time filters: `now` (ISO 8601) and
    `user_tz`."""
    return {"now": iso(ctx.now, ctx.user_tz), "user_tz": ctx.user_tz}


def _here(context: TemplateContext) -> str:
    """The user's zone, which every page showing a moment passes as `user_tz`."""
    here = context.get("user_tz")
    if not isinstance(here, str):
        raise LookupError("a page that shows a moment needs the user's zone as user_tz")
    return here


@jinja2.pass_context
def _when(context: TemplateContext, text: str | None, now: str, there: str | None = None) -> str:
    """A moment on the user's clock, with the clock of `there` (an interview's zone) too
    when it differs at that moment."""
    if not text:
        return ""
    return moment(datetime.fromisoformat(text), datetime.fromisoformat(now), _here(context), there)


@jinja2.pass_context
def _span(
    context: TemplateContext, start: str, end: str, now: str, there: str | None = None
) -> str:
    """A span (an interview's start and end) on the user's clock, with `there`'s too."""
    return span_words(
        datetime.fromisoformat(start),
        datetime.fromisoformat(end),
        datetime.fromisoformat(now),
        _here(context),
        there,
    )


def _ago(text: str | None, now: str) -> str:
    if not text:
        return ""
    return relative(datetime.fromisoformat(text), datetime.fromisoformat(now))


@jinja2.pass_context
def _when_line(context: TemplateContext, action: dict[str, Any], now: str) -> str:
    return when_line(action, datetime.fromisoformat(now), _here(context))


def _action_path(action_id: str) -> str:
    return quote(action_id, safe="")


#: a parenthesis that holds a command
_COMMAND_ASIDE = re.compile(r"\s*\([^()]*`[^()]*\)")


def plain_reason(text: str | None) -> str:
    """A reason the worker wrote, as a page says it: without the commands it names for
    the command line (the page offers its own buttons; the whole text waits in a details
    element): "refused (550 no such user); once that is fixed, `afterview outbox
    reschedule 3` sends it again" -> "refused (550 no such user)"."""
    if not text:
        return ""
    text = _COMMAND_ASIDE.sub("", text)
    parts = [p for p in text.split("; ") if "`" not in p]
    if not parts:  # one clause that ends with a command: what comes before it
        first = text.split("; ")[0]
        parts = [first[: first.index("`")].rstrip(" :,")]
    return "; ".join(p for p in parts if p) or text.replace("`", "")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The template environment (built once)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        when=_when,
        span=_span,
        ago=_ago,
        when_line=_when_line,
        action_path=_action_path,
        plain_reason=plain_reason,
        kind_label=lambda k: KIND_LABELS.get(k, k),
        state_label=lambda s: STATE_LABELS.get(s, s),
    )
    env.globals["csrf_field"] = CSRF_FIELD
    env.globals["ended_states"] = ENDED_STATES
    return env


def mail_header(request: Request) -> dict[str, Any] | None:
    """What the header says of sending (`web/sender.py`), read with the request's
    connection while it has one; None when there is nothing to say, or it cannot be read
    (the page itself must not fail for it)."""
    rt = getattr(request.app.state, "runtime", None)
    if rt is None:
        return None
    ctx = getattr(request.state, "web_ctx", None)
    try:
        now = ctx.now if ctx is not None else rt.settings.clock()
        header: dict[str, Any] | None = rt.sender.header(ctx, now)
    except Exception:  # the database is away: the page says so itself
        return None
    return header


def page_text(request: Request, name: str, values: dict[str, Any], csrf: str) -> str:
    """Render a page to text, with `csrf` as the client's token."""
    template = environment().get_template(name)
    return template.render(
        {"message": None, **values},
        request=request,
        csrf=csrf,
        path=request.url.path,
        mail_header=mail_header(request),
        server_mode=_server_mode(request),
        signed_in=getattr(request.state, "signed_in", None),
        signed_role=getattr(request.state, "role", None),
        **undo_offer(request),
    )


def _server_mode(request: Request) -> bool:
    rt = getattr(request.app.state, "runtime", None)
    return bool(rt is not None and rt.settings.server)


def undo_offer(request: Request) -> dict[str, Any]:
    """The Undo button a confirmation carries after a change (`?change=` from
    `deps.after_change`): the change's id and the page to come back to, without the
    confirmation. Nothing when the address names no change."""
    change = request.query_params.get("change", "")
    if not (change.isascii() and change.isdigit() and len(change) <= 18):
        return {"undo_change": None, "undo_back": None}
    rest = [(k, v) for k, v in request.query_params.multi_items() if k not in ("msg", "change")]
    back = request.url.path + (f"?{urlencode(rest)}" if rest else "")
    return {"undo_change": int(change), "undo_back": back}


def render(
    request: Request, name: str, values: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page with the request's CSRF token and navigation state."""
    return HTMLResponse(
        page_text(request, name, values, csrf_token(request)), status_code=status_code
    )
