"""Generate a heavy, realistic personal history for benchmarks.

Five years of a job search ending around `--now`: 2,000 applications (about 8 a
week), 600 interviews in rounds with 1-4 interviewers each, 8,000 touches
(thank-yous, follow-ups by the anti-pestering rules, employer replies, other
messages), 400 self-assessments with rubric scores and asked questions,
outcomes for about 85% of the interviews, a few skips and a profile review
every ~5 weeks. Deterministic for a given seed.

    .venv/bin/python bench/generate.py --db /tmp/heavy.db [--seed 1] [--now 2026-11-27T12:00+01:00]
    .venv/bin/python bench/generate.py --db /tmp/heavy10.db --scale 10   # 10 times as long

Rows are written with plain parametrized SQL in one transaction (no use-case
checks), so it runs in a second or two.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time as _time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from afterview.services.context import open_database
from afterview.store.codec import put_date, put_dt

DEFAULT_NOW = "2026-11-27T12:00+01:00"
ACCOUNT = 1
YEARS = 5
N_APPLICATIONS = 2000
N_INTERVIEWS = 600
N_TOUCHES = 8000
N_ASSESSMENTS = 400
OUTCOME_SHARE = 0.85
RUBRIC = ("preparation", "answers", "questions_asked", "rapport", "technical")

ZONES = (("Europe/Paris", 0.80), ("America/New_York", 0.12), ("Asia/Tokyo", 0.08))
PARIS = ZoneInfo("Europe/Paris")

_PREFIXES = (
    "Acme", "Blue", "North", "Lumen", "Quanta", "Verdi", "Orbit", "Cobalt", "Helio", "Nimbus",
    "Atlas", "Pixel", "Sable", "Tide", "Ember", "Vertex", "Aurora", "Delta", "Kite", "Maple",
    "Onyx", "Prism", "Rivet", "Solstice", "Tandem", "Umber", "Vega", "Willow", "Zephyr", "Fjord",
)  # fmt: skip
_SUFFIXES = (
    "Labs", "Systems", "Analytics", "Health", "Robotics", "Bank", "Energy", "Logistics",
    "Software", "Media", "Foods", "Mobility", "Insurance", "Games", "Bio",
)  # fmt: skip
_ROLES = (
    "Data Engineer", "Backend Developer", "Product Analyst", "Data Scientist", "Platform Engineer",
    "Frontend Developer", "ML Engineer", "Site Reliability Engineer", "Analytics Engineer",
    "Software Engineer", "Engineering Manager", "Product Manager", "QA Engineer",
)  # fmt: skip
_SENIORITY = ("", "", "Senior ", "Junior ", "Lead ", "Staff ")
_FIRST = (
    "Ana", "Louis", "Chloé", "Hugo", "Léa", "Karim", "Sofia", "Jonas", "Mei", "Kenji", "Yuki",
    "Olivia", "Ethan", "Priya", "Marco", "Inès", "Lucas", "Fatima", "Noah", "Emma", "Hiroshi",
    "Camille", "David", "Sarah", "Omar", "Julia", "Théo", "Aiko", "Grace", "Rafael",
)  # fmt: skip
_LAST = (
    "Lopez", "Martin", "Bernard", "Dubois", "Nguyen", "Tanaka", "Sato", "Smith", "Johnson",
    "Moreau", "Garcia", "Rossi", "Khan", "Müller", "Petit", "Durand", "Leroy", "Suzuki",
    "Brown", "Lefèvre", "Haddad", "Costa", "Kowalski", "Ito", "Fournier", "Chen", "Diallo",
)  # fmt: skip
_QUESTIONS = (
    "Tell me about a project you are proud of",
    "Why do you want to leave your current job?",
    "Design a rate limiter",
    "How do you handle a disagreement with a colleague?",
    "Walk me through a data pipeline you built",
    "What is your biggest weakness?",
    "How would you debug a slow SQL query?",
    "Describe a time you failed",
    "Where do you see yourself in five years?",
    "Explain the CAP theorem",
    "How do you prioritise competing deadlines?",
    "What questions do you have for us?",
    "Estimate the number of deliveries per day in Paris",
    "How do you test code that depends on time?",
)
_TOPICS = (
    "their migration to event sourcing",
    "the on-call rotation",
    "team rituals and code review",
    "the product roadmap for next year",
    "remote work policy",
    "my open-source work",
    "data quality checks",
    "the hiring timeline",
)
_OTHER_SENT = (
    "confirmed the time slot",
    "sent my portfolio",
    "sent references",
    "asked about the format",
    "sent availability",
)
_OTHER_RECEIVED = (
    "invitation with the video link",
    "agenda of the day",
    "rescheduling request",
    "take-home exercise",
    "reminder",
)


@dataclass
class _Iv:
    id: int
    app: int
    start: datetime
    end: datetime
    tz: ZoneInfo
    decision_by: date | None
    people: list[int]
    final: bool
    next_start: datetime | None = None
    outcome: tuple[str, datetime] | None = None
    extra: dict[str, int] = field(default_factory=dict)


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _local(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """Wall-clock `clock` on `day` in `tz` (a time in a DST gap moves forward)."""
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC).astimezone(tz)


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _add_days(at: datetime, days: int, tz: ZoneInfo) -> datetime:
    """Same wall-clock time `days` calendar days later in `tz`."""
    local = at.astimezone(tz)
    return _local(local.date() + timedelta(days=days), local.timetz().replace(tzinfo=None), tz)


def _business(at: datetime, tz: ZoneInfo) -> datetime:
    """Keep `at` on a weekday, else 09:00 on the next Monday (no holidays are configured)."""
    local = at.astimezone(tz)
    if local.weekday() < 5:
        return local
    return _local(_weekday(local.date()), time(9), tz)


def parse_now(text: str) -> datetime:
    """Read `--now`; a naive value is Paris time."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=PARIS)


