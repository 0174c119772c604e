"""Schema migrations on a real SQLite file and a real PostgreSQL schema (house rule 9).

Every migration in `MIGRATIONS` gets a seed (rows written with plain SQL at that
version) and a check (what the repository must read back at the latest version).
`test_upgrade_keeps_data` starts from every version in turn, so a new migration is
covered as soon as its seed and check are added below; `test_every_version_has_seed`
fails until they are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from afterview.config import Config
from afterview.core.model import (
    ActionMark,
    ActionState,
    Application,
    Direction,
    Interview,
    Outcome,
    OutcomeResult,
    Person,
    Touch,
    TouchKind,
)
from afterview.core.plan import live_actions
from afterview.errors import StoreError
from afterview.mail.settings import MailSettings
from afterview.services.context import Context, open_database
from afterview.store import applications as appstore
from afterview.store import calendar as calstore
from afterview.store import journal, migration_years, migrations, repo
from afterview.store import mail as mailstore
from afterview.store import notifications as notestore
from afterview.store.db import Database
from afterview.store.facts import load_facts
from afterview.store.migrations import LATEST, MIGRATIONS, Migration, current_version, migrate
from afterview.store.worker_runs import LOCAL_TABLES

# each test starts from a database with no schema at all
pytestmark = pytest.mark.empty_database

VERSIONS = [m.version for m in MIGRATIONS]
Ids = dict[str, int]


def utc(text: str) -> datetime:
    """A moment written the way the store writes it."""
    return datetime.fromisoformat(text).astimezone(UTC)


def table_exists(db: Database, table: str) -> bool:
    """True when `table` exists in the database (or the test's PostgreSQL schema)."""
    return table in journal.tables(db)


def versions_recorded(db: Database) -> list[int]:
    """The versions listed in `schema_version`."""
    return [int(v) for (v,) in db.query("SELECT version FROM schema_version ORDER BY version")]


# -- data written at each schema version, with plain SQL ----------------------------------------
NOTES = "Asked about on-call; they said 'rarely'. Team in Zürich — café chat, naïve questions OK."


def seed_v1(db: Database, ids: Ids) -> None:
    """Rows of every table of version 1, for account 1 (which the migration creates)."""
    with db.transaction():
        ids["acme"] = db.insert(
            "INSERT INTO application (account_id, company, role, applied_on, url, created_at) "
            "VALUES (1, 'Acme Corp', 'Backend Engineer', '2026-09-01', "
            "'https://jobs.acme.example/123', '2026-09-01T08:00:00+00:00')"
        )
        ids["globex"] = db.insert(
            "INSERT INTO application (account_id, company, role, applied_on, url, created_at) "
            "VALUES (1, 'Globex', 'Data Analyst', NULL, NULL, '2026-09-02T09:30:00+00:00')"
        )
        ids["ada"] = db.insert(
            "INSERT INTO person (account_id, name, email) VALUES (1, ?, ?)",
            ("Ada Lovelace", "ada@acme.example"),
        )
        ids["grace"] = db.insert(
            "INSERT INTO person (account_id, name, email) VALUES (1, ?, NULL)", ("Grace Hopper",)
        )
        ids["iv_acme"] = db.insert(
            "INSERT INTO interview (account_id, application_id, start_at, end_at, tz, "
            "decision_by, notes, created_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?)",
            (
                ids["acme"],
                "2026-09-15T13:00:00+00:00",
                "2026-09-15T14:00:00+00:00",
                "Europe/Berlin",
                "2026-09-29",
                NOTES,
                "2026-09-10T10:00:00+00:00",
            ),
        )
        ids["iv_globex"] = db.insert(
            "INSERT INTO interview (account_id, application_id, start_at, end_at, tz, "
            "decision_by, notes, created_at) VALUES (1, ?, ?, ?, ?, NULL, NULL, ?)",
            (
                ids["globex"],
                "2026-09-16T15:00:00+00:00",
                "2026-09-16T15:45:00+00:00",
                "America/New_York",
                "2026-09-11T12:00:00+00:00",
            ),
        )
        db.executemany(
            "INSERT INTO interview_person (interview_id, person_id, position) VALUES (?, ?, ?)",
            [
                (ids["iv_acme"], ids["ada"], 0),
                (ids["iv_acme"], ids["grace"], 1),
                (ids["iv_globex"], ids["grace"], 0),
            ],
        )
        db.executemany(
            "INSERT INTO topic (interview_id, text, created_at) VALUES (?, ?, ?)",
            [
                (ids["iv_acme"], "distributed caching", "2026-09-15T14:10:00+00:00"),
                (ids["iv_acme"], "team rituals", "2026-09-15T14:11:00+00:00"),
            ],
        )
        ids["touch_thanks"] = db.insert(
            "INSERT INTO touch (account_id, interview_id, direction, kind, person_id, at, note, "
            "forced, created_at) VALUES (1, ?, 'sent', 'thank_you', ?, ?, ?, 0, ?)",
            (
                ids["iv_acme"],
                ids["ada"],
                "2026-09-15T18:30:00+00:00",
                "thanked Ada for the architecture deep-dive",
                "2026-09-15T18:31:00+00:00",
            ),
        )
        ids["touch_reply"] = db.insert(
            "INSERT INTO touch (account_id, interview_id, direction, kind, person_id, at, note, "
            "forced, created_at) VALUES (1, ?, 'received', 'other', NULL, ?, NULL, 0, ?)",
            (ids["iv_acme"], "2026-09-17T07:05:00+00:00", "2026-09-17T07:06:00+00:00"),
        )
        ids["touch_forced"] = db.insert(
            "INSERT INTO touch (account_id, interview_id, direction, kind, person_id, at, note, "
            "forced, created_at) VALUES (1, ?, 'sent', 'follow_up', ?, ?, ?, 1, ?)",
            (
                ids["iv_globex"],
                ids["grace"],
                "2026-09-18T09:00:00+00:00",
                "early nudge, forced",
                "2026-09-18T09:00:00+00:00",
            ),
        )
        db.execute(
            "INSERT INTO outcome (interview_id, account_id, result, at) VALUES (?, 1, ?, ?)",
            (ids["iv_globex"], "rejected", "2026-09-20T16:00:00+00:00"),
        )
        ids["assessment"] = db.insert(
            "INSERT INTO assessment (account_id, interview_id, at, went_well, improve, confidence) "
            "VALUES (1, ?, ?, ?, ?, ?)",
            (
                ids["iv_acme"],
                "2026-09-15T20:00:00+00:00",
                "system design answers",
                "ask more about the team",
                70,
            ),
        )
        db.executemany(
            "INSERT INTO assessment_score (assessment_id, item, score) VALUES (?, ?, ?)",
            [(ids["assessment"], "preparation", 4), (ids["assessment"], "answers", 3)],
        )
        db.executemany(
            "INSERT INTO question (account_id, assessment_id, position, text) VALUES (1, ?, ?, ?)",
            [
                (ids["assessment"], 0, "How do you handle cache invalidation?"),
                (ids["assessment"], 1, "Tell me about a conflict in your team."),
            ],
        )
        db.execute(
            "INSERT INTO action_mark (account_id, action_id, state, at, why) VALUES (1, ?, ?, ?, ?)",
            (
                f"follow_up:{ids['iv_acme']}:1",
                "skipped",
                "2026-09-22T10:00:00+00:00",
                "they asked for patience",
            ),
        )
        db.execute(
            "INSERT INTO action_mark (account_id, action_id, state, at, why) VALUES (1, ?, ?, ?, NULL)",
            ("keep_searching:2026-W38", "done", "2026-09-19T17:00:00+00:00"),
        )
        db.execute(
            "INSERT INTO profile_review (account_id, at) VALUES (1, ?)",
            ("2026-09-05T12:00:00+00:00",),
        )


def check_v1(db: Database, ids: Ids) -> None:
    """Everything `seed_v1` wrote reads back intact through the repository."""
    ada = Person(ids["ada"], "Ada Lovelace", "ada@acme.example")
    grace = Person(ids["grace"], "Grace Hopper", None)
    acme = repo.ApplicationRow(
        ids["acme"],
        "Acme Corp",
        "Backend Engineer",
        date(2026, 9, 1),
        "https://jobs.acme.example/123",
        utc("2026-09-01T08:00:00+00:00"),
    )
    globex = repo.ApplicationRow(
        ids["globex"], "Globex", "Data Analyst", None, None, utc("2026-09-02T09:30:00+00:00")
    )
    assert repo.list_applications(db, 1)[:2] == [acme, globex]
    assert repo.get_application(db, 1, ids["acme"]) == acme
    assert repo.find_application(db, 1, "acme corp", "BACKEND ENGINEER") == ids["acme"]
    assert not repo.is_empty(db, 1)

    iv_acme = Interview(
        id=ids["iv_acme"],
        application_id=ids["acme"],
        start=utc("2026-09-15T13:00:00+00:00"),
        end=utc("2026-09-15T14:00:00+00:00"),
        tz="Europe/Berlin",
        interviewers=(ada, grace),
        decision_by=date(2026, 9, 29),
        topics=("distributed caching", "team rituals"),
    )
    iv_globex = Interview(
        id=ids["iv_globex"],
        application_id=ids["globex"],
        start=utc("2026-09-16T15:00:00+00:00"),
        end=utc("2026-09-16T15:45:00+00:00"),
        tz="America/New_York",
        interviewers=(grace,),
        decision_by=None,
        topics=(),
    )
    assert repo.get_interview(db, 1, ids["iv_acme"]) == iv_acme
    assert repo.get_interview(db, 1, ids["iv_globex"]) == iv_globex
    assert repo.interview_notes(db, ids["iv_acme"]) == NOTES
    assert repo.interview_notes(db, ids["iv_globex"]) is None

    assert repo.get_assessment(db, 1, ids["iv_acme"]) == repo.AssessmentRow(
        id=ids["assessment"],
        interview_id=ids["iv_acme"],
        at=utc("2026-09-15T20:00:00+00:00"),
        scores={"answers": 3, "preparation": 4},
        asked=["How do you handle cache invalidation?", "Tell me about a conflict in your team."],
        went_well="system design answers",
        improve="ask more about the team",
        confidence=70,
    )
    assert repo.get_assessment(db, 1, ids["iv_globex"]) is None
    forced = db.one("SELECT forced FROM touch WHERE id = ?", (ids["touch_forced"],))
    assert forced is not None and int(forced[0]) == 1

    facts = load_facts(db, 1, user_tz="Europe/Berlin", with_topics=True)
    assert facts.applications[:2] == (
        Application(ids["acme"], "Acme Corp", "Backend Engineer", date(2026, 9, 1), acme.url),
        Application(ids["globex"], "Globex", "Data Analyst", None, None),
    )
    assert facts.interviews[:2] == (iv_acme, iv_globex)
    assert facts.touches[:3] == (
        Touch(
            ids["touch_thanks"],
            ids["iv_acme"],
            Direction.SENT,
            TouchKind.THANK_YOU,
            utc("2026-09-15T18:30:00+00:00"),
            ids["ada"],
            "thanked Ada for the architecture deep-dive",
        ),
        Touch(
            ids["touch_reply"],
            ids["iv_acme"],
            Direction.RECEIVED,
            TouchKind.OTHER,
            utc("2026-09-17T07:05:00+00:00"),
            None,
            None,
        ),
        Touch(
            ids["touch_forced"],
            ids["iv_globex"],
            Direction.SENT,
            TouchKind.FOLLOW_UP,
            utc("2026-09-18T09:00:00+00:00"),
            ids["grace"],
            "early nudge, forced",
        ),
    )
    assert Outcome(ids["iv_globex"], OutcomeResult.REJECTED, utc("2026-09-20T16:00:00+00:00")) in (
        facts.outcomes
    )
    assert facts.assessed[ids["iv_acme"]] == utc("2026-09-15T20:00:00+00:00")
    assert ids["iv_globex"] not in facts.assessed
    marks = {m.action_id: m for m in facts.marks}
    assert marks[f"follow_up:{ids['iv_acme']}:1"] == ActionMark(
        f"follow_up:{ids['iv_acme']}:1",
        ActionState.SKIPPED,
        utc("2026-09-22T10:00:00+00:00"),
        "they asked for patience",
    )
    assert marks["keep_searching:2026-W38"] == ActionMark(
        "keep_searching:2026-W38", ActionState.DONE, utc("2026-09-19T17:00:00+00:00"), None
    )
    assert utc("2026-09-05T12:00:00+00:00") in facts.profile_reviews
    assert facts.user_tz == "Europe/Berlin"


def seed_v2(db: Database, ids: Ids) -> None:
    """A draft kept with the Acme interview."""
    with db.transaction():
        ids["draft"] = db.insert(
            "INSERT INTO draft (account_id, interview_id, action_id, kind, to_name, to_email, "
            "subject, body, created_at) VALUES (1, ?, ?, 'thank_you', ?, ?, ?, ?, ?)",
            (
                ids["iv_acme"],
                f"thank_you:{ids['iv_acme']}:{ids['ada']}",
                "Ada Lovelace",
                "ada@acme.example",
                "Thank you — Backend Engineer interview",
                "Dear Ada,\n\nThank you for the deep-dive on caching.\n\nBest,\nSam",
                "2026-09-15T19:00:00+00:00",
            ),
        )


def check_v2(db: Database, ids: Ids) -> None:
    """The draft of `seed_v2` reads back intact, and (from version 16) as the user's own:
    a draft kept before afterview knew who wrote it is never composed over unasked."""
    assert repo.list_drafts(db, 1, ids["iv_acme"]) == [
        repo.DraftRow(
            id=ids["draft"],
            interview_id=ids["iv_acme"],
            action_id=f"thank_you:{ids['iv_acme']}:{ids['ada']}",
            kind="thank_you",
            to_name="Ada Lovelace",
            to_email="ada@acme.example",
            subject="Thank you — Backend Engineer interview",
            body="Dear Ada,\n\nThank you for the deep-dive on caching.\n\nBest,\nSam",
            created_at=utc("2026-09-15T19:00:00+00:00"),
            edited=True,
        )
    ]
    assert repo.list_drafts(db, 1, ids["iv_globex"]) in ([], [_composed_v16(ids)])


def seed_v3(db: Database, ids: Ids) -> None:
    """A thank-you and a message from the employer about Globex, written at v3."""
    with db.transaction():
        for direction, kind, at in (
            ("sent", "thank_you", "2026-09-28T16:00:00+00:00"),
            ("received", "other", "2026-09-29T08:00:00+00:00"),
        ):
            ids[f"v3_{kind}"] = db.insert(
                "INSERT INTO touch (account_id, interview_id, direction, kind, at, person_id, "
                "note, created_at) VALUES (1, ?, ?, ?, ?, NULL, 'v3', ?)",
                (ids["iv_globex"], direction, kind, at, at),
            )


def check_v3(db: Database, ids: Ids) -> None:
    """The touches of `seed_v3` load on both paths: the whole load and the agenda's quick one."""
    whole = load_facts(db, 1, user_tz="Europe/Berlin")
    quick = load_facts(
        db, 1, user_tz="Europe/Berlin", settled_before=utc("2026-09-01T00:00:00+00:00")
    )
    for facts in (whole, quick):
        mine = {t.id: t for t in facts.touches if t.note == "v3"}
        assert mine[ids["v3_thank_you"]].kind is TouchKind.THANK_YOU
        assert mine[ids["v3_other"]].direction is Direction.RECEIVED
    keys = [(t.at, t.id) for t in quick.touches]
    assert keys == sorted(keys)


def seed_v4(db: Database, ids: Ids) -> None:
    """Mail settings, a scheduled outbox message and a received touch with its Message-ID."""
    at = utc("2026-09-29T10:00:00+00:00")
    settings = MailSettings(
        smtp_host="smtp.example.org",
        smtp_port=587,
        smtp_security="starttls",
        smtp_user="sam@example.org",
        from_address="sam@example.org",
        from_name="Sam Rivera",
        imap_host="imap.example.org",
        imap_port=993,
        imap_security="tls",
        imap_user="sam@example.org",
        sent_folder="Sent",
        my_addresses=("sam.rivera@example.net",),
    )
    with db.transaction():
        # written as version 4 wrote it (the store knows later columns)
        db.execute(
            "INSERT INTO mail_settings (account_id, smtp_host, smtp_port, smtp_security, "
            "smtp_user, from_address, from_name, imap_host, imap_port, imap_security, "
            "imap_user, sent_folder, my_addresses, allow_insecure, updated_at) "
            "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
            (
                settings.smtp_host, settings.smtp_port, settings.smtp_security,
                settings.smtp_user, settings.from_address, settings.from_name,
                settings.imap_host, settings.imap_port, settings.imap_security,
                settings.imap_user, settings.sent_folder, "\n".join(settings.my_addresses),
                "2026-09-29T10:00:00+00:00",
            ),
        )  # fmt: skip
        ids["outbox"] = db.insert(
            "INSERT INTO outbox (account_id, interview_id, action_id, kind, person_id, to_name, "
            "to_email, subject, body, message_id, state, send_at, due_at, forced, approved_at, "
            "updated_at) VALUES (1, ?, ?, 'follow_up', NULL, ?, ?, ?, ?, ?, 'scheduled', ?, ?, 0, "
            "?, ?)",
            (
                ids["iv_globex"],
                f"follow_up:{ids['iv_globex']}:1",
                "Grace Hopper",
                "grace@globex.example",
                "Following up",
                "Hello Grace,\n\nAny news?\n\nSam",
                "<v4.1@example.org>",
                "2026-10-01T07:00:00+00:00",
                "2026-10-08T07:00:00+00:00",
                "2026-09-29T10:00:00+00:00",
                "2026-09-29T10:00:00+00:00",
            ),
        )
        ids["v4_reply"] = repo.add_touch(
            db, 1, ids["iv_globex"], "received", "other", None, at, "re: hello", False, at,
            message_id="<reply.v4@globex.example>",
        )  # fmt: skip
    ids["v4_settings"] = 1
    SAVED_SETTINGS["v4"] = settings


def check_v4(db: Database, ids: Ids) -> None:
    """The rows of `seed_v4` read back; a second touch with the same Message-ID is refused."""
    assert mailstore.get_settings(db, 1) == SAVED_SETTINGS["v4"]
    row = mailstore.get_outbox(db, 1, ids["outbox"])
    assert row is not None and row.state == "scheduled" and row.message_id == "<v4.1@example.org>"
    assert row.send_at == utc("2026-10-01T07:00:00+00:00") and row.attempts == 0
    assert mailstore.live_for_action(db, 1, row.action_id) == row
    found = db.one("SELECT message_id FROM touch WHERE id = ?", (ids["v4_reply"],))
    assert found == ("<reply.v4@globex.example>",)
    with pytest.raises(Exception), db.transaction():  # noqa: B017 - each engine has its own class
        repo.add_touch(
            db, 1, ids["iv_globex"], "received", "other", None, utc("2026-09-30T10:00:00+00:00"),
            None, False, utc("2026-09-30T10:00:00+00:00"), message_id="<reply.v4@globex.example>",
        )  # fmt: skip


def seed_v5(db: Database, ids: Ids) -> None:
    """The calendar SEQUENCE of one action, as exported at v5."""
    with db.transaction():
        calstore.save_sequence(db, 1, f"self_assess:{ids['iv_acme']}", "20260915T120000Z/x/y", 2)


def check_v5(db: Database, ids: Ids) -> None:
    """The sequence of `seed_v5` reads back."""
    assert calstore.sequences(db, 1)[f"self_assess:{ids['iv_acme']}"] == ("20260915T120000Z/x/y", 2)


def seed_v6(db: Database, ids: Ids) -> None:
    """The Globex interview as imported from an invitation, at v6."""
    with db.transaction():
        calstore.set_invitation(
            db,
            ids["iv_globex"],
            "inv-1@globex.example",
            3,
            "video",
            None,
            "https://meet.google.com/abc-defg-hij",
        )


def check_v6(db: Database, ids: Ids) -> None:
    """The invitation of `seed_v6` is found by its UID."""
    assert calstore.find_imported(db, 1, "inv-1@globex.example") == (ids["iv_globex"], 3)
    assert calstore.find_imported(db, 1, "other@x.example") is None


def seed_v7(db: Database, ids: Ids) -> None:
    """A notification recorded at v7."""
    with db.transaction():
        notestore.record(
            db,
            1,
            "thank_you:1:1:ideal:20260915T150000Z",
            "abc123",
            utc("2026-09-15T15:10:00+00:00"),
        )


def check_v7(db: Database, ids: Ids) -> None:
    """The notification of `seed_v7` reads back, once."""
    assert notestore.sent_keys(db, 1, "abc123") == {"thank_you:1:1:ideal:20260915T150000Z"}


def seed_v8(db: Database, ids: Ids) -> None:
    """Writes at v8 raise the data revision; the earlier rows are all still there."""
    from afterview.store.revision import data_revision

    before = data_revision(db)
    with db.transaction():
        db.execute("UPDATE interview SET notes = notes WHERE id = ?", (ids["iv_acme"],))
    assert data_revision(db) > before
    ids["revision_v8"] = data_revision(db)


def check_v8(db: Database, ids: Ids) -> None:
    """The revision only rises, and every table of the schema raises it (a table added
    later without its trigger would leave the web app's cache stale)."""
    from afterview.store.revision import data_revision

    assert data_revision(db) >= ids["revision_v8"]
    tables = _tables(db) - {"schema_version", "data_revision", *migrations.CACHE_TABLES}
    tables -= set(journal.JOURNAL_TABLES)  # recording a change changes no data
    tables -= set(LOCAL_TABLES)  # the worker's heartbeat is no data either
    assert tables == set(migrations.REVISED_TABLES), "add new tables to REVISED_TABLES"
    for table in sorted(tables):
        before = data_revision(db)
        column = _first_column(db, table)
        with db.transaction():
            db.execute(f"UPDATE {table} SET {column} = {column}")
        count = db.one(f"SELECT COUNT(*) FROM {table}")
        if count and count[0]:
            assert data_revision(db) > before, f"a write to {table} did not raise the revision"


def seed_v9(db: Database, ids: Ids) -> None:
    """A calendar feed token's hash kept at v9."""
    from afterview.store import tokens

    with db.transaction():
        tokens.save_token_hash(db, 1, "ab" * 32, utc("2026-10-01T07:00:00+00:00"))


def check_v9(db: Database, ids: Ids) -> None:
    """The hash of `seed_v9` reads back."""
    from afterview.store import tokens

    assert tokens.token_hash(db, 1) == "ab" * 32


def seed_v10(db: Database, ids: Ids) -> None:
    """A lead's posting details kept at v10 (plain SQL: the columns of v10)."""
    with db.transaction():
        db.execute(
            "INSERT INTO lead_detail (application_id, location, remote, salary_min, salary_max, "
            "salary_currency, salary_unit, posted_on, valid_through, source) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ids["acme"],
                "Berlin, DE",
                1,
                60000.0,
                75000.0,
                "EUR",
                "YEAR",
                "2026-09-01",
                "2026-10-01",
                "file",
            ),
        )


