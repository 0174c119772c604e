"""`afterview questions`: the question bank (list, answer better, tag)."""

from __future__ import annotations

import sys
from typing import Any

import click

from afterview.cli.app import EmptyOK, cli, emit_json, json_option, settings, want_json
from afterview.services.questions import TAGS


@cli.group("questions", invoke_without_command=True)
@click.option("--tag", metavar="TAG", help=f"Only questions with this tag ({', '.join(TAGS)}).")
@click.option("--company", metavar="C", help="Only questions asked at companies matching C.")
@click.option("--search", metavar="WORDS", help="Only questions (or answers) with all these words.")
@json_option
@click.pass_context
def questions(
    click_ctx: click.Context,
    tag: str | None,
    company: str | None,
    search: str | None,
    as_json: bool,
) -> None:
    """The questions you were asked (`assess --asked`), tagged, with your better answers;
    the ones asked more than once are grouped."""
    if click_ctx.invoked_subcommand is not None:
        return
    from afterview.services.questions import question_bank

    bank = question_bank(settings().context(), tag, company, search)
    if want_json(as_json):
        emit_json(bank)
        return
    _print(bank)


def _print(bank: dict[str, Any]) -> None:
    rows = bank["questions"]
    if not rows:
        click.echo("No questions yet: record them with `afterview assess INTERVIEW --asked TEXT`.")
        return
    if bank["repeated"]:
        click.echo("Asked more than once:")
        for g in bank["repeated"]:
            click.echo(
                f"  {g['times']}x  {g['text']}  ({', '.join(g['companies'])}; ids {', '.join(map(str, g['ids']))})"
            )
        click.echo("")
    for r in rows:
        guessed = "?" if r["tag_by"] == "guess" else ""
        click.echo(f"{r['id']:>4}  [{r['tag']}{guessed}]  {r['text']}")
        click.echo(f"      {r['company']}, {r['role']} · {r['asked_at'][:10]}")
        if r["answer"]:
            first = r["answer"].splitlines()[0]
            more = len(first) > 100 or len(r["answer"].splitlines()) > 1
            click.echo(f"      Better answer: {first[:100]}{'…' if more else ''}")
    counts = ", ".join(f"{t} {n}" for t, n in bank["by_tag"].items() if n)
    click.echo(
        f"\n{len(rows)} question{'s' if len(rows) != 1 else ''}: {counts}. A '?' marks a guessed tag."
    )


@questions.command("answer")
@click.argument("question_id", metavar="ID")
@click.option(
    "--text",
    cls=EmptyOK,
    metavar="TEXT",
    help="The better answer (default: your editor, or stdin; empty clears it).",
)
@json_option
def answer_cmd(question_id: str, text: str | None, as_json: bool) -> None:
    """Write the answer you wish you had given (empty text clears it)."""
    from afterview.parsing import parse_id
    from afterview.services.questions import answer, question_exists

    ctx = settings().context()
    qid = parse_id(question_id, "ID")
    if text is None:
        text = _from_editor_or_stdin(question_exists(ctx, qid))
    row = answer(ctx, qid, text)
    if want_json(as_json):
        emit_json(row)
        return
    click.echo(f"Question {row['id']}: " + ("answer kept." if row["answer"] else "answer cleared."))


_MARKER = (
    "# Write your better answer above this line; this line and the question below are left out."
)


def _from_editor_or_stdin(row: dict[str, Any]) -> str:
    if not sys.stdin.isatty():
        from afterview.errors import BadInput

        try:
            read = sys.stdin.read()
        except UnicodeDecodeError:
            raise BadInput("--text", "standard input is not UTF-8 text") from None
        if not read.strip():  # a script's empty input must not wipe what was written
            raise BadInput("--text", "nothing came on standard input; --text '' clears the answer")
        return read
    edited = click.edit(f"{row['answer'] or ''}\n\n{_MARKER}\n# {row['text']}\n")
    if edited is None:
        return str(row["answer"] or "")
    return edited.split(_MARKER, 1)[0]


@questions.command("tag")
@click.argument("question_id", metavar="ID")
@click.argument("tag", metavar="TAG")
@json_option
def tag_cmd(question_id: str, tag: str, as_json: bool) -> None:
    """Set a question's tag by hand (behavioural, technical, motivation, salary, culture,
    other), or `guess` to go back to the guess."""
    from afterview.parsing import parse_id
    from afterview.services.questions import set_tag

    row = set_tag(settings().context(), parse_id(question_id, "ID"), tag)
    if want_json(as_json):
        emit_json(row)
        return
    click.echo(
        f"Question {row['id']}: {row['tag']}" + (" (guessed)" if row["tag_by"] == "guess" else "")
    )
