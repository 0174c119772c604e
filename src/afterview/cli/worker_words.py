"""How the command line words the worker: what a pass did (`pass_lines`), and what may
keep an approved message from going out (`after_approval`). Without click."""

from __future__ import annotations

import sys
from typing import Any

#: The summary's words for each outcome of a pass, in the report's order.
_SUMMARY = {
    "sent": "sent",
    "held": "held for you",
    "retrying": "not sent yet",
    "failed": "refused by the server",
    "uncertain": "may or may not have gone out",
}
#: How the line of a message not sent begins.
_STATE = {
    "retrying": "not sent yet",
    "held": "held for you",
    "failed": "refused",
    "uncertain": "may or may not have gone out",
}
_KIND = {"thank_you": "thank-you", "follow_up": "follow-up"}
#: What the worker writes before a reason that the line already says.
_SAID = ("will try again: ", "not sent yet: ")


def _to(name: str | None, email: str) -> str:
    return f"{name} <{email}>" if name else email


def _reason(text: str | None) -> str:
    if not text:
        return "see `afterview outbox show`"
    for prefix in _SAID:
        text = text.removeprefix(prefix)
    return text


def pass_lines(ctx: Any, report: Any, *, once: bool) -> list[str]:
    """A pass in words: one summary line ("1 sent, 1 not sent yet"; "nothing due"), then
    a line for each message that did not go out: which, why, and when it is tried again
    (`once`: the next try needs another run of the worker)."""
    from afterview.services import worker_status
    from afterview.services.views import interview_zones
    from afterview.timewords import moment

    counts = [
        f"{len(getattr(report, name))} {words}"
        for name, words in _SUMMARY.items()
        if getattr(report, name)
    ]
    if not counts:
        return ["nothing due"]
    lines = [", ".join(counts)]
    rows = worker_status.unsent(ctx, report)
    zones = interview_zones(ctx, [r.interview_id for r in rows])
    for r in rows:
        line = (
            f"  message {r.id}, {_KIND.get(r.kind, r.kind)} to {_to(r.to_name, r.to_email)}: "
            f"{_STATE[r.outcome]}: {_reason(r.reason)}"
        )
        if r.outcome == "retrying":
            if r.retry_at is not None:
                line += f"; next try {moment(r.retry_at, ctx.now, ctx.user_tz, zones.get(r.interview_id))}"
            elif report.account_problem:
                line += "; tried again once the mail settings are fixed"
            else:
                line += "; tried again at the next pass"
            if once:
                line += (
                    " (when the worker runs again: `afterview run`, or `afterview service install`)"
                )
        lines.append(line)
    return lines


def after_approval(ctx: Any, rows: list[Any]) -> None:
    """On stderr, after approving `rows`: what would keep them from going out, each with
    the command that fixes it; else that the running worker sends them."""
    from afterview.services import worker_status
    from afterview.timewords import moment

    if not any(r.state == "scheduled" for r in rows):
        return
    gaps = worker_status.sending_gaps(ctx)
    for gap in gaps:
        sys.stderr.write(f"afterview: warning: {gap.text}: {gap.fix}\n")
    if not any(g.what in ("no_worker", "worker_stopped", "worker_failing") for g in gaps):
        last = worker_status.last_pass(ctx)
        assert last is not None
        sys.stderr.write(
            "It goes out in its window: the worker sends it (its last pass: "
            f"{moment(last.at, ctx.now, ctx.user_tz)}).\n"
        )
