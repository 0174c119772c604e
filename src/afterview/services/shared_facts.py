"""The facts and the plan kept between the requests of a long-running process (the web
app): loaded once per data revision (`store/revision.py`), so a request costs the plan,
not the load; the plan kept while no recorded fact starts to count."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

from afterview.core.followup import Cycle as Cycle  # re-exported for the web app
from afterview.core.model import Action as Action
from afterview.core.model import Facts as Facts
from afterview.core.plan import plan_with_cycles
from afterview.core.plan_parts import interview_actions
from afterview.services.context import Context
from afterview.store.db import Database
from afterview.store.facts import load_facts
from afterview.store.revision import data_revision


class _Plans(NamedTuple):
    key: tuple[object, ...]
    by_interview: dict[int, list[Action]]
    cycles: dict[int, Cycle]
    facts: Facts  # kept, so the id() in `key` stays unique
    at: datetime
    until: datetime | None


class SharedFacts:
    """Every fact of an account as of the current data revision, and the plan of every
    interview, shared by the threads of one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._facts: dict[tuple[object, ...], Facts] = {}
        self._plans: _Plans | None = None
        self._reading: set[int] = set()  # connections in a read-only snapshot

    def revision(self, ctx: Context) -> int:
        """The database's data revision, read now."""
        return data_revision(ctx.db)

    def facts(self, ctx: Context) -> Facts:
        """Every fact of the account (topics included) as of the current revision."""
        if ctx.db.in_transaction and id(ctx.db) not in self._reading:
            # inside a write: what is read may be rolled back, so it is never kept
            return self._load(ctx)
        rev = self.revision(ctx)
        key = (ctx.account, rev, ctx.user_tz, ctx.config.country, ctx.config.subdivision)
        facts = self._facts.get(key)
        if facts is None:
            facts = self._load(ctx)
            with self._lock:
                self._facts = {key: facts}  # only the newest revision is worth keeping
        return facts

    @staticmethod
    def _load(ctx: Context) -> Facts:
        return ctx.with_holidays(
            load_facts(ctx.db, ctx.account, user_tz=ctx.user_tz, with_topics=True)
        )

    def interview_plan(
        self, ctx: Context, interview_id: int, generation: int
    ) -> tuple[list[Action], Cycle]:
        """One interview's actions and cycle, from the plan of every interview, computed
        once per data revision and config `generation` while no recorded fact starts to
        count (an interview's actions depend on the moment only through the facts dated
        by then)."""
        facts = self.facts(ctx)
        key = (ctx.account, id(facts), generation)
        with self._lock:
            found = self._plans if self._plans and self._plans.key == key else None
        if found is not None and not _still(found.at, found.until, ctx.now):
            found = None
        if found is None:
            plan = plan_with_cycles(facts, ctx.now, ctx.config.playbook)
            by_interview: dict[int, list[Action]] = {}
            for a in plan.actions:
                if a.interview_id is not None:
                    by_interview.setdefault(a.interview_id, []).append(a)
            found = _Plans(key, by_interview, plan.cycles, facts, ctx.now, plan.until)
            with self._lock:
                self._plans = found
        if interview_id not in found.cycles:
            return interview_actions(facts, interview_id, ctx.now, ctx.config.playbook)
        return found.by_interview.get(interview_id, []), found.cycles[interview_id]

    @contextlib.contextmanager
    def snapshot_of(self, db: Database) -> Iterator[None]:
        """Mark `db` as in a read-only snapshot while inside: its facts may be kept."""
        with self._lock:
            self._reading.add(id(db))
        try:
            yield
        finally:
            with self._lock:
                self._reading.discard(id(db))


def _still(at: datetime, until: datetime | None, now: datetime) -> bool:
    """True when a plan computed at `at` holds at `now`: no fact dated in between."""
    return at <= now and (until is None or now < until)
