"""Cohorts: a coach's seekers, what each seeker shares, and what the coach sees.

A seeker joins a coach's cohort with its join link and decides what the coach sees
(`cohort_schema.SHARES`; by default the figures only). The figures of each seeker are
computed as that seeker and kept (`seeker_summary`) until the seeker's next change, the
next time a count can change, or an hour at most; the cohort page reads them in one
query and computes again only those that are out of date. What a seeker shares is read
at every request: a withdrawal takes effect on the next one.

Roles: a coach sees their own cohorts; the centre's admin and analysts see every
cohort's figures; an analyst never sees a seeker's page; a seeker sees their own
memberships only.
"""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from afterview.core.model import ActionKind, ActionState, InterviewStatus
from afterview.core.timeutil import week_bounds, week_start, zone
from afterview.errors import BadInput, NotFound, Refused
from afterview.services.context import Context
from afterview.store import cohorts as store
from afterview.store import server_accounts
from afterview.store.cohort_schema import DEFAULT_SHARES, SHARES
from afterview.textcheck import check_line, shown

#: The longest figures are kept without being computed again
KEEP_FOR = timedelta(hours=1)
#: Figures computed again during one cohort page at most (the worker does the rest)
REFRESH_PER_PAGE = 25
INVITE_FOR = timedelta(days=14)
SORTS = ("overdue", "progress", "activity", "name")
FILTERS = ("overdue", "behind", "inactive", "not_sharing")
INACTIVE_AFTER = timedelta(days=14)


def role_of(ctx: Context) -> str:
    """The signed-in account's role (`seeker` for one without a login: single-user mode)."""
    login = server_accounts.get_login(ctx.db, ctx.account)
    return login.role if login else "seeker"


# -- a seeker's figures -------------------------------------------------------------------------
def compute_figures(ctx: Context) -> tuple[dict[str, Any], datetime]:
    """The figures a coach sees of the context's account at its moment, and until when
    they hold (the next due moment, the week's end, or an hour at most)."""
    from afterview.services.live import live_agenda, statuses
    from afterview.services.pipeline import week_progress
    from afterview.services.views import list_applications

    now = ctx.now
    tz = zone(ctx.user_tz)
    _, week_end = week_bounds(week_start(now.astimezone(tz).date()), tz)
    live = live_agenda(ctx).actions
    overdue = sum(1 for a in live if a.state(now) is ActionState.OVERDUE)
    due_week = len(
        [
            a
            for a in live
            if a.state(now) is not ActionState.OVERDUE
            and a.window.due_at < week_end
            and a.kind is not ActionKind.KEEP_SEARCHING
        ]
    )
    apps = list_applications(ctx)
    week = week_progress(ctx, apps)
    awaiting = sum(1 for s in statuses(ctx).values() if s is InterviewStatus.AWAITING)
    figures = {
        "overdue": overdue,
        "due_this_week": due_week,
        "week": {"label": week["label"], "applied": week["applied"], "target": week["target"]},
        "awaiting": awaiting,
        "funnel": dict(sorted(Counter(a["status"] for a in apps).items())),
    }
    later = [a.window.due_at for a in live if a.window.due_at > now]
    valid = min([now + KEEP_FOR, week_end, *later])
    return figures, valid


def refresh(ctx: Context) -> bool:
    """Compute and keep the account's figures when it is in a cohort (True when kept)."""
    if not store.in_a_cohort(ctx.db, ctx.account):
        return False
    figures, valid = compute_figures(ctx)
    last = store.last_change(ctx.db, ctx.account)
    with ctx.db.unrecorded(), ctx.db.transaction():
        store.save_summary(ctx.db, ctx.account, ctx.now, valid, last, figures)
    return True


def refresh_if_stale(ctx: Context) -> bool:
    """Compute the account's figures again when they are missing or past their time (the
    worker's pass after serving the account); True when it did."""
    kept = store.summary_valid_until(ctx.db, ctx.account)
    if kept is not None and kept > ctx.now:
        return False
    return refresh(ctx)


