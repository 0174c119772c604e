"""The playbook: PRODUCT.md's defaults, overrides from `[playbook]`, and clear refusals."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest

from afterview.core.playbook import Playbook, PlaybookError


def test_defaults_match_the_product_table() -> None:
    pb = Playbook()
    # 1. thank-you: ideal end + 2 h .. end + 3 h, due end + 24 h
    assert (pb.thank_you_ideal_from_hours, pb.thank_you_ideal_until_hours) == (2.0, 3.0)
    assert pb.thank_you_due_hours == 24.0
    # 2. follow-up: end + 7 days, ideal opens .. opens + 2 days, due opens + 7 days,
    #    next one 7 days after the last, cap 2, no_response 7 days after the last, 09:00
    assert pb.follow_up_min_days == 7
    assert pb.follow_up_ideal_days == 2
    assert pb.follow_up_due_days == 7
    assert pb.follow_up_spacing_days == 7
    assert pb.follow_up_cap == 2
    assert pb.no_response_days == 7
    assert pb.business_morning == "09:00" and pb.morning == time(9, 0)
    assert pb.workweek == ("mon", "tue", "wed", "thu", "fri")
    assert pb.workdays == frozenset({0, 1, 2, 3, 4})
    # 3. keep searching: weekly target 5
    assert pb.weekly_target == 5
    # 4. profile: stale after 30 days, ideal end .. end + 12 h, due end + 24 h
    assert pb.profile_stale_days == 30
    assert (pb.profile_ideal_hours, pb.profile_due_hours) == (12.0, 24.0)
    # 5. self-assessment: ideal end .. end + 6 h, due end + 48 h
    assert (pb.self_assess_ideal_hours, pb.self_assess_due_hours) == (6.0, 48.0)
    # the agenda lists what opens within the next 7 days
    assert pb.agenda_horizon_days == 7


def test_empty_mapping_is_the_default() -> None:
    assert Playbook.from_mapping({}) == Playbook()


def test_as_dict_round_trips() -> None:
    pb = Playbook.from_mapping({"follow_up_cap": 3, "workweek": ["sun", "mon", "tue"]})
    d = pb.as_dict()
    assert d["workweek"] == ["sun", "mon", "tue"]
    assert Playbook.from_mapping(d) == pb
    assert set(d) == set(Playbook().as_dict())


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("thank_you_ideal_from_hours", 1, 1.0),
        ("thank_you_ideal_until_hours", 2.5, 2.5),
        ("thank_you_due_hours", 36, 36.0),
        ("follow_up_min_days", 10, 10),
        ("follow_up_ideal_days", 3, 3),
        ("follow_up_due_days", 14, 14),
        ("follow_up_spacing_days", 5, 5),
        ("follow_up_cap", 0, 0),
        ("follow_up_cap", 3, 3),
        ("no_response_days", 14, 14),
        ("business_morning", "08:30", "08:30"),
        (
            "workweek",
            ["Sunday", "Monday", "TUE", "wed", "thu"],
            ("sun", "mon", "tue", "wed", "thu"),
        ),
        ("weekly_target", 10, 10),
        ("thank_you_lapse_days", 3, 3),
        ("follow_up_lapse_days", 0, 0),
        ("profile_lapse_days", 10, 10),
        ("self_assess_lapse_days", 30, 30),
        ("profile_stale_days", 60, 60),
        ("profile_ideal_hours", 6, 6.0),
        ("profile_due_hours", 48, 48.0),
        ("self_assess_ideal_hours", 2, 2.0),
        ("self_assess_due_hours", 72, 72.0),
        ("agenda_horizon_days", 14, 14),
    ],
)
def test_from_mapping_overrides_one_setting(key: str, value: Any, expected: Any) -> None:
    pb = Playbook.from_mapping({key: value})
    assert getattr(pb, key) == expected
    assert type(getattr(pb, key)) is type(expected)
    others = {k: v for k, v in Playbook().as_dict().items() if k != key}
    assert {k: v for k, v in pb.as_dict().items() if k != key} == others


def test_from_mapping_several_settings() -> None:
    pb = Playbook.from_mapping(
        {"thank_you_ideal_from_hours": 1, "thank_you_ideal_until_hours": 4, "follow_up_cap": 1}
    )
    assert (pb.thank_you_ideal_from_hours, pb.thank_you_ideal_until_hours) == (1.0, 4.0)
    assert pb.follow_up_cap == 1


def test_unknown_key_is_named() -> None:
    with pytest.raises(PlaybookError, match=r"^playbook\.thank_you_hours: unknown setting") as e:
        Playbook.from_mapping({"thank_you_hours": 3})
    assert "thank_you_due_hours" in str(e.value)  # lists the known ones


@pytest.mark.parametrize(
    "key, value",
    [
        ("follow_up_cap", "2"),
        ("follow_up_cap", 2.5),
        ("follow_up_cap", True),
        ("follow_up_min_days", None),
        ("weekly_target", [5]),
        ("thank_you_due_hours", "24h"),
        ("thank_you_due_hours", False),
        ("business_morning", 9),
        ("workweek", "mon-fri"),
        ("workweek", ["mon", 2]),
        ("agenda_horizon_days", {"days": 7}),
        ("weekly_target", 5.0),
    ],
)
def test_wrong_type_is_named(key: str, value: Any) -> None:
    with pytest.raises(PlaybookError, match=rf"^playbook\.{key}: expected"):
        Playbook.from_mapping({key: value})


@pytest.mark.parametrize(
    "values, key",
    [
        ({"thank_you_ideal_from_hours": -1}, "thank_you_ideal_from_hours"),
        ({"thank_you_ideal_from_hours": 3}, "thank_you_ideal_until_hours"),  # from == until
        (
            {"thank_you_ideal_until_hours": 1.5, "thank_you_ideal_from_hours": 2},
            "thank_you_ideal_until_hours",
        ),
        ({"thank_you_due_hours": 2.5}, "thank_you_ideal_until_hours"),
        ({"follow_up_min_days": 0}, "follow_up_min_days"),
        ({"follow_up_ideal_days": 0}, "follow_up_ideal_days"),
        ({"follow_up_due_days": 1}, "follow_up_due_days"),  # less than the ideal days
        ({"follow_up_spacing_days": 0}, "follow_up_spacing_days"),
        ({"follow_up_cap": -1}, "follow_up_cap"),
        ({"follow_up_cap": 11}, "follow_up_cap"),
        ({"no_response_days": 0}, "no_response_days"),
        ({"business_morning": "9 am"}, "business_morning"),
        ({"business_morning": "25:00"}, "business_morning"),
        ({"workweek": []}, "workweek"),
        ({"workweek": ["mon", "funday"]}, "workweek"),
        ({"weekly_target": 0}, "weekly_target"),
        ({"weekly_target": 1001}, "weekly_target"),
        ({"follow_up_lapse_days": -1}, "follow_up_lapse_days"),
        ({"thank_you_lapse_days": 0}, "thank_you_lapse_days"),  # before the due moment
        ({"self_assess_lapse_days": 1}, "self_assess_lapse_days"),  # 24 h < 48 h due
        ({"thank_you_due_hours": 200}, "thank_you_lapse_days"),
        ({"profile_lapse_days": -2}, "profile_lapse_days"),
        ({"profile_stale_days": -1}, "profile_stale_days"),
        ({"profile_ideal_hours": 0}, "profile_ideal_hours"),
        ({"profile_ideal_hours": 30}, "profile_ideal_hours"),  # beyond the due hours
        ({"profile_due_hours": 6}, "profile_ideal_hours"),
        ({"self_assess_ideal_hours": 0}, "self_assess_ideal_hours"),
        ({"self_assess_due_hours": 5}, "self_assess_ideal_hours"),
        ({"agenda_horizon_days": 0}, "agenda_horizon_days"),
        ({"agenda_horizon_days": 367}, "agenda_horizon_days"),
    ],
)
def test_inconsistent_values_are_named(values: dict[str, Any], key: str) -> None:
    with pytest.raises(PlaybookError, match=rf"^playbook\.{key}: "):
        Playbook.from_mapping(values)


@pytest.mark.parametrize(
    "key, value",
    [
        # TOML has inf and nan; either would crash the plan's time arithmetic
        ("thank_you_due_hours", float("inf")),
        ("self_assess_due_hours", float("inf")),
        ("profile_due_hours", float("inf")),
        ("thank_you_ideal_from_hours", float("nan")),
        ("self_assess_ideal_hours", float("nan")),
        ("thank_you_due_hours", 1e12),
        # days beyond the range of dates
        ("follow_up_min_days", 10**7),
        ("follow_up_due_days", 10**7),
        ("follow_up_spacing_days", 10**7),
        ("no_response_days", 10**7),
        ("follow_up_lapse_days", 10**7),
        ("thank_you_lapse_days", 10**7),
        ("profile_stale_days", 10**7),
    ],
)
def test_unusable_magnitudes_are_named(key: str, value: Any) -> None:
    with pytest.raises(PlaybookError, match=rf"^playbook\.{key}: "):
        Playbook.from_mapping({key: value})


def test_direct_construction_is_checked_too() -> None:
    with pytest.raises(PlaybookError, match=r"^playbook\.follow_up_cap: expected 0 to 10, got 42"):
        Playbook(follow_up_cap=42)


def test_playbook_error_is_a_value_error() -> None:
    assert issubclass(PlaybookError, ValueError)


def test_a_retired_setting_in_an_old_config_is_accepted_and_ignored() -> None:
    # keep_searching_grace_days meant something before a week's action ended with its week
    assert Playbook.from_mapping({"keep_searching_grace_days": 3}) == Playbook()
