"""Reading a long list's address (search text, choices, days, page number) and cutting
the list into pages: shared by the Interviews and Applications pages and their JSON twins.

Every reader raises `BadInput` naming the parameter and what it accepts.
"""

from collections.abc import Sequence
from typing import NamedTuple, TypeVar

from afterview.errors import BadInput
from afterview.parsing import parse_date
from afterview.textcheck import check_line

T = TypeVar("T")

#: The longest search text or name a list accepts.
MAX_SEARCH = 200
#: The last page number a list accepts (far beyond any list: the last page is shown).
MAX_PAGE = 999_999


def search_text(value: str | None, field: str = "q") -> str:
    """A search text (one line of at most `MAX_SEARCH` characters), stripped; "" for none."""
    if not value or not value.strip():
        return ""
    return check_line(value, field, limit=MAX_SEARCH).strip()


def one_of(value: str | None, field: str, options: Sequence[str]) -> str:
    """One of `options`, or "" when not given."""
    if not value:
        return ""
    if value not in options:
        raise BadInput(field, f"expected one of {', '.join(options)}")
    return value


def day(value: str | None, field: str) -> str:
    """A day as YYYY-MM-DD (1990 to 2100), or "" when not given."""
    if not value:
        return ""
    return parse_date(value, field).isoformat()


def page_number(value: str | None, field: str = "page") -> int:
    """A page number from 1 (ASCII digits only); 1 when not given."""
    if value is None or value == "":
        return 1
    if not (value.isascii() and value.isdigit() and len(value) <= 6 and int(value) >= 1):
        raise BadInput(field, "expected a page number from 1")
    return min(int(value), MAX_PAGE)


class Page(NamedTuple):
    """One page of a list: its items, its number (1..pages), the number of pages, and the
    position of its first item in the whole list (from 1)."""

    items: list[object]
    page: int
    pages: int
    first: int


def page_of(items: Sequence[T], page: int, size: int) -> Page:
    """Page `page` of `items`, `size` a page; a page past the end is the last page."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 1), pages)
    start = (page - 1) * size
    return Page(list(items[start : start + size]), page, pages, start + 1)
