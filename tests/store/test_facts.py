"""load_facts lists come back in the same order on both engines (house rule 8)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from afterview.store import repo
from afterview.store.db import Database
from afterview.store.facts import load_facts
from afterview.store.migrations import migrate

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def test_outcomes_and_assessments_are_listed_by_interview_after_a_correction(db: Database) -> None:
    migrate(db)
    with db.transaction():
        app = repo.add_application(db, 1, "Acme", "Dev", None, None, NOW)
        ivs = [
            repo.add_interview(
                db,
                1,
                app,
                NOW + timedelta(days=n),
                NOW + timedelta(days=n, hours=1),
                "UTC",
                None,
                NOW,
            )
            for n in range(1, 4)
        ]
        for iv in ivs:
            repo.set_outcome(db, 1, iv, "next_round", NOW + timedelta(days=10))
            repo.save_assessment(
                db, 1, iv, NOW + timedelta(days=5), {"answers": 3}, [], None, None, 50
            )
    with db.transaction():  # the first outcome and assessment are corrected later
        repo.set_outcome(db, 1, ivs[0], "offer", NOW + timedelta(days=12))
        repo.save_assessment(
            db, 1, ivs[0], NOW + timedelta(days=6), {"answers": 4}, [], None, None, 60
        )
    facts = load_facts(db, 1, user_tz="UTC")
    assert [o.interview_id for o in facts.outcomes] == ivs
    assert facts.outcomes[0].result.value == "offer"
    assert list(facts.assessed) == ivs
    assert facts.assessed[ivs[0]] == NOW + timedelta(days=6)