def _as(ctx: Context, account: int) -> Context:
    """A context of another account on the same connection (afterview computing a
    member's figures, which the member shares); `_back` returns the connection."""
    other = Context(ctx.db, ctx.config, ctx.now, ctx.now_given, account=account)
    other.journal_source = ctx.journal_source
    return other


def _back(ctx: Context) -> None:
    ctx.db = ctx.db  # the setter keeps the connection to ctx's account again


# -- the coach's side ---------------------------------------------------------------------------
def _staff(role: str) -> bool:
    return role in ("admin", "analyst")


def create_cohort(ctx: Context, name: str) -> int:
    """A new cohort of the coach (or admin); its id."""
    if role_of(ctx) not in ("coach", "admin"):
        raise Refused("only a coach or an admin makes cohorts")
    name = check_line(name, "name", limit=120)
    with ctx.db.unrecorded(), ctx.db.transaction():
        return store.create(ctx.db, ctx.account, name, ctx.now)


def list_cohorts(ctx: Context) -> list[dict[str, Any]]:
    """The cohorts the account follows: its own (a coach), every one (admin, analyst)."""
    role = role_of(ctx)
    if role == "seeker":
        return []
    found = store.every(ctx.db) if _staff(role) else store.owned(ctx.db, ctx.account)
    return [
        {"id": c.id, "name": c.name, "members": c.members, "mine": c.coach == ctx.account}
        for c in found
    ]


def _followed(ctx: Context, cohort_id: int) -> tuple[store.Cohort, str]:
    """The cohort, if the account follows it (its coach, or staff); else NotFound."""
    role = role_of(ctx)
    cohort = store.get(ctx.db, cohort_id)
    if cohort is None or role == "seeker" or (cohort.coach != ctx.account and not _staff(role)):
        raise NotFound(f"cohort {cohort_id}: no such cohort")
    return cohort, role


def new_invite(ctx: Context, cohort_id: int) -> str:
    """A new join link's token for the cohort (the old link stops working); 14 days."""
    cohort, _ = _followed(ctx, cohort_id)
    if cohort.coach != ctx.account:
        raise Refused("only the cohort's coach invites to it")
    from afterview.server.signin import token_hash

    token = secrets.token_urlsafe(24)
    with ctx.db.unrecorded(), ctx.db.transaction():
        store.set_invite(ctx.db, cohort.id, token_hash(token), ctx.now + INVITE_FOR)
    return token


def cohort_view(
    ctx: Context, cohort_id: int, sort: str = "overdue", only: str | None = None
) -> dict[str, Any]:
    """The cohort page: each member's figures where shared (computed again where out of
    date, up to `REFRESH_PER_PAGE`), sorted and filtered."""
    if sort not in SORTS:
        raise BadInput("sort", f"one of {', '.join(SORTS)}, got {shown(sort)}")
    if only is not None and only not in FILTERS:
        raise BadInput("filter", f"one of {', '.join(FILTERS)}, got {shown(only)}")
    cohort, role = _followed(ctx, cohort_id)
    members = store.members(ctx.db, cohort.id)
    stale = [
        m.account
        for m in members
        if "figures" in m.shares and (m.valid_until is None or m.valid_until <= ctx.now)
    ][:REFRESH_PER_PAGE]
    if stale:
        try:
            for account in stale:
                refresh(_as(ctx, account))
        finally:
            _back(ctx)
        members = store.members(ctx.db, cohort.id)
    rows = [_row(m, ctx.now) for m in members]
    rows = [r for r in rows if _kept(r, only)]
    rows.sort(key=_SORT_KEYS[sort])
    return {
        "cohort": {"id": cohort.id, "name": cohort.name, "members": cohort.members},
        "at": ctx.now.isoformat(),
        "sort": sort,
        "filter": only,
        "seeker_pages": role != "analyst",
        "invite_expires_at": (
            cohort.invite_expires_at.isoformat()
            if cohort.invite_expires_at and cohort.invite_expires_at > ctx.now
            else None
        ),
        "mine": cohort.coach == ctx.account,
        "seekers": rows,
    }


