"""What a draft says, before any template renders it (pure: no I/O, no clock).

A thank-you is personal: the interviewer's name, the role, the company, one or
two topics from the conversation. Members of a panel compare notes, so each one
gets a different lead topic and a different `variant` of the wording.

The wording follows the moment `at` the message goes out (`core.send_moment`): that
moment is always given, never read from a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from afterview.core.model import Application, Interview, Person
from afterview.core.send_moment import moment_values
from afterview.core.timeutil import zone


@dataclass(frozen=True, slots=True)
class Draft:
    """A message ready for the user to read, edit and send themselves.

    `written_for` is the moment afterview's wording was written for (when it goes out);
    None when the words are the user's (an edit), which nothing rewrites.
    """

    action_id: str
    kind: str
    to: Person | None
    subject: str
    body: str
    written_for: datetime | None = None


def first_name(name: str) -> str:
    """Return the first word of a name to greet with ("Ana Lopez" -> "Ana")."""
    parts = name.replace(",", " ").split()
    return parts[0] if parts else name


def topics_for(topics: tuple[str, ...], index: int, panel: int) -> list[str]:
    """Pick up to two topics for the `index`-th member of a panel of `panel` people.

    Each member leads with a different topic while there are enough of them.
    """
    if not topics:
        return []
    n = len(topics)
    start = index % n if panel > 1 else 0
    picked = [topics[start]]
    if n > 1:
        picked.append(topics[(start + 1) % n])
    return list(dict.fromkeys(picked))


def _when(at: datetime, tz: str) -> str:
    local = at.astimezone(zone(tz))
    return f"{local:%A} {local.day} {local:%B}"


def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B}"


def thank_you_context(
    iv: Interview,
    app: Application,
    person: Person | None,
    sender: str | None,
    *,
    at: datetime,
    due_hours: float,
) -> dict[str, Any]:
    """Return the values a thank-you template uses for `person` (None: the whole team),
    going out at `at` (`due_hours` after the interview's end it is late)."""
    panel = len(iv.interviewers)
    index = iv.interviewers.index(person) if person in iv.interviewers else 0
    others = [p.name for p in iv.interviewers if p != person]
    return {
        "kind": "thank_you",
        "greeting_name": first_name(person.name) if person else "all",
        "person_name": person.name if person else None,
        "company": app.company,
        "role": app.role,
        "topics": topics_for(iv.topics, index, panel),
        "other_interviewers": others,
        "interview_day": _when(iv.start, iv.tz),
        "variant": index,
        "panel_size": panel,
        "sender": sender or "",
        **moment_values("thank_you", iv, at, due_hours),
    }


def follow_up_context(
    iv: Interview,
    app: Application,
    person: Person | None,
    sender: str | None,
    nth: int,
    *,
    at: datetime,
    thanked: bool,
) -> dict[str, Any]:
    """Return the values a follow-up template uses, going out at `at`; `thanked`: a
    thank-you reached `person` (else the follow-up thanks them too)."""
    return {
        "kind": "follow_up",
        "greeting_name": first_name(person.name) if person else "",
        "person_name": person.name if person else None,
        "company": app.company,
        "role": app.role,
        "topics": list(iv.topics[:1]),
        "interview_day": _when(iv.start, iv.tz),
        "decision_day": _day(iv.decision_by) if iv.decision_by else None,
        "nth": nth,
        "sender": sender or "",
        "thanked": thanked,
        **moment_values("follow_up", iv, at, 0.0),
    }


def split_subject(text: str) -> tuple[str, str]:
    """Split rendered template text into its `Subject:` line and the body."""
    lines = text.strip("\n").splitlines()
    if not lines or not lines[0].lower().startswith("subject:"):
        raise ValueError("the template must start with a 'Subject:' line")
    subject = lines[0].split(":", 1)[1].strip()
    body = "\n".join(lines[1:]).strip("\n")
    if not subject or not body:
        raise ValueError("the template gives an empty subject or body")
    return subject, body + "\n"
