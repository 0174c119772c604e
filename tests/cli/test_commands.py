"""Every command of the porcelain contract on a real database: effects, errors, exit codes."""

from __future__ import annotations

import re

from tests.cli.helpers import Afterview

NOW = "2026-09-15T18:30"
NEW = ["interview", "add", "--company", "X", "--role", "Y"]


def interview(av: Afterview, *people: str) -> int:
    args = [
        "interview",
        "add",
        "--company",
        "Acme",
        "--role",
        "Data Engineer",
        "--start",
        "2026-09-15T14:00",
    ]
    for p in people:
        args += ["--interviewer", p]
    return int(av.ok(*args, now=NOW).out)


def actions(av: Afterview, now: str = NOW) -> dict[str, dict]:
    return {a["id"]: a for a in av.ok("agenda", "--json", "--all", now=now).json()["actions"]}


def test_application_add_and_list(av: Afterview) -> None:
    r = av.ok(
        "application",
        "add",
        "--company",
        "Globex",
        "--role",
        "SRE",
        "--applied-on",
        "2026-09-14",
        "--url",
        "https://jobs.example/1",
        "--json",
        now=NOW,
    )
    rec = r.json()
    assert rec["id"] == 1 and rec["applied_on"] == "2026-09-14" and rec["status"] == "applied"
    rows = av.ok("application", "list", "--json", now=NOW).json()
    assert [(a["company"], a["status"]) for a in rows] == [("Globex", "applied")]
    assert "Globex" in av.ok("application", "list", now=NOW).out


def test_interview_reuses_the_application(av: Afterview) -> None:
    av.ok("application", "add", "--company", "Acme", "--role", "Data Engineer", now=NOW)
    interview(av)
    rows = av.ok("application", "list", "--json", now=NOW).json()
    assert len(rows) == 1 and rows[0]["interviews"] == 1


def test_keep_searching_counts_applications(av: Afterview) -> None:
    interview(av, "Ana <ana@acme.example>")
    for n in range(5):
        av.ok(
            "application",
            "add",
            "--company",
            f"Co{n}",
            "--role",
            "DE",
            "--applied-on",
            "2026-09-16",
            now=NOW,
        )
    ks = actions(av, "2026-09-17T09:00")["keep_searching:2026-W38"]
    assert ks["progress"] == {"done": 5, "target": 5}
    assert ks["state"] == "done"


def test_done_skip_and_their_errors(av: Afterview) -> None:
    iv = interview(av, "Ana Lopez <ana@acme.example>")
    ty = f"thank_you:{iv}:1"
    assert av.ok("done", ty, now=NOW).out.strip() == f"{ty}: done"
    again = av("done", ty, now=NOW)
    assert again.code == 1 and "already ended" in again.err
    ks = av("done", "keep_searching:2026-W38", now=NOW)
    assert ks.code == 1 and "application add" in ks.err
    assert (
        av.ok("skip", f"follow_up:{iv}:1", "--why", "they will call", now=NOW)
        .out.strip()
        .endswith("skipped")
    )
    all_ = actions(av, "2026-10-30T12:00")
    assert not [a for a in all_ if a.startswith(f"follow_up:{iv}:") and a != f"follow_up:{iv}:1"]
    missing = av("done", "thank_you:99:1", now=NOW)
    assert missing.code == 1 and "no such action" in missing.err
    assert av.ok("done", f"self_assess:{iv}", now=NOW)
    assert actions(av)[f"self_assess:{iv}"]["state"] == "done"
    av.ok("done", f"refresh_profile:{iv}", now=NOW)
    assert actions(av)[f"refresh_profile:{iv}"]["state"] == "done"


def test_thank_you_on_a_panel_needs_to(av: Afterview) -> None:
    iv = interview(av, "Ana <ana@acme.example>", "Ben <ben@acme.example>")
    r = av("log", str(iv), "--sent", "--kind", "thank_you", now=NOW)
    assert r.code == 2 and r.err.startswith("afterview: --to:")
    av.ok(
        "log", str(iv), "--sent", "--kind", "thank_you", "--to", "Ben <ben@acme.example>", now=NOW
    )
    states = {
        a["person"]["name"]: a["state"] for a in actions(av).values() if a["kind"] == "thank_you"
    }
    assert states == {"Ana": "open", "Ben": "done"}