def check_v10(db: Database, ids: Ids) -> None:
    """The details of `seed_v10` read back."""
    from afterview.store import leads

    found = leads.details(db, 1)
    detail = found[ids["acme"]]
    assert detail["location"] == "Berlin, DE" and detail["remote"] is True
    assert detail["salary_max"] == 75000.0 and detail["posted_on"] == "2026-09-01"


def seed_v11(db: Database, ids: Ids) -> None:
    """A lead moved in from another tracker, at v11."""
    from afterview.store import leads

    with db.transaction():
        leads.save_detail(
            db, ids["globex"], {"source": "huntr", "source_status": "Wishlist", "notes": "n"}
        )


def check_v11(db: Database, ids: Ids) -> None:
    """The stage and notes of `seed_v11` read back; v10's details are kept."""
    from afterview.store import leads

    found = leads.details(db, 1)
    assert found[ids["globex"]]["source_status"] == "Wishlist"
    assert found[ids["globex"]]["notes"] == "n"


def seed_v12(db: Database, ids: Ids) -> None:
    """A profile check with one open finding, at v12."""
    with db.transaction():
        _seed_v12_check(db)


def _seed_v12_check(db: Database) -> None:
    db.execute(
        "INSERT INTO profile_check (account_id, at, resume, linkedin, open_findings, high_findings, "
        "first_fix, findings, notes) VALUES (1, '2026-11-20T09:00:00+00:00', 'r.json', 'li.zip', 1, 1, "
        '\'Rewrite the headline.\', \'[{"kind": "headline", "severity": "high", '
        '"what": "w", "fix": "Rewrite the headline."}]\', \'[]\')'
    )


