"""`afterview application list`, `interview list` and `lead list`: searched, filtered,
sorted and cut (`--limit`, `--offset`, `--all`), printed as a table that fits the
terminal, as tab-separated lines when piped, or as JSON.

On a terminal a list shows its 50 most recent rows unless told otherwise; piped or as
JSON it gives every row (what scripts read), unless `--limit` says otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from afterview.cli import table
from afterview.cli.app import emit_json, json_option, settings, want_json
from afterview.cli.groups import application, interview, lead
from afterview.cli.table import Column, emit
from afterview.errors import BadInput

F = TypeVar("F", bound=Callable[..., Any])

#: Rows a list shows on a terminal unless --limit or --all says otherwise.
TERMINAL_ROWS = 50
#: The option each listing parameter comes from (for the error line).
OPTION = {
    "q": "--search",
    "from": "--since",
    "to": "--until",
    "page": "--offset",
    "posted_from": "--since",
    "posted_to": "--until",
}


def _common(sorts: tuple[str, ...], statuses: str) -> Callable[[F], F]:
    """The options every list takes."""

    def wrap(f: F) -> F:
        for option in reversed(
            (
                click.option(
                    "--search",
                    metavar="TEXT",
                    help="Only rows whose company, role (or interviewer) holds TEXT, any case.",
                ),
                click.option("--company", metavar="NAME", help="Only this company (any case)."),
                click.option("--status", metavar="STATUS", help=f"Only this status: {statuses}."),
                click.option("--since", metavar="DATE", help="Only from this day (YYYY-MM-DD)."),
                click.option("--until", metavar="DATE", help="Only up to this day (YYYY-MM-DD)."),
                click.option(
                    "--sort", type=click.Choice(sorts), help=f"Order by (default {sorts[0]})."
                ),
                click.option("--asc", "ascending", is_flag=True, help="Oldest (or A) first."),
                click.option(
                    "--limit",
                    type=click.IntRange(0, 10**9),
                    help=f"At most N rows (default on a terminal: {TERMINAL_ROWS}).",
                ),
                click.option(
                    "--offset",
                    type=click.IntRange(0, 10**9),
                    default=0,
                    help="Skip the first N rows.",
                ),
                click.option("--all", "show_all", is_flag=True, help="Every row (no limit)."),
                json_option,
            )
        ):
            f = option(f)
        return f

    return wrap


def _params(**given: str | None) -> dict[str, str]:
    return {k: v for k, v in given.items() if v is not None}


def _read(reader: Callable[[dict[str, str]], Any], params: dict[str, str]) -> Any:
    """The listing read by `reader`, its errors naming the CLI's options."""
    try:
        return reader(params)
    except BadInput as exc:
        raise BadInput(OPTION.get(exc.field, exc.field), exc.problem) from None


def _cut(
    rows: list[Any], limit: int | None, offset: int, show_all: bool, as_json: bool
) -> list[Any]:
    if show_all:
        limit = None
    elif limit is None and not as_json and table.on_terminal():
        limit = TERMINAL_ROWS
    end = None if limit is None else offset + limit
    return rows[offset:end]


def _hint(noun: str) -> str:
    return f"--all shows every {noun}, --limit N and --offset N a part"


@application.command("list")
@_common(("applied", "company", "status"), "lead, applied, scheduled, awaiting, …")
@click.option(
    "--stage",
    type=click.Choice(("lead", "applied", "interviewing", "offer", "closed")),
    help="Only this stage of the board.",
)
def application_list(
    search: str | None, company: str | None, status: str | None, since: str | None,
    until: str | None, sort: str | None, ascending: bool, limit: int | None, offset: int,
    show_all: bool, as_json: bool, stage: str | None,
) -> None:  # fmt: skip
    """List applications, most recently applied first, with their status."""
    from afterview.services import applications as apps

    ctx = settings().context()
    want = _read(apps.read_listing, _params(q=search, company=company, status=status,
                 stage=stage, sort=sort, order="asc" if ascending else None,
                 **{"from": since, "to": until}))  # fmt: skip
    every = apps.application_rows(ctx)
    found = apps.select(every, want)
    rows = _cut(found, limit, offset, show_all, want_json(as_json))
    keys = ("id", "company", "role", "applied_on", "url", "status", "interviews")
    if want_json(as_json):
        emit_json([{k: r[k] for k in keys} for r in rows])
        return
    if not every:
        click.echo("No applications yet. Add one: afterview application add --company C --role R")
        return
    columns = [Column("id"), Column("company", True), Column("role", True),
               Column("applied"), Column("status"), Column("interviews")]  # fmt: skip
    cells = [[r["id"], r["company"], r["role"], r["applied_on"] or "—", r["status"],
              r["interviews"]] for r in rows]  # fmt: skip
    emit(columns, cells, title="Applications", total=len(found), skipped=offset,
         more_hint=_hint("application"))  # fmt: skip


