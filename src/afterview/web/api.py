"""The JSON API under `/api`: every page's twin, with strict request models.

Request bodies are pydantic models in strict mode that forbid unknown fields: `false`
is not a number and `"3"` is not an integer. Writes need the CSRF token like the
pages (`X-CSRF-Token`, the `afterview_csrf` cookie's value).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request
from fastapi.responses import Response
from pydantic import Field

from afterview.errors import BadInput
from afterview.services import drafting, journal, live, records, views
from afterview.web import deps
from afterview.web.api_shapes import (
    ERRORS,
    AssessmentIn,
    Day,
    DoneIn,
    DraftIn,
    InterviewIn,
    InterviewPatch,
    InvitationIn,
    OutcomeIn,
    SkipIn,
    Strict,
    TouchIn,
    UndoIn,
)
from afterview.web.deps import Ctx, RecordId
from afterview.web.routes import Routes
from afterview.web.security import require_csrf

router = Routes(prefix="/api", dependencies=[Depends(require_csrf)], responses=ERRORS)

Json = dict[str, Any]


@router.get("/today")
def today(
    request: Request,
    ctx: Ctx,
    all: bool = False,
    limit: Annotated[int | None, Query(ge=1, le=views.MAX_PAGE)] = None,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> Json:
    """The agenda at now: `{"at", "actions", "outbox", "total", "next_offset"}` (the CLI's
    `agenda --json`, paged).

    Each action's `state` is `upcoming`, `ideal`, `open` or `overdue` while it is live,
    then one of the end states `done`, `skipped`, `cancelled` or `lapsed` (its moment
    passed for good: `ended_at` says when); a live action that would lapse carries
    `lapses_at`. Only the facts recorded for moments up to now count. `all=true` adds
    the ended actions, after the live ones, oldest first.

    `limit` and `offset` page the actions (`total` counts them all; `next_offset` is
    where the next page starts, null after the last). Without `limit` every live
    action comes, and with `all=true` the first 100 actions.
    """
    view: Json = deps.runtime(request).view(
        ctx,
        "agenda",
        (all,),
        lambda: views.agenda_view(ctx, everything=all),
        None if all else lambda: live.keep_bounds(ctx),
    )
    return views.agenda_page(
        view, limit if limit is not None or not all else views.ALL_PAGE, offset
    )


@router.get("/interviews")
def interviews(request: Request, ctx: Ctx) -> list[Json]:
    """Every interview, newest first."""
    rows: list[Json] = deps.runtime(request).view(
        ctx, "interviews", (), lambda: views.list_interviews(ctx)
    )
    return rows


@router.post("/interviews", status_code=201)
def add_interview(body: InterviewIn, ctx: Ctx) -> Json:
    """Add an interview; returns its page's JSON."""
    with ctx.db.transaction():  # the interview and its topics, or nothing
        iv_id = _add_interview(ctx, body)
    return views.show_interview(ctx, iv_id)


def _add_interview(ctx: Ctx, body: InterviewIn) -> int:
    iv_id = records.add_interview(
        ctx,
        company=body.company,
        role=body.role,
        start=body.start,
        end=body.end,
        duration=body.duration,
        tz=body.tz,
        interviewers=body.interviewers,
        decision_by=body.decision_by,
    )
    if body.topics:
        records.note_interview(ctx, iv_id, body.topics)
    return iv_id


@router.get("/interviews/{interview_id}")
def interview(interview_id: RecordId, request: Request, ctx: Ctx) -> Json:
    """One interview's timeline (the CLI's `interview show --json`)."""
    view: Json = deps.runtime(request).view(
        ctx, "interview", (interview_id,), lambda: views.show_interview(ctx, interview_id)
    )
    return view


@router.get("/interviews/{interview_id}/timeline")
def interview_timeline(interview_id: RecordId, request: Request, ctx: Ctx) -> Json:
    """The interview page's twin: its actions' ids grouped (`now`, `upcoming`, `ended`),
    the follow-ups' state in words, and one timeline of what happened, newest first."""
    from afterview.services.outbox import interview_messages
    from afterview.services.timeline import record_json

    view: Json = deps.runtime(request).view(
        ctx, "interview", (interview_id,), lambda: views.show_interview(ctx, interview_id)
    )
    return record_json(view, interview_messages(ctx, interview_id))


@router.patch("/interviews/{interview_id}")
def update_interview(interview_id: RecordId, body: InterviewPatch, ctx: Ctx) -> Json:
    """Correct an interview (the CLI's `interview edit`): everything `POST /interviews`
    takes, interviewers one by one, topics, notes; all of it, or nothing. Returns its
    page's JSON with `edit`: the fields changed and each change in words."""
    from afterview.services.editing import edited_json
    from afterview.services.interview_edit import edit_interview

    return edited_json(ctx, edit_interview(ctx, interview_id, interview_changes(body)))


