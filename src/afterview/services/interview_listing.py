"""Which interviews a list shows, and in which order: the search, filters and sort the
Interviews page's address and `afterview interview list`'s options ask for, read and
checked once (`BadInput` names the parameter), applied to the rows of
`views.list_interviews`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from afterview.errors import BadInput
from afterview.services import listing

#: An interview's statuses, as the views name them.
STATUSES = (
    "scheduled",
    "awaiting",
    "no_response",
    "offer",
    "rejected",
    "next_round",
    "withdrawn",
)
#: The orders a list of interviews can take (by start unless asked).
SORTS = ("start", "company", "status")


class Wanted(NamedTuple):
    """What the list asks for: search text, filters, order and page."""

    q: str = ""
    status: str = ""
    company: str = ""
    since: str = ""
    until: str = ""
    sort: str = ""
    order: str = ""
    page: int = 1

    def params(self) -> dict[str, str]:
        """The address parameters of this choice (the page left out), for links."""
        given = {"q": self.q, "status": self.status, "company": self.company,
                 "from": self.since, "to": self.until, "sort": self.sort, "order": self.order}  # fmt: skip
        return {k: v for k, v in given.items() if v}


def read(params: Mapping[str, str | None]) -> Wanted:
    """The search, filters, order and page number asked in `params` (`q`, `status`,
    `company`, `from`, `to`, `sort`, `order`, `page`)."""
    wanted = Wanted(
        listing.search_text(params.get("q")),
        listing.one_of(params.get("status"), "status", STATUSES),
        listing.search_text(params.get("company"), "company"),
        listing.day(params.get("from"), "from"),
        listing.day(params.get("to"), "to"),
        listing.one_of(params.get("sort"), "sort", SORTS),
        listing.one_of(params.get("order"), "order", ("asc", "desc")),
        listing.page_number(params.get("page")),
    )
    if wanted.since and wanted.until and wanted.since > wanted.until:
        raise BadInput("to", "expected a day on or after from")
    return wanted


def select(every: list[dict[str, Any]], want: Wanted) -> list[dict[str, Any]]:
    """The rows `want` asks for (newest first unless sorted otherwise): the company any
    case, the search in company, role or an interviewer's name, days by the start's."""
    text, company = want.q.casefold(), want.company.casefold()
    found = [
        r
        for r in every
        if (not want.status or r["status"] == want.status)
        and (not company or r["company"].casefold() == company)
        and (not want.since or r["start"][:10] >= want.since)
        and (not want.until or r["start"][:10] <= want.until)
        and (
            not text
            or text in r["company"].casefold()
            or text in r["role"].casefold()
            or any(text in p["name"].casefold() for p in r["interviewers"])
        )
    ]
    if want.sort in ("company", "status"):  # newest first within each
        found.sort(key=lambda r: r["start"], reverse=True)
        found.sort(key=lambda r: r[want.sort].casefold(), reverse=want.order == "desc")
    elif want.order == "asc":  # by start: newest first unless asked otherwise
        found.reverse()
    return found
