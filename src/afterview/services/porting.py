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

from afterview.errors import BadInput, Refused
from afterview.services.context import Context
from afterview.services.import_check import check_document
from afterview.services.import_read import kind_of, loads
from afterview.store import porting as store
from afterview.textcheck import printable

FORMAT = "afterview-export"
VERSION = 2
MAX_BYTES = 200 * 1024 * 1024


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


def read_document(data: bytes, name: str) -> dict[str, Any]:
    """Parse and check an export file's bytes; return the document cleaned and complete
    (version 2's shape whatever its version), with a clear message for anything else."""
    shown_name = "standard input" if name == "-" else printable(name)
    if len(data) > MAX_BYTES:
        raise BadInput(
            "import",
            f"{shown_name} is over {MAX_BYTES // (1024 * 1024)} MB; not an afterview export",
        )
    try:
        doc = loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BadInput(
            "import", f"{shown_name} is not UTF-8 text; expected an afterview export (JSON)"
        ) from None
    except json.JSONDecodeError as exc:
        raise BadInput(
            "import",
            f"{shown_name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
        ) from None
    except RecursionError:
        raise BadInput(
            "import", f"{shown_name} is nested too deeply; expected an afterview export"
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BadInput(
            "import", f'{shown_name} is not an afterview export (expected "format": "{FORMAT}")'
        )
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BadInput("import version", f"expected a whole number, got {kind_of(version)}")
    if version > VERSION:
        raise BadInput(
            "import version",
            f"{version} was written by a newer afterview; this one reads up to {VERSION}",
        )
    if version < 1:
        raise BadInput("import version", f"expected 1 to {VERSION}, got {version}")
    return check_document(doc, version)


def refuse_unless_empty(ctx: Context, command: str = "import") -> None:
    """Refuse (exit 1) when the account already holds data: `command` writes into an
    empty database only."""
    table = store.holds_data(ctx.db, ctx.account)
    if table is not None:
        raise Refused(
            f"{command}: the database already holds data ({table.replace('_', ' ')}); "
            f"{command} into an empty one (--db NEW_FILE)"
        )


def import_document(ctx: Context, doc: dict[str, Any], command: str = "import") -> dict[str, int]:
    """Write a document from `read_document` into the (empty) account in one transaction;
    return counts. `command` names the command in a refusal."""
    db, acc = ctx.db, ctx.account
    with db.transaction():
        refuse_unless_empty(ctx, command)
        ids = [m["message_id"] for m in doc["outbox"]]
        taken = store.taken_message_ids(db, ids)
        if taken:
            n = next(n for n, mid in enumerate(ids) if mid in taken)
            raise BadInput(
                f"import outbox[{n}].message_id",
                "another account of this database has a message with this id",
            )
        store.write_account(db, acc, doc)
    return {key: len(doc[key]) for key in ("applications", "interviews", "touches", "assessments")}
