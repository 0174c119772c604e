"""Every command and option refuses bad input with one line, its exit code, and no write.

In-process through the real entry point (`main`): every case on SQLite, and on
PostgreSQL every command and every kind of bad value (`conftest.on_postgresql`); a
sample runs through real processes in test_real_processes.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.badinput.cases import BAD, SPECS, Spec, cases
from tests.badinput.conftest import NOW, Seeded, _env, seed
from tests.badinput.runner import Run, check_unchanged, run

CASES = cases()


def _argv(seeded: Seeded, words: list[str], tmp: Path) -> list[str]:
    return ["--db", seeded.url, "--now", NOW, *(w.replace("{tmp}", str(tmp)) for w in words)]


def assert_one_line_refusal(r: Run, code: int, names: tuple[str, ...]) -> None:
    """Exit `code`, nothing but one line on stderr, naming one of `names`, no traceback."""
    lines = r.err.splitlines()
    assert r.code == code, f"exit {r.code}, expected {code}: {r.err[:500]!r} {r.out[:200]!r}"
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}: {r.err[:800]!r}"
    if lines[0].startswith("{"):  # the command line asked for --json: the error is JSON
        body = json.loads(lines[0])["error"]
        assert body["exit"] == code and body["message"], lines[0][:300]
    else:
        assert lines[0].startswith("afterview: "), lines[0][:300]
    assert "Traceback" not in r.err
    assert len(lines[0]) < 400, f"line too long ({len(lines[0])}): {lines[0][:300]}"
    if code == 2:
        assert any(n in lines[0] for n in names), f"does not name {names}: {lines[0][:300]}"


def _names(spec: Spec, opt: str) -> tuple[str, ...]:
    if opt.isupper():
        return (opt, opt.split("_")[0], opt.replace("_", " ").lower(), "ID", "id")
    return (opt,)


def refused(seeded: Seeded, argv: list[str], code: int, names: tuple[str, ...]) -> None:
    """Run `argv`; assert the one-line refusal, then that nothing was written."""
    r = run(argv)
    try:
        assert_one_line_refusal(r, code, names)
    finally:
        check_unchanged(seeded)


@pytest.mark.parametrize(("case", "spec", "opt", "bad", "code"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_value_is_refused_with_one_line_and_writes_nothing(
    user_env: Seeded,
    request: pytest.FixtureRequest,
    case: str,
    spec: Spec,
    opt: str,
    bad: str,
    code: int,
) -> None:
    names = _names(spec, opt) + ((bad,) if bad.startswith("-") else ())  # read as an option
    words = spec.argv(opt, bad)
    # a folder of its own only for the cases that name one (making it costs 5 ms a case)
    tmp = request.getfixturevalue("tmp_path") if any("{tmp}" in w for w in words) else Path("/")
    refused(user_env, _argv(user_env, words, tmp), code, names)


@pytest.mark.parametrize("spec", [s for s in SPECS if s.runs], ids=lambda s: s.name)
def test_each_valid_command_line_of_the_table_succeeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec: Spec
) -> None:
    """The cases above change one value of these: the refusal is that value's doing.

    (On SQLite: the valid forms only anchor the table; PostgreSQL runs the refusals.)
    """
    folder = tmp_path / "seeded"
    for k, v in _env(folder).items():
        monkeypatch.setenv(k, v)
    url = str(folder / "afterview.db")
    seed(url, folder)
    r = run(["--db", url, "--now", NOW, *(w.replace("{tmp}", str(tmp_path)) for w in spec.argv())])
    assert r.code == 0, f"{spec.name}: exit {r.code}: {r.err}"


# -- the global options, and values that only make sense together ---------------------------------
GLOBAL = [
    *[("--now", label, ["--now", v, "agenda"], c) for label, v, c in BAD["datetime"]],
    *[("--now", label, ["--now", v, "agenda", "--json"], c) for label, v, c in BAD["datetime"][:3]],
    ("--db", "empty", ["--db", "", "agenda"], 2),
    ("--db", "empty-json", ["--db", "", "agenda", "--json"], 2),
    ("--db", "empty-write", ["--db", "", "application", "add", "--company", "A", "--role", "B"], 2),
    ("--db", "no-folder", ["--db", "/nonexistent-folder/a.db", "agenda"], 2),
    ("--db", "folder", ["--db", "/tmp", "agenda"], 2),
    ("--db", "bad-utf8", ["--db", "/tmp/caf\udce9.db", "agenda"], 2),
]


@pytest.mark.parametrize(
    ("opt", "label", "argv", "code"), GLOBAL, ids=[f"{g[0]}:{g[1]}" for g in GLOBAL]
)
def test_a_bad_global_option_is_refused(
    user_env: Seeded, opt: str, label: str, argv: list[str], code: int
) -> None:
    full = argv if opt == "--db" else ["--db", user_env.url, *argv]
    refused(user_env, full, code, (opt, opt.lstrip("-") + ":"))


ADD = ["interview", "add", "--company", "A", "--role", "B", "--start", "2026-12-01T10:00"]
TOGETHER = [
    ("sent-and-received", ["log", "1", "--sent", "--received"], 2, ("--sent", "--received")),
    ("neither-sent-nor-received", ["log", "1"], 2, ("--sent", "--received")),
    ("score-twice", ["assess", "1", "--score", "preparation=4", "--score", "preparation=2"], 2, ("--score",)),
    ("score-unknown", ["assess", "1", "--score", "charm=4"], 2, ("--score",)),
    ("score-six", ["assess", "1", "--score", "preparation=6"], 2, ("--score",)),
    ("score-arabic", ["assess", "1", "--score", "preparation=٤"], 2, ("--score",)),
    ("end-and-duration", [*ADD, "--end", "2026-12-01T11:00", "--duration", "30"], 2, ("--end", "--duration")),
    ("end-before-start", [*ADD, "--end", "2026-12-01T09:00"], 2, ("--end",)),
    ("spring-gap", [*ADD[:-1], "2027-03-28T02:30"], 2, ("--start",)),
    ("decision-before-interview", [*ADD, "--decision-by", "2026-11-01"], 2, ("--decision-by",)),
    ("duration-zero", [*ADD, "--duration", "0"], 2, ("--duration",)),
    ("duration-week", [*ADD, "--duration", "10080"], 2, ("--duration",)),
    ("at-in-future", ["log", "1", "--received", "--at", "2026-12-20T10:00"], 2, ("--at",)),
    ("outcome-unknown", ["outcome", "1", "promoted"], 2, ("OUTCOME", "outcome")),
    ("kind-unknown", ["log", "1", "--sent", "--kind", "email"], 2, ("--kind",)),
    ("tag-unknown", ["questions", "tag", "1", "trivia"], 2, ("TAG", "tag")),
    ("confidence-101", ["assess", "1", "--confidence", "101"], 2, ("--confidence",)),
    ("usage-missing-option", ["interview", "add", "--company", "A"], 2, ("--role",)),
    ("usage-unknown-option", ["agenda", "--frobnicate"], 2, ("--frobnicate",)),
    ("usage-unknown-command", ["frobnicate"], 2, ("frobnicate",)),
    ("usage-extra-argument", ["agenda", "extra"], 2, ("extra",)),
    ("port-out-of-range", ["serve", "--port", "99999"], 2, ("--port",)),
    ("done-not-open-yet", ["done", "self_assess:6"], 1, ()),
    ("skip-no-why", ["skip", "self_assess:1"], 2, ("--why",)),
    # correcting records (issue 18)
    ("edit-spring-gap", ["interview", "edit", "6", "--start", "2027-03-28T02:30"], 2, ("--start",)),
    ("edit-end-before-start", ["interview", "edit", "6", "--end", "2026-11-23T09:00"], 2, ("--end",)),
    ("edit-decision-before", ["interview", "edit", "6", "--decision-by", "2026-11-01"], 2, ("--decision-by",)),
    ("edit-list-and-one-by-one", ["interview", "edit", "6", "--interviewer", "A <a@b.example>", "--remove-interviewer", "8"], 2, ("--interviewer",)),
    ("edit-remove-not-on-it", ["interview", "edit", "6", "--remove-interviewer", "1"], 2, ("--remove-interviewer",)),
    ("edit-rename-empty-name", ["interview", "edit", "6", "--rename-interviewer", "7="], 2, ("--rename-interviewer",)),
    ("edit-rename-bad-id", ["interview", "edit", "6", "--rename-interviewer", "x=Bob"], 2, ("--rename-interviewer",)),
    ("edit-remove-unknown-topic", ["interview", "edit", "1", "--remove-topic", "nothing"], 2, ("--remove-topic",)),
    ("application-stage-unknown", ["application", "edit", "1", "--stage", "hired"], 2, ("--stage",)),
    ("application-domain-ip", ["application", "edit", "1", "--mail-domain", "10.0.0.1"], 2, ("--mail-domain",)),
    ("person-address-taken", ["person", "edit", "7", "--email", "hana.sato@hooli.example"], 1, ()),
    ("person-name-with-address", ["person", "edit", "7", "--name", "Gus <gus@x.example>"], 2, ("--name",)),
    ("lead-salary-word", ["lead", "edit", "34", "--salary-min", "lots"], 2, ("--salary-min",)),
    ("lead-salary-order", ["lead", "edit", "34", "--salary-min", "9", "--salary-max", "1"], 2, ("--salary-max",)),
    ("lead-not-a-lead", ["lead", "edit", "1", "--location", "X"], 1, ()),
    ("message-received-thank-you", ["message", "edit", "4", "--kind", "thank_you"], 2, ("--kind",)),
    ("message-spring-gap", ["message", "edit", "4", "--at", "2026-03-29T02:30"], 2, ("--at",)),
    ("message-in-future", ["message", "edit", "4", "--at", "2026-12-20T10:00"], 2, ("--at",)),
    ("message-unknown-zone-of-nothing", ["message", "edit", "99999", "--note", "x"], 1, ()),
    ("assessment-none", ["assessment", "edit", "1", "--confidence", "50"], 1, ()),
    ("assessment-unknown-score", ["assessment", "edit", "2", "--score", "charm=4"], 2, ("--score",)),
    ("assessment-remove-unknown", ["assessment", "edit", "2", "--remove-score", "charm"], 2, ("--remove-score",)),
    ("outcome-clear-with-result", ["outcome", "7", "offer", "--clear"], 2, ("--clear", "OUTCOME")),
    ("outcome-clear-none", ["outcome", "1", "--clear"], 1, ()),
    ("delete-unknown-interview", ["interview", "delete", "99999"], 1, ()),
    ("delete-no-assessment", ["assessment", "delete", "1"], 1, ()),
]  # fmt: skip


@pytest.mark.parametrize(("label", "argv", "code", "names"), TOGETHER, ids=[t[0] for t in TOGETHER])
def test_values_that_do_not_go_together_are_refused(
    user_env: Seeded, label: str, argv: list[str], code: int, names: tuple[str, ...]
) -> None:
    refused(user_env, ["--db", user_env.url, "--now", NOW, *argv], code, names)


def test_the_postgresql_sample_keeps_every_command_and_kind() -> None:
    from tests.badinput.conftest import on_postgresql

    kept = on_postgresql(CASES)
    assert {c[1].name for c in CASES} == {c[1].name for c in CASES if c[0] in kept}
    kinds = {c[0].rsplit(":", 1)[-1] for c in CASES}
    assert kinds == {c.rsplit(":", 1)[-1] for c in kept}
    assert len(CASES) / 4 < len(kept) < len(CASES) / 2
