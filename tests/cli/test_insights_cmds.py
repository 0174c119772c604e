"""`afterview insights` and `afterview prep` end to end, on both engines, against figures
worked out by hand; the small-sample guards; the chart files."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import Afterview

NOW = "2026-11-27T12:00"
COMPANIES = [
    "Acme",
    "Globex",
    "Initech",
    "Hooli",
    "Umbrella",
    "Vandelay",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
]


def history(av: Afterview, count: int = 10) -> list[str]:
    """Ten interviews a week apart: four moved on (answers 4-5, confidence 80), six did
    not (answers 2-3, confidence 60)."""
    ids = []
    for n, company in enumerate(COMPANIES[:count]):
        day = 1 + 7 * n
        start = f"2026-{8 + (day - 1) // 28:02d}-{1 + (day - 1) % 28:02d}T10:00"
        iv = av.ok(
            "interview",
            "add",
            "--company",
            company,
            "--role",
            "Engineer",
            "--start",
            start,
            now=NOW,
        ).out.strip()
        moved = n < 4
        answers = (4 + n % 2) if moved else (2 + n % 2)
        av.ok("assess", iv, "--score", f"answers={answers}", "--score", "rapport=3",
              "--confidence", "80" if moved else "60", "--asked", "Why do you want to work here?", now=NOW)  # fmt: skip
        av.ok(
            "outcome",
            iv,
            "next_round" if moved else "rejected",
            "--at",
            start.replace("T10:00", "T18:00"),
            now=NOW,
        )
        ids.append(iv)
    return ids


def test_insights_figures_match_the_hand_computation(av: Afterview, tmp_path: Path) -> None:
    history(av)
    v = av.ok("insights", "--json", now=NOW).json()
    c = v["calibration"]
    # Brier: 4 × (0.8 − 1)² + 6 × 0.6² = 0.16 + 2.16 = 2.32, / 10; base rate 40 %:
    # 4 × 0.6² + 6 × 0.4² = 1.44 + 0.96 = 2.4, / 10.
    assert (
        c["n"] == 10
        and c["brier"] == pytest.approx(0.232)
        and c["reference"] == pytest.approx(0.24)
    )
    assert c["mean_confidence"] == pytest.approx(68) and c["base_rate"] == pytest.approx(0.4)
    assert c["enough"] and "overconfident: you gave 68% on average and 40% moved on" in c["verdict"]
    answers = next(s for s in v["separation"] if s["item"] == "answers")
    assert answers["auc"] == 1.0 and (answers["n_moved_on"], answers["n_not"]) == (4, 6)
    rapport = next(s for s in v["separation"] if s["item"] == "rapport")
    assert rapport["auc"] == 0.5
    out = av.ok("insights", now=NOW).out
    assert "answers: 4.5 when you moved on, 2.5 when not (AUC 1.00; 4 vs 6)" in out
    assert "Brier score 0.23 over 10" in out
    for name in ("chart.png", "chart.svg"):
        r = av.ok("insights", "--plot", str(tmp_path / name), now=NOW)
        assert r.err == f"Chart written to {tmp_path / name}.\n" and "answers" in r.out
        assert (tmp_path / name).stat().st_size > 10_000
    assert (tmp_path / "chart.svg").read_text().lstrip().startswith("<?xml")
    r = av("insights", "--plot", str(tmp_path / "chart.gif"), now=NOW)
    assert r.code == 2 and "--plot: expected a file ending in .png or .svg" in r.err


def test_no_claim_on_too_little_data(av: Afterview) -> None:
    history(av, count=5)  # four moved on, one did not
    v = av.ok("insights", "--json", now=NOW).json()
    assert v["calibration"]["n"] == 5 and v["calibration"]["verdict"] is None
    assert all(s["auc"] is None for s in v["separation"])
    out = av.ok("insights", now=NOW).out
    assert "Too few to judge: 5 of the 10 needed" in out
    assert "answers: not enough data (4 moved on, 1 did not)" in out
    assert "(under 3: not enough to read)" in out


def test_an_empty_history(av: Afterview) -> None:
    assert "No self-assessment yet" in av.ok("insights", now=NOW).out
    v = av.ok("insights", "--json", now=NOW).json()
    assert v["assessed"] == 0 and v["calibration"]["n"] == 0


def test_prep_gathers_what_this_company_asked_and_your_notes(av: Afterview) -> None:
    history(av)
    av.ok("questions", "answer", "1", "--text", "Their product fits what I do best.", now=NOW)
    av.ok("assess", "1", "--score", "answers=4", "--asked", "Why do you want to work here?",
          "--asked", "Design a rate limiter.", "--improve", "Ask about the on-call rota", now=NOW)  # fmt: skip
    nxt = av.ok(
        "interview",
        "add",
        "--company",
        "ACME",
        "--role",
        "Engineer",
        "--start",
        "2026-12-02T10:00",
        now=NOW,
    ).out.strip()
    v = av.ok("prep", nxt, "--json", now=NOW).json()
    assert v["interview"]["upcoming"] is True and v["interview"]["round"] == 2  # same application
    assert [q["text"] for q in v["asked_here_before"]] == [
        "Why do you want to work here?",
        "Design a rate limiter.",
    ]
    assert v["notes_here"][0]["improve"] == "Ask about the on-call rota"
    assert v["weakest"][0] == {
        "item": "answers",
        "mean": 2.6,
        "n": 5,
    }  # the last five: 3, 2, 3, 2, 3
    [most] = v["most_asked"]
    assert most["times"] == 10 and most["answer"] == "Their product fits what I do best."
    out = av.ok("prep", nxt, now=NOW).out
    assert out.startswith("Acme, Engineer — round 2, Wed 10:00")  # 5 days on, in Paris
    assert "to improve: Ask about the on-call rota" in out
    assert "10x Why do you want to work here?" in out
    r = av("prep", "999", now=NOW)
    assert r.code == 1 and "interview 999: no such interview" in r.err


def test_a_round_followed_by_another_moved_on(av: Afterview) -> None:
    first = av.ok(
        "interview",
        "add",
        "--company",
        "Acme",
        "--role",
        "Engineer",
        "--start",
        "2026-10-01T10:00",
        now=NOW,
    ).out.strip()
    av.ok("assess", first, "--confidence", "70", "--score", "answers=4", now=NOW)
    av.ok(
        "interview",
        "add",
        "--company",
        "Acme",
        "--role",
        "Engineer",
        "--start",
        "2026-10-08T10:00",
        now=NOW,
    )
    v = av.ok("insights", "--json", now=NOW).json()
    assert (
        v["with_result"] == 1
        and v["calibration"]["n"] == 1
        and v["calibration"]["base_rate"] == 1.0
    )
