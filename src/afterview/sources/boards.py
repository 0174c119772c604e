"""The public job boards of three applicant tracking systems, as leads.

- Greenhouse: `GET https://boards-api.greenhouse.io/v1/boards/{token}/jobs?content=true`
  (one response holds the board);
- Lever: `GET https://api.lever.co/v0/postings/{site}?mode=json&skip=N&limit=K` (pages of
  K until a short one; `lever-eu:` uses `api.eu.lever.co`);
- Ashby: `GET https://api.ashbyhq.com/posting-api/job-board/{name}?includeCompensation=true`.

Field mapping and the shapes: tests/sources/boards/README.md. The hosts can be pointed
elsewhere with `AFTERVIEW_BOARDS_BASE_URL` (the tests' local server).
"""

from __future__ import annotations

import html
import json
import math
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from afterview.errors import BadInput
from afterview.sources.jobposting import Posting, valid_day

KINDS = ("greenhouse", "lever", "lever-eu", "ashby")
LEVER_PAGE = 100
MAX_BOARD = 20 * 1024 * 1024
MAX_PAGES = 50
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
_SPACE = re.compile(r"\s+")
_REMOTE = re.compile(r"\bremote\b", re.IGNORECASE)
_UNITS = {
    "per-year-salary": "YEAR",
    "per-month-salary": "MONTH",
    "per-week-salary": "WEEK",
    "per-day-wage": "DAY",
    "per-hour-wage": "HOUR",
    "1 YEAR": "YEAR",
    "1 MONTH": "MONTH",
    "1 WEEK": "WEEK",
    "1 DAY": "DAY",
    "1 HOUR": "HOUR",
}


class Board(NamedTuple):
    """A board the user named: `greenhouse:acme`."""

    kind: str
    name: str

    @property
    def label(self) -> str:
        """As the user wrote it."""
        return f"{self.kind}:{self.name}"


def parse_board(text: str) -> Board:
    """Read `greenhouse:TOKEN`, `lever:SITE`, `lever-eu:SITE` or `ashby:NAME`."""
    kind, _, name = text.strip().partition(":")
    kind = kind.lower()
    if kind not in KINDS or not _NAME.match(name):
        raise BadInput(
            "BOARD",
            f"expected greenhouse:TOKEN, lever:SITE, lever-eu:SITE or ashby:NAME, got {text[:60]!r}",
        )
    return Board(kind, name)


def _base(default: str) -> str:
    return os.environ.get("AFTERVIEW_BOARDS_BASE_URL", default).rstrip("/")


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = _SPACE.sub(" ", html.unescape(value)).strip()
    return "".join(c for c in cleaned if c.isprintable())[:200] or None


def _url(value: Any) -> str | None:
    text = _text(value)
    return text if text and text.lower().startswith(("https://", "http://")) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _day(value: Any) -> str | None:
    return valid_day(value[:10]) if isinstance(value, str) and len(value) >= 10 else None


def _joined(values: list[Any]) -> str | None:
    seen: list[str] = []
    for v in values:
        t = _text(v)
        if t and t not in seen:
            seen.append(t)
    return "; ".join(seen) or None


def _decode(data: bytes, board: Board) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        raise BadInput("BOARD", f"{board.label}: the board did not answer with JSON") from None


def fetch_leads(board: Board, get: Callable[[str, int], bytes] | None = None) -> list[Posting]:
    """Every posting of a board (all pages), as leads."""
    if get is None:
        from afterview.sources.fetch import fetch

        get = fetch
    if board.kind == "greenhouse":
        url = (
            f"{_base('https://boards-api.greenhouse.io')}/v1/boards/{board.name}/jobs?content=true"
        )
        doc = _decode(get(url, MAX_BOARD), board)
        if not isinstance(doc, dict) or not isinstance(doc.get("jobs"), list):
            raise BadInput("BOARD", f"{board.label}: unexpected answer (no list of jobs)")
        return [p for p in (_greenhouse(j, board) for j in doc["jobs"]) if p]
    if board.kind in ("lever", "lever-eu"):
        host = "https://api.eu.lever.co" if board.kind == "lever-eu" else "https://api.lever.co"
        out: list[Posting] = []
        for page in range(MAX_PAGES):
            url = (
                f"{_base(host)}/v0/postings/{board.name}?mode=json"
                f"&skip={page * LEVER_PAGE}&limit={LEVER_PAGE}"
            )
            doc = _decode(get(url, MAX_BOARD), board)
            if not isinstance(doc, list):
                raise BadInput("BOARD", f"{board.label}: unexpected answer (no list of postings)")
            out += [p for p in (_lever(j, board) for j in doc) if p]
            if len(doc) < LEVER_PAGE:
                break
        return out
    url = f"{_base('https://api.ashbyhq.com')}/posting-api/job-board/{board.name}?includeCompensation=true"
    doc = _decode(get(url, MAX_BOARD), board)
    if not isinstance(doc, dict) or not isinstance(doc.get("jobs"), list):
        raise BadInput("BOARD", f"{board.label}: unexpected answer (no list of jobs)")
    return [p for p in (_ashby(j, board) for j in doc["jobs"]) if p]


