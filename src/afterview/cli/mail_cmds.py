"""`afterview mail setup|show|check`, `send`, `outbox …` and `run`: sending from your own mailbox."""

from __future__ import annotations

import sys
from typing import Any

import click

from afterview.cli.app import cli, emit_json, json_option, parse_id_arg, settings, want_json
from afterview.cli.id_completion import complete_messages, complete_send_actions
from afterview.cli.mail_oauth_options import oauth_options
from afterview.cli.outbox_format import message_when, outbox_json
from afterview.errors import BadInput, Refused


def _line(ctx: Any, row: Any, zones: dict[int, str] | None = None) -> str:
    """One message on a line: its moment on the user's clock (with its interview's when
    that clock differs), its action, recipient and subject."""
    from afterview.services.views import interview_zones

    if zones is None:
        zones = interview_zones(ctx, [row.interview_id])
    said = message_when(ctx, row, zones)
    text = f"{row.id:>4}  {row.state:<9}  {said:<22}  {row.action_id}  to {row.to_email}  «{row.subject}»"
    if row.reason:
        text += f"\n      {row.reason}"
    return text


def _show(rows: list[Any], as_json: bool) -> None:
    ctx = settings().context()
    if want_json(as_json):
        emit_json([outbox_json(ctx, r) for r in rows])
        return
    from afterview.services.views import interview_zones

    zones = interview_zones(ctx, [r.interview_id for r in rows])
    for r in rows:
        click.echo(_line(ctx, r, zones))


# -- mail -----------------------------------------------------------------------------------------
@cli.group()
def mail() -> None:
    """Your mail account: where approved messages are sent from, where replies are found."""


def _read_secret(flag: bool, what: str) -> str | None:
    if not flag:
        return None
    value = sys.stdin.readline().rstrip("\r\n")
    if not value:
        option = f"--{what}-stdin" if what.endswith("secret") else f"--{what}-password-stdin"
        raise BadInput(option, "expected the secret on the first line of stdin")
    return value


