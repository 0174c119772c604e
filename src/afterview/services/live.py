"""The live actions at a moment, for the agenda, the worker and the web app alike.

A long history holds thousands of interviews, and nearly all of them are over: every
action ended, no decision awaited. `store/quiet.py` keeps, per interview, the moment it
fell quiet (`core/quiet.py`), kept true by triggers on every write; the live actions at
`ctx.now` are computed from the interviews not quiet by the start of the week (a few),
so their cost follows what is going on, not the history's length. The bounds of the
interviews written since the last read are computed from the facts loaded anyway, and
stored for the next command.

What the bounds depend on besides the data (the playbook, the holidays' country, the
zone rules, the code) is the stamp; a new stamp computes every bound again, once.
"""

import os
from datetime import datetime, timedelta
from typing import NamedTuple

import afterview
from afterview.core.model import Action, Application, Facts, InterviewStatus
from afterview.core.plan import _cycle, live_snapshot, snapshot_actions
from afterview.core.plan_index import FactIndex
from afterview.core.quiet import final_status, last_fact, quiet_from
from afterview.core.timeutil import zone
from afterview.core.weeks import settled_before
from afterview.errors import Unavailable, db_error_line
from afterview.services.context import Context
from afterview.store import quiet as store
from afterview.store.codec import put_dt
from afterview.store.facts import load_open_facts
from afterview.store.migrations import LATEST

_WEEK = timedelta(days=7)
#: Above this many interviews to load, the whole history is read at once instead.
_MANY = 400
#: Interviews whose bounds are computed together when many are unknown.
_SLICE = 2000

#: The modules the bounds depend on besides all of `core/`: an edit to any of them (a
#: new release, or a working copy) computes every bound again.
_STAMPED = (
    "store/codec.py",
    "store/facts.py",
    "store/quiet.py",
    "services/context.py",
    "services/holidays.py",
    "services/live.py",
)


class LiveAgenda(NamedTuple):
    """The live actions at the context's moment, with what the agenda's JSON looks up."""

    actions: list[Action]
    apps: dict[int, Application]
    tz_of: dict[int, str]


def code_stamp() -> str:
    """The size and modification time of each source file the bounds depend on."""
    root = os.path.dirname(afterview.__file__)
    core = os.path.join(root, "core")
    files = sorted(os.path.join("core", e.name) for e in os.scandir(core) if e.name.endswith(".py"))
    parts = []
    for rel in (*files, *_STAMPED):
        try:
            st = os.stat(os.path.join(root, rel))
        except OSError:
            parts.append(f"{rel}:-")
            continue
        parts.append(f"{rel}:{st.st_size}:{st.st_mtime_ns}")
    return " ".join(parts)


def _zone_rules() -> str:
    """Where the zone rules come from, with the file's size and time: an update of the
    time-zone data moves local times, and the follow-ups' moments with them."""
    from zoneinfo import TZPATH

    for folder in TZPATH:
        try:
            st = os.stat(os.path.join(folder, "tzdata.zi"))
        except OSError:
            continue
        return f"{folder}:{st.st_size}:{st.st_mtime_ns}"
    try:
        import tzdata
    except ImportError:
        return "-"
    return f"tzdata {getattr(tzdata, 'IANA_VERSION', '?')}"


def stamp(ctx: Context) -> str:
    """Everything besides the data that the bounds depend on, as one string."""
    config = ctx.config
    return "\n".join(
        [
            f"afterview {afterview.__version__}",
            f"schema {LATEST}",
            f"zones {_zone_rules()}",
            f"playbook {config.playbook!r}",
            f"holidays {config.country or '-'} {config.subdivision or '-'}",
            f"code {code_stamp()}",
        ]
    )