def _row(m: store.Member, now: datetime) -> dict[str, Any]:
    f = m.figures
    return {
        "account": m.account,
        "name": m.name,
        "joined_at": m.joined_at.isoformat(),
        "shares": list(m.shares),
        "figures": f,
        "as_of": m.computed_at.isoformat() if m.computed_at else None,
        "last_activity": m.last_activity.isoformat() if m.last_activity else None,
        "inactive": f is not None
        and (m.last_activity is None or now - m.last_activity > INACTIVE_AFTER),
    }


def _kept(row: dict[str, Any], only: str | None) -> bool:
    f = row["figures"]
    if only is None:
        return True
    if only == "not_sharing":
        return f is None
    if f is None:
        return False
    if only == "overdue":
        return bool(f["overdue"])
    if only == "behind":
        return bool(f["week"]["applied"] < f["week"]["target"])
    return bool(row["inactive"])


def _progress(row: dict[str, Any]) -> float:
    f = row["figures"]
    return f["week"]["applied"] / max(f["week"]["target"], 1) if f else 9.0


_SORT_KEYS = {
    "overdue": lambda r: (-(r["figures"] or {}).get("overdue", -1), r["name"].lower()),
    "progress": lambda r: (_progress(r), r["name"].lower()),
    "activity": lambda r: (r["last_activity"] or "", r["name"].lower()),
    "name": lambda r: (r["name"].lower(), r["account"]),
}

#: Interviews a seeker's shared page shows in full at most (the latest)
SHARED_INTERVIEWS = 10


def shared_view(ctx: Context, cohort_id: int, seeker: int) -> dict[str, Any]:
    """What a member shares with the cohort's coach, read now (a withdrawal counts at
    once): the figures, the agenda, notes, self-assessments, the words of messages, each
    only when shared. Computed as the seeker by afterview; an analyst sees figures only
    (the cohort page and its CSV), never a seeker's page."""
    from afterview.services.views import agenda_view, list_interviews, show_interview

    cohort, role = _followed(ctx, cohort_id)
    shares = store.shares_of(ctx.db, cohort.id, seeker)
    if shares is None or role == "analyst":
        raise NotFound(f"seeker {seeker}: no such seeker in this cohort")
    name = next((m.name for m in store.members(ctx.db, cohort.id) if m.account == seeker), "")
    out: dict[str, Any] = {
        "cohort": {"id": cohort.id, "name": cohort.name},
        "seeker": {"account": seeker, "name": name},
        "shares": list(shares),
        "at": ctx.now.isoformat(),
        "figures": None,
        "agenda": None,
        "interviews": None,
    }
    theirs = _as(ctx, seeker)
    try:
        if "figures" in shares:
            out["figures"] = compute_figures(theirs)[0]
        if "agenda" in shares:
            out["agenda"] = [
                {k: a[k] for k in ("id", "kind", "state", "company", "role", "due_at")}
                for a in agenda_view(theirs)["actions"]
            ]
        details = {"notes", "assessments", "messages"} & set(shares)
        if "agenda" in shares or details:
            out["interviews"] = [
                _shared_interview(show_interview(theirs, iv["id"]), details, "agenda" in shares)
                for iv in list_interviews(theirs)[:SHARED_INTERVIEWS]
            ]
    finally:
        _back(ctx)
    return out


def _shared_interview(iv: dict[str, Any], details: set[str], agenda: bool) -> dict[str, Any]:
    """An interview as its seeker shares it: which company and role only with the agenda
    (notes or messages alone say what was discussed, not where)."""
    out = {k: iv[k] for k in ("id", "start", "status")}
    out["company"], out["role"] = (iv["company"], iv["role"]) if agenda else (None, None)
    if "notes" in details:
        out["topics"], out["notes"] = iv["topics"], iv["notes"]
    if "assessments" in details:
        out["assessment"] = iv["assessment"]
    if "messages" in details:
        out["messages"] = [
            {"direction": t["direction"], "kind": t["kind"], "at": t["at"], "note": t["note"]}
            for t in iv["touches"]
        ]
        out["drafts"] = [{"subject": d["subject"], "body": d["body"]} for d in iv["drafts"]]
    return out


