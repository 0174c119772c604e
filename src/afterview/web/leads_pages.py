"""The Leads page, the lead form the "Save to afterview" bookmarklet opens, and its
two steps: read the posting, then keep it once the user confirms.

How a job page gets in (`/leads/new`), and why it is safe:

- The bookmarklet only *opens* `/leads/new?url=…&title=…` on this app. A GET changes
  nothing and fetches nothing: it shows the form filled with what the address says,
  each value checked (a `javascript:` address, a 10 KB title, a control character or
  an encoded line break is refused, with the field named; nothing is kept).
- "Read the posting" is a POST from this app's own page (CSRF token, same origin):
  only then does the server fetch the address, as `afterview lead add` does (http and
  https only, at most 5 MB, timeouts and a deadline, at most 5 redirects, to web
  addresses only). Private and loopback addresses are *not* refused: only the user's
  own click on this page starts a fetch (another site can neither post here nor read
  the answer), the answer goes back to the user alone, and a job board on an intranet
  (or a page served on this computer) is a fair thing to read. Refusing them would
  also need every name pinned to its checked address to hold against DNS rebinding.
- "Save the lead" is a second POST with the token: the values the user saw and may
  have edited are checked again and stored. The CSRF and Host checks of
  `web/security.py` apply to every one of these routes, unchanged.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response

from afterview.errors import AfterviewError, BadInput
from afterview.services import leads
from afterview.services.lead_list import PARAMS, REMOTE, SORTS, STATES, find_leads, lead_rows
from afterview.services.lead_list import parse_query as _parse_query
from afterview.textcheck import check_line, printable
from afterview.web import deps
from afterview.web.deps import Ctx, Form, RecordId, bad_input, see_other, text
from afterview.web.routes import Routes
from afterview.web.security import require_csrf
from afterview.web.templating import render

router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)

MESSAGES = {
    "lead_added": "Lead saved.",
    "lead_tracked": "That posting is already among your leads: nothing was added.",
    "lead_applied": "Marked applied today: it counts for this week's target.",
}
#: where a lead came from, in words (the filter keeps the stored names)
SOURCE_LABELS = {
    "url": "web page",
    "manual": "typed in",
    "file": "saved page",
    "greenhouse": "Greenhouse",
    "lever": "Lever",
    "ashby": "Ashby",
    "huntr": "Huntr",
    "teal": "Teal",
    "generic": "tracker file",
}
#: a Host header the bookmarklet can name (a host name or address, and a port)
_HOST = re.compile(r"(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?")
#: the fields of the confirm form, as the page and the API name them
CONFIRM_FIELDS = (
    "role",
    "company",
    "url",
    "location",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_unit",
    "posted_on",
    "valid_through",
)
_AMOUNT = re.compile(r"[0-9]{1,13}(?:\.[0-9]{1,2})?")


def parse_query(request: Request) -> Any:
    """The list's query from the address (the known parameters only)."""
    params = request.query_params
    return _parse_query({k: params[k] for k in PARAMS if k in params})


@router.get("/leads", response_class=HTMLResponse)
def leads_page(request: Request, ctx: Ctx) -> Response:
    """The add form, then the leads: searched, filtered, sorted, 50 to a page."""
    query = parse_query(request)
    rows = deps.runtime(request).view(ctx, "leads", (), lambda: lead_rows(ctx))
    found = find_leads(rows, query)
    shown = [{**r, "link": _link(r["url"]), "salary": salary_text(r)} for r in found["leads"]]
    values = {
        "list": found,
        "rows": shown,
        "query": query,
        "first": (found["page"] - 1) * found["per_page"] + 1,
        "sorts": SORTS,
        "remote_values": REMOTE,
        "states": STATES,
        "source_labels": SOURCE_LABELS,
        "back": query.params(),
        "message": MESSAGES.get(request.query_params.get("msg", "")),
    }
    return render(request, "leads.html", values)


@router.get("/leads/new", response_class=HTMLResponse)
def new_lead(request: Request) -> Response:
    """The lead form, filled from the address (`url`, `title`: what the bookmarklet
    sends); nothing is fetched or stored. A value refused is named and left out."""
    params = request.query_params
    typed: dict[str, str] = {}
    errors: list[str] = []
    for name, target, check in (
        ("url", "url", leads.check_address),
        ("title", "role", lambda v, f: check_line(v, f, limit=200)),
    ):
        value = params.get(name)
        if not value:
            continue
        try:
            typed[target] = check(value, name)
        except BadInput as exc:
            errors.append(bad_input(exc))
    return _form(request, typed, errors, status_code=422 if errors else 200)


@router.post(
    "/leads/new", response_class=HTMLResponse, dependencies=[Depends(deps.no_fetch_on_a_server)]
)
def read_lead(request: Request, form: Form) -> Response:
    """Read the posting at the address given (a fetch, on the user's click) and show
    what it says, in the form to confirm; nothing is stored."""
    typed = {k: v for k in ("url", "role", "company") if (v := text(form, k)) is not None}
    try:
        company = check_line(typed["company"], "company", limit=200) if "company" in typed else None
        role = check_line(typed["role"], "role", limit=200) if "role" in typed else None
        if "url" not in typed:
            raise BadInput("url", "expected the address of the job posting")
        found = leads.read_address(typed["url"], company, role)
    except BadInput as exc:
        return _form(request, typed, [bad_input(exc)], 422)
    first = found.postings[0]
    notes = list(found.notes)
    if len(found.postings) > 1:
        notes.insert(0, f"This page lists {len(found.postings)} postings: the first is shown.")
    return _form(request, typed, [], 200, confirm=posting_values(first, found.found), notes=notes)