def check_v12(db: Database, ids: Ids) -> None:
    """The check of `seed_v12` reads back and reaches the plan's facts."""
    from afterview.store import profile
    from afterview.store.facts import load_facts

    [check] = profile.checks(db, 1)
    assert check["findings"][0]["kind"] == "headline" and check["linkedin"] == "li.zip"
    note = load_facts(db, 1, user_tz="UTC").profile_check
    assert (
        note is not None and note.open_findings == 1 and note.first_fix == "Rewrite the headline."
    )


def seed_v13(db: Database, ids: Ids) -> None:
    """A question with a hand-set tag and a better answer, at v13."""
    with db.transaction():
        db.execute(
            "UPDATE question SET tag = 'behavioural', answer = 'Own it, then the fix.', "
            "answered_at = '2026-11-20T09:00:00+00:00' WHERE id = (SELECT MIN(id) FROM question)"
        )


def check_v13(db: Database, ids: Ids) -> None:
    """The tag and answer of `seed_v13` read back through the question bank."""
    from afterview.store import questions

    [row] = [q for q in questions.all_questions(db, 1) if q["answer"]]
    assert row["tag"] == "behavioural" and row["answer"] == "Own it, then the fix."


def seed_v14(db: Database, ids: Ids) -> None:
    """An agenda snapshot as v14 stored it (the table v20 drops for the bounds)."""
    db.execute(
        "INSERT INTO agenda_snapshot (account_id, revision, fingerprint, body) "
        "VALUES (1, 1, 'format 2', '{}')"
    )


