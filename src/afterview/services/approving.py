"""Approving messages: draft the action's message and put it in the outbox in one step.

Every check (the recipient, the templates, the headers, the mail settings, the
sending rules) runs before anything is written, and the drafts are saved in the
same transaction as the outbox entries: a refusal leaves both as they were.

afterview's own wording is written again for the moment the message is scheduled to
go out (a thank-you sent after midnight says "yesterday", one past its due moment is
a late note); the words put in the outbox are the ones sent, and the user's own words
(an edited draft) are never rewritten.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from afterview.core.compose import Draft
from afterview.core.model import Action, ActionKind
from afterview.core.sending import schedule_time
from afterview.core.timeutil import utc
from afterview.errors import BadInput, Refused
from afterview.services import composing, drafting, outbox
from afterview.services.context import Context
from afterview.services.drafting import Drafted, EditMode
from afterview.services.records import find_action
from afterview.store.mail import OutboxRow


def approve_action(ctx: Context, action_id: str, *, force: bool = False) -> list[OutboxRow]:
    """Approve the message of a thank-you or follow-up action: the draft the user edited
    if there is one, else one composed for the moment it is scheduled."""
    action = find_action(ctx, action_id)
    if action.interview_id is None or action.kind not in (
        ActionKind.THANK_YOU,
        ActionKind.FOLLOW_UP,
    ):
        raise Refused(
            f"{action_id} is not a message: only thank-you and follow-up actions are sent"
        )
    outbox.require_settings(ctx)
    send_at, refusal = schedule_time(action, ctx.now, force=force)
    at = None if refusal else send_at  # a refusal is said by `outbox.approve`
    if action.kind is ActionKind.THANK_YOU:
        to = str(action.person.id) if action.person else None
        drafts = composing.compose_thank_yous(ctx, action.interview_id, to, at=at)
    else:
        draft, pending = composing.compose_follow_up(ctx, action.interview_id, at=at)
        if pending.id != action.id:
            raise Refused(f"{action_id} is not the pending follow-up ({pending.id} is)")
        drafts = [draft]
    drafted = drafting.settle_edits(ctx, action.interview_id, drafts, "keep")
    known = {action.id: action}
    return approve_drafted(ctx, action.interview_id, drafted, force=force, actions=known)


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
    ctx: Context,
    interview_id: int,
    drafted: Drafted,
    *,
    force: bool = False,
    actions: Mapping[str, Action] | None = None,
) -> list[OutboxRow]:
    """Keep the drafts and approve them, in one transaction; afterview's wording is written
    for the moment each goes out (`actions`: the drafts' actions, when known)."""
    outbox.require_settings(ctx)
    drafted = drafted._replace(drafts=fitted(ctx, drafted.drafts, force=force, actions=actions))
    with ctx.db.transaction():
        drafting.save_drafted(ctx, interview_id, drafted)
        ids = [outbox.approve(ctx, d, force=force).id for d in drafted.drafts]
    return [outbox.get(ctx, i) for i in ids]


def approve_drafts(ctx: Context, drafts: list[Draft], *, force: bool = False) -> list[OutboxRow]:
    """Approve drafts together: all go into the outbox, or none (one transaction);
    afterview's wording is written for the moment each goes out."""
    outbox.require_settings(ctx)
    drafts = fitted(ctx, drafts, force=force)
    with ctx.db.transaction():
        ids = [outbox.approve(ctx, d, force=force).id for d in drafts]
    return [outbox.get(ctx, i) for i in ids]


def fitted(
    ctx: Context,
    drafts: list[Draft],
    *,
    force: bool = False,
    actions: Mapping[str, Action] | None = None,
) -> list[Draft]:
    """The drafts as they go into the outbox: afterview's wording written again for the
    moment each is scheduled (`core.sending.schedule_time`), the user's words as they are.

    `actions`: the drafts' actions, when known (else read from the plan at now). A draft
    that would be refused keeps its words: `outbox.approve` refuses it."""
    known = dict(actions or {})
    out = []
    for d in drafts:
        if d.written_for is not None:
            if d.action_id not in known:
                known.update((a.id, a) for a in ctx.plan().actions)
            action = known.get(d.action_id)
            if action is not None:  # else `outbox.approve` says it names nothing
                send_at, refusal = schedule_time(action, ctx.now, force=force)
                if refusal is None and utc(send_at) != utc(d.written_for):
                    again = composing.compose_for_action(ctx, action, d.to, send_at)
                    d = replace(again, to=d.to)
        out.append(d)
    return out


def sending_gaps(ctx: Context) -> list[tuple[str, str, str]]:
    """What would keep an approved message from going out, as far as this process can
    tell without connecting: `("smtp_password", user, host)` when no SMTP password is
    found (keyring, secrets file or environment) for a login the mail settings name,
    `("oauth_token", user, provider)` when an OAuth2 account has no sign-in kept."""
    from afterview.mail.credentials import has_login
    from afterview.store import mail as mailstore

    settings = mailstore.get_settings(ctx.db, ctx.account)
    if settings is None or not (settings.smtp_user or settings.oauth2):
        return []
    try:
        if has_login(settings, "smtp"):
            return []
    except BadInput as exc:  # the secrets file refused (others may read it)
        return [("secrets_file", exc.problem, "")]
    if settings.oauth2:
        return [("oauth_token", settings.login_user, settings.oauth_provider or "")]
    return [("smtp_password", settings.login_user, settings.smtp_host)]
