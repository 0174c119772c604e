"""The Insights, Questions and Prep pages and their API twins, in-process on both engines."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.webapp.test_app import add_interview, api, token


def seeded(c: TestClient) -> int:
    iv = add_interview(c)  # Acme, 2026-09-15 16:00 Paris
    r = api(c, "PUT", f"/api/interviews/{iv}/assessment", {
        "scores": {"answers": 2, "rapport": 4},
        "asked": ["Why do you want to work here?", "What are your salary expectations?"],
        "improve": "Prepare numbers for the salary question",
        "confidence": 70,
    })  # fmt: skip
    assert r.status_code == 200, r.text
    nxt = api(
        c,
        "POST",
        "/api/interviews",
        {"company": "Acme", "role": "Data Engineer", "start": "2026-09-22T10:00"},
    )
    assert nxt.status_code == 201
    return int(nxt.json()["id"])


def test_insights_page_charts_and_twin(client: TestClient) -> None:
    empty = client.get("/insights").text
    assert "No self-assessment yet" in empty
    assert client.get("/insights/trends.svg").status_code == 404
    seeded(client)
    page = client.get("/insights").text
    # The next round at Acme means the first one moved on.
    assert "1 interview assessed, 1 with a result" in page
    assert 'src="/insights/trends.svg"' in page and "Too few to judge" in page
    svg = client.get("/insights/trends.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg")
    assert client.get("/insights/pie.svg").status_code == 404
    twin = api(client, "GET", "/api/insights").json()
    assert twin["assessed"] == 1 and twin["calibration"]["n"] == 1


def test_questions_page_answer_and_tag(client: TestClient) -> None:
    seeded(client)
    page = client.get("/questions").text
    assert "What are your salary expectations?" in page and "salary (guessed)" in page
    bank = api(client, "GET", "/api/questions?tag=salary").json()
    [q] = bank["questions"]
    r = client.post(
        f"/questions/{q['id']}",
        data={"csrf_token": token(client), "answer": "A range, researched.", "tag": "other"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    got = api(client, "GET", "/api/questions?search=researched").json()["questions"]
    assert [(x["id"], x["tag"], x["tag_by"]) for x in got] == [(q["id"], "other", "you")]
    r = api(client, "PUT", f"/api/questions/{q['id']}", {"answer": None, "tag": "guess"})
    assert r.status_code == 200 and r.json()["tag"] == "salary" and r.json()["answer"] is None
    assert api(client, "PUT", "/api/questions/999", {"tag": "guess"}).status_code == 404
    assert api(client, "PUT", f"/api/questions/{q['id']}", {"tag": "nope"}).status_code == 422
    assert api(client, "GET", "/api/questions?tag=nope").status_code == 422


def test_prep_page_and_twin(client: TestClient) -> None:
    nxt = seeded(client)
    page = client.get(f"/interviews/{nxt}/prep").text
    assert "Prepare: Acme" in page and "Round 2" in page
    assert (
        "Why do you want to work here?" in page
        and "Prepare numbers for the salary question" in page
    )
    assert f'href="/interviews/{nxt}/prep"' in client.get(f"/interviews/{nxt}").text
    twin = api(client, "GET", f"/api/interviews/{nxt}/prep").json()
    assert twin["interview"]["round"] == 2 and len(twin["asked_here_before"]) == 2
    assert client.get("/interviews/999/prep").status_code == 404


def test_a_bad_tag_saves_nothing_and_put_keeps_what_is_not_sent(client: TestClient) -> None:
    seeded(client)
    qid = api(client, "GET", "/api/questions?tag=salary").json()["questions"][0]["id"]
    api(client, "PUT", f"/api/questions/{qid}", {"answer": "A researched range.", "tag": "other"})
    r = client.post(
        f"/questions/{qid}", data={"csrf_token": token(client), "answer": "CHANGED", "tag": "bogus"}
    )
    assert r.status_code == 422 and "tag: expected one of" in r.text
    r = client.post(
        f"/questions/{qid}", data={"csrf_token": token(client), "answer": "a\x01b", "tag": "other"}
    )
    assert r.status_code == 422 and "answer: control characters" in r.text
    got = api(client, "PUT", f"/api/questions/{qid}", {"tag": "salary"}).json()
    assert got["answer"] == "A researched range." and got["tag"] == "salary"
    got = api(client, "PUT", f"/api/questions/{qid}", {"answer": "Better."}).json()
    assert got["answer"] == "Better." and got["tag"] == "salary" and got["tag_by"] == "you"
    r = client.post(
        f"/questions/{qid}",
        data={"csrf_token": token(client), "answer": "Best.", "tag": "salary"},
        follow_redirects=False,
    )
    assert r.headers["location"] == f"/questions?msg=saved#q{qid}"


def test_the_questions_page_comes_25_at_a_time(client: TestClient) -> None:
    iv = add_interview(client)
    asked = [f"Question number {n} about topic {n * 7919 % 1000}?" for n in range(25)]
    api(client, "PUT", f"/api/interviews/{iv}/assessment", {"asked": asked})
    other = api(
        client,
        "POST",
        "/api/interviews",
        {"company": "Globex", "role": "R", "start": "2026-09-14T10:00"},
    ).json()["id"]
    api(
        client,
        "PUT",
        f"/api/interviews/{other}/assessment",
        {"asked": ["Why Globex?", "Why here?"]},
    )
    first = client.get("/questions").text
    assert "All (27), page 1 of 2" in first and 'href="/questions?page=2">Older questions' in first
    second = client.get("/questions?page=2").text
    assert (
        second.count('class="card"') == 2 and 'href="/questions?page=1">Newer questions' in second
    )
    assert "page 2 of 2" in client.get("/questions?page=99").text
    assert client.get("/questions?page=0").status_code == 422
    assert "page=2" not in client.get("/questions?company=Globex").text