def check_v14(db: Database, ids: Ids) -> None:
    """The snapshot is gone after v20, and the agenda lists what the plan lists."""
    from afterview.services.live import live_agenda

    assert not table_exists(db, "agenda_snapshot")
    ctx = _context(db, "2026-09-16T10:00:00+02:00")
    expected = [a.id for a in live_actions(ctx.facts(), ctx.now, ctx.config.playbook)]
    assert [a.id for a in live_agenda(ctx).actions] == expected
    assert [a.id for a in live_agenda(ctx).actions] == expected


def seed_v15(db: Database, ids: Ids) -> None:
    """v15 stores nothing new; `test_v15_…` below writes the years it repairs."""


def check_v15(db: Database, ids: Ids) -> None:
    """Every moment and date stored is within 1990..2100 (the seeds' values were)."""
    for table, col in (*migration_years.MOMENT_COLUMNS, *migration_years.OPTIONAL_DATE_COLUMNS):
        if table_exists(db, table):
            for (value,) in db.query(f"SELECT {col} FROM {table} WHERE {col} IS NOT NULL"):
                assert "1990" <= str(value)[:4] <= "2100", (table, col, value)


def seed_v16(db: Database, ids: Ids) -> None:
    """A draft afterview composed (not edited), kept at v16."""
    with db.transaction():
        ids["draft_v16"] = repo.save_draft(
            db, 1, ids["iv_globex"], f"follow_up:{ids['iv_globex']}:1", "follow_up",
            "Grace Hopper", None, "Following up", "Hello Grace,\n", utc("2026-09-25T08:00:00+00:00"),
            edited=False,
        )  # fmt: skip


