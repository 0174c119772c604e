"""Job postings from a saved page: the schema.org `JobPosting` JSON-LD it carries.

Pages publish JSON-LD in many shapes: one object, an array, a `@graph`, an `ItemList`
of `ListItem`s, `@type` as a list, the organization as a string, one broken script
among good ones. Every `<script type="application/ld+json">` is read, raw line breaks
inside its strings too (common on real job sites; strict JSON refuses them); a script
that is still not JSON is noted and skipped. A page with no posting falls back to its
title and canonical address (`PageInfo`).

Every value that comes out passes `afterview.textcheck` (after HTML's own rules:
entities decoded, tags dropped, runs of white space made one space): a posting whose
title or company is not one plain line is left out, and a place, link, currency or
unit that is not is left empty, each with a note naming where it was (`JSON-LD block
2, $.itemListElement[0].item`). Dates outside 1990-2100 and salaries outside
0..10^12 are left empty with a note too, never written.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from afterview.daterange import FIRST_YEAR, LAST_YEAR
from afterview.errors import BadInput
from afterview.textcheck import check_line, shown

#: the largest page read (saved pages of job sites are well under this)
MAX_PAGE = 5 * 1024 * 1024
MAX_POSTINGS = 500
MAX_SALARY = 1e12  # per unit, in any currency: more is a typo or a trap, not a salary
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]+>")
_DATE = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})")
_KEY = re.compile(r"[A-Za-z_@$][A-Za-z0-9_@$]*")


class Posting(NamedTuple):
    """One job posting, in plain values."""

    title: str
    company: str | None
    location: str | None
    remote: bool
    salary_min: float | None
    salary_max: float | None
    salary_currency: str | None
    salary_unit: str | None
    posted_on: str | None
    valid_through: str | None
    url: str | None


class LeftOut(NamedTuple):
    """A posting found but not usable: its title or company is not one plain line."""

    field: str
    problem: str
    where: str  # JSON-LD block n, JSON path


class PageInfo(NamedTuple):
    """What a page says of itself, for the fallback and the notes (`problems`: a broken
    block, a value left empty, a posting left out)."""

    title: str | None
    url: str | None
    problems: tuple[str, ...]
    left_out: tuple[LeftOut, ...] = ()


class Unusable(Exception):
    """A value of a posting that textcheck refused."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def read_page(data: bytes, field: str = "FILE") -> tuple[list[Posting], PageInfo]:
    """Every JobPosting of a page, in page order, and the page's own title and address."""
    if len(data) > MAX_PAGE:
        raise BadInput(field, f"the page is over {MAX_PAGE // 1048576} MB; is it a job posting?")
    from selectolax.lexbor import LexborHTMLParser

    text = decode_page(data)
    tree = LexborHTMLParser(text)
    problems: list[str] = []
    left_out: list[LeftOut] = []
    canonical = _canonical(tree, problems)
    postings: list[Posting] = []
    n = 0
    for node in tree.css("script"):
        kind = (node.attributes.get("type") or "").strip().lower()
        if kind != "application/ld+json":
            continue
        n += 1
        raw = (node.text() or "").strip()
        raw = raw.removeprefix("<!--").removesuffix("-->").strip()
        for start, end in (("//<![CDATA[", "//]]>"), ("/*<![CDATA[*/", "/*]]>*/")):
            raw = raw.removeprefix(start).removesuffix(end).strip()
        try:
            doc = json.loads(raw, strict=False)  # raw line breaks in strings, as sites write
        except json.JSONDecodeError as exc:
            problems.append(f"JSON-LD block {n} is not valid JSON ({exc.msg}, line {exc.lineno})")
            continue
        except RecursionError:
            problems.append(f"JSON-LD block {n} is nested too deeply")
            continue
        except ValueError:  # a number of thousands of digits
            problems.append(f"JSON-LD block {n} holds a number too long to read")
            continue
        nodes = dict(_nodes(doc))
        for path, item in _job_postings(doc, "$"):
            where = f"JSON-LD block {n}, {path}"
            notes: list[str] = []
            try:
                posting = _posting(item, canonical, nodes, where, notes)
            except Unusable as exc:
                left_out.append(LeftOut(exc.field, exc.problem, where))
                problems.append(f"{where}: {exc}; the posting was left out")
                continue
            if posting is None:
                continue
            if len(postings) >= MAX_POSTINGS:
                problems.append(f"more than {MAX_POSTINGS} postings: the rest were left out")
                break
            postings.append(posting)
            problems += notes
    page = PageInfo(_title(tree, problems), canonical, tuple(problems), tuple(left_out))
    return postings, page