def live_agenda(ctx: Context) -> LiveAgenda:
    """Return the live actions at `ctx.now` (equal to the plan's actions not ended then),
    loading only the interviews not yet quiet; store the bounds found on the way."""
    pb = ctx.config.playbook
    since = settled_before(ctx.now, ctx.user_tz, pb)
    if ctx.facts_source is not None:  # the web app: its reads never write
        return _computed(open_facts_read_only(ctx), ctx)
    usable = _checked(ctx)
    if usable:
        _fill_bounds(ctx, since)
    with ctx.db.snapshot():
        open_ = store.open_interviews(ctx.db, ctx.account, put_dt(since), put_dt(ctx.now))
        if not usable:
            facts, open_ = ctx.facts(settled_before=since), []
        elif len(open_) > _MANY:  # bounds that could not be stored, or a busy search
            facts = ctx.facts()
        else:
            facts = _open_facts(ctx, open_, since)
    live = _computed(facts, ctx)
    unknown = [o for o in open_ if o.unknown]
    if unknown:
        _save_bounds(ctx, facts, unknown)
    return live


def live_read_only(ctx: Context) -> LiveAgenda:
    """`live_agenda` without writing anything (shell completion reads a database it must
    not change): from the stored bounds when they hold, else from every fact."""
    return _computed(open_facts_read_only(ctx), ctx)


def open_facts_read_only(ctx: Context) -> Facts:
    """The facts the live actions at `ctx.now` need, read without writing: those of the
    interviews not yet quiet when every bound they need is stored under the current
    stamp (see `keep_bounds`), else every fact that can still matter."""
    since = settled_before(ctx.now, ctx.user_tz, ctx.config.playbook)
    kept = _kept_bounds(ctx, since)
    if kept is None:
        return ctx.facts(settled_before=since)
    with ctx.db.snapshot():
        return _open_facts(ctx, kept, since)


def keep_bounds(ctx: Context) -> None:
    """Store the bounds the agenda at `ctx.now` needs, so a read that may not write (the web
    app's views, in a read-only snapshot) can use them. Outside a transaction only; what
    cannot be written now is left for the next time."""
    if ctx.db.in_transaction or not _checked(ctx):
        return
    since = settled_before(ctx.now, ctx.user_tz, ctx.config.playbook)
    _fill_bounds(ctx, since)
    with ctx.db.snapshot():
        open_ = store.open_interviews(ctx.db, ctx.account, put_dt(since), put_dt(ctx.now))
        unknown = [o for o in open_ if o.unknown]
        if not unknown:
            return
        facts = ctx.facts() if len(open_) > _MANY else _open_facts(ctx, open_, since)
    _save_bounds(ctx, facts, unknown)


def _kept_bounds(ctx: Context, since: datetime) -> list[store.Open] | None:
    """The open interviews at `ctx.now`, read without writing; None unless every bound
    they need is stored under the current stamp."""
    with ctx.db.snapshot():
        if not store.stamp_holds(ctx.db, ctx.account, stamp(ctx)):
            return None
        open_ = store.open_interviews(ctx.db, ctx.account, put_dt(since), put_dt(ctx.now))
    if len(open_) > _MANY or any(o.unknown for o in open_):
        return None
    return open_


def _checked(ctx: Context) -> bool:
    """Bring the bounds up to the stamp; False when that cannot be written now (then the
    bounds are not trusted)."""
    try:
        store.check_stamp(ctx.db, ctx.account, stamp(ctx))
    except Exception as exc:
        if db_error_line(exc) is None and not isinstance(exc, Unavailable):
            raise
        ctx.db.reset()
        return False
    return True


