"""`afterview notify`: a daily digest and an alert when an action needs you, to your channels.

Channels are apprise URLs from `[notify] channels` in the config. Each alert goes
to each channel at most once (recorded by a hash of the channel, so its URL and
any token in it stay out of the database). Quiet hours hold alerts back until
they end. A failing channel is reported and tried again on the next run; the
others are not held up.
"""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

from afterview.core.alerts import digest_key, due_alerts, in_quiet_hours, parse_quiet_hours
from afterview.core.model import Action, ActionKind, Application
from afterview.core.plan import agenda
from afterview.core.timeutil import zone
from afterview.errors import Refused
from afterview.services.context import Context
from afterview.services.live import live_agenda
from afterview.services.views import KIND_LABELS
from afterview.store import notifications as store
from afterview.timewords import counted


class NotifyReport(NamedTuple):
    """What one run sent, held back and could not send."""

    sent: int
    waiting: int  # held back by quiet hours
    failed: list[str]  # channels that failed (shown without their secrets)


def channel_id(url: str) -> str:
    """A stable id for a channel that does not reveal its URL."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def shown(url: str, position: int) -> str:
    """A channel as it may be printed: its place in the list and its kind, nothing else
    (tokens sit anywhere in apprise URLs, the host part included)."""
    return f"channels[{position}] ({url.partition('://')[0]})"


_EVENT_WORDS = {"ideal": "Now", "overdue": "Overdue", "open": "Open", "upcoming": "Soon"}


def _title(a: Action, apps: dict[int, Application], event: str) -> str:
    label = KIND_LABELS.get(a.kind.value, a.kind.value)
    app = apps.get(a.application_id) if a.application_id is not None else None
    what = f"{label}: {app.company}" if app else label
    who = f" ({a.person.name})" if a.person else ""
    return f"{_EVENT_WORDS.get(event, event.capitalize())} — {what}{who}"


def _body(a: Action, ctx: Context, event: str) -> str:
    due = a.window.due_at.astimezone(zone(ctx.user_tz))
    head = "Best done now" if event == "ideal" else "It was due"
    if a.kind is ActionKind.KEEP_SEARCHING:  # no `done`: each application is recorded
        command = 'afterview application add --company "…" --role "…"'
    else:
        command = f"afterview done {a.id}"
    return f"{head}; due {due:%a %d %b %H:%M}.\n{a.why}\n{command}"


def notify(ctx: Context, send: Any = None) -> NotifyReport:
    """Send the digest and the alerts due at now; `send(url, title, body) -> bool` for tests."""
    channels = ctx.config.channels
    if not channels:
        raise Refused('no channels: add [notify] channels = ["ntfy://your-topic"] to the config')
    send = send or _apprise_send
    pb = ctx.config.playbook
    actions, apps, _zones = live_agenda(ctx)
    local = ctx.now.astimezone(zone(ctx.user_tz))
    quiet = parse_quiet_hours(ctx.config.quiet_hours) if ctx.config.quiet_hours else None
    alerts = due_alerts(actions, ctx.now)
    digest = digest_key(local, ctx.config.digest_hour)
    messages: list[tuple[str, str, str]] = []  # key, title, body
    if digest:
        listed = agenda(actions, ctx.now, pb)
        lines = [f"- {_title(a, apps, a.state(ctx.now).value)}" for a in listed[:20]]
        more = f"\n…and {len(listed) - 20} more: afterview agenda" if len(listed) > 20 else ""
        text = "\n".join(lines) + more if lines else "Nothing to do in the coming days."
        messages.append((digest, f"afterview: {counted(len(listed), 'action')} today", text))
    waiting = 0
    if in_quiet_hours(local, quiet):
        # the digest and the alerts wait; count only what some channel has not had yet
        had = [store.sent_keys(ctx.db, ctx.account, channel_id(u)) for u in channels]
        waiting = sum(1 for d in alerts if any(d.key not in done for done in had))
        messages = []
    else:
        messages += [
            (d.key, _title(d.action, apps, d.event), _body(d.action, ctx, d.event)) for d in alerts
        ]
    sent = 0
    failed = []
    for position, url in enumerate(channels):
        cid = channel_id(url)
        done = store.sent_keys(ctx.db, ctx.account, cid)
        for key, title, body in messages:
            if key in done:
                continue
            if not send(url, title, body):
                failed.append(shown(url, position))
                break  # this channel is down; the others go on, it is tried again next run
            with ctx.db.unrecorded(), ctx.db.transaction():  # sent: nothing to undo
                store.record(ctx.db, ctx.account, key, cid, ctx.now)
            sent += 1
    return NotifyReport(sent, waiting, failed)


def _apprise_send(url: str, title: str, body: str) -> bool:
    import logging

    import apprise

    log = logging.getLogger("apprise")  # failures are reported by channel, not logged
    log.propagate = False
    if not log.handlers:
        log.addHandler(logging.NullHandler())
    a = apprise.Apprise()
    if not a.add(url):
        return False
    return bool(a.notify(title=title, body=body))
