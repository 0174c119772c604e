"""The forms that correct an interview from its page: edit it (what it was added with,
each interviewer's name and address, interviewers added and removed, topics, notes),
take back its outcome, delete its self-assessment, and delete it, each delete after a
confirmation page that says what goes (no script needed).

The edit form is sent whole, filled with what is recorded: only the fields that differ
are changed, in one transaction (the interviewers' corrections and the interview's, or
nothing). Bad input comes back on the page with what was typed and the field named
(422); a rule's refusal too (409). After a change the confirmation carries Undo; what
else the change did (a message approved for the old times is held…) is said once on the
next page.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from afterview.errors import AfterviewError, BadInput, Refused
from afterview.services import delete_preview, deleting, editing, views
from afterview.services.timeline import plain
from afterview.web import deps
from afterview.web.deps import Ctx, Form, RecordId, after_change, field_name, lines, see_other, text
from afterview.web.routes import Routes
from afterview.web.runtime import WebContext
from afterview.web.security import csrf_token, require_csrf
from afterview.web.templating import render

router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)

#: How the edit form labels its fields, for the line that names a bad one.
LABELS = {
    "company": "Company",
    "role": "Role",
    "start": "Starts",
    "end": "Ends",
    "duration": "Length in minutes",
    "tz": "Time zone",
    "decision_by": "Decision expected by",
    "notes": "Notes",
    "topics": "Add topics",
    "remove_topics": "Remove topics",
    "add_interviewers": "Add interviewers",
    "remove_interviewers": "Remove an interviewer",
}

_PERSON_FIELD = re.compile(r"person_([0-9]+)_(name|email)")

#: Ids the services' lines name, as a page says them (the line itself stays folded).
_IDS = (
    (re.compile(r"\boutbox messages? [0-9]+(?:, [0-9]+)*"), "a message in the Outbox"),
    (re.compile(r"\bapplication [0-9]+ \(([^)]*)\)"), r"the application \1"),
    (re.compile(r"\bapplication [0-9]+ added for"), "a new application added for"),
    (
        re.compile(r"\bmoved to application [0-9]+"),
        "moved to the application of that company and role",
    ),
    (re.compile(r"\bperson [0-9]+"), "another person"),
    (re.compile(r"\binterview [0-9]+"), "this interview"),
    (re.compile(r"\bmessage [0-9]+"), "this message"),
)


def in_words(line: str) -> str:
    """A service's line as a page says it: no command, no record id, a capital first."""
    said = plain(line)
    for pattern, words in _IDS:
        said = pattern.sub(words, said)
    return said[:1].upper() + said[1:]


def _notes_key(request: Request) -> str:
    return f"edit-notes:{csrf_token(request)}"


def take_notes(request: Request) -> list[dict[str, str | None]]:
    """What else the last edit of this client did, said once: `{"said", "line", "link",
    "link_text"}`, the page's words, the service's line (for the command line's users)
    and, for a message in the Outbox, where to settle it."""
    kept = deps.runtime(request).take_once(_notes_key(request))
    out: list[dict[str, str | None]] = []
    for line in (kept or "").split("\n"):
        if not line:
            continue
        outbox = line.startswith("outbox message")
        out.append(
            {
                "said": in_words(line),
                "line": line,
                "link": "/outbox" if outbox else None,
                "link_text": "Reschedule it on the Outbox page"
                if "old times" in line
                else "Open the Outbox",
            }
        )
    return out


# -- edit -------------------------------------------------------------------------------------------
def _typed(form: FormData, name: str) -> str | None:
    """A field as typed (line ends as `\\n`), or None when the form has no such field."""
    value = form.get(name)
    if not isinstance(value, str):
        return None
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _differs(form: FormData, name: str, *current: str | None) -> str | None:
    """The field's value when it differs from the value recorded (any of the ways of
    writing it in `current`), else None: a field left as it was is not changed."""
    value = _typed(form, name)
    if value is None or value.strip(" ") in {c or "" for c in current}:
        return None
    return value


def _minutes(value: str) -> int:
    """The length field: whole minutes, 1 to 1440."""
    value = value.strip(" ")
    if not re.fullmatch(r"[0-9]{1,4}", value) or not 1 <= int(value) <= 1440:
        raise BadInput("duration", f"expected minutes from 1 to 1440, got {value[:20]!r}")
    return int(value)


def _ids(form: FormData, name: str) -> tuple[int, ...]:
    """The person ids ticked in a list of checkboxes."""
    out = []
    for value in form.getlist(name):
        if not (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19):
            raise BadInput(name, "expected the id of one of this interview's interviewers")
        out.append(int(value))
    return tuple(out)