@interview.command("list")
@_common(("start", "company", "status"), "scheduled, awaiting, no_response, …")
def interview_list(
    search: str | None, company: str | None, status: str | None, since: str | None,
    until: str | None, sort: str | None, ascending: bool, limit: int | None, offset: int,
    show_all: bool, as_json: bool,
) -> None:  # fmt: skip
    """List interviews, newest first, with their status."""
    from afterview.services import interview_listing, views
    from afterview.timewords import moment

    ctx = settings().context()
    want = _read(interview_listing.read, _params(q=search, company=company, status=status,
                 sort=sort, order="asc" if ascending else None,
                 **{"from": since, "to": until}))  # fmt: skip
    every = views.list_interviews(ctx)
    found = interview_listing.select(every, want)
    rows = _cut(found, limit, offset, show_all, want_json(as_json))
    if want_json(as_json):
        emit_json(rows)
        return
    if not every:
        click.echo(
            "No interviews yet. Add one: afterview interview add --company C --role R --start DATETIME"
        )
        return
    from datetime import datetime

    columns = [Column("id"), Column("when", True), Column("company", True), Column("role", True),
               Column("interviewers", True), Column("status"), Column("open")]  # fmt: skip
    cells = [
        [r["id"], moment(datetime.fromisoformat(r["start"]), ctx.now, ctx.user_tz, r["tz"]),
         r["company"], r["role"], ", ".join(p["name"] for p in r["interviewers"]) or "—",
         r["status"], r["open_actions"]]
        for r in rows
    ]  # fmt: skip
    emit(columns, cells, title="Interviews", total=len(found), skipped=offset,
         more_hint=_hint("interview"))  # fmt: skip


@lead.command("list")
@click.option(
    "--search", metavar="TEXT", help="Only leads whose company, role or place holds TEXT."
)
@click.option("--source", metavar="NAME", help="Only leads from this source (url, greenhouse, …).")
@click.option("--remote", type=click.Choice(("yes", "no")), help="Only remote (or on-site) jobs.")
@click.option(
    "--state", type=click.Choice(("open", "applied")), help="Only leads not applied to, or applied."
)
@click.option("--since", metavar="DATE", help="Only postings from this day (YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only postings up to this day (YYYY-MM-DD).")
@click.option(
    "--sort", type=click.Choice(("posted", "company")), help="Order by (default posted, newest)."
)
@click.option(
    "--limit",
    type=click.IntRange(0, 10**9),
    help=f"At most N rows (default on a terminal: {TERMINAL_ROWS}).",
)
@click.option("--offset", type=click.IntRange(0, 10**9), default=0, help="Skip the first N rows.")
@click.option("--all", "show_all", is_flag=True, help="Every row (no limit).")
@json_option
def lead_list(
    search: str | None, source: str | None, remote: str | None, state: str | None,
    since: str | None, until: str | None, sort: str | None, limit: int | None, offset: int,
    show_all: bool, as_json: bool,
) -> None:  # fmt: skip
    """List job leads, the newest posting first, with where and what they pay."""
    from afterview.services import lead_list as leads

    ctx = settings().context()
    query = _read(leads.parse_query, _params(q=search, source=source, remote=remote,
                  state=state, sort=sort, posted_from=since, posted_to=until))  # fmt: skip
    every = leads.lead_rows(ctx)
    found = leads.matching_leads(every, query)
    rows = _cut(found, limit, offset, show_all, want_json(as_json))
    keys = ("id", "company", "role", "status", "location", "remote", "salary_min",
            "salary_max", "salary_currency", "salary_unit", "posted_on", "valid_through",
            "source", "url")  # fmt: skip
    if want_json(as_json):
        emit_json([{k: r.get(k) for k in keys} for r in rows])
        return
    if not every:
        click.echo("No leads yet. Add some: afterview lead add PAGE_OR_ADDRESS")
        return
    columns = [Column("id"), Column("company", True), Column("role", True),
               Column("where", True), Column("pay", True), Column("posted"),
               Column("status")]  # fmt: skip
    cells = [[r["id"], r["company"], r["role"], _where(r), _pay(r), r["posted_on"] or "—",
              r["status"]] for r in rows]  # fmt: skip
    emit(columns, cells, title="Leads", total=len(found), skipped=offset,
         more_hint=_hint("lead"))  # fmt: skip


def _where(row: dict[str, Any]) -> str:
    place = row["location"] or ""
    if row["remote"]:
        return f"{place} (remote)" if place else "remote"
    return place or "—"


def _pay(row: dict[str, Any]) -> str:
    values = [v for v in (row["salary_min"], row["salary_max"]) if v is not None]
    if not values:
        return "—"
    shown = [f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}" for v in values]
    amounts = shown[0] if len(set(shown)) == 1 else "–".join(shown)
    unit = f"/{row['salary_unit'].lower()}" if row["salary_unit"] else ""
    currency = f" {row['salary_currency']}" if row["salary_currency"] else ""
    return f"{amounts}{currency}{unit}"


def outbox_list(all_: bool, limit: int | None, offset: int, as_json: bool) -> None:
    """`afterview outbox`: the latest message first, a table on a terminal (the latest 50
    unless `--limit`), tab-separated lines when piped, every message as JSON."""
    from afterview.cli import table
    from afterview.cli.outbox_format import message_when, outbox_json
    from afterview.services import outbox as service
    from afterview.services.views import interview_zones

    ctx = settings().context()
    every = service.listing(ctx, everything=all_)
    if not every and not want_json(as_json):
        click.echo("The outbox is empty. Approve a message with `afterview send ACTION_ID`.")
        return
    latest = list(reversed(every))
    if limit is None and not want_json(as_json) and table.on_terminal():
        limit = 50
    rows = latest[offset : None if limit is None else offset + limit]
    if want_json(as_json):
        emit_json([outbox_json(ctx, r) for r in rows])
        return
    zones = interview_zones(ctx, [r.interview_id for r in rows])
    columns = [table.Column("id"), table.Column("state"), table.Column("when", True),
               table.Column("action"), table.Column("to", True), table.Column("subject", True),
               table.Column("note", True)]  # fmt: skip
    cells = [[r.id, r.state, message_when(ctx, r, zones), r.action_id, r.to_email, r.subject,
              r.reason or ""] for r in rows]  # fmt: skip
    table.emit(columns, cells, title="Outbox", total=len(latest), skipped=offset,
               more_hint="--limit N and --offset N show more")  # fmt: skip
