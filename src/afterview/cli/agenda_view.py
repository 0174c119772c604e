"""The human agenda: grouped by urgency, plain time words, colour on a terminal.

It writes to a stream with `cli/style.py` (no click, no rich), so the agenda's
quick path (`cli/quick.py`) and the click command print exactly the same.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TextIO

from afterview.cli.style import Styler, dump_json, wants_colour
from afterview.services.context import Context
from afterview.services.views import ENDED_STATES, KIND_LABELS, agenda_view
from afterview.textcheck import printable
from afterview.timewords import moment, when_line

GROUPS = (
    ("overdue", "Overdue", "red"),
    ("ideal", "Ideal now", "green"),
    ("open", "Open", "yellow"),
    ("upcoming", "Upcoming", "blue"),
)
ENDED = ENDED_STATES


def _headline(a: dict[str, Any]) -> str:
    label = KIND_LABELS.get(a["kind"], a["kind"])
    parts = [label]
    if a["company"]:
        parts.append(f"{a['company']} · {a['role']}")
    if a["person"]:
        p = a["person"]
        parts.append(f"{p['name']} <{p['email']}>" if p.get("email") else p["name"])
    if a["progress"]:
        parts.append(f"{a['progress']['done']} of {a['progress']['target']} applications")
    return printable(" — ".join(parts))


def print_agenda(ctx: Context, as_json: bool, all_: bool, out: TextIO) -> None:
    """Print the agenda at the context's moment: JSON (the porcelain contract) or for people."""
    view = agenda_view(ctx, everything=all_)
    if as_json:
        dump_json({"at": view["at"], "actions": view["actions"], "outbox": view["outbox"]}, out)
        return
    render_agenda(view, all_, out)


def render_agenda(view: dict[str, Any], all_: bool, out: TextIO) -> None:
    """Print the agenda for people on `out` (in colour when it is a terminal)."""
    style = Styler(wants_colour(out))
    lines: list[str] = []
    now = datetime.fromisoformat(view["at"])
    header = f"Agenda for {now:%a %d %b %Y %H:%M} ({view['tz']})"
    if view.get("now_given"):
        header += style("  [time set by --now]", fg="magenta")
    lines.append(style(header, bold=True))
    actions = view["actions"]
    attention = view.get("outbox") or []
    if attention:
        lines += ["", style(f"Outbox needs you ({len(attention)})", fg="magenta", bold=True)]
        for m in attention:
            lines.append(f"  message {m['id']} {m['state']}: {m['action_id']}")
            if m["reason"]:
                lines.append(style(f"    {m['reason']}", dim=True))
            if m["state"] == "uncertain":
                settle = f"afterview outbox confirm {m['id']} --sent | --not-sent"
            elif m["state"] == "scheduled":
                settle = "afterview mail check"
            else:
                settle = (
                    f"afterview outbox reschedule {m['id']} | afterview outbox cancel {m['id']}"
                )
            lines.append(style(f"    {settle}", fg="cyan"))
    if not actions:
        lines += [
            "",
            "Nothing to do in the coming days.",
            "After your next interview, record it and afterview plans the rest:",
            '  afterview interview add --company "Acme" --role "Data Engineer" \\',
            '      --start "today 14:00" --interviewer "Ana Lopez <ana@acme.example>"',
            "Want to look around first? Try it on a sample: afterview --db /tmp/demo.db demo",
        ]
    else:
        for state, title, colour in GROUPS:
            group = [a for a in actions if a["state"] == state]
            if group:
                _group(lines, style, title, colour, group, now, view["tz"])
        if all_:
            ended = [a for a in actions if a["state"] in ENDED]
            if ended:
                _group(lines, style, "Ended", "white", ended, now, view["tz"], dim=True)
    lines.append("")
    out.write("\n".join(lines))
    out.flush()


def _group(
    lines: list[str],
    style: Styler,
    title: str,
    colour: str,
    group: list[dict[str, Any]],
    now: datetime,
    here: str,
    dim: bool = False,
) -> None:
    lines.append("")
    lines.append(style(f"{title} ({len(group)})", fg=colour, bold=True))
    for a in group:
        lines.append(f"  {style(_headline(a), bold=not dim, dim=dim)}")
        lines.append(f"    {when_line(a, now, here)}")
        lines.append(style(f"    {printable(a['why'])}", dim=True))
        queued = a.get("queued")
        if queued:
            when = moment(datetime.fromisoformat(queued["send_at"]), now, here)
            went = "goes out" if queued["state"] == "scheduled" else f"is {queued['state']}"
            lines.append(
                style(
                    f"    approved: message {queued['message']} {went} {when} "
                    f"(afterview outbox show {queued['message']}); do not send it by hand",
                    fg="green",
                )
            )
        if a.get("end_why") and a["state"] in ENDED:
            lines.append(style(f"    ended: {printable(a['end_why'])}", dim=True))
        lines.append(style(f"    id: {a['id']}", fg="cyan"))