def interview_changes(iv: dict[str, Any], form: FormData) -> Any:
    """The service's changes for the edit form: the fields whose values differ from the
    interview's (`iv`, its page's JSON)."""
    from afterview.services.interview_edit import InterviewChanges

    given: dict[str, Any] = {}
    for name in ("company", "role", "tz"):
        if (value := _differs(form, name, iv[name])) is not None:
            given[name] = value
    for name in ("start", "end"):  # as the form shows them, or with seconds
        if (value := _differs(form, name, iv[name][:16], iv[name][:19])) is not None:
            given[name] = value.strip(" ")
    duration = text(form, "duration")
    if duration is not None:
        given["duration"] = _minutes(duration)
    if (value := _differs(form, "decision_by", iv["decision_by"])) is not None:
        given["decision_by"] = value.strip(" ") or None
    notes = _typed(form, "notes")
    if notes is not None and notes.strip() != (iv["notes"] or "").strip():
        given["notes"] = notes.strip() or None
    removed = [v for v in form.getlist("remove_topics") if isinstance(v, str)]
    return InterviewChanges(
        **given,
        add_interviewers=tuple(lines(form, "add_interviewers")),
        remove_interviewers=_ids(form, "remove_interviewers"),
        topics=tuple(lines(form, "topics")),
        remove_topics=tuple(removed),
    )


def person_changes(iv: dict[str, Any], form: FormData, removed: tuple[int, ...]) -> list[Any]:
    """`(person id, name, address)` of each interviewer the form corrects (`KEEP` for
    what it leaves; an empty address removes it); those removed are not corrected."""
    out = []
    for p in iv["interviewers"]:
        if p["id"] in removed:
            continue
        name = _differs(form, f"person_{p['id']}_name", p["name"])
        email = _differs(form, f"person_{p['id']}_email", p["email"])
        if name is not None or email is not None:
            out.append(
                (
                    p["id"],
                    editing.KEEP if name is None else name,
                    editing.KEEP if email is None else (email.strip(" ") or None),
                )
            )
    return out


@router.post("/interviews/{interview_id}/edit")
def edit_post(interview_id: RecordId, request: Request, ctx: Ctx, form: Form) -> Response:
    """Save the edit form: the interviewers' corrections and the interview's changes in
    one transaction; the form again with what was typed when a value is refused."""
    from afterview.services.interview_edit import edit_interview

    iv = views.show_interview(ctx, interview_id)
    said: list[str] = []
    notes: list[str] = []
    try:
        changes = interview_changes(iv, form)
        people = person_changes(iv, form, changes.remove_interviewers)
        with ctx.db.transaction():  # every correction, or none
            for pid, name, email in people:
                done = editing.edit_person(
                    ctx, pid, name, email,
                    name_field=f"person_{pid}_name", email_field=f"person_{pid}_email",
                )  # fmt: skip
                said += done.said
                notes += done.notes
            edited = edit_interview(ctx, interview_id, changes)
            said += edited.said
            notes += edited.notes
    except (BadInput, Refused) as exc:
        return _again(request, ctx, interview_id, form, exc)
    if not said:
        return see_other(f"/interviews/{interview_id}", msg="unchanged")
    if notes:
        deps.runtime(request).keep_once(_notes_key(request), "\n".join(notes))
    return after_change(ctx, f"/interviews/{interview_id}", "edited")


def field_label(field: str, iv: dict[str, Any]) -> str:
    """How the page names a field of the edit form."""
    found = _PERSON_FIELD.fullmatch(field)
    if found:
        pid, part = int(found.group(1)), found.group(2)
        who = next((p["name"] for p in iv["interviewers"] if p["id"] == pid), "an interviewer")
        return f"{'Name' if part == 'name' else 'Address'} of {who}"
    return LABELS.get(field, field.replace("_", " ").capitalize())


def _again(
    request: Request, ctx: WebContext, interview_id: int, form: FormData, exc: AfterviewError
) -> Response:
    """The interview's page with the edit form open, as typed, and the problem named."""
    from afterview.web.pages import interview_values

    values = interview_values(request, ctx, interview_id)
    iv = values["iv"]
    typed: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    for name in ("remove_topics", "remove_interviewers"):
        typed[name] = [v for v in form.getlist(name) if isinstance(v, str)]
    field: str | None = None
    status = 409
    said = in_words(str(exc))
    if isinstance(exc, BadInput):
        field, status = field_name(exc.field), 422
        problem = deps.problem_words(exc.problem)
        said = f"{field_label(field, iv)}: {problem}"
    values.update(edit_typed=typed, edit_error={"field": field, "text": said})
    return render(request, "interview.html", values, status_code=status)


