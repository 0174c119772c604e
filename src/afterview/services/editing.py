"""Correcting records: an application, a person, a message logged, an outcome.

Each use case takes what to change (a field left at `KEEP` is kept; `None` or an empty
text clears a value that may be empty), checks every value as the command that adds
the record checks it, then writes in one transaction: a refused value writes nothing.
It returns what changed, in words (`Edited`), for the CLI's line and the API's answer.
Interviews are in `interview_edit`, self-assessments and leads in `record_edits`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, NamedTuple, TypeGuard, TypeVar

from afterview.core.model import OutcomeResult
from afterview.core.rules import follow_up_refusal
from afterview.core.timeutil import zone
from afterview.errors import BadInput, NotFound, Refused
from afterview.parsing import check_email, check_line, check_text, parse_date, shown
from afterview.services.context import Context
from afterview.store import applications as appstore
from afterview.store import edits
from afterview.textcheck import MAX_TEXT


class Keep:
    """The value of a field the caller did not give: it is kept as it is."""

    _instance: Keep | None = None

    def __new__(cls) -> Keep:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "KEEP"

    def __bool__(self) -> bool:
        return False


KEEP: Final = Keep()
T = TypeVar("T")


def given(value: T | Keep) -> TypeGuard[T]:
    """True when the caller gave a value (a `None` that clears is a value)."""
    return not isinstance(value, Keep)


class Edited(NamedTuple):
    """What an edit did: the record, the fields that changed (the API's names), each
    change in words ("company: Acem → Acme"), and what else happened because of it."""

    record: str
    id: int
    changed: tuple[str, ...]
    said: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def line(self) -> str:
        """One line for people: what changed, or that nothing did."""
        what = f"{self.record} {self.id}"
        if not self.said:
            return f"{what}: nothing changed"
        return f"{what}: " + "; ".join(self.said)

    def as_json(self) -> dict[str, Any]:
        """The edit as JSON: `{"changed", "said", "notes"}` (the record is beside it)."""
        return {"changed": list(self.changed), "said": list(self.said), "notes": list(self.notes)}


def words(value: object) -> str:
    """A value as the change lines show it ("none" for nothing)."""
    if value is None or value == "":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return shown(str(value), 80)


def optional_text(value: str | None, field: str, limit: int = 200) -> str | None:
    """An optional one-line value: None or blank clears it, else it is checked."""
    if value is None:
        return None
    return check_line(value, field, limit=limit, empty=True) or None


# -- applications ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ApplicationChanges:
    """What to change in an application; `stage` None (or "auto") puts it back where its
    facts put it on the board; `applied_on` None makes it a lead again."""

    company: str | Keep = KEEP
    role: str | Keep = KEEP
    url: str | Keep | None = KEEP
    applied_on: str | Keep | None = KEEP
    stage: str | Keep | None = KEEP
    mail_domain: str | Keep | None = KEEP
    notes: str | Keep | None = KEEP


def _mail_domain(value: str | None) -> str | None:
    from afterview.mail.headers import check_host

    text = optional_text(value, "mail_domain", 253)
    if text is None:
        return None
    host = check_host(text, "mail_domain").lower()
    if "." not in host or host.replace(".", "").isdigit() or ":" in host:
        raise BadInput("mail_domain", f"expected a domain such as acme.example, got {shown(text)}")
    return host


def edit_application(ctx: Context, application_id: int, ch: ApplicationChanges) -> Edited:
    """Change an application: company, role, address, applied day (none: a lead again),
    its stage on the board, the company's mail domain (replies from it are the
    employer's), notes. `NotFound` for an unknown id; the first bad value is `BadInput`."""
    from afterview.services import applications as apps
    from afterview.services.records import check_url

    found = appstore.record(ctx.db, ctx.account, application_id)
    if found is None:
        raise NotFound(
            f"application {application_id}: no such application (see `afterview application list`)"
        )
    values: dict[str, Any] = {}
    if given(ch.company):
        values["company"] = check_line(ch.company, "company", limit=200)
    if given(ch.role):
        values["role"] = check_line(ch.role, "role", limit=200)
    if given(ch.url):
        text = optional_text(ch.url, "url", 2000)
        values["url"] = check_url(text) if text is not None else None
    if given(ch.applied_on):
        text = optional_text(ch.applied_on, "applied_on", 20)
        values["applied_on"] = parse_date(text, "applied_on").isoformat() if text else None
    if given(ch.mail_domain):
        values["email_domain"] = _mail_domain(ch.mail_domain)
    stage: str | None = None
    if given(ch.stage):
        stage = optional_text(ch.stage, "stage", 20)
        if stage == "auto":
            stage = None
        if stage is not None and stage not in apps.STAGES:
            raise BadInput(
                "stage", f"expected one of {', '.join(apps.STAGES)} or auto, got {shown(stage)}"
            )
    notes: str | None = None
    if given(ch.notes):
        notes = check_text(ch.notes or "", "notes", limit=MAX_TEXT, empty=True) or None
    changed: dict[str, Any] = {}
    said: list[str] = []
    for column, value in values.items():
        if value != found[column]:
            name = "mail_domain" if column == "email_domain" else column
            changed[name] = value
            said.append(f"{name.replace('_', ' ')}: {words(found[column])} → {words(value)}")
    with ctx.db.transaction():
        edits.update_application(ctx.db, ctx.account, application_id, values)
        if given(ch.stage):
            before = _stage_now(ctx, found)
            moved = apps.move(ctx, application_id, stage)
            if moved["stage"] != before:
                changed["stage"] = moved["stage"]
                how = "" if moved["placed"] else " (where its facts put it)"
                said.append(f"stage: {before} → {moved['stage']}{how}")
        if given(ch.notes) and notes != found["notes"]:
            appstore.set_notes(ctx.db, ctx.account, application_id, notes)
            changed["notes"] = notes
            said.append("notes: " + ("changed" if notes else "removed"))
    return Edited("application", application_id, tuple(changed), tuple(said))


def _stage_now(ctx: Context, found: dict[str, Any]) -> str:
    """Where the board shows the application now: placed by the user, else its facts'."""
    from afterview.services.applications import stage_of, status_now

    if found["stage"] is not None and datetime.fromisoformat(found["stage_at"]) <= ctx.now:
        return str(found["stage"])
    return stage_of(status_now(ctx, int(found["id"]), found["applied_on"] is not None))


# -- people ---------------------------------------------------------------------------------------
def check_name(value: str, field: str) -> str:
    """A person's name: one line, no `<` or `>` (an address goes apart)."""
    name = check_line(value, field, limit=200)
    if "<" in name or ">" in name:
        raise BadInput(field, "a name holds no < or >; give the address apart (--email)")
    return name


def edit_person(
    ctx: Context,
    person_id: int,
    name: str | Keep = KEEP,
    email: str | Keep | None = KEEP,
    *,
    name_field: str = "name",
    email_field: str = "email",
) -> Edited:
    """Correct a person's name or address (None or empty: no address) everywhere they
    appear: each interview they are on, its actions and drafts to come. An address
    another person has is refused (exit 1). Messages already approved keep the words and
    address they were approved with: the notes say which, to cancel and send again."""
    before = edits.person(ctx.db, ctx.account, person_id)
    if before is None:
        raise NotFound(f"person {person_id}: no such person (see `afterview interview show ID`)")
    new_name = check_name(name, name_field) if given(name) else before[0]
    new_email = before[1]
    if given(email):
        text = optional_text(email, email_field, 254)
        new_email = check_email(text, email_field) if text else None
    said = []
    if new_name != before[0]:
        said.append(f"name: {words(before[0])} → {words(new_name)}")
    if (new_email or "") != (before[1] or ""):
        said.append(f"address: {words(before[1])} → {words(new_email)}")
    notes: list[str] = []
    with ctx.db.transaction():
        if new_email and (new_email or "").lower() != (before[1] or "").lower():
            other = edits.person_with_address(ctx.db, ctx.account, new_email, person_id)
            if other is not None:
                raise Refused(
                    f"{new_email} is already the address of person {other}: remove this "
                    f"interviewer and add that person instead (`afterview interview edit ID "
                    f"--remove-interviewer {person_id} --add-interviewer {new_email}`)"
                )
        if said:
            edits.update_person(ctx.db, ctx.account, person_id, new_name, new_email)
            waiting = edits.live_outbox_to(ctx.db, ctx.account, person_id)
            if waiting:
                ids = ", ".join(str(i) for i in waiting)
                notes.append(
                    f"outbox message {ids} was approved with the old name or address: cancel "
                    f"it and send again (`afterview outbox cancel {waiting[0]}`, then "
                    "`afterview send ACTION_ID`)"
                )
    changed = tuple(
        k
        for k, yes in (("name", new_name != before[0]), ("email", "address" in " ".join(said)))
        if yes
    )
    return Edited("person", person_id, changed, tuple(said), tuple(notes))


# -- messages logged (touches) --------------------------------------------------------------------
@dataclass(frozen=True)
class MessageChanges:
    """What to change in a message logged: `to` None or empty means nobody in particular."""

    direction: str | Keep = KEEP
    kind: str | Keep = KEEP
    to: str | Keep | None = KEEP
    at: str | Keep = KEEP
    note: str | Keep | None = KEEP
    force: bool = False


def edit_message(ctx: Context, touch_id: int, ch: MessageChanges) -> Edited:
    """Change a message or call logged: sent or received, its kind, who, when, the note;
    checked as `log` checks it (a follow-up against the rules unless `force`). A message
    sent by afterview or found in the mailbox follows the mailbox: only its note changes."""
    from afterview.services.records import _recipient, event_moment

    row = edits.touch(ctx.db, ctx.account, touch_id)
    if row is None:
        raise NotFound(f"message {touch_id}: no such message (see `afterview interview show ID`)")
    iv = ctx.interview(row.interview_id)
    if row.message_id is not None and any(given(v) for v in (ch.direction, ch.kind, ch.to, ch.at)):
        how = "sent by afterview" if row.direction == "sent" else "found in your mailbox"
        raise Refused(
            f"message {touch_id} was {how}: it follows the mailbox, only its note changes"
        )
    direction = row.direction if not given(ch.direction) else str(ch.direction)
    if direction not in ("sent", "received"):
        raise BadInput("direction", f"expected sent or received, got {shown(direction)}")
    kind = row.kind if not given(ch.kind) else str(ch.kind)
    if kind not in ("thank_you", "follow_up", "other"):
        raise BadInput("kind", f"expected thank_you, follow_up or other, got {shown(kind)}")
    if direction == "received" and kind != "other":
        field = "kind" if given(ch.kind) else "received"
        raise BadInput(field, "a received message is of kind 'other'")
    when = event_moment(ctx, ch.at, iv) if isinstance(ch.at, str) else row.at
    if direction == "sent" and kind in ("thank_you", "follow_up") and when < iv.start:
        raise BadInput("at", "expected a moment after the interview started")
    note = row.note
    if given(ch.note):
        note = check_text(ch.note or "", "note", empty=True) or None
    recheck = (direction, kind, when) != (row.direction, row.kind, row.at)
    forced = row.forced
    if direction == "sent" and kind == "follow_up" and recheck:
        forced = ch.force
        if not ch.force:
            facts = ctx.facts()
            without = facts._replace(touches=tuple(t for t in facts.touches if t.id != touch_id))
            refusal = follow_up_refusal(without, iv, when, ctx.config.playbook)
            if refusal:
                raise Refused(f"refused: {refusal}", override="record it anyway")
    with ctx.db.transaction():
        person_id = row.person_id
        if given(ch.to) or (given(ch.kind) and kind == "thank_you" and person_id is None):
            to = optional_text(ch.to, "to", 300) if given(ch.to) else None
            sending = kind if direction == "sent" else "other"
            person = _recipient(ctx, iv, to, sending, "to")
            person_id = person.id if person else None
        edits.update_touch(
            ctx.db, ctx.account, touch_id, direction=direction, kind=kind, person_id=person_id,
            at=when, note=note, forced=forced,
        )  # fmt: skip
        if person_id != row.person_id and row.person_id is not None:
            from afterview.store.removal import forget_people

            forget_people(ctx.db, ctx.account, {row.person_id})
    said, changed = _message_said(ctx, row, direction, kind, person_id, when, note)
    return Edited("message", touch_id, tuple(changed), tuple(said))


def _message_said(
    ctx: Context,
    row: edits.TouchRow,
    direction: str,
    kind: str,
    person_id: int | None,
    when: datetime,
    note: str | None,
) -> tuple[list[str], list[str]]:
    said, changed = [], []
    for field, old, new in (
        ("direction", row.direction, direction),
        ("kind", row.kind, kind),
        ("at", _moment(ctx, row.at), _moment(ctx, when)),
        ("note", row.note, note),
    ):
        if old != new:
            changed.append(field)
            said.append(f"{field}: {words(old)} → {words(new)}")
    if person_id != row.person_id:
        changed.append("to")
        old_p = edits.person(ctx.db, ctx.account, row.person_id) if row.person_id else None
        new_p = edits.person(ctx.db, ctx.account, person_id) if person_id else None
        said.append(
            f"to: {words(old_p[0] if old_p else None)} → {words(new_p[0] if new_p else None)}"
        )
    return said, changed


def _moment(ctx: Context, at: datetime) -> str:
    return f"{at.astimezone(zone(ctx.user_tz)):%a %d %b %Y %H:%M}"


# -- outcomes -------------------------------------------------------------------------------------
def clear_outcome(ctx: Context, interview_id: int) -> Edited:
    """Take back an interview's outcome: its follow-ups come back as the plan computes
    them. Refused (exit 1) when it has none."""
    iv = ctx.interview(interview_id)
    with ctx.db.transaction():
        before = edits.outcome(ctx.db, ctx.account, iv.id)
        if before is None:
            raise Refused(f"interview {iv.id} has no outcome to clear")
        edits.clear_outcome(ctx.db, ctx.account, iv.id)
    result = OutcomeResult(before[0]).value
    return Edited(
        "interview", iv.id, ("outcome",), (f"outcome: {result} ({_moment(ctx, before[1])}) → none",)
    )


# -- the records as edited, for the CLI's --json and the API ---------------------------------------
def edited_json(ctx: Context, edited: Edited) -> dict[str, Any]:
    """The record after an edit, as its page's JSON (the application's page, the
    interview's timeline, …), with `edit`: what changed (`Edited.as_json`)."""
    from afterview.services import views

    record: dict[str, Any]
    if edited.record in ("application", "lead"):
        from afterview.services.application_record import application_record

        record = application_record(ctx, edited.id)
    elif edited.record == "interview":
        record = views.show_interview(ctx, edited.id)
    elif edited.record == "assessment":
        shown_iv = views.show_interview(ctx, edited.id)
        record = {"interview_id": edited.id, **(shown_iv["assessment"] or {})}
    elif edited.record == "person":
        record = person_json(ctx, edited.id)
    else:
        record = message_json(ctx, edited.id)
    return {**record, "edit": edited.as_json()}


def person_json(ctx: Context, person_id: int) -> dict[str, Any]:
    """A person: `{"id", "name", "email", "interviews": [ids]}`."""
    found = edits.person(ctx.db, ctx.account, person_id)
    if found is None:
        raise NotFound(f"person {person_id}: no such person")
    return {
        "id": person_id,
        "name": found[0],
        "email": found[1],
        "interviews": edits.interviews_of_person(ctx.db, ctx.account, person_id),
    }


def message_json(ctx: Context, touch_id: int) -> dict[str, Any]:
    """A message logged: `{"id", "interview_id", "direction", "kind", "at", "person", "note",
    "from_mailbox"}` (`at` in the interview's zone)."""
    from afterview.services.views import iso

    row = edits.touch(ctx.db, ctx.account, touch_id)
    if row is None:
        raise NotFound(f"message {touch_id}: no such message")
    iv = ctx.interview(row.interview_id)
    person = edits.person(ctx.db, ctx.account, row.person_id) if row.person_id else None
    return {
        "id": row.id,
        "interview_id": row.interview_id,
        "direction": row.direction,
        "kind": row.kind,
        "at": iso(row.at, iv.tz),
        "person": {"name": person[0], "email": person[1]} if person else None,
        "note": row.note,
        "from_mailbox": row.message_id is not None,
    }
