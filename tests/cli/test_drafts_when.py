"""Drafts worded from the moment they go out: a thank-you drafted on a later day never
says "today"; past its due time it is a late note; a follow-up to someone never thanked
thanks them. Through the real CLI on SQLite and PostgreSQL, with the package templates
and an old template of one's own (which must keep working)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.cli.helpers import Afterview

EARLY = "2026-09-01T10:00"  # when the interview is recorded: before any of them


def _interview(av: Afterview, *people: str, start: str = "2026-09-15T14:00", tz: str = "") -> int:
    args = ["interview", "add", "--company", "Acme", "--role", "Data Engineer", "--start", start]
    args += ["--tz", tz] if tz else []
    for p in people or ("Ana Lopez <ana@acme.example>",):
        args += ["--interviewer", p]
    iv = int(av.ok(*args, now=EARLY).out)
    av.ok("interview", "note", str(iv), "--topic", "the streaming pipeline", now=EARLY)
    return iv


def _thank_you(av: Afterview, iv: int, now: str) -> dict[str, str]:
    [d] = av.ok("draft", "thank-you", str(iv), "--to", "1", "--json", now=now).json()
    return {"subject": d["subject"], "body": d["body"]}


# (case, when it is drafted (Paris), words the subject has, words the body has)
THANK_YOU = [
    ("same day", "2026-09-15T17:30", "today's conversation", "meet with me today about"),
    ("next morning", "2026-09-16T09:00", "yesterday's conversation",
     "meet with me yesterday about"),
    ("next day, at the due time: a late note", "2026-09-16T15:00", "With thanks for our",
     "I would still like to thank you for meeting with me yesterday"),
    ("2 days on", "2026-09-17T10:00", "With thanks for our",
     "thank you for meeting with me on Tuesday about"),
    ("6 days on", "2026-09-21T10:00", "With thanks for our",
     "thank you for meeting with me on Tuesday about"),
    ("a week on: the date", "2026-09-22T10:00", "With thanks for our",
     "thank you for meeting with me on Tuesday 15 September about"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("now", "subject", "body"), [c[1:] for c in THANK_YOU], ids=[c[0] for c in THANK_YOU]
)
def test_a_thank_you_is_worded_from_the_moment_it_is_drafted(
    av: Afterview, now: str, subject: str, body: str
) -> None:
    iv = _interview(av)
    d = _thank_you(av, iv, now)
    assert subject in d["subject"] and body in d["body"], d
    if not now.startswith("2026-09-15"):
        assert "today" not in (d["subject"] + d["body"]).lower()
    assert "sorry" not in d["body"].lower() and "apolog" not in d["body"].lower()
    assert "streaming pipeline" in d["body"] and len(d["body"].split()) < 150


PANEL = (
    "Ana Lopez <ana@acme.example>",
    "Ben Okafor <ben@acme.example>",
    "Chloé Martin <chloe@acme.example>",
    "Dev Patel <dev@acme.example>",
)


@pytest.mark.parametrize(
    ("now", "words", "never"),
    [
        ("2026-09-15T17:30", "today", ("yesterday",)),
        ("2026-09-16T09:00", "yesterday", ("today",)),
        ("2026-09-17T09:00", "on Tuesday", ("today", "yesterday")),
    ],
    ids=["same day", "next day", "late"],
)
def test_every_panel_variant_fits_the_day_and_stays_different(
    av: Afterview, now: str, words: str, never: tuple[str, ...]
) -> None:
    iv = _interview(av, *PANEL)
    drafts = av.ok("draft", "thank-you", str(iv), "--json", now=now).json()
    assert len({d["subject"] for d in drafts}) == len({d["body"] for d in drafts}) == 4
    for d in drafts:
        text = d["subject"] + "\n" + d["body"]
        assert words in d["body"], d["body"]
        assert not any(w in text.lower() for w in never), text
        assert "{{" not in text and len(d["body"].split()) < 150


# (case, the interview's zone, its start, the user's zone, drafted at, what it says)
ZONES = [
    # autumn DST in London (Sun 25 Oct 2026): 24 real hours after 23:00 BST is 22:00 GMT
    ("DST autumn, not yet due", "Europe/London", "2026-10-24T22:00", "Europe/Paris",
     "2026-10-25T21:30+00:00", "meet with me yesterday", False),
    ("DST autumn, due by the stopwatch", "Europe/London", "2026-10-24T22:00", "Europe/Paris",
     "2026-10-25T22:30+00:00", "thank you for meeting with me yesterday", True),
    # UTC+14: Monday in UTC, Tuesday in the interviewer's zone; drafted Tuesday 23:30 there
    ("far east, same local day", "Pacific/Kiritimati", "2026-09-15T09:00", "Europe/Paris",
     "2026-09-15T23:30+14:00", "meet with me today", False),
    ("far east, next local day", "Pacific/Kiritimati", "2026-09-15T09:00", "Europe/Paris",
     "2026-09-16T00:30+14:00", "meet with me yesterday", False),
    # the interviewer in New York, the user in London at 03:30 (22:30 in New York)
    ("New York interview, London user", "America/New_York", "2026-09-15T15:00",
     "Europe/London", "2026-09-16T03:30", "meet with me today", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("tz", "start", "user_tz", "now", "words", "late"),
    [z[1:] for z in ZONES],
    ids=[z[0] for z in ZONES],
)
def test_the_interviewers_zone_decides_the_day(
    av: Afterview, tz: str, start: str, user_tz: str, now: str, words: str, late: bool
) -> None:
    cfg = Path(os.environ["AFTERVIEW_CONFIG"])
    cfg.write_text(cfg.read_text().replace('"Europe/Paris"', f'"{user_tz}"'))
    iv = _interview(av, tz=tz, start=start)
    d = _thank_you(av, iv, now)
    assert words in d["body"], d["body"]
    assert d["subject"].startswith("With thanks") is late


def test_a_follow_up_thanks_someone_never_thanked(av: Afterview) -> None:
    iv = _interview(av, *PANEL[:2])
    now = "2026-09-22T16:00"  # follow-up 1 is open (end + 7 days)
    d = av.ok("draft", "follow-up", str(iv), "--json", now=now).json()[0]
    assert d["to"]["email"] == "ana@acme.example"
    assert "I want to thank you for meeting with me on Tuesday 15 September" in d["body"]
    assert "Thank you again" not in d["body"]
    # Ben was thanked, Ana was not: the follow-up (to Ana) still thanks her
    av.ok("log", str(iv), "--sent", "--kind", "thank_you", "--to", PANEL[1],
          "--at", "2026-09-15T17:00", now=now)  # fmt: skip
    d = av.ok("draft", "follow-up", str(iv), "--replace", "--json", now=now).json()[0]
    assert "I want to thank you" in d["body"]
    av.ok("log", str(iv), "--sent", "--kind", "thank_you", "--to", PANEL[0],
          "--at", "2026-09-15T17:05", now=now)  # fmt: skip
    d = av.ok("draft", "follow-up", str(iv), "--json", now=now).json()[0]
    assert "Thank you again for meeting with me on Tuesday 15 September" in d["body"]
    assert "I want to thank you" not in d["body"]


def test_a_second_follow_up_to_someone_never_thanked_thanks_them_too(av: Afterview) -> None:
    iv = _interview(av)
    av.ok("log", str(iv), "--sent", "--kind", "follow_up", "--at", "2026-09-22T16:00",
          now="2026-09-22T16:00")  # fmt: skip
    d = av.ok("draft", "follow-up", str(iv), "--json", now="2026-09-29T17:00").json()[0]
    assert d["subject"].startswith("Following up again")
    assert "for which we met on Tuesday 15 September" in d["body"]
    assert "I remain grateful for the time you gave me that day." in d["body"]


def test_a_follow_up_drafted_early_is_worded_for_when_it_opens(av: Afterview) -> None:
    iv = _interview(av)
    r = av.ok("draft", "follow-up", str(iv), "--json", now="2026-09-15T17:30")
    d = r.json()[0]
    assert "on Tuesday 15 September" in d["body"] and "today" not in d["body"]


def test_an_eml_is_worded_for_the_moment_it_is_written(av: Afterview, tmp_path: Path) -> None:
    iv = _interview(av)
    out = tmp_path / "ana.eml"
    av.ok("draft", "thank-you", str(iv), "--to", "1", "--eml", str(out), now="2026-09-16T09:00")
    data = out.read_text()
    assert "Subject: Thank you for yesterday's conversation" in data
    assert "meet with me yesterday" in data and "today" not in data


OLD_TEMPLATE = """\
{#- a template of one's own written before interview_when, late and thanked existed -#}
Subject: Thanks from {{ sender }} ({{ role }}, {{ interview_day }})

Dear {{ greeting_name }},

Thank you for the {{ role }} interview at {{ company }} on {{ interview_day }}
{%- if topics %}, and for {{ topics[0] }}{% endif %}.
{%- if other_interviewers %} Please thank {{ other_interviewers | join(", ") }} too.{% endif %}
({{ variant }} of {{ panel_size }}{% if person_name is none %}, the team{% endif %})
"""

OLD_FOLLOW_UP = """\
Subject: Following up ({{ nth }}): {{ role }} on {{ interview_day }}

Dear {{ greeting_name }}, any news{% if decision_day %} since {{ decision_day }}{% endif %}
{%- if topics %} about {{ topics[0] }}{% endif %}? {{ person_name }} {{ company }} {{ sender }}
"""


def test_a_template_of_ones_own_from_before_keeps_working(av: Afterview) -> None:
    folder = Path(os.environ["AFTERVIEW_CONFIG"]).parent / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "thank_you.txt.j2").write_text(OLD_TEMPLATE)
    (folder / "follow_up.txt.j2").write_text(OLD_FOLLOW_UP)
    iv = _interview(av, *PANEL[:2])
    for now in ("2026-09-15T17:30", "2026-09-17T10:00"):  # on time, then late
        d = av.ok("draft", "thank-you", str(iv), "--to", "1", "--json", now=now).json()[0]
        assert d["subject"] == "Thanks from Sam Rivera (Data Engineer, Tuesday 15 September)"
        assert "on Tuesday 15 September, and for the streaming pipeline." in d["body"]
    d = av.ok("draft", "follow-up", str(iv), "--json", now="2026-09-22T16:00").json()[0]
    assert d["subject"] == "Following up (1): Data Engineer on Tuesday 15 September"
