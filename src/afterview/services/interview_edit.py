"""Correcting an interview: everything `interview add` takes, its interviewers one by one
(added, renamed, removed by person id), its topics (added, removed) and its notes.

Every value is checked as `interview add` checks it before anything is written (a zone
the database does not know, a start the clocks skip, an empty name: refused); then one
transaction writes it all. The plan follows the new facts. An interviewer removed takes
away what hung on their thank-you (its marks, drafts, messages not sent yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from afterview.core.model import Interview, Person
from afterview.core.timeutil import utc, zone
from afterview.errors import BadInput, Refused
from afterview.parsing import check_line, check_text, check_zone, parse_date, parse_person, shown
from afterview.services.context import Context
from afterview.services.editing import KEEP, Edited, Keep, edit_person, given, optional_text, words
from afterview.store import applications as appstore
from afterview.store import edits, removal, repo
from afterview.timewords import counted

MAX_TOPICS = 50
MAX_INTERVIEWERS = 50


@dataclass(frozen=True)
class InterviewChanges:
    """What to change in an interview. `interviewers` replaces the whole list; the `add_`,
    `rename_` and `remove_interviewers` change it one person at a time (not both ways at
    once). `topics` are added, `remove_topics` removed (by their text, any case).
    `decision_by` and `notes`: None or empty clears."""

    company: str | Keep = KEEP
    role: str | Keep = KEEP
    start: str | Keep = KEEP
    end: str | Keep = KEEP
    duration: int | Keep = KEEP
    tz: str | Keep = KEEP
    decision_by: str | Keep | None = KEEP
    interviewers: tuple[str, ...] | Keep = KEEP
    add_interviewers: tuple[str, ...] = ()
    rename_interviewers: tuple[tuple[int, str], ...] = ()
    remove_interviewers: tuple[int, ...] = ()
    topics: tuple[str, ...] = ()
    remove_topics: tuple[str, ...] = ()
    notes: str | Keep | None = KEEP


def _times(iv: Interview, ch: InterviewChanges, now: datetime) -> tuple[datetime, datetime, str]:
    """The new start, end and zone (as `interview update` reads them: a new zone alone
    keeps the wall-clock times, a new start alone keeps the length)."""
    from afterview.services.records import _times as read_times

    tz = check_zone(ch.tz) if given(ch.tz) else iv.tz
    if not any(given(v) for v in (ch.start, ch.end, ch.duration, ch.tz)):
        return iv.start, iv.end, tz
    local_start = iv.start.astimezone(zone(iv.tz)).replace(tzinfo=None).isoformat()
    start = ch.start if given(ch.start) else local_start
    end = ch.end if given(ch.end) else None
    duration = ch.duration if given(ch.duration) else None
    if end is None and duration is None:
        duration = int((utc(iv.end) - utc(iv.start)).total_seconds() // 60)
    begin, finish = read_times(start, end, duration, tz, now)
    return begin, finish, tz


def _topics(ctx: Context, iv: Interview, ch: InterviewChanges) -> tuple[list[str], list[int]]:
    """The topics to add and the ids of those to remove."""

    def key(text: str) -> str:
        return " ".join(text.casefold().split())

    known = edits.topics(ctx.db, iv.id)
    gone: list[int] = []
    for text in ch.remove_topics:
        wanted = key(check_line(text, "remove_topic", limit=300))
        found = [i for i, t in known if key(t) == wanted and i not in gone]
        if not found:
            have = "; ".join(t for _, t in known) or "none"
            raise BadInput(
                "remove_topic",
                f"interview {iv.id} has no topic {shown(text)} (its topics: {have})",
            )
        gone += found
    kept = {key(t) for i, t in known if i not in gone}
    new: list[str] = []
    for text in ch.topics:
        topic = check_line(text, "topic", limit=300)
        if key(topic) not in kept:
            kept.add(key(topic))
            new.append(topic)
    if len(kept) > MAX_TOPICS:
        raise BadInput("topic", f"an interview keeps at most {MAX_TOPICS} topics")
    return new, gone


def _check_people(iv: Interview, ch: InterviewChanges) -> None:
    """Refuse a mix of the two ways to change interviewers, and ids not on the interview."""
    one_by_one = ch.add_interviewers or ch.rename_interviewers or ch.remove_interviewers
    if given(ch.interviewers) and one_by_one:
        raise BadInput(
            "interviewer",
            "give either --interviewer (the whole list) or --add-, --rename- and "
            "--remove-interviewer, not both",
        )
    ids = {p.id for p in iv.interviewers}
    listed = ", ".join(f"{p.id} {p.name}" for p in iv.interviewers) or "none"
    for field, pid in [("remove_interviewer", i) for i in ch.remove_interviewers] + [
        ("rename_interviewer", i) for i, _ in ch.rename_interviewers
    ]:
        if pid not in ids:
            raise BadInput(
                field, f"person {pid} is not an interviewer of interview {iv.id} (its: {listed})"
            )


def _action(iv_id: int, people: list[Person]) -> set[str]:
    """The thank-you actions an interview has with these interviewers."""
    return {f"thank_you:{iv_id}:{p.id}" for p in people} or {f"thank_you:{iv_id}:team"}


def edit_interview(ctx: Context, interview_id: int, ch: InterviewChanges) -> Edited:
    """Change an interview (see the module's docstring); `NotFound` for an unknown id,
    `BadInput` naming the first bad value, `Refused` when a message of an interviewer
    removed is being sent (or may have gone out). Nothing is written then."""
    from afterview.services.records import _check_decision, _people

    iv = ctx.interview(interview_id)
    company = check_line(ch.company, "company", limit=200) if given(ch.company) else None
    role = check_line(ch.role, "role", limit=200) if given(ch.role) else None
    begin, finish, tz = _times(iv, ch, ctx.now)
    decision = iv.decision_by
    if given(ch.decision_by):
        text = optional_text(ch.decision_by, "decision_by", 20)
        decision = parse_date(text, "decision_by") if text else None
    if decision != iv.decision_by or (begin, finish, tz) != (iv.start, iv.end, iv.tz):
        _check_decision(decision, begin, tz)
    _check_people(iv, ch)
    whole = _people(list(ch.interviewers), "interviewer") if given(ch.interviewers) else None
    added = _people(list(ch.add_interviewers), "add_interviewer")
    renames = [(pid, parse_person(t, "rename_interviewer")) for pid, t in ch.rename_interviewers]
    new_topics, gone_topics = _topics(ctx, iv, ch)
    notes = repo.interview_notes(ctx.db, iv.id)
    new_notes = notes
    if given(ch.notes):
        new_notes = check_text(ch.notes or "", "notes", empty=True) or None
    said: list[str] = []
    changed: list[str] = []
    extra: list[str] = []
    with ctx.db.transaction():
        if (company is not None or role is not None) and _application(
            ctx, iv, company, role, said, extra
        ):
            changed += [f for f, v in (("company", company), ("role", role)) if v is not None]
        if (begin, finish, tz) != (iv.start, iv.end, iv.tz) or decision != iv.decision_by:
            repo.update_interview_times(ctx.db, iv.id, begin, finish, tz, decision)
            for field, moved, old, new in (
                ("start", begin != iv.start, _when(iv.start, iv.tz), _when(begin, tz)),
                ("end", finish != iv.end, _when(iv.end, iv.tz), _when(finish, tz)),
                ("tz", tz != iv.tz, iv.tz, tz),
                ("decision_by", decision != iv.decision_by, iv.decision_by, decision),
            ):
                if moved or old != new:
                    changed.append(field)
                if old != new:  # a new zone alone keeps the wall-clock times: not said
                    said.append(f"{field.replace('_', ' ')}: {words(old)} → {words(new)}")
            if (begin, finish) != (iv.start, iv.end):
                extra += _approved_for_old_times(ctx, iv.id)
        people = list(iv.interviewers)
        for pid, (name, email) in renames:
            done = edit_person(
                ctx, pid, name, email if email else KEEP,
                name_field="rename_interviewer", email_field="rename_interviewer",
            )  # fmt: skip
            said += [f"interviewer {pid} {s}" for s in done.said]
            extra += list(done.notes)
        if whole is not None:
            people = [repo.find_or_add_person(ctx.db, ctx.account, n, e) for n, e in whole]
        else:
            people = [p for p in people if p.id not in ch.remove_interviewers]
            for n, e in added:
                p = repo.find_or_add_person(ctx.db, ctx.account, n, e)
                if p.id not in {x.id for x in people}:
                    people.append(p)
        if len(people) > MAX_INTERVIEWERS:
            raise BadInput("add_interviewer", f"expected at most {MAX_INTERVIEWERS} interviewers")
        before_ids = [p.id for p in iv.interviewers]
        if [p.id for p in people] != before_ids:
            extra += _drop_thank_yous(ctx, iv, people)
            repo.set_interviewers(ctx.db, iv.id, people)
            changed.append("interviewers")
            now_on = ctx.interview(iv.id).interviewers
            names = ", ".join(p.display() for p in now_on) or "none"
            said.append(f"interviewers: {names}")
            removal.forget_people(ctx.db, ctx.account, set(before_ids) - {p.id for p in people})
        elif renames:
            changed.append("interviewers")
        if gone_topics:
            edits.remove_topics(ctx.db, iv.id, gone_topics)
        for t in new_topics:
            repo.add_topic(ctx.db, iv.id, t, ctx.now)
        if new_topics or gone_topics:
            changed.append("topics")
            said += [f"topic added: {t}" for t in new_topics]
            said += [f"topic removed: {t}" for t in ch.remove_topics]
        if new_notes != notes:
            repo.set_interview_notes(ctx.db, iv.id, new_notes)
            changed.append("notes")
            said.append("notes: " + ("changed" if new_notes else "removed"))
    return Edited("interview", iv.id, tuple(dict.fromkeys(changed)), tuple(said), tuple(extra))


def _when(at: datetime, tz: str) -> str:
    return at.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M")


def _application(
    ctx: Context,
    iv: Interview,
    company: str | None,
    role: str | None,
    said: list[str],
    extra: list[str],
) -> bool:
    """Put the interview under the application of the new company and role: the one that
    exists (any case), else its own application renamed when it holds only this
    interview, else a new one. An application left bare (made by `interview add`,
    nothing of its own) goes. False when the company and role are as they were."""
    old = appstore.record(ctx.db, ctx.account, iv.application_id)
    assert old is not None
    new_company = company if company is not None else str(old["company"])
    new_role = role if role is not None else str(old["role"])
    if (new_company, new_role) == (old["company"], old["role"]):
        return False
    said.append(f"company and role: {old['company']} · {old['role']} → {new_company} · {new_role}")
    target = repo.find_application(ctx.db, ctx.account, new_company, new_role)
    if target == iv.application_id or (
        target is None and edits.interview_count(ctx.db, ctx.account, iv.application_id) == 1
    ):
        edits.update_application(
            ctx.db, ctx.account, iv.application_id, {"company": new_company, "role": new_role}
        )
        return True
    if target is None:
        target = repo.add_application(
            ctx.db, ctx.account, new_company, new_role, None, None, ctx.now
        )
        extra.append(f"application {target} added for {new_company} · {new_role}")
    edits.move_interview(ctx.db, ctx.account, iv.id, target)
    extra.append(f"moved to application {target}")
    if edits.is_bare(ctx.db, ctx.account, iv.application_id):
        removal.delete_application(ctx.db, ctx.account, iv.application_id)
        extra.append(
            f"application {iv.application_id} ({old['company']} · {old['role']}), "
            "left with nothing, was removed"
        )
    return True


def _approved_for_old_times(ctx: Context, interview_id: int) -> list[str]:
    from afterview.store import mail as mailstore

    rows = mailstore.list_outbox(ctx.db, ctx.account, ("scheduled",), interview_id)
    return [
        f"outbox message {r.id} was approved for the old times: the worker holds it; "
        f"`afterview outbox reschedule {r.id}` sends it in the new window"
        for r in rows
    ]


def _drop_thank_yous(ctx: Context, iv: Interview, people: list[Person]) -> list[str]:
    """Remove what hung on the thank-you actions the new interviewers no longer give
    (marks, drafts; outbox messages not sent are cancelled); refused while one of their
    messages is being sent or may have gone out."""
    dropped = sorted(_action(iv.id, list(iv.interviewers)) - _action(iv.id, people))
    busy = edits.sending_for(ctx.db, ctx.account, dropped)
    if busy:
        raise Refused(
            f"outbox message {busy[0]} to an interviewer you remove is being sent, or may "
            f"have gone out: settle it first (`afterview outbox show {busy[0]}`); nothing "
            "was changed"
        )
    out = []
    for action_id in dropped:
        gone = edits.drop_action_records(ctx.db, ctx.account, action_id, ctx.now)
        names = {"marks": "mark", "drafts": "draft", "outbox_cancelled": "outbox message"}
        what = [
            counted(n, names[k]) + (" cancelled" if k == "outbox_cancelled" else "")
            for k, n in gone.items()
            if n
        ]
        if what:
            out.append(f"{action_id}: removed {', '.join(what)}")
    return out