def _composed_v16(ids: Ids) -> repo.DraftRow:
    return repo.DraftRow(
        id=ids.get("draft_v16", -1),
        interview_id=ids["iv_globex"],
        action_id=f"follow_up:{ids['iv_globex']}:1",
        kind="follow_up",
        to_name="Grace Hopper",
        to_email=None,
        subject="Following up",
        body="Hello Grace,\n",
        created_at=utc("2026-09-25T08:00:00+00:00"),
        edited=False,
    )


def check_v16(db: Database, ids: Ids) -> None:
    """The composed draft of `seed_v16` reads back as afterview's; the one kept at v2 as
    the user's; the column refuses anything but 0 and 1."""
    assert repo.list_drafts(db, 1, ids["iv_globex"]) == [_composed_v16(ids)]
    [old] = repo.list_drafts(db, 1, ids["iv_acme"])
    assert old.edited is True
    with pytest.raises(Exception), db.transaction():  # noqa: B017 - each engine has its own class
        db.execute("UPDATE draft SET edited = 2 WHERE id = ?", (ids["draft_v16"],))


def seed_v17(db: Database, ids: Ids) -> None:
    """A thank-you in the outbox in afterview's words, written for the moment it goes out."""
    with db.transaction():
        ids["outbox_v17"] = mailstore.add_outbox(
            db, 1, interview_id=ids["iv_acme"], action_id=f"thank_you:{ids['iv_acme']}:{ids['ada']}",
            kind="thank_you", person_id=ids["ada"], to_name="Ada Lovelace",
            to_email="ada@acme.example", subject="Thank you", body="Dear Ada,\n\nThank you.\n",
            message_id="<v17.1@example.org>", send_at=utc("2026-09-16T16:00:00+00:00"),
            due_at=utc("2026-09-17T15:45:00+00:00"), forced=False,
            now=utc("2026-09-16T15:50:00+00:00"), written_for=utc("2026-09-16T16:00:00+00:00"),
        )  # fmt: skip


def check_v17(db: Database, ids: Ids) -> None:
    """The message of `seed_v17` keeps the moment its words were written for; the one
    approved at v4 has none (its words are never rewritten)."""
    row = mailstore.get_outbox(db, 1, ids["outbox_v17"])
    assert row is not None and row.written_for == utc("2026-09-16T16:00:00+00:00")
    if "outbox" in ids:
        old = mailstore.get_outbox(db, 1, ids["outbox"])
        assert old is not None and old.written_for is None


def seed_v18(db: Database, ids: Ids) -> None:
    """Globex moved to the offer column by hand, with a note; Acme left where its facts
    put it (the applications written at v1 have neither)."""
    with db.transaction():
        appstore.set_stage(db, 1, ids["globex"], "offer", utc("2026-09-20T08:00:00+00:00"))
        appstore.set_notes(db, 1, ids["globex"], "Ask about the team.\nAnd the on-call.")


def check_v18(db: Database, ids: Ids) -> None:
    """The placement and the note of `seed_v18` read back; Acme has none; the column
    refuses a stage the board does not have."""
    assert appstore.stages(db, 1) == {ids["globex"]: ("offer", utc("2026-09-20T08:00:00+00:00"))}
    globex = appstore.record(db, 1, ids["globex"])
    assert globex is not None and globex["notes"] == "Ask about the team.\nAnd the on-call."
    acme = appstore.record(db, 1, ids["acme"])
    assert acme is not None and (acme["stage"], acme["stage_at"], acme["notes"]) == (None,) * 3
    with pytest.raises(Exception), db.transaction():  # noqa: B017 - each engine has its own class
        db.execute("UPDATE application SET stage = 'hired' WHERE id = ?", (ids["acme"],))


def seed_v19(db: Database, ids: Ids) -> None:
    """An application recorded through a use case: the journal holds it as one change."""
    from afterview.services import records

    ctx = _context(db, "2026-09-20T10:00:00+02:00")
    ctx.journal_source = "application add"
    ids["app_v19"] = records.add_application(ctx, "Initech", "QA Engineer", "2026-09-19")
    row = db.one("SELECT MAX(id) FROM journal_change")
    assert row is not None
    ids["change_v19"] = int(row[0])


