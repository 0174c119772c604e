"""Drafts of thank-you and follow-up messages, from Jinja2 templates the user can override.

Templates ship in the package (`afterview/templates/`); a file of the same name
in `templates/` beside the config file takes precedence. Rendering is strict:
a missing value is an error, never an empty gap in a message.

A draft the user edited (web editor, `PUT /api/drafts/…`) is theirs: composing
again never writes over it unless asked (`edits="replace"`), and by default is
refused with how to keep it or replace it. Every check of a request (the
recipient, the templates, the header values, the file to write) runs before
anything is saved.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import datetime
from typing import Any, Literal, NamedTuple
from urllib.parse import quote

from afterview import outfile as files
from afterview.core.compose import Draft, follow_up_context, split_subject, thank_you_context
from afterview.core.model import Action, ActionKind, Application, Interview, Person
from afterview.core.timeutil import zone
from afterview.errors import BadInput, Refused
from afterview.parsing import parse_person
from afterview.services.context import Context
from afterview.store import repo
from afterview.textcheck import check_header_text, check_line, check_text

PACKAGE_TEMPLATES = os.path.join(os.path.dirname(os.path.dirname(__file__)), "templates")
MAX_BODY = 20000

#: What to do when composing meets a draft the user edited: refuse (say how to keep or
#: replace it), keep it (use the edit as it is), or replace it (compose over the edit).
EditMode = Literal["refuse", "keep", "replace"]


class Drafted(NamedTuple):
    """The drafts of one request, and which edited drafts were kept or replaced."""

    drafts: list[Draft]
    kept: list[str]  # action ids whose edited draft is used as it is
    replaced: list[str]  # action ids whose edited draft was written over


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
    wanted = check_line(to, "--to")
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


def compose_thank_yous(ctx: Context, interview_id: int, to: str | None = None) -> list[Draft]:
    """Compose a thank-you for each interviewer (or the one named by `to`), each different;
    nothing is saved."""
    iv = ctx.interview(interview_id)
    app = _app(ctx, iv)
    people = _pick(iv, to)
    _checked_facts(iv, app, people)
    drafts = []
    for person in people:
        values = thank_you_context(iv, app, person, ctx.config.my_name)
        subject, body = _render(ctx, "thank_you.txt.j2", values)
        action_id = f"thank_you:{iv.id}:{person.id if person else 'team'}"
        drafts.append(Draft(action_id, "thank_you", person, subject, body))
    return drafts


def compose_follow_up(
    ctx: Context, interview_id: int, to: str | None = None
) -> tuple[Draft, Action]:
    """Compose the pending follow-up of an interview (nothing is saved); refused when no
    follow-up is due."""
    iv = ctx.interview(interview_id)
    app = _app(ctx, iv)
    person = _pick(iv, to)[0] if to is not None else None
    cycle = ctx.plan().cycles[iv.id]
    action = cycle.pending
    if action is None or action.state(ctx.now).ended:
        raise Refused(
            f"no follow-up is due for interview {iv.id}: "
            f"{cycle.closed_why or (action and action.end_why) or 'the cycle has ended'}"
        )
    if to is None:
        person = action.person
    _checked_facts(iv, app, [person])
    values = follow_up_context(iv, app, person, ctx.config.my_name, _nth_follow_up(ctx, iv))
    subject, body = _render(ctx, "follow_up.txt.j2", values)
    return Draft(action.id, ActionKind.FOLLOW_UP.value, person, subject, body), action


def settle_edits(ctx: Context, interview_id: int, drafts: list[Draft], edits: EditMode) -> Drafted:
    """Meet the drafts just composed with the ones the user edited: refuse (with how to
    keep or replace them), keep the edits in their place, or mark them replaced."""
    iv = ctx.interview(interview_id)
    edited = {
        row.action_id: row
        for row in repo.list_drafts(ctx.db, ctx.account, interview_id)
        if row.edited
    }
    clashes = [d.action_id for d in drafts if d.action_id in edited]
    if clashes and edits == "refuse":
        if len(clashes) == 1:
            when = edited[clashes[0]].created_at.astimezone(zone(ctx.user_tz))
            raise Refused(
                f"{clashes[0]}: you edited this draft on {when:%a %d %b %H:%M}; add --keep to "
                "use your edit as it is, or --replace to write a new draft over it"
            )
        raise Refused(
            f"{', '.join(clashes)}: you edited these drafts; add --keep to use your edits as "
            "they are, or --replace to write new drafts over them"
        )
    if edits == "keep":
        out = [_from_row(ctx, iv, edited[d.action_id], d.to) if d.action_id in edited else d
               for d in drafts]  # fmt: skip
        return Drafted(out, clashes, [])
    return Drafted(list(drafts), [], clashes)


def save_drafted(ctx: Context, interview_id: int, drafted: Drafted) -> None:
    """Save the drafts composed (the edited ones kept stay as they are); joins the
    caller's transaction."""
    with ctx.db.transaction():
        # looked at again under the write lock: an edit saved since `settle_edits` stays
        mine = {
            r.action_id for r in repo.list_drafts(ctx.db, ctx.account, interview_id) if r.edited
        }
        late = [d.action_id for d in drafted.drafts if d.action_id in mine
                and d.action_id not in drafted.kept and d.action_id not in drafted.replaced]  # fmt: skip
        if late:
            raise Refused(
                f"{', '.join(late)}: you edited this draft a moment ago; run the command again "
                "with --keep or --replace"
            )
        for d in drafted.drafts:
            if d.action_id not in drafted.kept:
                _save(ctx, interview_id, d, edited=False)


