"""Importing an export of any size, a batch of records at a time.

`read_export` reads the document as it comes (`json_stream`): its format and version
first, then each list in the order the records refer to each other (applications,
people, interviews, then what names them). `import_sections` checks each batch of
records against what the import wrote before it (`import_check`) and writes it,
all in one transaction: a problem anywhere leaves the database as it was, and
memory holds one batch, not the file.

A list written before what it refers to (a document edited by hand, say) is held in
memory until its turn, up to `MAX_HELD` characters.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from afterview.core.action_ids import parse_action_id
from afterview.errors import BadInput, Refused
from afterview.services.context import Context
from afterview.services.import_check import TOP_V1, TOP_V2, Refs, check_batch, record_keys
from afterview.services.import_read import MAX_INTEGER, Obj, decoder, kind_of
from afterview.services.json_stream import Items, NotJson, Reader, TooLarge, top_level
from afterview.services.porting import FORMAT, VERSION
from afterview.store import porting as store
from afterview.store import porting_checks, porting_write
from afterview.textcheck import printable, shown

BATCH = 500
MAX_HELD = 32 * 1024 * 1024
COUNTED = ("applications", "interviews", "touches", "assessments")
Pairs = Iterator[tuple[str, Any]]


def read_export(read: Callable[[int], bytes], name: str) -> Pairs:
    """("version", n), then every list of the export `read` gives, in the order they are
    imported (None for one left out): each a list or an iterator of its records. Reading
    goes on as the lists are consumed; every problem is a `BadInput` naming the file."""
    shown_name = "standard input" if name == "-" else printable(name)
    reader = Reader(read, decoder())
    return _in_order(_readable(top_level(reader), shown_name), reader, shown_name)


def document_pairs(doc: dict[str, Any]) -> Pairs:
    """`read_export`'s pairs for a document already in memory."""
    return value_pairs(iter(doc.items()), "the document")


def value_pairs(pairs: Iterator[tuple[str, Any]], shown_name: str) -> Pairs:
    """`read_export`'s pairs for a document's keys and values read some other way (lists
    as lists or iterators)."""
    return _in_order(pairs, None, shown_name)


def _readable(pairs: Iterable[Any], shown_name: str) -> Iterator[Any]:
    """`pairs` (or records), with what goes wrong while reading them as one `BadInput`."""
    try:
        for pair in pairs:
            if isinstance(pair, tuple) and isinstance(pair[1], Items):
                yield pair[0], _readable(pair[1], shown_name)
            else:
                yield pair
    except NotJson as exc:
        raise BadInput(
            "import",
            f"{shown_name} is not valid JSON (line {exc.line}, column {exc.column}: {exc.msg})",
        ) from None
    except UnicodeDecodeError:
        raise BadInput(
            "import", f"{shown_name} is not UTF-8 text; expected an afterview export (JSON)"
        ) from None
    except RecursionError:
        raise BadInput(
            "import", f"{shown_name} is nested too deeply; expected an afterview export"
        ) from None
    except TooLarge as exc:
        raise BadInput("import", f"{shown_name}: {exc}; not an afterview export") from None


def _not_export(shown_name: str) -> BadInput:
    return BadInput(
        "import", f'{shown_name} is not an afterview export (expected "format": "{FORMAT}")'
    )