CSV_COLUMNS = (
    "seeker", "joined", "overdue", "due_this_week", "applied_this_week", "weekly_target",
    "awaiting_decision", "last_activity", "figures_as_of", "shares_figures",
)  # fmt: skip


def cohort_csv(ctx: Context, cohort_id: int) -> str:
    """The cohort's figures as CSV (one row per seeker, by name); a cell that a
    spreadsheet would run as a formula is written as text."""
    import csv
    import io

    view = cohort_view(ctx, cohort_id, sort="name")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in view["seekers"]:
        f = r["figures"]
        writer.writerow(
            [
                _cell(r["name"]), r["joined_at"][:10],
                *(
                    (f["overdue"], f["due_this_week"], f["week"]["applied"],
                     f["week"]["target"], f["awaiting"], r["last_activity"] or "", r["as_of"])
                    if f else ("",) * 7
                ),
                "yes" if f is not None else "no",
            ]
        )  # fmt: skip
    return out.getvalue()


def _cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def release(ctx: Context, cohort_id: int, seeker: int) -> None:
    """The coach takes a seeker out of the cohort (the seeker keeps their data)."""
    cohort, _ = _followed(ctx, cohort_id)
    if cohort.coach != ctx.account:
        raise Refused("only the cohort's coach releases its members")
    with ctx.db.unrecorded(), ctx.db.transaction():
        if not store.leave(ctx.db, cohort.id, seeker, ctx.now):
            raise NotFound(f"seeker {seeker}: not in this cohort")


# -- the seeker's side --------------------------------------------------------------------------
def invitation(ctx: Context, token: str) -> store.Invite:
    """What a join link names, if it still works; NotFound otherwise."""
    from afterview.server.signin import token_hash

    found = store.invite(ctx.db, token_hash(token)) if 0 < len(token) <= 100 else None
    if found is None or found.expires_at is None or found.expires_at <= ctx.now:
        raise NotFound("this join link is unknown or has expired; ask your coach for a new one")
    return found


def join(ctx: Context, token: str) -> int:
    """Join the cohort of a join link, sharing the figures only; its id."""
    found = invitation(ctx, token)
    if role_of(ctx) != "seeker":
        raise Refused("only a job seeker's account joins a cohort")
    with ctx.db.unrecorded(), ctx.db.transaction():
        store.join(ctx.db, found.cohort, ctx.account, DEFAULT_SHARES, ctx.now)
    refresh(ctx)
    return found.cohort


def sharing_view(ctx: Context) -> dict[str, Any]:
    """The seeker's cohorts and what they share with each."""
    return {
        "shares": [{"name": k, "what": v} for k, v in SHARES.items()],
        "cohorts": [
            {
                "id": m.cohort,
                "name": m.name,
                "joined_at": m.joined_at.isoformat(),
                "shares": list(m.shares),
            }
            for m in store.memberships(ctx.db, ctx.account)
        ],
    }


def check_shares(words: list[str]) -> tuple[str, ...]:
    """What is shared, checked: words of `SHARES`, each once, in their order."""
    for w in words:
        if w not in SHARES:
            raise BadInput("shares", f"words among {', '.join(SHARES)}, got {shown(w)}")
    return tuple(k for k in SHARES if k in words)


def set_shares(ctx: Context, cohort_id: int, words: list[str]) -> tuple[str, ...]:
    """Replace what the seeker shares with a cohort (at once: the coach's next request
    sees it); the figures are computed when they become shared."""
    shares = check_shares(words)
    with ctx.db.unrecorded(), ctx.db.transaction():
        if not store.set_shares(ctx.db, cohort_id, ctx.account, shares):
            raise NotFound(f"cohort {cohort_id}: you are not in it")
    if "figures" in shares:
        refresh(ctx)
    return shares


def leave(ctx: Context, cohort_id: int) -> None:
    """Leave a cohort: the coach sees nothing more; the seeker's data stays theirs."""
    with ctx.db.unrecorded(), ctx.db.transaction():
        if not store.leave(ctx.db, cohort_id, ctx.account, ctx.now):
            raise NotFound(f"cohort {cohort_id}: you are not in it")
