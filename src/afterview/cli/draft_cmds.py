"""`afterview draft thank-you|follow-up`: print, write an .eml, or give a mailto: link."""

from __future__ import annotations

import click

from afterview.cli.app import cli, emit_json, json_option, parse_id_arg, settings, want_json
from afterview.errors import BadInput

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


@cli.group()
def draft() -> None:
    """Draft messages: a personal thank-you, a polite follow-up."""


def _approve_all(drafts: list, force: bool, as_json: bool) -> None:  # type: ignore[type-arg]
    from afterview.cli.mail_cmds import outbox_json
    from afterview.services.approving import approve_drafts

    ctx = settings().context()
    rows = approve_drafts(ctx, drafts, force=force)
    if want_json(as_json):
        emit_json([outbox_json(ctx, r) for r in rows])
        return
    from afterview.timewords import moment

    for r in rows:
        click.echo(
            f"Approved: message {r.id} to {r.to_email} goes out {moment(r.send_at, ctx.now, ctx.user_tz)} "
            "(see `afterview outbox`; `afterview run` sends it)"
        )


def _output(drafts: list, eml_path: str | None, as_mailto: bool, as_json: bool) -> None:  # type: ignore[type-arg]
    from afterview.services import drafting

    ctx = settings().context()
    if (eml_path or as_mailto) and len(drafts) > 1:
        names = ", ".join(d.to.display() for d in drafts if d.to)
        raise BadInput("--to", f"choose one interviewer for --eml or --mailto ({names})")
    if eml_path:
        drafting.write_file(eml_path, drafting.eml(ctx, drafts[0], ctx.now))
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
            click.echo(f"To: {d.to.display()}")
        click.echo(f"Subject: {d.subject}\n")
        click.echo(d.body, nl=False)
    if not ctx.config.my_name:
        click.echo(
            click.style(
                "\nTip: set your name under [me] in the config file to sign drafts.", dim=True
            ),
            err=True,
        )


@draft.command("thank-you")
@click.argument("interview_id", metavar="INTERVIEW")
@_to
@_eml
@_mailto
@_approve
@_force
@json_option
def thank_you(
    interview_id: str,
    to: str | None,
    eml_path: str | None,
    as_mailto: bool,
    approve: bool,
    force: bool,
    as_json: bool,
) -> None:
    """A thank-you for each interviewer (each one different), or for --to."""
    from afterview.services import drafting

    ctx = settings().context()
    drafts = drafting.thank_you_drafts(ctx, parse_id_arg(interview_id, "INTERVIEW"), to)
    if approve:
        _approve_all(drafts, force, as_json)
        return
    _output(drafts, eml_path, as_mailto, as_json)


@draft.command("follow-up")
@click.argument("interview_id", metavar="INTERVIEW")
@_to
@_eml
@_mailto
@_approve
@_force
@json_option
def follow_up(
    interview_id: str,
    to: str | None,
    eml_path: str | None,
    as_mailto: bool,
    approve: bool,
    force: bool,
    as_json: bool,
) -> None:
    """The pending follow-up: short, polite, about the timeline."""
    from afterview.services import drafting

    ctx = settings().context()
    d, action = drafting.follow_up_draft(ctx, parse_id_arg(interview_id, "INTERVIEW"), to)
    if approve:
        _approve_all([d], force, as_json)
        return
    state = action.state(ctx.now)
    if state.value == "upcoming" and not want_json(as_json):
        click.echo(
            click.style(
                f"Note: {action.id} is not open yet; keep this draft until then.", fg="yellow"
            ),
            err=True,
        )
    _output([d], eml_path, as_mailto, as_json)