def generate(
    path: str, seed: int = 1, now_text: str = DEFAULT_NOW, scale: int = 1
) -> dict[str, int]:
    """Write the history into a new (or empty) database at `path`; return the row counts.

    With `scale` N above 1, N-1 more five-year histories (seeds `seed+1`, ...) come
    before this one, each of them long over (`older_end`): the history is N times as
    large behind the same present, whose live work stays that of one history.
    """
    if scale < 1:
        raise ValueError("scale: expected 1 or more")
    now = parse_now(now_text)
    tables: dict[str, list[tuple[object, ...]]] = {}
    counts: dict[str, int] = {}
    for k in range(scale - 1, -1, -1):
        rows, part = _rows(seed + k, older_end(now, k))
        _append(tables, rows)
        for key, value in part.items():
            counts[key] = counts.get(key, 0) + value
    _write(path, tables)
    return counts


def older_end(now: datetime, k: int) -> datetime:
    """When the k-th earlier history ends (k=0: `now`): five slots of five years before the
    present one (moments before 1990 are not accepted), each holding every fifth copy."""
    if k == 0:
        return now
    days = round(365.25 * YEARS) + 60 + ((k - 1) % 5) * round(365.25 * YEARS)
    return now - timedelta(days=days)


_ID_COLUMNS = {
    # table: (position of its own id or None, {position: table whose id it holds})
    "application": (0, {}),
    "person": (0, {}),
    "interview": (0, {2: "application"}),
    "interview_person": (None, {0: "interview", 1: "person"}),
    "topic": (None, {0: "interview"}),
    "touch": (0, {2: "interview", 5: "person"}),
    "outcome": (None, {0: "interview"}),
    "assessment": (0, {2: "interview"}),
    "assessment_score": (None, {0: "assessment"}),
    "question": (None, {1: "assessment"}),
    "action_mark": (None, {}),
    "profile_review": (None, {}),
}


def _append(
    tables: dict[str, list[tuple[object, ...]]], rows: dict[str, list[tuple[object, ...]]]
) -> None:
    """Add one history's rows after those already in `tables`, moving its ids past theirs."""
    shift = {t: max((int(r[own]) for r in tables.get(t, [])), default=0)  # type: ignore[call-overload]
             for t, (own, _refs) in _ID_COLUMNS.items() if own is not None}  # fmt: skip
    for table, found in rows.items():
        own, refs = _ID_COLUMNS[table]
        moved = []
        for row in found:
            cells = list(row)
            if own is not None:
                cells[own] = int(cells[own]) + shift[table]  # type: ignore[call-overload]
            for pos, other in refs.items():
                if cells[pos] is not None:
                    cells[pos] = int(cells[pos]) + shift[other]  # type: ignore[call-overload]
            if table == "action_mark":
                cells[1] = _moved_action(str(cells[1]), shift)
            moved.append(tuple(cells))
        tables.setdefault(table, []).extend(moved)


