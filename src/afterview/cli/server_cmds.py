"""`afterview server ...`: set up and run afterview for many accounts on one PostgreSQL."""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

import click

from afterview.cli.app import UserError, cli, emit_json, json_option, settings, want_json


@cli.group("server")
def server() -> None:
    """Server mode: many job seekers and their coaches on one PostgreSQL, each account's
    rows kept to it by the database itself (row-level security)."""


def _settings() -> Any:
    from afterview.server.settings import load

    return load()


def _now() -> datetime:
    from afterview.cli.session import read_now

    return read_now(settings().now)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


@server.command("init")
@click.option(
    "--admin-db",
    required=True,
    metavar="URL",
    help="PostgreSQL URL of the tables' owner (runs the migrations).",
)
@click.option(
    "--app-db",
    required=True,
    metavar="URL",
    help="PostgreSQL URL of the application's role (created when missing).",
)
@click.option(
    "--url",
    "public_url",
    required=True,
    metavar="URL",
    help="The address users open, https://… (links in mail).",
)
@click.option(
    "--secret-file",
    metavar="PATH",
    help="Where the server secret is kept [default: server-secret beside server.toml].",
)
@json_option
def server_init(
    admin_db: str, app_db: str, public_url: str, secret_file: str | None, as_json: bool
) -> None:
    """Set a server up: migrate the database as its owner, make the application's role
    (it may not bypass row-level security), create the server secret and write
    server.toml (AFTERVIEW_SERVER_CONFIG names another file). Running it again is safe."""  # fmt: skip
    import os

    from afterview.server import admin
    from afterview.server.settings import settings_path

    path = settings_path()
    secret = secret_file or os.path.join(os.path.dirname(path), "server-secret")
    report = admin.init(admin_db, app_db, public_url, secret, path)
    if want_json(as_json):
        emit_json(
            {
                "settings": report.settings.path,
                "secret_file": report.settings.secret_file,
                "secret_created": report.secret_created,
                "schema": {"from": report.schema_from, "to": report.schema_to},
                "app_role": report.role,
                "app_role_created": report.role_created,
            }
        )
        return
    click.echo(f"Database at schema {report.schema_to} (was {report.schema_from}).")
    made = "created" if report.role_created else "checked"
    click.echo(f"Application role {report.role} {made}: held by row-level security.")
    kept = "created" if report.secret_created else "kept"
    click.echo(f"Server secret {kept}: {report.settings.secret_file}")
    click.echo(f"Settings written: {report.settings.path}")
    click.echo("Next: afterview server user add EMAIL --role admin")


@server.command("upgrade")
@json_option
def server_upgrade(as_json: bool) -> None:
    """Bring the database to this afterview's schema and grant the application's role the
    new tables; safe while other processes start (one migrates, the others wait)."""
    from afterview.server import admin

    before, after = admin.upgrade(_settings())
    if want_json(as_json):
        emit_json({"schema": {"from": before, "to": after}})
        return
    click.echo(f"Database at schema {after} (was {before}).")


@server.command("run")
@click.option(
    "--host",
    "bind",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on (the reverse proxy's side).",
)
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(1, 65535),
    help="The port to listen on.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Web processes (one per CPU is a good start).",
)
@click.option(
    "--trusted-proxy",
    "proxies",
    multiple=True,
    metavar="ADDRESS",
    help="A reverse proxy whose X-Forwarded-For/-Proto are believed (repeat).",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Another host name the app answers to, besides the one of server.toml's url.",
)
@json_option
def server_run(
    bind: str,
    port: int,
    workers: int,
    proxies: tuple[str, ...],
    allow_hosts: tuple[str, ...],
    as_json: bool,
) -> None:
    """Run the web app for every account: each request signed in, each account's rows its
    own. Migrates first when server.toml has an admin_database (one process migrates,
    the others wait); else refuses a database that is behind (`server upgrade`)."""  # fmt: skip
    import os

    from afterview.cli.serve_cmd import run_processes
    from afterview.mail.headers import check_host
    from afterview.server import admin

    check_host(bind, "--host")
    for name in (*allow_hosts, *proxies):
        check_host(name, "--allow-host" if name in allow_hosts else "--trusted-proxy")
    s = _settings()
    now = settings().now
    if now is not None:
        _now()  # checked here, read again in each process
        os.environ["AFTERVIEW_NOW"] = now
    if s.admin_database is not None:
        admin.upgrade(s)
    admin.check_app_database(s)
    os.environ["AFTERVIEW_SERVER_CONFIG"] = s.path
    os.environ["AFTERVIEW_SERVER_HOSTS"] = ",".join(h.lower() for h in allow_hosts)
    url = f"http://{bind}:{port}/"
    click.echo(
        f"afterview server at {url} for {s.url} ({workers} processes; Ctrl+C stops it)", err=True
    )
    if want_json(as_json):
        emit_json({"url": url, "public_url": s.url, "workers": workers})
        sys.stdout.flush()
    run_processes("afterview.web.server_app:create", bind, port, workers, proxies)


