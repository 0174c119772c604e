"""The Leads page's JSON twin under `/api/leads`: the list (the page's query), reading a
posting (nothing stored), keeping a confirmed one, and marking a lead applied.

Writes need the CSRF token like every API write (`X-CSRF-Token`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import Field

from afterview.services import leads
from afterview.services.lead_list import find_leads, lead_rows, parse_query
from afterview.web import deps
from afterview.web.api_shapes import ERRORS, Day, Short, Strict
from afterview.web.deps import Ctx, RecordId
from afterview.web.routes import Routes
from afterview.web.security import require_csrf

router = Routes(prefix="/api", dependencies=[Depends(require_csrf)], responses=ERRORS)

Json = dict[str, Any]
Address = Annotated[str, Field(min_length=1, max_length=leads.MAX_ADDRESS)]
Amount = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]
Param = Annotated[str | None, Query(max_length=200)]


class LeadIn(Strict):
    """A posting to keep as a lead (what the confirm form sends)."""

    role: Short
    company: Short
    url: Address | None = None
    location: Annotated[str, Field(max_length=1000)] | None = None
    remote: bool = False
    salary_min: Amount | None = None
    salary_max: Amount | None = None
    salary_currency: Annotated[str, Field(max_length=10)] | None = None
    salary_unit: Annotated[str, Field(max_length=20)] | None = None
    posted_on: Day | None = None
    valid_through: Day | None = None
    read: bool = Field(False, description="the values came from reading the posting's page")


class ReadIn(Strict):
    """The address of a posting to read, and what fills in what it does not say."""

    url: Address
    role: Short | None = None
    company: Short | None = None


@router.get("/leads")
def list_leads(
    request: Request,
    ctx: Ctx,
    q: Param = None,
    source: Param = None,
    remote: Param = None,
    state: Param = None,
    posted_from: Param = None,
    posted_to: Param = None,
    sort: Param = None,
    page: Param = None,
) -> Json:
    """The leads (the Leads page): `q` searches company, role and place; `source`,
    `remote` (yes, no), `state` (open: not applied yet, applied) and the posted days
    (`posted_from`, `posted_to`, YYYY-MM-DD) filter; `sort` is `posted` (newest first)
    or `company`; 50 to a `page`."""
    given = {
        "q": q,
        "source": source,
        "remote": remote,
        "state": state,
        "posted_from": posted_from,
        "posted_to": posted_to,
        "sort": sort,
        "page": page,
    }
    query = parse_query({k: v for k, v in given.items() if v is not None})
    rows = deps.runtime(request).view(ctx, "leads", (), lambda: lead_rows(ctx))
    return find_leads(rows, query)


@router.post("/leads/read", dependencies=[Depends(deps.no_fetch_on_a_server)])
def read_lead(body: ReadIn) -> Json:
    """Fetch the posting at `url` (http or https, at most 5 MB) and say what it holds:
    `{"found", "postings", "notes"}`; nothing is stored (`found` is false when the page
    has no posting data: its one posting is then made of its title and address)."""
    found = leads.read_address(body.url, body.company, body.role)
    return {
        "found": found.found,
        "postings": [p._asdict() for p in found.postings],
        "notes": found.notes,
    }


@router.post("/leads", status_code=201)
def add_lead(body: LeadIn, ctx: Ctx) -> Json:
    """Keep a posting as a lead, unless it is tracked already (the same address, else the
    same company and role): `result` says `added` or `already tracked`, `id` which."""
    posting = leads.check_posting(
        title=body.role,
        company=body.company,
        url=body.url,
        location=body.location,
        remote=body.remote,
        salary_min=body.salary_min,
        salary_max=body.salary_max,
        salary_currency=body.salary_currency,
        salary_unit=body.salary_unit,
        posted_on=body.posted_on,
        valid_through=body.valid_through,
    )
    return leads.as_json(leads.save_lead(ctx, posting, "url" if body.read else "manual"))


@router.post("/leads/{application_id}/apply")
def apply_lead(application_id: RecordId, ctx: Ctx) -> Json:
    """Mark a lead applied today (refused when it already is)."""
    return {"id": application_id, "applied_on": leads.apply_lead(ctx, application_id)}
