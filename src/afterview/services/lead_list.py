"""The Leads page and its JSON twin: the postings kept as leads, searched, filtered,
sorted and cut into pages.

A lead is an application that came from a posting (it has the posting's details) or
that is not applied to yet. The query comes from an address (`?q=…&remote=yes`), so
every parameter is checked here: a bad one is a `BadInput` naming it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from afterview.errors import BadInput
from afterview.services.context import Context
from afterview.textcheck import check_line, shown

#: leads on one page
PAGE_SIZE = 50
SORTS = ("posted", "company")
REMOTE = ("yes", "no")
STATES = ("open", "applied")
_SOURCE = re.compile(r"[a-z0-9_.-]{1,40}")
_PAGE = re.compile(r"[0-9]{1,6}")
#: the parameters a query may carry (others, from a form or a link, are ignored)
PARAMS = ("q", "source", "remote", "state", "posted_from", "posted_to", "sort", "page")


class LeadQuery(NamedTuple):
    """What the list is asked for; empty strings mean "any"."""

    q: str = ""
    source: str = ""
    remote: str = ""
    state: str = ""
    posted_from: str = ""
    posted_to: str = ""
    sort: str = "posted"
    page: int = 1

    def params(self, **changes: Any) -> dict[str, str]:
        """The query as address parameters (defaults left out), with `changes`."""
        values = self._replace(**changes)._asdict()
        default = LeadQuery()._asdict()
        return {k: str(v) for k, v in values.items() if v != default[k]}


def parse_query(params: Mapping[str, str]) -> LeadQuery:
    """The query asked in an address; the first bad parameter raises `BadInput`."""

    def one_of(name: str, allowed: tuple[str, ...]) -> str:
        value = params.get(name) or ""
        if value and value not in allowed:
            raise BadInput(name, f"expected one of {', '.join(allowed)}, got {shown(value, 20)}")
        return value

    q = params.get("q") or ""
    q = check_line(q, "q", limit=200, empty=True) if q else ""
    source = params.get("source") or ""
    if source and not _SOURCE.fullmatch(source):
        raise BadInput(
            "source", f"expected a source name such as url or greenhouse, got {shown(source, 20)}"
        )
    first, last = _day(params, "posted_from"), _day(params, "posted_to")
    if first and last and first > last:
        raise BadInput("posted_to", "expected a day on or after posted_from")
    page = params.get("page") or "1"
    if not (page.isascii() and _PAGE.fullmatch(page) and int(page) >= 1):
        raise BadInput("page", "expected a page number from 1")
    return LeadQuery(
        q=q,
        source=source,
        remote=one_of("remote", REMOTE),
        state=one_of("state", STATES),
        posted_from=first,
        posted_to=last,
        sort=one_of("sort", SORTS) or "posted",
        page=int(page),
    )


def _day(params: Mapping[str, str], name: str) -> str:
    from afterview.sources.jobposting import valid_day

    value = params.get(name) or ""
    if value and (len(value) != 10 or valid_day(value) is None):
        raise BadInput(
            name, f"expected a day (YYYY-MM-DD) from 1990 to 2100, got {shown(value, 20)}"
        )
    return value


def lead_rows(ctx: Context) -> list[dict[str, Any]]:
    """Every lead of the account with its posting's details, oldest first."""
    from afterview.services.views import list_applications
    from afterview.store import leads as store

    details = store.details(ctx.db, ctx.account)
    rows = []
    for a in list_applications(ctx):
        detail = details.get(a["id"])
        if detail is None and a["status"] != "lead":
            continue
        d = detail or {}
        rows.append(
            {
                **a,
                "location": d.get("location"),
                "remote": bool(d.get("remote")),
                "salary_min": d.get("salary_min"),
                "salary_max": d.get("salary_max"),
                "salary_currency": d.get("salary_currency"),
                "salary_unit": d.get("salary_unit"),
                "posted_on": d.get("posted_on"),
                "valid_through": d.get("valid_through"),
                "source": d.get("source"),
            }
        )
    return rows


def matching_leads(rows: list[dict[str, Any]], query: LeadQuery) -> list[dict[str, Any]]:
    """The rows the query's filters keep, in its order (its page aside)."""
    wanted = query.q.casefold()
    found = [
        r
        for r in rows
        if (
            not wanted
            or wanted in r["company"].casefold()
            or wanted in r["role"].casefold()
            or wanted in (r["location"] or "").casefold()
        )
        and (not query.source or r["source"] == query.source)
        and (not query.remote or r["remote"] == (query.remote == "yes"))
        and (not query.state or (r["status"] == "lead") == (query.state == "open"))
        and (not query.posted_from or (r["posted_on"] or "") >= query.posted_from)
        and (not query.posted_to or (r["posted_on"] or "9999") <= query.posted_to)
    ]
    if query.sort == "company":
        found.sort(key=lambda r: (r["company"].casefold(), r["role"].casefold(), r["id"]))
    else:  # the newest posting first; those without a date last, the newest added first
        found.sort(key=lambda r: r["id"], reverse=True)
        found.sort(key=lambda r: r["posted_on"] or "", reverse=True)
    return found


def find_leads(rows: list[dict[str, Any]], query: LeadQuery) -> dict[str, Any]:
    """The page of `rows` the query asks for: `{"total", "found", "page", "pages",
    "per_page", "sources", "leads"}` (a page past the last gives the last)."""
    found = matching_leads(rows, query)
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(query.page, pages)
    return {
        "total": len(rows),
        "found": len(found),
        "page": page,
        "pages": pages,
        "per_page": PAGE_SIZE,
        "sources": sorted({r["source"] for r in rows if r["source"]}),
        "leads": found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
    }
