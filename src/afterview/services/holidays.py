"""Public holidays from the `holidays` package, cached per country and year.

The package takes a noticeable time to import, so the dates it gives are kept
in a small JSON file in the user's cache folder; the agenda reads that file.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from afterview import paths
from afterview.errors import BadInput


def _cache_file(country: str, subdivision: str | None) -> str:
    name = f"holidays-{country}-{subdivision or 'all'}.json".replace("/", "_")
    return os.path.join(paths.user_cache_dir(), name)


def holiday_dates(country: str, subdivision: str | None, years: Iterable[int]) -> frozenset[date]:
    """Return the public holidays of `country` (and `subdivision`) in `years`."""
    wanted = sorted(set(years))
    path = _cache_file(country, subdivision)
    cache: dict[str, list[str]] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            loaded = json.load(fh)
        if isinstance(loaded, dict):
            cache = loaded
    except (OSError, ValueError):
        cache = {}
    missing = [y for y in wanted if str(y) not in cache]
    if missing:
        for year, days in _compute(country, subdivision, missing).items():
            cache[str(year)] = days
        _save(path, cache)
    out: set[date] = set()
    for y in wanted:
        out.update(date.fromisoformat(d) for d in cache.get(str(y), []))
    return frozenset(out)


def _compute(country: str, subdivision: str | None, years: list[int]) -> dict[int, list[str]]:
    import holidays as hd

    known = hd.list_supported_countries()
    if country in known and subdivision and subdivision not in known[country]:
        raise BadInput(
            "config subdivision",
            f"{subdivision!r} is not a subdivision of {country} known to the holidays package",
        )
    try:
        table = hd.country_holidays(country, subdiv=subdivision, years=years)
    except NotImplementedError:
        raise BadInput(
            "config country", f"no public holidays known for {country!r}; use an ISO code like 'FR'"
        ) from None
    except (KeyError, ValueError) as exc:
        raise BadInput(
            "config subdivision", f"{subdivision!r} is not a subdivision of {country} ({exc})"
        ) from None
    out: dict[int, list[str]] = {y: [] for y in years}
    for day in sorted(table):
        if day.year in out:
            out[day.year].append(day.isoformat())
    return out


def _save(path: str, cache: dict[str, list[str]]) -> None:
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(cache, fh, sort_keys=True)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


_SMALL_WORDS = frozenset({"And", "Of", "The", "Da"})


@lru_cache(maxsize=1)
def countries() -> tuple[tuple[str, str], ...]:
    """The countries whose public holidays are known: `(ISO code, English name)`, by name.

    The names come from the holidays package's registry (`UnitedKingdom` reads "United
    Kingdom"); these codes are the ones a set-up form accepts.
    """
    from holidays.registry import COUNTRIES

    out = []
    for entry in COUNTRIES.values():
        words = re.findall(r"[A-Z]+(?![a-z])|[A-Z][a-z]*|[a-z]+", entry[0])
        name = " ".join(w.lower() if i and w in _SMALL_WORDS else w for i, w in enumerate(words))
        out.append((entry[1], name.replace("Mc ", "Mc")))
    return tuple(sorted(out, key=lambda c: c[1]))


def country_code(code: str) -> str | None:
    """The two-letter code of a country whose holidays are known, from its two- or
    three-letter ISO code (`fra` -> `FR`); None for any other text."""
    from holidays.registry import COUNTRIES

    wanted = code.strip().upper()
    for entry in COUNTRIES.values():
        if wanted in (entry[1], entry[2]):
            return str(entry[1])
    return None
