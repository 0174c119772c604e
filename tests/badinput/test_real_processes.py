"""A sample of the bad-input table through real processes: what a shell really passes.

The in-process table runs `main()` with Python strings; here the arguments are
bytes given to a new interpreter (bytes that are not UTF-8 among them), and the
whole of stderr is what a user sees: one line, never a traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.badinput.conftest import NOW, Seeded
from tests.badinput.runner import content

SAMPLE: list[tuple[str, list[bytes], int]] = [
    ("latin-1 company", [b"application", b"add", b"--company", b"Caf\xe9", b"--role", b"R"], 2),
    ("latin-1 id", [b"interview", b"show", b"\xb2"], 2),
    ("superscript id", [b"interview", b"show", "²".encode()], 2),
    ("arabic digit id", [b"interview", b"show", "١".encode()], 2),
    ("120k-digit id", [b"interview", b"show", b"9" * 120_000], 2),
    (
        "encoded line break",
        [
            b"application",
            b"add",
            b"--company",
            b"A",
            b"--role",
            b"=?utf-8?q?Engineer=0D=0AReply-To:_x@evil.example?=",
        ],
        2,
    ),
    ("escape", [b"interview", b"note", b"1", b"--topic", b"x\x1b[2J"], 2),
    ("year 9999", [b"interview", b"update", b"6", b"--decision-by", b"9999-12-31"], 2),
    ("year 1", [b"log", b"1", b"--received", b"--at", b"0001-01-01T00:00"], 2),
    ("edit: unknown id", [b"interview", b"edit", b"99999", b"--tz", b"UTC"], 1),
    ("edit: empty name", [b"person", b"edit", b"7", b"--name", b""], 2),
    ("edit: invalid zone", [b"interview", b"edit", b"6", b"--tz", b"Europe"], 2),
    (
        "edit: a start the clocks skip",
        [b"interview", b"edit", b"6", b"--start", b"2027-03-28T02:30"],
        2,
    ),
    ("edit: latin-1 role", [b"application", b"edit", b"1", b"--role", b"Caf\xe9"], 2),
    ("delete: unknown id", [b"message", b"delete", b"99999"], 1),
    (
        "week date",
        [
            b"application",
            b"add",
            b"--company",
            b"A",
            b"--role",
            b"B",
            b"--applied-on",
            b"2026-W47-1",
        ],
        2,
    ),
    (
        "folder zone",
        [
            b"interview",
            b"add",
            b"--company",
            b"A",
            b"--role",
            b"B",
            b"--start",
            b"2026-12-01T10:00",
            b"--tz",
            b"Europe",
        ],
        2,
    ),
    (
        "long zone",
        [
            b"interview",
            b"add",
            b"--company",
            b"A",
            b"--role",
            b"B",
            b"--start",
            b"2026-12-01T10:00",
            b"--tz",
            b"x" * 300,
        ],
        2,
    ),
    ("empty --at", [b"outbox", b"reschedule", b"1", b"--at", b""], 2),
    ("empty --now", [b"--now", b"", b"agenda"], 2),
    ("usage", [b"interview", b"add"], 2),
    ("sent and received", [b"log", b"1", b"--sent", b"--received"], 2),
    ("unknown id", [b"done", b"thank_you:999:1"], 1),
]


def _run(seeded: Seeded, argv: list[bytes], code: int) -> None:
    env = {k: v for k, v in os.environ.items() if k != "AFTERVIEW_NOW"}
    args = [b"--db", seeded.url.encode(), b"--now", NOW.encode(), *argv]
    if argv[0] == b"--now":
        args = [b"--db", seeded.url.encode(), *argv]
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"afterview", *args],
        capture_output=True,
        env=env,
        timeout=60,
        check=False,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == code, err
    assert len(err.splitlines()) == 1 and err.startswith("afterview: "), err[:600]
    assert "Traceback" not in err
    assert content(seeded.url) == seeded.baseline


@pytest.mark.parametrize("seeded", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("label", "argv", "code"), SAMPLE, ids=[s[0] for s in SAMPLE])
def test_a_real_process_prints_one_line_and_writes_nothing(
    user_env: Seeded, label: str, argv: list[bytes], code: int
) -> None:
    _run(user_env, argv, code)


@pytest.mark.postgres
@pytest.mark.parametrize("seeded", ["postgresql"], indirect=True)
@pytest.mark.parametrize(
    ("label", "argv", "code"), SAMPLE[:2] + SAMPLE[7:9], ids=lambda v: str(v)[:20]
)
def test_the_same_on_postgresql(user_env: Seeded, label: str, argv: list[bytes], code: int) -> None:
    _run(user_env, argv, code)
