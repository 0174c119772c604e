"""The playbook: every number the plan uses, with the defaults of PRODUCT.md.

Each field can be overridden from the `[playbook]` table of the config file;
`Playbook.from_mapping` checks names, types and ranges and says which key is wrong.
"""

import math
from collections.abc import Mapping
from datetime import time
from functools import lru_cache
from typing import Any, NamedTuple, Self

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: Settings of earlier releases that no longer mean anything: accepted in a config file
#: and ignored, so that an upgrade does not break it. (`keep_searching_grace_days`:
#: a week's keep-searching action now ends with the week.)
RETIRED = frozenset({"keep_searching_grace_days"})

#: The longest duration any setting may name (about ten years): beyond it the calendar
#: arithmetic of the plan would leave the range of dates.
MAX_DAYS = 3660


class PlaybookError(ValueError):
    """A `[playbook]` value that cannot be used; the message names the key."""


class _Settings(NamedTuple):
    """The fields of `Playbook` (a named tuple: immutable and cheap to load)."""

    # 1. Thank-you note: ideal 2-3 hours after the end, due within 24 hours.
    thank_you_ideal_from_hours: float = 2.0
    thank_you_ideal_until_hours: float = 3.0
    thank_you_due_hours: float = 24.0
    #: an unsent thank-you lapses this many days after the interview's end
    thank_you_lapse_days: int = 7
    # 2. Follow-up.
    follow_up_min_days: int = 7
    follow_up_ideal_days: int = 2
    follow_up_due_days: int = 7
    follow_up_spacing_days: int = 7
    follow_up_cap: int = 2
    no_response_days: int = 7
    #: an unsent follow-up lapses this many days after its due moment (the cycle ends)
    follow_up_lapse_days: int = 14
    business_morning: str = "09:00"
    workweek: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
    # 3. Keep searching.
    weekly_target: int = 5
    # 4. Update profile.
    profile_stale_days: int = 30
    profile_ideal_hours: float = 12.0
    profile_due_hours: float = 24.0
    #: a profile update not made lapses this many days after the interview's end
    profile_lapse_days: int = 7
    # 5. Self-assessment.
    self_assess_ideal_hours: float = 6.0
    self_assess_due_hours: float = 48.0
    #: a self-assessment not recorded lapses this many days after the end (`assess` still works)
    self_assess_lapse_days: int = 14
    # The agenda lists actions that open within this many days.
    agenda_horizon_days: int = 7


class Playbook(_Settings):
    """Windows and limits of the five practices (hours are real hours, days calendar days).

    Every value is checked when a playbook is built: a `PlaybookError` names the key.
    """

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        self = super().__new__(cls, *args, **kwargs)
        _check(self)
        return self

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Self:
        """Build a playbook from the defaults overridden by `values` (a `[playbook]` table)."""
        defaults = cls()
        changes: dict[str, Any] = {}
        for key, value in values.items():
            if key in RETIRED:
                continue
            if key not in cls._fields:
                raise PlaybookError(
                    f"playbook.{key}: unknown setting; known: {', '.join(sorted(cls._fields))}"
                )
            changes[key] = _coerce(key, value, getattr(defaults, key))
        return cls(**{**defaults._asdict(), **changes})

    def as_dict(self) -> dict[str, Any]:
        """Return every setting as plain TOML-friendly values."""
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in zip(self._fields, self, strict=True)
        }

    @property
    def morning(self) -> time:
        """The business-morning time at which follow-ups open."""
        return _clock(self.business_morning)

    @property
    def workdays(self) -> frozenset[int]:
        """The work week as `date.weekday()` numbers."""
        return _weekdays(self.workweek)


@lru_cache(maxsize=16)
def _clock(text: str) -> time:
    return time.fromisoformat(text)


@lru_cache(maxsize=16)
def _weekdays(names: tuple[str, ...]) -> frozenset[int]:
    return frozenset(WEEKDAY_NAMES.index(d) for d in names)


