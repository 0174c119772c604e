"""How the command line words an error the services raise: one function for every path.

Services name a bad value by its field (`decision_by`, `out`, `FILE`); the command line
names the option or argument the user typed for it (`--decision-by`), from the command's
own parameters (`option_for`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from afterview.errors import AfterviewError, BadInput, Refused

#: the option a field is given by, or None when no option of the command gives it
Wording = Callable[[str], "str | None"]


def error_line(exc: AfterviewError, option: Wording | None = None) -> str:
    """The line to print for `exc` (after "afterview: "): its message, a bad value named
    by its option (`option(field)`), and for a refusal the user may override, how to
    insist (`--force`)."""
    if isinstance(exc, Refused) and exc.override:
        return f"{exc}; add --force to {exc.override}"
    if isinstance(exc, BadInput) and option is not None:
        return f"{option(exc.field) or exc.field}: {exc.problem}"
    return str(exc)


def error_parts(exc: AfterviewError, option: Wording | None = None) -> tuple[str | None, str]:
    """`(field, message)` of `exc` as `error_line` words it: the field named by its option
    for a bad value (else None), and the message without the field."""
    if isinstance(exc, BadInput):
        named = option(exc.field) if option is not None else None
        return named or exc.field, exc.problem
    return None, error_line(exc, option)


def error_text(field: str | None, message: str, code: int, as_json: bool) -> str:
    """What an error prints on stderr (secrets hidden): `afterview: FIELD: MESSAGE`, or with
    `--json` one JSON object `{"error": {"field", "message", "exit"}}` on one line."""
    import json

    from afterview.redact import redact

    if as_json:
        body = {"field": field, "message": redact(message), "exit": code}
        return json.dumps({"error": body}, ensure_ascii=False)
    return f"afterview: {redact(f'{field}: {message}' if field else message)}"


def json_wanted(args: list[str]) -> bool:
    """True when a command line asks for JSON (`--json` anywhere before `--`): its errors
    are JSON too, even those found before the line is parsed."""
    words = args[: args.index("--")] if "--" in args else args
    return "--json" in words


def reworded(exc: BadInput, option: Wording) -> BadInput:
    """`exc` with its field named as the command line's option, when one gives it."""
    named = option(exc.field)
    return exc if named is None else BadInput(named, exc.problem)


def option_for(params: Iterable[Any]) -> Wording:
    """The wording of fields by a click command's parameters: a field is given by the
    parameter of its name (`decision_by` -> `--decision-by`, `file` -> `FILE`) or by the
    option spelled like it (`interviewer` -> `--interviewer` of `interviewers`)."""
    import click

    from afterview.cli.app import field_name

    listed = list(params)

    def option(field: str) -> str | None:
        dashed = "--" + field.replace("_", "-")
        for p in listed:
            if p.name == field or (isinstance(p, click.Option) and dashed in p.opts):
                return field_name(p)
        return None

    return option
