"""Reading one object of an export document, field by field, with the CLI's own checks.

Every value goes through the rule its command applies (`textcheck` for text,
`parsing` for dates, moments, zones and addresses, `daterange` through them), and
every refusal names its place in the document: `import interviews[3].tz: ...`.
A key that may be null, a list or a true/false may be left out: it reads as null,
empty or false. A key the format does not have is refused (a misspelt optional
key would otherwise be dropped without a word).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from afterview.errors import BadInput
from afterview.parsing import check_zone, parse_date, parse_datetime, parse_person
from afterview.store.codec import put_dt
from afterview.textcheck import check_line, check_text, shown

#: The largest whole number SQLite and PostgreSQL (BIGINT) hold.
MAX_INTEGER = 2**63 - 1
# A moment of the export: a datetime with its offset (Z or ±HH:MM), ASCII digits only
_OFFSET = re.compile(
    r".*[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:?[0-9]{2})"
)


class Unreadable:
    """A JSON value that is no value here: `NaN`, `Infinity`, or a number too long to be one.

    `json.loads` accepts them; the document keeps this stand-in so that the field
    holding it is refused with its place, like any value of the wrong type.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return shown(self.text, 30)


def _int(text: str) -> int | Unreadable:
    return int(text) if len(text) <= 20 else Unreadable(text)


def _float(text: str) -> float | Unreadable:
    value = float(text)
    return value if math.isfinite(value) and len(text) <= 40 else Unreadable(text)


def no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise BadInput("import", f"the key {shown(key)} appears twice in one object")
        out[key] = value
    return out


def decoder() -> json.JSONDecoder:
    """The JSON decoder of an export: NaN, Infinity and overlong numbers are kept as
    `Unreadable`, and an object with a key twice is refused (JSON would keep the last
    one silently)."""
    return json.JSONDecoder(
        parse_constant=Unreadable,
        parse_int=_int,
        parse_float=_float,
        object_pairs_hook=no_repeats,
    )


def checked_line(value: str, place: str, limit: int, empty: bool) -> str:
    """`value` if `check_line` takes it, kept as written: spaces around it stay (so that
    an export imports byte for byte), but no control character anywhere."""
    if check_line(value, place, limit=limit, empty=empty) != value:
        _within(value, place, limit)
        check_line(f".{value}.", place, limit=limit + 2)  # only spaces at its ends
    return value


def checked_text(value: str, place: str, limit: int, empty: bool) -> str:
    """`value` if `check_text` takes it, kept as written but for its line ends (CR LF and
    CR become LF), with no control character anywhere."""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if check_text(text, place, limit=limit, empty=empty) != text:
        _within(text, place, limit)
        check_text(f".{text}.", place, limit=limit + 2)  # only spaces at its ends
    return text


def _within(value: str, place: str, limit: int) -> None:
    if len(value) > limit:
        raise BadInput(place, f"expected at most {limit} characters, got {len(value)}")


