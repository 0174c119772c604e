"""PRODUCT.md's worked examples, end to end through the porcelain contract."""

from __future__ import annotations

from tests.cli.helpers import Afterview

PANEL = [
    "--interviewer",
    "Ana Lopez <ana@acme.example>",
    "--interviewer",
    "Ben Okafor <ben@acme.example>",
]


def add(av: Afterview, *extra: str) -> int:
    r = av.ok(
        "interview",
        "add",
        "--company",
        "Acme",
        "--role",
        "Data Engineer",
        "--start",
        "2026-09-15T14:00",
        "--tz",
        "Europe/Paris",
        *PANEL,
        *extra,
        now="2026-09-15T10:00",
    )
    return int(r.out.strip())


def by_id(av: Afterview, now: str, *flags: str) -> dict[str, dict]:
    view = av.ok("agenda", "--json", *flags, now=now).json()
    return {a["id"]: a for a in view["actions"]}


def test_agenda_after_a_panel_interview(av: Afterview) -> None:
    iv = add(av)
    view = av.ok("agenda", "--json", now="2026-09-15T15:30").json()
    assert view["at"] == "2026-09-15T15:30:00+02:00"
    actions = {a["id"]: a for a in view["actions"]}
    thanks = [a for a in actions.values() if a["kind"] == "thank_you"]
    assert len(thanks) == 2
    for a in thanks:
        assert a["state"] == "open"
        assert a["ideal_from"] == "2026-09-15T17:00:00+02:00"
        assert a["ideal_until"] == "2026-09-15T18:00:00+02:00"
        assert a["due_at"] == "2026-09-16T15:00:00+02:00"
        assert a["company"] == "Acme" and a["role"] == "Data Engineer"
    assert {a["person"]["email"] for a in thanks} == {"ana@acme.example", "ben@acme.example"}
    sa = actions[f"self_assess:{iv}"]
    assert (sa["state"], sa["ideal_until"], sa["due_at"]) == (
        "ideal",
        "2026-09-15T21:00:00+02:00",
        "2026-09-17T15:00:00+02:00",
    )
    rp = actions[f"refresh_profile:{iv}"]
    assert (rp["state"], rp["ideal_until"], rp["due_at"]) == (
        "ideal",
        "2026-09-16T03:00:00+02:00",
        "2026-09-16T15:00:00+02:00",
    )
    ks = actions["keep_searching:2026-W38"]
    assert ks["state"] == "ideal"
    assert ks["opens_at"] == "2026-09-15T15:00:00+02:00"
    assert ks["ideal_until"] == "2026-09-21T00:00:00+02:00"
    assert ks["progress"] == {"done": 0, "target": 5}
    fu = actions[f"follow_up:{iv}:1"]
    assert (fu["state"], fu["opens_at"], fu["ideal_until"], fu["due_at"]) == (
        "upcoming",
        "2026-09-22T15:00:00+02:00",
        "2026-09-24T15:00:00+02:00",
        "2026-09-29T15:00:00+02:00",
    )
    order = [a["state"] for a in view["actions"]]
    rank = {"overdue": 0, "ideal": 1, "open": 2, "upcoming": 3}
    assert order == sorted(order, key=rank.__getitem__)
    for a in view["actions"]:
        assert set(a) >= {
            "id",
            "kind",
            "state",
            "application_id",
            "interview_id",
            "company",
            "role",
            "person",
            "opens_at",
            "ideal_from",
            "ideal_until",
            "due_at",
            "why",
            "progress",
        }
        assert a["why"]


def test_decision_date_moves_the_first_follow_up(av: Afterview) -> None:
    iv = add(av, "--decision-by", "2026-09-25")
    fu = by_id(av, "2026-09-15T15:30", "--all")[f"follow_up:{iv}:1"]
    assert fu["opens_at"] == "2026-09-28T09:00:00+02:00"


def test_spacing_refusal_and_employer_reply(av: Afterview) -> None:
    iv = add(av, "--decision-by", "2026-09-25")
    av.ok(
        "log",
        str(iv),
        "--sent",
        "--kind",
        "follow_up",
        "--at",
        "2026-09-29T10:00",
        now="2026-09-29T10:05",
    )
    actions = by_id(av, "2026-09-29T10:05", "--all")
    assert actions[f"follow_up:{iv}:1"]["state"] == "done"
    assert actions[f"follow_up:{iv}:2"]["opens_at"] == "2026-10-06T10:00:00+02:00"
    refused = av(
        "log",
        str(iv),
        "--sent",
        "--kind",
        "follow_up",
        "--at",
        "2026-10-01T10:00",
        now="2026-10-01T10:05",
    )
    assert refused.code == 1
    assert "follow_up" in refused.err and "--force" in refused.err
    assert len(refused.err.strip().splitlines()) == 1
    av.ok("log", str(iv), "--received", "--at", "2026-10-02T11:00", now="2026-10-02T12:00")
    actions = by_id(av, "2026-10-02T12:00", "--all")
    assert actions[f"follow_up:{iv}:2"]["state"] == "cancelled"
    assert actions[f"follow_up:{iv}:3"]["opens_at"] == "2026-10-09T11:00:00+02:00"
    assert "1 of at most 2" in actions[f"follow_up:{iv}:3"]["why"]


