"""`afterview profile check`: the CV (JSON Resume) against the LinkedIn export."""

from __future__ import annotations

import sys

import click

from afterview.cli.app import emit_json, json_option, settings, want_json
from afterview.cli.groups import profile

_HEAD = {"high": "High", "medium": "Medium", "low": "Low"}


@profile.command("check")
@click.option(
    "--resume",
    metavar="FILE",
    help="Your CV as JSON Resume (default: [profile] resume in the config).",
)
@click.option(
    "--linkedin",
    metavar="ZIP|DIR",
    help="LinkedIn's data export, the .zip or its folder (default: [profile] linkedin in the config).",
)
@click.option(
    "--mark-reviewed", is_flag=True, help="Mark the profile reviewed even if differences remain."
)
@json_option
def profile_check(
    resume: str | None, linkedin: str | None, mark_reviewed: bool, as_json: bool
) -> None:
    """Compare your CV with your LinkedIn profile: what is missing, stale or contradictory,
    each with its fix. A clean check marks the profile reviewed."""
    from afterview.services import records
    from afterview.services.profile_check import run_check

    ctx = settings().context()
    report = run_check(ctx, resume, linkedin, mark_reviewed)
    if want_json(as_json):
        emit_json(report.as_json())
        return
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    if not report.findings:
        click.echo(
            f"Your CV and your LinkedIn profile agree. Profile marked reviewed {report.at:%Y-%m-%d %H:%M}."
        )
        return
    n = len(report.findings)
    click.echo(f"{n} difference{'s' if n != 1 else ''} between your CV and your LinkedIn profile:")
    for severity, head in _HEAD.items():
        group = [f for f in report.findings if f.severity.value == severity]
        if not group:
            continue
        click.echo(f"\n{head} ({len(group)})")
        for f in group:
            click.echo(f"  - {f.what}")
            click.echo(f"    Fix: {f.fix}")
    click.echo("")
    if report.reviewed_at is not None:
        click.echo(f"Profile marked reviewed {report.reviewed_at:%Y-%m-%d %H:%M} as you asked.")
    elif sys.stdin.isatty() and click.confirm("Mark the profile reviewed anyway?", default=False):
        when = records.profile_reviewed(ctx, None)
        click.echo(f"Profile marked reviewed {when:%Y-%m-%d %H:%M}.")
    else:
        click.echo(
            "Fix these and check again; or, if they are as you want them, "
            "`afterview profile check --mark-reviewed` or `afterview profile reviewed`."
        )