@mail.command("setup")
@click.option(
    "--provider",
    metavar="NAME",
    help="Fill servers, ports and login for gmail, outlook, icloud, fastmail, yahoo or "
    "proton-bridge (the options you give win).",
)
@click.option("--smtp-host", metavar="HOST", help="Your provider's SMTP server.")
@click.option(
    "--smtp-port", type=int, metavar="N", help="Default: 587 (starttls), 465 (tls), 25 (none)."
)
@click.option("--smtp-security", metavar="starttls|tls|none", help="Default: starttls.")
@click.option(
    "--smtp-user", metavar="USER", help="Login name (often your address); none: no login."
)
@click.option(
    "--from",
    "from_address",
    required=True,
    metavar="ADDRESS",
    help="Your address, on the From line.",
)
@click.option(
    "--from-name", metavar="NAME", help="Your name on the From line (default: [me] name)."
)
@click.option(
    "--imap-host", metavar="HOST", help="Your IMAP server, to find the employer's replies."
)
@click.option(
    "--imap-port", type=int, metavar="N", help="Default: 993 (tls), 143 (starttls, none)."
)
@click.option("--imap-security", metavar="tls|starttls|none", help="Default: tls.")
@click.option("--imap-user", metavar="USER", help="Default: the SMTP user, else your address.")
@click.option(
    "--sent-folder", metavar="FOLDER", help='Keep a copy of each message sent there (e.g. "Sent").'
)
@click.option(
    "--my-address",
    "my_addresses",
    multiple=True,
    metavar="ADDRESS",
    help="Another address of yours (repeatable).",
)
@click.option(
    "--allow-insecure", is_flag=True, help="Allow no encryption to a host that is not this machine."
)
@click.option(
    "--smtp-password-stdin",
    is_flag=True,
    help="Read the SMTP password from stdin into the keyring (else the secrets file).",
)
@click.option(
    "--imap-password-stdin",
    is_flag=True,
    help="Read the IMAP password from stdin into the keyring (else the secrets file).",
)
@oauth_options
@json_option
def mail_setup(
    provider: str | None,
    smtp_host: str | None,
    smtp_port: int | None,
    smtp_security: str | None,
    smtp_user: str | None,
    from_address: str,
    from_name: str | None,
    imap_host: str | None,
    imap_port: int | None,
    imap_security: str | None,
    imap_user: str | None,
    sent_folder: str | None,
    my_addresses: tuple[str, ...],
    allow_insecure: bool,
    smtp_password_stdin: bool,
    imap_password_stdin: bool,
    auth: str,
    oauth_provider: str | None,
    oauth_client_id: str | None,
    oauth_client_secret_stdin: bool,
    as_json: bool,
) -> None:
    """Set up sending (SMTP) and reading replies (IMAP); replaces every mail setting.

    Passwords go to the system keyring (where there is none: the secrets file, readable
    only by you) or come from the environment. Give the IMAP options
    again when you change the SMTP ones: without them there is no mailbox to read,
    and follow-ups go out without a check for replies. `--provider gmail` (and the
    others) fills both servers and the login, and says what the provider needs.
    """
    from afterview.mail.providers import find_provider, with_provider
    from afterview.mail.settings import build_settings
    from afterview.services import mailsetup

    ctx = settings().context()
    given = dict(
        smtp_host=smtp_host, smtp_port=smtp_port, smtp_security=smtp_security, smtp_user=smtp_user,
        from_address=from_address, from_name=from_name or ctx.config.my_name, imap_host=imap_host,
        imap_port=imap_port, imap_security=imap_security, imap_user=imap_user,
        sent_folder=sent_folder, my_addresses=my_addresses, allow_insecure=allow_insecure,
        auth=auth, oauth_provider=oauth_provider, oauth_client_id=oauth_client_id,
    )  # fmt: skip
    checked = build_settings(**with_provider(provider, given))
    done = mailsetup.setup(
        ctx,
        checked,
        smtp_password=_read_secret(smtp_password_stdin, "smtp"),
        imap_password=_read_secret(imap_password_stdin, "imap"),
        client_secret=_read_secret(oauth_client_secret_stdin, "oauth-client-secret"),
    )
    _print_settings(ctx, done.settings, as_json)
    if not want_json(as_json):
        for what, place in done.kept.items():
            if "secrets file" in place:
                click.echo(
                    f"The {what.replace('_', ' ')} is kept {place}: readable only by you, "
                    "not encrypted (a system keyring is used where there is one)."
                )
        if provider is not None:
            p = find_provider(provider)
            click.echo(f"{p.title}: {p.needs}.")
        if done.settings.oauth2:
            click.echo("Next: `afterview mail login` signs in, then `afterview mail check`.")
        else:
            click.echo("Next: `afterview mail check` logs in to both servers.")


def _print_settings(ctx: Any, s: Any, as_json: bool) -> None:
    from afterview.services import mailsetup

    view = mailsetup.describe(s)
    if want_json(as_json):
        emit_json(view)
        return
    for key, value in view.items():
        if isinstance(value, list):
            value = ", ".join(value) or "none"
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        elif value is None:
            value = "none"
        click.echo(f"{key}: {value}")


@mail.command("show")
@json_option
def mail_show(as_json: bool) -> None:
    """The mail settings in force, and where each password comes from (never the password)."""
    from afterview.services.outbox import require_settings

    ctx = settings().context()
    _print_settings(ctx, require_settings(ctx), as_json)


@mail.command("check")
@json_option
def mail_check(as_json: bool) -> None:
    """Log in to the SMTP and IMAP servers and say clearly what fails (DNS, refused, TLS, login)."""
    from afterview.mail.check import check_all
    from afterview.services.outbox import require_settings

    ctx = settings().context()
    results = check_all(require_settings(ctx), ctx.now)
    if want_json(as_json):
        emit_json([r._asdict() for r in results])
    else:
        for r in results:
            click.echo(r.line)
    if not all(r.ok for r in results):
        raise Refused("mail check failed (see above)")


