"""Composing thank-you and follow-up messages from Jinja2 templates the user can override.

Templates ship in the package (`afterview/templates/`); a file of the same name in
`templates/` beside the config file takes precedence. Rendering is strict: a missing
value is an error, never an empty gap in a message. Values added to the templates since
(`interview_when`, `late`, `thanked`) are optional for a template of one's own: one that
does not use them renders as before.

A message is worded for the moment it goes out (`core.send_moment`), given by the
caller: the scheduled time of an approved message, else now (or when the action opens,
if later: it cannot go out before then). Nothing here saves anything.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from typing import Any

from afterview.core.as_of import facts_as_of
from afterview.core.compose import Draft, follow_up_context, split_subject, thank_you_context
from afterview.core.model import Action, ActionKind, Application, Facts, Interview, Person
from afterview.core.send_moment import draft_moment, thanked
from afterview.errors import BadInput, Refused
from afterview.parsing import parse_person
from afterview.services.context import Context
from afterview.store import repo
from afterview.textcheck import check_header_text, check_line

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
        subject, body = split_subject(text)
    except jinja2.UndefinedError as exc:
        raise BadInput(
            f"template {name}", f"uses a value that does not exist ({exc.message})"
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise BadInput(f"template {name}", f"line {exc.lineno}: {exc.message}") from None
    except ValueError as exc:
        raise BadInput(f"template {name}", str(exc)) from None
    check_header_text(subject, f"template {name}: the subject it gives")
    return subject, body


def _pick(iv: Interview, to: str | None) -> list[Person | None]:
    if to is None:
        return list(iv.interviewers) or [None]
    wanted = check_line(to, "to")
    for p in iv.interviewers:
        if wanted.isdigit() and int(wanted) == p.id:
            return [p]
    name, email = parse_person(wanted, "to")
    for p in iv.interviewers:
        if (
            email and p.email and p.email.lower() == email.lower()
        ) or p.name.lower() == name.lower():
            return [p]
    listed = ", ".join(f"{p.id}: {p.display()}" for p in iv.interviewers) or "none recorded"
    raise BadInput("to", f"{to!r} is not an interviewer of interview {iv.id} ({listed})")


def _checked_facts(iv: Interview, app: Application, people: list[Person | None]) -> None:
    """Refuse, naming the record, a stored value that cannot go into a header (one kept
    from before afterview checked what enters)."""
    hint = f'; correct it with `afterview interview update {iv.id} --interviewer "Name <email>"`'
    for p in people:
        if p is None:
            continue
        try:
            check_header_text(p.name, f"interviewer {p.id}'s name")
            if p.email:
                check_header_text(p.email, f"interviewer {p.id}'s address")
        except BadInput as exc:
            raise BadInput(exc.field, exc.problem + hint) from None
    check_header_text(app.company, f"application {app.id}'s company")
    check_header_text(app.role, f"application {app.id}'s role")


def compose_thank_yous(
    ctx: Context, interview_id: int, to: str | None = None, *, at: datetime | None = None
) -> list[Draft]:
    """Compose a thank-you for each interviewer (or the one named by `to`), each different,
    worded for the moment `at` it goes out (default: now, or the interview's end if later);
    nothing is saved."""
    iv = ctx.interview(interview_id)
    app = app_of(ctx, iv)
    people = _pick(iv, to)
    _checked_facts(iv, app, people)
    moment = at or draft_moment(ctx.now, iv.end)
    return [_thank_you(ctx, iv, app, person, moment) for person in people]


def compose_follow_up(
    ctx: Context, interview_id: int, to: str | None = None, *, at: datetime | None = None
) -> tuple[Draft, Action]:
    """Compose the pending follow-up of an interview, worded for the moment `at` it goes
    out (default: now, or when the follow-up opens if later); nothing is saved; refused
    when no follow-up is due."""
    iv = ctx.interview(interview_id)
    app = app_of(ctx, iv)
    person = _pick(iv, to)[0] if to is not None else None
    facts = facts_as_of(ctx.facts(), ctx.now)  # what had happened by now
    cycle = ctx.plan(facts).cycles[iv.id]
    action = cycle.pending
    if action is None or action.state(ctx.now).ended:
        raise Refused(
            f"no follow-up is due for interview {iv.id}: "
            f"{cycle.closed_why or (action and action.end_why) or 'the cycle has ended'}"
        )
    if to is None:
        person = action.person
    _checked_facts(iv, app, [person])
    moment = at or draft_moment(ctx.now, action.window.opens_at)
    return _follow_up(ctx, facts, iv, app, person, action.id, moment), action


def compose_for_action(
    ctx: Context, action: Action, person: Person | None, at: datetime | None = None
) -> Draft:
    """Compose the message of a thank-you or follow-up action to `person`, worded for the
    moment `at` it goes out (default: now, or when the action opens if later)."""
    assert action.interview_id is not None
    iv = ctx.interview(action.interview_id)
    app = app_of(ctx, iv)
    _checked_facts(iv, app, [person])
    moment = at or draft_moment(ctx.now, action.window.opens_at)
    if action.kind is ActionKind.THANK_YOU:
        return replace(_thank_you(ctx, iv, app, person, moment), action_id=action.id)
    facts = facts_as_of(ctx.facts(), ctx.now)  # what had happened by now
    return _follow_up(ctx, facts, iv, app, person, action.id, moment)


def _thank_you(
    ctx: Context, iv: Interview, app: Application, person: Person | None, at: datetime
) -> Draft:
    due_hours = ctx.config.playbook.thank_you_due_hours
    values = thank_you_context(iv, app, person, ctx.config.my_name, at=at, due_hours=due_hours)
    subject, body = _render(ctx, "thank_you.txt.j2", values)
    action_id = f"thank_you:{iv.id}:{person.id if person else 'team'}"
    return Draft(action_id, ActionKind.THANK_YOU.value, person, subject, body, at)


def _follow_up(
    ctx: Context,
    facts: Facts,
    iv: Interview,
    app: Application,
    person: Person | None,
    action_id: str,
    at: datetime,
) -> Draft:
    values = follow_up_context(
        iv,
        app,
        person,
        ctx.config.my_name,
        _nth_follow_up(facts, iv),
        at=at,
        thanked=thanked(iv, facts.touches, person, at),
    )
    subject, body = _render(ctx, "follow_up.txt.j2", values)
    return Draft(action_id, ActionKind.FOLLOW_UP.value, person, subject, body, at)


def _nth_follow_up(facts: Facts, iv: Interview) -> int:
    """1 + the follow-ups sent since the employer last wrote (after the interview)."""
    touches = [t for t in facts.touches if t.interview_id == iv.id and t.at >= iv.end]
    received = [t.at for t in touches if t.direction.value == "received"]
    since = max(received) if received else iv.end
    sent = [
        t
        for t in touches
        if t.direction.value == "sent" and t.kind.value == "follow_up" and t.at >= since
    ]
    return len(sent) + 1


def app_of(ctx: Context, iv: Interview) -> Application:
    """The application an interview belongs to."""
    row = repo.get_application(ctx.db, ctx.account, iv.application_id)
    assert row is not None
    return Application(row.id, row.company, row.role, row.applied_on, row.url)
