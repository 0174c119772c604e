"""Reading an action id back: the one shape each practice gives its ids.

The plan writes the ids (`thank_you:<interview>:<person id>|team`,
`follow_up:<interview>:<n>`, `self_assess:<interview>`, `refresh_profile:<interview>`,
`keep_searching:<ISO year>-W<2-digit week>`); this reads one written elsewhere (in a
file to import) and says what it names, or that it is not one. Numbers are ASCII
digits without leading zeros, as the plan writes them, so one action has one id.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from afterview.core.model import ActionKind

_NUMBER = r"[1-9][0-9]{0,17}"
_SHAPES = {
    ActionKind.THANK_YOU: re.compile(rf"({_NUMBER}):({_NUMBER}|team)"),
    ActionKind.FOLLOW_UP: re.compile(rf"({_NUMBER}):({_NUMBER})"),
    ActionKind.SELF_ASSESS: re.compile(rf"({_NUMBER})"),
    ActionKind.REFRESH_PROFILE: re.compile(rf"({_NUMBER})"),
    ActionKind.KEEP_SEARCHING: re.compile(r"([0-9]{4})-W([0-9]{2})"),
}


class ActionRef(NamedTuple):
    """What an action id names: its kind, and its interview, person, number or week."""

    kind: ActionKind
    interview_id: int | None
    person_id: int | None  # a thank-you to one interviewer (None: the team)
    number: int | None  # the n of a follow-up
    week: date | None  # the Monday of a keep_searching week


def parse_action_id(text: str) -> ActionRef | None:
    """The parts of an action id as the plan writes it, or None when `text` is not one."""
    prefix, sep, rest = text.partition(":")
    if not sep:
        return None
    try:
        kind = ActionKind(prefix)
    except ValueError:
        return None
    m = _SHAPES[kind].fullmatch(rest)
    if m is None:
        return None
    if kind is ActionKind.KEEP_SEARCHING:
        try:
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            return None
        return ActionRef(kind, None, None, None, monday)
    interview = int(m.group(1))
    if kind is ActionKind.THANK_YOU:
        who = m.group(2)
        return ActionRef(kind, interview, None if who == "team" else int(who), None, None)
    if kind is ActionKind.FOLLOW_UP:
        return ActionRef(kind, interview, None, int(m.group(2)), None)
    return ActionRef(kind, interview, None, None, None)
