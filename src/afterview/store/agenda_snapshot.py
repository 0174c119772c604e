"""The agenda's snapshot in the database: one row per account (migration 14).

A snapshot is a cache, not a record: it is never exported, raises no data
revision, and a row that cannot be read counts as no row. Its body is JSON (never
pickle: a database handed over must not run code), with every moment in UTC.
"""

import json
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

from afterview.core.model import Action, ActionKind, ActionMark, ActionState, Person, Window
from afterview.core.plan import LiveSnapshot
from afterview.core.timeutil import zone
from afterview.core.weeks import WeekInputs
from afterview.store.db import Database

#: Raised when the body's layout changes, so an older body reads as no snapshot.
FORMAT = 2


class StoredSnapshot(NamedTuple):
    """A row of `agenda_snapshot`: what it was computed from, and its body."""

    revision: int
    fingerprint: str
    body: str


class Lookups(NamedTuple):
    """What the agenda's JSON needs beside the actions: company and role, interview zones."""

    apps: dict[int, tuple[str, str]]
    tz_of: dict[int, str]
    #: the zone files those zones were read from (a tzdata update changes times and words)
    zones: str = ""


def read(db: Database, account: int) -> StoredSnapshot | None:
    """Return the account's stored snapshot, if any."""
    row = db.one(
        "SELECT revision, fingerprint, body FROM agenda_snapshot WHERE account_id = ?", (account,)
    )
    if row is None:
        return None
    revision, fingerprint, body = row
    if (
        not isinstance(revision, int)
        or not isinstance(fingerprint, str)
        or not isinstance(body, str)
    ):
        return None  # not what this code writes: as good as no row
    return StoredSnapshot(revision, fingerprint, body)


def write(db: Database, account: int, stored: StoredSnapshot) -> None:
    """Store the account's snapshot in place of the one before.

    It waits at most a tenth of a second for a lock (SQLite's busy timeout,
    PostgreSQL's lock timeout): a snapshot is not worth holding up a command. The
    caller decides what a failure means.
    """
    sql = (
        "INSERT INTO agenda_snapshot (account_id, revision, fingerprint, body) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET "
        "revision = excluded.revision, fingerprint = excluded.fingerprint, body = excluded.body"
    )
    params = (account, stored.revision, stored.fingerprint, stored.body)
    if db.dialect != "sqlite":
        with db.unrecorded(), db.transaction():  # a cache: no change to journal
            db.execute("SET LOCAL lock_timeout = '100ms'")
            db.execute(sql, params)
        return
    before = db.one("PRAGMA busy_timeout")
    db.execute("PRAGMA busy_timeout = 100")
    try:
        with db.unrecorded(), db.transaction():
            db.execute(sql, params)
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(before[0]) if before else 10000}")


def _dt(at: datetime | None) -> str | None:
    return at.astimezone(UTC).isoformat() if at is not None else None


def _action(a: Action) -> list[Any]:
    if a.progress is not None:
        raise ValueError(f"{a.id}: a snapshot keeps no keep-searching week")
    w = a.window
    person = [a.person.id, a.person.name, a.person.email] if a.person else None
    state = a.end_state.value if a.end_state is not None else None
    return [
        a.id,
        a.kind.value,
        [_dt(w.opens_at), _dt(w.ideal_from), _dt(w.ideal_until), _dt(w.due_at)],
        a.why,
        a.interview_id,
        a.application_id,
        person,
        [state, _dt(a.ended_at), a.end_why],
    ]


def encode(snapshot: LiveSnapshot, lookups: Lookups) -> str:
    """Return the snapshot and its lookups as the JSON body stored."""
    weeks = snapshot.weeks
    return json.dumps(
        {
            "format": FORMAT,
            "at": _dt(snapshot.at),
            "until": _dt(snapshot.until),
            "actions": [_action(a) for a in snapshot.actions],
            "weeks": {
                "user_tz": weeks.user_tz,
                "intervals": [[_dt(s), _dt(e), c] for s, e, c in weeks.intervals],
                "applied": [d.isoformat() for d in weeks.applied],
                "marks": [
                    [m.action_id, m.state.value, _dt(m.at), m.why] for m in weeks.marks.values()
                ],
            },
            "apps": [[i, c, r] for i, (c, r) in lookups.apps.items()],
            "tz_of": [[i, tz] for i, tz in lookups.tz_of.items()],
            "zones": lookups.zones,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r}: text expected")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{value!r}: a whole number expected")
    return value


def _opt_int(value: Any) -> int | None:
    return None if value is None else _int(value)


def _zone(value: Any) -> str:
    name = _str(value)
    zone(name)  # raises a KeyError for a zone this machine does not know
    return name


def _at(text: str) -> datetime:
    at = datetime.fromisoformat(_str(text))
    if at.tzinfo is None:
        raise ValueError(f"{text}: a moment without its offset")
    return at


def _opt_at(text: str | None) -> datetime | None:
    return _at(text) if text is not None else None


def _decode_action(row: list[Any]) -> Action:
    aid, kind, window, why, interview_id, application_id, person, end = row
    state, ended_at, end_why = end
    opens, ideal_from, ideal_until, due = (_at(t) for t in window)
    return Action(
        id=_str(aid),
        kind=ActionKind(kind),
        window=Window(opens, ideal_from, ideal_until, due),
        why=_str(why),
        interview_id=_opt_int(interview_id),
        application_id=_opt_int(application_id),
        person=Person(_int(person[0]), _str(person[1]), _opt_str(person[2])) if person else None,
        end_state=ActionState(state) if state is not None else None,
        ended_at=_opt_at(ended_at),
        end_why=_opt_str(end_why),
    )


def decode(body: str) -> tuple[LiveSnapshot, Lookups] | None:
    """Read a stored body back; None when it is of another format or damaged (every
    value is checked for its type, and every zone is one this machine knows)."""
    try:
        doc = json.loads(body)
        if not isinstance(doc, dict) or type(doc.get("format")) is not int:
            return None
        if doc["format"] != FORMAT:
            return None
        w = doc["weeks"]
        weeks = WeekInputs(
            user_tz=_zone(w["user_tz"]),
            intervals=tuple((_at(s), _opt_at(e), _opt_str(c)) for s, e, c in w["intervals"]),
            applied=tuple(date.fromisoformat(_str(d)) for d in w["applied"]),
            marks={
                _str(i): ActionMark(_str(i), ActionState(s), _at(at), _opt_str(why))
                for i, s, at, why in w["marks"]
            },
        )
        snapshot = LiveSnapshot(
            at=_at(doc["at"]),
            actions=tuple(_decode_action(r) for r in doc["actions"]),
            weeks=weeks,
            until=_opt_at(doc["until"]),
        )
        lookups = Lookups(
            apps={_int(i): (_str(c), _str(r)) for i, c, r in doc["apps"]},
            tz_of={_int(i): _zone(tz) for i, tz in doc["tz_of"]},
            zones=_str(doc["zones"]),
        )
    except Exception:
        # damaged or hand-edited (a bad value, an unknown zone or a folder named as one,
        # nesting too deep): as good as no row, it is only a cache
        return None
    return snapshot, lookups
