"""Today on a long search: what to do now first ("Now": overdue, ideal, open), then what
comes up, then the counts; each group shows its first cards with "Show all"; ended
actions a page at a time; the empty state of a new user; and the page on the five-year
history of bench/generate.py (fast and light)."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from afterview.web.app import create_app
from afterview.web.pages import ENDED_PAGE, GROUP_LIMIT
from afterview.web.runtime import LOOPBACK_HOSTS, WebSettings
from tests.store.conftest import HISTORY_NOW, _generator
from tests.webapp.conftest import Clock
from tests.webapp.test_app import add_interview


def section(page: str, key: str) -> str:
    """The HTML of one group of Today (`now`, `coming`, `ended`, `counts`)."""
    found = re.search(
        rf'<section class="[^"]*" aria-labelledby="g-{key}">(.*?)\n</section>', page, re.S
    )
    assert found, key
    return found.group(1)


def cards(html: str) -> list[str]:
    """The ids of the action cards in a piece of HTML, in order."""
    return re.findall(r'<article class="action state-\w+" id="action-([^"]+)"', html)


def test_now_comes_first_then_coming_up_then_the_counts(client: TestClient) -> None:
    iv = add_interview(client)  # ended 17:00 Paris; it is 17:30
    page = client.get("/").text
    assert page.index('id="g-now"') < page.index('id="g-coming"') < page.index('id="g-counts"')
    now = section(page, "now")
    assert "Now (" in now and "Ideal now (" in now and "Open (" in now
    assert f"thank_you%3A{iv}%3A1" in now and f"self_assess%3A{iv}" in now
    coming = section(page, "coming")
    assert cards(coming) == [f"follow_up%3A{iv}%3A1"] and "Coming up (1)" in coming
    # the counts say what the JSON twin lists
    live = client.get("/api/today").json()["actions"]
    counted = {
        s: sum(a["state"] == s for a in live) for s in ("overdue", "ideal", "open", "upcoming")
    }
    numbers = section(page, "counts")
    for state, words in (
        ("ideal", "at their best moment now"),
        ("open", "open"),
        ("upcoming", "coming up"),
    ):
        assert f'<span class="n">{counted[state]}</span> {words}' in numbers, state
    assert "Show ended actions too" in numbers


def test_each_group_shows_its_first_cards_then_all(client: TestClient) -> None:
    for n in range(14):
        add_interview(client, company=f"Firm {n:02d}", topics=[])
    live = client.get("/api/today").json()["actions"]
    in_now = [a for a in live if a["state"] in ("overdue", "ideal", "open")]
    upcoming = [a for a in live if a["state"] == "upcoming"]
    assert len(in_now) > GROUP_LIMIT and len(upcoming) == 14
    page = client.get("/").text
    now, coming = section(page, "now"), section(page, "coming")
    assert len(cards(now)) == GROUP_LIMIT and f"Now ({len(in_now)})" in now
    # each state keeps a few cards: open thank-yous do not push out the ideal ones
    assert 'class="action state-ideal"' in now and 'class="action state-open"' in now
    assert f'<a href="/?full=true#g-now">Show all {len(in_now)}</a>' in now
    assert len(cards(coming)) == GROUP_LIMIT
    assert '<a href="/?full=true#g-coming">Show all 14</a>' in coming
    full = client.get("/?full=true").text
    assert len(cards(section(full, "now"))) == len(in_now)
    assert len(cards(section(full, "coming"))) == 14 and "Show all" not in full
    assert "Show the first cards only" in full
    # the cards of the page are the ones of the JSON twin, in its order
    assert cards(section(full, "now")) == [a["id"].replace(":", "%3A") for a in in_now]


def test_ended_actions_come_newest_first_a_page_at_a_time(client: TestClient, clock: Clock) -> None:
    for n in range(14):
        add_interview(
            client, company=f"Firm {n:02d}", topics=[], start=f"2026-09-{n + 1:02d}T10:00"
        )
    clock.at = datetime(2026, 10, 6, 10, 0, tzinfo=UTC)  # every one of them ended long ago
    everything = client.get("/api/today?all=true").json()["actions"]
    ended = [a for a in everything if a["ended_at"]]
    assert len(ended) > ENDED_PAGE
    newest = sorted(ended, key=lambda a: datetime.fromisoformat(a["ended_at"]), reverse=True)
    assert 'id="g-ended"' not in client.get("/").text
    page = client.get("/?all=true").text
    group = section(page, "ended")
    assert f"Ended ({len(ended)})" in group and len(cards(group)) == GROUP_LIMIT
    assert cards(group)[0] == newest[0]["id"].replace(":", "%3A")
    assert f'<a href="/?full=true&amp;all=true#g-ended">Show all {len(ended)}</a>' in group
    first = section(client.get("/?all=true&full=true").text, "ended")
    assert len(cards(first)) == ENDED_PAGE and "page 1 of 2" in first and "Older" in first
    second = section(client.get("/?all=true&full=true&page=2").text, "ended")
    assert len(cards(second)) == len(ended) - ENDED_PAGE and "Newer" in second
    assert set(cards(first)).isdisjoint(cards(second))
    beyond = section(client.get("/?all=true&full=true&page=9").text, "ended")
    assert cards(beyond) == cards(second)  # past the last page: the last page
    for bad in ("page=0", "page=-1", "page=x", "page=\u0661", "page=1234567", "full=maybe"):
        r = client.get(f"/?all=true&{bad}")
        assert r.status_code == 422, bad
        assert bad.split("=")[0] in r.text


def test_a_new_user_sees_the_five_practices_and_how_to_start(client: TestClient) -> None:
    page = client.get("/").text
    found = re.search(r'aria-labelledby="start-h">(.*?)\n</section>', page, re.S)
    assert found, "the empty state"
    start = found.group(1)
    assert len(re.findall(r"<li><strong>", start)) == 5
    assert '<a class="button primary" href="/interviews#add">Add your first interview</a>' in start
    assert '<a class="button" href="/interviews#import">Import an invitation</a>' in start
    assert "Nothing to do in the coming days" not in page and 'id="g-counts"' not in page
    # the links lead to the forms they name
    interviews = client.get("/interviews").text
    assert 'id="add"' in interviews and 'id="import"' in interviews and 'type="file"' in interviews


def test_with_interviews_but_nothing_soon_today_says_so(client: TestClient) -> None:
    add_interview(client, start="2026-12-01T10:00")  # in eleven weeks
    page = client.get("/").text
    assert "Nothing to do in the coming days" in page
    assert "Add your first interview" not in page and 'id="g-now"' not in page


# -- the five-year history ----------------------------------------------------------------------
PAGES = ("/", "/?full=true", "/?all=true", "/?all=true&full=true", "/?all=true&full=true&page=40")
#: the pages held to the time budget (the ended actions need the whole plan of five years)
TIMED = ("/", "/?full=true")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history") / "heavy.db"
    _generator().generate(str(path), seed=3, now_text=HISTORY_NOW)
    return path


@pytest.fixture
def heavy(history: Path, tmp_path: Path) -> Iterator[tuple[TestClient, Clock]]:
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Europe/Paris"\n', encoding="utf-8")
    clock = Clock(datetime.fromisoformat(HISTORY_NOW))
    settings = WebSettings(
        db_target=str(history),
        clock=clock,
        allowed_hosts=(*LOOPBACK_HOSTS, "testserver"),
        config_path=str(config),
    )
    with TestClient(create_app(settings), base_url="http://testserver") as c:
        c.get("/")  # the facts are loaded once per data revision, as on a running server
        yield c, clock


def test_today_on_five_years_is_fast_and_light(heavy: tuple[TestClient, Clock]) -> None:
    """Each page is computed again every minute (its views are cached per minute and data
    revision): that is what is timed, in CPU time of this process (server and client), as
    the wall time on a shared machine measures the neighbours too; both are printed
    (bench/web_pages.py gives the medians and p95 on a quiet machine)."""
    client, clock = heavy
    figures = []
    for path in PAGES:
        wall, cpu, cached = [], [], []
        for _ in range(5):
            clock.at += timedelta(minutes=1)  # a new minute: the page is computed again
            began, began_cpu = time.perf_counter(), time.process_time()
            r = client.get(path)
            wall.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
            assert r.status_code == 200, (path, r.text[:300])
            assert len(r.content) < 200_000, (path, len(r.content))
            began = time.perf_counter()
            client.get(path)  # within the minute: from the cache
            cached.append(time.perf_counter() - began)
        # the least CPU time of the five: a neighbour on the same core (the other test
        # worker) stretches this process's CPU time too, never shortens it
        ms = min(cpu) * 1000
        figures.append(
            f"{path}: {len(r.content) / 1000:.0f} KB, computed {ms:.0f} ms CPU at best, "
            f"{statistics.median(cpu) * 1000:.0f} ms median "
            f"({statistics.median(wall) * 1000:.0f} ms wall), cached "
            f"{statistics.median(cached) * 1000:.0f} ms, {r.text.count('<article')} cards"
        )
        if path in TIMED:
            assert ms < 100, figures[-1]
    print("\n" + "\n".join(figures))


def test_the_api_pages_the_actions(client: TestClient, clock: Clock) -> None:
    """`/api/today` gives the live actions whole; with `all=true` a page of 100 by default,
    `limit`/`offset` for the rest, `total` and `next_offset` to walk them."""
    for n in range(30):
        add_interview(
            client, company=f"Firm {n:02d}", topics=[], start=f"2026-08-{n + 1:02d}T10:00"
        )
    clock.at = datetime(2026, 10, 6, 10, 0, tzinfo=UTC)
    live = client.get("/api/today").json()
    assert live["total"] == len(live["actions"]) and live["next_offset"] is None
    first = client.get("/api/today?all=true").json()
    assert len(first["actions"]) == 100 and first["total"] > 100 and first["next_offset"] == 100
    walked, offset = [], 0
    while offset is not None:
        page = client.get(f"/api/today?all=true&limit=37&offset={offset}").json()
        assert len(page["actions"]) <= 37 and page["total"] == first["total"]
        walked += page["actions"]
        offset = page["next_offset"]
    assert [a["id"] for a in walked[:100]] == [a["id"] for a in first["actions"]]
    assert len(walked) == first["total"] == len({a["id"] for a in walked})
    assert client.get(f"/api/today?all=true&offset={first['total']}").json()["actions"] == []
    for bad in ("limit=0", "limit=1001", "offset=-1", "limit=x"):
        r = client.get(f"/api/today?all=true&{bad}")
        assert r.status_code == 422 and r.json()["field"] in ("limit", "offset"), bad
