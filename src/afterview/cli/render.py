"""Human output for lists and the interview timeline (rich, imported only here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from afterview.services.views import KIND_LABELS
from afterview.timewords import when_line


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def _table(title: str, columns: list[str]) -> Any:
    from rich.table import Table

    table = Table(title=title, title_justify="left", show_edge=False, header_style="bold")
    for c in columns:
        short = c in ("id", "when", "applied", "status", "open", "interviews")
        table.add_column(c, overflow="fold", no_wrap=short)
    return table


def applications(rows: list[dict[str, Any]]) -> None:
    """Print applications as a table."""
    if not rows:
        click.echo("No applications yet. Add one: afterview application add --company C --role R")
        return
    table = _table("Applications", ["id", "company", "role", "applied", "status", "interviews"])
    for r in rows:
        table.add_row(
            str(r["id"]),
            r["company"],
            r["role"],
            r["applied_on"] or "—",
            r["status"],
            str(r["interviews"]),
        )
    _console().print(table)


def interviews(rows: list[dict[str, Any]]) -> None:
    """Print interviews as a table."""
    if not rows:
        click.echo(
            "No interviews yet. Add one: afterview interview add --company C --role R --start DATETIME"
        )
        return
    table = _table(
        "Interviews", ["id", "when", "company", "role", "interviewers", "status", "open actions"]
    )
    for r in rows:
        start = datetime.fromisoformat(r["start"])
        people = ", ".join(p["name"] for p in r["interviewers"]) or "—"
        table.add_row(
            str(r["id"]),
            f"{start:%Y-%m-%d %H:%M} {r['tz']}",
            r["company"],
            r["role"],
            people,
            r["status"],
            str(r["open_actions"]),
        )
    _console().print(table)


def interview(d: dict[str, Any], now: datetime) -> None:
    """Print an interview's timeline."""
    from rich.markup import escape

    con = _console()
    start, end = datetime.fromisoformat(d["start"]), datetime.fromisoformat(d["end"])
    con.print(f"[bold]Interview {d['id']}: {escape(d['company'])} — {escape(d['role'])}[/bold]")
    con.print(
        f"{start:%a %d %b %Y %H:%M}–{end:%H:%M} {d['tz']} · status: [bold]{d['status']}[/bold]"
    )
    if d["interviewers"]:
        names = ", ".join(
            escape(f"{p['name']} <{p['email']}>" if p["email"] else p["name"])
            for p in d["interviewers"]
        )
        con.print(f"Interviewers: {names}")
    if d.get("format") or d.get("location") or d.get("meeting_url"):
        where = " · ".join(
            escape(x) for x in (d.get("format"), d.get("meeting_url"), d.get("location")) if x
        )
        con.print(f"Where: {where}")
    if d["decision_by"]:
        con.print(f"Decision expected by {d['decision_by']}")
    if d["outcome"]:
        con.print(f"Outcome: [bold]{d['outcome']['result']}[/bold] ({d['outcome']['at']})")
    if d["topics"]:
        con.print("Topics: " + escape("; ".join(d["topics"])))
    if d["notes"]:
        con.print("Notes: " + escape(d["notes"]))
    if d["follow_ups"]:
        con.print(f"Follow-ups: {escape(d['follow_ups'])}")
    con.print("")
    con.print("[bold]Touches[/bold]")
    if not d["touches"]:
        con.print("  none yet")
    for t in d["touches"]:
        arrow = "→" if t["direction"] == "sent" else "←"
        who = t["person"]["name"] if t["person"] else ""
        note = f" — {t['note']}" if t["note"] else ""
        con.print(escape(f"  {t['at']}  {arrow} {t['kind']} {who}{note}"))
    con.print("")
    con.print("[bold]Actions[/bold]")
    for a in d["actions"]:
        label = KIND_LABELS.get(a["kind"], a["kind"])
        who = f" — {a['person']['name']}" if a["person"] else ""
        con.print(escape(f"  {a['id']}  {label}{who}: {a['state']}"))
        con.print(escape(f"      {when_line(a, now)}"), style="dim")
    if d["drafts"]:
        con.print("")
        con.print("[bold]Drafts[/bold]")
        for dr in d["drafts"]:
            con.print(escape(f"  {dr['action_id']}: {dr['subject']}"))
    con.print("")
    a = d["assessment"]
    if a:
        con.print("[bold]Self-assessment[/bold]")
        scores = ", ".join(f"{k} {v}/5" for k, v in a["scores"].items())
        con.print(escape(f"  {scores}" if scores else "  no scores"))
        if a["confidence"] is not None:
            con.print(f"  confidence you move on: {a['confidence']}%")
        for q in a["asked"]:
            con.print(escape(f"  asked: {q}"))
        if a["went_well"]:
            con.print(escape(f"  went well: {a['went_well']}"))
        if a["improve"]:
            con.print(escape(f"  to improve: {a['improve']}"))
    else:
        con.print(f"No self-assessment yet: afterview assess {d['id']}")
