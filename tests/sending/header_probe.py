"""Header injection, probed in the message-building modules alone (standard library and
afterview only), so it runs on every supported Python, with or without the project's
virtual environment: `PYTHONPATH=src python tests/sending/header_probe.py` prints a JSON
report that `test_header_injection.py` reads.

The values are shared with the end-to-end tests (they import `HOSTILE` and `ACCEPTED`).
"""

from __future__ import annotations

import base64
import json
import sys
from datetime import UTC, datetime
from typing import Any


def _b(text: str, charset: str = "utf-8") -> str:
    return base64.b64encode(text.encode(charset)).decode("ascii")


#: One-line values that must never reach a header: raw line breaks and controls, and
#: RFC 2047 encoded words that decode to them (q and b, any case, two charsets).
HOSTILE: dict[str, str] = {
    "raw CR LF": "Engineer\r\nReply-To: x@evil.example",
    "raw LF": "Engineer\nBcc: x@evil.example",
    "raw CR": "Engineer\rBcc: x@evil.example",
    "raw NUL": "Engineer\x00Bcc: x@evil.example",
    "raw U+2028": "Engineer\u2028Bcc: x@evil.example",
    "raw U+0085": "Engineer\x85Bcc: x@evil.example",
    "q utf-8": "=?utf-8?q?Engineer=0D=0AReply-To:_x@evil.example?=",
    "Q UTF-8": "=?UTF-8?Q?Engineer=0D=0ABcc:_x@evil.example?=",
    "b utf-8": f"=?utf-8?b?{_b('Engineer' + chr(13) + chr(10) + 'Bcc: x@evil.example')}?=",
    "B UTF-8": f"=?UTF-8?B?{_b('Engineer' + chr(10) + 'Reply-To: x@evil.example')}?=",
    "q iso-8859-1": "=?iso-8859-1?q?Ing=E9nieur=0ABcc:_x@evil.example?=",
    "B ISO-8859-1": f"=?ISO-8859-1?B?{_b('Ingénieur' + chr(13) + 'Bcc: x', 'iso-8859-1')}?=",
    "q NUL": "=?utf-8?q?Engineer=00Bcc:_x@evil.example?=",
    "q U+2028": "=?utf-8?q?Engineer=E2=80=A8Bcc:_x@evil.example?=",
    "q U+0085": "=?utf-8?q?Engineer=C2=85Bcc:_x@evil.example?=",
    "inside text": "Data =?utf-8?q?Eng=0D=0A?= Bcc: x@evil.example",
}

#: Values that are fine in a header, and how a mail program shows them.
LONG_NAME = "Chloé-Anaïs Ørsted-Łukasiewicz van der Berg 山田 太郎 Ἀθηνᾶ Zoë " * 2
ACCEPTED: dict[str, tuple[str, str]] = {
    "harmless encoded word": ("=?utf-8?q?caf=C3=A9?= Engineer", "café Engineer"),
    "long unicode": (LONG_NAME.strip(), LONG_NAME.strip()),
    "quotes and comma": ('Lopez, Ana "AJ" (Acme)', 'Lopez, Ana "AJ" (Acme)'),
    "lookalike text": ("Re: =?x", "Re: =?x"),
    "long spanish name": (
        "José María Fernández de Córdoba y Ñúñez",
        "José María Fernández de Córdoba y Ñúñez",
    ),
    "cyrillic name": ("Александр Сергеевич Пушкин", "Александр Сергеевич Пушкин"),
    "non-ascii with parentheses": ("Anne Müller (HR)", "Anne Müller (HR)"),
    "cjk with parentheses": ("山田 太郎 (Taro Yamada)", "山田 太郎 (Taro Yamada)"),
}

SENT = ["From", "To", "Subject", "Date", "Message-ID", "Content-Type",
        "Content-Transfer-Encoding", "MIME-Version"]  # fmt: skip
