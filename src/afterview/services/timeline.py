"""An interview's record page, from `views.show_interview`'s JSON and its outbox messages:
its actions grouped by what to do with them, and one timeline of what happened.

The timeline holds the interview itself, the messages sent and received (touches), the
drafts, the outbox messages with their state, the user's decisions on the plan (an
action skipped, or marked done without a message), the self-assessment and the outcome,
newest first. Each event carries the words a page shows and, apart, what a power user
needs to find it from the command line (`ref`): ids and commands never go in the words.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from afterview.services.views import ENDED_STATES, KIND_LABELS

Json = dict[str, Any]

#: the action states to act on now, most urgent first (the order of Today)
NOW_STATES = ("overdue", "ideal", "open")

#: the event kinds in the order they happen when they share a moment (a draft is saved,
#: approved into the outbox, sent: the touch; then a decision, an assessment, the outcome)
KINDS = ("interview", "draft", "outbox", "message", "decision", "assessment", "outcome")

#: what an outbox message's state means, in words
OUTBOX_WORDS = {
    "scheduled": "scheduled to send",
    "sending": "being sent",
    "held": "held, not sent",
    "uncertain": "may have been sent: check your Sent folder",
    "sent": "sent by afterview",
    "failed": "not sent: the mail server refused it",
    "cancelled": "cancelled",
}

_COMMAND = re.compile(r"\s*\([^()`]*`[^`]*`[^()]*\)")  # "(fix it: `afterview mail check`)"
_ACTION_ID = re.compile(
    r"\b(?:thank_you|follow_up|self_assess|refresh_profile|keep_searching):[0-9A-Za-z:-]+\s*"
)


def record(iv: Json, outbox: list[Json]) -> Json:
    """Return the record page's data of an interview (`iv`: `views.show_interview`'s JSON;
    `outbox`: `outbox.interview_messages`): `groups` of its actions (`now`, `upcoming`,
    `ended`), the `timeline` newest first, and `follow_ups` in plain words (or None)."""
    return {
        "groups": action_groups(iv["actions"]),
        "timeline": timeline(iv, outbox),
        "follow_ups": plain(iv["follow_ups"]) if iv["follow_ups"] else None,
    }


def record_json(iv: Json, outbox: list[Json]) -> Json:
    """`record` as the JSON API gives it: the actions by their ids (their details are in
    the interview's own JSON), the follow-ups' state and the timeline, newest first."""
    rec = record(iv, outbox)
    return {
        "id": iv["id"],
        "application_id": iv["application_id"],
        "groups": {name: [a["id"] for a in group] for name, group in rec["groups"].items()},
        "follow_ups": rec["follow_ups"],
        "order": "newest first",
        "timeline": rec["timeline"],
    }


def action_groups(actions: list[Json]) -> dict[str, list[Json]]:
    """Split an interview's actions into what to do `now` (overdue, then ideal, then open),
    what is `upcoming` (soonest first), and what has `ended` (done, skipped, cancelled,
    lapsed; most recently ended first)."""
    rank = {s: i for i, s in enumerate(NOW_STATES)}
    now = [a for a in actions if a["state"] in rank]
    now.sort(key=lambda a: (rank[a["state"]], _utc_key(a["due_at"]), a["id"]))
    upcoming = [a for a in actions if a["state"] == "upcoming"]
    upcoming.sort(key=lambda a: (_utc_key(a["opens_at"]), a["id"]))
    ended = [a for a in actions if a["state"] in ENDED_STATES]
    ended.sort(key=lambda a: (_utc_key(a["ended_at"]), a["id"]), reverse=True)
    return {"now": now, "upcoming": upcoming, "ended": ended}


def timeline(iv: Json, outbox: list[Json]) -> list[Json]:
    """Return the events of an interview, newest first. Each is `{"at", "kind", "label",
    "what", "detail", "lines", "state", "ref", "touch_id"}`: `kind` one of `KINDS`,
    `label` the word that names it on its card, `what` and `detail` its words, `lines`
    more of them (the notes, the assessment), `state` an outbox message's state, `ref`
    the id or command that names it for the command line (None when there is none),
    `touch_id` the id of a message logged (to edit or delete it; None for the others)."""
    events = [_interview(iv)]
    events += [_touch(t) for t in iv["touches"]]
    events += [_draft(d) for d in iv["drafts"]]
    sent_at = {(t["kind"], _utc_key(t["at"])) for t in iv["touches"] if t["direction"] == "sent"}
    for m in outbox:
        kind = m["action_id"].partition(":")[0]
        if m["state"] == "sent" and (kind, _utc_key(m["sent_at"])) in sent_at:
            continue  # its touch says it (recorded when it was sent)
        events.append(_outbox(m, kind))
    events += [_decision(a) for a in iv["actions"] if _decided(a, iv)]
    if iv["assessment"]:
        events.append(_assessment(iv["assessment"]))
    if iv["outcome"]:
        o = iv["outcome"]
        events.append(
            _event(o["at"], "outcome", "Outcome", f"Outcome: {o['result'].replace('_', ' ')}")
        )
    rank = {k: i for i, k in enumerate(KINDS)}
    events.sort(key=lambda e: (_utc_key(e["at"]), rank[e["kind"]]), reverse=True)
    return events


def plain(text: str) -> str:
    """`text` without the action ids and command-line hints the services' messages carry
    (a page keeps those in its folded details)."""
    text = _COMMAND.sub("", text)
    if "`" in text:
        head = text.split("`", 1)[0]
        cut = head.rfind(";")
        text = head[:cut] if cut > 0 else head
    text = _ACTION_ID.sub(_action_words, text)
    return text.strip().rstrip(";:,(").strip()


def _action_words(m: re.Match[str]) -> str:
    kind = m.group(0).partition(":")[0]
    return f"the {KIND_LABELS.get(kind, 'action').lower()} "


def _event(at: str | None, kind: str, label: str, what: str, detail: str = "", **more: Any) -> Json:
    return {
        "at": at,
        "kind": kind,
        "label": label,
        "what": what,
        "detail": detail,
        "lines": more.get("lines", []),
        "state": more.get("state"),
        "ref": more.get("ref"),
        "touch_id": more.get("touch_id"),
    }


def _interview(iv: Json) -> Json:
    names = [p["name"] for p in iv["interviewers"]]
    who = "with " + ", ".join(names) if names else "interviewers not recorded"
    place = [s for s in (iv.get("format"), iv.get("location")) if s]  # "video", "12 rue de la Paix"
    notes = [line for line in (iv["notes"] or "").splitlines() if line.strip()]
    return _event(iv["start"], "interview", "Interview", who, " · ".join(place), lines=notes)


def _touch(t: Json) -> Json:
    sent = t["direction"] == "sent"
    who = (t["person"] or {}).get("name")
    kind = t["kind"].replace("_", "-")
    verb = "You sent" if sent else "They wrote"
    what = f"{verb} a {kind}" if kind != "other" else f"{verb} a message"
    if who:
        what += f" ({'to' if sent else 'from'} {who})"
    touch = t.get("id")
    return _event(
        t["at"], "message", "Sent" if sent else "Received", what, t["note"] or "",
        ref=f"afterview message edit {touch}" if touch is not None else None, touch_id=touch,
    )  # fmt: skip


def _draft(d: Json) -> Json:
    to = (d["to"] or {}).get("name") or "the team"
    what = f"Draft {d['kind'].replace('_', '-')} to {to}"
    return _event(d["created_at"], "draft", "Draft", what, d["subject"], ref=d["action_id"])


def _outbox(m: Json, kind: str) -> Json:
    label = KIND_LABELS.get(kind, "Message")
    state = m["state"]
    what = f"{label} to {m['to']}: {OUTBOX_WORDS.get(state, state)}"
    why = plain(m["reason"]) if m["reason"] else ""
    detail = f"{m['subject']} — {why}" if why and why != "sent" else m["subject"]
    at = m["sent_at"] or m["send_at"]
    return _event(
        at, "outbox", "Outbox", what, detail, state=state, ref=f"afterview outbox show {m['id']}"
    )


def _decided(a: Json, iv: Json) -> bool:
    """An action the user ended by a decision recorded as such: skipped, or marked done
    without a message (a sent message is its touch; an assessment is its own event)."""
    if a["state"] == "skipped":
        return True
    if a["state"] != "done" or a["kind"] in ("thank_you", "follow_up"):
        return False
    return not (a["kind"] == "self_assess" and iv["assessment"])


def _decision(a: Json) -> Json:
    label = (KIND_LABELS.get(a["kind"]) or str(a["kind"])).lower()
    to = f" to {a['person']['name']}" if a["person"] else ""
    if a["state"] == "skipped":
        why = a["end_why"] if a["end_why"] and a["end_why"] != "skipped" else ""
        return _event(a["ended_at"], "decision", "Skipped", f"You skipped the {label}{to}", why)
    return _event(a["ended_at"], "decision", "Done", f"You marked the {label}{to} done")


def _assessment(a: Json) -> Json:
    scores = ", ".join(f"{k.replace('_', ' ')} {v}/5" for k, v in sorted(a["scores"].items()))
    lines = []
    if a.get("went_well"):
        lines.append(f"Went well: {a['went_well']}")
    if a.get("improve"):
        lines.append(f"To improve: {a['improve']}")
    if a.get("confidence") is not None:
        lines.append(f"Confidence you move on: {a['confidence']}%")
    if a.get("asked"):
        lines.append("They asked: " + " · ".join(a["asked"]))
    what = "You assessed yourself"
    return _event(a["at"], "assessment", "Self-assessment", what, scores, lines=lines)


def _utc_key(text: str | None) -> str:
    """A moment as a sortable key (UTC); the empty string for none."""
    if not text:
        return ""
    return datetime.fromisoformat(text).astimezone(UTC).isoformat()
