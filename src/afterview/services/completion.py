"""What the shell offers after `afterview done <TAB>`: ids, each with a line that says
what it names (`3`, `Acme · Data Engineer, Tue 15 Sep`).

Every function reads a context opened for reading only (`open_database_read_only`):
nothing is written, not even the agenda's stored bounds, and the live actions come
from the interviews still open when those bounds hold (`live.live_read_only`), so a
long history costs what is going on, not its length. The texts shown come from the
database: they are made printable and cut to one short line.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from afterview.core.model import Action, ActionKind, ActionState, Application
from afterview.core.plan import agenda, plan
from afterview.core.timeutil import zone
from afterview.services.context import Context
from afterview.services.live import live_read_only, open_facts_read_only
from afterview.services.views import KIND_LABELS
from afterview.store import completion_rows as rows
from afterview.store.codec import get_date, get_dt
from afterview.textcheck import printable

#: At most this many ids offered at once (the newest; typing digits narrows them).
LIMIT = 500
#: The width of a help line (zsh and fish show it beside the id).
WIDTH = 80

#: Which actions a command takes: open ones of any kind, open ones `done` records a
#: fact for (not `keep_searching`), open messages (`send`), or those `reopen` opens.
ACTION_SETS = ("open", "done", "send", "ended")


class Choice(NamedTuple):
    """One value the shell may complete, and what it names."""

    value: str
    help: str


def _line(text: str, width: int = WIDTH) -> str:
    """One short printable line (the database's text is not trusted to be either)."""
    one = " ".join(printable(text).split())
    return one if len(one) <= width else one[: width - 1] + "…"


def _fitted(what: str, when: str) -> str:
    """`what` cut to leave room for `when` (a day, a state: never cut) on one line."""
    return _line(what, WIDTH - len(when)) + when


def _day(at: datetime, tz: str, now: datetime) -> str:
    local = at.astimezone(zone(tz))
    same_year = local.year == now.astimezone(zone(tz)).year
    return f"{local:%a %d %b}" if same_year else f"{local:%a %d %b %Y}"


def _digits(prefix: str) -> str | None:
    """The prefix of a numeric id, or None when no id can start with it."""
    return prefix if prefix.isascii() and (prefix.isdigit() or not prefix) else None


def interview_choices(ctx: Context, prefix: str) -> list[Choice]:
    """Interview ids starting with `prefix`, latest first: `Acme · Data Engineer, Tue 15 Sep`."""
    digits = _digits(prefix)
    if digits is None:
        return []
    found = rows.interview_rows(ctx.db, ctx.account, digits, LIMIT)
    return [
        Choice(str(i), _fitted(f"{company} · {role}", f", {_day(get_dt(start), tz, ctx.now)}"))
        for i, company, role, start, tz in found
    ]


def application_choices(ctx: Context, prefix: str, *, leads: bool = False) -> list[Choice]:
    """Application ids (only leads with `leads`) starting with `prefix`, newest first."""
    digits = _digits(prefix)
    if digits is None:
        return []
    found = rows.application_rows(ctx.db, ctx.account, digits, LIMIT, leads=leads)
    out = []
    for i, company, role, applied_on in found:
        day = get_date(applied_on)
        when = f"applied {day:%d %b %Y}" if day is not None else "not applied yet"
        out.append(Choice(str(i), _fitted(f"{company} · {role}", f", {when}")))
    return out


def outbox_choices(ctx: Context, prefix: str) -> list[Choice]:
    """Outbox message ids starting with `prefix`, newest first: `scheduled: Thank-you to
    Ana <ana@acme.test>, Tue 15 Sep 13:00`."""
    digits = _digits(prefix)
    if digits is None:
        return []
    out = []
    for i, state, kind, to_name, to_email, send_at in rows.outbox_rows(
        ctx.db, ctx.account, digits, LIMIT
    ):
        to = f"{to_name} <{to_email}>" if to_name else to_email
        local = get_dt(send_at).astimezone(zone(ctx.user_tz))
        label = KIND_LABELS.get(kind, kind)
        out.append(
            Choice(str(i), _fitted(f"{state}: {label} to {to}", f", {local:%a %d %b %H:%M}"))
        )
    return out


def action_choices(ctx: Context, prefix: str, which: str = "open") -> list[Choice]:
    """Action ids starting with `prefix` that a command takes (`ACTION_SETS`): the open
    ones in the agenda's order, or for `ended` those ended by `done` or `skip` in the
    last 7 days, latest first (what `reopen` is for; an older one is still typed whole)."""
    if which not in ACTION_SETS:
        raise ValueError(f"which: expected one of {ACTION_SETS}")
    if which == "ended":
        facts = open_facts_read_only(ctx)
        apps = {a.id: a for a in facts.applications}
        tz_of = {iv.id: iv.tz for iv in facts.interviews}
        since = ctx.now.timestamp() - 7 * 86400
        ended = [
            a
            for a in plan(facts, ctx.now, ctx.config.playbook)
            if a.state(ctx.now) in (ActionState.DONE, ActionState.SKIPPED)
            and a.ended_at is not None
            and a.ended_at.timestamp() >= since
        ]
        ended.sort(key=lambda a: (-(a.ended_at or ctx.now).timestamp(), a.id))
        chosen = [a for a in ended if a.id.startswith(prefix)]
    else:
        live = live_read_only(ctx)
        apps, tz_of = live.apps, live.tz_of
        ordered = agenda(live.actions, ctx.now, ctx.config.playbook, everything=True)
        kinds = {
            "open": set(ActionKind),
            "done": set(ActionKind) - {ActionKind.KEEP_SEARCHING},
            "send": {ActionKind.THANK_YOU, ActionKind.FOLLOW_UP},
        }[which]
        chosen = [a for a in ordered if a.kind in kinds and a.id.startswith(prefix)]
    return [Choice(a.id, _action_help(ctx, a, apps, tz_of)) for a in chosen[:LIMIT]]


def _action_help(
    ctx: Context, a: Action, apps: dict[int, Application], tz_of: dict[int, str]
) -> str:
    """`Thank-you Ana Smith, Acme · Data Engineer, due Tue 15 Sep (overdue)`: the what
    cut to fit, never the when."""
    what = KIND_LABELS.get(a.kind.value, a.kind.value)
    if a.person is not None:
        what += f" {a.person.name}"
    app = apps.get(a.application_id) if a.application_id is not None else None
    if app is not None:
        what += f", {app.company} · {app.role}"
    if a.progress is not None:
        what += f", {a.progress.done} of {a.progress.target} applications"
    tz = tz_of.get(a.interview_id, ctx.user_tz) if a.interview_id is not None else ctx.user_tz
    state = a.state(ctx.now)
    if state.ended and a.ended_at is not None:
        when = f", {state.value} {_day(a.ended_at, tz, ctx.now)}"
    else:
        when = f", due {_day(a.window.due_at, tz, ctx.now)} ({state.value})"
    return _fitted(what, when)
