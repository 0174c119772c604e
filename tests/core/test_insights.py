"""The statistics of insights against cases worked out by hand, and their small-sample guards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from afterview.core.insights import (
    MIN_CALIBRATION,
    MIN_GROUP,
    Assessed,
    auc,
    brier,
    by_stage,
    calibration,
    separation,
    slope,
    slope_error,
    trends,
)

T0 = datetime(2026, 1, 5, 10, tzinfo=UTC)


def a(
    n: int,
    scores: dict[str, int],
    confidence: int | None = None,
    moved_on: bool | None = None,
    stage: int = 1,
    days: int = 0,
) -> Assessed:
    return Assessed(n, T0 + timedelta(days=days), stage, scores, confidence, moved_on)


def test_slope_by_hand() -> None:
    assert slope([(0, 1), (1, 2), (2, 3)]) == pytest.approx(1.0)
    # x mean 1.5, y mean 2: sum of products 1, sum of squares 5.
    assert slope([(0, 2), (1, 1), (2, 3), (3, 2)]) == pytest.approx(0.2)
    assert slope([(1, 2), (1, 5)]) is None


def test_trends_per_month_and_the_guard() -> None:
    rows = [a(i, {"answers": s, "rapport": 4}, days=30 * i) for i, s in enumerate([2, 3, 3, 4])]
    [answers, rapport] = trends(rows, ["answers", "rapport", "technical"])
    assert answers.n == 4 and answers.first == 2 and answers.last == 4 and answers.mean == 3
    # x = 0, 1, 2, 3 months; y = 2, 3, 3, 4: slope 0.6 points a month.
    assert answers.slope_per_month == pytest.approx(0.6)
    assert rapport.slope_per_month == pytest.approx(0.0)
    few = trends(rows[:3], ["answers"])[0]
    assert few.n == 3 and few.slope_per_month is None


def test_by_stage_groups_third_rounds_and_later() -> None:
    rows = [
        a(1, {"x": 2}, stage=1),
        a(2, {"x": 4}, stage=1),
        a(3, {"x": 5}, stage=2),
        a(4, {"x": 3}, stage=3),
        a(5, {"x": 5}, stage=4),
    ]
    assert by_stage(rows, ["x"]) == {1: {"x": (3.0, 2)}, 2: {"x": (5.0, 1)}, 3: {"x": (4.0, 2)}}


def test_brier_by_hand() -> None:
    # (0.8-1)² + (0.3-0)² + (0.6-0)² + (0.9-1)² = 0.04 + 0.09 + 0.36 + 0.01 = 0.5; / 4
    assert brier([(0.8, True), (0.3, False), (0.6, False), (0.9, True)]) == pytest.approx(0.125)


def test_calibration_bins_and_no_verdict_on_too_little_data() -> None:
    rows = [
        a(1, {}, 10, False), a(2, {}, 15, False), a(3, {}, 30, True), a(4, {}, 50, True),
        a(5, {}, 55, False), a(6, {}, 59, True), a(7, {}, 90, True), a(8, {}, 100, True),
        a(9, {}, None, True), a(10, {}, 80, None),
    ]  # fmt: skip
    c = calibration(rows)
    assert c.n == 8 and c.verdict is None  # 8 < MIN_CALIBRATION
    assert c.base_rate == pytest.approx(5 / 8)
    low, second, middle, fourth, top = c.bins
    assert (low.n, low.moved_on_rate, low.enough) == (2, 0.0, False)
    assert (second.n, second.mean_confidence, second.enough) == (1, pytest.approx(30), False)
    assert (middle.n, middle.mean_confidence, middle.moved_on_rate, middle.enough) == (
        3,
        pytest.approx(164 / 3),
        pytest.approx(2 / 3),
        True,
    )
    assert fourth.n == 0 and fourth.moved_on_rate is None
    assert (top.low, top.high, top.n) == (80, 100, 2)
    assert calibration([]).brier is None


def test_an_overconfident_record_gets_its_verdict() -> None:
    rows = [a(i, {}, 80, i < 3) for i in range(MIN_CALIBRATION)]
    c = calibration(rows)
    # Brier: 3 × 0.2² + 7 × 0.8² = 0.12 + 4.48, / 10 = 0.46; always 30%: 3 × 0.49 + 7 × 0.09 = 2.1, / 10
    assert c.brier == pytest.approx(0.46) and c.reference == pytest.approx(0.21)
    assert c.verdict is not None
    assert c.verdict.startswith(
        "Over 10 interviews you were overconfident: you gave 80% on average and 30% moved on"
    )
    assert "is worse than 0.21" in c.verdict


def test_auc_by_hand() -> None:
    # 4 beats all 4; 5 beats all 4; 3 beats 2 and 1 and ties two 3s: 11 of 12.
    assert auc([4, 5, 3], [2, 3, 3, 1]) == pytest.approx(11 / 12)
    assert auc([3], [3]) == 0.5


def test_separation_ranks_items_and_makes_no_claim_on_small_groups() -> None:
    rows = [
        a(i, {"answers": 4 + (i % 2), "rapport": 3 + (i % 2)}, moved_on=True)
        for i in range(MIN_GROUP)
    ]
    rows += [
        a(10 + i, {"answers": 2, "rapport": 3 + (i % 2)}, moved_on=False) for i in range(MIN_GROUP)
    ]
    rows += [a(20, {"answers": 1, "technical": 5}, moved_on=None)]
    answers, rapport, technical = separation(rows, ["rapport", "technical", "answers"])
    assert answers.item == "answers" and answers.auc == 1.0
    assert (answers.mean_moved_on, answers.mean_not) == (4.5, 2.0)
    assert rapport.auc == pytest.approx(0.5)
    assert technical.auc is None and (technical.n_moved_on, technical.n_not) == (0, 0)
    fewer = separation(rows[1:], ["answers"])[0]
    assert fewer.n_moved_on == MIN_GROUP - 1 and fewer.auc is None


def test_a_trend_needs_four_weeks_and_a_clear_slope() -> None:
    fast = [a(i, {"x": s}, days=i) for i, s in enumerate([1, 2, 3, 5])]  # four days
    assert trends(fast, ["x"])[0].slope_per_month is None
    steady_rise = [a(i, {"x": s}, days=30 * i) for i, s in enumerate([2, 3, 4, 5])]
    t = trends(steady_rise, ["x"])[0]
    assert t.slope_per_month == pytest.approx(1.0) and t.clear
    noisy = [a(i, {"x": s}, days=30 * i) for i, s in enumerate([1, 5, 1, 5, 2])]
    t = trends(noisy, ["x"])[0]
    assert t.slope_per_month is not None and not t.clear


def test_slope_error_by_hand() -> None:
    # y = 2, 3, 3, 4 over x = 0..3: slope 0.6, fitted 2.1, 2.7, 3.3, 3.9; residuals
    # -0.1, 0.3, -0.3, 0.1: 0.2 in squares, / (4 - 2) / 5 = 0.02, root 0.1414.
    assert slope_error([(0, 2), (1, 3), (2, 3), (3, 4)]) == pytest.approx(0.02**0.5)


def test_all_one_result_is_nothing_to_calibrate_against() -> None:
    c = calibration([a(i, {}, 60, False) for i in range(MIN_CALIBRATION)])
    assert (
        c.verdict
        == "All 10 interviews did not move on: with no other result yet, there is nothing to calibrate against."
    )


def test_close_brier_scores_are_about_the_same() -> None:
    rows = [a(i, {}, 50, i % 2 == 0) for i in range(MIN_CALIBRATION)]
    c = calibration(rows)
    assert c.verdict is not None and "0.25 is about the same as 0.25" in c.verdict