DRAFT = ["From", "To", "Subject", "Date", "X-Unsent", "Content-Type",
         "Content-Transfer-Encoding", "MIME-Version"]  # fmt: skip
AT = datetime(2026, 9, 15, 17, 0, tzinfo=UTC)


def _settings(from_name: str | None = "Sam Rivera") -> Any:
    from afterview.mail.settings import MailSettings

    return MailSettings("smtp.example.org", 587, "starttls", None, "sam@example.org", from_name)


def _sent(subject: str, to_name: str, from_name: str | None, to_email: str) -> bytes:
    from afterview.mail.message import build_message

    msg = build_message(
        _settings(from_name), to_name=to_name, to_email=to_email, subject=subject,
        body="Dear Ana,\nThank you.\n", message_id="<1.probe@example.org>", at=AT, tz="UTC",
    )  # fmt: skip
    return msg.as_bytes()


def _draft(subject: str, to_name: str, from_name: str | None, to_email: str) -> bytes:
    from afterview.mail.message import build_draft

    return build_draft(
        from_name=from_name, from_address="sam@example.org", to_name=to_name,
        to_email=to_email, subject=subject, body="Dear Ana,\n", at=AT, tz="UTC",
    )  # fmt: skip


def _headers(data: bytes) -> dict[str, Any]:
    from email import policy
    from email.parser import BytesHeaderParser, BytesParser

    raw = BytesHeaderParser(policy=policy.compat32).parsebytes(data)
    shown = BytesParser(policy=policy.default).parsebytes(data)
    return {
        "names": list(raw.keys()),
        "subject": str(shown["Subject"]),
        "to": str(shown["To"]) if shown["To"] is not None else None,
        "from": str(shown["From"]),
        "recipients": [a.addr_spec for a in shown["To"].addresses] if shown["To"] else [],
    }


def _try(build: Any, **values: str | None) -> dict[str, Any]:
    from afterview.errors import BadInput

    args = {"subject": "Thanks", "to_name": "Ana Lopez", "from_name": "Sam Rivera",
            "to_email": "ana@acme.example", **values}  # fmt: skip
    try:
        return {"built": _headers(build(**args))}
    except BadInput as exc:
        return {"refused": str(exc)}


def probe() -> dict[str, Any]:
    """Build messages from every value in every header, as checked and with the first
    check switched off (the check after building must still hold)."""
    report: dict[str, Any] = {"python": list(sys.version_info[:3]), "hostile": {},
                              "accepted": {}, "unguarded": {}}  # fmt: skip
    for name, value in HOSTILE.items():
        address = value.replace(" ", "").replace("Engineer", "ana") + "@acme.example"
        for kind, build in (("sent", _sent), ("draft", _draft)):
            for header, values in (
                ("subject", {"subject": value}),
                ("to name", {"to_name": value}),
                ("from name", {"from_name": value}),
                ("to address", {"to_email": address}),
            ):
                report["hostile"][f"{kind}|{header}|{name}"] = _try(build, **values)
    for name, (value, _shown) in ACCEPTED.items():
        for kind, build in (("sent", _sent), ("draft", _draft)):
            report["accepted"][f"{kind}|{name}"] = _try(
                build, subject=value, to_name=value, from_name=value
            )
    from afterview.mail import message

    checked = message.check_header_text
    message.check_header_text = lambda value, field, **kw: value  # type: ignore[assignment]
    try:
        for name, value in HOSTILE.items():
            for header in ("subject", "to_name"):
                report["unguarded"][f"{header}|{name}"] = _try(_sent, **{header: value})
    finally:
        message.check_header_text = checked  # type: ignore[assignment]
    report["modules"] = sorted(
        {m.split(".")[0] for m in sys.modules} - set(sys.stdlib_module_names) - {"__main__"}
    )
    return report


if __name__ == "__main__":
    json.dump(probe(), sys.stdout, ensure_ascii=True)
