"""`afterview service install|status|uninstall`: keep the worker running for you."""

from __future__ import annotations

from typing import Any

import click

from afterview.cli.app import cli, emit_json, json_option, settings, want_json

_DRY_RUN = click.option(
    "--dry-run", is_flag=True, help="Print what would be written and run; change nothing."
)


@cli.group("service")
def service() -> None:
    """Keep the worker running: a systemd user service (Linux), a launchd agent (macOS) or a
    scheduled task at logon (Windows) that runs `afterview run` on this database."""


def _warn(line: str) -> None:
    click.echo(f"afterview: warning: {line}", err=True)


def _plan_json(plan: Any, done: list[str] | None) -> dict[str, Any]:
    return {
        "system": plan.system,
        "path": plan.path,
        "content": plan.content,
        "commands": plan.commands,
        "notes": plan.notes,
        "done": done,
    }


@service.command("install")
@_DRY_RUN
@json_option
def service_install(dry_run: bool, as_json: bool) -> None:
    """Install the worker as a service and start it: it runs now and at every login.

    It runs this Python's `afterview run` on the database and config file in use
    (AFTERVIEW_DB and AFTERVIEW_CONFIG in the unit). Installing again replaces it. When
    `systemctl --user` cannot be used here (no user session bus: a container, ssh
    without lingering), the unit is written and the command exits 1 with the commands
    to run in a login session.
    """
    from afterview.config import config_path
    from afterview.services import worker_service
    from afterview.services.context import default_db_target

    s = settings()
    ctx = s.context()
    plan = worker_service.install_plan(s.db or default_db_target(), config_path())
    for line in worker_service.passwords_only_here(ctx):
        _warn(line)
    if dry_run:
        if want_json(as_json):
            emit_json(_plan_json(plan, None))
            return
        if plan.path is not None:
            click.echo(f"would write {plan.path}:")
            click.echo(plan.content.rstrip("\n"))
        for argv in plan.commands:
            click.echo("would run: " + " ".join(argv))
        for note in plan.notes:
            _warn(note)
        return
    for note in plan.notes:
        _warn(note)
    done = worker_service.install(plan)
    if want_json(as_json):
        emit_json(_plan_json(plan, done))
        return
    for line in done:
        click.echo(line)
    click.echo(
        "The worker runs now and at every login; `afterview service status` shows its last pass."
    )


@service.command("status")
@json_option
def service_status(as_json: bool) -> None:
    """Whether the service is installed and running, and when the worker last ran."""
    from afterview.services import worker_service, worker_status
    from afterview.services.views import iso
    from afterview.timewords import moment, relative

    ctx = settings().context()
    last = worker_status.last_pass(ctx)
    st = worker_service.status(last, worker_status.worker_running(last, ctx.now))
    if want_json(as_json):
        emit_json(
            {
                "system": st.system,
                "path": st.path,
                "installed": st.installed,
                "state": st.state,
                "worker_running": st.worker_running,
                "last_pass": None
                if last is None
                else {
                    "at": iso(last.at, ctx.user_tz),
                    "outcome": last.outcome,
                    "detail": last.detail,
                    "worker": last.worker,
                    "every_seconds": last.every_s,
                },
            }
        )
        return
    where = st.path or "the task scheduler"
    click.echo(f"service    {'installed: ' + where if st.installed else 'not installed'}")
    click.echo(f"state      {st.state}")
    if last is None:
        click.echo("last pass  never on this database")
    else:
        when = f"{moment(last.at, ctx.now, ctx.user_tz)} ({relative(last.at, ctx.now)})"
        click.echo(f"last pass  {when}: {last.outcome}{': ' + last.detail if last.detail else ''}")
    click.echo(f"worker     {'running' if st.worker_running else 'not running'}")
    if not st.worker_running:
        click.echo(
            "Nothing is sent until a worker runs: afterview service install (or afterview run)."
        )


@service.command("uninstall")
@_DRY_RUN
@json_option
def service_uninstall(dry_run: bool, as_json: bool) -> None:
    """Stop the service, disable it and remove its file (the database is not touched)."""
    from afterview.services import worker_service

    plan = worker_service.uninstall_plan()
    if dry_run:
        if want_json(as_json):
            emit_json(_plan_json(plan, None))
            return
        for argv in plan.commands:
            click.echo("would run: " + " ".join(argv))
        if plan.path is not None:
            click.echo(f"would remove {plan.path}")
        return
    done = worker_service.uninstall(plan)
    if want_json(as_json):
        emit_json(_plan_json(plan, done))
        return
    for line in done:
        click.echo(line)
