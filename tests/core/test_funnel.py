"""The funnel against hand-computed cases (core/funnel.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from afterview.core.funnel import funnel
from afterview.core.model import (
    Application,
    Direction,
    Facts,
    Interview,
    InterviewStatus,
    Outcome,
    OutcomeResult,
    Touch,
    TouchKind,
)

S = InterviewStatus


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=UTC)


def iv(i: int, app: int, day: str) -> Interview:
    return Interview(i, app, at(day, 9), at(day, 10), "UTC")


# Six applications, by hand:
#  1 Acme     applied 09-01, interview 09-08 (7 d), offer 09-20 (19 d)       -> offer
#  2 Acme     applied 09-02, a reply on 09-05 (3 d) before the interview 09-10, rejected 09-30 (28 d)
#  3 Globex   applied 09-03, interview 09-15 (12 d), no response
#  4 Initech  applied 09-10, nothing back
#  5 Initech  lead (no date)
#  6 Umbrella applied 08-20, interview 09-01 (12 d), awaiting
FACTS = Facts(
    applications=(
        Application(1, "Acme", "Data Engineer", date(2026, 9, 1)),
        Application(2, "Acme", "Analyst", date(2026, 9, 2)),
        Application(3, "Globex", "Engineer", date(2026, 9, 3)),
        Application(4, "Initech", "Tester", date(2026, 9, 10)),
        Application(5, "Initech", "Lead Tester"),
        Application(6, "Umbrella", "Chemist", date(2026, 8, 20)),
    ),
    interviews=(
        iv(11, 1, "2026-09-08"),
        iv(12, 2, "2026-09-10"),
        iv(13, 3, "2026-09-15"),
        iv(16, 6, "2026-09-01"),
    ),
    touches=(
        Touch(1, 12, Direction.RECEIVED, TouchKind.OTHER, at("2026-09-05")),
        Touch(2, 11, Direction.SENT, TouchKind.THANK_YOU, at("2026-09-08", 14)),
    ),
    outcomes=(
        Outcome(11, OutcomeResult.OFFER, at("2026-09-20")),
        Outcome(12, OutcomeResult.REJECTED, at("2026-09-30")),
    ),
    user_tz="UTC",
)
STATUSES = {11: S.OFFER, 12: S.REJECTED, 13: S.NO_RESPONSE, 16: S.AWAITING}


def test_the_funnel_by_hand() -> None:
    f = funnel(FACTS, STATUSES, {1: "url", 3: "file"})
    assert f["funnel"] == {"leads": 6, "applied": 5, "interviewed": 4, "offer": 1}
    assert f["responses"] == {"responded": 4, "applied": 5} and f["response_rate"] == 0.8
    # first responses: 7, 3, 12, 12 days -> median 9.5
    assert f["median_days_to_first_response"] == 9.5
    # decisions: 19 and 28 days -> median 23.5
    assert f["median_days_to_decision"] == 23.5
    # ended interviews: offer, rejected, no response (awaiting is not ended)
    assert f["ghosted"] == {"no_response": 1, "ended": 3} and f["ghosting_rate"] == 0.3333
    acme = next(r for r in f["by_company"] if r["name"] == "Acme")
    assert acme == {"name": "Acme", "leads": 2, "applied": 2, "interviewed": 2, "offer": 1}
    sources = {r["name"]: r["applied"] for r in f["by_source"]}
    assert sources == {"manual": 3, "url": 1, "file": 1}
    weeks = f["applications_per_week"]
    assert weeks[0] == {"week_of": "2026-08-17", "applied": 1}
    assert weeks[1] == {"week_of": "2026-08-24", "applied": 0}  # an empty week is shown
    assert [w["applied"] for w in weeks] == [1, 0, 3, 1]


def test_since_keeps_applications_applied_from_that_day() -> None:
    f = funnel(FACTS, STATUSES, {}, since=date(2026, 9, 2))
    assert f["funnel"] == {"leads": 3, "applied": 3, "interviewed": 2, "offer": 0}
    assert f["since"] == "2026-09-02"


def test_nothing_yet_gives_no_rates_not_zeroes() -> None:
    f = funnel(Facts(user_tz="UTC"), {}, {})
    assert f["response_rate"] is None and f["ghosting_rate"] is None
    assert f["median_days_to_first_response"] is None and f["applications_per_week"] == []