def test_outcome_ends_follow_ups_only(av: Afterview) -> None:
    iv = interview(av, "Ana <ana@acme.example>")
    av.ok("outcome", str(iv), "rejected", now=NOW)
    acts = actions(av)
    assert acts[f"follow_up:{iv}:1"]["state"] == "cancelled"
    assert acts[f"thank_you:{iv}:1"]["state"] == "open"
    shown = av.ok("interview", "show", str(iv), "--json", now=NOW).json()
    assert shown["status"] == "rejected" and shown["outcome"]["result"] == "rejected"


def test_profile_reviewed_and_update(av: Afterview) -> None:
    av.ok("profile", "reviewed", "--at", "2026-09-01T10:00", now=NOW)
    iv = interview(av)
    assert f"refresh_profile:{iv}" not in actions(av)
    updated = av.ok(
        "interview", "update", str(iv), "--decision-by", "2026-09-30", "--json", now=NOW
    ).json()
    assert updated["decision_by"] == "2026-09-30"
    assert actions(av)[f"follow_up:{iv}:1"]["opens_at"] == "2026-10-01T09:00:00+02:00"
    moved = av.ok(
        "interview", "update", str(iv), "--start", "2026-09-15T16:00", "--json", now=NOW
    ).json()
    assert moved["end"] == "2026-09-15T17:00:00+02:00"


def test_bad_input_is_one_line_and_changes_nothing(av: Afterview) -> None:
    iv = interview(av, "Ana <ana@acme.example>")
    before = av.ok("export", now=NOW).out
    cases = [
        (
            [
                *NEW,
                "--start",
                "2026-09-15T14:00",
                "--tz",
                "Mars/Base",
            ],
            "--tz",
        ),
        (
            [
                *NEW,
                "--start",
                "2026-09-15T14:00",
                "--end",
                "2026-09-15T13:00",
            ],
            "--end",
        ),
        (
            [
                *NEW,
                "--start",
                "2026-09-15T14:00",
                "--decision-by",
                "2026-09-01",
            ],
            "--decision-by",
        ),
        (
            [*NEW, "--start", "15/09/2026 14h"],
            "--start",
        ),
        (
            [
                *NEW,
                "--start",
                "2026-03-29T02:30",
                "--tz",
                "Europe/Paris",
            ],
            "--start",
        ),
        (
            [
                *NEW,
                "--start",
                "2026-09-15T14:00",
                "--interviewer",
                "Ana <not-an-email>",
            ],
            "--interviewer",
        ),
        (
            ["interview", "add", "--company", " ", "--role", "Y", "--start", "2026-09-15T14:00"],
            "--company",
        ),
        (
            ["application", "add", "--company", "X", "--role", "Y", "--applied-on", "yesterday"],
            "--applied-on",
        ),
        (
            ["application", "add", "--company", "X", "--role", "Y", "--url", "javascript:alert(1)"],
            "--url",
        ),
        (["log", str(iv), "--sent", "--at", "2027-01-01T10:00"], "--at"),
        (["assess", str(iv), "--score", "rapport=9"], "--score"),
        (["assess", str(iv), "--score", "charm=3"], "--score"),
        (["assess", str(iv), "--confidence", "120"], "--confidence"),
        (["interview", "show", "abc"], "ID"),
        (["skip", "nope:1", "--why", "x"], "ACTION_ID"),
    ]
    for args, field in cases:
        r = av(*args, now=NOW)
        assert r.code == 2, (args, r.code, r.err)
        assert r.err.startswith(f"afterview: {field}"), (args, r.err)
        assert len(r.err.strip().splitlines()) == 1, r.err
        assert "Traceback" not in r.err
    for args in (
        ["interview", "show", "42"],
        ["log", "42", "--sent"],
        ["outcome", "42", "offer"],
        ["skip", "self_assess:42", "--why", "x"],
    ):
        r = av(*args, now=NOW)
        assert r.code == 1 and len(r.err.strip().splitlines()) == 1, (args, r.err)
    assert av.ok("export", now=NOW).out == before


