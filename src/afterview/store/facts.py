"""Loading an account's facts for the plan, in a handful of queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from afterview.core.model import (
    ActionMark,
    ActionState,
    Application,
    Direction,
    Facts,
    Interview,
    Outcome,
    OutcomeResult,
    Person,
    ProfileCheckNote,
    Touch,
    TouchKind,
)
from afterview.core.timeutil import has_zone, zone
from afterview.store.codec import get_date, get_dt, put_date, put_dt
from afterview.store.db import Database

if TYPE_CHECKING:
    from afterview.core.funnel import FunnelFacts

_DIRECTION = {d.value: d for d in Direction}
_KIND = {k.value: k for k in TouchKind}


def load_interviewers(
    db: Database, account: int, interview_id: int | None = None
) -> dict[int, list[Person]]:
    """Return each interview's interviewers in order."""
    sql = (
        "SELECT ip.interview_id, p.id, p.name, p.email FROM interview_person ip "
        "JOIN person p ON p.id = ip.person_id WHERE p.account_id = ?"
    )
    params: list[object] = [account]
    if interview_id is not None:
        sql += " AND ip.interview_id = ?"
        params.append(interview_id)
    people: dict[int, list[Person]] = defaultdict(list)
    for iv_id, pid, name, email in db.query(sql + " ORDER BY ip.interview_id, ip.position", params):
        people[iv_id].append(Person(pid, name, email))
    return people


def load_topics(
    db: Database, account: int, interview_id: int | None = None
) -> dict[int, list[str]]:
    """Return each interview's noted topics in the order they were added."""
    sql = (
        "SELECT t.interview_id, t.text FROM topic t JOIN interview i ON i.id = t.interview_id "
        "WHERE i.account_id = ?"
    )
    params: list[object] = [account]
    if interview_id is not None:
        sql += " AND t.interview_id = ?"
        params.append(interview_id)
    topics: dict[int, list[str]] = defaultdict(list)
    for iv_id, text in db.query(sql + " ORDER BY t.interview_id, t.id", params):
        topics[iv_id].append(text)
    return topics


def interview_from_row(
    row: tuple[object, ...], people: list[Person], topics: list[str]
) -> Interview:
    """Build an Interview from `(id, application_id, start_at, end_at, tz, decision_by)`."""
    iv_id, app_id, start, end, tz, decision = row
    return Interview(
        id=int(iv_id),  # type: ignore[call-overload]
        application_id=int(app_id),  # type: ignore[call-overload]
        start=get_dt(str(start)),
        end=get_dt(str(end)),
        tz=known_zone(str(tz)),
        interviewers=tuple(people),
        decision_by=get_date(decision if isinstance(decision, str) else None),
        topics=tuple(topics),
    )


def known_zone(name: str) -> str:
    """`name` if this system's zone database knows it, else "UTC".

    A zone is checked when it is written, but the zone database can change under a
    stored name (a zone withdrawn, a system without tzdata): the moments are stored in
    UTC and stay right; only wall-clock reasoning (same time a week later, business
    days) then happens in UTC rather than failing every command.
    """
    return name if has_zone(name) else "UTC"


INTERVIEW_COLUMNS = "id, application_id, start_at, end_at, tz, decision_by"


def load_interviews(db: Database, account: int) -> list[Interview]:
    """Every interview of the account with its interviewers (no topics), by id."""
    people = load_interviewers(db, account)
    return [
        interview_from_row(row, people.get(row[0], []), [])
        for row in db.query(
            f"SELECT {INTERVIEW_COLUMNS} FROM interview WHERE account_id = ? ORDER BY id",
            (account,),
        )
    ]


