"""Practice 3: leads. A posting page (a file or an address) becomes applications in
status `lead`, deduplicated against what is tracked; `apply` marks one applied.

The web app reads a page in two steps: `read_address` fetches it and says what it
found (nothing stored), then `save_lead` keeps the posting the user confirmed, every
value checked again (`check_posting`), as they may have been edited."""

from __future__ import annotations

import re
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from afterview.errors import BadInput, NotFound, Refused
from afterview.parsing import check_line, parse_date, shown
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
    given_company = check_line(company, "company", limit=200) if company is not None else None
    given_title = check_line(title, "title", limit=200) if title is not None else None
    postings, page = read_page(data)
    notes = list(page.problems)
    if not postings and page.left_out:
        first = page.left_out[0]
        more = len(page.left_out) - 1
        also = f"; {more} more posting{'s' if more > 1 else ''} left out too" if more else ""
        raise BadInput(f"posting {first.field}", f"{first.problem} ({first.where}){also}")
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
            raise BadInput("company", f"posting {n} names no company; give --company")
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
        _plausible(parse_date(on, "on").isoformat())
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


def apply_lead(ctx: Context, application_id: int) -> str:
    """Mark a lead applied today (in the user's zone); refused when it already is, so a
    second click or an old page never moves the day it was applied."""
    with ctx.db.transaction():
        known, day = store.applied_day(ctx.db, ctx.account, application_id)
        if not known:
            raise NotFound(f"application {application_id}: no such application")
        if day is not None:
            raise Refused(f"already marked applied on {day}")
        return apply(ctx, application_id)


def _plausible(day: str) -> str:
    from afterview.sources.jobposting import valid_day

    if valid_day(day) is None:
        raise BadInput("on", f"expected a day from 1990 to 2100, got {day}")
    return day


#: the longest address a lead keeps (and the web app reads)
MAX_ADDRESS = 2000
#: the units a salary is usually given per (schema.org's unitText)
SALARY_UNITS = ("HOUR", "DAY", "WEEK", "MONTH", "YEAR")


class Preview(NamedTuple):
    """What a page says, before anything is stored: its postings (one made of its title
    and address when it carries no posting data: `found` is False then) and the notes."""

    postings: list[Posting]
    notes: list[str]
    found: bool


def check_address(url: str, field: str = "url") -> str:
    """`url` if it is a web address (http or https, a host, no user name or password, one
    line of at most `MAX_ADDRESS` characters); else `BadInput` naming `field`."""
    text = check_line(url, field, limit=MAX_ADDRESS)
    if not text.lower().startswith(("https://", "http://")):
        raise BadInput(field, f"expected an http:// or https:// address, got {shown(text, 40)}")
    if any(c.isspace() for c in text):
        raise BadInput(field, "an address holds no spaces")
    try:
        parts = urlsplit(text)
        host, _port = parts.hostname, parts.port
    except ValueError:
        raise BadInput(field, f"not a web address: {shown(text, 40)}") from None
    if not host:
        raise BadInput(field, "the address names no host")
    if parts.username is not None or parts.password is not None:
        raise BadInput(field, "an address with a user name or password is not kept")
    return text


def read_address(url: str, company: str | None = None, title: str | None = None) -> Preview:
    """Fetch the page at `url` (as `lead add` does: http(s) only, at most 5 MB, timeouts,
    web-only redirects) and say what it holds; nothing is stored."""
    from afterview.sources.fetch import fetch

    address = check_address(url)
    return preview(fetch(address, MAX_PAGE, "url"), address, company, title)


def preview(
    data: bytes, address: str | None, company: str | None = None, title: str | None = None
) -> Preview:
    """The postings of a page, `company` and `title` filling what it does not say; a page
    without posting data gives one made of its title and address."""
    postings, page = read_page(data, "url")
    notes = list(page.problems)
    if postings:
        found = [p._replace(company=p.company or company, url=p.url or address) for p in postings]
        return Preview(found, notes, True)
    notes.append("no job posting data (JSON-LD) on this page: check the role and the company")
    url = page.url or address
    fallback = Posting(
        title or page.title or "", company or _host(url), None, False, None, None, None, None,
        None, None, url,
    )  # fmt: skip
    return Preview([fallback], notes, False)


def check_posting(
    *,
    title: str,
    company: str,
    url: str | None = None,
    location: str | None = None,
    remote: bool = False,
    salary_min: float | None = None,
    salary_max: float | None = None,
    salary_currency: str | None = None,
    salary_unit: str | None = None,
    posted_on: str | None = None,
    valid_through: str | None = None,
) -> Posting:
    """A posting the user confirmed (or sent to the API), every value checked as the page
    reader checks it; the first value refused raises `BadInput` naming its field."""
    import math

    from afterview.sources.jobposting import MAX_SALARY

    def day(value: str | None, field: str) -> str | None:
        if value is None or not value.strip():
            return None
        text = value.strip()
        if _plausible_day(text) is None:
            raise BadInput(
                field, f"expected a day (YYYY-MM-DD) from 1990 to 2100, got {shown(text, 20)}"
            )
        return text

    def amount(value: float | None, field: str) -> float | None:
        if value is None:
            return None
        if math.isnan(value) or not 0 <= value <= MAX_SALARY:
            raise BadInput(field, "expected an amount from 0 to 10^12")
        return float(value)

    low, high = amount(salary_min, "salary_min"), amount(salary_max, "salary_max")
    if low is not None and high is not None and low > high:
        raise BadInput("salary_max", "expected at least the minimum")
    unit = _optional_line(salary_unit, "salary_unit", 20)
    if unit is not None and not re.fullmatch(r"[A-Za-z_]{1,20}", unit):
        raise BadInput("salary_unit", f"expected a word such as {', '.join(SALARY_UNITS)}")
    return Posting(
        title=check_line(title, "role", limit=200),
        company=check_line(company, "company", limit=200),
        location=_optional_line(location, "location", 1000),
        remote=bool(remote),
        salary_min=low,
        salary_max=high,
        salary_currency=_optional_line(salary_currency, "salary_currency", 10),
        salary_unit=unit.upper() if unit else None,
        posted_on=day(posted_on, "posted_on"),
        valid_through=day(valid_through, "valid_through"),
        url=check_address(url) if url is not None and url.strip() else None,
    )


def _optional_line(value: str | None, field: str, limit: int) -> str | None:
    """An optional one-line value: None when absent or blank, else checked."""
    if value is None:
        return None
    return check_line(value, field, limit=limit, empty=True) or None


def _plausible_day(text: str) -> str | None:
    from afterview.sources.jobposting import valid_day

    return valid_day(text) if len(text) == 10 else None


def save_lead(ctx: Context, posting: Posting, source: str) -> LeadResult:
    """Keep one posting the user confirmed as a lead (or say it is already tracked)."""
    return record(ctx, [posting], source)[0]


def as_json(r: LeadResult) -> dict[str, Any]:
    """One result for `--json`."""
    return {"id": r.application_id, "result": r.what, **r.posting._asdict()}
