"""Jinja2 for the web pages: autoescaped, strict about missing values, with the time words."""

from __future__ import annotations

import os
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from afterview.services.views import KIND_LABELS
from afterview.timewords import moment, relative, when_line
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


def _when(text: str | None, now: str) -> str:
    if not text:
        return ""
    at = datetime.fromisoformat(text)
    assert at.tzinfo is not None
    return moment(at, datetime.fromisoformat(now), at.tzinfo)


def _end(end: str, start: str, now: str) -> str:
    """The end of a span: just the clock time on the start's day, else the whole moment."""
    e, st = datetime.fromisoformat(end), datetime.fromisoformat(start)
    assert e.tzinfo is not None
    if e.date() == st.astimezone(e.tzinfo).date():
        return f"{e:%H:%M}"
    return moment(e, datetime.fromisoformat(now), e.tzinfo)


def _ago(text: str | None, now: str) -> str:
    if not text:
        return ""
    return relative(datetime.fromisoformat(text), datetime.fromisoformat(now))


def _when_line(action: dict[str, Any], now: str) -> str:
    return when_line(action, datetime.fromisoformat(now))


def _action_path(action_id: str) -> str:
    return quote(action_id, safe="")


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
        end=_end,
        ago=_ago,
        when_line=_when_line,
        action_path=_action_path,
        kind_label=lambda k: KIND_LABELS.get(k, k),
        state_label=lambda s: STATE_LABELS.get(s, s),
    )
    env.globals["csrf_field"] = CSRF_FIELD
    return env


def page_text(request: Request, name: str, values: dict[str, Any], csrf: str) -> str:
    """Render a page to text, with `csrf` as the client's token."""
    template = environment().get_template(name)
    return template.render(
        {"message": None, **values}, request=request, csrf=csrf, path=request.url.path
    )


def render(
    request: Request, name: str, values: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page with the request's CSRF token and navigation state."""
    return HTMLResponse(
        page_text(request, name, values, csrf_token(request)), status_code=status_code
    )