def _version(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadInput("import version", f"expected a whole number, got {kind_of(value)}")
    if value > VERSION:
        raise BadInput(
            "import version",
            f"{value} was written by a newer afterview; this one reads up to {VERSION}",
        )
    if value < 1:
        raise BadInput("import version", f"expected 1 to {VERSION}, got {value}")
    return value


class _Order:
    """The lists of the document, given out in the order they are imported: each as it
    is read when its turn has come, or held until then."""

    def __init__(self, reader: Reader | None, shown_name: str) -> None:
        self.reader, self.shown_name = reader, shown_name
        self.arrived: dict[str, Any] = {}
        self.order: tuple[str, ...] = ()
        self.next = 0
        self.held = 0

    def ready(self) -> Pairs:
        """The lists whose turn has come, in order."""
        while self.next < len(self.order) and self.order[self.next] in self.arrived:
            key = self.order[self.next]
            self.next += 1
            yield key, self.arrived.pop(key)

    def hold(self, key: str, seen: set[str]) -> None:
        """Read the list `key` whole: it came before its turn."""
        value = self.arrived[key]
        if not isinstance(value, Iterator):
            return
        start = self.reader.offset() if self.reader else 0
        records = []
        for record in value:
            records.append(record)
            if self.reader and self.reader.offset() - start + self.held > MAX_HELD:
                before = self.order[: self.order.index(key)] if key in self.order else ()
                missing = [k for k in before if k not in seen]
                raise BadInput(
                    "import",
                    f"{self.shown_name} lists over {MAX_HELD // (1024 * 1024)} MB of records "
                    f"before {', '.join(missing) or 'the format and version'}; write the "
                    "lists in the order of an export, each even if empty",
                )
        if self.reader:
            self.held += self.reader.offset() - start
        self.arrived[key] = records


def _in_order(pairs: Iterator[tuple[str, Any]], reader: Reader | None, shown_name: str) -> Pairs:
    order = _Order(reader, shown_name)
    seen: set[str] = set()
    early_version: Any = None
    for key, value in pairs:
        if key in seen:
            raise BadInput("import", f"the key {shown(key)} appears twice in one object")
        seen.add(key)
        if key == "format":
            if value != FORMAT:
                raise _not_export(shown_name)
            if "version" in seen:
                yield from _start(order, early_version)
            continue
        if key == "version":
            if "format" in seen:
                yield from _start(order, value)
            else:
                early_version = value
            continue
        if key not in TOP_V2 or (order.order and key not in order.order):
            if not order.order:
                raise _not_export(shown_name)
            raise BadInput("import", f"no field {shown(key)} in this format version")
        order.arrived[key] = value
        yield from order.ready()
        if key in order.arrived:
            order.hold(key, seen)
    if "format" not in seen:
        raise _not_export(shown_name)
    if "version" not in seen:
        _version(None)
    for key in order.order[order.next :]:
        yield key, order.arrived.pop(key, None)


def _start(order: _Order, version: Any) -> Pairs:
    """The format and the version are known: what was held may go."""
    n = _version(version)
    order.order = tuple(TOP_V2 if n >= 2 else TOP_V1)[2:]
    for key in order.arrived:
        if key not in order.order:
            raise BadInput("import", f"no field {shown(key)} in this format version")
    yield "version", n
    yield from order.ready()


def refuse_unless_empty(ctx: Context, command: str = "import") -> None:
    """Refuse (exit 1) when the account already holds data: `command` writes into an
    empty database only."""
    table = store.holds_data(ctx.db, ctx.account)
    if table is not None:
        raise Refused(
            f"{command}: the database already holds data ({table.replace('_', ' ')}); "
            f"{command} into an empty one (--db NEW_FILE)"
        )


def import_sections(ctx: Context, pairs: Pairs, command: str = "import") -> dict[str, int]:
    """Check and write every list of `pairs` (from `read_export` or `document_pairs`)
    into the (empty) account in one transaction; return counts. `command` names the
    command in a refusal."""
    db = ctx.db
    counts: dict[str, int] = {}
    with db.transaction():
        refuse_unless_empty(ctx, command)
        version = VERSION
        for section, value in pairs:
            if section == "version":
                version = value
                continue
            counts[section] = _import_section(ctx, section, _records(section, value), version)
        porting_write.finish(db)
    return {key: counts.get(key, 0) for key in COUNTED}


def _records(section: str, value: Any) -> Iterable[Any]:
    if section == "mail":
        if isinstance(value, list | Iterator):
            raise BadInput("import mail", "expected an object, got a list")
        return () if value is None else (value,)
    if value is None:
        return ()
    if isinstance(value, list | Iterator):
        return value
    raise BadInput(f"import {section}", f"expected a list, got {kind_of(value)}")


def _import_section(ctx: Context, section: str, records: Iterable[Any], version: int) -> int:
    keys = record_keys(section, version)
    numbered = enumerate(records)
    count = 0
    while batch := list(itertools.islice(numbered, BATCH)):
        items = [
            Obj(x, section if section == "mail" else f"{section}[{n}]", keys) for n, x in batch
        ]
        refs = _refs(ctx, section, [it.value for it in items])
        rows = check_batch(section, items, refs)
        porting_write.write_part(ctx.db, ctx.account, section, rows)
        count += len(rows)
    return count


def _refs(ctx: Context, section: str, records: list[dict[str, Any]]) -> Refs:
    """What the database holds of the ids and keys the batch names."""
    refs = Refs()
    for what, values in _named(section, records).items():
        refs.held[what], refs.elsewhere[what] = porting_checks.present(
            ctx.db, ctx.account, what, values
        )
    return refs


def _named(section: str, records: list[dict[str, Any]]) -> dict[str, set[Any]]:
    """Per lookup of `porting_checks`, the values a batch's records name (those that could
    be valid: the checks refuse the rest)."""
    named: dict[str, set[Any]] = defaultdict(set)

    def ids(key: str, what: str) -> None:
        for r in records:
            v = r.get(key)
            if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= MAX_INTEGER:
                named[what].add(v)

    def texts(key: str, what: str) -> None:
        for r in records:
            v = r.get(key)
            if isinstance(v, str) and _storable(v):
                named[what].add(v)

    def actions() -> None:
        for r in records:
            v = r.get("action_id")
            ref = parse_action_id(v) if isinstance(v, str) and len(v) <= 200 else None
            if ref is not None and ref.interview_id is not None:
                named["interview"].add(ref.interview_id)
            if ref is not None and ref.person_id is not None:
                named["person"].add(ref.person_id)

    for key, what in _IDS.get(section, ()):
        ids(key, what)
    for key, what in _TEXTS.get(section, ()):
        texts(key, what)
    if section in ("marks", "drafts", "calendar_events", "outbox"):
        actions()
    if section == "interviews":
        for r in records:
            people = r.get("interviewers")
            for v in people if isinstance(people, list) else ():
                if isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= MAX_INTEGER:
                    named["person"].add(v)
            invitation = r.get("invitation")
            uid = invitation.get("uid") if isinstance(invitation, dict) else None
            if isinstance(uid, str) and _storable(uid):
                named["invitation"].add(uid)
    return named


_IDS: dict[str, tuple[tuple[str, str], ...]] = {
    "applications": (("id", "application"),),
    "people": (("id", "person"),),
    "interviews": (("id", "interview"), ("application_id", "application")),
    "touches": (("id", "touch"), ("interview_id", "interview"), ("person_id", "person")),
    "outcomes": (("interview_id", "interview"), ("interview_id", "outcome")),
    "assessments": (("interview_id", "interview"), ("interview_id", "assessment")),
    "drafts": (("interview_id", "interview"),),
    "outbox": (("id", "outbox"), ("interview_id", "interview"), ("person_id", "person")),
}
_TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    "touches": (("message_id", "touch_message"),),
    "calendar_events": (("action_id", "calendar_event"),),
    "notifications": (("key", "notification"),),
    "mail_sync": (("folder", "mail_sync"),),
    "outbox": (("message_id", "outbox_message"), ("action_id", "outbox_live")),
}


def _storable(text: str) -> bool:
    """Text a query may carry: not too long, no NUL, no lone surrogate."""
    if len(text) > 2000 or "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