def test_assess_and_show(av: Afterview) -> None:
    iv = interview(av, "Ana <ana@acme.example>")
    r = av.ok(
        "assess",
        str(iv),
        "--score",
        "preparation=4",
        "--score",
        "rapport=5",
        "--asked",
        "Why us?",
        "--asked",
        "A conflict you solved?",
        "--went-well",
        "stories",
        "--improve",
        "shorter answers",
        "--confidence",
        "65",
        "--json",
        now=NOW,
    )
    assert r.json()["scores"] == {"preparation": 4, "rapport": 5}
    shown = av.ok("interview", "show", str(iv), "--json", now=NOW).json()
    assert shown["assessment"]["asked"] == ["Why us?", "A conflict you solved?"]
    assert shown["assessment"]["confidence"] == 65
    assert next(a for a in shown["actions"] if a["kind"] == "self_assess")["state"] == "done"
    human = av.ok("interview", "show", str(iv), now=NOW).out
    assert "Self-assessment" in human and "Why us?" in human


def test_interview_note_and_list(av: Afterview) -> None:
    iv = interview(av, "Ana <ana@acme.example>")
    av.ok("interview", "note", str(iv), "--topic", "Kafka migration", "--topic", "on-call", now=NOW)
    shown = av.ok("interview", "show", str(iv), "--json", now=NOW).json()
    assert shown["topics"] == ["Kafka migration", "on-call"]
    rows = av.ok("interview", "list", "--json", now=NOW).json()
    assert rows[0]["status"] == "awaiting" and rows[0]["open_actions"] >= 3


def test_human_agenda_reads_at_a_glance(av: Afterview) -> None:
    interview(av, "Ana Lopez <ana@acme.example>")
    out = av.ok("agenda", now="2026-09-15T15:30").out
    assert "--now" in out
    assert re.search(r"Ideal now \(\d\)", out) and "Upcoming" in out
    assert "ideal today 17:00–18:00, in 1 h 30 min; due tomorrow 15:00" in out
    empty = Afterview(av.db_url + "-other") if av.db_url.endswith(".db") else None
    if empty:
        assert "Nothing to do" in empty.ok("agenda", now=NOW).out


def test_demo_then_refused(av: Afterview) -> None:
    av.ok("demo", now="2026-11-27T12:00")
    kinds = {a["kind"] for a in av.ok("agenda", "--json", now="2026-11-27T12:00").json()["actions"]}
    assert kinds == {"thank_you", "follow_up", "keep_searching", "refresh_profile", "self_assess"}
    statuses = {
        r["status"] for r in av.ok("interview", "list", "--json", now="2026-11-27T12:00").json()
    }
    assert {"no_response", "awaiting", "rejected", "next_round", "scheduled"} <= statuses
    again = av("demo", now="2026-11-27T12:00")
    assert again.code == 1 and "already holds data" in again.err


def test_logging_before_the_interview_started_says_so(av: Afterview) -> None:
    """With no --at (now), the refusal says the interview has not started, not that a
    moment the user never typed is wrong; with --at, the moment given is named."""
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Analyst", "--start", "2026-09-15T10:00",
        "--interviewer", "Ana Lopez <ana@acme.example>", now="2026-09-15T07:28",
    )  # fmt: skip
    for args in (("log", "1", "--sent", "--kind", "thank_you"), ("outcome", "1", "offer")):
        r = av(*args, now="2026-09-15T07:28")
        assert r.code == 2 and r.err == (
            "afterview: --at: the interview has not started yet (it starts today 10:00): "
            "record this once it has, or give the moment it happened\n"
        )
    r = av("outcome", "1", "offer", "--at", "2026-09-15T09:00", now="2026-09-15T11:00")
    assert r.code == 2 and "--at: expected a moment after the interview started" in r.err