def load_facts(
    db: Database,
    account: int,
    *,
    user_tz: str,
    holidays: frozenset[date] = frozenset(),
    with_topics: bool = False,
    settled_before: datetime | None = None,
) -> Facts:
    """Load everything the plan needs for one account.

    With `settled_before` (from `core.plan.settled_before`), the touches of
    interviews whose outcome was recorded by then are left out, except the
    thank-you notes sent, and so are applications without an interview submitted
    more than a week before it: enough for `core.plan.live_actions`, not for a
    whole plan.
    """
    app_sql = "SELECT id, company, role, applied_on, url FROM application WHERE account_id = ?"
    app_params: list[object] = [account]
    if settled_before is not None:
        # the weeks still live start at `settled_before` (a Monday in the user's zone)
        since = settled_before.astimezone(zone(user_tz)).date() - timedelta(days=7)
        app_sql += (
            " AND (applied_on >= ? OR id IN "
            "(SELECT application_id FROM interview WHERE account_id = ?))"
        )
        app_params += [put_date(since), account]
    apps = tuple(
        Application(i, c, r, get_date(d), u)
        for i, c, r, d, u in db.query(app_sql + " ORDER BY id", app_params)
    )
    people = load_interviewers(db, account)
    topics = load_topics(db, account) if with_topics else {}
    interviews = tuple(
        interview_from_row(row, people.get(row[0], []), topics.get(row[0], []))
        for row in db.query(
            f"SELECT {INTERVIEW_COLUMNS} FROM interview WHERE account_id = ? ORDER BY id",
            (account,),
        )
    )
    touch_sql = (
        "SELECT id, interview_id, direction, kind, at, person_id, note FROM touch "
        "WHERE account_id = ?"
    )
    if settled_before is None:
        rows = db.query(touch_sql + " ORDER BY at, id", (account,))
    else:
        # two index searches instead of a scan: every thank-you sent, then the rest of
        # the touches of the interviews not decided by `settled_before`
        thanks = " AND kind = 'thank_you' AND direction = 'sent'"
        rows = db.query(touch_sql + thanks, (account,))
        rows += db.query(
            touch_sql + " AND interview_id IN (SELECT i.id FROM interview i "
            "LEFT JOIN outcome o ON o.interview_id = i.id "
            "WHERE i.account_id = ? AND (o.at IS NULL OR o.at > ?)) "
            "AND NOT (kind = 'thank_you' AND direction = 'sent')",
            (account, account, put_dt(settled_before)),
        )
        rows.sort(key=lambda r: (r[4], r[0]))
    touches = tuple(
        Touch(i, iv, _DIRECTION[d], _KIND[k], get_dt(at), p, n) for i, iv, d, k, at, p, n in rows
    )
    outcomes = tuple(
        Outcome(iv, OutcomeResult(r), get_dt(at))
        for iv, r, at in db.query(
            "SELECT interview_id, result, at FROM outcome WHERE account_id = ? "
            "ORDER BY interview_id",
            (account,),
        )
    )
    assessed: dict[int, datetime] = {
        iv: get_dt(at)
        for iv, at in db.query(
            "SELECT interview_id, at FROM assessment WHERE account_id = ? ORDER BY interview_id",
            (account,),
        )
    }
    marks = load_marks(db, account)
    reviews = tuple(
        get_dt(at)
        for (at,) in db.query(
            "SELECT at FROM profile_review WHERE account_id = ? ORDER BY at", (account,)
        )
    )
    return Facts(
        applications=apps,
        interviews=interviews,
        touches=touches,
        outcomes=outcomes,
        assessed=assessed,
        marks=marks,
        profile_reviews=reviews,
        profile_check=latest_check(db, account),
        holidays=holidays,
        user_tz=user_tz,
    )


def load_marks(db: Database, account: int) -> tuple[ActionMark, ...]:
    """Every mark (done or skipped by hand) of the account, in time order."""
    return tuple(
        ActionMark(a, ActionState(s), get_dt(at), w)
        for a, s, at, w in db.query(
            "SELECT action_id, state, at, why FROM action_mark WHERE account_id = ? ORDER BY at, id",
            (account,),
        )
    )


def latest_check(db: Database, account: int) -> ProfileCheckNote | None:
    """What the latest profile check found, if one ran."""
    check = db.one(
        "SELECT at, open_findings, high_findings, first_fix FROM profile_check "
        "WHERE account_id = ? ORDER BY at DESC, id DESC LIMIT 1",
        (account,),
    )
    if check is None:
        return None
    return ProfileCheckNote(get_dt(check[0]), int(check[1]), int(check[2]), check[3])


def outbox_needing_attention(db: Database, account: int) -> list[tuple[int, str, str, str | None]]:
    """`(id, state, action_id, reason)` of outbox messages the user must look at
    (held, uncertain, failed while their action is open), and scheduled ones with a
    problem noted (an account that cannot send)."""
    return [
        (int(i), str(state), str(action), reason)
        for i, state, action, reason in db.query(
            "SELECT id, state, action_id, reason FROM outbox o WHERE account_id = ? "
            "AND (state IN ('uncertain', 'held') OR (state = 'scheduled' AND reason LIKE 'not sent yet:%') "
            "OR (state = 'failed' AND NOT EXISTS (SELECT 1 FROM outbox n WHERE n.account_id = o.account_id "
            "AND n.action_id = o.action_id AND n.id > o.id))) ORDER BY id",
            (account,),
        )
    ]


