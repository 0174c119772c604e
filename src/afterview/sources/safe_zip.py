"""Read chosen members of an untrusted zip file into memory, never onto disk.

A zip file from elsewhere may be a bomb (a small file that inflates to gigabytes),
may name members `../../etc/passwd` or `/root/.ssh/…`, or may be corrupt. This
module refuses an archive whose declared sizes or compression ratios are out of
bounds, ignores members with unsafe names, and reads at most the declared size of
each member (zipfile stops there; a member that lies about its size fails its
CRC check and is reported).
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from afterview.errors import BadInput

MB = 1024 * 1024


@dataclass(frozen=True)
class ZipLimits:
    """Bounds for an untrusted archive."""

    max_members: int = 20_000
    max_directory: int = 8 * MB  # the central directory, checked before zipfile reads it
    max_declared_total: int = 2048 * MB  # every member together, as the archive declares
    max_read_member: int = 16 * MB  # one member we read
    max_read_total: int = 48 * MB  # everything we read
    max_ratio: int = 100  # uncompressed / compressed, for members over `ratio_floor`
    ratio_floor: int = 1 * MB


def unsafe_name(name: str) -> bool:
    """True for a member name that is absolute, has a drive letter, or climbs with `..`."""
    n = name.replace("\\", "/")
    if n.startswith("/") or (len(n) > 1 and n[1] == ":"):
        return True
    return ".." in PurePosixPath(n).parts


def read_members(
    source: Path | bytes,
    want: Callable[[str], str | None],
    field: str,
    limits: ZipLimits | None = None,
    name: str = "the upload",
) -> tuple[dict[str, tuple[str, bytes]], list[str]]:
    """Read the members `want` picks: it maps a member's name to a key, or None to skip.

    `source` is the archive's file, or its bytes (an upload, called `name` in
    messages). Returns `{key: (member name, bytes)}` (the first member in name
    order wins a key) and notes on what was ignored. Raises BadInput (naming
    `field`) for a file that is not a zip, a corrupt one, or one past the limits.
    """
    lim = limits or ZipLimits()
    if isinstance(source, bytes):
        return _read_archive(io.BytesIO(source), name, want, field, lim)
    try:
        fh = source.open("rb")
    except OSError as e:
        raise BadInput(field, f"cannot read {source.name}: {e.strerror or e}") from None
    with fh:
        return _read_archive(fh, source.name, want, field, lim)


def _read_archive(
    fh: BinaryIO, name: str, want: Callable[[str], str | None], field: str, lim: ZipLimits
) -> tuple[dict[str, tuple[str, bytes]], list[str]]:
    notes: list[str] = []
    directory = _directory_size(fh, name, field)
    if directory is not None and directory > lim.max_directory:
        raise BadInput(field, f"{name} lists too many members to be an export: refused")
    try:
        zf = zipfile.ZipFile(fh)
    except zipfile.BadZipFile:
        raise BadInput(
            field, f"{name} is not a zip file (expected the export's .zip or its folder)"
        ) from None
    except OSError as e:
        raise BadInput(field, f"cannot read {name}: {e.strerror or e}") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > lim.max_members:
            raise BadInput(
                field, f"{name} has {len(infos)} members; at most {lim.max_members} are read"
            )
        declared = sum(i.file_size for i in infos)
        if declared > lim.max_declared_total:
            raise BadInput(
                field,
                f"{name} claims {declared // MB} MB uncompressed; at most {lim.max_declared_total // MB} MB is accepted",
            )
        chosen: dict[str, zipfile.ZipInfo] = {}
        for info in sorted(infos, key=lambda i: i.filename):
            if info.is_dir():
                continue
            if unsafe_name(info.filename):
                notes.append(f"ignored the member {info.filename!r}: its name leaves the archive")
                continue
            key = want(info.filename)
            if key is None:
                continue
            if key in chosen:
                notes.append(f"ignored {info.filename}: {chosen[key].filename} was read instead")
                continue
            chosen[key] = info
        out: dict[str, tuple[str, bytes]] = {}
        total = 0
        for key, info in chosen.items():
            _check_bounds(info, lim, field, total)
            total += info.file_size
            out[key] = (info.filename, _read(zf, info, lim, field))
    return out, notes


def _directory_size(fh: BinaryIO, name: str, field: str) -> int | None:
    """The size of the archive's central directory, read from its end record before
    zipfile loads the directory into memory; None when no end record is found (zipfile
    then reports the file as not a zip). Zip64 archives report their size as 0xFFFFFFFF."""
    try:
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 66_000))
        tail = fh.read()
        fh.seek(0)
    except OSError as e:
        raise BadInput(field, f"cannot read {name}: {e.strerror or e}") from None
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    return int.from_bytes(tail[at + 12 : at + 16], "little")


def _check_bounds(info: zipfile.ZipInfo, lim: ZipLimits, field: str, total: int) -> None:
    name = info.filename
    if info.file_size > lim.max_read_member:
        raise BadInput(
            field,
            f"{name} is {info.file_size // MB} MB; at most {lim.max_read_member // MB} MB is read",
        )
    if total + info.file_size > lim.max_read_total:
        raise BadInput(field, f"the export's files come to more than {lim.max_read_total // MB} MB")
    if info.file_size > lim.ratio_floor and info.file_size > lim.max_ratio * max(
        info.compress_size, 1
    ):
        raise BadInput(
            field,
            f"{name} inflates {info.file_size // max(info.compress_size, 1)} times: refused as a possible zip bomb",
        )


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, lim: ZipLimits, field: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        with zf.open(info) as f:
            while chunk := f.read(64 * 1024):
                size += len(chunk)
                if size > min(info.file_size, lim.max_read_member):
                    raise BadInput(field, f"{info.filename} is larger than it claims: refused")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise BadInput(field, f"{info.filename} is corrupt ({e})") from None
    except NotImplementedError:
        raise BadInput(
            field, f"{info.filename} uses a compression method this reader does not know"
        ) from None
    except RuntimeError:  # an encrypted member
        raise BadInput(
            field,
            f"{info.filename} is password-protected: unzip the export yourself and give the folder",
        ) from None
    return b"".join(chunks)