def check_v19(db: Database, ids: Ids) -> None:
    """The change of `seed_v19` is in the history and can be undone on the upgraded
    database: the application goes, nothing else does."""
    from afterview.services import journal

    ctx = _context(db, "2026-09-21T10:00:00+02:00")
    found = [c for c in journal.history(ctx, 100) if c.id == ids["change_v19"]]
    assert [(c.source, c.summary) for c in found] == [
        ("application add", f"added application {ids['app_v19']}")
    ]
    before = len(repo.list_applications(db, 1))
    journal.undo_change(ctx, ids["change_v19"])
    assert all(a.id != ids["app_v19"] for a in repo.list_applications(db, 1))
    assert len(repo.list_applications(db, 1)) == before - 1
    # the board's columns, added by migration 18, are journaled too
    from afterview.services import applications

    applications.save_notes(ctx, ids["acme"], "Call back on Friday.")
    assert (appstore.record(db, 1, ids["acme"]) or {})["notes"] == "Call back on Friday."
    journal.undo_latest(ctx)
    assert (appstore.record(db, 1, ids["acme"]) or {})["notes"] is None


def seed_v20(db: Database, ids: Ids) -> None:
    """The bounds computed by an agenda at v20."""
    from afterview.services.live import live_agenda

    live_agenda(_context(db, "2026-09-16T10:00:00+02:00"))


def check_v20(db: Database, ids: Ids) -> None:
    """Every interview has its bound row (those of earlier versions made by the migration),
    an agenda computes the unknown ones, and a message about an interview forgets its own."""
    from afterview.services.live import live_agenda

    interviews = {int(r[0]) for r in db.query("SELECT id FROM interview WHERE account_id = 1")}
    rows = {int(r[0]) for r in db.query("SELECT interview_id FROM interview_quiet")}
    assert rows == interviews and interviews
    live_agenda(_context(db, "2026-09-16T10:00:00+02:00"))
    assert not db.query("SELECT 1 FROM interview_quiet WHERE quiet_from IS NULL")
    iv = min(interviews)
    with db.transaction():
        db.execute(
            "INSERT INTO touch (account_id, interview_id, direction, kind, at, created_at) "
            "VALUES (1, ?, 'received', 'other', '2026-09-16T07:00:00+00:00', "
            "'2026-09-16T07:00:00+00:00')",
            (iv,),
        )
    [(quiet,)] = db.query("SELECT quiet_from FROM interview_quiet WHERE interview_id = ?", (iv,))
    assert quiet is None
    with db.transaction():
        db.execute("DELETE FROM touch WHERE at = '2026-09-16T07:00:00+00:00'")


def seed_v21(db: Database, ids: Ids) -> None:
    """A worker's pass recorded at v21."""
    from afterview.store import worker_runs

    run = worker_runs.WorkerRun(utc("2026-09-16T08:00:00+00:00"), "ok", None, "host:1:2", 60)
    worker_runs.record(db, 1, run)


def check_v21(db: Database, ids: Ids) -> None:
    """The last pass reads back; recording another raises no data revision and is no
    change in the journal (a heartbeat every minute must not empty the web's cache)."""
    from afterview.store import worker_runs
    from afterview.store.revision import data_revision

    found = worker_runs.last(db, 1)
    assert found is not None and found.at >= utc("2026-09-16T08:00:00+00:00")
    before, changes = data_revision(db), db.one("SELECT COUNT(*) FROM journal_change")
    later = worker_runs.WorkerRun(utc("2026-09-16T08:01:00+00:00"), "setup", "no", "h:1:2", None)
    worker_runs.record(db, 1, later)
    assert worker_runs.last(db, 1) == later
    assert data_revision(db) == before
    assert db.one("SELECT COUNT(*) FROM journal_change") == changes


def seed_v22(db: Database, ids: Ids) -> None:
    """A second account that logs in with OAuth2 (the v4 one, from before, with a password)."""
    assert mailstore.get_settings(db, 1) == SAVED_SETTINGS["v4"]  # auth = password
    settings = SAVED_SETTINGS["v4"]._replace(
        auth="oauth2", oauth_provider="microsoft", oauth_client_id="0f1e2d3c-aaaa-bbbb"
    )
    with db.transaction():
        db.execute(
            "INSERT INTO account (id, name, created_at) VALUES (2, 'v22', "
            "'2026-09-30T10:00:00+00:00')"
        )
        mailstore.save_settings(db, 2, settings, utc("2026-09-30T10:00:00+00:00"))
    SAVED_SETTINGS["v22"] = settings


def check_v22(db: Database, ids: Ids) -> None:
    """The OAuth2 settings read back; any other way to log in is refused by the schema."""
    assert mailstore.get_settings(db, 2) == SAVED_SETTINGS["v22"]
    with pytest.raises(Exception), db.transaction():  # noqa: B017 - each engine has its own class
        db.execute("UPDATE mail_settings SET auth = 'kerberos' WHERE account_id = 2")


def seed_v23(db: Database, ids: Ids) -> None:
    """Account 2 (from v22) signs in to a server and records an application of its own."""
    from afterview.services import records
    from afterview.store import server_accounts

    with db.unrecorded(), db.transaction():
        db.execute(
            "INSERT INTO server_login (account_id, email, role, password_hash, created_at) "
            "VALUES (2, 'seeker@example.org', 'seeker', '$argon2id$v=19$m=65536,t=3,p=4$x$y', "
            "'2026-10-01T08:00:00+00:00')"
        )
    ctx = _context(db, "2026-10-01T10:00:00+02:00", account=2)
    ctx.journal_source = "application add"
    ids["app_v23"] = records.add_application(ctx, "Hooli", "SRE", "2026-10-01")
    assert server_accounts.account_of_email(db, "seeker@example.org") == 2


def check_v23(db: Database, ids: Ids) -> None:
    """Each account's history holds its own changes only; the login reads back, and a role
    the server does not know is refused by the schema."""
    from afterview.services import journal
    from afterview.store import server_accounts

    first = _context(db, "2026-10-02T10:00:00+02:00")
    second = _context(db, "2026-10-02T10:00:00+02:00", account=2)
    assert [c.summary for c in journal.history(second, 100)] == [
        f"added application {ids['app_v23']}"
    ]
    assert all("Hooli" not in c.summary for c in journal.history(first, 100))
    assert ids["change_v19"] in {c.id for c in journal.history(first, 100)}
    login = server_accounts.get_login(db, 2)
    assert login is not None and (login.email, login.role) == ("seeker@example.org", "seeker")
    assert server_accounts.get_login(db, 1) is None  # the single user's account has no login
    with pytest.raises(Exception), db.transaction():  # noqa: B017 - each engine has its own class
        db.execute("UPDATE server_login SET role = 'root' WHERE account_id = 2")


def seed_v24(db: Database, ids: Ids) -> None:
    """Account 2 coaches a cohort that account 1 joined, sharing its figures."""
    from afterview.store import cohorts

    at = utc("2026-10-03T08:00:00+00:00")
    with db.unrecorded(), db.transaction():
        ids["cohort_v24"] = cohorts.create(db, 2, "Autumn", at)
        cohorts.join(db, ids["cohort_v24"], 1, ("figures",), at)
        cohorts.save_summary(db, 1, at, at, None, {"overdue": 2})


