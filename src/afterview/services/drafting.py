"""Drafts of thank-you and follow-up messages, from Jinja2 templates the user can override.

Templates ship in the package (`afterview/templates/`); a file of the same name
in `templates/` beside the config file takes precedence. Rendering is strict:
a missing value is an error, never an empty gap in a message.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import quote

from afterview.core.compose import Draft, follow_up_context, split_subject, thank_you_context
from afterview.core.model import Action, ActionKind, Interview, Person
from afterview.core.timeutil import zone
from afterview.errors import BadInput, Refused
from afterview.parsing import parse_person
from afterview.services.context import Context
from afterview.store import repo

PACKAGE_TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates")


def _environment(ctx: Context) -> Any:
    import jinja2

    folders = [os.path.join(ctx.config.directory, "templates"), PACKAGE_TEMPLATES]
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([f for f in folders if os.path.isdir(f)]),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )


def _render(ctx: Context, name: str, values: dict[str, Any]) -> tuple[str, str]:
    import jinja2

    try:
        template = _environment(ctx).get_template(name)
        text = template.render(**values)
        return split_subject(text)
    except jinja2.UndefinedError as exc:
        raise BadInput(
            f"template {name}", f"uses a value that does not exist ({exc.message})"
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise BadInput(f"template {name}", f"line {exc.lineno}: {exc.message}") from None
    except ValueError as exc:
        raise BadInput(f"template {name}", str(exc)) from None


def _pick(iv: Interview, to: str | None) -> list[Person | None]:
    if not to:
        return list(iv.interviewers) or [None]
    wanted = to.strip()
    for p in iv.interviewers:
        if wanted.isdigit() and int(wanted) == p.id:
            return [p]
    name, email = parse_person(wanted, "--to")
    for p in iv.interviewers:
        if (
            email and p.email and p.email.lower() == email.lower()
        ) or p.name.lower() == name.lower():
            return [p]
    listed = ", ".join(f"{p.id}: {p.display()}" for p in iv.interviewers) or "none recorded"
    raise BadInput("--to", f"{to!r} is not an interviewer of interview {iv.id} ({listed})")


def _save(ctx: Context, iv: Interview, draft: Draft) -> None:
    with ctx.db.transaction():
        repo.save_draft(
            ctx.db,
            ctx.account,
            iv.id,
            draft.action_id,
            draft.kind,
            draft.to.name if draft.to else None,
            draft.to.email if draft.to else None,
            draft.subject,
            draft.body,
            ctx.now,
        )


def thank_you_drafts(ctx: Context, interview_id: int, to: str | None = None) -> list[Draft]:
    """Draft a thank-you for each interviewer (or the one named by `to`), each different."""
    iv = ctx.interview(interview_id)
    app = repo.get_application(ctx.db, ctx.account, iv.application_id)
    assert app is not None
    drafts = []
    for person in _pick(iv, to):
        values = thank_you_context(iv, _app(app), person, ctx.config.my_name)
        subject, body = _render(ctx, "thank_you.txt.j2", values)
        action_id = f"thank_you:{iv.id}:{person.id if person else 'team'}"
        drafts.append(Draft(action_id, "thank_you", person, subject, body))
    for d in drafts:
        _save(ctx, iv, d)
    return drafts


def follow_up_draft(ctx: Context, interview_id: int, to: str | None = None) -> tuple[Draft, Action]:
    """Draft the pending follow-up of an interview; refused when no follow-up is due."""
    iv = ctx.interview(interview_id)
    app = repo.get_application(ctx.db, ctx.account, iv.application_id)
    assert app is not None
    cycle = ctx.plan().cycles[iv.id]
    action = cycle.pending
    if action is None or action.state(ctx.now).ended:
        raise Refused(
            f"no follow-up is due for interview {iv.id}: {cycle.closed_why or 'the cycle has ended'}"
        )
    person = _pick(iv, to)[0] if to else action.person
    nth = _nth_follow_up(ctx, iv)
    values = follow_up_context(iv, _app(app), person, ctx.config.my_name, nth)
    subject, body = _render(ctx, "follow_up.txt.j2", values)
    draft = Draft(action.id, ActionKind.FOLLOW_UP.value, person, subject, body)
    _save(ctx, iv, draft)
    return draft, action


def _nth_follow_up(ctx: Context, iv: Interview) -> int:
    """1 + the follow-ups sent since the employer last wrote (after the interview)."""
    touches = [t for t in ctx.facts().touches if t.interview_id == iv.id and t.at >= iv.end]
    received = [t.at for t in touches if t.direction.value == "received"]
    since = max(received) if received else iv.end
    sent = [
        t
        for t in touches
        if t.direction.value == "sent" and t.kind.value == "follow_up" and t.at >= since
    ]
    return len(sent) + 1


def _app(row: repo.ApplicationRow) -> Any:
    from afterview.core.model import Application

    return Application(row.id, row.company, row.role, row.applied_on, row.url)


def mailto(draft: Draft) -> str:
    """Return a `mailto:` link (RFC 6068) that opens the draft in a mail program."""
    to = quote(draft.to.email, safe="@") if draft.to and draft.to.email else ""
    body = draft.body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{to}?subject={quote(draft.subject, safe='')}&body={quote(body, safe='')}"


def eml(ctx: Context, draft: Draft, at: datetime) -> bytes:
    """Return the draft as an RFC 5322 message, marked unsent so mail programs open it to edit."""
    from email import policy
    from email.utils import format_datetime, formataddr

    if not ctx.config.my_email:
        raise BadInput(
            "config me.email",
            "needed for the From line of an .eml file; set [me] email in config.toml",
        )
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = formataddr((ctx.config.my_name or "", ctx.config.my_email))
    if draft.to and draft.to.email:
        msg["To"] = formataddr((draft.to.name, draft.to.email))
    msg["Subject"] = draft.subject
    msg["Date"] = format_datetime(at.astimezone(zone(ctx.user_tz)).replace(microsecond=0))
    msg["X-Unsent"] = "1"
    ascii_only = draft.body.isascii() and all(len(line) < 990 for line in draft.body.splitlines())
    msg.set_content(draft.body, cte="7bit" if ascii_only else "quoted-printable")
    return msg.as_bytes()


def write_file(path: str, data: bytes, field: str = "--eml") -> None:
    """Write a file atomically (a temporary file, then a rename)."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise BadInput(field, f"folder {folder} does not exist")
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise BadInput(field, f"cannot write {path}: {exc.strerror}") from None


