"""The bad-input table: every command and option, with the values that must be refused.

A command is described once by a valid command line (`Spec.argv`, which the suite
runs on a copy of the seeded database and expects to succeed) and the kind of
each value in it. Each case replaces one value with a bad value of its kind, so the
refusal is the bad value's doing; the case expects the exit code, exactly one line
on stderr naming the option, and the database unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HUGE = "x" * 100_000
LONG_DIGITS = "1" * 120_000
# An RFC 2047 encoded word that decodes to a line break and a header of its own
ENCODED_CRLF = "=?utf-8?q?Engineer=0D=0AReply-To:_x@evil.example?="
ENCODED_LF_B64 = "Data =?utf-8?b?RW5naW5lZXIKQmNjOiB4QGV2aWwuZXhhbXBsZQ==?="
BAD_UTF8 = "caf\udce9"  # what Python makes of the Latin-1 byte 0xE9 in argv

# value kind -> [(label, bad value, exit code)]
BAD: dict[str, list[tuple[str, str, int]]] = {
    "line": [
        ("empty", "", 2),
        ("blank", "   ", 2),
        ("esc", "Acme\x1b[31m", 2),
        ("newline", "Acme\nBcc: x@evil.example", 2),
        ("cr", "Acme\rX", 2),
        ("nul", "Acme\x00", 2),
        ("u2028", "Acme\u2028X", 2),
        ("nel", "Acme\x85X", 2),
        ("encoded-crlf", ENCODED_CRLF, 2),
        ("encoded-lf-b64", ENCODED_LF_B64, 2),
        ("bidi", "\u202eevil", 2),
        ("bad-utf8", BAD_UTF8, 2),
        ("huge", HUGE, 2),
    ],
    "text": [
        ("empty", "", 2),
        ("blank", " \n ", 2),
        ("esc", "fine\x1b]0;title\x07", 2),
        ("nul", "a\x00b", 2),
        ("bad-utf8", BAD_UTF8, 2),
        ("huge", HUGE, 2),
    ],
    "date": [
        ("empty", "", 2),
        ("year-9999", "9999-12-31", 2),
        ("year-1", "0001-01-01", 2),
        ("year-2101", "2101-01-01", 2),
        ("iso-week", "2026-W48-1", 2),
        ("ordinal", "2026-330", 2),
        ("compact", "20261125", 2),
        ("no-such-day", "2026-02-30", 2),
        ("fullwidth", "２０２６-11-25", 2),
        ("arabic-digits", "٢٠٢٦-١١-٢٥", 2),
        ("words", "next friday", 2),
        ("bad-utf8", BAD_UTF8, 2),
        ("huge", HUGE, 2),
    ],
    "datetime": [
        ("empty", "", 2),
        ("year-9999", "9999-12-31T10:00", 2),
        ("year-1", "0001-01-01T00:00", 2),
        ("iso-week", "2026-W47-4T10:00", 2),
        ("date-only", "2026-11-19", 2),
        ("month-13", "2026-13-01T10:00", 2),
        ("offset-99", "2026-11-19T10:00+99:00", 2),
        ("fullwidth", "２０２６-11-19T10:00", 2),
        ("words", "yesterday", 2),
        ("bad-utf8", BAD_UTF8, 2),
        ("huge", HUGE, 2),
    ],
    "zone": [
        ("empty", "", 2),
        ("unknown", "Mars/Base", 2),
        ("folder", "Europe", 2),
        ("long", "Europe/" + "x" * 300, 2),
        ("traversal", "../../../etc/passwd", 2),
        ("absolute", "/etc/localtime", 2),
        ("newline", "Europe/Paris\nX", 2),
        ("nul", "UTC\x00", 2),
        ("bad-utf8", BAD_UTF8, 2),
    ],
    "person": [
        ("empty", "", 2),
        ("newline", "Bob\nBcc: x@evil.example", 2),
        ("encoded", "=?utf-8?q?Bob=0D=0AReply-To:_x@evil.example?= <bob@acme.example>", 2),
        ("esc", "Bob\x1b[2J <bob@acme.example>", 2),
        ("bad-address", "Bob <not-an-address>", 2),
        ("two-addresses", "Bob <a@acme.example>, Eve <e@evil.example>", 2),
        ("bad-utf8", BAD_UTF8, 2),
        ("huge", HUGE, 2),
    ],
    "int": [
        ("empty", "", 2),
        ("word", "ten", 2),
        ("float", "1.5", 2),
        ("arabic-digits", "٦٠", 2),
        ("superscript", "²", 2),
        ("underscore", "1_0", 2),
        ("huge", LONG_DIGITS, 2),
    ],
    "id": [
        ("empty", "", 2),
        ("zero", "0", 2),
        ("negative", "-1", 2),
        ("word", "one", 2),
        ("superscript", "²", 2),
        ("arabic-digit", "١", 2),
        ("float", "1.0", 2),
        ("huge", LONG_DIGITS, 2),
        ("bad-utf8", BAD_UTF8, 2),
        ("unknown", "99999", 1),
    ],
    "action": [
        ("empty", "", 2),
        ("unknown-kind", "send_flowers:1", 2),
        ("unknown-interview", "thank_you:99999:1", 1),
        ("superscript", "self_assess:²", 2),
        ("leading-zero", "self_assess:01", 2),
        ("newline", "self_assess:1\nX", 2),
        ("bad-utf8", BAD_UTF8, 2),
        ("huge", HUGE, 2),
        ("no-such-week", "keep_searching:2026-W60", 2),
    ],
    "out": [
        ("empty", "", 2),
        ("no-folder", "/nonexistent-folder/out.file", 2),
        ("a-folder", "/tmp", 2),
        ("bad-utf8", "/tmp/" + BAD_UTF8, 2),
    ],
    "in": [
        ("empty", "", 2),
        ("missing", "/nonexistent-folder/in.file", 2),
        ("a-folder", "/tmp", 2),
        ("bad-utf8", "/tmp/" + BAD_UTF8, 2),
    ],
    "address": [
        ("empty", "", 2),
        ("newline", "sam@example.org\nBcc: x@evil.example", 2),
        ("encoded", "=?utf-8?q?sam=0A?=@example.org", 2),
        ("two", "sam@example.org, x@evil.example", 2),
        ("no-at", "sam.example.org", 2),
        ("bad-utf8", BAD_UTF8, 2),
    ],
    "host": [
        ("empty", "", 2),
        ("newline", "smtp.example.org\nX", 2),
        ("scheme", "smtp://smtp.example.org", 2),
        ("space", "smtp example org", 2),
        ("bad-utf8", BAD_UTF8, 2),
    ],
}


@dataclass(frozen=True)
class Spec:
    """A valid command line and the kind of each of its values.

    `argv` holds the command words then `(option or placeholder, value)` pairs;
    a placeholder in upper case is a positional argument. `runs` is False for a
    command whose valid form cannot run here (a server that would keep running).
    """

    words: tuple[str, ...]
    values: tuple[tuple[str, str, str], ...]  # (option or ARGUMENT, kind, valid value)
    runs: bool = True
    skip: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (option, label)

    def argv(self, replace: str | None = None, bad: str | None = None) -> list[str]:
        """The command line, with the value of `replace` swapped for `bad`."""
        out = list(self.words)
        for opt, _kind, good in self.values:
            value = bad if opt == replace else good
            assert value is not None
            if opt.isupper():
                out.append(value)
            elif opt.startswith("--") and _kind == "flag":
                out.append(opt)
            else:
                out += [opt, value]
        return out

    @property
    def name(self) -> str:
        return " ".join(self.words)


FUTURE = "2026-12-01T14:00"
SPECS: tuple[Spec, ...] = (
    Spec(
        ("application", "add"),
        (
            ("--company", "line", "Initech"),
            ("--role", "line", "Analyst"),
            ("--applied-on", "date", "2026-11-19"),
            ("--url", "line", "https://initech.example/jobs/1"),
        ),
    ),
    Spec(
        ("application", "apply"), (("APPLICATION_ID", "id", "34"), ("--on", "date", "2026-11-19"))
    ),
    Spec(
        ("interview", "add"),
        (
            ("--company", "line", "Initech"),
            ("--role", "line", "Analyst"),
            ("--start", "datetime", FUTURE),
            ("--duration", "int", "45"),
            ("--tz", "zone", "America/New_York"),
            ("--interviewer", "person", "Bill Lumbergh <bill@initech.example>"),
            ("--decision-by", "date", "2026-12-10"),
        ),
    ),
    Spec(
        ("interview", "add"),
        (
            ("--company", "line", "Initech"),
            ("--role", "line", "Analyst"),
            ("--start", "datetime", FUTURE),
            ("--end", "datetime", "2026-12-01T15:00"),
        ),
        skip=frozenset({("--company", "empty")}),
    ),
    Spec(
        ("interview", "update"),
        (
            ("ID", "id", "6"),
            ("--start", "datetime", "2026-11-23T11:00"),
            ("--duration", "int", "30"),
            ("--tz", "zone", "Europe/Berlin"),
            ("--decision-by", "date", "2026-12-04"),
            ("--interviewer", "person", "Gus Patel <gus.patel@hooli.example>"),
        ),
        skip=frozenset({("--decision-by", "empty")}),  # "" removes the decision date
    ),
    Spec(("interview", "update"), (("ID", "id", "6"), ("--end", "datetime", "2026-11-23T11:30"))),
    # correcting records (issue 18): "" removes an optional value, so it is no refusal there
    Spec(
        ("interview", "edit"),
        (
            ("ID", "id", "6"),
            ("--start", "datetime", "2026-11-23T11:00"),
            ("--duration", "int", "30"),
            ("--tz", "zone", "Europe/Berlin"),
            ("--decision-by", "date", "2026-12-04"),
            ("--add-interviewer", "person", "Ivy Chen <ivy.chen@hooli.example>"),
            ("--rename-interviewer", "line", "7=Gus Patel"),
            ("--remove-interviewer", "id", "8"),
            ("--notes", "text", "Bring the portfolio."),
        ),
        skip=frozenset(
            {
                ("--decision-by", "empty"),
                ("--notes", "empty"),
                ("--notes", "blank"),
                # a person who is not on the interview is a bad value of the option (exit 2)
                ("--remove-interviewer", "unknown"),
            }
        ),
    ),
    Spec(
        ("interview", "edit"),
        (
            ("ID", "id", "3"),
            ("--company", "line", "Initech Ltd"),
            ("--role", "line", "Backend Engineer"),
            ("--topic", "line", "pagination"),
            ("--remove-topic", "line", "API versioning"),
        ),
    ),
    Spec(("interview", "delete"), (("ID", "id", "6"), ("--force", "flag", ""))),
    Spec(
        ("application", "edit"),
        (
            ("ID", "id", "3"),
            ("--company", "line", "Initech Inc"),
            ("--role", "line", "Backend Dev"),
            ("--url", "line", "https://initech.example/jobs/2"),
            ("--applied-on", "date", "2026-10-17"),
            ("--stage", "choice", "closed"),
            ("--mail-domain", "line", "initech.example"),
            ("--notes", "text", "Call back in December."),
        ),
        skip=frozenset(
            {
                ("--url", "empty"),
                ("--url", "blank"),
                ("--applied-on", "empty"),
                ("--mail-domain", "empty"),
                ("--mail-domain", "blank"),
                ("--notes", "empty"),
                ("--notes", "blank"),
            }
        ),
    ),
    Spec(("application", "delete"), (("ID", "id", "7"), ("--force", "flag", ""))),
    Spec(
        ("person", "edit"),
        (
            ("ID", "id", "7"),
            ("--name", "line", "Gus Patel"),
            ("--email", "address", "gus@hooli.example"),
        ),
        skip=frozenset({("--email", "empty")}),  # "" removes the address
    ),
    Spec(
        ("lead", "edit"),
        (
            ("ID", "id", "34"),
            ("--company", "line", "Hyperion"),
            ("--role", "line", "Data Engineer"),
            ("--url", "line", "https://hyperion.example/jobs/9"),
            ("--location", "line", "Berlin"),
            ("--salary-min", "amount", "50000"),
            ("--salary-max", "amount", "65000"),
            ("--salary-currency", "line", "EUR"),
            ("--salary-unit", "line", "YEAR"),
            ("--posted-on", "date", "2026-11-02"),
            ("--valid-through", "date", "2026-12-31"),
        ),
        skip=frozenset(
            {
                (o, label)
                for o in ("--url", "--location", "--salary-currency", "--salary-unit")
                for label in ("empty", "blank")
            }
            | {("--posted-on", "empty"), ("--valid-through", "empty")}
        ),
    ),
    Spec(("lead", "delete"), (("ID", "id", "35"),)),
    Spec(
        ("message", "edit"),
        (
            ("ID", "id", "4"),
            ("--received", "flag", ""),
            ("--to", "person", "Eli Novak <eli.novak@initech.example>"),
            ("--at", "datetime", "2026-11-13T12:00"),
            ("--note", "text", "They will decide next week"),
        ),
        skip=frozenset({("--to", "empty"), ("--note", "empty"), ("--note", "blank")}),
    ),
    Spec(("message", "delete"), (("ID", "id", "4"),)),
    Spec(
        ("assessment", "edit"),
        (
            ("INTERVIEW", "id", "2"),
            ("--score", "choice", "rapport=4"),
            ("--asked", "text", "Why Globex?"),
            ("--remove-asked", "text", "Tell me about a migration that went wrong."),
            ("--went-well", "text", "the demo"),
            ("--improve", "text", "shorter answers"),
            ("--confidence", "int", "70"),
            ("--at", "datetime", "2026-11-11T19:00"),
        ),
        skip=frozenset(
            {
                ("--went-well", "empty"),
                ("--went-well", "blank"),
                ("--improve", "empty"),
                ("--improve", "blank"),
                ("--confidence", "empty"),
            }
        ),
    ),
    Spec(("assessment", "delete"), (("INTERVIEW", "id", "2"),)),
    Spec(("outcome",), (("INTERVIEW_ID", "id", "7"), ("--clear", "flag", ""))),
    Spec(
        ("interview", "note"),
        (("INTERVIEW_ID", "id", "1"), ("--topic", "line", "batch jobs"), ("--text", "text", "ok")),
    ),
    Spec(("interview", "show"), (("INTERVIEW_ID", "id", "1"),)),
    Spec(("prep",), (("INTERVIEW_ID", "id", "6"),)),
    Spec(
        ("log",),
        (
            ("INTERVIEW_ID", "id", "1"),
            ("--received", "flag", ""),
            ("--to", "person", "Ana Lopez <ana.lopez@northwind.example>"),
            ("--at", "datetime", "2026-11-20T09:00"),
            ("--note", "text", "They wrote back"),
        ),
    ),
    Spec(
        ("outcome",),
        (
            ("INTERVIEW_ID", "id", "2"),
            ("OUTCOME", "choice", "offer"),
            ("--at", "datetime", "2026-11-19T10:00"),
        ),
    ),
    Spec(("done",), (("ACTION_ID", "action", "self_assess:1"),)),
    Spec(("skip",), (("ACTION_ID", "action", "self_assess:1"), ("--why", "line", "not needed"))),
    Spec(("send",), (("ACTION_ID", "action", "thank_you:1:3"),)),
    Spec(("reopen",), (("ACTION_ID", "action", "self_assess:1"),), runs=False),  # none ended
    Spec(
        ("assess",),
        (
            ("INTERVIEW_ID", "id", "1"),
            ("--asked", "text", "Why us?"),
            ("--went-well", "text", "rapport"),
            ("--improve", "text", "examples"),
            ("--confidence", "int", "60"),
        ),
    ),
    Spec(("profile", "reviewed"), (("--at", "datetime", "2026-11-20T09:00"),)),
    Spec(
        ("draft", "thank-you"),
        (
            ("INTERVIEW_ID", "id", "1"),
            ("--to", "person", "Chloé Martin <chloe.martin@northwind.example>"),
        ),
    ),
    Spec(("draft", "follow-up"), (("INTERVIEW_ID", "id", "2"),)),
    Spec(("outbox", "show"), (("MESSAGE_ID", "id", "1"),)),
    Spec(
        ("outbox", "edit"),
        (
            ("MESSAGE_ID", "id", "1"),
            ("--subject", "line", "Thank you"),
            ("--body", "text", "Thanks!"),
        ),
    ),
    Spec(
        ("outbox", "reschedule"),
        (("MESSAGE_ID", "id", "1"), ("--at", "datetime", "2026-11-20T11:00")),
    ),
    Spec(("outbox", "cancel"), (("MESSAGE_ID", "id", "1"),)),
    Spec(
        ("questions", "answer"),
        (("QUESTION_ID", "id", "1"), ("--text", "text", "Better answer")),
        skip=frozenset({("--text", "empty"), ("--text", "blank")}),  # empty clears the answer
    ),
    Spec(("questions", "tag"), (("QUESTION_ID", "id", "1"), ("TAG", "choice", "technical"))),
    Spec(("stats",), (("--since", "date", "2026-10-01"),)),
    Spec(("calendar", "export"), (("--out", "out", "{tmp}/feed.ics"),)),
    Spec(("export",), (("--out", "out", "{tmp}/export.json"),)),
    Spec(("report",), (("--out", "out", "{tmp}/report.html"),)),
    Spec(("insights",), (("--plot", "out", "{tmp}/plot.svg"),)),
    Spec(("stats",), (("--plot", "out", "{tmp}/stats.svg"),)),
    Spec(("import",), (("FILE", "in", "{tmp}/none.json"),), runs=False),
    Spec(("backup",), (("--out", "out", "{tmp}/afterview.bak"),)),
    Spec(("restore",), (("FILE", "in", "{tmp}/none.bak"),), runs=False),
    Spec(
        ("mail", "setup"),
        (
            ("--smtp-host", "host", "smtp.example.org"),
            ("--smtp-port", "int", "587"),
            ("--from", "address", "sam@example.org"),
            ("--from-name", "line", "Sam Rivera"),
            ("--smtp-user", "line", "sam"),
            ("--my-address", "address", "sam.rivera@example.org"),
        ),
    ),
    Spec(
        ("mail", "setup"),
        (
            ("--provider", "line", "gmail"),
            ("--from", "address", "sam@gmail.com"),
            ("--auth", "line", "oauth2"),
            ("--oauth-client-id", "line", "0f1e2d3c-aaaa.apps.googleusercontent.com"),
        ),
    ),
    Spec(("serve",), (("--port", "int", "0"), ("--host", "host", "127.0.0.1")), runs=False),
    Spec(("run",), (("--once", "flag", ""), ("--interval", "int", "60")), runs=False),
)

# Cases whose refusal is not the value's kind's business (the value is acceptable there)
ACCEPTED: set[tuple[str, str, str]] = {
    # a send or a regenerated draft goes through the same checks; `done` refuses with 1
}


def cases() -> list[tuple[str, Spec, str, str, int]]:
    """Every (case id, spec, option, bad value, exit code) of the table."""
    out = []
    for n, spec in enumerate(SPECS):
        for opt, kind, _good in spec.values:
            for label, value, code in BAD.get(kind, []):
                if (opt, label) in spec.skip or (spec.name, opt, label) in ACCEPTED:
                    continue
                out.append(
                    (f"{spec.name.replace(' ', '-')}#{n}:{opt}:{label}", spec, opt, value, code)
                )
    return out