def _coerce(key: str, value: Any, default: Any) -> Any:
    if isinstance(default, bool) or isinstance(value, bool):
        raise PlaybookError(f"playbook.{key}: expected a number, got {value!r}")
    if isinstance(default, int) and not isinstance(default, bool):
        if not isinstance(value, int):
            raise PlaybookError(f"playbook.{key}: expected a whole number, got {value!r}")
        return value
    if isinstance(default, float):
        if not isinstance(value, int | float):
            raise PlaybookError(f"playbook.{key}: expected a number of hours, got {value!r}")
        return float(value)
    if isinstance(default, str):
        if not isinstance(value, str):
            raise PlaybookError(f"playbook.{key}: expected text like {default!r}, got {value!r}")
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise PlaybookError(
                f"playbook.{key}: expected a list of day names like {list(default)}"
            )
        return tuple(v.lower()[:3] for v in value)
    raise PlaybookError(f"playbook.{key}: cannot be set")  # pragma: no cover


def _check(p: Playbook) -> None:
    def need(ok: bool, key: str, what: str) -> None:
        if not ok:
            raise PlaybookError(f"playbook.{key}: {what}, got {getattr(p, key)!r}")

    for name, value in zip(p._fields, p, strict=True):
        if isinstance(value, float):
            need(
                math.isfinite(value) and abs(value) <= MAX_DAYS * 24,
                name,
                f"expected a finite number of hours up to {MAX_DAYS * 24}",
            )
        elif isinstance(value, int) and name.endswith("_days"):
            need(abs(value) <= MAX_DAYS, name, f"expected at most {MAX_DAYS} days")
    need(p.thank_you_ideal_from_hours >= 0, "thank_you_ideal_from_hours", "expected 0 or more")
    need(
        p.thank_you_ideal_from_hours < p.thank_you_ideal_until_hours <= p.thank_you_due_hours,
        "thank_you_ideal_until_hours",
        "expected after thank_you_ideal_from_hours and no later than thank_you_due_hours",
    )
    need(p.follow_up_min_days >= 1, "follow_up_min_days", "expected 1 or more")
    need(p.follow_up_ideal_days >= 1, "follow_up_ideal_days", "expected 1 or more")
    need(
        p.follow_up_due_days >= p.follow_up_ideal_days,
        "follow_up_due_days",
        "expected no less than follow_up_ideal_days",
    )
    need(p.follow_up_spacing_days >= 1, "follow_up_spacing_days", "expected 1 or more")
    need(0 <= p.follow_up_cap <= 10, "follow_up_cap", "expected 0 to 10")
    need(p.no_response_days >= 1, "no_response_days", "expected 1 or more")
    try:
        time.fromisoformat(p.business_morning)
    except ValueError:
        need(False, "business_morning", "expected a time like '09:00'")
    need(
        bool(p.workweek) and all(d in WEEKDAY_NAMES for d in p.workweek),
        "workweek",
        f"expected day names among {', '.join(WEEKDAY_NAMES)}",
    )
    need(1 <= p.weekly_target <= 1000, "weekly_target", "expected 1 to 1000")
    need(p.profile_stale_days >= 0, "profile_stale_days", "expected 0 or more")
    need(
        0 < p.profile_ideal_hours <= p.profile_due_hours,
        "profile_ideal_hours",
        "expected more than 0 and no more than profile_due_hours",
    )
    need(
        0 < p.self_assess_ideal_hours <= p.self_assess_due_hours,
        "self_assess_ideal_hours",
        "expected more than 0 and no more than self_assess_due_hours",
    )
    for kind, due_hours in (
        ("thank_you", p.thank_you_due_hours),
        ("profile", p.profile_due_hours),
        ("self_assess", p.self_assess_due_hours),
    ):
        key = f"{kind}_lapse_days"
        need(
            getattr(p, key) * 24 >= due_hours,
            key,
            f"expected days that reach {kind}_due_hours ({due_hours:g} hours) or later",
        )
    need(p.follow_up_lapse_days >= 0, "follow_up_lapse_days", "expected 0 or more")
    need(1 <= p.agenda_horizon_days <= 366, "agenda_horizon_days", "expected 1 to 366")
