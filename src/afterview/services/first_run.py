"""The first run: a short set-up (name, address, zone, holidays, weekly target) before an
empty Today.

A new user (an empty database and no config file) is asked five things once; what they
answer is written to `config.toml` through the checked path of `settings_edit`, after
each value is checked here under the name of its form field. Skipping writes a config
file with the defaults (a comment only), so the question is not asked again.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any

from afterview.config import Config
from afterview.errors import BadInput
from afterview.services.context import Context

#: The fields of the set-up form, in its order.
FIELDS = ("name", "email", "timezone", "country", "weekly_target")
#: The first lines of a config file written by the set-up.
HEADER = "afterview settings: change them on the Settings page, or here (TOML)."
_TARGET = re.compile(r"[0-9]{1,4}")
_ZONE_AREAS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Arctic/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)


def config_exists(ctx: Context) -> bool:
    """True when the config file is there (even empty: the user has been asked)."""
    return os.path.exists(ctx.config.path)


def needs_setup(ctx: Context) -> bool:
    """True for a new user: no config file and nothing in the database yet."""
    from afterview.store import repo

    return not config_exists(ctx) and repo.is_empty(ctx.db, ctx.account)


def has_interviews(ctx: Context) -> bool:
    """True once the account holds an interview."""
    from afterview.store import repo

    return repo.has_interviews(ctx.db, ctx.account)


def setup_view(ctx: Context) -> dict[str, Any]:
    """What the set-up form shows: the current values (the zone: the configured one, else
    this computer's), the countries with known holidays and the zone names."""
    from afterview.services.holidays import countries, country_code

    c = ctx.config
    return {
        "first": not config_exists(ctx),
        "values": {
            "name": c.my_name or "",
            "email": c.my_email or "",
            "timezone": c.timezone or ctx.user_tz,
            "country": (country_code(c.country) or c.country) if c.country else "",
            "weekly_target": str(c.playbook.weekly_target),
        },
        "zone_configured": c.timezone is not None,
        "countries": countries(),
        "zones": zone_names(),
    }


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """The zone names worth offering (continent/city, and UTC), sorted."""
    from zoneinfo import available_timezones

    from afterview.parsing import check_zone

    names = []
    for name in available_timezones():
        if name.startswith(_ZONE_AREAS):
            try:
                names.append(check_zone(name, "timezone"))
            except BadInput:
                continue
    return (*sorted(names), "UTC")


def check_setup(values: dict[str, str]) -> dict[str, str]:
    """Check the set-up form's values, each under its field's name; return them as
    `settings_edit.save_settings` takes them (an empty value: the default)."""
    from afterview.mail.headers import check_address
    from afterview.parsing import check_line, check_zone
    from afterview.services.holidays import country_code

    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise BadInput(unknown[0], "unknown setting")
    out: dict[str, str] = {}
    name = values.get("name", "")
    if name.strip(" "):
        out["name"] = check_line(name, "name", limit=200)
    else:
        out["name"] = ""
    email = values.get("email", "")
    if email.strip(" "):
        out["email"] = check_address(check_line(email, "email", limit=254), "email")
    else:
        out["email"] = ""
    zone_text = values.get("timezone", "")
    out["timezone"] = check_zone(zone_text.strip(" "), "timezone") if zone_text.strip(" ") else ""
    country = values.get("country", "")
    if country.strip(" "):
        code = country_code(check_line(country, "country", limit=3))
        if code is None:
            raise BadInput(
                "country",
                f"expected a country from the list (a code like FR), got {country[:20]!r}",
            )
        out["country"] = code
    else:
        out["country"] = ""
    target = values.get("weekly_target", "").strip(" ")
    if target:
        if not _TARGET.fullmatch(target) or not 1 <= int(target) <= 1000:
            raise BadInput(
                "weekly_target", f"expected a whole number from 1 to 1000, got {target[:20]!r}"
            )
        out["playbook.weekly_target"] = str(int(target))
    else:
        out["playbook.weekly_target"] = ""
    return out


def save_setup(ctx: Context, values: dict[str, str]) -> Config:
    """Check the set-up's answers and write them to `config.toml` (checked again as at
    start-up, atomically); nothing is written when any value is refused."""
    from afterview.services.settings_edit import save_settings

    checked = check_setup(values)
    if checked["country"] != (ctx.config.country or ""):
        checked["subdivision"] = ""  # a region (set in Settings) belongs to its country
    return save_settings(ctx, checked, new_file_comment=HEADER)


def skip_setup(ctx: Context) -> None:
    """Keep every default: write a config file holding a comment only (once), so the
    set-up is not asked again."""
    from afterview.services.settings_edit import save_settings

    if not config_exists(ctx):
        save_settings(ctx, {}, new_file_comment=HEADER)
