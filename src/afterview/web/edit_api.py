"""Correcting records through the API: `PATCH` edits and `DELETE` twins of the CLI's
`… edit` and `… delete` commands (people, messages logged, self-assessments, outcomes,
leads, interviews). `PATCH /api/applications/{id}` and `PATCH /api/interviews/{id}` live
with their records' other routes.

A PATCH changes the fields sent (null removes a value that may be empty) and answers
with the record, plus `edit`: the fields changed, each change in words, and what else
happened. A DELETE answers with what went: `removed` counts each kind of record. One
holding a message that went out is refused (409) unless `force=true`: the message
stays in the mailbox. Writes need the CSRF token like every API write."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends
from pydantic import Field

from afterview.services import deleting, editing, record_edits
from afterview.web.api_shapes import ERRORS, Day, Short, Strict, Text
from afterview.web.deps import Ctx, RecordId
from afterview.web.routes import Routes
from afterview.web.security import require_csrf

router = Routes(prefix="/api", dependencies=[Depends(require_csrf)], responses=ERRORS)

Json = dict[str, Any]
Amount = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]


def _given(body: Strict, keep_null: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields sent, for the service's changes; null in `keep_null` is not sent."""
    return {
        k: getattr(body, k)
        for k in body.model_fields_set
        if getattr(body, k) is not None or k not in keep_null
    }


# -- interviews and applications: delete ---------------------------------------------------------
@router.delete("/interviews/{interview_id}")
def delete_interview(interview_id: RecordId, ctx: Ctx, force: bool = False) -> Json:
    """Delete an interview with what hangs only on it: its messages, drafts, outbox
    messages not sent (never sent afterwards), topics, outcome, assessment, the marks of
    its actions (the CLI's `interview delete`); its application stays."""
    return deleting.delete_interview(ctx, interview_id, force).as_json()


@router.delete("/interviews/{interview_id}/outcome")
def clear_outcome(interview_id: RecordId, ctx: Ctx) -> Json:
    """Take back the outcome (the CLI's `outcome ID --clear`): the follow-ups are planned
    again. 409 when there is none. Returns the interview's page with `edit`."""
    return editing.edited_json(ctx, editing.clear_outcome(ctx, interview_id))


# -- people ---------------------------------------------------------------------------------------
class PersonPatch(Strict):
    """A person's name, and address (null or empty: none)."""

    name: Short | None = None
    email: Annotated[str, Field(max_length=254)] | None = None


@router.patch("/people/{person_id}")
def edit_person(person_id: RecordId, body: PersonPatch, ctx: Ctx) -> Json:
    """Correct a person's name or address everywhere (the CLI's `person edit`); an address
    another person has is refused (409)."""
    given = _given(body, ("name",))
    edited = editing.edit_person(
        ctx, person_id, given.get("name", editing.KEEP), given.get("email", editing.KEEP)
    )
    return editing.edited_json(ctx, edited)


# -- messages logged ------------------------------------------------------------------------------
class TouchPatch(Strict):
    """What to change in a message logged; `to` null: as when logging it without `to`;
    `note` null: none."""

    direction: Literal["sent", "received"] | None = None
    kind: Literal["thank_you", "follow_up", "other"] | None = None
    to: Short | None = None
    at: str | None = None
    note: Text | None = None
    force: bool = False


@router.patch("/touches/{touch_id}")
def edit_touch(touch_id: RecordId, body: TouchPatch, ctx: Ctx) -> Json:
    """Correct a message or call logged (the CLI's `message edit`), checked as logging
    it is (a follow-up against the rules: 409 unless `force`). One sent by afterview or
    found in the mailbox changes its note only."""
    given = _given(body, ("direction", "kind", "at"))
    given.pop("force", None)
    changes = editing.MessageChanges(**given, force=body.force)
    return editing.edited_json(ctx, editing.edit_message(ctx, touch_id, changes))


@router.delete("/touches/{touch_id}")
def delete_touch(touch_id: RecordId, ctx: Ctx, force: bool = False) -> Json:
    """Delete a message or call logged (the CLI's `message delete`); one sent by afterview
    or found in the mailbox only with `force` (it stays in the mailbox)."""
    return deleting.delete_message(ctx, touch_id, force).as_json()


# -- self-assessments -----------------------------------------------------------------------------
class AssessmentPatch(Strict):
    """What to change in a self-assessment: `scores` set (null removes one); `asked`
    replaces the questions, `add_asked` and `remove_asked` change them one by one (a
    question kept keeps its tag and better answer); null removes `went_well`, `improve`,
    `confidence`."""

    scores: dict[str, Annotated[int, Field(ge=1, le=5)] | None] = Field(default_factory=dict)
    asked: Annotated[list[Text], Field(max_length=100)] | None = None
    add_asked: Annotated[list[Text], Field(max_length=100)] = Field(default_factory=list)
    remove_asked: Annotated[list[Text], Field(max_length=100)] = Field(default_factory=list)
    went_well: Text | None = None
    improve: Text | None = None
    confidence: Annotated[int, Field(ge=0, le=100)] | None = None
    at: str | None = None


@router.patch("/interviews/{interview_id}/assessment")
def edit_assessment(interview_id: RecordId, body: AssessmentPatch, ctx: Ctx) -> Json:
    """Correct the self-assessment (the CLI's `assessment edit`); 404 when there is none
    (record it with PUT)."""
    given = _given(body, ("asked", "at"))
    changes = record_edits.AssessmentChanges(
        scores=tuple(f"{k}={v}" for k, v in body.scores.items() if v is not None),
        remove_scores=tuple(k for k, v in body.scores.items() if v is None),
        asked=tuple(body.asked) if body.asked is not None else editing.KEEP,
        add_asked=tuple(body.add_asked),
        remove_asked=tuple(body.remove_asked),
        **{k: given[k] for k in ("went_well", "improve", "confidence", "at") if k in given},
    )
    return editing.edited_json(ctx, record_edits.edit_assessment(ctx, interview_id, changes))


@router.delete("/interviews/{interview_id}/assessment")
def delete_assessment(interview_id: RecordId, ctx: Ctx) -> Json:
    """Delete the self-assessment with its scores and questions (the CLI's `assessment
    delete`)."""
    return deleting.delete_assessment(ctx, interview_id).as_json()


# -- leads ----------------------------------------------------------------------------------------
class LeadPatch(Strict):
    """What to change in a lead's posting; null removes an optional value."""

    role: Short | None = None
    company: Short | None = None
    url: Annotated[str, Field(max_length=2000)] | None = None
    location: Annotated[str, Field(max_length=1000)] | None = None
    remote: bool | None = None
    salary_min: Amount | None = None
    salary_max: Amount | None = None
    salary_currency: Annotated[str, Field(max_length=10)] | None = None
    salary_unit: Annotated[str, Field(max_length=20)] | None = None
    posted_on: Day | None = None
    valid_through: Day | None = None


@router.patch("/leads/{application_id}")
def edit_lead(application_id: RecordId, body: LeadPatch, ctx: Ctx) -> Json:
    """Correct what a lead's posting says (the CLI's `lead edit`); 409 for an application
    that is not a lead. Returns the application's page with `edit`."""
    changes = record_edits.LeadChanges(**_given(body, ("role", "company", "remote")))
    return editing.edited_json(ctx, record_edits.edit_lead(ctx, application_id, changes))


@router.delete("/leads/{application_id}")
def delete_lead(application_id: RecordId, ctx: Ctx, force: bool = False) -> Json:
    """Delete a lead (the CLI's `lead delete`)."""
    return deleting.delete_lead(ctx, application_id, force).as_json()