def interview_changes(body: InterviewPatch) -> Any:
    """The service's changes for a PATCH body (null keeps, except where it removes)."""
    from afterview.services.editing import KEEP
    from afterview.services.interview_edit import InterviewChanges

    given = body.model_fields_set
    keep_null = ("company", "role", "start", "end", "duration", "tz", "interviewers")
    values: dict[str, Any] = {
        k: getattr(body, k)
        for k in ("company", "role", "start", "end", "duration", "tz", "decision_by", "notes")
        if k in given and (getattr(body, k) is not None or k not in keep_null)
    }
    return InterviewChanges(
        **values,
        interviewers=tuple(body.interviewers) if body.interviewers is not None else KEEP,
        add_interviewers=tuple(body.add_interviewers),
        rename_interviewers=tuple((r.id, r.to) for r in body.rename_interviewers),
        remove_interviewers=tuple(body.remove_interviewers),
        topics=tuple(body.topics),
        remove_topics=tuple(body.remove_topics),
    )


@router.post("/interviews/{interview_id}/outcome")
def outcome(interview_id: RecordId, body: OutcomeIn, ctx: Ctx) -> Json:
    """Record the outcome."""
    records.record_outcome(ctx, interview_id, body.result, body.at)
    return views.show_interview(ctx, interview_id)


@router.post("/interviews/{interview_id}/touches", status_code=201)
def log_touch(interview_id: RecordId, body: TouchIn, ctx: Ctx) -> Json:
    """Record a message sent or received."""
    records.log_touch(
        ctx, interview_id, body.direction, body.kind, body.to, body.at, body.note, body.force
    )
    return views.show_interview(ctx, interview_id)


@router.get("/interviews/{interview_id}/assessment")
def get_assessment(interview_id: RecordId, ctx: Ctx) -> Json:
    """The self-assessment form's twin: the rubric and what was recorded (or null)."""
    iv = views.show_interview(ctx, interview_id)
    return {"rubric": list(ctx.config.rubric), "assessment": iv["assessment"]}


@router.put("/interviews/{interview_id}/assessment")
def assessment(interview_id: RecordId, body: AssessmentIn, ctx: Ctx) -> Json:
    """Record (or replace) the self-assessment."""
    from afterview.services.assessing import assess

    assess(
        ctx,
        interview_id,
        [f"{k}={v}" for k, v in body.scores.items()],
        body.asked,
        body.went_well,
        body.improve,
        body.confidence,
        merge=False,  # PUT: the body is the whole assessment
    )
    return views.show_interview(ctx, interview_id)


def _draft_json(draft: Any, saved: bool) -> Json:
    to = {"name": draft.to.name, "email": draft.to.email} if draft.to else None
    return {
        "action_id": draft.action_id,
        "kind": draft.kind,
        "to": to,
        "subject": draft.subject,
        "body": draft.body,
        "saved": saved,
        "mailto": drafting.mailto(draft),
    }


@router.get("/drafts/{action_id}")
def draft(action_id: str, ctx: Ctx) -> Json:
    """The draft of a thank-you or follow-up action (saved, or composed now)."""
    d, _action, saved = drafting.draft_for_action(ctx, action_id)
    return _draft_json(d, saved)


@router.put("/drafts/{action_id}")
def save_draft(action_id: str, body: DraftIn, ctx: Ctx) -> Json:
    """Save an edited draft."""
    return _draft_json(drafting.save_edited(ctx, action_id, body.subject, body.body), True)


@router.post("/drafts/{action_id}/approve")
def approve_draft(action_id: str, ctx: Ctx) -> list[Json]:
    """Approve the action's draft: it goes to the outbox, sent in its ideal window, with
    the words that go out (afterview's own written for that moment; an edit as it is)."""
    from afterview.services.approving import approve_drafts

    d, _action, _saved = drafting.draft_for_action(ctx, action_id)
    rows = approve_drafts(ctx, [d])
    return [
        {
            "id": r.id,
            "state": r.state,
            "send_at": views.iso(r.send_at, ctx.user_tz),
            "subject": r.subject,
            "body": r.body,
        }
        for r in rows
    ]


@router.post("/actions/{action_id}/done")
def done(action_id: str, body: DoneIn, ctx: Ctx) -> Json:
    """Record the action's fact at now (the CLI's `done`)."""
    records.done(ctx, action_id, force=body.force)
    return {"id": action_id, "state": "done"}


@router.post("/actions/{action_id}/skip")
def skip(action_id: str, body: SkipIn, ctx: Ctx) -> Json:
    """End an action without doing it."""
    records.skip(ctx, action_id, body.why)
    return {"id": action_id, "state": "skipped"}


@router.post("/actions/{action_id}/reopen")
def reopen(action_id: str, ctx: Ctx) -> Json:
    """Open again an action ended by done or skip (the CLI's `reopen`): the skip mark, or
    the fact done recorded, is removed and the plan computes the action again. `state` is
    its state now: one whose moment has passed comes back `lapsed` (`ended_at`, `end_why`
    say when and why); `removed` lists the records taken away. A live, lapsed or
    cancelled action, or one ended by another record (a message logged or sent, an
    assessment), is refused (409)."""
    from afterview.services.reopening import reopen as reopen_action
    from afterview.services.reopening import reopened_json

    return reopened_json(ctx, reopen_action(ctx, action_id))


