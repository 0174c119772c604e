"""Small builders shared by the core tests: facts are built directly, the core is pure."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from afterview.core.model import (
    Action,
    ActionKind,
    ActionMark,
    ActionState,
    Application,
    Direction,
    Facts,
    Interview,
    Outcome,
    OutcomeResult,
    Person,
    Touch,
    TouchKind,
)

#: Zones the tests run in: two with DST changes on known days, and far ones.
BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
PARIS = "Europe/Paris"
KIRITIMATI = "Pacific/Kiritimati"
ST_JOHNS = "America/St_Johns"
LORD_HOWE = "Australia/Lord_Howe"
ZONES = (BERLIN, NEW_YORK, KIRITIMATI, ST_JOHNS, LORD_HOWE, PARIS, "UTC")

#: The 2026 DST change days of the zones above (all Sundays).
DST_DAYS = {
    BERLIN: (date(2026, 3, 29), date(2026, 10, 25)),
    NEW_YORK: (date(2026, 3, 8), date(2026, 11, 1)),
    ST_JOHNS: (date(2026, 3, 8), date(2026, 11, 1)),
    LORD_HOWE: (date(2026, 10, 4), date(2026, 4, 5)),  # spring, autumn (southern)
}


def local(tz: str, y: int, mo: int, d: int, h: int = 0, mi: int = 0, *, fold: int = 0) -> datetime:
    """An aware local time (the wall clock as given, `fold` for the repeated hour)."""
    return datetime(y, mo, d, h, mi, tzinfo=ZoneInfo(tz), fold=fold)


def utc(at: datetime) -> datetime:
    """The same moment in UTC (compare and subtract through this, never through a zone)."""
    return at.astimezone(UTC)


def hours_between(a: datetime, b: datetime) -> float:
    """Real elapsed hours from `a` to `b`."""
    return (utc(b) - utc(a)) / timedelta(hours=1)


def wall(at: datetime, tz: str) -> tuple[int, int, int, int, int]:
    """The wall clock of `at` in `tz` as (y, m, d, H, M)."""
    x = at.astimezone(ZoneInfo(tz))
    return (x.year, x.month, x.day, x.hour, x.minute)


def person(pid: int, name: str | None = None, email: str | None = None) -> Person:
    return Person(pid, name or f"Person {pid}", email)


def interview(
    iid: int,
    end: datetime,
    tz: str,
    *,
    minutes: int = 60,
    people: Iterable[Person] = (),
    decision_by: date | None = None,
    app: int | None = None,
) -> Interview:
    return Interview(
        id=iid,
        application_id=app if app is not None else iid,
        start=end - timedelta(minutes=minutes),
        end=end,
        tz=tz,
        interviewers=tuple(people),
        decision_by=decision_by,
    )


def sent(
    tid: int,
    iid: int,
    at: datetime,
    kind: TouchKind = TouchKind.FOLLOW_UP,
    person_id: int | None = None,
) -> Touch:
    return Touch(tid, iid, Direction.SENT, kind, at, person_id)


def received(tid: int, iid: int, at: datetime, kind: TouchKind = TouchKind.OTHER) -> Touch:
    return Touch(tid, iid, Direction.RECEIVED, kind, at)


def outcome(iid: int, result: str, at: datetime) -> Outcome:
    return Outcome(iid, OutcomeResult(result), at)


def skip(action_id: str, at: datetime, why: str = "not this one") -> ActionMark:
    return ActionMark(action_id, ActionState.SKIPPED, at, why)


def done(action_id: str, at: datetime) -> ActionMark:
    return ActionMark(action_id, ActionState.DONE, at)


def applications(days: Iterable[date], first_id: int = 100) -> tuple[Application, ...]:
    return tuple(
        Application(first_id + n, f"Co{n}", "Engineer", applied_on=d) for n, d in enumerate(days)
    )


def facts(
    *interviews: Interview,
    touches: Iterable[Touch] = (),
    outcomes: Iterable[Outcome] = (),
    marks: Iterable[ActionMark] = (),
    reviews: Iterable[datetime] = (),
    assessed: dict[int, datetime] | None = None,
    apps: Iterable[Application] = (),
    holidays: Iterable[date] = (),
    user_tz: str = "UTC",
) -> Facts:
    """Facts with one application per interview (same id, `Acme <id>`) plus `apps`."""
    own = tuple(
        Application(iv.application_id, f"Acme {iv.application_id}", "Engineer") for iv in interviews
    )
    return Facts(
        applications=own + tuple(apps),
        interviews=tuple(interviews),
        touches=tuple(touches),
        outcomes=tuple(outcomes),
        assessed=dict(assessed or {}),
        marks=tuple(marks),
        profile_reviews=tuple(reviews),
        holidays=frozenset(holidays),
        user_tz=user_tz,
    )


def by_id(actions: Iterable[Action]) -> dict[str, Action]:
    out: dict[str, Action] = {}
    for a in actions:
        assert a.id not in out, f"duplicate id {a.id}"
        out[a.id] = a
    return out


def of_kind(actions: Iterable[Action], kind: ActionKind) -> list[Action]:
    return [a for a in actions if a.kind is kind]


def follow_ups(actions: Iterable[Action], iid: int) -> list[Action]:
    """The interview's follow-up actions in the order they were proposed."""
    mine = [a for a in actions if a.kind is ActionKind.FOLLOW_UP and a.interview_id == iid]
    return sorted(mine, key=lambda a: int(a.id.rsplit(":", 1)[1]))