def test_forced_follow_up_is_recorded(av: Afterview) -> None:
    iv = add(av)
    r = av(
        "log",
        str(iv),
        "--sent",
        "--kind",
        "follow_up",
        "--at",
        "2026-09-17T10:00",
        now="2026-09-17T11:00",
    )
    assert r.code == 1
    av.ok(
        "log",
        str(iv),
        "--sent",
        "--kind",
        "follow_up",
        "--at",
        "2026-09-17T10:00",
        "--force",
        now="2026-09-17T11:00",
    )
    assert by_id(av, "2026-09-17T11:00", "--all")[f"follow_up:{iv}:1"]["state"] == "done"


# -- nothing stale: a quiet fortnight, and --now before a reply -----------------------------


def test_a_quiet_fortnight_shows_only_what_can_still_help(av: Afterview, tmp_path) -> None:
    # PRODUCT.md worked example: nothing recorded after the panel interview of Tue 09-15;
    # back on Thu 10-01 10:00 the agenda holds the follow-up and this week's search only.
    iv = add(av)
    back = "2026-10-01T10:00"
    view = av.ok("agenda", "--json", now=back).json()
    assert [(a["id"], a["state"]) for a in view["actions"]] == [
        (f"follow_up:{iv}:1", "overdue"),
        ("keep_searching:2026-W40", "ideal"),
    ]
    fu = view["actions"][0]
    assert fu["lapses_at"] == "2026-10-13T15:00:00+02:00"
    everything = by_id(av, back, "--all")
    lapsed = {k: a["ended_at"] for k, a in everything.items() if a["state"] == "lapsed"}
    assert lapsed == {
        f"thank_you:{iv}:1": "2026-09-22T15:00:00+02:00",
        f"thank_you:{iv}:2": "2026-09-22T15:00:00+02:00",
        f"refresh_profile:{iv}": "2026-09-22T15:00:00+02:00",  # never reviewed
        f"self_assess:{iv}": "2026-09-29T15:00:00+02:00",
    }
    assert "keep_searching:2026-W39" not in everything  # last week's is gone
    # the human agenda says nothing of the lapsed ones
    text = av.ok("agenda", now=back).out
    assert "Overdue (1)" in text and "Thank" not in text
    assert "lapses Tue 13 Oct 15:00" in text  # how long the follow-up can still help
    # done or skip on a lapsed action: refused, with the day it lapsed
    r = av("done", f"thank_you:{iv}:1", now=back)
    assert r.code == 1
    assert f"thank_you:{iv}:1 lapsed on Tue 22 Sep 2026 15:00" in r.err
    assert av("skip", f"self_assess:{iv}", "--why", "late", now=back).code == 1
    # the calendar feed no longer holds them
    out = tmp_path / "feed.ics"
    av.ok("calendar", "export", "--out", str(out), now=back)
    feed = out.read_text()
    assert f"follow_up:{iv}:1" in feed and f"thank_you:{iv}:1" not in feed
    # an assessment after the lapse is recorded for insights; the action stays lapsed
    av.ok("assess", str(iv), "--score", "rapport=4", now=back)
    assert by_id(av, back, "--all")[f"self_assess:{iv}"]["state"] == "lapsed"
    assert av.ok("--json", "assess", str(iv), "--score", "answers=3", now=back).json()[
        "scores"
    ] == {"rapport": 4, "answers": 3}


def test_now_before_a_reply_does_not_see_it(av: Afterview) -> None:
    # PRODUCT.md worked example: follow-up 1 sent Tue 09-29 10:00, the employer's reply
    # logged for Fri 10-02 11:00. Read on Thu 10-01, the reply has not happened yet:
    # follow-up 2 is the only one planned, opening Tue 10-06 10:00 — not follow-up 3.
    iv = add(av, "--decision-by", "2026-09-25")
    av.ok(
        "log",
        str(iv),
        "--sent",
        "--kind",
        "follow_up",
        "--at",
        "2026-09-29T10:00",
        now="2026-09-29T10:05",
    )
    av.ok("log", str(iv), "--received", "--at", "2026-10-02T11:00", now="2026-10-02T11:05")
    before = by_id(av, "2026-10-01T12:00", "--all")
    fus = sorted(k for k in before if k.startswith("follow_up"))
    assert fus == [f"follow_up:{iv}:1", f"follow_up:{iv}:2"]
    assert before[f"follow_up:{iv}:2"]["state"] == "upcoming"
    assert before[f"follow_up:{iv}:2"]["opens_at"] == "2026-10-06T10:00:00+02:00"
    after = by_id(av, "2026-10-02T12:00", "--all")
    assert after[f"follow_up:{iv}:2"]["state"] == "cancelled"
    assert after[f"follow_up:{iv}:3"]["opens_at"] == "2026-10-09T11:00:00+02:00"
    # and the interview read on the 1st is still awaiting the decision with no reply
    rows = av.ok("--json", "interview", "list", now="2026-10-01T12:00").json()
    assert rows[0]["status"] == "awaiting"


def test_a_refusal_says_its_moment_on_the_users_clock(db_url: str, tmp_path, monkeypatch) -> None:
    cfg = tmp_path / "london.toml"
    cfg.write_text('timezone = "Europe/London"\n', encoding="utf-8")
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))
    av = Afterview(db_url)
    av.ok("interview", "add", "--company", "Acme", "--role", "DE", "--start", "2026-09-15T14:00",
          "--tz", "America/New_York", "--interviewer", "Ana Lopez <ana@acme.example>",
          now="2026-09-15T10:00")  # fmt: skip
    r = av("log", "1", "--sent", "--kind", "follow_up", now="2026-09-16T10:00")
    assert r.code == 1
    assert "opens Tue 22 Sep 2026 20:00, 15:00 New York time" in r.err
    assert "interview ended (Tue 15 Sep 20:00, 15:00 New York time)" in r.err
