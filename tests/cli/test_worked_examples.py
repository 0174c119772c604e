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
