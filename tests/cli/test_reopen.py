"""`afterview reopen`: an action ended by done or skip is open again, on both engines.

What `done` or `skip` recorded is removed (the mark, the message marked sent, the profile
review) and the plan computes the action again; a lapsed or cancelled action, one ended by
another record, an unknown id: exit 1 and nothing written. And `done` on an action that
has not opened: refused, except a follow-up with `--force` (as `log --force`).
"""

from __future__ import annotations

import json

from tests.cli.helpers import Afterview

NOW = "2026-09-15T18:30"  # Paris; the interview ended at 15:00
LATER = "2026-09-15T19:00"
PEOPLE = ("Ana Lopez <ana@acme.example>", "Ben Okafor <ben@acme.example>")


def _interview(av: Afterview, *people: str, decision_by: str | None = None) -> int:
    args = ["interview", "add", "--company", "Acme", "--role", "DE", "--start", "2026-09-15T14:00"]
    for p in people:
        args += ["--interviewer", p]
    if decision_by:
        args += ["--decision-by", decision_by]
    return int(av.ok(*args, now=NOW).out)


def _states(av: Afterview, now: str) -> dict[str, str]:
    actions = av.ok("agenda", "--json", "--all", now=now).json()["actions"]
    return {a["id"]: a["state"] for a in actions}


def _export(av: Afterview) -> dict:
    return json.loads(av.ok("export", now=LATER).out)


def test_done_and_skip_are_taken_back(av: Afterview) -> None:
    iv = _interview(av, *PEOPLE)
    before = _export(av)
    av.ok("done", f"thank_you:{iv}:1", now=NOW)
    av.ok("skip", f"self_assess:{iv}", "--why", "no time", now=NOW)
    av.ok("done", f"refresh_profile:{iv}", now=NOW)
    states = _states(av, LATER)
    assert states[f"thank_you:{iv}:1"] == "done" and states[f"self_assess:{iv}"] == "skipped"
    assert states[f"refresh_profile:{iv}"] == "done"

    live = av.ok("agenda", "--json", now=LATER).json()["actions"]  # kept as its snapshot
    assert f"thank_you:{iv}:1" not in {a["id"] for a in live}
    r = av.ok("reopen", f"thank_you:{iv}:1", now=LATER)
    assert r.out.startswith(f"thank_you:{iv}:1: open again: removed the thank-you recorded by done")
    out = av.ok("reopen", f"self_assess:{iv}", "--json", now=LATER).json()
    assert out["id"] == f"self_assess:{iv}" and out["state"] == "ideal"
    assert out["ended_at"] is None and out["end_why"] is None
    assert [(x["record"], x["what"]) for x in out["removed"]] == [("mark", "the skip")]
    assert out["removed"][0]["at"] == "2026-09-15T18:30:00+02:00"
    assert "profile review" in av.ok("reopen", f"refresh_profile:{iv}", now=LATER).out

    states = _states(av, LATER)
    assert states[f"thank_you:{iv}:1"] == "open" and states[f"self_assess:{iv}"] == "ideal"
    assert states[f"refresh_profile:{iv}"] == "ideal"
    # the agenda's quick path (it keeps its live actions until the next write) agrees
    live = av.ok("agenda", "--json", now=LATER).json()["actions"]
    assert {f"thank_you:{iv}:1", f"self_assess:{iv}", f"refresh_profile:{iv}"} <= {
        a["id"] for a in live
    }
    # nothing else moved: the data are as before done and skip
    assert _export(av) == before
    # done again works: the action is live
    assert av.ok("done", f"self_assess:{iv}", now=LATER).out.strip() == f"self_assess:{iv}: done"
    assert "done mark" in av.ok("reopen", f"self_assess:{iv}", now=LATER).out


def test_what_cannot_be_reopened_is_refused_and_nothing_is_written(av: Afterview) -> None:
    iv = _interview(av, *PEOPLE)
    av.ok("log", str(iv), "--sent", "--kind", "thank_you", "--to", PEOPLE[1], now=NOW)
    av.ok("outcome", str(iv), "offer", now=NOW)
    av.ok("assess", str(iv), "--score", "rapport=4", now=NOW)
    for n in range(5):
        av.ok("application", "add", "--company", f"C{n}", "--role", "R", now=NOW)
    before = _export(av)
    cases = [
        # a live action: nothing to reopen
        (f"thank_you:{iv}:1", 1, "it has not ended"),
        # ended by a message logged by hand, not by done
        (f"thank_you:{iv}:2", 1, "not by done"),
        # cancelled by the outcome
        (f"follow_up:{iv}:1", 1, "a cancelled action cannot be reopened"),
        # ended by the assessment, and by the week's applications
        (f"self_assess:{iv}", 1, "(self-assessment recorded Tue 15 Sep 18:30), not by done"),
        ("keep_searching:2026-W38", 1, "(5 applications this week), not by done or skip"),
        ("thank_you:99:1", 1, "no such action"),
        ("thank-you 3", 2, "is not an action id"),
    ]
    for action_id, code, said in cases:
        r = av("reopen", action_id, now=LATER)
        assert (r.code, r.out) == (code, ""), (action_id, r.err)
        assert said in r.err and r.err.count("\n") == 1, r.err
    # lapsed: a week after the interview, the thank-you not sent has passed for good
    r = av("reopen", f"thank_you:{iv}:1", now="2026-09-23T10:00")
    assert r.code == 1 and "lapsed on Tue 22 Sep 2026 15:00" in r.err
    assert "cannot be reopened" in r.err
    assert _export(av) == before