@mail.command("sync")
@click.option(
    "--rescan",
    is_flag=True,
    help="Read INBOX again from the start (after adding an address or a domain).",
)
@json_option
def mail_sync(rescan: bool, as_json: bool) -> None:
    """Read new mail in INBOX (read-only) and record the employer's replies."""
    from afterview.services import replies

    report = replies.sync(settings().context(), rescan=rescan)
    if want_json(as_json):
        emit_json(report._asdict())
        return
    line = f"{report.seen} new messages read, {report.recorded} replies from employers recorded"
    if report.replies > report.recorded:
        line += f" ({report.replies - report.recorded} already known)"
    if report.automatic:
        line += (
            f"; {report.automatic} automatic or mass messages about an interview "
            "(out-of-office, bounce, newsletter) not taken for an answer"
        )
    if report.skipped:
        line += f"; {report.skipped} unreadable messages skipped"
    if report.rescanned:
        line += "; the server renumbered INBOX, so it was read again from the start"
    click.echo(line)


# -- approving --------------------------------------------------------------------------------------
@cli.command("send")
@click.argument("action_id", shell_complete=complete_send_actions)
@click.option("--force", is_flag=True, help="Approve it even past its due time.")
@json_option
def send(action_id: str, force: bool, as_json: bool) -> None:
    """Approve the message of a thank-you or follow-up action: draft it and put it in the outbox."""
    from afterview.services import approving

    ctx = settings().context()
    rows = approving.approve_action(ctx, action_id, force=force)
    _show(rows, as_json)
    from afterview.cli.worker_words import after_approval

    after_approval(ctx, rows)


# -- the outbox ---------------------------------------------------------------------------------------
@cli.group(invoke_without_command=True)
@click.option("--all", "all_", is_flag=True, help="Also sent, failed and cancelled messages.")
@click.option(
    "--limit",
    type=click.IntRange(0, 10**9),
    help="At most N messages (default on a terminal: 50, the latest).",
)
@click.option(
    "--offset", type=click.IntRange(0, 10**9), default=0, help="Skip the latest N messages."
)
@json_option
@click.pass_context
def outbox(cctx: click.Context, all_: bool, limit: int | None, offset: int, as_json: bool) -> None:
    """Approved messages and their states: scheduled, sending, sent, failed, held, uncertain.

    The latest first; piped, one tab-separated line per message."""
    if cctx.invoked_subcommand is not None:
        return
    from afterview.cli.list_cmds import outbox_list

    outbox_list(all_, limit, offset, as_json)


@outbox.command("show")
@click.argument("message_id", metavar="ID", shell_complete=complete_messages)
@json_option
def outbox_show(message_id: str, as_json: bool) -> None:
    """One message, whole."""
    from afterview.services import outbox as service

    ctx = settings().context()
    row = service.get(ctx, parse_id_arg(message_id, "ID"))
    if want_json(as_json):
        emit_json(outbox_json(ctx, row))
        return
    click.echo(_line(ctx, row))
    click.echo(
        f"To: {row.to_name} <{row.to_email}>\nSubject: {row.subject}\nMessage-ID: {row.message_id}\n"
    )
    click.echo(row.body)


@outbox.command("cancel")
@click.argument("message_id", metavar="ID", shell_complete=complete_messages)
@json_option
def outbox_cancel(message_id: str, as_json: bool) -> None:
    """Take a scheduled or held message out (nothing is sent)."""
    from afterview.services import outbox as service

    _show([service.cancel(settings().context(), parse_id_arg(message_id, "ID"))], as_json)


@outbox.command("reschedule")
@click.argument("message_id", metavar="ID", shell_complete=complete_messages)
@click.option("--at", metavar="DATETIME", help="When to send it (default: now).")
@click.option("--force", is_flag=True, help="Allow a time past the action's due time.")
@json_option
def outbox_reschedule(message_id: str, at: str | None, force: bool, as_json: bool) -> None:
    """Send a scheduled, held or failed message at another time (a held or failed one is
    approved again); afterview's own words are written again when they no longer fit it."""
    from afterview.services import outbox as service

    ctx = settings().context()
    message = parse_id_arg(message_id, "ID")
    before = service.get(ctx, message)
    row = service.reschedule(ctx, message, at, force=force)
    _show([row], as_json)
    if (row.subject, row.body) != (before.subject, before.body) and not want_json(as_json):
        click.echo(
            f"Its wording was written again for the new time: read it with "
            f"`afterview outbox show {message}`.",
            err=True,
        )


