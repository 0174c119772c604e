"""`afterview draft thank-you|follow-up`: print, write an .eml, or give a mailto: link."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from afterview.cli.app import cli, emit_json, json_option, parse_id_arg, settings, want_json
from afterview.cli.id_completion import complete_interviews
from afterview.errors import BadInput

if TYPE_CHECKING:
    from afterview.services.drafting import EditMode

_to = click.option(
    "--to", metavar="PERSON", help='An interviewer: id, name, e-mail or "Name <email>".'
)
_eml = click.option(
    "--eml",
    "eml_path",
    metavar="FILE",
    help="Write an RFC 5322 .eml file to open in a mail program.",
)
_mailto = click.option("--mailto", "as_mailto", is_flag=True, help="Print a mailto: link instead.")
_approve = click.option(
    "--approve", is_flag=True, help="Approve: put it in the outbox, sent in its ideal window."
)
_force = click.option("--force", is_flag=True, help="With --approve: even past the due time.")
_keep = click.option(
    "--keep", is_flag=True, help="Use the drafts you edited as they are (compose only the others)."
)
_replace = click.option(
    "--replace", is_flag=True, help="Compose new drafts over the ones you edited (your edits go)."
)


def _edits(keep: bool, replace: bool) -> EditMode:
    if keep and replace:
        raise BadInput("--keep/--replace", "give one of them, not both")
    return "keep" if keep else "replace" if replace else "refuse"


@cli.group()
def draft() -> None:
    """Draft messages: a personal thank-you, a polite follow-up.

    A draft you edited (in the web editor or through the API) is yours: drafting
    again is refused until you say --keep (use it) or --replace (write over it).
    """


def _say_edits(drafted: Any) -> None:
    for action_id in drafted.kept:
        click.echo(f"Kept your edited draft of {action_id}.", err=True)
    for action_id in drafted.replaced:
        click.echo(f"Replaced your edited draft of {action_id} with a new one.", err=True)


def _draft_and_approve(
    kind: str, interview_id: int, to: str | None, edits: EditMode, force: bool, as_json: bool
) -> None:
    from afterview.cli.outbox_format import outbox_json
    from afterview.services.approving import draft_and_approve

    ctx = settings().context()
    drafted, rows = draft_and_approve(
        ctx,
        kind,
        interview_id,
        to,
        edits=edits,
        force=force,
    )
    _say_edits(drafted)
    from afterview.cli.worker_words import after_approval

    if want_json(as_json):
        emit_json([outbox_json(ctx, r) for r in rows])
        after_approval(ctx, rows)
        return
    from afterview.services.views import interview_zones
    from afterview.timewords import moment

    zones = interview_zones(ctx, [r.interview_id for r in rows])
    for r in rows:
        when = moment(r.send_at, ctx.now, ctx.user_tz, zones.get(r.interview_id))
        click.echo(
            f"Approved: message {r.id} to {r.to_email} goes out {when}; see `afterview outbox`"
        )
    after_approval(ctx, rows)


def _output(drafted: Any, eml_path: str | None, as_mailto: bool, as_json: bool) -> None:
    from afterview.services import drafting
    from afterview.textcheck import printable

    ctx = settings().context()
    drafts = drafted.drafts
    _say_edits(drafted)
    if want_json(as_json):
        emit_json(
            [
                {
                    "action_id": d.action_id,
                    "kind": d.kind,
                    "to": {"name": d.to.name, "email": d.to.email} if d.to else None,
                    "subject": d.subject,
                    "body": d.body,
                    "mailto": drafting.mailto(d),
                    "edited": d.action_id in drafted.kept,
                }
                for d in drafts
            ]
        )
        return
    if as_mailto:
        click.echo(drafting.mailto(drafts[0]))
        return
    if eml_path:
        click.echo(f"Wrote {eml_path}: open it in your mail program, read it, then send.")
        return
    for n, d in enumerate(drafts):
        if n:
            click.echo("\n" + "-" * 60 + "\n")
        click.echo(click.style(f"# {d.action_id}", fg="cyan"))
        if d.to:
            click.echo(f"To: {printable(d.to.display())}")
        click.echo(f"Subject: {printable(d.subject)}\n")
        click.echo(d.body, nl=False)
    if not ctx.config.my_name:
        click.echo(
            click.style(
                '\nTip: sign your drafts with afterview config set me.name "Your Name"'
                f" (it goes into {ctx.config.path}).",
                dim=True,
            ),
            err=True,
        )


@draft.command("thank-you")
@click.argument("interview_id", metavar="INTERVIEW", shell_complete=complete_interviews)
@_to
@_eml
@_mailto
@_approve
@_force
@_keep
@_replace
@json_option
def thank_you(
    interview_id: str,
    to: str | None,
    eml_path: str | None,
    as_mailto: bool,
    approve: bool,
    force: bool,
    keep: bool,
    replace: bool,
    as_json: bool,
) -> None:
    """A thank-you for each interviewer (each one different), or for --to."""
    from afterview.services import drafting

    edits = _edits(keep, replace)
    iv = parse_id_arg(interview_id, "INTERVIEW")
    if approve:
        _draft_and_approve("thank_you", iv, to, edits, force, as_json)
        return
    ctx = settings().context()
    drafted = drafting.thank_you_drafts(
        ctx,
        iv,
        to,
        edits=edits,
        single=as_mailto,
        eml_path=eml_path,
    )
    _output(drafted, eml_path, as_mailto, as_json)


@draft.command("follow-up")
@click.argument("interview_id", metavar="INTERVIEW", shell_complete=complete_interviews)
@_to
@_eml
@_mailto
@_approve
@_force
@_keep
@_replace
@json_option
def follow_up(
    interview_id: str,
    to: str | None,
    eml_path: str | None,
    as_mailto: bool,
    approve: bool,
    force: bool,
    keep: bool,
    replace: bool,
    as_json: bool,
) -> None:
    """The pending follow-up: short, polite, about the timeline."""
    from afterview.services import drafting

    edits = _edits(keep, replace)
    iv = parse_id_arg(interview_id, "INTERVIEW")
    if approve:
        _draft_and_approve("follow_up", iv, to, edits, force, as_json)
        return
    ctx = settings().context()
    drafted, action = drafting.follow_up_draft(
        ctx,
        iv,
        to,
        edits=edits,
        eml_path=eml_path,
    )
    state = action.state(ctx.now)
    if state.value == "upcoming" and not want_json(as_json):
        click.echo(
            click.style(
                f"Note: {action.id} is not open yet; keep this draft until then.", fg="yellow"
            ),
            err=True,
        )
    _output(drafted, eml_path, as_mailto, as_json)