def _moved_action(action_id: str, shift: dict[str, int]) -> str:
    """An action id of a moved history: its interview (and a thank-you's person) moved too."""
    kind, iv, *rest = action_id.split(":")
    if kind == "thank_you" and rest and rest[0].isdigit():
        rest = [str(int(rest[0]) + shift["person"])]
    return ":".join([kind, str(int(iv) + shift["interview"]), *rest])


_INSERTS = {
    "application": "id, account_id, company, role, applied_on, url, created_at",
    "person": "id, account_id, name, email",
    "interview": "id, account_id, application_id, start_at, end_at, tz, decision_by, notes, created_at",
    "interview_person": "interview_id, person_id, position",
    "topic": "interview_id, text, created_at",
    "touch": "id, account_id, interview_id, direction, kind, person_id, at, note, forced, created_at",
    "outcome": "interview_id, account_id, result, at",
    "assessment": "id, account_id, interview_id, at, went_well, improve, confidence",
    "assessment_score": "assessment_id, item, score",
    "question": "account_id, assessment_id, position, text",
    "action_mark": "account_id, action_id, state, at, why",
    "profile_review": "account_id, at",
}


def _write(path: str, tables: dict[str, list[tuple[object, ...]]]) -> None:
    """Write the rows with plain parametrized SQL in one transaction."""
    db = open_database(path)
    try:
        if db.one("SELECT 1 FROM application LIMIT 1") or db.one("SELECT 1 FROM person LIMIT 1"):
            raise SystemExit(f"generate: {path} already holds data; give a new --db path")
        with db.transaction():
            for table, columns in _INSERTS.items():
                marks = ", ".join("?" * len(columns.split(", ")))
                db.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})", tables.get(table, [])
                )
    finally:
        db.close()


