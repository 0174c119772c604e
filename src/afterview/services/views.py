"""Use cases that read: the agenda, lists, and an interview's timeline.

Each returns plain data (dicts and lists of JSON-ready values), so the CLI's
`--json`, the human renderers and a future web API share one shape.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from afterview.core.followup import Cycle
from afterview.core.model import (
    Action,
    ActionKind,
    ActionState,
    Application,
    Facts,
    InterviewStatus,
)
from afterview.core.plan import Plan, agenda
from afterview.core.plan_parts import interview_actions
from afterview.core.timeutil import zone
from afterview.services.context import Context
from afterview.services.live import live_agenda
from afterview.store import applications
from afterview.store.facts import outbox_needing_attention

if TYPE_CHECKING:
    from afterview.store import repo

Json = dict[str, Any]

#: The end states, as the views write them (`state` of an action that has ended).
ENDED_STATES = tuple(s.value for s in ActionState if s.ended)


def iso(at: datetime | None, tz: str) -> str | None:
    """Format a moment as ISO 8601 with its offset in zone `tz`."""
    return at.astimezone(zone(tz)).isoformat() if at is not None else None


def action_json(
    a: Action, at: datetime, apps: dict[int, Application], tz_of: dict[int, str], user_tz: str
) -> Json:
    """Return an action as the porcelain contract describes it."""
    tz = tz_of.get(a.interview_id, user_tz) if a.interview_id is not None else user_tz
    app = apps.get(a.application_id) if a.application_id is not None else None
    w = a.window
    state = a.state(at)
    return {
        "id": a.id,
        "kind": a.kind.value,
        "state": state.value,
        "application_id": a.application_id,
        "interview_id": a.interview_id,
        "company": app.company if app else None,
        "role": app.role if app else None,
        "person": {"name": a.person.name, "email": a.person.email} if a.person else None,
        "opens_at": iso(w.opens_at, tz),
        "ideal_from": iso(w.ideal_from, tz),
        "ideal_until": iso(w.ideal_until, tz),
        "due_at": iso(w.due_at, tz),
        "why": a.why,
        "progress": {"done": a.progress.done, "target": a.progress.target} if a.progress else None,
        "ended_at": iso(a.ended_at, tz) if state.ended else None,
        "end_why": a.end_why if state.ended else None,
        # when a live action passes for good unless it is done first (None: it does not)
        "lapses_at": (
            iso(a.ended_at, tz) if not state.ended and a.end_state is ActionState.LAPSED else None
        ),
        "tz": tz,
    }


def _lookups(facts: Facts) -> tuple[dict[int, Application], dict[int, str]]:
    apps = {a.id: a for a in facts.applications}
    tz_of = {iv.id: iv.tz for iv in facts.interviews}
    return apps, tz_of


def agenda_view(ctx: Context, everything: bool = False) -> Json:
    """Return `{"at": ..., "actions": [...]}`: what to do now and in the coming days."""
    pb = ctx.config.playbook
    if everything:
        facts = ctx.facts()
        actions = ctx.plan(facts).actions
        apps, tz_of = _lookups(facts)
    else:
        # only the live actions are listed: skip what has surely ended (a long history),
        # and reuse the last agenda's snapshot while the data have not changed
        actions, apps, tz_of = live_agenda(ctx)
    chosen = agenda(actions, ctx.now, pb, everything=everything)
    return {
        "at": iso(ctx.now, ctx.user_tz),
        "tz": ctx.user_tz,
        "now_given": ctx.now_given,
        "actions": with_queued(
            ctx, [action_json(a, ctx.now, apps, tz_of, ctx.user_tz) for a in chosen]
        ),
        "outbox": [
            {"id": i, "state": state, "action_id": action, "reason": reason}
            for i, state, action, reason in outbox_needing_attention(ctx.db, ctx.account)
        ],
    }


#: the agenda's actions a page at a time: with the ended ones, the first this many
ALL_PAGE = 100
MAX_PAGE = 1000


def agenda_page(view: Json, limit: int | None, offset: int) -> Json:
    """`agenda_view`'s answer with `limit` actions from `offset` (every one from there
    when `limit` is None), `total` (all of them) and `next_offset` (None after the last)."""
    actions: list[Json] = view["actions"]
    page = actions[offset:] if limit is None else actions[offset : offset + limit]
    after = offset + len(page)
    return {
        **view,
        "actions": page,
        "total": len(actions),
        "next_offset": after if after < len(actions) else None,
    }


def with_queued(ctx: Context, actions: list[Json]) -> list[Json]:
    """Add `queued` to each action: its approved message waiting in the outbox
    (`{"message", "state", "send_at"}`), or None. An approved action stays open until
    the message goes, and the pages say it is on its way instead of offering a draft."""
    from afterview.store.mail import live_messages

    waiting = {r.action_id: r for r in live_messages(ctx.db, ctx.account) if r.action_id}
    for a in actions:
        row = waiting.get(a["id"])
        a["queued"] = (
            {"message": row.id, "state": row.state, "send_at": iso(row.send_at, ctx.user_tz)}
            if row is not None and row.approved_at <= ctx.now
            else None
        )
    return actions


def interview_zones(ctx: Context, interview_ids: Iterable[int | None]) -> dict[int, str]:
    """Return the zone of each of these interviews (an id that names none is left out), to
    add an interview's local time to a moment about it (an outbox message's)."""
    from afterview.store import repo

    zones: dict[int, str] = {}
    for i in set(interview_ids):
        if i is not None:
            iv = repo.get_interview(ctx.db, ctx.account, i)
            if iv is not None:
                zones[i] = iv.tz
    return zones


def _status(plan: Plan, interview_id: int, at: datetime) -> InterviewStatus:
    return plan.cycles[interview_id].status(at)


def list_applications(ctx: Context) -> list[Json]:
    """Return every application with its status and number of interviews."""
    from afterview.services.live import statuses
    from afterview.store import repo

    found = statuses(ctx)
    rows = repo.list_applications(ctx.db, ctx.account)
    count: dict[int, int] = {}
    latest: dict[int, tuple[datetime, int]] = {}
    for iv_id, app_id, start in repo.interview_starts(ctx.db, ctx.account):
        count[app_id] = count.get(app_id, 0) + 1
        known = latest.get(app_id)
        if known is None or start >= known[0]:
            latest[app_id] = (start, iv_id)

    def status(r: Any) -> str:
        iv = latest.get(r.id)
        if iv is not None and iv[1] in found:
            return found[iv[1]].value
        return "applied" if r.applied_on else "lead"

    return [
        {
            "id": r.id,
            "company": r.company,
            "role": r.role,
            "applied_on": r.applied_on.isoformat() if r.applied_on else None,
            "url": r.url,
            "status": status(r),
            "interviews": count.get(r.id, 0),
        }
        for r in rows
    ]


def list_interviews(ctx: Context) -> list[Json]:
    """Return every interview, newest first, with company, role, status and live actions."""
    from afterview.services.live import live_agenda, statuses
    from afterview.store import repo
    from afterview.store.facts import load_interviews

    found = statuses(ctx)
    live: dict[int, int] = {}
    for a in live_agenda(ctx).actions:
        if a.interview_id is not None:
            live[a.interview_id] = live.get(a.interview_id, 0) + 1
    apps = {a.id: a for a in repo.list_applications(ctx.db, ctx.account)}
    out = []
    for iv in sorted(
        load_interviews(ctx.db, ctx.account), key=lambda i: (i.start, i.id), reverse=True
    ):
        app = apps[iv.application_id]
        out.append(
            {
                "id": iv.id,
                "application_id": iv.application_id,
                "company": app.company,
                "role": app.role,
                "start": iso(iv.start, iv.tz),
                "end": iso(iv.end, iv.tz),
                "tz": iv.tz,
                "interviewers": [{"name": p.name, "email": p.email} for p in iv.interviewers],
                "decision_by": iv.decision_by.isoformat() if iv.decision_by else None,
                "status": found[iv.id].value,
                "open_actions": live.get(iv.id, 0),
            }
        )
    return out


def show_interview(
    ctx: Context, interview_id: int, planned: tuple[list[Action], Cycle] | None = None
) -> Json:
    """Return an interview's timeline: touches, actions with states, drafts, assessment, outcome.

    `planned`: the interview's actions and cycle when the caller has them already. Only
    what had happened by now is shown (a `--now` in the past shows what was known then).
    """
    from afterview.core.as_of import facts_as_of

    iv = ctx.interview(interview_id)
    facts = facts_as_of(ctx.facts(), ctx.now)
    own, cycle = planned or interview_actions(facts, iv.id, ctx.now, ctx.config.playbook)
    apps, tz_of = _lookups(facts)
    app = apps[iv.application_id]
    people = {p.id: p for p in iv.interviewers}
    touches = []
    for t in facts.touches:
        if t.interview_id != iv.id:
            continue
        p = people.get(t.person_id) if t.person_id else None
        touches.append(
            {
                "id": t.id,
                "direction": t.direction.value,
                "kind": t.kind.value,
                "at": iso(t.at, iv.tz),
                "person": {"name": p.name, "email": p.email} if p else _person(ctx, t.person_id),
                "note": t.note,
            }
        )
    actions = with_queued(
        ctx,
        [
            action_json(a, ctx.now, apps, tz_of, ctx.user_tz)
            for a in sorted(own, key=lambda a: (a.window.opens_at, a.id))
        ],
    )
    outcome = next((o for o in facts.outcomes if o.interview_id == iv.id), None)
    from afterview.store import repo
    from afterview.store.calendar import meeting

    assessment = repo.get_assessment(ctx.db, ctx.account, iv.id)
    if assessment is not None and assessment.at > ctx.now:
        assessment = None
    drafts = [d for d in repo.list_drafts(ctx.db, ctx.account, iv.id) if d.created_at <= ctx.now]
    follow_ups = cycle.closed_why
    pending = cycle.pending
    if follow_ups is None and pending is not None and pending.state(ctx.now).ended:
        follow_ups = f"{pending.id} {pending.state(ctx.now).value}: {pending.end_why}"
    return {
        "id": iv.id,
        "application_id": iv.application_id,
        "company": app.company,
        "role": app.role,
        "start": iso(iv.start, iv.tz),
        "end": iso(iv.end, iv.tz),
        "tz": iv.tz,
        "decision_by": iv.decision_by.isoformat() if iv.decision_by else None,
        "interviewers": [{"id": p.id, "name": p.name, "email": p.email} for p in iv.interviewers],
        "topics": list(iv.topics),
        "notes": repo.interview_notes(ctx.db, iv.id),
        **dict(zip(("format", "location", "meeting_url"), meeting(ctx.db, iv.id), strict=True)),
        "status": cycle.status(ctx.now).value,
        "follow_ups": follow_ups,
        "outcome": {"result": outcome.result.value, "at": iso(outcome.at, iv.tz)}
        if outcome
        else None,
        "touches": touches,
        "actions": actions,
        "drafts": [
            {
                "action_id": d.action_id,
                "kind": d.kind,
                "to": {"name": d.to_name, "email": d.to_email} if d.to_name or d.to_email else None,
                "subject": d.subject,
                "body": d.body,
                "created_at": iso(d.created_at, iv.tz),
            }
            for d in drafts
        ],
        "assessment": _assessment_json(assessment, iv.tz),
    }


def _person(ctx: Context, person_id: int | None) -> Json | None:
    if person_id is None:
        return None
    found = applications.people(ctx.db, ctx.account, {person_id}).get(person_id)
    return {"name": found[0], "email": found[1]} if found else None


def _assessment_json(a: repo.AssessmentRow | None, tz: str) -> Json | None:
    if a is None:
        return None
    return {
        "at": iso(a.at, tz),
        "scores": a.scores,
        "asked": a.asked,
        "went_well": a.went_well,
        "improve": a.improve,
        "confidence": a.confidence,
    }


KIND_LABELS = {
    ActionKind.THANK_YOU.value: "Thank-you",
    ActionKind.FOLLOW_UP.value: "Follow-up",
    ActionKind.KEEP_SEARCHING.value: "Keep searching",
    ActionKind.REFRESH_PROFILE.value: "Update profile",
    ActionKind.SELF_ASSESS.value: "Self-assessment",
}
