"""The secrets file, where mail secrets go without a system keyring: private from its first
byte, replaced atomically, refused when others may read it."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from afterview.errors import BadInput
from afterview.mail import secret_file
from tests.cli.helpers import Afterview
from tests.mailservers import ME, SmtpServer

NOW = "2026-09-15T15:10"


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 0: a file made with a plain open() would be world-readable."""
    before = os.umask(0)
    try:
        yield
    finally:
        os.umask(before)


def test_created_private_from_the_first_byte(
    tmp_path: Path, open_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new-folder" / "secrets.json"
    seen: list[int] = []
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:  # a spy: the temp file as it is renamed
        seen.append(stat.S_IMODE(os.stat(src).st_mode))
        real_replace(src, dst)

    def no_chmod(*args: object, **kwargs: object) -> None:
        raise AssertionError("the mode must come from creating the file, not a later chmod")

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "chmod", no_chmod)
    monkeypatch.setattr(os, "fchmod", no_chmod)
    assert secret_file.put("smtp:me@x", "first-secret", str(path)) == str(path)
    secret_file.put("imap:me@y", "second-secret", str(path))
    assert seen == [0o600, 0o600]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert json.loads(path.read_text()) == {
        "smtp:me@x": "first-secret",
        "imap:me@y": "second-secret",
    }
    secret_file.put("smtp:me@x", None, str(path))
    assert secret_file.read_all(str(path)) == {"imap:me@y": "second-secret"}
    # nothing left behind but the file and its lock
    assert sorted(p.name for p in path.parent.iterdir()) == ["secrets.json", "secrets.json.lock"]


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660, 0o620])
def test_a_file_others_may_read_or_change_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "secrets.json"
    secret_file.put("smtp:me@x", "the-secret", str(path))
    path.chmod(mode)
    with pytest.raises(BadInput) as caught:
        secret_file.read_all(str(path))
    assert caught.value.field == "secrets_file"
    assert f"run `chmod 600 {path}`" in caught.value.problem
    assert f"mode {mode:03o}" in caught.value.problem
    with pytest.raises(BadInput):  # and nothing is written over it either
        secret_file.put("imap:me@y", "other", str(path))


def test_a_file_that_is_not_a_json_object_of_texts_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    for text in ("not json", "[1, 2]", '{"k": 3}'):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        with pytest.raises(BadInput) as caught:
            secret_file.read_all(str(path))
        assert "JSON object" in caught.value.problem


def test_the_cli_refuses_a_group_readable_file_in_one_line(
    av: Afterview, smtpd: SmtpServer, tmp_path: Path
) -> None:
    """(No keyring here: `PYTHON_KEYRING_BACKEND` is the failing one.)"""
    r = av(
        "mail", "setup", "--smtp-host", smtpd.host, "--smtp-port", str(smtpd.port),
        "--smtp-security", "none", "--smtp-user", ME, "--from", ME, "--smtp-password-stdin",
        now=NOW, input="pw-of-the-test-0\n",
    )  # fmt: skip
    assert r.code == 0, r.err
    path = tmp_path / "secrets.json"
    path.chmod(0o644)
    for args in (("mail", "show"), ("mail", "check")):
        r = av(*args, now=NOW)
        assert r.code == 2 and r.err.count("\n") == 1, (args, r.out, r.err)
        assert r.err == (
            f"afterview: secrets_file: {path} can be read or changed by others (mode 644); "
            f"run `chmod 600 {path}` (and change any secret in it that others may have read)\n"
        )
    path.chmod(0o600)
    shown = av.ok("mail", "show", "--json", now=NOW).json()
    assert shown["smtp_password"] == f"in the secrets file {path}"
