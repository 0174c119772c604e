"""Human output for lists and the interview timeline (rich, imported only here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from afterview.services.views import KIND_LABELS
from afterview.textcheck import printable
from afterview.timewords import moment, span_words, when_line


def _cell(value: str) -> Any:
    """A table cell that prints stored text as text: no markup, controls escaped."""
    from rich.text import Text

    return Text(printable(value))


def _esc(value: str) -> str:
    """Stored text to put inside a line with markup: controls and markup escaped."""
    from rich.markup import escape

    return str(escape(printable(value)))


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def interview(d: dict[str, Any], now: datetime, here: str) -> None:
    """Print an interview's timeline, its times on the clock of `here` (the user's zone)
    with the interview's own where its clock differs."""
    con = _console()
    start, end = datetime.fromisoformat(d["start"]), datetime.fromisoformat(d["end"])
    con.print(f"[bold]Interview {d['id']}: {_esc(d['company'])} — {_esc(d['role'])}[/bold]")
    when = span_words(start, end, now, here, d["tz"])
    con.print(f"When: {when} · status: [bold]{d['status']}[/bold]")
    if d["interviewers"]:
        names = ", ".join(
            _esc(f"{p['name']} <{p['email']}>" if p["email"] else p["name"])
            + (f" (person {p['id']})" if p.get("id") else "")
            for p in d["interviewers"]
        )
        con.print(f"Interviewers: {names}")
    if d.get("format") or d.get("location") or d.get("meeting_url"):
        where = " · ".join(
            _esc(x) for x in (d.get("format"), d.get("meeting_url"), d.get("location")) if x
        )
        con.print(f"Where: {where}")
    if d["decision_by"]:
        con.print(f"Decision expected by {d['decision_by']}")
    if d["outcome"]:
        said = moment(datetime.fromisoformat(d["outcome"]["at"]), now, here, d["tz"])
        con.print(f"Outcome: [bold]{d['outcome']['result']}[/bold], {said}")
    if d["topics"]:
        con.print("Topics: " + _esc("; ".join(d["topics"])))
    if d["notes"]:
        con.print("Notes: " + _esc(d["notes"]))
    if d["follow_ups"]:
        con.print(f"Follow-ups: {_esc(d['follow_ups'])}")
    con.print("")
    con.print("[bold]Touches[/bold]")
    if not d["touches"]:
        con.print("  none yet")
    for t in d["touches"]:
        arrow = "→" if t["direction"] == "sent" else "←"
        who = t["person"]["name"] if t["person"] else ""
        note = f" — {t['note']}" if t["note"] else ""
        at = moment(datetime.fromisoformat(t["at"]), now, here, d["tz"])
        con.print(_esc(f"  {at}  {arrow} {t['kind']} {who}{note}  (message {t['id']})"))
    con.print("")
    con.print("[bold]Actions[/bold]")
    for a in d["actions"]:
        label = KIND_LABELS.get(a["kind"], a["kind"])
        who = f" — {a['person']['name']}" if a["person"] else ""
        con.print(_esc(f"  {a['id']}  {label}{who}: {a['state']}"))
        con.print(_esc(f"      {when_line(a, now, here)}"), style="dim")
    if d["drafts"]:
        con.print("")
        con.print("[bold]Drafts[/bold]")
        for dr in d["drafts"]:
            con.print(_esc(f"  {dr['action_id']}: {dr['subject']}"))
    con.print("")
    a = d["assessment"]
    if a:
        con.print("[bold]Self-assessment[/bold]")
        scores = ", ".join(f"{k} {v}/5" for k, v in a["scores"].items())
        con.print(_esc(f"  {scores}" if scores else "  no scores"))
        if a["confidence"] is not None:
            con.print(f"  confidence you move on: {a['confidence']}%")
        for q in a["asked"]:
            con.print(_esc(f"  asked: {q}"))
        if a["went_well"]:
            con.print(_esc(f"  went well: {a['went_well']}"))
        if a["improve"]:
            con.print(_esc(f"  to improve: {a['improve']}"))
    else:
        con.print(f"No self-assessment yet: afterview assess {d['id']}")