def load_open_facts(
    db: Database,
    account: int,
    interview_ids: list[int],
    *,
    user_tz: str,
    applied_since: date,
) -> Facts:
    """Load the facts of the interviews given (those still open, `store/quiet.py`) and
    what the live actions need besides: the applications submitted from `applied_since`,
    the marks of those interviews' actions and of the weeks, the latest profile check,
    and the profile reviews from the last one before the earliest of those interviews.
    Enough for `core.plan.live_snapshot`, not for a whole plan."""
    ids = ", ".join(str(int(i)) for i in interview_ids) or "NULL"
    interviews_sql = f"SELECT {INTERVIEW_COLUMNS} FROM interview WHERE id IN ({ids}) ORDER BY id"
    rows = db.query(interviews_sql)
    people: dict[int, list[Person]] = defaultdict(list)
    for iv_id, pid, name, email in db.query(
        "SELECT ip.interview_id, p.id, p.name, p.email FROM interview_person ip "
        f"JOIN person p ON p.id = ip.person_id WHERE ip.interview_id IN ({ids}) "
        "ORDER BY ip.interview_id, ip.position"
    ):
        people[iv_id].append(Person(pid, name, email))
    interviews = tuple(interview_from_row(row, people.get(row[0], []), []) for row in rows)
    apps = tuple(
        Application(i, c, r, get_date(d), u)
        for i, c, r, d, u in db.query(
            "SELECT id, company, role, applied_on, url FROM application "
            "WHERE account_id = ? AND applied_on >= ? UNION "
            "SELECT id, company, role, applied_on, url FROM application WHERE id IN "
            f"(SELECT application_id FROM interview WHERE id IN ({ids})) ORDER BY id",
            (account, put_date(applied_since)),
        )
    )
    touches = tuple(
        Touch(i, iv, _DIRECTION[d], _KIND[k], get_dt(at), p, n)
        for i, iv, d, k, at, p, n in db.query(
            "SELECT id, interview_id, direction, kind, at, person_id, note FROM touch "
            f"WHERE account_id = ? AND interview_id IN ({ids}) ORDER BY at, id",
            (account,),
        )
    )
    outcomes = tuple(
        Outcome(iv, OutcomeResult(r), get_dt(at))
        for iv, r, at in db.query(
            f"SELECT interview_id, result, at FROM outcome WHERE interview_id IN ({ids}) "
            "ORDER BY interview_id"
        )
    )
    assessed = {
        int(iv): get_dt(at)
        for iv, at in db.query(
            f"SELECT interview_id, at FROM assessment WHERE interview_id IN ({ids}) "
            "ORDER BY interview_id"
        )
    }
    # the marks of these interviews' actions, and of the weeks (keep_searching:YYYY-MM-DD)
    of_interview = (
        "CAST(substr(action_id, instr(action_id, ':') + 1) AS INTEGER)"
        if db.dialect == "sqlite"
        else "(CASE WHEN split_part(action_id, ':', 2) ~ '^[0-9]{1,18}$' "
        "THEN split_part(action_id, ':', 2)::bigint END)"
    )
    marks = tuple(
        ActionMark(a, ActionState(s), get_dt(at), w)
        for a, s, at, w in db.query(
            "SELECT action_id, state, at, why FROM action_mark WHERE account_id = ? "
            f"AND (action_id LIKE 'keep_searching:%' OR {of_interview} IN ({ids})) "
            "ORDER BY at, id",
            (account,),
        )
    )
    first_end = min((iv.end for iv in interviews), default=None)
    review_sql = "SELECT at FROM profile_review WHERE account_id = ?"
    review_params: list[object] = [account]
    if first_end is not None:
        review_sql += (
            " AND at >= COALESCE((SELECT max(at) FROM profile_review "
            "WHERE account_id = ? AND at < ?), '')"
        )
        review_params += [account, put_dt(first_end)]
    reviews = tuple(get_dt(at) for (at,) in db.query(review_sql + " ORDER BY at", review_params))
    return Facts(
        applications=apps,
        interviews=interviews,
        touches=touches,
        outcomes=outcomes,
        assessed=assessed,
        marks=marks,
        profile_reviews=reviews,
        profile_check=latest_check(db, account),
        user_tz=user_tz,
    )


def load_funnel(db: Database, account: int) -> FunnelFacts:
    """What the funnel reads besides the applications (`applications.funnel_rows`): each
    interview's application and start, the first message received about each, and the
    outcomes. A few small values per interview, however long the history's messages."""
    from afterview.core.funnel import FunnelFacts  # only `stats` reads it (statistics is slow)

    interviews = [
        (int(i), int(app), get_dt(start))
        for i, app, start in db.stream(
            "SELECT id, application_id, start_at FROM interview WHERE account_id = ? ORDER BY id",
            (account,),
        )
    ]
    replies = [
        (int(iv), get_dt(at))
        for iv, at in db.stream(
            "SELECT interview_id, MIN(at) FROM touch WHERE account_id = ? "
            "AND direction = 'received' GROUP BY interview_id",
            (account,),
        )
    ]
    outcomes = [
        (int(iv), OutcomeResult(r), get_dt(at))
        for iv, r, at in db.stream(
            "SELECT interview_id, result, at FROM outcome WHERE account_id = ?", (account,)
        )
    ]
    return FunnelFacts(interviews, replies, outcomes)
