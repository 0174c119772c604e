"""An interview's story in time order: the interview, messages, drafts, the outbox,
the self-assessment and the outcome, from `views.show_interview`'s JSON."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


def timeline(iv: Json, outbox: list[Json]) -> list[Json]:
    """Return the events of an interview, oldest first: `{"at", "what", "detail", "kind"}`."""
    events: list[Json] = [
        {"at": iv["start"], "kind": "interview", "what": "Interview", "detail": _people(iv)}
    ]
    for t in iv["touches"]:
        who = (t["person"] or {}).get("name")
        verb = "You sent" if t["direction"] == "sent" else "They wrote"
        kind = t["kind"].replace("_", "-")
        what = f"{verb} a {kind}" if kind != "other" else f"{verb} a message"
        if who:
            what += f" ({'to' if t['direction'] == 'sent' else 'from'} {who})"
        events.append({"at": t["at"], "kind": "touch", "what": what, "detail": t["note"] or ""})
    for d in iv["drafts"]:
        to = (d["to"] or {}).get("name") or "the team"
        events.append(
            {
                "at": d["created_at"],
                "kind": "draft",
                "what": f"Draft {d['kind'].replace('_', '-')} to {to}",
                "detail": d["subject"],
            }
        )
    for m in outbox:
        at = m["sent_at"] or m["send_at"]
        events.append(
            {
                "at": at,
                "kind": "outbox",
                "what": f"Outbox message {m['id']} to {m['to']}: {m['state']}",
                "detail": m["reason"] or m["subject"],
            }
        )
    a = iv["assessment"]
    if a:
        scores = ", ".join(f"{k} {v}" for k, v in sorted(a["scores"].items()))
        events.append(
            {"at": a["at"], "kind": "assessment", "what": "Self-assessment", "detail": scores}
        )
    o = iv["outcome"]
    if o:
        events.append(
            {
                "at": o["at"],
                "kind": "outcome",
                "what": f"Outcome: {o['result'].replace('_', ' ')}",
                "detail": "",
            }
        )
    return sorted(events, key=lambda e: (_utc_key(e["at"]), e["kind"]))


def _people(iv: Json) -> str:
    names = [p["name"] for p in iv["interviewers"]]
    return "with " + ", ".join(names) if names else "interviewers not recorded"


def _utc_key(text: str | None) -> str:
    from datetime import UTC, datetime

    if not text:
        return ""
    return datetime.fromisoformat(text).astimezone(UTC).isoformat()