def _posting(
    title: str | None,
    company: str,
    location: str | None,
    remote: bool,
    url: str | None,
    posted_on: str | None,
    salary: tuple[float | None, float | None, str | None, str | None] = (None, None, None, None),
) -> Posting | None:
    if not title:
        return None
    low, high, currency, unit = salary
    return Posting(
        title, company, location, remote, low, high, currency, unit, posted_on, None, url
    )


def _greenhouse(job: Any, board: Board) -> Posting | None:
    if not isinstance(job, dict):
        return None
    location = (
        _text((job.get("location") or {}).get("name"))
        if isinstance(job.get("location"), dict)
        else None
    )
    first = job.get("first_published")
    return _posting(
        _text(job.get("title")),
        _text(job.get("company_name")) or board.name,
        location,
        bool(location and _REMOTE.search(location)),
        _url(job.get("absolute_url")),
        _day(first),
    )


def _lever(job: Any, board: Board) -> Posting | None:
    if not isinstance(job, dict):
        return None
    cats: dict[str, Any] = job["categories"] if isinstance(job.get("categories"), dict) else {}
    places: list[Any] = cats["allLocations"] if isinstance(cats.get("allLocations"), list) else []
    location = _joined(places) or _text(cats.get("location"))
    kind = job.get("workplaceType")
    if kind in ("remote", "hybrid", "on-site"):
        remote = kind == "remote"
    else:
        remote = bool(location and _REMOTE.search(location))
    created = job.get("createdAt")
    posted = None
    if isinstance(created, int | float) and not isinstance(created, bool) and created > 0:
        try:
            posted = valid_day(datetime.fromtimestamp(created / 1000, UTC).date().isoformat())
        except (OverflowError, OSError, ValueError):
            posted = None
    pay = job.get("salaryRange") if isinstance(job.get("salaryRange"), dict) else {}
    salary = (
        (
            _number(pay.get("min")),
            _number(pay.get("max")),
            _text(pay.get("currency")),
            _UNITS.get(str(pay.get("interval"))),
        )
        if pay
        else (None, None, None, None)
    )
    return _posting(
        _text(job.get("text")),
        board.name,
        location,
        remote,
        _url(job.get("hostedUrl")),
        posted,
        salary,
    )


def _ashby(job: Any, board: Board) -> Posting | None:
    if not isinstance(job, dict) or job.get("isListed") is False:
        return None
    places = [job.get("location")]
    for extra in job.get("secondaryLocations") or []:
        if isinstance(extra, dict):
            places.append(extra.get("location"))
    kind = job.get("workplaceType")
    remote = (
        kind == "Remote" if kind in ("OnSite", "Hybrid", "Remote") else bool(job.get("isRemote"))
    )
    published = job.get("publishedAt")
    return _posting(
        _text(job.get("title")),
        board.name,
        _joined(places),
        remote,
        _url(job.get("jobUrl")),
        _day(published),
        _ashby_salary(job.get("compensation")),
    )


def _ashby_salary(comp: Any) -> tuple[float | None, float | None, str | None, str | None]:
    if not isinstance(comp, dict):
        return None, None, None, None
    parts = comp.get("summaryComponents")
    if not isinstance(parts, list):
        tiers = comp.get("compensationTiers")
        first: dict[str, Any] = (
            tiers[0] if isinstance(tiers, list) and tiers and isinstance(tiers[0], dict) else {}
        )
        parts = first["components"] if isinstance(first.get("components"), list) else []
    for part in parts:
        if isinstance(part, dict) and part.get("compensationType") == "Salary":
            return (
                _number(part.get("minValue")),
                _number(part.get("maxValue")),
                _text(part.get("currencyCode")),
                _UNITS.get(str(part.get("interval"))),
            )
    return None, None, None, None


def matches(p: Posting, words: str | None, location: str | None) -> bool:
    """`--match`: every word in the title (case-insensitive); `--location`: a part of the
    location (case-insensitive)."""
    title = p.title.lower()
    if words and not all(w in title for w in words.lower().split()):
        return False
    return not location or location.lower() in (p.location or "").lower()