def kind_of(value: Any) -> str:
    """How a value of the wrong type is named in a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Unreadable):
        return repr(value)
    if isinstance(value, str):
        return f"the text {shown(value, 40)}"
    if isinstance(value, int | float):
        return f"the number {shown(str(value), 40)}"
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, dict) else type(value).__name__


class Obj:
    """One object of the document: its keys read with checks, refusals with its place."""

    def __init__(self, value: Any, where: str, keys: tuple[str, ...]) -> None:
        if not isinstance(value, dict):
            raise BadInput(f"import {where}", f"expected an object, got {kind_of(value)}")
        self.value = value
        self.where = where
        for key in value:
            if key not in keys:
                raise BadInput(
                    self.place("").rstrip("."), f"no field {shown(key)} in this format version"
                )

    def place(self, key: str) -> str:
        """`import <where>.<key>`: the field's name in messages."""
        return f"import {self.where}.{key}"

    def fail(self, key: str, problem: str) -> BadInput:
        """A refusal of `key` naming its place."""
        return BadInput(self.place(key), problem)

    def raw(self, key: str, optional: bool) -> Any:
        """The value of `key`; a missing or null optional key is None."""
        if key not in self.value:
            if optional:
                return None
            raise self.fail(key, "missing")
        v = self.value[key]
        if v is None and not optional:
            raise self.fail(key, "expected a value, got null")
        return v

    def _str(self, key: str, optional: bool) -> str | None:
        v = self.raw(key, optional)
        if v is not None and not isinstance(v, str):
            raise self.fail(key, f"expected text, got {kind_of(v)}")
        return v

    def line(self, key: str, limit: int, optional: bool = False) -> str | None:
        """One line of text (`checked_line`); an optional one may be empty."""
        v = self._str(key, optional)
        return None if v is None else checked_line(v, self.place(key), limit, optional)

    def text(self, key: str, limit: int, optional: bool = False) -> str | None:
        """Text of several lines (`checked_text`); an optional one may be empty."""
        v = self._str(key, optional)
        return None if v is None else checked_text(v, self.place(key), limit, optional)

    def moment(self, key: str, optional: bool = False) -> str | None:
        """An ISO 8601 datetime with its offset, stored in UTC (years 1990 to 2100)."""
        v = self.line(key, 40, optional)
        if v is None:
            return None
        if not _OFFSET.fullmatch(v):
            raise self.fail(
                key, f"expected an ISO 8601 datetime with its offset (…+00:00), got {shown(v)}"
            )
        return put_dt(parse_datetime(v, "UTC", self.place(key)))

    def day(self, key: str, optional: bool = False) -> str | None:
        """A date as YYYY-MM-DD (years 1990 to 2100)."""
        v = self.line(key, 10, optional)
        return None if v is None else parse_date(v, self.place(key)).isoformat()

    def zone(self, key: str) -> str:
        """An IANA zone name tzdata knows."""
        v = self._str(key, False)
        assert v is not None
        return check_zone(v, self.place(key))

    def email(self, key: str, optional: bool = False) -> str | None:
        """One e-mail address, read as `--interviewer` reads one."""
        v = self.line(key, 300, optional)
        if v is None:
            return None
        _name, address = parse_person(v, self.place(key))
        if address != v:
            raise self.fail(key, f"expected an e-mail address, got {shown(v)}")
        return address

    def integer(self, key: str, low: int, high: int, optional: bool = False) -> int | None:
        """A whole number from `low` to `high`."""
        v = self.raw(key, optional)
        if v is None:
            return None
        if not isinstance(v, int) or isinstance(v, bool) or not low <= v <= high:
            raise self.fail(key, f"expected a whole number from {low} to {high}, got {kind_of(v)}")
        return v

    def ident(self, key: str, optional: bool = False) -> int | None:
        """A record id: a whole number from 1 (it must fit a 64-bit integer)."""
        return self.integer(key, 1, MAX_INTEGER, optional)

    def number(self, key: str, limit: float, optional: bool = True) -> float | None:
        """A finite number from -`limit` to `limit`."""
        v = self.raw(key, optional)
        if v is None:
            return None
        if (
            not isinstance(v, int | float)
            or isinstance(v, bool)
            or not math.isfinite(v)
            or abs(v) > limit
        ):
            raise self.fail(
                key, f"expected a number from {-limit:g} to {limit:g}, got {kind_of(v)}"
            )
        return float(v)

    def flag(self, key: str, default: bool = False) -> bool:
        """true or false (left out or null: `default`)."""
        v = self.raw(key, True)
        if v is None:
            return default
        if not isinstance(v, bool):
            raise self.fail(key, f"expected true or false, got {kind_of(v)}")
        return v

    def choice(self, key: str, options: tuple[str, ...], optional: bool = False) -> str | None:
        """One of `options`."""
        v = self.raw(key, optional)
        if v is None:
            return None
        if not isinstance(v, str) or v not in options:
            raise self.fail(key, f"expected one of {', '.join(options)}, got {kind_of(v)}")
        return v

    def items(self, key: str, limit: int = 1_000_000) -> list[Any]:
        """A list (left out: empty) of at most `limit` items."""
        v = self.raw(key, True)
        if v is None:
            return []
        if not isinstance(v, list):
            raise self.fail(key, f"expected a list, got {kind_of(v)}")
        if len(v) > limit:
            raise self.fail(key, f"expected at most {limit} items, got {len(v)}")
        return v

    def lines(self, key: str, limit: int, count: int) -> list[str]:
        """A list (left out: empty) of at most `count` lines of text."""
        out = []
        for n, v in enumerate(self.items(key, count)):
            place = f"{self.place(key)}[{n}]"
            if not isinstance(v, str):
                raise BadInput(place, f"expected text, got {kind_of(v)}")
            out.append(checked_line(v, place, limit, False))
        return out

    def objects(self, key: str, keys: tuple[str, ...], limit: int = 1_000_000) -> list[Obj]:
        """A list of objects with `keys` (left out: empty)."""
        return [
            Obj(x, f"{self.where}.{key}[{n}]", keys) for n, x in enumerate(self.items(key, limit))
        ]

    def child(self, key: str, keys: tuple[str, ...]) -> Obj | None:
        """An object with `keys`, or None when null or left out."""
        v = self.raw(key, True)
        return None if v is None else Obj(v, f"{self.where}.{key}", keys)