@server.command("worker")
@click.option(
    "--once", is_flag=True, help="One pass over every account, then stop (cron, a timer)."
)
@click.option(
    "--interval",
    default=60.0,
    show_default=True,
    type=click.FloatRange(0.05, 3600),
    help="Seconds between passes.",
)
@json_option
def server_worker(once: bool, interval: float, as_json: bool) -> None:
    """Send and read mail for every account with mail settings, each as itself: its
    sealed secrets, its rows only, each message at most once. Run several at once: they
    share the accounts (one worker per account at a time)."""  # fmt: skip
    import time

    from afterview.config import load_config
    from afterview.server import admin
    from afterview.server.worker import Worker
    from afterview.services.context import connect_for_requests

    s = _settings()
    fixed = settings().now
    config = load_config()
    admin.check_app_database(s)
    work = Worker(
        lambda: connect_for_requests(s.database), config, s.secret_file, None if once else interval
    )
    try:
        while True:
            now = _now()
            done = work.pass_once(now, fixed is not None)
            _show_pass(done, as_json)
            if once:
                failed = [p for p in done if p.error]
                if failed:
                    raise SystemExit(1)
                return
            time.sleep(interval)
    finally:
        work.close()


def _show_pass(done: list[Any], as_json: bool) -> None:
    if want_json(as_json):
        emit_json(
            {
                "accounts": [
                    {
                        "account": p.account,
                        "error": p.error,
                        "sent": list(p.tick.report.sent) if p.tick else [],
                    }
                    for p in done
                ]
            }
        )
        return
    sent = sum(len(p.tick.report.sent) for p in done if p.tick)
    failed = [p for p in done if p.error]
    click.echo(f"{len(done)} accounts served, {sent} sent, {len(failed)} failed")
    for p in failed:
        click.echo(f"afterview: account {p.account}: {p.error}", err=True)


@server.command("rotate-secret")
@json_option
def server_rotate_secret(as_json: bool) -> None:
    """Replace the server secret and seal every account's mail secrets again with the new
    one; the old one is dropped. Running servers read the new file by themselves."""
    from afterview.server import admin

    count = admin.rotate_secret(_settings())
    if want_json(as_json):
        emit_json({"resealed": count})
        return
    click.echo(f"Server secret replaced; {count} mail secrets sealed again.")


@server.group("user")
def user() -> None:
    """The server's accounts: add, list, disable, enable, set a password, delete."""


def _read_password(from_stdin: bool, email: str, required: bool) -> str | None:
    """The password from one line of stdin, or asked twice on a terminal; None when
    neither (the account cannot sign in until one is set)."""
    from afterview.server.passwords import check_password

    if from_stdin:
        line = sys.stdin.readline()
        return check_password(line.removesuffix("\n").removesuffix("\r"))
    if sys.stdin.isatty():
        while True:
            first = click.prompt(f"Password for {email}", hide_input=True)
            try:
                check_password(first)
            except Exception as exc:
                click.echo(f"afterview: {exc}", err=True)
                continue
            again = click.prompt("Again", hide_input=True)
            if first == again:
                return str(first)
            click.echo("afterview: the two passwords differ; once more", err=True)
    if required:
        raise UserError.named("password", "give it on stdin with --password-stdin")
    return None


_PASSWORD_STDIN = click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)


def _user_json(u: Any) -> dict[str, Any]:
    return {
        "account": u.account,
        "email": u.email,
        "name": u.name,
        "role": u.role,
        "created_at": _iso(u.created_at),
        "disabled_at": _iso(u.disabled_at),
        "locked_until": _iso(u.locked_until),
        "has_password": u.has_password,
    }


@user.command("add")
@click.argument("email")
@click.option("--name", help="The name shown to the account's coach [default: before the @].")
@click.option(
    "--role", default="seeker", show_default=True, help="seeker, coach, admin or analyst."
)
@_PASSWORD_STDIN
@json_option
def user_add(email: str, name: str | None, role: str, password_stdin: bool, as_json: bool) -> None:
    """Add an account that signs in with EMAIL. On a terminal the password is asked twice;
    without one (piped, no --password-stdin) the account cannot sign in until
    `server user password` sets one."""  # fmt: skip
    from afterview.server import admin

    now = _now()
    password = _read_password(password_stdin, email, required=False)
    account = admin.add_user(_settings(), email, name, role, password, now)
    if want_json(as_json):
        emit_json({"account": account, "email": email.strip().lower(), "role": role})
        return
    click.echo(account)
    if password is None:
        click.echo(
            f"afterview: {email.strip().lower()} has no password yet: "
            "afterview server user password EMAIL",
            err=True,
        )


