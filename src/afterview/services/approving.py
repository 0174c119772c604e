"""Approving messages: draft the action's message and put it in the outbox in one step."""

from __future__ import annotations

from afterview.core.compose import Draft
from afterview.core.model import ActionKind
from afterview.errors import Refused
from afterview.services import drafting, outbox
from afterview.services.context import Context
from afterview.services.records import find_action
from afterview.store.mail import OutboxRow


def approve_action(ctx: Context, action_id: str, *, force: bool = False) -> list[OutboxRow]:
    """Draft the message of a thank-you or follow-up action and approve it."""
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
        drafts = drafting.thank_you_drafts(ctx, action.interview_id, to)
    else:
        draft, pending = drafting.follow_up_draft(ctx, action.interview_id)
        if pending.id != action.id:
            raise Refused(f"{action_id} is not the pending follow-up ({pending.id} is)")
        drafts = [draft]
    return approve_drafts(ctx, drafts, force=force)


def approve_drafts(ctx: Context, drafts: list[Draft], *, force: bool = False) -> list[OutboxRow]:
    """Approve drafts together: all go into the outbox, or none (one transaction)."""
    outbox.require_settings(ctx)
    with ctx.db.transaction():
        ids = [outbox.approve(ctx, d, force=force).id for d in drafts]
    return [outbox.get(ctx, i) for i in ids]
