"""The ids a request names, checked against its account before anything else is done.

Every use case looks its records up in the account already; this answers the same
"no such record" (404) for every id of a path first, so a request for another account's
record is refused the same way whatever else it sends (a form that would not validate,
a body of the wrong shape), before a field of it is read.
"""

from __future__ import annotations

from afterview.core.action_ids import parse_action_id
from afterview.errors import NotFound
from afterview.services.context import Context
from afterview.store.ownership import owns, sees_cohort
from afterview.textcheck import shown

#: A path parameter, the kind of record it names, and the refusal's words
PATH_IDS = {
    "interview_id": ("interview", "interview {}: no such interview"),
    "application_id": ("application", "application {}: no such application"),
    "touch_id": ("touch", "message {}: no such message"),
    "question_id": ("question", "question {}: no such question"),
    "person_id": ("person", "person {}: no such person"),
    "message_id": ("outbox", "outbox message {}: no such message"),
}


def check_path_ids(ctx: Context, params: dict[str, str]) -> None:
    """Raise `NotFound` when a record id among `params` (path parameters) is not one of
    the account's; an action id is checked by its interview. A value that is not a
    number is left to the route (it says what it accepts)."""
    for name, value in params.items():
        if name == "action_id":
            ref = parse_action_id(value)
            iv = ref.interview_id if ref is not None else None
            if iv is not None and not owns(ctx.db, ctx.account, "interview", iv):
                raise NotFound(f"action {shown(value)}: no such action")
            continue
        if name == "cohort_id" and _an_id(value):
            if not sees_cohort(ctx.db, int(value)):
                raise NotFound(f"cohort {int(value)}: no such cohort")
            continue
        known = PATH_IDS.get(name)
        if known is None or not _an_id(value):
            continue
        kind, words = known
        if not owns(ctx.db, ctx.account, kind, int(value)):
            raise NotFound(words.format(int(value)))


def _an_id(value: str) -> bool:
    """True for a record id as written (1 to 18 digits, no leading zero); anything else
    is the route's to refuse, with what it accepts (422)."""
    return value.isascii() and value.isdigit() and not value.startswith("0") and len(value) <= 18
