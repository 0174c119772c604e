"""Applications on a long search: listed (searched, filtered, sorted, a page at a time),
on the board by stage, and moved from stage to stage by the user.

An application's **stage** is where the board shows it: `lead` (the wishlist), `applied`,
`interviewing`, `offer` or `closed`. Its facts give one (`stage_of` its status: the
latest interview's, else applied or lead); the user may place it elsewhere on the board,
and that placement wins from its moment on (a `--now` before it shows the facts' stage).
Moving it back to the stage its facts give forgets the placement. Stages are for the
board and the lists only: the plan (and so the agenda) never reads them.
"""

from collections.abc import Mapping
from typing import Any, NamedTuple

from afterview.core.plan_parts import interview_actions
from afterview.core.timeutil import zone
from afterview.errors import BadInput, NotFound
from afterview.services import listing
from afterview.services.context import Context
from afterview.services.pipeline import STATUS_ORDER
from afterview.services.views import iso, list_applications
from afterview.store import applications as appstore
from afterview.store import leads as leadstore
from afterview.store import repo
from afterview.textcheck import MAX_TEXT, check_text

Json = dict[str, Any]

#: The board's columns, in order.
STAGES = appstore.STAGES

#: The stage an application's status puts it on.
STAGE_OF_STATUS = {
    "lead": "lead",
    "applied": "applied",
    "scheduled": "interviewing",
    "awaiting": "interviewing",
    "next_round": "interviewing",
    "offer": "offer",
    "no_response": "closed",
    "rejected": "closed",
    "withdrawn": "closed",
}

#: How a list can be sorted, and the direction each starts in.
SORTS = {"applied": "desc", "company": "asc", "status": "asc"}
ORDERS = ("asc", "desc")
#: Applications on one page of the list.
PAGE_SIZE = 50
#: Cards shown in each column of the board (the list shows a column whole).
BOARD_LIMIT = 25


def stage_of(status: str) -> str:
    """The stage an application's status puts it on."""
    return STAGE_OF_STATUS.get(status, "applied")


def application_rows(ctx: Context) -> list[Json]:
    """Every application as `views.list_applications` gives it, with its `stage` (placed
    by the user, else its facts'), `placed` (true when the user placed it), `lead` (true
    when it came from a job posting) and `last` (its latest news, ISO: a placement, the
    latest interview's start or the applied day; for the board's order)."""
    rows = list_applications(ctx)
    placed = appstore.stages(ctx.db, ctx.account)
    leads = appstore.lead_ids(ctx.db, ctx.account)
    latest: dict[int, str] = {}
    for _iv, app_id, at in repo.interview_starts(ctx.db, ctx.account):
        start = iso(at, "UTC") or ""
        if start > latest.get(app_id, ""):
            latest[app_id] = start
    out = []
    for r in rows:
        own = placed.get(r["id"])
        placed_at = iso(own[1], "UTC") if own is not None and own[1] <= ctx.now else None
        stage = own[0] if own is not None and placed_at else stage_of(r["status"])
        last = max(placed_at or "", latest.get(r["id"], ""), r["applied_on"] or "")
        out.append({**r, "stage": stage, "placed": bool(placed_at), "lead": r["id"] in leads,
                    "last": last})  # fmt: skip
    return out


class Listing(NamedTuple):
    """What the list shows: search text, filters, order and page."""

    q: str = ""
    stage: str = ""
    status: str = ""
    company: str = ""
    since: str = ""  # applied on or after (YYYY-MM-DD)
    until: str = ""  # applied on or before
    sort: str = "applied"
    order: str = "desc"
    page: int = 1

    def query(self, **changes: Any) -> dict[str, str]:
        """The address parameters of this listing with `changes`, leaving out defaults."""
        values = self._replace(**changes)
        out = {
            "q": values.q,
            "stage": values.stage,
            "status": values.status,
            "company": values.company,
            "from": values.since,
            "to": values.until,
            "sort": values.sort if values.sort != "applied" else "",
            "order": values.order if values.order != SORTS[values.sort] else "",
            "page": str(values.page) if values.page != 1 else "",
        }
        return {k: v for k, v in out.items() if v}

    @property
    def filtered(self) -> bool:
        """True when a search text or a filter narrows the list."""
        return any((self.q, self.stage, self.status, self.company, self.since, self.until))


def read_listing(params: Mapping[str, str]) -> Listing:
    """The listing asked for in an address's parameters (`q`, `stage`, `status`,
    `company`, `from`, `to`, `sort`, `order`, `page`); a bad one is refused, named."""
    since = listing.day(params.get("from"), "from")
    until = listing.day(params.get("to"), "to")
    if since and until and until < since:
        raise BadInput("to", f"expected a day on or after {since} (from)")
    sort = listing.one_of(params.get("sort"), "sort", tuple(SORTS)) or "applied"
    return Listing(
        q=listing.search_text(params.get("q")),
        stage=listing.one_of(params.get("stage"), "stage", STAGES),
        status=listing.one_of(params.get("status"), "status", STATUS_ORDER),
        company=listing.search_text(params.get("company"), "company"),
        since=since,
        until=until,
        sort=sort,
        order=listing.one_of(params.get("order"), "order", ORDERS) or SORTS[sort],
        page=listing.page_number(params.get("page")),
    )