def _save(ctx: Context, interview_id: int, draft: Draft, *, edited: bool) -> None:
    repo.save_draft(
        ctx.db,
        ctx.account,
        interview_id,
        draft.action_id,
        draft.kind,
        draft.to.name if draft.to else None,
        draft.to.email if draft.to else None,
        draft.subject,
        draft.body,
        ctx.now,
        edited=edited,
    )


def thank_you_drafts(
    ctx: Context,
    interview_id: int,
    to: str | None = None,
    *,
    edits: EditMode = "refuse",
    single: bool = False,
    eml_path: str | None = None,
) -> Drafted:
    """Draft a thank-you for each interviewer (or the one named by `to`), each different,
    and keep them; `single`: exactly one draft is wanted; `eml_path`: write it there too."""
    drafts = compose_thank_yous(ctx, interview_id, to)
    return _finish(ctx, interview_id, drafts, edits, single or eml_path is not None, eml_path)


def follow_up_draft(
    ctx: Context,
    interview_id: int,
    to: str | None = None,
    *,
    edits: EditMode = "refuse",
    eml_path: str | None = None,
) -> tuple[Drafted, Action]:
    """Draft the pending follow-up of an interview and keep it (`eml_path`: write it there
    too); refused when no follow-up is due."""
    draft, action = compose_follow_up(ctx, interview_id, to)
    return _finish(ctx, interview_id, [draft], edits, True, eml_path), action


def _finish(
    ctx: Context,
    interview_id: int,
    drafts: list[Draft],
    edits: EditMode,
    single: bool,
    eml_path: str | None,
) -> Drafted:
    if single and len(drafts) > 1:
        names = ", ".join(d.to.display() for d in drafts if d.to)
        raise BadInput("--to", f"choose one interviewer for --eml or --mailto ({names})")
    if eml_path is not None:
        files.check_destination(eml_path, "--eml")
    drafted = settle_edits(ctx, interview_id, drafts, edits)
    if eml_path is None:
        save_drafted(ctx, interview_id, drafted)
        return drafted
    tmp = files.prepare(eml_path, eml(ctx, drafted.drafts[0], ctx.now), "--eml")
    try:
        save_drafted(ctx, interview_id, drafted)
        files.finish(tmp, eml_path, "--eml")
    finally:
        files.discard(tmp)
    return drafted


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


def _app(ctx: Context, iv: Interview) -> Application:
    row = repo.get_application(ctx.db, ctx.account, iv.application_id)
    assert row is not None
    return Application(row.id, row.company, row.role, row.applied_on, row.url)


def mailto(draft: Draft) -> str:
    """Return a `mailto:` link (RFC 6068) that opens the draft in a mail program."""
    to = quote(draft.to.email, safe="@") if draft.to and draft.to.email else ""
    body = draft.body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{to}?subject={quote(draft.subject, safe='')}&body={quote(body, safe='')}"


