"""Header injection through every path that reaches a mail header, raw and RFC 2047-encoded.

Each hostile value (tests/sending/header_probe.py: CR LF, LF, CR, NUL, U+2028, U+0085,
and encoded words that decode to them, q and b, any case, utf-8 and iso-8859-1) goes
through each way in: the CLI (application and interview records, interviewers, `--to`,
`outbox edit --subject`, `mail setup`, the config's name), the web forms and the JSON
API (interviews, the draft editor, `PUT /api/drafts`), invitations (.ics) and JSON
`import`. Each is refused with one line naming the field, and nothing is written: the
logical content of every table is the same before and after (real database, both engines).

Values that are fine (a harmless encoded word, long names in many scripts, quotes and
commas) are sent through a real SMTP server (aiosmtpd), and the bytes received hold
exactly one From, To and Subject, no Bcc, no Reply-To, nothing else.

The message-building modules are also run alone on the lowest and the highest Python the
project supports (3.11 and 3.13), in a subprocess without site-packages.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing
from datetime import datetime
from email import policy
from email.parser import BytesHeaderParser, BytesParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from afterview.store.db import connect
from afterview.store.migrations import REVISED_TABLES
from afterview.textcheck import decoded_words, has_control
from afterview.web.app import create_app
from afterview.web.runtime import LOOPBACK_HOSTS, WebSettings
from tests.cli.helpers import Afterview, Run
from tests.conftest import ON_CI
from tests.mailservers import SmtpServer
from tests.sending.header_probe import ACCEPTED, DRAFT, HOSTILE, SENT

NOW = "2026-09-15T17:30"  # the interview (14:00-15:00 Paris) has ended; mail is set up
SRC = Path(__file__).resolve().parents[2] / "src"
PROBE = Path(__file__).with_name("header_probe.py")


def _address(value: str) -> str:
    """The hostile value made into what would otherwise pass for an address."""
    return value.replace(" ", "").replace("Engineer", "ana") + "@acme.example"


def content(db_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the logical content of the database)."""
    db = connect(db_url)
    try:
        return {t: sorted(map(repr, db.query(f"SELECT * FROM {t}"))) for t in REVISED_TABLES}  # type: ignore[misc]
    finally:
        db.close()


class World:
    """An interview (Acme, Data Engineer, Ana Lopez), mail set up, a thank-you scheduled
    in the outbox (message 1); the web app on the same database when a test asks for it."""

    def __init__(self, av: Afterview, db_url: str, tmp: Path, stack: ExitStack) -> None:
        self.av, self.db_url, self.tmp, self._stack = av, db_url, tmp, stack
        self._client: TestClient | None = None

    @property
    def client(self) -> TestClient:
        if self._client is None:
            settings = WebSettings(
                db_target=self.db_url,
                clock=lambda: datetime(2026, 9, 15, 17, 30, tzinfo=ZoneInfo("Europe/Paris")),
                allowed_hosts=(*LOOPBACK_HOSTS, "testserver"),
            )
            client = TestClient(create_app(settings), base_url="http://testserver")
            self._client = self._stack.enter_context(client)
            self._client.get("/")  # the CSRF cookie
        return self._client

    def api(self, method: str, path: str, body: Any = None) -> Any:
        token = self.client.cookies.get("afterview_csrf")
        return self.client.request(method, path, json=body, headers={"X-CSRF-Token": token})

    def form(self, path: str, data: dict[str, str]) -> Any:
        token = self.client.cookies.get("afterview_csrf") or ""
        return self.client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def _build_world(av: Afterview) -> None:
    av.ok(
        "interview", "add", "--company", "Acme", "--role", "Data Engineer",
        "--start", "2026-09-15T14:00", "--interviewer", "Ana Lopez <ana@acme.example>",
        "--decision-by", "2026-09-25", now=NOW,
    )  # fmt: skip
    av.ok(
        "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-port", "2525",
        "--smtp-security", "none", "--from", "sam@example.org", "--from-name", "Sam Rivera",
        now=NOW,
    )  # fmt: skip
    av.ok("send", "thank_you:1:1", now=NOW)


_SQLITE_WORLD: list[Path] = []  # built once, copied for each test (hundreds of them)


