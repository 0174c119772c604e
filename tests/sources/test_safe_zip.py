"""Untrusted zips: bombs, path traversal, corrupt and odd archives are refused or ignored
without exhausting memory and without writing anything to disk."""

from __future__ import annotations

import os
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from afterview.errors import BadInput
from afterview.sources.linkedin import read_export
from afterview.sources.safe_zip import ZipLimits, read_members, unsafe_name

POSITIONS = b"Company Name,Title,Started On,Finished On\nAcme,Engineer,Jan 2020,\n"


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


@pytest.fixture
def watch_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from an empty folder and point TMPDIR there, so anything extracted would show."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("TMPDIR", str(work))
    return work


def bomb(path: Path, size: int) -> Path:
    """A Positions.csv that inflates `size` bytes of zeros from a few kilobytes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("Positions.csv", "w", force_zip64=True) as f:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                f.write(chunk)
        zf.writestr("Profile.csv", "Headline\nx\n")
    return path


def test_a_zip_bomb_is_refused_without_inflating_it(tmp_path: Path, watch_disk: Path) -> None:
    path = bomb(tmp_path / "bomb.zip", 64 * 1024 * 1024)
    assert path.stat().st_size < 200_000
    before = _files_under(watch_disk)
    tracemalloc.start()
    try:
        with pytest.raises(BadInput, match=r"linkedin: Positions\.csv"):
            read_export(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, peak
    assert _files_under(watch_disk) == before


def test_a_high_ratio_member_under_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = bomb(tmp_path / "ratio.zip", 8 * 1024 * 1024)
    with pytest.raises(BadInput, match=r"inflates \d+ times: refused as a possible zip bomb"):
        read_export(path)


def test_declared_totals_past_the_cap_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Positions.csv", POSITIONS)
        zf.writestr("Messages.csv", b"m" * 300_000)
    with pytest.raises(BadInput, match="claims 0 MB uncompressed; at most 0 MB"):
        read_members(path, lambda n: n, "linkedin", ZipLimits(max_declared_total=100_000))


def test_a_member_that_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    """The central directory says 10 bytes; the data inflates to far more."""
    path = tmp_path / "liar.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Positions.csv", POSITIONS * 1000)
    data = bytearray(path.read_bytes())
    cd = data.rfind(b"PK\x01\x02")
    # Uncompressed size: offset 24 in the central directory entry, 22 in the local header.
    struct.pack_into("<I", data, cd + 24, 10)
    struct.pack_into("<I", data, 22, 10)
    path.write_bytes(bytes(data))
    with pytest.raises(BadInput, match=r"linkedin: Positions\.csv is corrupt"):
        read_export(path)


def test_path_traversal_members_are_ignored_and_nothing_is_written(
    tmp_path: Path, watch_disk: Path
) -> None:
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../Positions.csv", b"Company Name,Title\nEvil,Owner\n")
        zf.writestr("/etc/Positions.csv", b"Company Name,Title\nEvil,Root\n")
        zf.writestr("C:/Users/Profile.csv", b"Headline\nEvil\n")
        zf.writestr("ok/../../Skills.csv", b"Name\nEvil\n")
        zf.writestr("export/Positions.csv", POSITIONS)
    before = _files_under(watch_disk)
    doc, notes = read_export(path)
    assert [p.company for p in doc.positions] == ["Acme"]
    assert doc.skills == () and doc.headline == ""
    assert sum("its name leaves the archive" in n for n in notes) == 4
    assert _files_under(watch_disk) == before
    assert not (tmp_path.parent / "Positions.csv").exists()


@pytest.mark.parametrize(
    ("name", "unsafe"),
    [
        ("Positions.csv", False),
        ("a/b/Positions.csv", False),
        ("a..b/Positions.csv", False),
        ("../Positions.csv", True),
        ("a/../../Positions.csv", True),
        ("/Positions.csv", True),
        ("\\\\server\\share\\Positions.csv", True),
        ("C:\\Positions.csv", True),
        ("..\\Positions.csv", True),
    ],
)
def test_unsafe_names(name: str, unsafe: bool) -> None:
    assert unsafe_name(name) is unsafe


def test_corrupt_truncated_and_empty_archives_give_one_line(tmp_path: Path) -> None:
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Positions.csv", POSITIONS * 50)
    data = good.read_bytes()
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(BadInput, match="not a zip file"):
        read_export(truncated)
    flipped = bytearray(data)
    flipped[60] ^= 0xFF  # inside the compressed data
    (tmp_path / "flipped.zip").write_bytes(bytes(flipped))
    with pytest.raises(BadInput, match=r"linkedin: Positions\.csv is corrupt"):
        read_export(tmp_path / "flipped.zip")
    empty = tmp_path / "empty.zip"
    empty.write_bytes(b"")
    with pytest.raises(BadInput, match="not a zip file"):
        read_export(empty)
    (tmp_path / "zero.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    with pytest.raises(BadInput, match=r"no Positions\.csv or Profile\.csv"):
        read_export(tmp_path / "zero.zip")


def test_encrypted_and_unknown_compression_members(tmp_path: Path) -> None:
    path = tmp_path / "odd.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Positions.csv", POSITIONS)
    data = bytearray(path.read_bytes())
    cd = data.rfind(b"PK\x01\x02")
    struct.pack_into("<H", data, cd + 8, 1)  # the "encrypted" flag
    struct.pack_into("<H", data, 6, 1)
    (tmp_path / "enc.zip").write_bytes(bytes(data))
    with pytest.raises(BadInput, match=r"linkedin: Positions\.csv"):
        read_export(tmp_path / "enc.zip")
    data = bytearray(path.read_bytes())
    struct.pack_into("<H", data, cd + 10, 99)  # compression method 99 (AES)
    struct.pack_into("<H", data, 8, 99)
    (tmp_path / "aes.zip").write_bytes(bytes(data))
    with pytest.raises(BadInput, match="compression method"):
        read_export(tmp_path / "aes.zip")


def test_too_many_members_are_refused_before_the_directory_is_loaded(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for n in range(300):
            zf.writestr(f"f{n}.txt", b"")
    with pytest.raises(BadInput, match="too many members"):
        read_members(path, lambda n: n, "linkedin", ZipLimits(max_directory=1000))
    with pytest.raises(BadInput, match="has 300 members; at most 100"):
        read_members(path, lambda n: n, "linkedin", ZipLimits(max_members=100))


def test_a_real_sized_export_reads(tmp_path: Path) -> None:
    """A complete export with big unrelated files (messages) still reads: only the profile
    files count against the read caps."""
    path = tmp_path / "complete.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Positions.csv", POSITIONS)
        zf.writestr("messages.csv", os.urandom(3 * 1024 * 1024))
    doc, _ = read_export(path)
    assert doc.positions[0].company == "Acme"
    assert zlib.crc32(POSITIONS)  # the fixture is what it says
