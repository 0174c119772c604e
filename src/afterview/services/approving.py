"""Approving messages: draft the action's message and put it in the outbox in one step.

Every check (the recipient, the templates, the headers, the mail settings, the
sending rules) runs before anything is written, and the drafts are saved in the
same transaction as the outbox entries: a refusal leaves both as they were.
"""

from __future__ import annotations

from afterview.core.compose import Draft
from afterview.core.model import ActionKind
from afterview.errors import Refused
from afterview.services import composing, drafting, outbox
from afterview.services.context import Context
from afterview.services.drafting import Drafted, EditMode
from afterview.services.records import find_action
from afterview.store.mail import OutboxRow


def approve_action(ctx: Context, action_id: str, *, force: bool = False) -> list[OutboxRow]:
    """Approve the message of a thank-you or follow-up action: the draft the user edited
    if there is one, else one composed now."""
    action = find_action(ctx, action_id)
    if action.interview_id is None or action.kind not in (
        ActionKind.THANK_YOU,
        ActionKind.FOLLOW_UP,
    ):
        raise Refused(
            f"{action_id} is not a message: only thank-you and follow-up actions are sent"
        )
    outbox.require_settings(ctx)
    if action.kind is ActionKind.THANK_YOU:
        to = str(action.person.id) if action.person else None
        drafts = composing.compose_thank_yous(ctx, action.interview_id, to)
    else:
        draft, pending = composing.compose_follow_up(ctx, action.interview_id)
        if pending.id != action.id:
            raise Refused(f"{action_id} is not the pending follow-up ({pending.id} is)")
        drafts = [draft]
    drafted = drafting.settle_edits(ctx, action.interview_id, drafts, "keep")
    return approve_drafted(ctx, action.interview_id, drafted, force=force)


def draft_and_approve(
    ctx: Context,
    kind: str,
    interview_id: int,
    to: str | None,
    *,
    edits: EditMode = "refuse",
    force: bool = False,
) -> tuple[Drafted, list[OutboxRow]]:
    """Draft an interview's thank-yous (`kind` "thank_you") or its pending follow-up
    ("follow_up") and approve them: kept and put in the outbox together, or nothing changes."""
    outbox.require_settings(ctx)
    if kind == ActionKind.THANK_YOU.value:
        drafts = composing.compose_thank_yous(ctx, interview_id, to)
    else:
        drafts = [composing.compose_follow_up(ctx, interview_id, to)[0]]
    drafted = drafting.settle_edits(ctx, interview_id, drafts, edits)
    return drafted, approve_drafted(ctx, interview_id, drafted, force=force)


def approve_drafted(
    ctx: Context, interview_id: int, drafted: Drafted, *, force: bool = False
) -> list[OutboxRow]:
    """Keep the drafts and approve them, in one transaction."""
    outbox.require_settings(ctx)
    with ctx.db.transaction():
        drafting.save_drafted(ctx, interview_id, drafted)
        ids = [outbox.approve(ctx, d, force=force).id for d in drafted.drafts]
    return [outbox.get(ctx, i) for i in ids]


def approve_drafts(ctx: Context, drafts: list[Draft], *, force: bool = False) -> list[OutboxRow]:
    """Approve drafts together: all go into the outbox, or none (one transaction)."""
    outbox.require_settings(ctx)
    with ctx.db.transaction():
        ids = [outbox.approve(ctx, d, force=force).id for d in drafts]
    return [outbox.get(ctx, i) for i in ids]