@pytest.fixture
def world(
    av: Afterview, db_url: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    if db_url.startswith("postgresql"):
        _build_world(av)
    else:
        if not _SQLITE_WORLD:
            template = tmp_path_factory.mktemp("world") / "world.db"
            _build_world(Afterview(str(template)))
            _SQLITE_WORLD.append(template)
        with (
            closing(sqlite3.connect(_SQLITE_WORLD[0])) as source,
            closing(sqlite3.connect(db_url)) as target,
        ):
            source.backup(target)
    with ExitStack() as stack:
        yield World(av, db_url, tmp_path, stack)


# -- the ways in ----------------------------------------------------------------------------------
# Each returns (failed, one line of error): the exit code or HTTP status, and the message.
def _cli(r: Run) -> tuple[int, str]:
    return r.code, r.err


def _http(r: Any) -> tuple[int, str]:
    if r.headers.get("content-type", "").startswith("application/json"):
        return r.status_code, str(r.json().get("error", r.text)) + "\n"
    found = re.search(r'<p class="error" role="alert">(.*?)</p>', r.text, re.S)
    return r.status_code, (found.group(1) if found else r.text[:200]) + "\n"


def _ics(w: World, summary: str, cn: str) -> tuple[int, str]:
    cn = cn.replace('"', "'")
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
        "UID:inj@globex.example\r\nDTSTAMP:20260901T100000Z\r\n"
        "DTSTART;TZID=Europe/Paris:20260922T140000\r\nDURATION:PT1H\r\n"
        f'SUMMARY:{summary}\r\nORGANIZER;CN="{cn}":mailto:bo@globex.example\r\n'
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    f = w.tmp / "invite.ics"
    f.write_bytes(text.encode("utf-8"))
    return _cli(w.av("interview", "import", str(f), now=NOW))


def _import(w: World, role: str, name: str, email: str) -> tuple[int, str]:
    doc = json.loads(w.av.ok("export", now=NOW).out)
    doc["applications"].append(dict(doc["applications"][0], id=99, role=role))
    doc["people"].append({"id": 99, "name": name, "email": email})
    doc["interviews"].append(
        dict(doc["interviews"][0], id=99, application_id=99, interviewers=[99])
    )
    other = Afterview(str(w.tmp / "import-target.db"))
    f = w.tmp / "doc.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    r = other("import", str(f), now=NOW)
    if r.code == 0:  # the same check must hold for a copy made elsewhere: nothing hostile kept
        return 0, r.err
    assert (
        not (w.tmp / "import-target.db").exists()
        or other.ok("interview", "list", "--json", now=NOW).json() == []
    )
    return r.code, r.err


def _config_name(w: World, value: str) -> tuple[int, str]:
    path = Path(os.environ["AFTERVIEW_CONFIG"])
    saved = path.read_text(encoding="utf-8")
    path.write_text(
        'timezone = "Europe/Paris"\n[me]\nname = '
        + json.dumps(value)
        + '\nemail = "sam@example.org"\n',
        encoding="utf-8",
    )
    try:
        out = w.tmp / "a.eml"
        r = w.av("draft", "thank-you", "1", "--eml", str(out), now=NOW)
        assert not out.exists()
        if r.code == 0:
            return 0, r.err
        r2 = w.av(
            "mail", "setup", "--smtp-host", "127.0.0.1", "--smtp-port", "2525",
            "--smtp-security", "none", "--from", "sam@example.org", now=NOW,
        )  # fmt: skip
        assert r2.code == 2 and r2.err.count("\n") == 1, r2.err
        return r.code, r.err
    finally:
        path.write_text(saved, encoding="utf-8")


_SETUP = "mail setup --smtp-host 127.0.0.1 --smtp-security none --from sam@example.org"
_GLOBEX = "interview add --company Globex --role QA --start 2026-09-22T10:00"
# The command lines, split on spaces; {v} is the hostile value, {a} the value in an address.
COMMANDS: dict[str, list[str]] = {
    "application add --role": ["application", "add", "--company", "Globex", "--role", "{v}"],
    "application add --company": ["application", "add", "--company", "{v}", "--role", "QA"],
    "interview add --role": [*_GLOBEX.replace("QA", "{v}").split()],
    "interview add --company": [*_GLOBEX.replace("Globex", "{v}").split()],
    "interview add --interviewer name": [*_GLOBEX.split(), "--interviewer", "{v} <bo@globex.example>"],
    "interview add --interviewer address": [*_GLOBEX.split(), "--interviewer", "Bo <{a}>"],
    "interview update --interviewer": ["interview", "update", "1", "--interviewer",
                                       "{v} <ana@acme.example>"],
    "draft --to": ["draft", "thank-you", "1", "--to", "{v}"],
    "outbox edit --subject": ["outbox", "edit", "1", "--subject", "{v}"],
    "mail setup --from-name": [*_SETUP.split(), "--from-name", "{v}"],
    "mail setup --from": [*_SETUP.replace("sam@example.org", "{a}").split()],
    "mail setup --smtp-user": [*_SETUP.split(), "--smtp-user", "{v}"],
    "mail setup --imap-user": [*_SETUP.split(), "--imap-host", "127.0.0.1", "--imap-security",
                               "none", "--imap-user", "{v}"],
    "mail setup --my-address": [*_SETUP.split(), "--my-address", "{a}"],
}  # fmt: skip


def _command(name: str) -> Callable[[World, str], tuple[int, str]]:
    def run(w: World, value: str) -> tuple[int, str]:
        argv = [a.replace("{v}", value).replace("{a}", _address(value)) for a in COMMANDS[name]]
        return _cli(w.av(*argv, now=NOW))

    return run


_NEW_IV = {"company": "Globex", "role": "QA", "start": "2026-09-22T10:00"}
_BODY = "Dear Ana,\nThanks."
PATHS: dict[str, Callable[[World, str], tuple[int, str]]] = {
    **{name: _command(name) for name in COMMANDS},
    "config [me] name": _config_name,
    "API POST /api/interviews role": lambda w, v: _http(
        w.api("POST", "/api/interviews", {**_NEW_IV, "role": v})
    ),
    "API POST /api/interviews interviewer": lambda w, v: _http(
        w.api("POST", "/api/interviews", {**_NEW_IV, "interviewers": [f"{v} <bo@globex.example>"]})
    ),
    "web form /interviews company": lambda w, v: _http(
        w.form("/interviews", {**_NEW_IV, "company": v})
    ),
    "API PUT /api/drafts subject": lambda w, v: _http(
        w.api("PUT", "/api/drafts/thank_you:1:1", {"subject": v, "body": _BODY})
    ),
    "web draft editor subject": lambda w, v: _http(
        w.form("/drafts/thank_you:1:1", {"subject": v, "body": _BODY, "do": "save"})
    ),
    "invitation SUMMARY": lambda w, v: _ics(w, f"Globex - {v} - interview", "Bo"),
    "invitation attendee CN": lambda w, v: _ics(
        w,
        "Globex - QA Engineer - interview",
        v.replace("\\n", "^n"),  # RFC 6868's line break
    ),
}

# A calendar file writes a line break in a text as `\n` (a raw one would end the line):
# CR and LF become that escape; the other controls go in as they are.
_ICS_VALUES = {k: v.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
               for k, v in HOSTILE.items()}  # fmt: skip


# Every value through the ways into a Subject or a To line of their own; a sample (raw
# and encoded, both codings, both charsets) through the others, which share their checks.
EVERY_VALUE = (
    "interview add --role", "interview add --interviewer name", "outbox edit --subject",
    "mail setup --from-name", "API PUT /api/drafts subject", "invitation SUMMARY",
    "invitation attendee CN", "config [me] name",
)  # fmt: skip
SOME_VALUES = ("raw CR LF", "raw U+0085", "q utf-8", "B UTF-8", "q iso-8859-1")


def _cases() -> Iterator[Any]:
    for path in PATHS:
        values = _ICS_VALUES if path.startswith("invitation") else HOSTILE
        for name, value in values.items():
            if path in EVERY_VALUE or name in SOME_VALUES:
                yield pytest.param(path, value, id=f"{path}|{name}")


SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
POSTGRES = pytest.mark.parametrize(
    "db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
# On PostgreSQL (the checks come before the store, so the engine does not change them):
# one raw and one encoded value through every path.
_SAMPLE = ("raw CR LF", "q utf-8")


def _sample() -> Iterator[Any]:
    for path in PATHS:
        for name in _SAMPLE:
            value = (_ICS_VALUES if path.startswith("invitation") else HOSTILE)[name]
            yield pytest.param(path, value, id=f"{path}|{name}")


@POSTGRES
@pytest.mark.parametrize(("path", "value"), list(_sample()))
def test_hostile_values_are_refused_on_postgresql_too(world: World, path: str, value: str) -> None:
    test_hostile_values_are_refused_with_one_line_and_nothing_written(world, path, value)


@SQLITE
@pytest.mark.parametrize(("path", "value"), list(_cases()))
def test_hostile_values_are_refused_with_one_line_and_nothing_written(
    world: World, path: str, value: str
) -> None:
    before = content(world.db_url)
    code, err = PATHS[path](world, value)
    if path.startswith("invitation") and code == 0:
        # a calendar escape read as text (`\\n` in a parameter is a backslash and an n):
        # what is kept is one safe line, and the drafts of that interview go out with
        # exactly their own headers
        shown = world.av.ok("interview", "show", "2", "--json", now=NOW).json()
        kept = [shown["company"], shown["role"], *(p["name"] for p in shown["interviewers"])]
        for text in kept:
            assert not has_control(decoded_words(text)), text
        out = world.tmp / "b.eml"
        world.av.ok("draft", "thank-you", "2", "--eml", str(out), now="2026-09-22T16:00")
        addressed = any(p["email"] for p in shown["interviewers"])
        expected = [h.lower() for h in DRAFT if addressed or h != "To"]
        assert sorted(_received_headers(out.read_bytes())) == sorted(expected)
        return
    assert code in (2, 422), f"{path}: accepted {value!r}: {err}"
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert content(world.db_url) == before


# -- JSON import ---------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [pytest.param(v, id=k) for k, v in HOSTILE.items()],
)
@SQLITE
def test_import_refuses_hostile_roles_names_and_addresses(world: World, value: str) -> None:
    for args in ((value, "Bo", "bo@globex.example"), ("QA", value, "bo@globex.example"),
                 ("QA", "Bo", _address(value))):  # fmt: skip
        code, err = _import(world, *args)
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, (args, err)


# -- values stored before afterview checked them --------------------------------------------------
def _poison(db_url: str, sql: str, params: tuple[Any, ...]) -> None:
    db = connect(db_url)
    try:
        with db.transaction():
            db.execute(sql, params)
    finally:
        db.close()


@pytest.mark.parametrize(
    ("sql", "field"),
    [
        ("UPDATE person SET name = ? WHERE id = 1", "interviewer 1's name"),
        ("UPDATE application SET role = ? WHERE id = 1", "application 1's role"),
        ("UPDATE application SET company = ? WHERE id = 1", "application 1's company"),
    ],
)
@pytest.mark.parametrize("value", [HOSTILE["raw LF"], HOSTILE["q utf-8"]], ids=["LF", "q"])
def test_an_old_hostile_value_stops_the_draft_before_anything_is_written(
    world: World, sql: str, field: str, value: str
) -> None:
    _poison(world.db_url, sql, (value,))
    before = content(world.db_url)
    out = world.tmp / "a.eml"
    for args in (("--eml", str(out)), ("--mailto",), ("--json",)):
        r = world.av("draft", "thank-you", "1", *args, now=NOW)
        assert r.code == 2 and r.err.startswith(f"afterview: {field}: ") and r.err.count("\n") == 1
    assert not out.exists()
    world.av.ok("outbox", "cancel", "1", now=NOW)
    before = content(world.db_url)
    r = world.av("send", "thank_you:1:1", now=NOW)
    assert r.code == 2 and r.err.startswith(f"afterview: {field}: ")
    assert content(world.db_url) == before


def test_an_old_hostile_subject_in_the_outbox_is_held_not_sent(
    world: World, smtpd: SmtpServer
) -> None:
    world.av.ok(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--from", "sam@example.org", now=NOW,
    )  # fmt: skip
    _poison(world.db_url, "UPDATE outbox SET subject = ? WHERE id = 1", (HOSTILE["q utf-8"],))
    report = world.av.ok("run", "--once", "--json", now="2026-09-15T17:31").json()
    assert report["sent"] == [] and report["held"] == [1] and smtpd.messages == []
    shown = world.av.ok("outbox", "show", "1", "--json", now="2026-09-15T17:31").json()
    assert shown["state"] == "held" and "outbox edit" in shown["reason"]


# -- what is accepted goes out as exactly one From, To and Subject ------------------------------------
def _received_headers(data: bytes) -> list[str]:
    return [k.lower() for k in BytesHeaderParser(policy=policy.compat32).parsebytes(data)]


@pytest.mark.parametrize(("name", "value", "shown"), [(k, *v) for k, v in ACCEPTED.items()],
                         ids=list(ACCEPTED))  # fmt: skip
def test_accepted_values_go_out_with_exactly_the_headers_set(
    av: Afterview, smtpd: SmtpServer, name: str, value: str, shown: str
) -> None:
    person = value[:200]
    av.ok(
        "interview", "add", "--company", value[:200], "--role", value[:200],
        "--start", "2026-09-15T14:00", "--interviewer", f"{person} <ana@acme.example>",
        now="2026-09-15T15:10",
    )  # fmt: skip
    av.ok(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--from", "sam@example.org", "--from-name", value[:200],
        now="2026-09-15T15:10",
    )  # fmt: skip
    [approved] = av.ok("send", "thank_you:1:1", "--json", now="2026-09-15T15:10").json()
    assert av.ok("run", "--once", "--json", now="2026-09-15T17:02").json()["sent"] == [1]
    [delivered] = smtpd.messages
    assert delivered.rcpt_tos == ["ana@acme.example"]
    names = _received_headers(delivered.data)
    assert sorted(names) == sorted(h.lower() for h in SENT), names
    msg = BytesParser(policy=policy.default).parsebytes(delivered.data)
    assert [a.addr_spec for a in msg["To"].addresses] == ["ana@acme.example"]
    assert [a.addr_spec for a in msg["From"].addresses] == ["sam@example.org"]
    # compared without spaces: Python's parser reads a space between two encoded words that
    # RFC 2047 readers (mail programs) join, as in "Ñúñe z"
    collapse = "".join
    assert collapse(msg["To"].addresses[0].display_name.split()) == collapse(shown[:200].split())
    assert collapse(str(msg["Subject"]).split()) == collapse(
        decoded_words(approved["subject"]).split()
    )
    for header in ("bcc", "cc", "reply-to", "sender"):
        assert header not in names


# -- the message modules alone, on the lowest and the highest supported Python --------------------------
def _interpreter(minor: int) -> str | None:
    """A Python 3.`minor` that runs: this one, pyenv's, or one on PATH."""
    home = Path(pwd.getpwuid(os.getuid()).pw_dir)  # the real one: tests move HOME
    pyenv = Path(os.environ.get("PYENV_ROOT") or home / ".pyenv")
    candidates = [sys.executable] if sys.version_info[:2] == (3, minor) else []
    candidates += [str(p) for p in sorted(pyenv.glob(f"versions/3.{minor}.*/bin/python"))]
    candidates += [p for p in (shutil.which(f"python3.{minor}"),) if p]
    for python in candidates:
        probe = subprocess.run([python, "-c", "import sys; print(sys.version_info[1])"],
                               capture_output=True, text=True, check=False)  # fmt: skip
        if probe.returncode == 0 and probe.stdout.strip() == str(minor):
            return python
    return None


@pytest.mark.parametrize("minor", [11, 13], ids=["lowest 3.11", "highest 3.13"])
def test_message_building_holds_on_every_supported_python(minor: int) -> None:
    python = _interpreter(minor)
    if python is None:
        if ON_CI:
            pytest.fail(f"Python 3.{minor} is needed on CI for this test and was not found")
        pytest.skip(f"Python 3.{minor} not found (python3.{minor} or ~/.pyenv/versions)")
    done = subprocess.run(
        [python, "-S", str(PROBE)],  # -S: no site-packages, only the standard library
        env={"PYTHONPATH": str(SRC), "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["python"][:2] == [3, minor]
    assert [m for m in report["modules"] if not m.startswith("_")] == ["afterview"]
    for key, result in report["hostile"].items():
        assert "refused" in result, f"{key}: {result}"
        assert "\n" not in result["refused"]
    for key, result in report["accepted"].items():
        built = result.get("built")
        assert built, f"{key}: {result}"
        expected = SENT if key.startswith("sent|") else DRAFT
        assert sorted(built["names"]) == sorted(expected), key
        assert built["recipients"] == ["ana@acme.example"]
        _, shown = ACCEPTED[key.split("|", 1)[1]]
        assert "".join(built["subject"].split()) == "".join(shown.split())
    # with the check before building switched off, the check after it still holds: no
    # extra header and no other recipient ever leaves the module
    for key, result in report["unguarded"].items():
        if "built" in result:
            assert sorted(result["built"]["names"]) == sorted(SENT), key
            assert result["built"]["recipients"] == ["ana@acme.example"], key