@router.post("/leads")
def save_lead(request: Request, ctx: Ctx, form: Form) -> Response:
    """Keep the posting the user confirmed (every value checked again)."""
    read = form.get("read") or ""
    try:
        if read not in ("", "1"):
            raise BadInput("read", "expected 1 or nothing")
        posting = leads.check_posting(
            title=text(form, "role") or "",
            company=text(form, "company") or "",
            url=text(form, "url"),
            location=text(form, "location"),
            remote=form.get("remote") == "1",
            salary_min=_amount(text(form, "salary_min"), "salary_min"),
            salary_max=_amount(text(form, "salary_max"), "salary_max"),
            salary_currency=text(form, "salary_currency"),
            salary_unit=text(form, "salary_unit"),
            posted_on=text(form, "posted_on"),
            valid_through=text(form, "valid_through"),
        )
        result = leads.save_lead(ctx, posting, "url" if read == "1" else "manual")
    except BadInput as exc:
        typed = {k: v for k in CONFIRM_FIELDS if isinstance(v := form.get(k), str)}
        confirm = {**typed, "remote": form.get("remote") == "1", "read": str(read)}
        error = bad_input(exc)
        return _form(request, {}, [error], 422, confirm=confirm)
    return see_other("/leads", msg="lead_added" if result.what == "added" else "lead_tracked")


@router.post("/leads/{application_id}/apply")
def apply_lead(application_id: RecordId, ctx: Ctx, form: Form) -> Response:
    """Mark a lead applied today; back to the list as it was (its query checked again)."""
    back = _parse_query({k: v for k in PARAMS if isinstance(v := form.get(k), str)})
    leads.apply_lead(ctx, application_id)
    return see_other("/leads", **back.params(), msg="lead_applied")


def _form(
    request: Request,
    typed: dict[str, str],
    errors: list[str],
    status_code: int,
    confirm: dict[str, Any] | None = None,
    notes: list[str] | None = None,
) -> Response:
    # what was typed comes back as it was, a control character shown escaped (`\x00`)
    shown = {k: printable(v) for k, v in typed.items()}
    if confirm is not None:
        confirm = {k: printable(v) if isinstance(v, str) else v for k, v in confirm.items()}
    values = {"typed": shown, "errors": errors, "confirm": confirm, "notes": notes or []}
    return render(request, "lead_new.html", values, status_code=status_code)


def _amount(value: str | None, field: str) -> float | None:
    """A salary figure as typed: digits, a decimal point, thousands separated by commas
    or spaces."""
    if value is None:
        return None
    plain = re.sub(r"[,\s]", "", value)
    if not _AMOUNT.fullmatch(plain):
        raise BadInput(field, "expected an amount such as 70000")
    return float(plain)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else str(value)


def posting_values(p: Any, read: bool) -> dict[str, Any]:
    """A posting as the confirm form shows it (strings, `remote` a flag)."""
    return {
        "role": p.title or "",
        "company": p.company or "",
        "url": p.url or "",
        "location": p.location or "",
        "remote": p.remote,
        "salary_min": _number(p.salary_min),
        "salary_max": _number(p.salary_max),
        "salary_currency": p.salary_currency or "",
        "salary_unit": p.salary_unit or "",
        "posted_on": p.posted_on or "",
        "valid_through": p.valid_through or "",
        "read": "1" if read else "",
    }


def salary_text(row: dict[str, Any]) -> str:
    """A salary range in words: `70000–85000 EUR a year`."""
    low, high = row.get("salary_min"), row.get("salary_max")
    if low is None and high is None:
        return ""
    span = _number(low) if low == high or high is None else f"{_number(low)}–{_number(high)}"
    if low is None:
        span = f"up to {_number(high)}"
    unit = row.get("salary_unit")
    per = f" a {unit.lower()}" if unit else ""
    currency = f" {row['salary_currency']}" if row.get("salary_currency") else ""
    return f"{span}{currency}{per}"


def _link(url: str | None) -> str | None:
    """The posting's address when it is a web address (the only kind made a link)."""
    if not url:
        return None
    try:
        return leads.check_address(url)
    except AfterviewError:
        return None


def bookmarklet(request: Request) -> str | None:
    """The "Save to afterview" bookmarklet for the address this page was opened at: it
    opens `/leads/new` here with the page's address and title, in a new tab (or this
    one, where pop-ups are blocked). None when the Host cannot be written in it safely."""
    host = request.headers.get("host", "")
    if not _HOST.fullmatch(host) or request.url.scheme not in ("http", "https"):
        return None
    target = json.dumps(f"{request.url.scheme}://{host}/leads/new")
    code = (
        "(function(){var u=" + target + "+'?url='+encodeURIComponent(location.href)"
        "+'&title='+encodeURIComponent(Array.from(document.title).slice(0,200).join(''));"
        "if(!window.open(u,'_blank')){location.href=u;}})();"
    )
    return "javascript:" + code
