"""Undo and history: taking back what a change wrote, from the change journal.

Every write of a use case is journaled in its own transaction (`store/journal.py`).
Undoing a change puts each row it wrote back as it was before, newest write first, in
one transaction; the undo itself is not journaled (there is no redo: running the
command again does what a redo would, and a redo could not be replayed over what was
written since). An undone change stays in the history, marked undone.

What cannot be taken back is kept and said: an outbox message that went out (or may
have: being sent, or uncertain) since the change stays as it is, with its sent touch.
A change taken back alone (`undo_change`) is refused when a later change, not undone,
wrote one of its rows or builds on what it added (`undo_to` takes back both).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from afterview.core.timeutil import zone
from afterview.errors import BadInput, NotFound, Refused
from afterview.services.context import Context
from afterview.store import journal_rows as rows
from afterview.store.codec import get_dt
from afterview.store.journal import noun
from afterview.store.journal_rows import Change, Entry, Shape

#: Outbox states of a message that went out, or may have
GONE = ("sent", "sending", "uncertain")
MAX_LIMIT = 1000


class UndoResult(NamedTuple):
    """What an undo took back (newest first) and what it could not (one line each)."""

    undone: list[Change]
    kept: list[str]

    @property
    def line(self) -> str:
        """One line for people: "Undone: interview add (added interview 3, …)"."""
        parts = [f"{c.source} ({c.summary})" for c in self.undone[:3]]
        more = len(self.undone) - len(parts)
        text = "Undone: " + "; ".join(parts) + (f" and {more} more" if more > 0 else "")
        return text + "".join(f". Kept: {k}" for k in self.kept)


def change_json(ctx: Context, c: Change) -> dict[str, Any]:
    """A change as the history's JSON gives it (moments in the user's zone)."""
    tz = zone(ctx.user_tz)
    return {
        "id": c.id,
        "at": c.at.astimezone(tz).isoformat(),
        "source": c.source,
        "summary": c.summary,
        "undone": c.undone_at is not None,
        "undone_at": c.undone_at.astimezone(tz).isoformat() if c.undone_at else None,
        "note": c.undo_note,
    }


def history(ctx: Context, limit: int = 20, before: int | None = None) -> list[Change]:
    """The latest `limit` changes (before change `before`, to page), newest first."""
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInput("limit", f"expected 1 to {MAX_LIMIT}, got {limit}")
    return rows.history(ctx.db, ctx.account, limit, before)


def undo_latest(ctx: Context) -> UndoResult:
    """Take back the latest change not undone yet (again and again, down to the first)."""
    with ctx.db.unrecorded(), ctx.db.transaction():
        rows.lock(ctx.db, ctx.account)
        change = rows.latest_open(ctx.db, ctx.account)
        if change is None:
            raise Refused(f"nothing to undo: {_empty(ctx)}")
        kept = _take_back(ctx, change, Shape(ctx.db), alone=False)
        return UndoResult([_reread(ctx, change)], kept)


def undo_change(ctx: Context, change_id: int) -> UndoResult:
    """Take back one change, leaving the others as they are; refused when a later change
    (not undone) wrote one of its rows or builds on what it added."""
    with ctx.db.unrecorded(), ctx.db.transaction():
        rows.lock(ctx.db, ctx.account)
        change = _find(ctx, change_id)
        if change.undone_at is not None:
            when = change.undone_at.astimezone(zone(ctx.user_tz))
            raise Refused(f"change {change_id} was undone already ({when:%a %d %b %H:%M})")
        kept = _take_back(ctx, change, Shape(ctx.db), alone=True)
        return UndoResult([_reread(ctx, change)], kept)


def undo_to(ctx: Context, change_id: int) -> UndoResult:
    """Take back every change not undone from `change_id` on, newest first, in one go."""
    with ctx.db.unrecorded(), ctx.db.transaction():
        rows.lock(ctx.db, ctx.account)
        _find(ctx, change_id)
        todo = rows.open_from(ctx.db, ctx.account, change_id)
        if not todo:
            raise Refused(f"nothing to undo: change {change_id} and those after it are undone")
        shape = Shape(ctx.db)
        kept: list[str] = []
        for change in todo:
            kept += _take_back(ctx, change, shape, alone=False)
        return UndoResult([_reread(ctx, c) for c in todo], kept)


def _empty(ctx: Context) -> str:
    if rows.history(ctx.db, ctx.account, 1):
        return "every change in the history is undone"
    return f"no change is recorded (the history keeps {ctx.journal_days} days)"


def _find(ctx: Context, change_id: int) -> Change:
    change = rows.get_change(ctx.db, ctx.account, change_id)
    if change is None:
        raise NotFound(
            f"change {change_id}: no such change in the history (see `afterview history`; "
            f"changes older than {ctx.journal_days} days are dropped)"
        )
    return change


def _reread(ctx: Context, change: Change) -> Change:
    found = rows.get_change(ctx.db, ctx.account, change.id)
    return found if found is not None else change


def _take_back(ctx: Context, change: Change, shape: Shape, *, alone: bool) -> list[str]:
    """Put back every row `change` wrote as it was before (but what went out); return
    what was kept, one line each."""
    entries = rows.entries(ctx.db, change.id)
    if alone:
        _check_alone(ctx, change, entries, shape)
    keep, kept = _gone_out(ctx, entries, shape)
    for e in reversed(entries):
        if (e.table, e.key) in keep:
            continue
        where = e.new if e.new is not None else e.old
        assert where is not None
        try:
            rows.restore(ctx.db, shape, e.table, where, e.old)
        except rows.Blocked as exc:
            raise Refused(
                f"change {change.id} ({change.source}) cannot be undone: the {noun(e.table)} "
                f"it wrote is held by what was recorded since ({exc.detail}); nothing was undone"
            ) from None
    rows.mark_undone(ctx.db, ctx.account, change.id, ctx.now, "; ".join(kept) or None)
    return kept


def _gone_out(
    ctx: Context, entries: list[Entry], shape: Shape
) -> tuple[set[tuple[str, str]], list[str]]:
    """The rows to keep as they are: outbox messages that went out (or may have) since the
    change wrote them, and the touches recording them. A message the change wrote as sent
    already (an import, the demo) went out before: it goes with the change."""
    first: dict[tuple[str, str], Entry] = {}
    for e in entries:
        first.setdefault((e.table, e.key), e)
    keep: set[tuple[str, str]] = set()
    lines: list[str] = []
    sent_ids: set[str] = set()
    for (table, key), e in first.items():
        if table != "outbox":
            continue
        where = e.new if e.new is not None else e.old
        assert where is not None
        now = rows.current(ctx.db, shape, table, where)
        if now is None or now.get("state") not in GONE:
            continue
        before = e.old.get("state") if e.old is not None else None
        written = e.new.get("state") if e.op == "insert" and e.new is not None else None
        if before in GONE or written in GONE:
            continue
        keep.add((table, key))
        sent_ids.add(str(now.get("message_id")))
        lines.append(_kept_line(ctx, now))
    for (table, key), e in first.items():
        if (
            table == "touch"
            and e.op == "insert"
            and e.new is not None
            and e.new.get("direction") == "sent"
            and str(e.new.get("message_id")) in sent_ids
        ):
            keep.add((table, key))
    return keep, lines


def _kept_line(ctx: Context, message: dict[str, Any]) -> str:
    who = message.get("to_name") or message.get("to_email") or "the interviewer"
    if message.get("state") == "sent":
        sent = message.get("sent_at")
        when = (
            f" {get_dt(sent).astimezone(zone(ctx.user_tz)):%a %d %b %H:%M}"
            if isinstance(sent, str)
            else ""
        )
        return (
            f"message {message.get('id')} to {who} went out{when}: a sent message cannot be "
            "taken back, so it stays in the outbox (and its sent touch)"
        )
    return (
        f"message {message.get('id')} to {who} may have gone out ({message.get('state')}): "
        "it stays in the outbox until you settle it"
    )


def _check_alone(ctx: Context, change: Change, entries: list[Entry], shape: Shape) -> None:
    """Refuse to take back `change` alone when a later change (not undone) wrote one of
    its rows, added a row that points at a row it added, or removed a row that a row it
    removed points at (the row could not come back)."""
    later = rows.later_entries(ctx.db, ctx.account, change.id)
    if not later:
        return
    mine = {(e.table, e.key) for e in entries}
    first: dict[tuple[str, str], Entry] = {}
    for e in entries:
        first.setdefault((e.table, e.key), e)
    added = {k for k, e in first.items() if e.op == "insert"}
    comes_back = [e for k, e in first.items() if e.op != "insert" and e.old is not None]
    for other in later:
        why = None
        if (other.table, other.key) in mine:
            why = f"changed the same {noun(other.table)} since"
        elif other.new is not None and any(
            (parent, str(other.new.get(col))) in added for col, parent in shape.parents(other.table)
        ):
            why = f"added a {noun(other.table)} to what it added"
        elif other.op == "delete" and any(
            parent == other.table and str(e.old.get(col)) == other.key
            for e in comes_back
            if e.old is not None
            for col, parent in shape.parents(e.table)
        ):
            why = f"removed a {noun(other.table)} that what it removed belongs to"
        if why is not None:
            by = rows.get_change(ctx.db, ctx.account, other.change)
            source = f" ({by.source})" if by is not None else ""
            raise Refused(
                f"change {change.id} cannot be undone alone: change {other.change}{source} "
                f"{why}; `afterview undo --to {change.id}` takes back both and every "
                "change between"
            )
