"""`afterview init`: the first settings, asked on a terminal or given as options.

It asks (on a terminal) or takes (`--name`, `--email`, `--timezone`, `--country`,
`--weekly-target`) what the plan and the drafts need, checks every value as at start-up
and writes them to `config.toml` in one go (`services/settings_edit.save_settings`): a
file that exists keeps its comments and other settings, the previous one stays as
`.bak`. Run again, it changes only what it is given. On a terminal each answer is
checked as it is given (`settings_edit.check_settings`, nothing written) and a refused
one is said in one line, in words, and asked again.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from afterview.cli.app import cli, emit_json, json_option, want_json

#: (option, prompt, the settings key) in the order they are asked
QUESTIONS = (
    ("name", "Your name (it signs your drafts)", "name"),
    ("email", "Your e-mail address (mail from it is yours, not an interviewer's)", "email"),
    ("timezone", "Your time zone", "timezone"),
    ("country", "Your country, for its public holidays (e.g. FR; empty: none)", "country"),
    ("weekly_target", "Applications you aim to send each week", "playbook.weekly_target"),
)

#: how a refused answer is said on a terminal, before the reason
REFUSED = {
    "name": "That name cannot sign your drafts",
    "email": "That is not an e-mail address afterview can use",
    "timezone": "That is not a time zone afterview knows",
    "country": "That is not a country afterview knows public holidays for",
    "weekly_target": "That is not a weekly target afterview can use",
}

if TYPE_CHECKING:
    from afterview.services.context import Context


@cli.command("init")
@click.option("--name", metavar="NAME", help="Your name (signs your drafts).")
@click.option("--email", metavar="ADDRESS", help="Your e-mail address.")
@click.option("--timezone", metavar="ZONE", help="An IANA zone (default: this computer's).")
@click.option("--country", metavar="CODE", help="A country code for public holidays (FR).")
@click.option("--weekly-target", metavar="N", help="Applications to send each week (default 5).")
@json_option
def init_cmd(
    name: str | None,
    email: str | None,
    timezone: str | None,
    country: str | None,
    weekly_target: str | None,
    as_json: bool,
) -> None:
    """Write your first settings: asked one by one on a terminal, or given as options."""
    from afterview.cli.app import settings
    from afterview.clock import system_zone
    from afterview.errors import BadInput
    from afterview.services.settings_edit import save_settings

    ctx = settings().context()
    given = {
        "name": name,
        "email": email,
        "timezone": timezone,
        "country": country,
        "weekly_target": weekly_target,
    }
    current = {
        "name": ctx.config.my_name,
        "email": ctx.config.my_email,
        "timezone": ctx.config.timezone or system_zone(),
        "country": ctx.config.country,
        "weekly_target": str(ctx.config.playbook.weekly_target),
    }
    ask = sys.stdin.isatty() and all(v is None for v in given.values()) and not want_json(as_json)
    values: dict[str, str] = {}
    try:
        for option, prompt, key in QUESTIONS:
            value = given[option]
            if value is None and ask:
                value = _ask(ctx, values, option, prompt, current[option] or "")
            if value is not None:
                values[key] = value
        if not values:
            raise click.UsageError(
                "give at least one of --name, --email, --timezone, --country, --weekly-target "
                "(or run it on a terminal to be asked)"
            )
        config = save_settings(
            ctx, values, new_file_comment="afterview settings: afterview config show lists them all"
        )
    except BadInput as exc:  # named by the setting; the command line words it as its option
        raise BadInput(_option(exc.field), exc.problem) from None
    if want_json(as_json):
        emit_json(
            {"path": str(config.path), "set": {k: v.strip() or None for k, v in values.items()}}
        )
        return
    click.echo(f"Settings written to {config.path}:")
    for option, _prompt, key in QUESTIONS:
        if key in values:
            shown = values[key].strip() or "(not set)"
            click.echo(f"  {option.replace('_', ' ')}: {shown}")
    click.echo('Next: afterview interview add --company C --role R --start "today 14:00"')


def _option(field: str) -> str:
    """The question (and option) a setting's field name belongs to."""
    return field.removeprefix("config ").removeprefix("playbook.").removeprefix("me.")


def _ask(ctx: Context, values: dict[str, str], option: str, prompt: str, default: str) -> str:
    """Ask one question until its answer passes the checks `save_settings` makes (with
    the answers before it), nothing written; a refused answer is said in one line."""
    from afterview.errors import BadInput
    from afterview.services.settings_edit import check_settings

    key = next(k for o, _p, k in QUESTIONS if o == option)
    while True:
        answer: str = click.prompt(prompt, default=default, show_default=bool(default))
        try:
            check_settings(ctx, {**values, key: answer})
        except BadInput as exc:
            if _option(exc.field) != option:
                raise
            click.echo(_refusal(option, answer, exc.problem), err=True)
            continue
        return answer


def _refusal(option: str, answer: str, problem: str) -> str:
    """One line saying why `answer` will not do, without an option's name."""
    if option != "timezone":
        return f"{REFUSED[option]}: {problem.rstrip('.')}."
    from afterview.parsing import shown
    from afterview.services.first_run import zone_names

    typed = answer.strip().lower()
    close = [
        name
        for name in zone_names()
        if name.lower() == typed
        or name.lower().rsplit("/", 1)[-1] == typed.rsplit("/", 1)[-1].replace(" ", "_")
    ]
    hint = (
        f"did you mean {close[0]}?" if close else "give one like Europe/Paris or America/New_York."
    )
    return f"{REFUSED[option]}: {shown(answer)}; {hint}"
