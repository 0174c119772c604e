"""What a delete would take, told before it is done: the confirmation pages of the web app
show it (read only: nothing is written). The counts are those `deleting` reports after
the delete, by the same kinds; a message that went out (or may have, or was found in the
mailbox) needs the user's explicit word (`force`), and one being sent refuses for now."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import NamedTuple

from afterview.core.model import Action
from afterview.services.context import Context
from afterview.services.deleting import KINDS, _interview_words, _when
from afterview.store import removal, removal_counts


class Preview(NamedTuple):
    """What deleting a record would remove: its words (`what`), the rows by kind
    (`deleting.KINDS`), the plan's actions that go with it (all, and still to do), and
    what came from the mailbox: the first message that went out (in words, or None),
    whether one may have gone out, was found there, or is being sent right now."""

    record: str
    id: int
    what: str
    removed: dict[str, int]
    actions: int = 0
    actions_open: int = 0
    sent: str | None = None
    maybe_sent: bool = False
    found: bool = False
    sending: bool = False

    @property
    def needs_force(self) -> bool:
        """True when the delete is refused unless the user also removes the record of
        what went out or was found in the mailbox."""
        return self.sent is not None or self.maybe_sent or self.found

    def lines(self) -> list[str]:
        """What goes, one line a kind ("2 drafts"), in the order of `deleting.KINDS`; the
        record itself left out."""
        own = {"interview": "interviews", "assessment": "assessments"}.get(self.record)
        out = []
        if self.actions:
            plural = "action" if self.actions == 1 else "actions"
            still = f", {self.actions_open} of them still to do" if self.actions_open else ""
            out.append(f"its plan: {self.actions} {plural}{still}")
        for kind, (one, many) in KINDS.items():
            n = self.removed.get(kind, 0)
            if n and kind != own:
                out.append(f"{n} {one if n == 1 else many}")
        return out


def interview(ctx: Context, interview_id: int, actions: list[Action] | None = None) -> Preview:
    """What deleting the interview would remove (`actions`: its actions in the plan now,
    when the caller has them). `NotFound` for an unknown id."""
    from afterview.core.plan_parts import interview_actions

    iv = ctx.interview(interview_id)
    if actions is None:
        actions, _cycle = interview_actions(ctx.facts(), iv.id, ctx.now, ctx.config.playbook)
    facts = removal.mail_facts(ctx.db, ctx.account, iv.id)
    sent = [f.at for f in facts if (f.record, f.state) in (("touch", "sent"), ("outbox", "sent"))]
    return Preview(
        "interview",
        iv.id,
        _interview_words(ctx, iv.id),
        dict(
            +(
                removal_counts.interview_rows(ctx.db, ctx.account, iv.id)
                + Counter(people=removal_counts.people_left(ctx.db, ctx.account, [iv.id]))
            )
        ),
        actions=len(actions),
        actions_open=sum(1 for a in actions if not a.state(ctx.now).ended),
        sent=_when(ctx, datetime.fromisoformat(min(sent))) if sent else None,
        maybe_sent=any(f.record == "outbox" and f.state == "uncertain" for f in facts),
        found=any(f.record == "touch" and f.state == "received" for f in facts),
        sending=any(f.record == "outbox" and f.state == "sending" for f in facts),
    )


def assessment(ctx: Context, interview_id: int) -> Preview:
    """What deleting the interview's self-assessment would remove (its scores and
    questions); `removed` is empty when it has none."""
    iv = ctx.interview(interview_id)
    rows = removal_counts.assessment_rows(ctx.db, ctx.account, iv.id)
    return Preview("assessment", iv.id, _interview_words(ctx, iv.id), dict(rows))


def interview_words(ctx: Context, interview_id: int) -> str:
    """An interview in words, as the delete lines say it: "Acme · Data Engineer, Tue 15
    Sep 2026 16:00" (on the user's clock). `NotFound` for an unknown id."""
    return _interview_words(ctx, ctx.interview(interview_id).id)
