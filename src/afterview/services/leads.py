"""Practice 3: leads. A posting page (a file or an address) becomes applications in
status `lead`, deduplicated against what is tracked; `apply` marks one applied."""

from __future__ import annotations

from typing import Any, NamedTuple
from urllib.parse import urlsplit

from afterview.errors import BadInput, NotFound
from afterview.parsing import check_line, parse_date
from afterview.services.context import Context
from afterview.sources.jobposting import MAX_PAGE, Posting, read_page
from afterview.store import leads as store
from afterview.store import repo


class LeadResult(NamedTuple):
    """What became of one posting of the page."""

    application_id: int
    what: str  # added, already tracked
    posting: Posting


class PageReport(NamedTuple):
    """The leads of one page, and what the page itself said."""

    results: list[LeadResult]
    notes: list[str]


def read_source(source: str) -> tuple[bytes, str | None]:
    """The page's bytes and, when `source` is an address, that address."""
    if source.lower().startswith(("https://", "http://")):
        from afterview.sources.fetch import fetch

        return fetch(source, MAX_PAGE), source
    import os
    import stat

    try:
        with open(source, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise BadInput("FILE", f"{source} is not a regular file")
            data = fh.read(MAX_PAGE + 1)
    except OSError as exc:
        raise BadInput("FILE", f"cannot read {source}: {exc.strerror}") from None
    return data, None


def add_leads(
    ctx: Context,
    data: bytes,
    *,
    address: str | None = None,
    company: str | None = None,
    title: str | None = None,
) -> PageReport:
    """Record every JobPosting of a page as a lead (one transaction); without any, the
    page's title and address, with a note. `company` and `title` fill what is missing."""
    given_company = check_line(company, "--company", limit=200) if company is not None else None
    given_title = check_line(title, "--title", limit=200) if title is not None else None
    postings, page = read_page(data)
    notes = list(page.problems)
    if not postings and page.left_out:
        first = page.left_out[0]
        more = len(page.left_out) - 1
        also = f"; {more} more posting{'s' if more > 1 else ''} left out too" if more else ""
        raise BadInput(first.field, f"{first.problem} ({first.where}){also}")
    if not postings:
        fallback_title = given_title or page.title
        url = page.url or address
        name = given_company or _host(url)
        if not fallback_title or not name:
            raise BadInput(
                "FILE",
                "no job posting (schema.org JobPosting) on this page; "
                "give --company and --title to record it anyway",
            )
        notes.append(
            "no job posting data (JSON-LD) on this page: recorded its title and address only"
        )
        postings = [
            Posting(fallback_title, name, None, False, None, None, None, None, None, None, url)
        ]
    source = "url" if address else "file"
    fixed = []
    for n, p in enumerate(postings, 1):
        name = p.company or given_company  # the page's values are checked by the reader
        if not name:
            raise BadInput("--company", f"posting {n} names no company; give --company")
        fixed.append(p._replace(company=name, url=p.url or address))
    results = record(ctx, fixed, source)
    return PageReport(results, notes)


def _host(url: str | None) -> str | None:
    try:
        return urlsplit(url).hostname if url else None
    except ValueError:  # "http://[::1": not an address after all
        return None


def record(ctx: Context, postings: list[Posting], source: str) -> list[LeadResult]:
    """Record postings as leads in one transaction, skipping those already tracked (the
    same address, else the same company and title, ignoring case)."""
    results: list[LeadResult] = []
    with ctx.db.transaction():
        for p in postings:
            existing = store.find_by_url(ctx.db, ctx.account, p.url) if p.url else None
            if existing is None:
                existing = store.find_by_name(ctx.db, ctx.account, p.company or "", p.title, p.url)
            if existing is not None:
                results.append(LeadResult(existing, "already tracked", p))
                continue
            app_id = repo.add_application(
                ctx.db, ctx.account, p.company or "", p.title, None, p.url, ctx.now
            )
            store.save_detail(ctx.db, app_id, {**p._asdict(), "source": source})
            results.append(LeadResult(app_id, "added", p))
    return results


def board_leads(
    ctx: Context, board_text: str, words: str | None = None, location: str | None = None
) -> PageReport:
    """The postings of a public ATS board that match, recorded as leads, and the notes on
    what was left out or left empty."""
    from afterview.sources.boards import fetch_leads, matches, parse_board

    board = parse_board(board_text)
    notes: list[str] = []
    postings = fetch_leads(board, notes=notes)
    left_out = [n for n in notes if n.endswith("the posting was left out")]
    if not postings and left_out:
        more = f" ({len(left_out) - 1} more left out too)" if len(left_out) > 1 else ""
        raise BadInput("BOARD", f"no usable posting: {left_out[0]}{more}")
    found = [p for p in postings if matches(p, words, location)]
    return PageReport(record(ctx, found, board.kind.removesuffix("-eu")), notes)


def apply(ctx: Context, application_id: int, on: str | None = None) -> str:
    """Mark an application (a lead) as applied on `on` (default: today in the user's zone)."""
    from afterview.core.timeutil import zone

    day = (
        _plausible(parse_date(on, "--on").isoformat())
        if on is not None
        else ctx.now.astimezone(zone(ctx.user_tz)).date().isoformat()
    )
    with ctx.db.transaction():
        if not store.set_applied(ctx.db, ctx.account, application_id, day):
            raise NotFound(
                f"application {application_id}: no such application "
                "(see `afterview application list`)"
            )
    return day


def _plausible(day: str) -> str:
    from afterview.sources.jobposting import valid_day

    if valid_day(day) is None:
        raise BadInput("--on", f"expected a day from 1990 to 2100, got {day}")
    return day


def as_json(r: LeadResult) -> dict[str, Any]:
    """One result for `--json`."""
    return {"id": r.application_id, "result": r.what, **r.posting._asdict()}