# -- outcome ----------------------------------------------------------------------------------------
@router.post("/interviews/{interview_id}/outcome/clear")
def clear_outcome(interview_id: RecordId, ctx: Ctx) -> Response:
    """Take back the outcome: the follow-ups come back as the plan computes them."""
    editing.clear_outcome(ctx, interview_id)
    return after_change(ctx, f"/interviews/{interview_id}", "outcome_cleared")


# -- delete the interview ---------------------------------------------------------------------------
def _confirm(request: Request, values: dict[str, Any], status_code: int = 200) -> Response:
    base: dict[str, Any] = {
        "error": None, "stays": [], "force": None, "sending": False, "warning": None,
    }  # fmt: skip
    return render(request, "confirm_delete.html", {**base, **values}, status_code=status_code)


def _interview_confirm(
    request: Request, ctx: WebContext, interview_id: int, error: str | None = None
) -> Response:
    actions, _cycle = deps.runtime(request).interview_plan(ctx, ctx.interview(interview_id).id)
    shown = delete_preview.interview(ctx, interview_id, actions)
    force = None
    if shown.needs_force:
        said = []
        if shown.sent:
            said.append(f"a message afterview sent ({shown.sent})")
        if shown.maybe_sent:
            said.append("a message that may have gone out")
        if shown.found:
            said.append("a message found in your mailbox")
        force = {
            "text": f"This interview holds {' and '.join(said)}. What went out stays in your "
            "mailbox (and in theirs): only the record of it here can go.",
            "label": "Also remove the record of the messages that went out",
        }
    return _confirm(
        request,
        {
            "title": "Delete this interview?",
            "what": shown.what,
            "goes": shown.lines(),
            "stays": ["its application, with its other interviews"],
            "force": force,
            "sending": shown.sending,
            "action": f"/interviews/{interview_id}/delete",
            "button": "Delete the interview",
            "back": f"/interviews/{interview_id}",
            "back_label": "Keep it: back to the interview",
            "warning": "Outbox messages not sent yet are never sent afterwards."
            if shown.removed.get("outbox")
            else None,
            "error": error,
        },
        status_code=409 if error else 200,
    )


@router.get("/interviews/{interview_id}/delete", response_class=HTMLResponse)
def delete_page(interview_id: RecordId, request: Request, ctx: Ctx) -> Response:
    """What deleting the interview takes with it, and the button to do it."""
    return _interview_confirm(request, ctx, interview_id)


@router.post("/interviews/{interview_id}/delete")
def delete_post(interview_id: RecordId, request: Request, ctx: Ctx, form: Form) -> Response:
    """Delete the interview (and the record of messages that went out only when ticked);
    refused, the confirmation again with the reason."""
    try:
        deleting.delete_interview(ctx, interview_id, force=text(form, "force") == "1")
    except Refused as exc:
        return _interview_confirm(request, ctx, interview_id, in_words(exc.reason))
    return after_change(ctx, "/interviews", "deleted")


# -- delete the self-assessment ---------------------------------------------------------------------
@router.get("/interviews/{interview_id}/assessment/delete", response_class=HTMLResponse)
def assessment_delete_page(interview_id: RecordId, request: Request, ctx: Ctx) -> Response:
    """What deleting the self-assessment takes (its scores, its questions)."""
    shown = delete_preview.assessment(ctx, interview_id)
    if not shown.removed:
        return see_other(f"/interviews/{interview_id}/assess")  # none: the form to write one
    return _confirm(
        request,
        {
            "title": "Delete your self-assessment?",
            "what": f"Your self-assessment of {shown.what}",
            "goes": shown.lines() or ["the scores, questions and notes you wrote"],
            "stays": ["the interview, its plan and its messages"],
            "action": f"/interviews/{interview_id}/assessment/delete",
            "button": "Delete the self-assessment",
            "back": f"/interviews/{interview_id}/assess",
            "back_label": "Keep it: back to the self-assessment",
        },
    )


@router.post("/interviews/{interview_id}/assessment/delete")
def assessment_delete_post(interview_id: RecordId, ctx: Ctx) -> Response:
    """Delete the self-assessment with its scores and questions."""
    deleting.delete_assessment(ctx, interview_id)
    return after_change(ctx, f"/interviews/{interview_id}", "deleted")
