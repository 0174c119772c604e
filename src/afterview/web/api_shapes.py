"""The shapes of the JSON API: the request bodies it accepts (strict: no coercion, no
unknown field) and the error it answers with."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ErrorOut(BaseModel):
    """An error: one line for people, and the field at fault when there is one."""

    error: str
    field: str | None = None
    #: a refusal the user may override: what sending it again with force does
    override: str | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": what}
    for code, what in (
        (403, "Refused: missing CSRF token, or a cross-site request"),
        (404, "No such record"),
        (409, "Refused by a rule of the playbook"),
        (422, "Bad input: `field` names it"),
    )
}

Text = Annotated[str, Field(min_length=1, max_length=2000)]
Short = Annotated[str, Field(min_length=1, max_length=200)]
Day = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]


class Strict(BaseModel):
    """Strict: no coercion, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")


class InterviewIn(Strict):
    company: Short
    role: Short
    start: Annotated[str, Field(description="ISO 8601; naive means the interview's zone")]
    duration: Annotated[int, Field(ge=1, le=24 * 60)] | None = None
    end: str | None = None
    tz: str | None = None
    interviewers: Annotated[list[Short], Field(max_length=50)] = []
    decision_by: Day | None = None
    topics: Annotated[list[Short], Field(max_length=50)] = []


class Rename(Strict):
    """An interviewer's new name (and address): `to` is "Name <email>" or a name."""

    id: Annotated[int, Field(ge=1, le=2**62, description="the person's id")]
    to: Short


class InterviewPatch(Strict):
    """What to change in an interview; a field left out (or null) is kept, but null
    removes `decision_by` and `notes`. `interviewers` replaces the list; `add_`,
    `rename_` and `remove_interviewers` change it one person at a time (by person id).
    `topics` are added, `remove_topics` removed (by their text)."""

    company: Short | None = None
    role: Short | None = None
    start: (
        Annotated[str, Field(description="ISO 8601; naive means the interview's zone")] | None
    ) = None
    end: str | None = None
    duration: Annotated[int, Field(ge=1, le=24 * 60)] | None = None
    tz: str | None = None
    decision_by: Day | None = None
    notes: Text | None = None
    interviewers: Annotated[list[Short], Field(max_length=50)] | None = None
    add_interviewers: Annotated[list[Short], Field(max_length=50)] = []
    rename_interviewers: Annotated[list[Rename], Field(max_length=50)] = []
    remove_interviewers: Annotated[
        list[Annotated[int, Field(ge=1, le=2**62)]], Field(max_length=50)
    ] = []
    topics: Annotated[list[Short], Field(max_length=50)] = []
    remove_topics: Annotated[list[Short], Field(max_length=50)] = []


class OutcomeIn(Strict):
    result: Literal["offer", "rejected", "next_round", "withdrawn"]
    at: str | None = None


class TouchIn(Strict):
    direction: Literal["sent", "received"]
    kind: Literal["thank_you", "follow_up", "other"] = "other"
    to: Short | None = None
    at: str | None = None
    note: Text | None = None
    force: bool = False


class AssessmentIn(Strict):
    scores: dict[str, Annotated[int, Field(ge=1, le=5)]] = {}
    asked: Annotated[list[Text], Field(max_length=100)] = []
    went_well: Text | None = None
    improve: Text | None = None
    confidence: Annotated[int, Field(ge=0, le=100)] | None = None


class DraftIn(Strict):
    subject: Annotated[str, Field(min_length=1, max_length=300)]
    body: Annotated[str, Field(min_length=1, max_length=20000)]


class SkipIn(Strict):
    why: Text


class DoneIn(Strict):
    force: bool = False


class InvitationIn(Strict):
    ics: Annotated[str, Field(min_length=1, max_length=2 * 1024 * 1024)]
    company: Short | None = None
    role: Short | None = None


class UndoIn(Strict):
    """Which changes to take back: none named, the latest not undone; `change`, that one
    alone; `to`, that one and every one after it."""

    change: Annotated[int, Field(ge=1, le=2**62)] | None = None
    to: Annotated[int, Field(ge=1, le=2**62)] | None = None
