"""Job postings from a saved page: the schema.org `JobPosting` JSON-LD it carries.

Pages publish JSON-LD in many shapes: one object, an array, a `@graph`, an `ItemList`
of `ListItem`s, `@type` as a list, the organization as a string, one broken script
among good ones. Every `<script type="application/ld+json">` is read; a script that
is not valid JSON is noted and skipped. A page with no posting falls back to its
title and canonical address (`PageInfo`).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from afterview.errors import BadInput

#: the largest page read (saved pages of job sites are well under this)
MAX_PAGE = 5 * 1024 * 1024
MAX_POSTINGS = 500
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]+>")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


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


class PageInfo(NamedTuple):
    """What a page says of itself, for the fallback and the notes."""

    title: str | None
    url: str | None
    problems: tuple[str, ...]


def read_page(data: bytes, field: str = "FILE") -> tuple[list[Posting], PageInfo]:
    """Every JobPosting of a page, in page order, and the page's own title and address."""
    if len(data) > MAX_PAGE:
        raise BadInput(field, f"the page is over {MAX_PAGE // 1048576} MB; is it a job posting?")
    from selectolax.lexbor import LexborHTMLParser

    text = data.decode("utf-8", errors="replace")
    tree = LexborHTMLParser(text)
    canonical = _canonical(tree)
    problems: list[str] = []
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
            doc = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(f"JSON-LD block {n} is not valid JSON ({exc.msg}, line {exc.lineno})")
            continue
        except RecursionError:
            problems.append(f"JSON-LD block {n} is nested too deeply")
            continue
        nodes = dict(_nodes(doc))
        for item in _job_postings(doc):
            posting = _posting(item, canonical, nodes)
            if posting is not None and len(postings) < MAX_POSTINGS:
                postings.append(posting)
            elif posting is not None:
                problems.append(f"more than {MAX_POSTINGS} postings: the rest were left out")
                break
    return postings, PageInfo(_title(tree), canonical, tuple(problems))


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


def _job_postings(doc: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """The JobPosting objects of a JSON-LD document, wherever they sit."""
    if depth > 8:
        return
    if isinstance(doc, list):
        for item in doc:
            yield from _job_postings(item, depth + 1)
        return
    if not isinstance(doc, dict):
        return
    types = doc.get("@type")
    names = types if isinstance(types, list) else [types]
    if any(isinstance(t, str) and t.rsplit("/", 1)[-1] == "JobPosting" for t in names):
        yield doc
        return
    for key in ("@graph", "itemListElement", "item", "mainEntity"):
        if key in doc:
            yield from _job_postings(doc[key], depth + 1)


def clean(value: Any, limit: int = 300) -> str | None:
    """Plain one-line text: entities decoded (twice-encoded ones too), tags dropped."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    text = str(value)
    for _ in range(2):
        text = html.unescape(text)
    text = _SPACE.sub(" ", _TAG.sub(" ", text)).strip()
    text = "".join(c for c in text if c.isprintable())
    return text[:limit] or None


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        return clean(value.get("name"))
    if isinstance(value, list):
        return next((n for n in (_name(v) for v in value) if n), None)
    return clean(value)


def _place(value: Any) -> str | None:
    if isinstance(value, str):
        return clean(value)
    if not isinstance(value, dict):
        return None
    address = value.get("address", value)
    if isinstance(address, str):
        return clean(address)
    if not isinstance(address, dict):
        return None
    parts = [_name(address.get(k)) for k in ("addressLocality", "addressRegion", "addressCountry")]
    return ", ".join(p for p in parts if p) or None


def _location(value: Any) -> str | None:
    places = value if isinstance(value, list) else [value]
    found = [p for p in (_place(v) for v in places) if p]
    return "; ".join(found) or None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.replace(",", "").strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _salary(
    value: Any, currency_of_posting: Any
) -> tuple[float | None, float | None, str | None, str | None]:
    if isinstance(value, list):
        value = value[0] if value else None
    fallback = clean(currency_of_posting, 10)
    if not isinstance(value, dict):
        amount = _number(value)
        return amount, amount, (fallback if amount is not None else None), None
    currency = clean(value.get("currency"), 10) or fallback
    amount = value.get("value")
    unit = None
    if isinstance(amount, dict):
        unit = clean(amount.get("unitText"), 20)
        single = _number(amount.get("value"))
        low = _number(amount.get("minValue"))
        high = _number(amount.get("maxValue"))
        if single is not None:
            low = single if low is None else low
            high = single if high is None else high
    else:
        low = high = _number(amount)
    return low, high, currency, unit.upper() if unit else None


def _date(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    m = _DATE.match(value.strip())
    return valid_day(m.group(1)) if m else None


def valid_day(text: str) -> str | None:
    """`YYYY-MM-DD` when it is a real date from 1990 to 2100, else None."""
    from datetime import date

    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return text if 1990 <= day.year <= 2100 else None


def _url(value: Any) -> str | None:
    text = clean(value, 2000)
    return text if text and text.lower().startswith(("https://", "http://")) else None


def _posting(
    item: dict[str, Any], canonical: str | None, nodes: dict[str, dict[str, Any]]
) -> Posting | None:
    title = clean(item.get("title")) or clean(item.get("name"))
    if not title:
        return None
    low, high, currency, unit = _salary(
        item.get("baseSalary") or item.get("estimatedSalary"), item.get("salaryCurrency")
    )
    org = item.get("hiringOrganization")
    if isinstance(org, dict) and set(org) <= {"@id", "@type"} and org.get("@id") in nodes:
        org = nodes[org["@id"]]
    kinds = item.get("jobLocationType")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return Posting(
        title=title,
        company=_name(org),
        location=_location(item.get("jobLocation")),
        remote=any(isinstance(k, str) and k.strip().upper() == "TELECOMMUTE" for k in kinds),
        salary_min=low,
        salary_max=high,
        salary_currency=currency,
        salary_unit=unit,
        posted_on=_date(item.get("datePosted")),
        valid_through=_date(item.get("validThrough")),
        url=_url(item.get("url")) or canonical,
    )


def _canonical(tree: Any) -> str | None:
    for node in tree.css("link"):
        rel = (node.attributes.get("rel") or "").lower().split()
        if "canonical" in rel:
            return _url(node.attributes.get("href"))
    for node in tree.css("meta"):
        if (node.attributes.get("property") or "").lower() == "og:url":
            return _url(node.attributes.get("content"))
    return None


def _title(tree: Any) -> str | None:
    for node in tree.css("meta"):
        if (node.attributes.get("property") or "").lower() == "og:title":
            found = clean(node.attributes.get("content"))
            if found:
                return found
    node = tree.css_first("title")
    return clean(node.text()) if node is not None else None
