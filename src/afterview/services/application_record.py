"""One application's record: what it is, where it stands, what the job posting said,
and its story in time order (applied, interviews, messages sent and received, the
outbox, outcomes, self-assessments, moves on the board), with its interviews' actions.

Only what had happened by now is shown (a `--now` in the past shows what was known
then); interviews, being plans, always show.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from afterview.core.model import Interview
from afterview.core.plan_parts import interview_actions
from afterview.core.timeutil import zone
from afterview.errors import NotFound
from afterview.services.applications import stage_of
from afterview.services.context import Context
from afterview.services.outbox import interview_messages
from afterview.services.views import action_json, iso
from afterview.store import applications as appstore
from afterview.store import repo

Json = dict[str, Any]

#: The order of events at the same moment.
_KINDS = ("added", "applied", "placed", "interview", "touch", "outbox", "assessment", "outcome")


def application_record(ctx: Context, application_id: int) -> Json:
    """Return the application's record page as data (see the module's docstring)."""
    found = appstore.record(ctx.db, ctx.account, application_id)
    if found is None:
        raise NotFound(f"application {application_id}: no such application")
    facts = ctx.facts()
    tz = ctx.user_tz
    ivs = sorted(
        (iv for iv in facts.interviews if iv.application_id == application_id),
        key=lambda iv: (iv.start, iv.id),
    )
    apps = {a.id: a for a in facts.applications if a.id == application_id}
    tz_of = {iv.id: iv.tz for iv in ivs}
    interviews, actions, events = [], [], _own_events(found, tz, ctx.now)
    status = "applied" if found["applied_on"] else "lead"
    for iv in ivs:
        own, cycle = interview_actions(facts, iv.id, ctx.now, ctx.config.playbook)
        status = cycle.status(ctx.now).value  # the latest interview's, in the end
        outcome = next((o for o in facts.outcomes if o.interview_id == iv.id), None)
        if outcome is not None and outcome.at > ctx.now:
            outcome = None
        interviews.append(
            {
                "id": iv.id,
                "start": iso(iv.start, iv.tz),
                "end": iso(iv.end, iv.tz),
                "tz": iv.tz,
                "status": status,
                "interviewers": [p.name for p in iv.interviewers],
                "notes": repo.interview_notes(ctx.db, iv.id),
                "outcome": outcome.result.value if outcome else None,
            }
        )
        actions += [
            action_json(a, ctx.now, apps, tz_of, tz)
            for a in sorted(own, key=lambda a: (a.window.opens_at, a.id))
        ]
        events += _interview_events(ctx, facts.touches, iv)
        if outcome is not None:
            events.append(
                _event("outcome", iso(outcome.at, iv.tz), iv, result=outcome.result.value)
            )
    placed = found["stage"] is not None and datetime.fromisoformat(found["stage_at"]) <= ctx.now
    return {
        "id": application_id,
        "company": found["company"],
        "role": found["role"],
        "url": found["url"],
        "applied_on": found["applied_on"],
        "mail_domain": found["email_domain"],
        "created_at": iso(datetime.fromisoformat(found["created_at"]), tz),
        "status": status,
        "stage": found["stage"] if placed else stage_of(status),
        "placed": placed,
        "facts_stage": stage_of(status),
        "notes": found["notes"],
        "lead": appstore.lead_detail(ctx.db, application_id),
        "interviews": interviews,
        "actions": actions,
        "timeline": sorted(events, key=_order),
    }


def _event(kind: str, at: str | None, iv: Interview | str, **more: Any) -> Json:
    """An event of the timeline: `kind`, its moment `at` (ISO; None for a day), the
    interview it is about (or None) and the zone to say its time in."""
    return {
        "kind": kind,
        "at": at,
        "day": None,
        "interview_id": iv.id if isinstance(iv, Interview) else None,
        "tz": iv.tz if isinstance(iv, Interview) else iv,
        **more,
    }


def _own_events(found: Json, tz: str, now: datetime) -> list[Json]:
    """Added, applied (a day), and placed on the board (by the user)."""
    added = datetime.fromisoformat(found["created_at"])
    events = [_event("added", iso(added, tz), tz)]
    if found["applied_on"]:
        events.append({**_event("applied", None, tz), "day": found["applied_on"]})
    if found["stage"] is not None and datetime.fromisoformat(found["stage_at"]) <= now:
        at = iso(datetime.fromisoformat(found["stage_at"]), tz)
        events.append(_event("placed", at, tz, stage=found["stage"]))
    return events


def _interview_events(ctx: Context, touches: tuple[Any, ...], iv: Interview) -> list[Json]:
    """The interview, its messages sent and received, its outbox and its assessment."""
    people = {p.id: (p.name, p.email) for p in iv.interviewers}
    mine = [t for t in touches if t.interview_id == iv.id and t.at <= ctx.now]
    unknown = {t.person_id for t in mine if t.person_id and t.person_id not in people}
    people.update(appstore.people(ctx.db, ctx.account, unknown))
    events = [
        _event("interview", iso(iv.start, iv.tz), iv, people=[p.name for p in iv.interviewers])
    ]
    for t in mine:
        who = people.get(t.person_id) if t.person_id is not None else None
        events.append(
            _event(
                "touch",
                iso(t.at, iv.tz),
                iv,
                direction=t.direction.value,
                touch=t.kind.value,
                person=who[0] if who else None,
                note=t.note,
            )
        )
    for m in interview_messages(ctx, iv.id):
        if m["state"] == "sent":  # a message sent is a message recorded sent, above
            continue
        events.append(
            _event(
                "outbox",
                str(m["sent_at"] or m["send_at"]),
                iv,
                state=m["state"],
                to=m["to"],
                subject=m["subject"],
                reason=m["reason"],
            )
        )
    assessment = repo.get_assessment(ctx.db, ctx.account, iv.id)
    if assessment is not None and assessment.at <= ctx.now:
        events.append(_event("assessment", iso(assessment.at, iv.tz), iv))
    return events


def _order(e: Json) -> tuple[str, int]:
    """Events in time order: a day counts from its start in the user's zone."""
    if e["at"]:
        key = datetime.fromisoformat(e["at"]).astimezone(UTC).isoformat()
    else:
        day = datetime.fromisoformat(e["day"])
        key = datetime.combine(day.date(), time(), zone(e["tz"])).astimezone(UTC).isoformat()
    return key, _KINDS.index(e["kind"])