@router.post("/invitations", status_code=201)
def invitations(body: InvitationIn, ctx: Ctx) -> list[Json]:
    """Import an invitation (.ics text)."""
    from afterview.services.invitations import as_json, import_invitations

    return [as_json(r) for r in import_invitations(ctx, body.ics.encode(), body.company, body.role)]


@router.get("/stats")
def stats(request: Request, ctx: Ctx, since: Day | None = None) -> Json:
    """The funnel's figures (the CLI's `stats --json`)."""
    from afterview.services.stats import stats_view

    view: Json = deps.runtime(request).view(ctx, "stats", (since,), lambda: stats_view(ctx, since))
    return view


@router.get("/goal")
def goal(request: Request, ctx: Ctx) -> Json:
    """This week against the target, the streak, the last weeks (the CLI's `goal --json`)."""
    from afterview.services.pipeline import goal_view

    view: Json = deps.runtime(request).view(ctx, "goal", (), lambda: goal_view(ctx))
    return view


@router.get("/profile")
def profile(request: Request, ctx: Ctx) -> Json:
    """The latest profile check and when the profile was last reviewed (the Profile page)."""
    from afterview.services.profile_check import profile_view

    view: Json = deps.runtime(request).view(ctx, "profile", (), lambda: profile_view(ctx))
    return view


@router.post("/profile/reviewed")
def profile_reviewed(ctx: Ctx) -> Json:
    """Mark the profile reviewed now (the CLI's `profile reviewed`)."""
    return {"reviewed_at": records.profile_reviewed(ctx).isoformat()}


@router.get("/insights")
def insights(request: Request, ctx: Ctx) -> Json:
    """Trends, calibration and separation (the CLI's `insights --json`)."""
    from afterview.web.insights_pages import insights as view

    return view(request, ctx)


@router.get("/questions")
def questions(
    ctx: Ctx,
    tag: Literal["behavioural", "technical", "motivation", "salary", "culture", "other"]
    | None = None,
    company: Annotated[str, Field(max_length=200)] | None = None,
    search: Annotated[str, Field(max_length=200)] | None = None,
) -> Json:
    """The question bank (the CLI's `questions --json`)."""
    from afterview.services.questions import question_bank

    return question_bank(ctx, tag, company or None, search or None)


class QuestionIn(Strict):
    """A question's better answer (null or empty clears it) and tag (`guess`: the guess);
    a field left out is kept."""

    answer: Annotated[str, Field(max_length=20_000)] | None = None
    tag: Literal[
        "behavioural", "technical", "motivation", "salary", "culture", "other", "guess"
    ] = "guess"


@router.put("/questions/{question_id}")
def question_put(question_id: RecordId, body: QuestionIn, ctx: Ctx) -> Json:
    """Set a question's better answer and/or tag (the fields sent; the others are kept)."""
    from afterview.services.questions import update_question

    given = body.model_fields_set
    changes: dict[str, Any] = {k: getattr(body, k) for k in ("answer", "tag") if k in given}
    return update_question(ctx, question_id, **changes, fields=("answer", "tag"))


@router.get("/interviews/{interview_id}/prep")
def prep(interview_id: RecordId, ctx: Ctx) -> Json:
    """What to read before the interview (the CLI's `prep --json`)."""
    from afterview.services.prep import prep_view

    return prep_view(ctx, interview_id)


@router.get("/settings")
def settings(ctx: Ctx) -> Json:
    """The settings (no secret: channels and passwords only as where they are)."""
    from afterview.services.settings_edit import settings_view

    return settings_view(ctx)


@router.get("/export")
def export_route(ctx: Ctx) -> Response:
    """Everything of the account as the project's JSON export (the same bytes as
    `afterview export`; no secret is in it), as a file to keep."""
    from afterview.services.porting import export_json

    return Response(
        export_json(ctx),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="afterview-export.json"'},
    )


@router.get("/history")
def history(ctx: Ctx, limit: Annotated[int, Query(ge=1, le=journal.MAX_LIMIT)] = 20) -> Json:
    """The changes recorded, newest first (the CLI's `history --json`): `id`, `at`,
    `source` (the command, page or route), `summary`, `undone`, `undone_at` and `note`
    (what an undo could not take back)."""
    return {"changes": [journal.change_json(ctx, c) for c in journal.history(ctx, limit)]}


@router.post("/undo")
def undo(ctx: Ctx, body: UndoIn | None = None) -> Json:
    """Take back the latest change not undone (the CLI's `undo`), one change alone
    (`change`; 409 when a later change wrote its rows) or a change and every one after it
    (`to`). `undone` lists what was taken back, `kept` what could not be (a message that
    went out), `line` says it in one line."""
    want = body or UndoIn()
    if want.change is not None and want.to is not None:
        raise BadInput("to", "give change or to, not both")
    if want.to is not None:
        result = journal.undo_to(ctx, want.to)
    elif want.change is not None:
        result = journal.undo_change(ctx, want.change)
    else:
        result = journal.undo_latest(ctx)
    return {
        "undone": [journal.change_json(ctx, c) for c in result.undone],
        "kept": result.kept,
        "line": result.line,
    }