def draft_for_action(ctx: Context, action_id: str) -> tuple[Draft, Action, bool]:
    """The message of a thank-you or follow-up action: the saved draft if there is one
    (True), else a new composition that is not saved (False)."""
    from afterview.services.records import find_action

    action = find_action(ctx, action_id)
    if action.interview_id is None or action.kind not in (
        ActionKind.THANK_YOU,
        ActionKind.FOLLOW_UP,
    ):
        raise Refused(f"{action_id} is not a message: only thank-you and follow-up actions are")
    for row in repo.list_drafts(ctx.db, ctx.account, action.interview_id):
        if row.action_id == action_id:
            to = Person(0, row.to_name or "", row.to_email) if row.to_name or row.to_email else None
            return (
                Draft(action_id, row.kind, to or action.person, row.subject, row.body),
                action,
                True,
            )
    iv = ctx.interview(action.interview_id)
    app = repo.get_application(ctx.db, ctx.account, iv.application_id)
    assert app is not None
    if action.kind is ActionKind.THANK_YOU:
        values = thank_you_context(iv, _app(app), action.person, ctx.config.my_name)
        subject, body = _render(ctx, "thank_you.txt.j2", values)
    else:
        nth = _nth_follow_up(ctx, iv)
        values = follow_up_context(iv, _app(app), action.person, ctx.config.my_name, nth)
        subject, body = _render(ctx, "follow_up.txt.j2", values)
    return Draft(action_id, action.kind.value, action.person, subject, body), action, False


def save_edited(ctx: Context, action_id: str, subject: str, body: str) -> Draft:
    """Save the user's edit of an action's message (subject one line, body not empty)."""
    from afterview.parsing import check_line, check_text

    draft, action, _saved = draft_for_action(ctx, action_id)
    subject = check_line(subject, "subject", limit=300)
    body = check_text(body, "body", limit=20000)
    edited = replace(draft, subject=subject, body=body)
    assert action.interview_id is not None
    _save(ctx, ctx.interview(action.interview_id), edited)
    return edited