_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I
)


def decode_page(data: bytes) -> str:
    """A saved page's text: its byte-order mark; else UTF-8 when every byte is; else the
    charset its `<meta>` names; else Windows-1252 (what "ANSI" pages are)."""
    import codecs

    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:8192])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")


def _nodes(doc: Any, depth: int = 0) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every node of the document that has an `@id`, to follow links like
    `"hiringOrganization": {"@id": "#org"}` within a `@graph`."""
    if depth > 8:
        return
    if isinstance(doc, list):
        for item in doc:
            yield from _nodes(item, depth + 1)
    elif isinstance(doc, dict):
        if isinstance(doc.get("@id"), str) and len(doc) > 1:
            yield doc["@id"], doc
        for value in doc.values():
            if isinstance(value, dict | list):
                yield from _nodes(value, depth + 1)


def _step(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if _KEY.fullmatch(key) else f"{path}[{json.dumps(key)}]"


def _job_postings(doc: Any, path: str, depth: int = 0) -> Iterator[tuple[str, dict[str, Any]]]:
    """The JobPosting objects of a JSON-LD document, wherever they sit, with their path."""
    if depth > 8:
        return
    if isinstance(doc, list):
        for i, item in enumerate(doc):
            yield from _job_postings(item, _step(path, i), depth + 1)
        return
    if not isinstance(doc, dict):
        return
    types = doc.get("@type")
    names = types if isinstance(types, list) else [types]
    if any(isinstance(t, str) and t.rsplit("/", 1)[-1] == "JobPosting" for t in names):
        yield path, doc
        return
    for key in ("@graph", "itemListElement", "item", "mainEntity"):
        if key in doc:
            yield from _job_postings(doc[key], _step(path, key), depth + 1)


def clean(value: Any, limit: int = 300, field: str = "text") -> str | None:
    """One line of text as HTML shows it: entities decoded (twice-encoded ones too), tags
    dropped, runs of white space (line breaks too) made one space; then `check_line`:
    control characters, direction overrides, encoded line breaks and more than `limit`
    characters raise `Unusable` naming `field`."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    text = str(value)
    for _ in range(2):
        text = html.unescape(text)
    text = _SPACE.sub(" ", _TAG.sub(" ", text)).strip()
    try:
        return check_line(text, field, limit=limit, empty=True) or None
    except BadInput as exc:
        raise Unusable(exc.field, exc.problem) from None


def _optional(
    notes: list[str], where: str, read: Callable[..., str | None], *args: Any
) -> str | None:
    """`read(*args)`, or None with a note when a value it reads is refused."""
    try:
        return read(*args)
    except Unusable as exc:
        notes.append(f"{where}: {exc}; left empty")
        return None


def _name(value: Any, field: str, limit: int = 300) -> str | None:
    if isinstance(value, dict):
        return clean(value.get("name"), limit, field)
    if isinstance(value, list):
        return next((n for n in (_name(v, field, limit) for v in value) if n), None)
    return clean(value, limit, field)


def _place(value: Any) -> str | None:
    if isinstance(value, str):
        return clean(value, field="jobLocation")
    if not isinstance(value, dict):
        return None
    address = value.get("address", value)
    if isinstance(address, str):
        return clean(address, field="jobLocation")
    if not isinstance(address, dict):
        return None
    parts = [
        _name(address.get(k), "jobLocation")
        for k in ("addressLocality", "addressRegion", "addressCountry")
    ]
    return ", ".join(p for p in parts if p) or None


def _location(value: Any) -> str | None:
    """Every place of `jobLocation` (see `join_places`)."""
    places = value if isinstance(value, list) else [value]
    return join_places(p for p in (_place(v) for v in places[:MAX_POSTINGS]) if p)


def join_places(places: Iterable[str], limit: int = 1000) -> str | None:
    """Places joined with "; ", each once, up to `limit` characters ("; and N more" then)."""
    found = list(dict.fromkeys(places))
    kept: list[str] = []
    for i, place in enumerate(found):
        more = f"; and {len(found) - i} more"
        if len("; ".join([*kept, place])) + len(more) > limit:
            return "; ".join(kept) + more if kept else None
        kept.append(place)
    return "; ".join(kept) or None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an integer of hundreds of digits
            return math.inf
    elif isinstance(value, str):
        try:
            number = float(value.replace(",", "").strip())
        except ValueError:
            return None
    else:
        return None
    return number if not math.isnan(number) else None