@user.command("invite")
@click.argument("email")
@click.option("--name", help="The name shown to the account's coach [default: before the @].")
@click.option(
    "--role",
    default="seeker",
    show_default=True,
    help="seeker, coach, admin or analyst (a new account's).",
)
@click.option("--print", "print_only", is_flag=True, help="Print the link instead of mailing it.")
@json_option
def user_invite(email: str, name: str | None, role: str, print_only: bool, as_json: bool) -> None:
    """Mail EMAIL a link to choose a password (7 days), making the account if it has none;
    `--print` prints the link to hand over yourself (no [mail] in server.toml needed)."""  # fmt: skip
    from afterview.server import admin

    now = _now()
    account, link, new = admin.invite_user(_settings(), email, name, role, now, not print_only)
    if want_json(as_json):
        emit_json({"account": account, "new": new, "link": link if print_only else None})
        return
    if print_only:
        click.echo(link)
    else:
        click.echo(f"Invitation mailed to {email.strip().lower()} (account {account}).")


@user.command("list")
@json_option
def user_list(as_json: bool) -> None:
    """List the server's accounts: email, role, whether each can sign in."""
    from afterview.server import admin

    users = admin.list_users(_settings())
    if want_json(as_json):
        emit_json({"users": [_user_json(u) for u in users]})
        return
    if not users:
        click.echo("No accounts yet: afterview server user add EMAIL --role admin")
        return
    for u in users:
        state = "disabled" if u.disabled_at else ("no password" if not u.has_password else "active")
        click.echo(f"{u.account:>6}  {u.role:<8} {state:<12} {u.email}")


@user.command("disable")
@click.argument("email")
@json_option
def user_disable(email: str, as_json: bool) -> None:
    """Stop an account from signing in and end its sessions; its data stays."""
    from afterview.server import admin

    account = admin.set_disabled(_settings(), email, _now())
    _done(as_json, account, "disabled")


@user.command("enable")
@click.argument("email")
@json_option
def user_enable(email: str, as_json: bool) -> None:
    """Let a disabled account sign in again."""
    from afterview.server import admin

    account = admin.set_disabled(_settings(), email, None)
    _done(as_json, account, "enabled")


@user.command("password")
@click.argument("email")
@_PASSWORD_STDIN
@json_option
def user_password(email: str, password_stdin: bool, as_json: bool) -> None:
    """Set an account's password (asked twice on a terminal) and end its sessions."""
    from afterview.server import admin

    now = _now()
    password = _read_password(password_stdin, email, required=True)
    assert password is not None
    account = admin.set_password(_settings(), email, password, now)
    _done(as_json, account, "password set")


@user.command("export")
@click.argument("email")
@click.option(
    "--out", "out_file", metavar="FILE", help="Write it to FILE (0600) instead of stdout."
)
@json_option
def user_export(email: str, out_file: str | None, as_json: bool) -> None:
    """An account's data as the project's JSON export (what it would export itself; no
    mail secret is in it): keep it before `server user delete`."""  # fmt: skip
    from afterview.outfile import replace_text
    from afterview.server import admin

    account, text = admin.export_user(_settings(), email, _now())
    if out_file is None:
        click.echo(text, nl=False)
        return
    try:
        replace_text(out_file, text, 0o600)
    except OSError as exc:
        raise UserError.named("out", f"cannot write {out_file} ({exc.strerror})") from None
    if want_json(as_json):
        emit_json({"account": account, "out": out_file})
        return
    click.echo(f"Account {account} exported to {out_file}.")


@user.command("delete")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Erase without asking (scripts).")
@json_option
def user_delete(email: str, yes: bool, as_json: bool) -> None:
    """Erase an account and everything it holds, its history included; this cannot be
    undone. Export it first: the account's own `afterview export` (or the web's)."""
    from afterview.server import admin

    if not yes:
        if not sys.stdin.isatty():
            raise UserError.named(
                "yes",
                "erasing an account cannot be undone: keep a copy with `afterview server user "
                "export EMAIL --out FILE`, then add --yes",
            )
        click.echo(
            f"Keep a copy first: afterview server user export {email.strip().lower()} --out FILE"
        )
        click.confirm(
            f"Erase {email.strip().lower()} and everything it holds? This cannot be undone",
            abort=True,
        )
    account, rows = admin.delete_user(_settings(), email)
    if want_json(as_json):
        emit_json({"account": account, "erased": True, "rows": rows})
        return
    click.echo(f"Erased account {account}: {rows} rows.")


def _done(as_json: bool, account: int, what: str) -> None:
    if want_json(as_json):
        emit_json({"account": account, "done": what})
        return
    click.echo(f"Account {account}: {what}.")
