"""`afterview notify` through apprise to a real local HTTP receiver: once each, quiet hours
honoured, a failing channel isolated and tried again."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import Afterview
from tests.mailservers import free_port
from tests.notify.conftest import Receiver


def _config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, channels: list[str], extra: str = ""
) -> None:
    cfg = tmp_path / "notify.toml"
    urls = ", ".join(f'"{c}"' for c in channels)
    cfg.write_text(f'timezone = "Europe/Paris"\n[notify]\nchannels = [{urls}]\n{extra}')
    monkeypatch.setenv("AFTERVIEW_CONFIG", str(cfg))


@pytest.fixture
def interview(av: Afterview) -> Afterview:
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>",
        now="2026-09-15T15:10",
    )  # fmt: skip
    return av


def _titles(r: Receiver) -> list[str]:
    return [p["title"] for p in r.posts]


def test_alerts_once_each_and_a_daily_digest(
    interview: Afterview, receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path, monkeypatch, [receiver.url], "digest_hour = 8\n")
    av = interview
    # 17:10: the thank-you is in its ideal window (17:00-18:00); the digest of the day too
    out = av.ok("notify", "--json", now="2026-09-15T17:10").json()
    titles = _titles(receiver)
    assert out["sent"] == len(titles) and out["failed"] == []
    assert titles[0].startswith("afterview: ") and "actions today" in titles[0]
    digest = receiver.posts[0]["message"]
    assert "- Now — Thank-you: Acme (Ana Lopez)" in digest and "Overdue" not in digest
    assert "- Soon — Follow-up: Acme (Ana Lopez)" in digest
    assert "Now — Thank-you: Acme (Ana Lopez)" in titles
    assert any("afterview done thank_you:1:1" in p["message"] for p in receiver.posts)
    # again: nothing new
    assert av.ok("notify", "--json", now="2026-09-15T17:20").json()["sent"] == 0
    # the next day: a new digest, and the thank-you overdue since 15:00
    av.ok("notify", now="2026-09-16T15:30")
    assert _titles(receiver).count("Overdue — Thank-you: Acme (Ana Lopez)") == 1
    assert sum(t.startswith("afterview: ") for t in _titles(receiver)) == 2


def test_quiet_hours_hold_alerts_until_they_end(
    interview: Afterview, receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(
        tmp_path, monkeypatch, [receiver.url], 'digest_hour = -1\nquiet_hours = "17:00-17:30"\n'
    )
    av = interview
    out = av.ok("notify", "--json", now="2026-09-15T17:10").json()
    assert out["sent"] == 0 and out["waiting"] > 0 and receiver.posts == []
    out = av.ok("notify", "--json", now="2026-09-15T17:35").json()
    assert out["sent"] > 0 and "Now — Thank-you: Acme (Ana Lopez)" in _titles(receiver)


def test_a_failing_channel_does_not_hold_up_the_others(
    interview: Afterview, receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = f"json://user:t0ken@127.0.0.1:{free_port()}/hook"
    _config(tmp_path, monkeypatch, [dead, receiver.url], "digest_hour = -1\n")
    av = interview
    r = av("notify", "--json", now="2026-09-15T17:10")
    assert r.code == 1 and "channel failed" in r.err and "channels[0] (json)" in r.err
    assert "t0ken" not in r.err + r.out and "127.0.0.1" not in r.err
    assert "Now — Thank-you: Acme (Ana Lopez)" in _titles(receiver)
    delivered = len(receiver.posts)
    # the live channel is not sent the same alert again; the dead one is retried
    r = av("notify", "--json", now="2026-09-15T17:15")
    assert r.code == 1 and len(receiver.posts) == delivered


def test_no_channels_and_bad_settings(
    av: Afterview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path, monkeypatch, [])
    r = av("notify", now="2026-09-15T17:10")
    assert r.code == 1 and "[notify] channels" in r.err
    _config(tmp_path, monkeypatch, ["json://127.0.0.1:1/x"], 'quiet_hours = "late"\n')
    r = av("notify", now="2026-09-15T17:10")
    assert r.code == 2 and r.err.startswith("afterview: config notify.quiet_hours: ")
    _config(tmp_path, monkeypatch, ["not a url"])
    r = av("notify", now="2026-09-15T17:10")
    assert r.code == 2 and "notify.channels" in r.err


def test_the_channel_url_is_never_stored(
    interview: Afterview, receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret_url = receiver.url + "?token=sup3rsecret"
    _config(tmp_path, monkeypatch, [secret_url], "digest_hour = -1\n")
    interview.ok("notify", now="2026-09-15T17:10")
    db = Path(interview.db_url)
    for f in db.parent.glob(db.name + "*"):  # the database and its WAL
        assert b"sup3rsecret" not in f.read_bytes(), f


def test_the_worker_notifies_on_each_pass(
    interview: Afterview, receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path, monkeypatch, [receiver.url], "digest_hour = -1\n")
    interview.ok(
        "mail",
        "setup",
        "--smtp-host",
        "127.0.0.1",
        "--smtp-security",
        "none",
        "--from",
        "sam@example.org",
        now="2026-09-15T17:10",
    )
    interview.ok("run", "--once", now="2026-09-15T17:10")
    assert "Now — Thank-you: Acme (Ana Lopez)" in _titles(receiver)
    interview.ok("run", "--once", now="2026-09-15T17:20")
    assert _titles(receiver).count("Now — Thank-you: Acme (Ana Lopez)") == 1


def test_nothing_fires_for_an_action_that_lapsed(
    interview: Afterview, receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Back after a quiet fortnight: the digest and alerts speak only of what can still help.
    _config(tmp_path, monkeypatch, [receiver.url], "digest_hour = 8\n")
    av = interview
    av.ok("notify", now="2026-10-01T10:00")
    text = "\n".join(f"{p['title']}\n{p['message']}" for p in receiver.posts)
    assert "Follow-up: Acme (Ana Lopez)" in text
    for stale in ("Thank-you", "Self-assessment", "Update profile"):
        assert stale not in text, stale
    # keep searching has no `done`: its alert says how to record an application
    assert "Keep searching" in text and "afterview done keep_searching" not in text
    assert "afterview application add" in text