def test_one_whose_moment_has_passed_comes_back_lapsed(av: Afterview) -> None:
    iv = _interview(av, PEOPLE[0])
    av.ok("done", f"thank_you:{iv}:1", now=NOW)
    late = "2026-09-30T10:00"
    r = av.ok("reopen", f"thank_you:{iv}:1", now=late)
    assert r.out.startswith(f"thank_you:{iv}:1: lapsed: removed the thank-you recorded by done")
    assert "but its moment passed on Tue 22 Sep 2026 15:00" in r.out
    assert _states(av, late)[f"thank_you:{iv}:1"] == "lapsed"
    assert not _export(av)["touches"]
    # the time machine still sees it open back then: the fact is gone
    assert _states(av, LATER)[f"thank_you:{iv}:1"] == "open"


def test_follow_ups_done_and_skipped(av: Afterview) -> None:
    iv = _interview(av, PEOPLE[0])
    first = "2026-09-22T16:00"  # follow-up 1 opens Tue 22 Sep 15:00
    av.ok("done", f"follow_up:{iv}:1", now=first)
    second = "2026-09-29T17:00"  # follow-up 2 opens 7 days after the first was sent
    av.ok("done", f"follow_up:{iv}:2", now=second)
    then = "2026-09-29T18:00"
    # taking back the first alone would leave it done by the second one
    r = av("reopen", f"follow_up:{iv}:1", now=then)
    assert r.code == 1 and "would still be done" in r.err and "nothing was changed" in r.err
    assert len(_export(av)["touches"]) == 2
    # the later one first, then the first: follow-up 1 is open, and the second not proposed
    r = av.ok("reopen", f"follow_up:{iv}:2", now=then)
    assert r.out.startswith(f"follow_up:{iv}:2: ideal again: removed the follow-up recorded by")
    r = av.ok("reopen", f"follow_up:{iv}:1", now=then)
    assert r.out.startswith(f"follow_up:{iv}:1: overdue again")  # due Tue 29 Sep 15:00
    states = _states(av, then)
    assert states[f"follow_up:{iv}:1"] == "overdue" and f"follow_up:{iv}:2" not in states
    # a skip ends the follow-ups; reopened, they go on
    av.ok("skip", f"follow_up:{iv}:1", "--why", "they said to wait", now=then)
    assert _states(av, "2026-10-20T10:00")[f"follow_up:{iv}:1"] == "skipped"
    r = av.ok("reopen", f"follow_up:{iv}:1", "--json", now="2026-09-30T09:00").json()
    assert r["state"] == "overdue" and r["removed"][0]["what"] == "the skip"
    assert not _export(av)["marks"]


def test_keep_searching_skip_is_reopened(av: Afterview) -> None:
    _interview(av, PEOPLE[0])
    week = "keep_searching:2026-W38"
    av.ok("skip", week, "--why", "holiday", now=NOW)
    assert _states(av, LATER)[week] == "skipped"
    assert av.ok("reopen", week, "--json", now=LATER).json()["state"] in ("ideal", "open")


def test_done_on_an_action_not_open_yet_is_refused(av: Afterview) -> None:
    iv = _interview(av, *PEOPLE, decision_by="2026-09-25")
    during = "2026-09-15T14:30"  # the interview runs until 15:00
    for action_id in (f"thank_you:{iv}:1", f"self_assess:{iv}", f"refresh_profile:{iv}"):
        for extra in ((), ("--force",)):
            r = av("done", action_id, *extra, now=during)
            assert r.code == 1 and "opens Tue 15 Sep 2026 15:00" in r.err, (action_id, r.err)
            assert "--force" not in r.err
    # a follow-up keeps the override of `log --force`
    r = av("done", f"follow_up:{iv}:1", now=NOW)
    assert r.code == 1 and "add --force to record it anyway" in r.err
    assert not _export(av)["touches"] and not _export(av)["marks"]
    av.ok("done", f"follow_up:{iv}:1", "--force", now=NOW)
    assert _states(av, LATER)[f"follow_up:{iv}:1"] == "done"