def check_v24(db: Database, ids: Ids) -> None:
    """The cohort, the membership and the figures read back."""
    from afterview.store import cohorts

    found = cohorts.get(db, ids["cohort_v24"])
    assert found is not None and (found.coach, found.name, found.members) == (2, "Autumn", 1)
    [member] = cohorts.members(db, ids["cohort_v24"])
    assert (member.account, member.shares, member.figures) == (1, ("figures",), {"overdue": 2})


def seed_v25(db: Database, ids: Ids) -> None:
    """A sealed mail secret of account 2 (its text as a server's store writes it)."""
    from afterview.store import account_secrets

    with db.unrecorded(), db.transaction():
        account_secrets.put(db, 2, "smtp:seeker@smtp.example.org", "gAAAAA-sealed")


def check_v25(db: Database, ids: Ids) -> None:
    """The sealed secret reads back, under its account only."""
    from afterview.store import account_secrets

    assert account_secrets.get(db, 2, "smtp:seeker@smtp.example.org") == "gAAAAA-sealed"
    assert account_secrets.get(db, 1, "smtp:seeker@smtp.example.org") is None


def seed_v26(db: Database, ids: Ids) -> None:
    """Account 2's own settings on a server."""
    from afterview.store import account_config

    with db.unrecorded(), db.transaction():
        account_config.put(db, 2, 'timezone = "Asia/Tokyo"\n', utc("2026-10-04T08:00:00+00:00"))


def check_v26(db: Database, ids: Ids) -> None:
    """They read back for account 2 only."""
    from afterview.store import account_config

    assert account_config.get(db, 2) == 'timezone = "Asia/Tokyo"\n'
    assert account_config.get(db, 1) is None


def _context(db: Database, at: str, account: int = 1) -> Context:
    return Context(
        db,
        Config(path="none", timezone="Europe/Paris"),
        datetime.fromisoformat(at),
        True,
        account=account,
    )


def _first_column(db: Database, table: str) -> str:
    if db.dialect == "sqlite":
        return str(db.query(f"PRAGMA table_info({table})")[0][1])
    row = db.one(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND table_name = ? ORDER BY ordinal_position LIMIT 1",
        (table,),
    )
    assert row is not None
    return str(row[0])


def _tables(db: Database) -> set[str]:
    if db.dialect == "sqlite":
        rows = db.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        rows = db.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    return {r[0] for r in rows}


SAVED_SETTINGS: dict[str, MailSettings] = {}

SEEDS: dict[int, tuple[Callable[[Database, Ids], None], Callable[[Database, Ids], None]]] = {
    1: (seed_v1, check_v1),
    2: (seed_v2, check_v2),
    3: (seed_v3, check_v3),
    4: (seed_v4, check_v4),
    5: (seed_v5, check_v5),
    6: (seed_v6, check_v6),
    7: (seed_v7, check_v7),
    8: (seed_v8, check_v8),
    9: (seed_v9, check_v9),
    10: (seed_v10, check_v10),
    11: (seed_v11, check_v11),
    12: (seed_v12, check_v12),
    13: (seed_v13, check_v13),
    14: (seed_v14, check_v14),
    15: (seed_v15, check_v15),
    16: (seed_v16, check_v16),
    17: (seed_v17, check_v17),
    18: (seed_v18, check_v18),
    19: (seed_v19, check_v19),
    20: (seed_v20, check_v20),
    21: (seed_v21, check_v21),
    22: (seed_v22, check_v22),
    23: (seed_v23, check_v23),
    24: (seed_v24, check_v24),
    25: (seed_v25, check_v25),
    26: (seed_v26, check_v26),
}


# -- tests ------------------------------------------------------------------------------------------
def test_every_version_has_seed() -> None:
    missing = sorted(set(VERSIONS) - set(SEEDS))
    assert not missing, (
        f"migration(s) {missing} have no seed/check in tests/store/test_migrations.py: "
        "add rows written at that version and what must read back (house rule 9)"
    )
    assert sorted(VERSIONS) == VERSIONS
    assert list(range(1, LATEST + 1)) == VERSIONS


def test_empty_database_migrates_to_latest(db: Database) -> None:
    assert current_version(db) == 0
    assert migrate(db) == LATEST
    assert current_version(db) == LATEST
    assert versions_recorded(db) == VERSIONS
    described = dict(db.query("SELECT version, description FROM schema_version"))
    assert described == {m.version: m.description for m in MIGRATIONS}
    assert db.query("SELECT id, name FROM account") == [(1, "personal")]
    for table in migrations._ID_TABLES:
        assert table_exists(db, table), table
    assert repo.is_empty(db, 1)
    facts = load_facts(db, 1, user_tz="UTC")
    assert facts.applications == () and facts.interviews == () and facts.touches == ()


@pytest.mark.parametrize("version", VERSIONS)
def test_migrate_stops_at_target(db: Database, version: int) -> None:
    assert migrate(db, version) == version
    assert current_version(db) == version
    assert versions_recorded(db) == VERSIONS[:version]


def test_migrate_again_is_a_no_op(db_url: str, db: Database) -> None:
    migrate(db)
    with db.transaction():
        app_id = repo.add_application(
            db, 1, "Initech", "QA", None, None, utc("2026-09-01T00:00:00+00:00")
        )
    assert migrate(db) == LATEST
    assert migrate(db) == LATEST
    assert versions_recorded(db) == VERSIONS
    again = open_database(db_url)  # what every CLI call does
    try:
        assert current_version(again) == LATEST
        assert [a.id for a in repo.list_applications(again, 1)] == [app_id]
    finally:
        again.close()


