"""`afterview goal`: this week's progress, the streak of weeks met, the last weeks."""

from __future__ import annotations

from tests.cli.helpers import Afterview

NOW = "2026-09-16T12:00"  # a Wednesday of week 2026-W38 (Europe/Paris)


def applied(av: Afterview, day: str, n: int) -> None:
    for i in range(n):
        av.ok(
            "application",
            "add",
            "--company",
            f"Co {day} {i}",
            "--role",
            "R",
            "--applied-on",
            day,
            now=NOW,
        )


def test_streak_counts_weeks_met_in_a_row(av: Afterview) -> None:
    applied(av, "2026-08-24", 5)  # W35 met
    applied(av, "2026-08-31", 4)  # W36 missed: breaks the streak
    applied(av, "2026-09-07", 5)  # W37 met
    applied(av, "2026-09-01", 0)
    applied(av, "2026-09-14", 2)  # W38 (this week) 2 so far
    g = av.ok("goal", "--json", now=NOW).json()
    assert g["week"]["label"] == "2026-W38" and g["week"]["applied"] == 2
    assert g["streak"] == 1  # W37 only; this week not yet met, W36 missed
    assert [(w["week"], w["applied"], w["met"]) for w in g["weeks"][-4:]] == [
        ("2026-W35", 5, True),
        ("2026-W36", 4, False),
        ("2026-W37", 5, True),
        ("2026-W38", 2, False),
    ]
    applied(av, "2026-09-15", 3)  # this week met too: the streak grows at once
    g = av.ok("goal", "--json", now=NOW).json()
    assert g["streak"] == 2 and g["pipeline"] == {"applied": 19}
    out = av.ok("goal", now=NOW).out
    assert "5 of 5 applications, target met" in out and "Streak: 2 weeks" in out


def test_goal_on_an_empty_database(av: Afterview) -> None:
    g = av.ok("goal", "--json", now=NOW).json()
    assert g["streak"] == 0 and g["pipeline"] == {} and g["week"]["target"] == 5
    assert "Pipeline: empty" in av.ok("goal", now=NOW).out
