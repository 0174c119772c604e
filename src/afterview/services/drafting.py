"""Drafts of thank-you and follow-up messages: composed (`services.composing`), kept,
shown, written as .eml files or mailto: links.

A draft shown or saved is worded for now (or when its action opens, if later); a
draft kept from an earlier day is composed again when shown, so it never says
"today" on the next day, unless the user edited it: the user's words are never
rewritten.

A draft the user edited (web editor, `PUT /api/drafts/…`) is theirs: composing
again never writes over it unless asked (`edits="replace"`), and by default is
refused with how to keep it or replace it. Every check of a request (the
recipient, the templates, the header values, the file to write) runs before
anything is saved.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Literal, NamedTuple
from urllib.parse import quote

from afterview import outfile as files
from afterview.core.compose import Draft as Draft  # re-exported for the adapters
from afterview.core.model import Action as Action  # re-exported for the adapters
from afterview.core.model import ActionKind, Interview, Person
from afterview.core.timeutil import zone
from afterview.errors import BadInput, Refused
from afterview.services.composing import compose_follow_up, compose_for_action, compose_thank_yous
from afterview.services.context import Context
from afterview.store import repo
from afterview.textcheck import check_line, check_text

MAX_BODY = 20000

#: What to do when composing meets a draft the user edited: refuse (say how to keep or
#: replace it), keep it (use the edit as it is), or replace it (compose over the edit).
EditMode = Literal["refuse", "keep", "replace"]


class Drafted(NamedTuple):
    """The drafts of one request, and which edited drafts were kept or replaced."""

    drafts: list[Draft]
    kept: list[str]  # action ids whose edited draft is used as it is
    replaced: list[str]  # action ids whose edited draft was written over


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
        raise BadInput("to", f"choose one interviewer for --eml or --mailto ({names})")
    if eml_path is not None:
        files.check_destination(eml_path, "eml")
    drafted = settle_edits(ctx, interview_id, drafts, edits)
    if eml_path is None:
        save_drafted(ctx, interview_id, drafted)
        return drafted
    tmp = files.prepare(eml_path, eml(ctx, drafted.drafts[0], ctx.now), "eml")
    try:
        save_drafted(ctx, interview_id, drafted)
        files.finish(tmp, eml_path, "eml")
    finally:
        files.discard(tmp)
    return drafted


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
            "needed for the From line of an .eml file: "
            f"afterview config set me.email you@example.org (it goes into {ctx.config.path})",
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
    """The message of a thank-you or follow-up action: the draft the user edited, as it is;
    else afterview's, composed again for now (or when the action opens, if later), so a
    draft kept from an earlier day does not say "today". True when the draft returned is
    the one saved, word for word."""
    from afterview.services.records import find_action

    action = find_action(ctx, action_id)
    if action.interview_id is None or action.kind not in (
        ActionKind.THANK_YOU,
        ActionKind.FOLLOW_UP,
    ):
        raise Refused(f"{action_id} is not a message: only thank-you and follow-up actions are")
    iv = ctx.interview(action.interview_id)
    row = next(
        (r for r in repo.list_drafts(ctx.db, ctx.account, action.interview_id)
         if r.action_id == action_id),
        None,
    )  # fmt: skip
    if row is not None and row.edited:
        return _from_row(ctx, iv, row, action.person), action, True
    person = _from_row(ctx, iv, row, action.person).to if row is not None else action.person
    draft = compose_for_action(ctx, action, person)
    kept = row is not None and (row.subject, row.body.strip()) == (
        draft.subject,
        draft.body.strip(),
    )
    return draft, action, kept


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
    mine = was_edited or changed
    # the user's words are never written again for another moment; afterview's may be
    edited = replace(
        draft, subject=subject, body=body, written_for=None if mine else draft.written_for
    )
    with ctx.db.transaction():
        _save(ctx, action.interview_id, edited, edited=mine)
    return edited