def statuses(ctx: Context) -> dict[int, InterviewStatus]:
    """Each interview's status at `ctx.now` (equal to `core.plan_parts.interview_statuses`
    on every fact): read from the bounds for the interviews quiet by then, computed from
    their facts for the others (and their bounds stored)."""
    from afterview.core.plan_parts import interview_statuses

    pb = ctx.config.playbook
    if ctx.facts_source is not None or not _checked(ctx):
        return interview_statuses(ctx.facts(), ctx.now, pb)
    _fill_bounds(ctx, settled_before(ctx.now, ctx.user_tz, pb))
    at = put_dt(ctx.now)
    with ctx.db.snapshot():
        known = store.quiet_statuses(ctx.db, ctx.account, at)
        rest = store.open_interviews(ctx.db, ctx.account, at, at)
        if len(rest) > _MANY:
            facts = ctx.facts()
        else:
            facts = _open_facts(ctx, rest, settled_before(ctx.now, ctx.user_tz, pb))
    out = {i: InterviewStatus(s) for i, s in known.items()}
    wanted = {o.interview_id for o in rest}
    out.update((i, s) for i, s in interview_statuses(facts, ctx.now, pb).items() if i in wanted)
    unknown = [o for o in rest if o.unknown]
    if unknown:
        _save_bounds(ctx, facts, unknown)
    return out


def _computed(facts: Facts, ctx: Context) -> LiveAgenda:
    pb = ctx.config.playbook
    snapshot = live_snapshot(facts, ctx.now, pb)
    actions = snapshot_actions(snapshot, ctx.now, pb)
    app_ids = {a.application_id for a in actions if a.application_id is not None}
    iv_ids = {a.interview_id for a in actions if a.interview_id is not None}
    return LiveAgenda(
        actions=actions,
        apps={a.id: a for a in facts.applications if a.id in app_ids},
        tz_of={iv.id: iv.tz for iv in facts.interviews if iv.id in iv_ids},
    )


def _open_facts(ctx: Context, open_: list[store.Open], since: datetime) -> Facts:
    """The facts of the interviews given, and what the live actions need besides."""
    return ctx.with_holidays(
        load_open_facts(
            ctx.db,
            ctx.account,
            [o.interview_id for o in open_],
            user_tz=ctx.user_tz,
            applied_since=since.astimezone(zone(ctx.user_tz)).date() - _WEEK,
        ),
    )


def _fill_bounds(ctx: Context, since: datetime) -> None:
    """When many bounds are unknown (after an upgrade or a change of settings, that is
    every interview's), compute them a slice of `_SLICE` interviews at a time: memory
    follows the slice, not the history. What cannot be stored now is left unknown."""
    with ctx.db.snapshot():
        open_ = store.open_interviews(ctx.db, ctx.account, put_dt(since), put_dt(ctx.now))
    unknown = [o for o in open_ if o.unknown]
    if len(unknown) <= _MANY:
        return
    for start in range(0, len(unknown), _SLICE):
        part = unknown[start : start + _SLICE]
        with ctx.db.snapshot():
            facts = _open_facts(ctx, part, since)
        if not _save_bounds(ctx, facts, part):
            return


def _stored(quiet: datetime | None) -> str:
    """A bound as stored: `NEVER` for none, or one past the years a moment may take."""
    try:
        return store.NEVER if quiet is None else put_dt(quiet)
    except ValueError:
        return store.NEVER


def _save_bounds(ctx: Context, facts: Facts, unknown: list[store.Open]) -> bool:
    """Compute the bounds of the interviews written since they were last computed, from
    all their facts (not only those as of `ctx.now`), and store them; False when the
    database could not be written now."""
    pb = ctx.config.playbook
    ix = FactIndex(facts)
    by_id = {iv.id: iv for iv in facts.interviews}
    bounds = []
    for o in unknown:
        iv = by_id.get(o.interview_id)
        if iv is None:
            continue
        latest = last_fact(iv, ix)
        cycle = _cycle(iv, ix, facts, pb)
        bounds.append(
            store.Bound(
                o.interview_id,
                o.n,
                _stored(quiet_from(iv, cycle, pb)),
                None if latest is None else put_dt(latest),
                final_status(iv, cycle, ix.outcomes.get(iv.id)).value,
            )
        )
    try:
        store.save(ctx.db, bounds)
    except Exception as exc:
        # a database that cannot be written now (read-only, locked) still shows its agenda
        if db_error_line(exc) is None and not isinstance(exc, Unavailable):
            raise
        ctx.db.reset()
        return False
    return True