def _rows(seed: int, now: datetime) -> tuple[dict[str, list[tuple[object, ...]]], dict[str, int]]:
    """One five-year history ending around `now`: its rows by table, and their counts."""
    rng = random.Random(seed)
    today = now.astimezone(PARIS).date()
    first_day = today - timedelta(days=round(365.25 * YEARS))
    span_days = (today - first_day).days

    # -- applications ---------------------------------------------------------------------
    companies = []
    for p in _PREFIXES:
        for s in _SUFFIXES:
            companies.append((f"{p} {s}", f"{p}{s}".lower() + ".example"))
    rng.shuffle(companies)
    companies = companies[:320]
    company_zone = {c: _weighted(rng, ZONES) for c, _ in companies}

    days = sorted(
        first_day + timedelta(days=rng.randrange(span_days)) for _ in range(N_APPLICATIONS)
    )
    applications = []  # (id, company, domain, role, applied_on, zone)
    app_rows = []
    for n, day in enumerate(days, start=1):
        if day.weekday() >= 5 and rng.random() < 0.7:
            day = _weekday(day)
            day = min(day, today)
        company, domain = companies[rng.randrange(len(companies))]
        role = rng.choice(_SENIORITY) + rng.choice(_ROLES)
        created = _local(day, time(rng.randrange(8, 23), rng.randrange(60)), PARIS)
        created = min(created, now)
        url = f"https://jobs.{domain}/{n:05d}" if rng.random() < 0.7 else None
        applications.append((n, company, domain, role, day, ZoneInfo(company_zone[company])))
        app_rows.append((n, ACCOUNT, company, role, put_date(day), url, put_dt(created)))

    # -- interviews in rounds, with their interviewers ------------------------------------
    persons: list[tuple[int, int, str, str | None]] = []
    latest_start = now + timedelta(days=4)
    interviews: list[_Iv] = []
    order = [a for a in applications if a[4] <= today - timedelta(days=5)]
    rng.shuffle(order)
    # The most recent applications get interviews too, so the agenda has live work.
    recent = sorted(order, key=lambda a: a[4])[-30:]
    order = recent[::3] + [a for a in order if a not in recent[::3]]
    chains: list[list[_Iv]] = []
    for app_id, _company, domain, _role, applied, tz in order:
        if len(interviews) >= N_INTERVIEWS:
            break
        rounds = rng.choices((1, 2, 3, 4), weights=(50, 30, 15, 5))[0]
        pool: list[int] = []
        chain: list[_Iv] = []
        day = applied + timedelta(days=rng.randrange(5, 31))
        for k in range(rounds):
            if len(interviews) >= N_INTERVIEWS:
                break
            day = _weekday(day)
            start = _local(day, time(rng.randrange(9, 18), rng.choice((0, 15, 30, 45))), tz)
            if start > latest_start:
                break
            end = start + timedelta(minutes=rng.choice((30, 45, 60, 60, 90)))
            n_people = rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0]
            people: list[int] = []
            for slot in range(n_people):
                reuse = [p for p in pool if p not in people]
                if reuse and (rng.random() < 0.35 or (slot == 0 and k and rng.random() < 0.5)):
                    people.append(rng.choice(reuse))
                    continue
                first, last = rng.choice(_FIRST), rng.choice(_LAST)
                pid = len(persons) + 1
                email = None
                if rng.random() < 0.95:
                    local_part = f"{first}.{last}".lower().replace(" ", "")
                    email = f"{local_part}{pid}@{domain}"
                persons.append((pid, ACCOUNT, f"{first} {last}", email))
                pool.append(pid)
                people.append(pid)
            decision = None
            if rng.random() < 0.55:
                decision = end.astimezone(tz).date() + timedelta(days=rng.randrange(3, 15))
            iv = _Iv(len(interviews) + 1, app_id, start, end, tz, decision, people, final=True)
            if chain:
                chain[-1].final = False
                chain[-1].next_start = start
            chain.append(iv)
            interviews.append(iv)
            day = end.astimezone(tz).date() + timedelta(days=rng.randrange(5, 22))
        if chain:
            chains.append(chain)
    # Interviews are recorded in time order: renumber them by start.
    interviews.sort(key=lambda i: (i.start, i.id))
    for n, iv in enumerate(interviews, start=1):
        iv.id = n

    # -- what happened after each interview -----------------------------------------------
    touches: list[list[object]] = []  # [interview, direction, kind, person, at, note]
    marks: list[tuple[str, str, datetime, str | None]] = []
    ended = [iv for iv in interviews if iv.end <= now]
    ghost_p = 0.0
    finals = [iv for iv in ended if iv.final]
    if finals:
        missing = round(len(interviews) * (1 - OUTCOME_SHARE))
        ghost_p = max(0.0, min(1.0, missing / len(finals)))

    def touch(
        iv: _Iv, direction: str, kind: str, person: int | None, at: datetime, note: str | None
    ) -> None:
        if at <= now:
            touches.append([iv.id, direction, kind, person, at, note])

    for iv in ended:
        tz = iv.tz
        # Outcome of the round.
        if not iv.final:
            assert iv.next_start is not None
            gap = max(1.0, (iv.next_start - iv.end).total_seconds() / 86400 - 0.5)
            at = iv.end + timedelta(days=rng.uniform(0.5, gap))
            iv.outcome = ("next_round", min(at, now))
        elif rng.random() >= ghost_p:
            at = iv.end + timedelta(
                days=rng.choice((2, 3, 5, 8, 10, 14, 21, 30)), hours=rng.uniform(0, 8)
            )
            result = rng.choices(("rejected", "offer", "withdrawn"), weights=(75, 10, 15))[0]
            if at <= now:
                iv.outcome = (result, at)
        # Thank-yous, most of them 2-3 hours after the end.
        for pid in iv.people:
            if rng.random() < 0.9:
                delay = rng.choices(
                    (rng.uniform(1.5, 3.5), rng.uniform(3.5, 22)), weights=(70, 30)
                )[0]
                touch(iv, "sent", "thank_you", pid, iv.end + timedelta(hours=delay), None)
            elif rng.random() < 0.25:
                at = iv.end + timedelta(hours=rng.uniform(1, 20))
                if at <= now:
                    marks.append(
                        (f"thank_you:{iv.id}:{pid}", "skipped", at, "we only spoke briefly")
                    )
        # Follow-ups by the rules: the first opens 7 days after the end (or 09:00 on the
        # business day after the decision date, if later), the next 7 days after one is
        # sent, at most 2 in a row; an employer message restarts the clock.
        out_at = iv.outcome[1] if iv.outcome else None
        after_d = (
            _local(_weekday(iv.decision_by + timedelta(days=1)), time(9), tz)
            if iv.decision_by
            else None
        )

        def opens_from(
            moment: datetime, after_d: datetime | None = after_d, tz: ZoneInfo = tz
        ) -> datetime:
            week = _add_days(moment, 7, tz)
            return _business(max(week, after_d) if after_d else week, tz)

        number = 1
        sent_in_row = 0
        opens: datetime | None = opens_from(iv.end)
        reply: datetime | None = None
        if rng.random() < 0.3:
            reply = iv.end + timedelta(days=rng.uniform(2, 12))
        first = iv.people[0] if iv.people else None
        while True:
            limit = min(x for x in (out_at, now) if x is not None)
            send: datetime | None = None
            if opens is not None:
                send = opens + timedelta(hours=rng.choice((1, 2, 5, 24, 30, 50)))
            nxt = min((x for x in (reply, send) if x is not None), default=None)
            if nxt is None or nxt >= limit:
                break
            if nxt == reply:
                touch(iv, "received", "other", None, reply, "still deciding, will revert next week")
                reply = None
                sent_in_row = 0
                number += 1
                opens = opens_from(nxt)
                continue
            assert send is not None
            if rng.random() < 0.03:
                marks.append(
                    (f"follow_up:{iv.id}:{number}", "skipped", send, "heard through a friend")
                )
                break
            touch(iv, "sent", "follow_up", first, send, None)
            sent_in_row += 1
            if sent_in_row < 2:
                number += 1
                opens = _business(_add_days(send, 7, tz), tz)
            else:
                opens = None
                if rng.random() < 0.2:
                    reply = send + timedelta(days=rng.uniform(1, 6))
        if iv.outcome:
            result, at = iv.outcome
            if result == "withdrawn":
                touch(iv, "sent", "other", first, at, "withdrew my application")
            else:
                touch(iv, "received", "other", None, at, f"decision: {result}")
                if result == "offer":
                    touch(
                        iv, "sent", "other", first, at + timedelta(hours=20), "thanks for the offer"
                    )
        if rng.random() < 0.2:
            touch(
                iv,
                "sent",
                "other",
                first,
                iv.end + timedelta(days=rng.uniform(0.5, 3)),
                rng.choice(_OTHER_SENT),
            )

    # Messages before each interview (scheduling, documents) fill up to the touch count.
    spare = N_TOUCHES - len(touches)
    weights = [rng.uniform(0.5, 1.5) for _ in interviews]
    counts = [0] * len(interviews)
    for k in rng.choices(range(len(interviews)), weights=weights, k=max(0, spare)):
        counts[k] += 1
    app_day = {a[0]: a[4] for a in applications}
    for iv, count in zip(interviews, counts, strict=True):
        lo = max(_local(app_day[iv.app], time(9), PARIS), iv.start - timedelta(days=21))
        hi = min(iv.start - timedelta(hours=1), now)
        if hi <= lo:
            lo = hi - timedelta(days=1)
        for _ in range(count):
            at = lo + (hi - lo) * rng.random()
            if rng.random() < 0.5:
                touches.append([iv.id, "sent", "other", iv.people[0], at, rng.choice(_OTHER_SENT)])
            else:
                touches.append([iv.id, "received", "other", None, at, rng.choice(_OTHER_RECEIVED)])

    # -- assessments, with scores and asked questions --------------------------------------
    assessable = [iv for iv in ended if iv.end + timedelta(hours=30) <= now]
    assessed = sorted(
        rng.sample(assessable, min(N_ASSESSMENTS, len(assessable))), key=lambda i: i.id
    )
    assessment_rows = []
    score_rows = []
    question_rows = []
    for n, iv in enumerate(assessed, start=1):
        at = iv.end + timedelta(hours=rng.choice((rng.uniform(0.5, 6), rng.uniform(6, 30))))
        assessment_rows.append(
            (n, ACCOUNT, iv.id, put_dt(at), "clear examples" if rng.random() < 0.6 else None,
             "prepare system design" if rng.random() < 0.6 else None, rng.randrange(0, 101, 5))
        )  # fmt: skip
        for item in RUBRIC:
            score_rows.append((n, item, rng.randint(1, 5)))
        for pos, q in enumerate(rng.sample(_QUESTIONS, rng.randint(1, 4))):
            question_rows.append((ACCOUNT, n, pos, q))
    assessed_ids = {iv.id for iv in assessed}
    done_without = [iv for iv in assessable if iv.id not in assessed_ids]
    for iv in rng.sample(done_without, min(5, len(done_without))):
        marks.append((f"self_assess:{iv.id}", "done", iv.end + timedelta(hours=3), None))

    # -- profile reviews every ~5 weeks -----------------------------------------------------
    reviews = []
    at = _local(first_day + timedelta(days=rng.randrange(35)), time(20), PARIS)
    while at <= now:
        reviews.append(at)
        at += timedelta(days=rng.randint(25, 45), hours=rng.uniform(-3, 3))

    # -- write ------------------------------------------------------------------------------
    touches.sort(key=lambda t: (t[4], t[0]))
    touch_rows = [
        (n, ACCOUNT, iv, d, k, p, put_dt(at), note, 0, put_dt(at + timedelta(minutes=2)))  # type: ignore[arg-type,operator]
        for n, (iv, d, k, p, at, note) in enumerate(touches, start=1)
    ]
    iv_rows = []
    ip_rows = []
    topic_rows = []
    outcome_rows = []
    for iv in interviews:
        created = min(iv.start - timedelta(days=rng.uniform(2, 14)), now)
        notes = "ask about the team size" if rng.random() < 0.2 else None
        iv_rows.append(
            (iv.id, ACCOUNT, iv.app, put_dt(iv.start), put_dt(iv.end), iv.tz.key,
             put_date(iv.decision_by), notes, put_dt(created))
        )  # fmt: skip
        for pos, pid in enumerate(iv.people):
            ip_rows.append((iv.id, pid, pos))
        if iv.end <= now and rng.random() < 0.5:
            for text in rng.sample(_TOPICS, rng.randint(1, 2)):
                topic_rows.append((iv.id, text, put_dt(iv.end + timedelta(minutes=15))))
        if iv.outcome:
            outcome_rows.append((iv.id, ACCOUNT, iv.outcome[0], put_dt(iv.outcome[1])))
    marks.sort(key=lambda m: m[2])
    mark_rows = [(ACCOUNT, a, s, put_dt(at), why) for a, s, at, why in marks]
    review_rows = [(ACCOUNT, put_dt(r)) for r in reviews]

    tables: dict[str, list[tuple[object, ...]]] = {
        "application": app_rows,
        "person": persons,
        "interview": iv_rows,
        "interview_person": ip_rows,
        "topic": topic_rows,
        "touch": touch_rows,
        "outcome": outcome_rows,
        "assessment": assessment_rows,
        "assessment_score": score_rows,
        "question": question_rows,
        "action_mark": mark_rows,
        "profile_review": review_rows,
    }
    kinds: dict[str, int] = {}
    for t in touches:
        key = f"touches {t[1]} {t[2]}"
        kinds[key] = kinds.get(key, 0) + 1
    results: dict[str, int] = {}
    for row in outcome_rows:
        results[f"outcomes {row[2]}"] = results.get(f"outcomes {row[2]}", 0) + 1
    zones: dict[str, int] = {}
    for iv in interviews:
        zones[f"interviews in {iv.tz.key}"] = zones.get(f"interviews in {iv.tz.key}", 0) + 1
    return tables, {
        "applications": len(app_rows),
        "persons": len(persons),
        "interviews": len(iv_rows),
        "interviews ended": len(ended),
        "interviewer slots": len(ip_rows),
        "topics": len(topic_rows),
        "touches": len(touch_rows),
        **dict(sorted(kinds.items())),
        "outcomes": len(outcome_rows),
        **dict(sorted(results.items())),
        "assessments": len(assessment_rows),
        "assessment scores": len(score_rows),
        "questions": len(question_rows),
        "action marks": len(mark_rows),
        "profile reviews": len(review_rows),
        **dict(sorted(zones.items())),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: generate into `--db` and print the counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--db", required=True, help="SQLite file to create (must be new or empty)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        help="N times the history: N-1 older five-year histories before it (default 1)",
    )
    parser.add_argument(
        "--now", default=DEFAULT_NOW, help=f"the history ends around this moment ({DEFAULT_NOW})"
    )
    args = parser.parse_args(argv)
    if not os.path.isdir(os.path.dirname(os.path.abspath(args.db))):
        parser.error(f"--db: folder of {args.db} does not exist")
    began = _time.perf_counter()
    if args.scale < 1:
        parser.error("--scale: expected 1 or more")
    counts = generate(args.db, args.seed, args.now, args.scale)
    took = _time.perf_counter() - began
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        print(f"{key:<{width}}  {value:>6}")
    print(
        f"written to {args.db} in {took:.2f} s "
        f"(seed {args.seed}, scale {args.scale}, now {args.now})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
