"""Export all of an account's data as versioned JSON, and import it into an empty database.

The format is documented in docs/export-format.md. Export, import into an
empty database, and export again gives the same document, byte for byte.
Version 2 carries every field an account's data has (version 1 left out the
invitation an interview came from, the mail settings, the outbox, the calendar
feed's SEQUENCEs, the notifications sent and how far the mailbox was read);
version 1 documents are still read, as before.
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable
from typing import Any

from afterview.services.context import Context
from afterview.store import porting as store

FORMAT = "afterview-export"
VERSION = 2


def waiting(message: dict[str, Any]) -> dict[str, Any]:
    """An outbox message as the export carries it: one waiting to be sent is held, and one
    being sent is uncertain, so that the machine importing it sends nothing by itself
    (the one exported from may still send it: confirm first, then reschedule)."""
    n = message["id"]
    if message["state"] == "scheduled":
        return {
            **message,
            "state": "held",
            "reason": "approved before the export: `afterview outbox reschedule "
            f"{n}` sends it from this machine (check first that the other one did not)",
        }
    if message["state"] == "sending":
        return {
            **message,
            "state": "uncertain",
            "reason": "being sent when exported: check your Sent folder, then "
            f"`afterview outbox confirm {n} --sent` or `--not-sent`",
        }
    return message


def export_document(ctx: Context) -> dict[str, Any]:
    """Return every record of the account as one JSON-ready document, read from one
    consistent state of the database (other commands may write meanwhile)."""
    with ctx.db.snapshot():
        data = store.read_account(ctx.db, ctx.account)
    data["outbox"] = [waiting(m) for m in data["outbox"]]
    return {"format": FORMAT, "version": VERSION, **data}


def export_json(ctx: Context) -> str:
    """Return the export document as JSON text."""
    out = io.BytesIO()
    write_export(ctx, out.write)
    return out.getvalue().decode("utf-8")


def write_export(ctx: Context, write: Callable[[bytes], object]) -> dict[str, int]:
    """Write the export document to `write` as it is read, a record at a time, from one
    consistent state of the database: the same bytes as `json.dumps(export_document(ctx),
    ensure_ascii=False, indent=1)` and a line break, in memory that does not grow with the
    history. Return how many records each list held."""
    counts: dict[str, int] = {}
    with ctx.db.snapshot():
        head = (("format", FORMAT), ("version", VERSION))
        parts = itertools.chain(head, store.account_parts(ctx.db, ctx.account))
        write(b"{")
        for n, (key, value) in enumerate(parts):
            write(f"{',' if n else ''}\n {_dumps(key)}: ".encode())
            if value is None or isinstance(value, (str, int, dict)):
                write(_indented(_dumps(value, 1), " ").encode("utf-8"))
                continue
            items = (waiting(m) for m in value) if key == "outbox" else value
            count = 0
            for item in items:
                text = _indented("  " + _dumps(item, 1), "  ")
                write(("[\n" if not count else ",\n").encode() + text.encode("utf-8"))
                count += 1
            write(b"\n ]" if count else b"[]")
            counts[key] = count
        write(b"\n}\n")
    return counts


def _dumps(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


def _indented(text: str, pad: str) -> str:
    """`text` (JSON indented from column 0) with every line after the first moved by `pad`."""
    return text.replace("\n", "\n" + pad) if "\n" in text else text


def import_export(
    ctx: Context, read: Callable[[int], bytes], name: str, command: str = "import"
) -> dict[str, int]:
    """Import the export that `read` gives (`name` is its file, '-' standard input) into
    the empty account: read, checked and written a batch at a time, in one transaction
    (`services.import_stream`). Return how many applications, interviews, touches and
    assessments came in."""
    from afterview.services.import_stream import import_sections, read_export

    return import_sections(ctx, read_export(read, name), command)


def import_document(ctx: Context, doc: dict[str, Any], command: str = "import") -> dict[str, int]:
    """`import_export` for a document already in memory (checked the same way)."""
    from afterview.services.import_stream import document_pairs, import_sections

    return import_sections(ctx, document_pairs(doc), command)
