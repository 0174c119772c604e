"""`application list` and `interview list` (issue 19, first step): a table that fits the
terminal with words wrapped whole, tab-separated lines when piped, `--limit`, `--offset`
and `--all`, search, filters and sort, errors naming the option, JSON unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from afterview.cli import table
from afterview.cli.table import Column, text_table, tsv, width
from tests.cli.helpers import Afterview

NOW = "2026-09-20T10:00"
HOSTILE = "Evil & <Co> [bold]x[/bold]"


@pytest.fixture
def filled(av: Afterview) -> Afterview:
    for n, (company, role, day) in enumerate(
        [
            ("Acme", "Data Engineer", "2026-09-01"),
            ("Globex", "Site Reliability Engineer for the platform team", "2026-09-03"),
            ("acme", "ML Engineer", "2026-09-05"),
            (HOSTILE, "QA", "2026-09-07"),
            ("Initech", "株式会社のエンジニア", "2026-09-09"),
        ]
    ):
        av.ok("application", "add", "--company", company, "--role", role, "--applied-on", day,
              now=NOW)  # fmt: skip
        assert n >= 0
    av.ok("interview", "add", "--company", "Acme", "--role", "Data Engineer",
          "--start", "2026-09-10T14:00", "--interviewer", "Ana Lopez <ana@acme.example>", now=NOW)  # fmt: skip
    return av


def test_piped_lists_are_tab_separated_one_record_a_line(filled: Afterview) -> None:
    out = filled.ok("application", "list", now=NOW).out
    lines = out.splitlines()
    assert lines[0] == "id\tcompany\trole\tapplied\tstatus\tinterviews"
    assert len(lines) == 6 and all(line.count("\t") == 5 for line in lines)
    assert not any(c in out for c in "┃━│")
    hostile = next(line for line in lines if "Evil" in line)
    assert HOSTILE in hostile  # as typed: no markup read
    assert lines[1].split("\t")[1] == "Initech"  # most recently applied first


def test_limit_offset_all_and_json(filled: Afterview) -> None:
    ids = [r["id"] for r in filled.ok("application", "list", "--json", now=NOW).json()]
    assert len(ids) == 5  # JSON: every row
    got = filled.ok("application", "list", "--json", "--limit", "2", "--offset", "1", now=NOW)
    assert [r["id"] for r in got.json()] == ids[1:3]
    assert set(got.json()[0]) == {"id", "company", "role", "applied_on", "url", "status",
                                  "interviews"}  # fmt: skip
    assert len(filled.ok("application", "list", "--all", now=NOW).out.splitlines()) == 6
    assert filled.ok("application", "list", "--json", "--offset", "99", now=NOW).json() == []


def test_search_filters_and_sort(filled: Afterview) -> None:
    def companies(*args: str) -> list[str]:
        rows = filled.ok("application", "list", "--json", *args, now=NOW).json()
        return [r["company"] for r in rows]

    assert companies("--company", "ACME") == ["acme", "Acme"]
    assert companies("--search", "platform") == ["Globex"]
    assert companies("--since", "2026-09-05", "--until", "2026-09-07") == [HOSTILE, "acme"]
    assert [c.casefold() for c in companies("--sort", "company", "--asc")] == sorted(
        c.casefold() for c in companies()
    )
    acme = next(r for r in filled.ok("application", "list", "--json", now=NOW).json()
                if r["interviews"])  # fmt: skip
    assert companies("--status", acme["status"]) == ["Acme"]
    assert companies("--stage", "interviewing") == ["Acme"]
    assert companies("--asc")[0] == "Acme"
    ivs = filled.ok("interview", "list", "--json", "--company", "acme", now=NOW).json()
    assert [i["role"] for i in ivs] == ["Data Engineer"]
    assert filled.ok("interview", "list", "--json", "--since", "2026-09-11", now=NOW).json() == []


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["application", "list", "--since", "2026-02-30"], "--since: expected a date"),
        (["application", "list", "--since", "2026-09-09", "--until", "2026-09-01"], "--until:"),
        (["application", "list", "--status", "hired"], "--status: expected one of"),
        (["interview", "list", "--status", "hired"], "--status: expected one of"),
        (["interview", "list", "--search", "a\nb"], "--search:"),
        (["application", "list", "--limit", "-1"], "--limit"),
        (["application", "list", "--sort", "salary"], "--sort"),
    ],
)
def test_bad_options_name_the_option(filled: Afterview, args: list[str], line: str) -> None:
    r = filled(*args, now=NOW)
    assert r.code == 2 and line in r.err, r.err
    assert "Traceback" not in r.err


def test_on_a_terminal_the_table_fits_80_columns_and_words_stay_whole(
    filled: Afterview, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(table, "on_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    out = filled.ok("application", "list", now=NOW).out
    lines = out.splitlines()
    assert lines[0] == "Applications"
    assert all(width(line) <= 80 for line in lines), out
    words = ["Site", "Reliability", "Engineer", "for", "the", "platform", "team"]
    assert all(w in out.split() for w in words)  # wrapped between words, none cut
    ivs = filled.ok("interview", "list", now=NOW).out
    assert "Ana Lopez" in ivs and ivs.splitlines()[0] == "Interviews"


def test_a_terminal_shows_fifty_and_says_what_is_left(
    av: Afterview, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(55):
        av.ok("application", "add", "--company", f"Company {n}", "--role", "Engineer", now=NOW)
    monkeypatch.setattr(table, "on_terminal", lambda: True)
    out = av.ok("application", "list", now=NOW).out.splitlines()
    assert out[-1].startswith("1–50 of 55 shown; --all shows every application")
    assert len(av.ok("application", "list", "--all", now=NOW).out.splitlines()) == 55 + 3
    last = av.ok("application", "list", "--offset", "50", now=NOW).out.splitlines()[-1]
    assert last.startswith("51–55 of 55 shown")
    monkeypatch.setattr(table, "on_terminal", lambda: False)
    assert len(av.ok("application", "list", now=NOW).out.splitlines()) == 56  # piped: all


def test_the_table_wraps_text_columns_to_the_room_given() -> None:
    cols = [Column("id"), Column("company", True), Column("role", True)]
    rows = [[1, "A very long company name indeed", "Engineer of many many things"]]
    lines = text_table(cols, rows, 30)
    assert all(width(line) <= 30 for line in lines), lines
    words = set(" ".join(lines[2:]).split())
    assert {"company", "indeed", "Engineer", "things"} <= words
    assert width("株式会社") == 8 and width("e\u0301") == 1
    assert tsv(cols, [[1, "a\tb", "c\nd\x1b[2J"]]) == "id\tcompany\trole\n1\ta b\tc d\\x1b[2J\n"


PAGES = Path(__file__).resolve().parents[1] / "sources" / "pages"


def test_lead_list_filters_sorts_pages_and_prints_pay(
    av: Afterview, monkeypatch: pytest.MonkeyPatch
) -> None:
    for page in ("multiple.html", "greenhouse.html"):
        av.ok("lead", "add", str(PAGES / page), now=NOW)
    rows = av.ok("lead", "list", "--json", now=NOW).json()
    assert [r["posted_on"] for r in rows] == sorted((r["posted_on"] for r in rows), reverse=True)
    piped = av.ok("lead", "list", now=NOW).out.splitlines()
    assert piped[0] == "id\tcompany\trole\twhere\tpay\tposted\tstatus"
    pay = {line.split("\t")[2]: line.split("\t")[4] for line in piped[1:]}
    assert pay["Scheduling Analyst"] == "68,000 USD"  # one amount when min = max
    assert pay["Fleet Maintenance Technician"] == "31–38.75 USD/hour"
    by_company = av.ok("lead", "list", "--json", "--sort", "company", now=NOW).json()
    assert by_company[-1]["company"] == "Quillfeather Labs"
    assert [r["role"] for r in av.ok("lead", "list", "--json", "--search", "berlin",
                                     now=NOW).json()] == ["Senior Backend Engineer, Payments"]  # fmt: skip
    since = av.ok("lead", "list", "--json", "--since", "2025-05-01", now=NOW).json()
    assert {r["posted_on"] for r in since} == {"2025-05-01", "2025-05-09"}
    assert (
        len(av.ok("lead", "list", "--json", "--limit", "1", "--offset", "1", now=NOW).json()) == 1
    )
    r = av("lead", "list", "--until", "2025-02-30", now=NOW)
    assert r.code == 2 and "--until:" in r.err and "Traceback" not in r.err
    monkeypatch.setattr(table, "on_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "80")
    out = av.ok("lead", "list", now=NOW).out
    assert out.splitlines()[0] == "Leads" and all(width(line) <= 80 for line in out.splitlines())


def test_outbox_lists_the_latest_first_and_pages(av: Afterview) -> None:
    av.ok("mail", "setup", "--smtp-host", "smtp.example.org", "--from", "sam@example.org",
          now=NOW)  # fmt: skip
    for n, who in enumerate(("Ana Lopez <ana@acme.example>", "Bob Smith <bob@globex.example>")):
        av.ok("interview", "add", "--company", f"Co {n}", "--role", "SRE", "--start",
              "2026-09-20T08:00", "--interviewer", who, now=NOW)  # fmt: skip
        av.ok("send", f"thank_you:{n + 1}:{n + 1}", now=NOW)
    piped = av.ok("outbox", now=NOW).out.splitlines()
    assert piped[0] == "id\tstate\twhen\taction\tto\tsubject\tnote"
    assert [line.split("\t")[0] for line in piped[1:]] == ["2", "1"]
    assert [m["id"] for m in av.ok("outbox", "--json", "--offset", "1", now=NOW).json()] == [1]
    assert av.ok("outbox", "--limit", "1", now=NOW).out.splitlines()[1].startswith("2\t")
