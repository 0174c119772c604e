"""The public job boards of three applicant tracking systems, as leads.

- Greenhouse: `GET https://boards-api.greenhouse.io/v1/boards/{token}/jobs?content=true`
  (one response holds the board);
- Lever: `GET https://api.lever.co/v0/postings/{site}?mode=json&skip=N&limit=K` (pages of
  K until a short one; `lever-eu:` uses `api.eu.lever.co`);
- Ashby: `GET https://api.ashbyhq.com/posting-api/job-board/{name}?includeCompensation=true`.

Field mapping and the shapes: tests/sources/boards/README.md. The hosts can be pointed
elsewhere with `AFTERVIEW_BOARDS_BASE_URL` (the tests' local server).

Every value passes `afterview.textcheck` as a posting page's do (`sources/jobposting.py`):
a job whose title or company is not one plain line is left out, a place, link or
currency that is not is left empty, and a salary outside 0..10^12 too, each with a note
naming the job (`jobs[3]`, `page 2, [5]`).
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
from afterview.sources.jobposting import MAX_SALARY, Posting, Unusable, join_places, valid_day
from afterview.textcheck import check_line, shown

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


class _Job:
    """The place of one job in the answer, and the notes about it."""

    def __init__(self, where: str, notes: list[str]) -> None:
        self.where = where
        self.notes = notes

    def text(self, value: Any, field: str, limit: int = 200) -> str | None:
        """One line (entities decoded, white space made one space) or `Unusable`."""
        if not isinstance(value, str):
            return None
        cleaned = _SPACE.sub(" ", html.unescape(value)).strip()
        try:
            return check_line(cleaned, field, limit=limit, empty=True) or None
        except BadInput as exc:
            raise Unusable(exc.field, exc.problem) from None

    def optional(self, value: Any, field: str, limit: int = 200) -> str | None:
        """`text`, or None with a note when it is refused."""
        try:
            return self.text(value, field, limit)
        except Unusable as exc:
            self.notes.append(f"{self.where}: {exc}; left empty")
            return None

    def url(self, value: Any, field: str) -> str | None:
        text = self.optional(value, field, 2000)
        return text if text and text.lower().startswith(("https://", "http://")) else None

    def number(self, value: Any, field: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if 0 <= number <= MAX_SALARY:
            return number
        self.notes.append(
            f"{self.where}: {field} {shown(str(value), 30)} is not a salary; left empty"
        )
        return None

    def joined(self, values: list[Any], field: str) -> str | None:
        return join_places(t for t in (self.optional(v, field) for v in values) if t)


def _day(value: Any) -> str | None:
    return valid_day(value[:10]) if isinstance(value, str) and len(value) >= 10 else None


def _decode(data: bytes, board: Board) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        raise BadInput("BOARD", f"{board.label}: the board did not answer with JSON") from None


def fetch_leads(
    board: Board,
    get: Callable[[str, int], bytes] | None = None,
    notes: list[str] | None = None,
) -> list[Posting]:
    """Every posting of a board (all pages), as leads; what was left out or left empty goes
    to `notes`."""
    if get is None:
        from afterview.sources.fetch import fetch

        def get(url: str, limit: int) -> bytes:
            return fetch(url, limit, "BOARD")

    said: list[str] = [] if notes is None else notes
    if board.kind == "greenhouse":
        url = (
            f"{_base('https://boards-api.greenhouse.io')}/v1/boards/{board.name}/jobs?content=true"
        )
        doc = _decode(get(url, MAX_BOARD), board)
        if not isinstance(doc, dict) or not isinstance(doc.get("jobs"), list):
            raise BadInput("BOARD", f"{board.label}: unexpected answer (no list of jobs)")
        return _each(doc["jobs"], "jobs", _greenhouse, board, said)
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
            out += _each(doc, f"page {page + 1}, ", _lever, board, said)
            if len(doc) < LEVER_PAGE:
                break
        return out
    url = f"{_base('https://api.ashbyhq.com')}/posting-api/job-board/{board.name}?includeCompensation=true"
    doc = _decode(get(url, MAX_BOARD), board)
    if not isinstance(doc, dict) or not isinstance(doc.get("jobs"), list):
        raise BadInput("BOARD", f"{board.label}: unexpected answer (no list of jobs)")
    return _each(doc["jobs"], "jobs", _ashby, board, said)


def _each(
    jobs: list[Any],
    prefix: str,
    read: Callable[[Any, Board, _Job], Posting | None],
    board: Board,
    notes: list[str],
) -> list[Posting]:
    """The jobs read by `read`; one whose title or company is refused is left out with a note."""
    out = []
    for i, job in enumerate(jobs):
        where = _Job(f"{board.label}: {prefix}[{i}]", notes)
        try:
            posting = read(job, board, where)
        except Unusable as exc:
            notes.append(f"{where.where}: {exc}; the posting was left out")
            continue
        if posting is not None:
            out.append(posting)
    return out


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


def _greenhouse(job: Any, board: Board, at: _Job) -> Posting | None:
    if not isinstance(job, dict):
        return None
    location = (
        at.optional((job.get("location") or {}).get("name"), "location")
        if isinstance(job.get("location"), dict)
        else None
    )
    first = job.get("first_published")
    return _posting(
        at.text(job.get("title"), "title"),
        at.text(job.get("company_name"), "company_name") or board.name,
        location,
        bool(location and _REMOTE.search(location)),
        at.url(job.get("absolute_url"), "absolute_url"),
        _day(first),
    )


def _lever(job: Any, board: Board, at: _Job) -> Posting | None:
    if not isinstance(job, dict):
        return None
    cats: dict[str, Any] = job["categories"] if isinstance(job.get("categories"), dict) else {}
    places: list[Any] = cats["allLocations"] if isinstance(cats.get("allLocations"), list) else []
    location = at.joined(places, "allLocations") or at.optional(cats.get("location"), "location")
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
            at.number(pay.get("min"), "min"),
            at.number(pay.get("max"), "max"),
            at.optional(pay.get("currency"), "currency", 10),
            _UNITS.get(str(pay.get("interval"))),
        )
        if pay
        else (None, None, None, None)
    )
    return _posting(
        at.text(job.get("text"), "text"),
        board.name,
        location,
        remote,
        at.url(job.get("hostedUrl"), "hostedUrl"),
        posted,
        salary,
    )


def _ashby(job: Any, board: Board, at: _Job) -> Posting | None:
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
        at.text(job.get("title"), "title"),
        board.name,
        at.joined(places, "location"),
        remote,
        at.url(job.get("jobUrl"), "jobUrl"),
        _day(published),
        _ashby_salary(job.get("compensation"), at),
    )


def _ashby_salary(comp: Any, at: _Job) -> tuple[float | None, float | None, str | None, str | None]:
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
                at.number(part.get("minValue"), "minValue"),
                at.number(part.get("maxValue"), "maxValue"),
                at.optional(part.get("currencyCode"), "currencyCode", 10),
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
