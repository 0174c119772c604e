"""The facts a job seeker records and the actions the plan derives from them.

Records are named tuples: immutable (the core never mutates what it is given) and
cheap to define and build, which keeps the agenda's start-up short (a frozen
dataclass costs about ten times more to define and twice as much to build).
All datetimes are timezone-aware; dates are plain calendar dates.
"""

from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import NamedTuple


class ActionKind(StrEnum):
    """The five practices, one kind of action each."""

    THANK_YOU = "thank_you"
    FOLLOW_UP = "follow_up"
    KEEP_SEARCHING = "keep_searching"
    REFRESH_PROFILE = "refresh_profile"
    SELF_ASSESS = "self_assess"


class ActionState(StrEnum):
    """Where an action stands at a given moment."""

    UPCOMING = "upcoming"
    IDEAL = "ideal"
    OPEN = "open"
    OVERDUE = "overdue"
    DONE = "done"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    #: its moment passed for good without it being done (PRODUCT.md, "Nothing stale")
    LAPSED = "lapsed"

    @property
    def ended(self) -> bool:
        """True for the end states."""
        return self in _ENDED


_ENDED = frozenset(
    (ActionState.DONE, ActionState.SKIPPED, ActionState.CANCELLED, ActionState.LAPSED)
)


#: The live states in the order the agenda lists them (most urgent first).
LIVE_ORDER = (ActionState.OVERDUE, ActionState.IDEAL, ActionState.OPEN, ActionState.UPCOMING)


class Direction(StrEnum):
    """Whether the user sent a message or received one from the employer."""

    SENT = "sent"
    RECEIVED = "received"


class TouchKind(StrEnum):
    """What a message or call was about."""

    THANK_YOU = "thank_you"
    FOLLOW_UP = "follow_up"
    OTHER = "other"


class OutcomeResult(StrEnum):
    """How an interview round ended."""

    OFFER = "offer"
    REJECTED = "rejected"
    NEXT_ROUND = "next_round"
    WITHDRAWN = "withdrawn"


class InterviewStatus(StrEnum):
    """Where an interview stands in its after-interview cycle at a moment."""

    SCHEDULED = "scheduled"
    AWAITING = "awaiting"
    NO_RESPONSE = "no_response"
    OFFER = "offer"
    REJECTED = "rejected"
    NEXT_ROUND = "next_round"
    WITHDRAWN = "withdrawn"


class Person(NamedTuple):
    """Someone at the employer: usually an interviewer."""

    id: int
    name: str
    email: str | None = None

    def display(self) -> str:
        """Return "Name <email>" or just the name."""
        return f"{self.name} <{self.email}>" if self.email else self.name


class Application(NamedTuple):
    """A job the user applied to (or means to): one company and role."""

    id: int
    company: str
    role: str
    applied_on: date | None = None
    url: str | None = None


class Interview(NamedTuple):
    """One interview round. `interviewers[0]` is the first interviewer (the organizer)."""

    id: int
    application_id: int
    start: datetime
    end: datetime
    tz: str
    interviewers: tuple[Person, ...] = ()
    decision_by: date | None = None
    topics: tuple[str, ...] = ()


class Touch(NamedTuple):
    """A message or call about an interview, sent by the user or received from the employer."""

    id: int
    interview_id: int
    direction: Direction
    kind: TouchKind
    at: datetime
    person_id: int | None = None
    note: str | None = None


class Outcome(NamedTuple):
    """The employer's decision on an interview round."""

    interview_id: int
    result: OutcomeResult
    at: datetime


class ActionMark(NamedTuple):
    """The user ended an action by hand: `done` (with no other fact to record) or `skipped`."""

    action_id: str
    state: ActionState
    at: datetime
    why: str | None = None


class ProfileCheckNote(NamedTuple):
    """The latest profile check (CV against LinkedIn): when, and what it left open."""

    at: datetime
    open_findings: int
    high_findings: int
    first_fix: str | None = None


class Facts(NamedTuple):
    """Everything the plan needs, loaded once per use case.

    `assessed` maps an interview id to when its self-assessment was recorded;
    `holidays` are the public holidays of the configured country (may be empty);
    `profile_check` is the latest comparison of the CV with the LinkedIn profile.
    """

    applications: tuple[Application, ...] = ()
    interviews: tuple[Interview, ...] = ()
    touches: tuple[Touch, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    assessed: Mapping[int, datetime] = MappingProxyType({})
    marks: tuple[ActionMark, ...] = ()
    profile_reviews: tuple[datetime, ...] = ()
    profile_check: ProfileCheckNote | None = None
    holidays: frozenset[date] = frozenset()
    user_tz: str = "UTC"


class Window(NamedTuple):
    """When an action may be done: `opens_at <= ideal_from < ideal_until <= due_at`."""

    opens_at: datetime
    ideal_from: datetime
    ideal_until: datetime
    due_at: datetime


class Progress(NamedTuple):
    """How far a counted action (keep searching) has come."""

    done: int
    target: int


class Action(NamedTuple):
    """Something to do after an interview, with its window and the reason for it.

    `end_state` and `ended_at` are set when a recorded fact ends the action; the
    state at a moment before `ended_at` is still read from the window.
    """

    id: str
    kind: ActionKind
    window: Window
    why: str
    interview_id: int | None = None
    application_id: int | None = None
    person: Person | None = None
    progress: Progress | None = None
    end_state: ActionState | None = None
    ended_at: datetime | None = None
    end_why: str | None = None

    def state(self, at: datetime) -> ActionState:
        """Return the action's state at the moment `at`.

        Moments are compared in UTC: two datetimes sharing a zone would otherwise be
        compared by wall clock, wrongly in the hour repeated in autumn.
        """
        t = at.astimezone(UTC)
        if (
            self.end_state is not None
            and self.ended_at is not None
            and t >= self.ended_at.astimezone(UTC)
        ):
            return self.end_state
        w = self.window
        if t >= w.due_at.astimezone(UTC):
            return ActionState.OVERDUE
        if t < w.opens_at.astimezone(UTC):
            return ActionState.UPCOMING
        if w.ideal_from.astimezone(UTC) <= t < w.ideal_until.astimezone(UTC):
            return ActionState.IDEAL
        return ActionState.OPEN
