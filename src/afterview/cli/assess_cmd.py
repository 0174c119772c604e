"""`afterview assess`: a self-assessment, by flags or by answering prompts."""

from __future__ import annotations

import sys

import click

from afterview.cli.app import cli, emit_json, json_option, parse_id_arg, settings, want_json
from afterview.cli.id_completion import complete_interviews


def _prompt(
    rubric: tuple[str, ...],
) -> tuple[list[str], list[str], str | None, str | None, int | None]:
    click.echo("Score each item from 1 (poor) to 5 (excellent); press Enter to leave one out.")
    scores: list[str] = []
    for key in rubric:
        value = click.prompt(
            f"  {key}",
            default="",
            show_default=False,
            type=click.Choice(["", "1", "2", "3", "4", "5"]),
            show_choices=False,
        )
        if value:
            scores.append(f"{key}={value}")
    click.echo("The questions you were asked, one per line; an empty line ends the list.")
    asked: list[str] = []
    while len(asked) < 100:
        q = click.prompt("  asked", default="", show_default=False).strip()
        if not q:
            break
        asked.append(q)
    went = click.prompt("What went well", default="", show_default=False).strip() or None
    better = click.prompt("What to improve", default="", show_default=False).strip() or None
    conf = click.prompt(
        "Your estimate that you move on (0-100, Enter to skip)", default="", show_default=False
    ).strip()
    if conf and not conf.isdigit():
        raise click.BadParameter("expected a whole number from 0 to 100", param_hint="confidence")
    return scores, asked, went, better, int(conf) if conf else None


@cli.command("assess")
@click.argument("interview_id", metavar="INTERVIEW", shell_complete=complete_interviews)
@click.option(
    "--score", "scores", multiple=True, metavar="KEY=1..5", help="A rubric score (repeatable)."
)
@click.option(
    "--asked", multiple=True, metavar="TEXT", help="A question you were asked (repeatable)."
)
@click.option("--went-well", metavar="TEXT", help="What went well.")
@click.option("--improve", metavar="TEXT", help="What to do better next time.")
@click.option(
    "--confidence", type=int, metavar="0..100", help="Your estimate (%) that you move on."
)
@click.option(
    "--at",
    metavar="DATETIME",
    help="When you assessed it (default now; naive: the interview's zone).",
)
@json_option
def assess(
    interview_id: str,
    scores: tuple[str, ...],
    asked: tuple[str, ...],
    went_well: str | None,
    improve: str | None,
    confidence: int | None,
    at: str | None,
    as_json: bool,
) -> None:
    """Gauge your own performance: rubric, questions asked, what went well, what to improve."""
    from afterview.services.assessing import assess as record

    ctx = settings().context()
    iv_id = parse_id_arg(interview_id, "INTERVIEW")
    given = (
        scores or asked or went_well is not None or improve is not None or confidence is not None
    )
    if not given and sys.stdin.isatty():
        ctx.interview(iv_id)
        s, a, w, i, c = _prompt(ctx.config.rubric)
        row = record(ctx, iv_id, s, a, w, i, c, at=at)
    else:
        row = record(ctx, iv_id, list(scores), list(asked), went_well, improve, confidence, at=at)
    data = {
        "interview_id": iv_id,
        "at": row.at.isoformat(),
        "scores": row.scores,
        "asked": row.asked,
        "went_well": row.went_well,
        "improve": row.improve,
        "confidence": row.confidence,
    }
    if want_json(as_json):
        emit_json(data)
    else:
        click.echo(f"Self-assessment of interview {iv_id} recorded.")