def select(rows: list[Json], want: Listing) -> list[Json]:
    """The rows the listing asks for, in its order."""
    q, company = want.q.casefold(), want.company.casefold()
    found = [
        r
        for r in rows
        if (not q or q in r["company"].casefold() or q in r["role"].casefold())
        and (not want.stage or r["stage"] == want.stage)
        and (not want.status or r["status"] == want.status)
        and (not company or r["company"].casefold() == company)
        and (not want.since or (r["applied_on"] or "") >= want.since)
        and (not want.until or (r["applied_on"] or "9999") <= want.until)
    ]
    backwards = want.order == "desc"
    if want.sort == "company":
        found.sort(key=lambda r: (r["company"].casefold(), r["role"].casefold(), r["id"]))
        return found[::-1] if backwards else found
    if want.sort == "status":
        rank = {s: n for n, s in enumerate(STATUS_ORDER)}
        found.sort(key=lambda r: (rank.get(r["status"], len(rank)), r["company"].casefold()))
        return found[::-1] if backwards else found
    # by applied day; those not applied yet come last either way
    dated = sorted((r for r in found if r["applied_on"]), key=lambda r: (r["applied_on"], r["id"]))
    undated = sorted((r for r in found if not r["applied_on"]), key=lambda r: r["id"])
    return dated[::-1] + undated[::-1] if backwards else dated + undated


def list_view(ctx: Context, rows: list[Json], want: Listing) -> Json:
    """One page of the list: `{"total", "found", "page", "pages", "first", "per_page",
    "applications"}` (the rows of `application_rows`, the listing applied)."""
    found = select(rows, want)
    page = listing.page_of(found, want.page, PAGE_SIZE)
    return {
        "total": len(rows),
        "found": len(found),
        "page": page.page,
        "pages": page.pages,
        "first": page.first,
        "per_page": PAGE_SIZE,
        "applications": page.items,
    }


_CARD = ("id", "company", "role", "applied_on", "status", "stage", "placed", "lead", "interviews")


def board_view(ctx: Context, rows: list[Json], limit: int = BOARD_LIMIT) -> Json:
    """The board: `{"at", "limit", "columns": [{"stage", "count", "cards"}]}`, each column
    with its first `limit` cards, latest news first."""
    columns = []
    for stage in STAGES:
        cards = [r for r in rows if r["stage"] == stage]
        cards.sort(key=lambda r: (r["last"], r["id"]), reverse=True)
        columns.append(
            {
                "stage": stage,
                "count": len(cards),
                "cards": [{k: r[k] for k in _CARD} for r in cards[:limit]],
            }
        )
    return {"at": iso(ctx.now, ctx.user_tz), "limit": limit, "columns": columns}


def status_now(ctx: Context, application_id: int, applied: bool) -> str:
    """The status an application's facts give it now: its latest interview's, else
    `applied` or `lead` (as `views.list_applications` says it)."""
    facts = ctx.facts()
    latest = None
    for iv in facts.interviews:
        if iv.application_id == application_id and (latest is None or iv.start >= latest.start):
            latest = iv
    if latest is None:
        return "applied" if applied else "lead"
    _actions, cycle = interview_actions(facts, latest.id, ctx.now, ctx.config.playbook)
    return cycle.status(ctx.now).value


def move(ctx: Context, application_id: int, stage: str | None) -> Json:
    """Place an application on `stage` now (None: where its facts put it). Moved to
    `applied` with no applied day, it was applied today (the user's zone). Moved to the
    stage its facts give, it follows its facts again. Returns `{"id", "stage", "placed",
    "applied_on"}`."""
    if stage is not None and stage not in STAGES:
        raise BadInput("stage", f"expected one of {', '.join(STAGES)}")
    found = appstore.record(ctx.db, ctx.account, application_id)
    if found is None:
        raise NotFound(f"application {application_id}: no such application")
    applied_on = found["applied_on"]
    if stage == "applied" and applied_on is None:
        applied_on = ctx.now.astimezone(zone(ctx.user_tz)).date().isoformat()
    own = stage_of(status_now(ctx, application_id, applied_on is not None))
    stage = stage or own
    with ctx.db.transaction():
        if applied_on != found["applied_on"]:
            leadstore.set_applied(ctx.db, ctx.account, application_id, applied_on)
        placed = stage != own
        if placed or found["stage"] is not None:
            appstore.set_stage(
                ctx.db, ctx.account, application_id, stage if placed else None, ctx.now
            )
    return {"id": application_id, "stage": stage, "placed": placed, "applied_on": applied_on}


def save_notes(ctx: Context, application_id: int, notes: str | None) -> None:
    """Keep the user's notes on an application (empty: none)."""
    text = check_text(notes or "", "notes", limit=MAX_TEXT, empty=True).strip() or None
    with ctx.db.transaction():
        if not appstore.set_notes(ctx.db, ctx.account, application_id, text):
            raise NotFound(f"application {application_id}: no such application")
