"""The Outbox page (`/outbox`) and its JSON twin (`/api/outbox`): every message afterview
was asked to send, found by state, company, day and words, 50 at a time, each with what
can be done to it now (send now, reschedule, cancel; settle one that may have gone out).

Every change is a POST with the CSRF token that calls one use case of
`services/outbox.py` and sends the browser back to the listing it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import FormData

from afterview.errors import BadInput, Refused
from afterview.parsing import parse_date
from afterview.services import outbox, outbox_view
from afterview.services.outbox_view import SORTS, STATES
from afterview.textcheck import check_line
from afterview.web import deps
from afterview.web.deps import Ctx, Form, RecordId, see_other, text
from afterview.web.routes import Routes
from afterview.web.runtime import WebContext
from afterview.web.security import require_csrf
from afterview.web.templating import clock_values, render

router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)
api_router = Routes(
    prefix="/api",
    dependencies=[Depends(require_csrf)],
    responses={
        code: {"description": what}
        for code, what in (
            (403, "Refused: missing CSRF token, or a cross-site request"),
            (404, "No such message"),
            (409, "Refused: the message is not in a state that allows it"),
            (422, "Bad input: `field` names it"),
        )
    },
)

#: Messages on one page of the outbox.
PER_PAGE = 50
#: The states as the page names them.
STATE_LABELS = {
    "scheduled": "Waiting",
    "sending": "Sending",
    "held": "Held",
    "uncertain": "Uncertain",
    "sent": "Sent",
    "failed": "Failed",
    "cancelled": "Cancelled",
}
SORT_LABELS = {"latest": "latest first", "soonest": "earliest first"}
#: The address parameters of a listing (kept when a change sends the browser back).
KEYS = ("q", "state", "company", "from", "to", "sort", "page")
MESSAGES = {
    "cancelled": "Cancelled: it will not be sent.",
    "now": "It goes out now, from your mailbox.",
    "rescheduled": "Rescheduled: it goes out at the new time.",
    "went": "Recorded as sent.",
    "held": "Recorded as not sent: it is held until you send it again or cancel it.",
}


def read_query(params: Mapping[str, str]) -> tuple[outbox_view.Query, int]:
    """The listing the address asks for, and its page number; a bad value is refused
    naming its parameter."""
    q = check_line(params["q"], "q", limit=200) if params.get("q") else ""
    state = params.get("state", "")
    if state and state not in STATES:
        raise BadInput("state", f"expected one of {', '.join(STATES)}")
    company = check_line(params["company"], "company", limit=200) if params.get("company") else ""
    since = parse_date(params["from"], "from") if params.get("from") else None
    until = parse_date(params["to"], "to") if params.get("to") else None
    if since and until and until < since:
        raise BadInput("to", "expected a day on or after the first day (from)")
    sort = params.get("sort") or "latest"
    if sort not in SORTS:
        raise BadInput("sort", f"expected one of {', '.join(SORTS)}")
    page = params.get("page") or "1"
    if not (page.isascii() and page.isdigit() and len(page) <= 6 and int(page) >= 1):
        raise BadInput("page", "expected a page number from 1")
    return outbox_view.Query(q, state, company, since, until, sort), int(page)


def _listing(request: Request, ctx: WebContext) -> dict[str, Any]:
    """One page of the messages the address asks for, and what the page needs to say it."""
    query, page = read_query(request.query_params)
    rt = deps.runtime(request)
    every: list[dict[str, Any]] = rt.view(ctx, "outbox", (), lambda: outbox_view.every_message(ctx))
    found = outbox_view.select(every, query)
    pages = max(1, -(-len(found) // PER_PAGE))
    page = min(page, pages)
    asked = {
        "q": query.q,
        "state": query.state,
        "company": query.company,
        "from": query.since.isoformat() if query.since else "",
        "to": query.until.isoformat() if query.until else "",
        "sort": query.sort,
    }
    return {
        "rows": found[(page - 1) * PER_PAGE : page * PER_PAGE],
        "every": every,
        "total": len(every),
        "found": len(found),
        "first": (page - 1) * PER_PAGE + 1,
        "page": page,
        "pages": pages,
        "asked": asked,
    }


@router.get("/outbox", response_class=HTMLResponse)
def outbox_page(request: Request, ctx: Ctx) -> Response:
    """The outbox: every message approved for sending, a page at a time, found by
    state, company, day and words, with what can be done to each."""
    listing = _listing(request, ctx)
    every = listing.pop("every")
    asked = listing["asked"]
    here = {k: v for k, v in {**asked, "page": listing["page"]}.items() if v}
    values = {
        **listing,
        **asked,
        "since": asked["from"],
        "until": asked["to"],
        "companies": outbox_view.companies(every),
        "states": list(STATE_LABELS.items()),
        "state_labels": STATE_LABELS,
        "sorts": list(SORT_LABELS.items()),
        "back": urlencode(here),
        "mail_ready": outbox.mail_ready(ctx),
        "message": MESSAGES.get(request.query_params.get("msg", "")),
        **clock_values(ctx),
    }
    return render(request, "outbox.html", values)


def _back(form: FormData, msg: str) -> RedirectResponse:
    """Back to the listing the form was sent from (only its own parameters are kept)."""
    raw = text(form, "back") or ""
    kept = {k: v for k, v in parse_qsl(raw[:2000]) if k in KEYS}
    return see_other("/outbox", **kept, msg=msg)


def _force(form: FormData) -> bool:
    return text(form, "force") == "1"


def _refused_unless_forced(
    request: Request, exc: Refused, path: str, form: FormData, at: str | None
) -> Response:
    """A refusal that `force` overrides comes back with a button to do it anyway."""
    if not exc.override:
        raise exc
    why = exc.reason
    return render(
        request,
        "error.html",
        {
            "title": "Not now",
            "problem": why,
            "retry": {
                "action": path,
                "back": text(form, "back") or "",
                "label": "Send it anyway",
                "fields": {"at": at} if at else {},
            },
        },
        status_code=409,
    )


@router.post("/outbox/{message_id}/send")
def send_now(message_id: RecordId, request: Request, ctx: Ctx, form: Form) -> Response:
    """Send a waiting, held or failed message now (approved again, at once)."""
    try:
        outbox.reschedule(ctx, message_id, None, force=_force(form))
    except Refused as exc:
        return _refused_unless_forced(request, exc, f"/outbox/{message_id}/send", form, None)
    return _back(form, "now")


@router.post("/outbox/{message_id}/reschedule")
def reschedule(message_id: RecordId, request: Request, ctx: Ctx, form: Form) -> Response:
    """Send a waiting, held or failed message at another time (`at`, the user's clock)."""
    at = text(form, "at")
    if at is None:
        raise BadInput("at", "expected the date and time to send it (YYYY-MM-DDTHH:MM)")
    try:
        outbox.reschedule(ctx, message_id, at, force=_force(form))
    except Refused as exc:
        path = f"/outbox/{message_id}/reschedule"
        return _refused_unless_forced(request, exc, path, form, at)
    return _back(form, "rescheduled")


@router.post("/outbox/{message_id}/cancel")
def cancel(message_id: RecordId, ctx: Ctx, form: Form) -> Response:
    """Take a waiting, held or failed message out of the outbox: nothing is sent."""
    outbox.cancel(ctx, message_id)
    return _back(form, "cancelled")


@router.post("/outbox/{message_id}/confirm")
def confirm(message_id: RecordId, ctx: Ctx, form: Form) -> Response:
    """Settle a message that may have gone out: it did (`sent=yes`) or not (`sent=no`)."""
    sent = text(form, "sent")
    if sent not in ("yes", "no"):
        raise BadInput("sent", "expected yes or no")
    outbox.confirm(ctx, message_id, sent == "yes")
    return _back(form, "went" if sent == "yes" else "held")


# -- the JSON twin ------------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class RescheduleIn(_Strict):
    at: Annotated[str, Field(max_length=100, description="ISO 8601; naive: your clock")] | None = (
        None
    )
    force: bool = False


class ConfirmIn(_Strict):
    sent: bool


Param = Annotated[str | None, Query(max_length=300)]


@api_router.get("/outbox")
def outbox_json(
    request: Request,
    ctx: Ctx,
    q: Param = None,
    state: Param = None,
    company: Param = None,
    from_: Annotated[str | None, Query(alias="from", max_length=300)] = None,
    to: Param = None,
    sort: Param = None,
    page: Param = None,
) -> dict[str, Any]:
    """The Outbox page as JSON: the messages asked for (`state`, `company`, `from`/`to`
    days of the scheduled time, `q` in the recipient or subject, `sort` latest or
    soonest), 50 a page."""
    listing = _listing(request, ctx)
    return {
        "at": clock_values(ctx)["now"],
        "tz": ctx.user_tz,
        "total": listing["total"],
        "found": listing["found"],
        "page": listing["page"],
        "pages": listing["pages"],
        "per_page": PER_PAGE,
        "messages": listing["rows"],
    }


@api_router.post("/outbox/{message_id}/cancel")
def cancel_json(message_id: RecordId, ctx: Ctx) -> dict[str, Any]:
    """Cancel a waiting, held or failed message (nothing is sent)."""
    return outbox_view.message(ctx, outbox.cancel(ctx, message_id))


@api_router.post("/outbox/{message_id}/reschedule")
def reschedule_json(message_id: RecordId, body: RescheduleIn, ctx: Ctx) -> dict[str, Any]:
    """Send a waiting, held or failed message at `at` (default: now)."""
    row = outbox.reschedule(ctx, message_id, body.at, force=body.force)
    return outbox_view.message(ctx, row)


@api_router.post("/outbox/{message_id}/confirm")
def confirm_json(message_id: RecordId, body: ConfirmIn, ctx: Ctx) -> dict[str, Any]:
    """Settle an uncertain message: it went out (`sent` true) or not (held for you)."""
    return outbox_view.message(ctx, outbox.confirm(ctx, message_id, body.sent))