@outbox.command("edit")
@click.argument("message_id", metavar="ID", shell_complete=complete_messages)
@click.option("--subject", metavar="TEXT", help="A new subject.")
@click.option("--body", metavar="TEXT", help="A new body.")
@click.option(
    "--body-file",
    type=click.File("rb"),
    metavar="FILE",
    help="A new body from a file (- for stdin), in UTF-8 (or UTF-16 with its byte-order mark).",
)
@json_option
def outbox_edit(
    message_id: str, subject: str | None, body: str | None, body_file: Any, as_json: bool
) -> None:
    """Change the subject or the body of a scheduled or held message."""
    from afterview.services import outbox as service

    if body is not None and body_file is not None:
        raise BadInput("--body-file", "give --body or --body-file, not both")
    text = (
        service.body_from_file(body_file.read(service.MAX_BODY_FILE + 1))
        if body_file is not None
        else body
    )
    field = "--body-file" if body_file is not None else "--body"
    ctx = settings().context()
    _show(
        [service.edit(ctx, parse_id_arg(message_id, "ID"), subject, text, body_field=field)],
        as_json,
    )


@outbox.command("confirm")
@click.argument("message_id", metavar="ID", shell_complete=complete_messages)
@click.option(
    "--sent/--not-sent",
    "sent",
    default=None,
    help="Whether it reached the recipient (see your Sent folder).",
)
@json_option
def outbox_confirm(message_id: str, sent: bool | None, as_json: bool) -> None:
    """Settle an uncertain message: it went out (--sent) or not (--not-sent: held for you)."""
    from afterview.services import outbox as service

    if sent is None:
        raise BadInput("--sent/--not-sent", "say which one")
    _show([service.confirm(settings().context(), parse_id_arg(message_id, "ID"), sent)], as_json)


# -- the worker ---------------------------------------------------------------------------------------
@cli.command("run")
@click.option("--once", is_flag=True, help="One pass, then exit (for cron or a systemd timer).")
@click.option(
    "--interval",
    type=click.IntRange(5, 3600),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="Time between passes.",
)
@click.option(
    "--sync-every",
    type=click.IntRange(1, 1440),
    default=5,
    show_default=True,
    metavar="MINUTES",
    help="How often the loop reads the mailbox for replies.",
)
@json_option
def run(once: bool, interval: int, sync_every: int, as_json: bool) -> None:
    """Read replies, then send the approved messages that are due, at most once each (a foreground loop).

    The loop outlives its database: when it goes away, one line says so, the worker
    connects again and goes on. `--once` exits 2 when the mail settings are wrong (a
    login refused, TLS that does not fit the port), 1 when the server refused a message
    or one may have gone out unconfirmed, else 0.
    """
    from datetime import timedelta

    from afterview.services import worker, worker_loop
    from afterview.services.context import default_db_target, open_database

    s = settings()
    ctx = s.context()
    target = s.db or default_db_target()
    single = once or s.now is not None  # a fixed moment: one pass
    said: list[str] = []

    def warn(line: str) -> None:
        click.echo(f"afterview: {line}", err=True)

    def show(result: Any) -> None:
        if want_json(as_json):
            emit_json(
                {"sync": result.synced, "sync_error": result.sync_error, **result.report._asdict()}
            )
        else:
            if result.sync_error:
                click.echo(f"mailbox not read ({result.sync_error}): follow-ups wait", err=True)
            from afterview.cli.worker_words import pass_lines

            for line in pass_lines(loop.ctx, result.report, once=single):
                click.echo(line)
        if not single:  # the loop goes on; say each new problem once
            problem = worker.problem(loop.ctx, result)
            if problem is not None and str(problem) not in said:
                warn(str(problem))
            said[:] = [str(problem)] if problem is not None else []

    loop = worker_loop.Loop(ctx, lambda: open_database(target), warn=warn)
    click.get_current_context().call_on_close(lambda: worker_loop.close(loop.ctx.db))
    result = loop.run(
        once=single,
        interval=interval,
        sync_every=timedelta(minutes=sync_every),
        fixed_now=s.now is not None,
        show=show,
    )
    problem = worker.problem(loop.ctx, result)
    if problem is not None:
        raise problem
