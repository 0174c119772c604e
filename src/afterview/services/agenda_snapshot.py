"""The agenda's live actions, kept between commands until the data change.

Computing the live actions of a long history means loading it and walking every
interview. Their snapshot (`core.plan.LiveSnapshot`) answers exactly for its own
moment and every later one until a fact recorded for later counts, so it is stored with the data revision it was
computed from (`store/revision.py`) and a fingerprint of everything else it
depends on: the settings, the user's zone, the schema, and the code that computes
it. The next agenda, at that moment or later, reads it instead while the data
have not changed; any write to the data, a change of settings or of the code, an
earlier `--now`, or a moment past the snapshot's `until` computes it again.
"""

import os
from collections.abc import Iterable
from typing import NamedTuple

import afterview
from afterview.core.model import Action, Application, Facts
from afterview.core.plan import LiveSnapshot, live_snapshot, snapshot_actions
from afterview.core.weeks import settled_before
from afterview.errors import Unavailable, db_error_line
from afterview.services.context import Context
from afterview.store import agenda_snapshot as store
from afterview.store.migrations import LATEST
from afterview.store.revision import data_revision

#: The modules the snapshot's content depends on (besides all of `core/`): an edit to
#: any of them (a new release, or a working copy) makes stored snapshots stale.
_STAMPED = (
    "store/codec.py",
    "store/facts.py",
    "store/agenda_snapshot.py",
    "services/agenda_snapshot.py",
    "services/context.py",
    "services/holidays.py",
)


class LiveAgenda(NamedTuple):
    """The live actions at the context's moment, with what the agenda's JSON looks up."""

    actions: list[Action]
    apps: dict[int, Application]
    tz_of: dict[int, str]
    #: True when they came from the stored snapshot
    stored: bool


def code_stamp() -> str:
    """The size and modification time of each source file the snapshot depends on."""
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


def _stat(path: str) -> str | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}"


def zone_stamp(names: Iterable[str]) -> str:
    """Where each zone's rules are read from, with the file's size and time: an update
    of the time-zone data changes local times, and the words written with them."""
    from zoneinfo import TZPATH

    parts = []
    for name in sorted(set(names)):
        for folder in TZPATH:
            found = _stat(os.path.join(folder, name))
            if found is not None:
                parts.append(f"{name}={folder}:{found}")
                break
        else:  # zoneinfo falls back on the tzdata package
            parts.append(f"{name}=tzdata:{_tzdata_version()}")
    return " ".join(parts)


def _tzdata_version() -> str:
    try:
        import tzdata
    except ImportError:
        return "-"
    return str(getattr(tzdata, "IANA_VERSION", "?"))


def fingerprint(ctx: Context) -> str:
    """Everything besides the data that the live actions depend on, as one string."""
    config = ctx.config
    parts = [
        f"format {store.FORMAT}",
        f"afterview {afterview.__version__}",
        f"schema {LATEST}",
        f"zone {ctx.user_tz} {zone_stamp([ctx.user_tz])}",
        f"playbook {config.playbook!r}",
    ]
    if config.country:
        # the holidays loaded are those of the years the facts span and the current year's
        parts.append(f"holidays {config.country} {config.subdivision or '-'} {ctx.now.year}")
    parts.append(f"code {code_stamp()}")
    return "\n".join(parts)


def _lookups(facts: Facts, actions: tuple[Action, ...]) -> store.Lookups:
    apps = {a.id: a for a in facts.applications}
    tz_of = {iv.id: iv.tz for iv in facts.interviews}
    app_ids = {a.application_id for a in actions if a.application_id is not None}
    iv_ids = {a.interview_id for a in actions if a.interview_id is not None}
    zones = {i: tz_of[i] for i in sorted(iv_ids) if i in tz_of}
    return store.Lookups(
        apps={i: (apps[i].company, apps[i].role) for i in sorted(app_ids) if i in apps},
        tz_of=zones,
        zones=zone_stamp(zones.values()),
    )


def _agenda(
    snapshot: LiveSnapshot, lookups: store.Lookups, ctx: Context, stored: bool
) -> LiveAgenda:
    return LiveAgenda(
        actions=snapshot_actions(snapshot, ctx.now, ctx.config.playbook),
        apps={i: Application(i, c, r) for i, (c, r) in lookups.apps.items()},
        tz_of=dict(lookups.tz_of),
        stored=stored,
    )


def _usable(found: tuple[LiveSnapshot, store.Lookups] | None, ctx: Context) -> LiveAgenda | None:
    """The agenda from a stored snapshot, or None when it does not answer for `ctx.now`:
    an earlier moment, a moment at which a fact recorded for later counts, zone data
    updated since, or content that cannot be used."""
    if found is None:
        return None
    snapshot, lookups = found
    try:
        if not snapshot.answers(ctx.now):
            return None
        if lookups.zones != zone_stamp(lookups.tz_of.values()):
            return None
        return _agenda(snapshot, lookups, ctx, stored=True)
    except Exception:
        # read back, yet not usable (hand-edited, a moment out of range): computing it
        # again from the facts gives the answer, or raises what is really wrong
        return None


def live_agenda(ctx: Context) -> LiveAgenda:
    """Return the live actions at `ctx.now`: from the stored snapshot while it still
    answers, else computed from the facts (and stored for the next command).

    A web context (whose facts come from its own cache) neither reads nor stores one.
    """
    pb = ctx.config.playbook
    since = settled_before(ctx.now, ctx.user_tz, pb)
    if ctx.facts_source is not None:
        facts = ctx.facts(settled_before=since)
        snapshot = live_snapshot(facts, ctx.now, pb)
        return _agenda(snapshot, _lookups(facts, snapshot.actions), ctx, stored=False)
    key = fingerprint(ctx)
    with ctx.db.snapshot():
        revision = data_revision(ctx.db)
        row = store.read(ctx.db, ctx.account)
        if row is not None and row.revision == revision and row.fingerprint == key:
            found = _usable(store.decode(row.body), ctx)
            if found is not None:
                return found
        facts = ctx.facts(settled_before=since)
    snapshot = live_snapshot(facts, ctx.now, pb)
    lookups = _lookups(facts, snapshot.actions)
    try:
        store.write(
            ctx.db,
            ctx.account,
            store.StoredSnapshot(revision, key, store.encode(snapshot, lookups)),
        )
    except Exception as exc:
        # a database that cannot be written now (read-only, locked) still shows its agenda
        if db_error_line(exc) is None and not isinstance(exc, Unavailable):
            raise
        ctx.db.reset()
    return _agenda(snapshot, lookups, ctx, stored=False)