def eml(ctx: Context, draft: Draft, at: datetime) -> bytes:
    """Return the draft as an RFC 5322 message, marked unsent so mail programs open it to
    edit; every header value is checked (`mail.message.build_draft`)."""
    from afterview.mail.message import build_draft

    if not ctx.config.my_email:
        raise BadInput(
            "config me.email",
            "needed for the From line of an .eml file; set [me] email in config.toml",
        )
    return build_draft(
        from_name=ctx.config.my_name,
        from_address=ctx.config.my_email,
        to_name=draft.to.name if draft.to and draft.to.email else None,
        to_email=draft.to.email if draft.to else None,
        subject=draft.subject,
        body=draft.body,
        at=at,
        tz=ctx.user_tz,
    )


def _from_row(ctx: Context, iv: Interview, row: repo.DraftRow, fallback: Person | None) -> Draft:
    """A saved draft, addressed to the person it names (with their id)."""
    return Draft(row.action_id, row.kind, _recipient(ctx, iv, row, fallback), row.subject, row.body)


def _recipient(
    ctx: Context, iv: Interview, row: repo.DraftRow, fallback: Person | None
) -> Person | None:
    """The person a saved draft is addressed to: an interviewer with its address (or, when
    the draft has none, its name), else the account's person with that address."""
    if not row.to_name and not row.to_email:
        return fallback
    email = (row.to_email or "").lower()
    for p in iv.interviewers:
        if email and p.email and p.email.lower() == email:
            return Person(p.id, row.to_name or p.name, row.to_email)
    if not email:
        for p in iv.interviewers:
            if p.name == row.to_name:
                return Person(p.id, p.name, p.email)  # its address, if known since
    found = repo.find_person(ctx.db, ctx.account, row.to_email, row.to_name or "")
    if found is not None:
        return Person(found.id, row.to_name or found.name, row.to_email or found.email)
    if fallback is not None:
        return fallback
    raise Refused(
        f"the draft of {row.action_id} is addressed to {row.to_name or row.to_email}, whom "
        "afterview does not know; write a new draft with --replace"
    )


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
    iv = ctx.interview(action.interview_id)
    for row in repo.list_drafts(ctx.db, ctx.account, action.interview_id):
        if row.action_id == action_id:
            return _from_row(ctx, iv, row, action.person), action, True
    app = _app(ctx, iv)
    _checked_facts(iv, app, [action.person])
    if action.kind is ActionKind.THANK_YOU:
        values = thank_you_context(iv, app, action.person, ctx.config.my_name)
        subject, body = _render(ctx, "thank_you.txt.j2", values)
    else:
        nth = _nth_follow_up(ctx, iv)
        values = follow_up_context(iv, app, action.person, ctx.config.my_name, nth)
        subject, body = _render(ctx, "follow_up.txt.j2", values)
    return Draft(action_id, action.kind.value, action.person, subject, body), action, False


def edited_draft(ctx: Context, action: Action) -> Draft | None:
    """The draft of `action` the user edited, if there is one."""
    if action.interview_id is None:
        return None
    for row in repo.list_drafts(ctx.db, ctx.account, action.interview_id):
        if row.action_id == action.id and row.edited:
            return _from_row(ctx, ctx.interview(action.interview_id), row, action.person)
    return None


def save_edited(ctx: Context, action_id: str, subject: str, body: str) -> Draft:
    """Save the user's edit of an action's message (subject one line, safe in a header;
    body not empty). Saved as the user's own unless it is word for word what afterview
    composed, so composing again keeps it."""
    subject = check_line(subject, "subject", limit=300)
    body = check_text(body, "body", limit=MAX_BODY)
    draft, action, saved = draft_for_action(ctx, action_id)
    assert action.interview_id is not None
    was_edited = saved and edited_draft(ctx, action) is not None
    changed = (subject, body) != (draft.subject, draft.body.strip())
    edited = replace(draft, subject=subject, body=body)
    with ctx.db.transaction():
        _save(ctx, action.interview_id, edited, edited=was_edited or changed)
    return edited