def _amount(value: Any, what: str, notes: list[str], where: str) -> float | None:
    """A salary figure from 0 to `MAX_SALARY`; another (infinite, negative, huge) is left
    empty with a note."""
    number = _number(value)
    if number is None or 0 <= number <= MAX_SALARY:
        return number
    notes.append(f"{where}: {what} {shown(str(value), 30)} is not a salary; left empty")
    return None


def _salary(
    value: Any, currency_of_posting: Any, notes: list[str], where: str
) -> tuple[float | None, float | None, str | None, str | None]:
    if isinstance(value, list):
        value = value[0] if value else None
    fallback = _optional(notes, where, clean, currency_of_posting, 10, "salaryCurrency")
    if not isinstance(value, dict):
        amount = _amount(value, "baseSalary", notes, where)
        return amount, amount, (fallback if amount is not None else None), None
    currency = _optional(notes, where, clean, value.get("currency"), 10, "currency") or fallback
    amount = value.get("value")
    unit = None
    if isinstance(amount, dict):
        unit = _optional(notes, where, clean, amount.get("unitText"), 20, "unitText")
        single = _amount(amount.get("value"), "value", notes, where)
        low = _amount(amount.get("minValue"), "minValue", notes, where)
        high = _amount(amount.get("maxValue"), "maxValue", notes, where)
        if single is not None:
            low = single if low is None else low
            high = single if high is None else high
    else:
        low = high = _amount(amount, "value", notes, where)
    if low is not None and high is not None and low > high:
        notes.append(f"{where}: the salary's minimum is above its maximum; left empty")
        low = high = None
    return low, high, currency, unit.upper() if unit else None


def _date(value: Any, what: str, notes: list[str], where: str) -> str | None:
    """The day a date starts with, as written; one outside 1990..2100 ("9999-12-31" for
    "no end") is left empty with a note."""
    if not isinstance(value, str):
        return None
    m = _DATE.match(value.strip())
    if not m:
        return None
    day = valid_day(m.group(1))
    if day is None and _real_day(m.group(1)):
        notes.append(
            f"{where}: {what} {m.group(1)} is outside {FIRST_YEAR}-{LAST_YEAR}; left empty"
        )
    return day


def _real_day(text: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def valid_day(text: str) -> str | None:
    """`YYYY-MM-DD` when it is a real date from 1990 to 2100, else None."""
    from datetime import date

    from afterview.daterange import in_range

    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return text if in_range(day) else None


def _url(value: Any, field: str = "url") -> str | None:
    text = clean(value, 2000, field)
    return text if text and text.lower().startswith(("https://", "http://")) else None


def _posting(
    item: dict[str, Any],
    canonical: str | None,
    nodes: dict[str, dict[str, Any]],
    where: str,
    notes: list[str],
) -> Posting | None:
    """One posting; `Unusable` when its title or company is not one plain line."""
    title = clean(item.get("title"), 200, "title") or clean(item.get("name"), 200, "name")
    if not title:
        return None
    low, high, currency, unit = _salary(
        item.get("baseSalary") or item.get("estimatedSalary"),
        item.get("salaryCurrency"),
        notes,
        where,
    )
    org = item.get("hiringOrganization")
    if isinstance(org, dict) and set(org) <= {"@id", "@type"} and org.get("@id") in nodes:
        org = nodes[org["@id"]]
    kinds = item.get("jobLocationType")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return Posting(
        title=title,
        company=_name(org, "hiringOrganization", 200),
        location=_optional(notes, where, _location, item.get("jobLocation")),
        remote=any(isinstance(k, str) and k.strip().upper() == "TELECOMMUTE" for k in kinds),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_unit=unit,
        posted_on=_date(item.get("datePosted"), "datePosted", notes, where),
        valid_through=_date(item.get("validThrough"), "validThrough", notes, where),
        url=_optional(notes, where, _url, item.get("url")) or canonical,
    )


def _canonical(tree: Any, problems: list[str]) -> str | None:
    for node in tree.css("link"):
        rel = (node.attributes.get("rel") or "").lower().split()
        if "canonical" in rel:
            return _optional(problems, "the page", _url, node.attributes.get("href"), "canonical")
    for node in tree.css("meta"):
        if (node.attributes.get("property") or "").lower() == "og:url":
            return _optional(problems, "the page", _url, node.attributes.get("content"), "og:url")
    return None


def _title(tree: Any, problems: list[str]) -> str | None:
    for node in tree.css("meta"):
        if (node.attributes.get("property") or "").lower() == "og:title":
            found = _optional(
                problems, "the page", clean, node.attributes.get("content"), 200, "og:title"
            )
            if found:
                return found
    node = tree.css_first("title")
    if node is None:
        return None
    return _optional(problems, "the page", clean, node.text(), 200, "title")