@pytest.mark.parametrize("start", VERSIONS)
def test_upgrade_keeps_data(db: Database, start: int) -> None:
    """Write data at every version up to `start`, migrate to the latest, read it all back."""
    ids: Ids = {}
    for version in VERSIONS:
        if version > start:
            break
        assert migrate(db, version) == version
        seed, _check = SEEDS[version]
        seed(db, ids)
    assert current_version(db) == start

    assert migrate(db) == LATEST
    assert versions_recorded(db) == VERSIONS
    for version in VERSIONS:
        if version <= start:
            _seed, check = SEEDS[version]
            check(db, ids)

    # The upgraded database takes new rows (ids past the old ones) through the repository.
    now = utc("2026-10-01T09:00:00+00:00")
    with db.transaction():
        new_app = repo.add_application(db, 1, "Umbrella", "SRE", date(2026, 9, 30), None, now)
        new_iv = repo.add_interview(
            db, 1, new_app, utc("2026-10-05T09:00:00+00:00"), utc("2026-10-05T10:00:00+00:00"),
            "Asia/Tokyo", None, now,
        )  # fmt: skip
        person = repo.find_or_add_person(db, 1, "Lin", "lin@umbrella.example")
        repo.set_interviewers(db, new_iv, [person])
        repo.add_touch(db, 1, new_iv, "sent", "thank_you", person.id, now, None, False, now)
        action = f"thank_you:{new_iv}:{person.id}"
        to = ("Lin", "lin@umbrella.example")
        repo.save_draft(
            db, 1, new_iv, action, "thank_you", *to, "Thanks", "Thank you!", now, edited=False
        )
    assert repo.get_interview(db, 1, new_iv) is not None
    assert [(d.subject, d.edited) for d in repo.list_drafts(db, 1, new_iv)] == [("Thanks", False)]
    assert len(repo.list_applications(db, 1)) == 3


def test_newer_database_is_refused(db_url: str, db: Database) -> None:
    migrate(db)
    with db.transaction():
        db.execute(
            "INSERT INTO schema_version (version, description) VALUES (?, ?)",
            (LATEST + 1, "from a newer afterview"),
        )
    with pytest.raises(StoreError, match=r"newer than this afterview knows"):
        migrate(db)
    with pytest.raises(StoreError, match=rf"schema version {LATEST + 1}"):
        open_database(db_url)
    assert current_version(db) == LATEST + 1


BROKEN_SQL = """
CREATE TABLE half_done (id {pk}, note TEXT);
INSERT INTO half_done (note) VALUES ('must not survive');
INSERT INTO no_such_table (x) VALUES (1)
"""


def test_failing_migration_leaves_version_before(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = Migration(LATEST + 1, "broken on purpose", BROKEN_SQL)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(Exception, match=r"no_such_table"):
        migrate(db, LATEST + 1)
    # The migrations before it were committed, the broken one left nothing behind.
    assert current_version(db) == LATEST
    assert versions_recorded(db) == VERSIONS
    assert not table_exists(db, "half_done")
    # The connection is still usable and the database works at the version before.
    assert migrate(db) == LATEST
    with db.transaction():
        repo.add_profile_review(db, 1, utc("2026-09-01T00:00:00+00:00"))
    assert load_facts(db, 1, user_tz="UTC").profile_reviews == (utc("2026-09-01T00:00:00+00:00"),)


def test_failing_first_migration_leaves_empty_database(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = Migration(1, "broken on purpose", BROKEN_SQL)
    monkeypatch.setattr(migrations, "MIGRATIONS", (broken,))
    with pytest.raises(Exception, match=r"no_such_table"):
        migrate(db, 1)
    assert current_version(db) == 0
    assert not table_exists(db, "half_done")


def test_v15_brings_years_let_in_by_earlier_versions_into_range(db: Database) -> None:
    """Rows written at v14 with years 9999 and 0001 read back in range after v15: optional
    dates empty, moments moved to 2100 or 1990 with month, day and time kept."""
    ids: Ids = {}
    for version in VERSIONS[: VERSIONS.index(14) + 1]:
        migrate(db, version)
        SEEDS[version][0](db, ids)
    with db.transaction():
        db.execute(
            "UPDATE interview SET decision_by = '9999-12-31', start_at = '9999-02-29T10:00:00+00:00', "
            "end_at = '9999-02-29T11:00:00+00:00' WHERE id = ?",
            (ids["iv_acme"],),
        )
        db.execute("UPDATE application SET applied_on = '0001-01-01'")
        db.execute("UPDATE touch SET at = '0001-06-01T08:30:00+00:00'")
    with db.transaction():  # moved one by one, these two would turn round
        db.execute(
            "UPDATE interview SET start_at = '2100-12-31T23:30:00+00:00', "
            "end_at = '2101-01-01T00:30:00+00:00' WHERE id = ?",
            (ids["iv_globex"],),
        )
    migrate(db)
    iv = repo.get_interview(db, 1, ids["iv_acme"])
    assert iv is not None and iv.decision_by is None
    turned = repo.get_interview(db, 1, ids["iv_globex"])
    assert turned is not None
    assert (turned.start, turned.end) == (
        utc("2100-12-31T00:00:00+00:00"),
        utc("2100-12-31T01:00:00+00:00"),
    )
    assert iv.start == utc("2100-02-28T10:00:00+00:00")
    assert iv.end == utc("2100-02-28T11:00:00+00:00")
    assert {r[0] for r in db.query("SELECT applied_on FROM application")} == {None}
    assert {r[0] for r in db.query("SELECT at FROM touch")} == {"1990-06-01T08:30:00+00:00"}
    ctx = _context(db, "2026-09-16T10:00:00+02:00")
    live_actions(ctx.facts(), ctx.now, ctx.config.playbook)  # no OverflowError


def test_every_date_column_is_brought_into_range_by_v15(db: Database) -> None:
    """A new column holding a moment or a date must join v15's lists (or a migration of its own)."""
    migrate(db)
    listed = {*migration_years.MOMENT_COLUMNS, *migration_years.OPTIONAL_DATE_COLUMNS}
    found = set()
    # the journal's moments are written by this version, in range (`put_dt` checks)
    skipped = {"schema_version", *migrations.CACHE_TABLES, *journal.JOURNAL_TABLES}
    for table in _tables(db) - skipped:
        if db.dialect == "sqlite":
            cols = [r[1] for r in db.query(f"PRAGMA table_info({table})")]
        else:
            cols = [
                r[0]
                for r in db.query(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = ?",
                    (table,),
                )
            ]
        found |= {
            (table, c)
            for c in cols
            if c == "at" or (c.endswith(("_at", "_on", "_by", "_through")) and c != "claimed_by")
        }
    assert found == listed | SINCE_V15


#: Moment and date columns added after v15: the store and the import refused years out of
#: range from their first day (`afterview.daterange`), so none holds one to repair.
SINCE_V15 = {
    ("application", "stage_at"),
    ("worker_run", "at"),
    *(("server_login", c) for c in ("created_at", "password_at", "disabled_at")),
    *(("server_session", c) for c in ("created_at", "expires_at", "seen_at")),
    *(("server_token", c) for c in ("created_at", "expires_at", "used_at")),
    *(("cohort", c) for c in ("created_at", "invite_expires_at")),
    *(("cohort_member", c) for c in ("joined_at", "left_at")),
    ("seeker_summary", "computed_at"),
    ("account_config", "updated_at"),
}
