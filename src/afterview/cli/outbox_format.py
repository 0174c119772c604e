"""How the command line shows an outbox message: as JSON (`outbox_json`) and when it
went or goes (`message_when`). Without click, for `outbox`, `send` and the drafts."""

from __future__ import annotations

from typing import Any


def _iso(ctx: Any, at: Any) -> str | None:
    from afterview.services.views import iso

    return iso(at, ctx.user_tz) if at is not None else None


def outbox_json(ctx: Any, row: Any) -> dict[str, Any]:
    """An outbox message as JSON."""
    return {
        "id": row.id,
        "state": row.state,
        "action_id": row.action_id,
        "interview_id": row.interview_id,
        "kind": row.kind,
        "to": {"name": row.to_name, "email": row.to_email},
        "subject": row.subject,
        "body": row.body,
        "message_id": row.message_id,
        "send_at": _iso(ctx, row.send_at),
        "due_at": _iso(ctx, row.due_at),
        "attempts": row.attempts,
        "retry_at": _iso(ctx, row.retry_at),
        "reason": row.reason,
        "sent_at": _iso(ctx, row.sent_at),
        "forced": row.forced,
    }


def message_when(ctx: Any, row: Any, zones: dict[int, str]) -> str:
    """When a message went (or goes), on the user's clock and its interview's."""
    from afterview.timewords import moment

    when = (row.sent_at if row.state == "sent" else None) or row.send_at
    return moment(when, ctx.now, ctx.user_tz, zones.get(row.interview_id))
