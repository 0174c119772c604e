"""`afterview demo`: a realistic sample around now, so a new user sees every practice at once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from afterview.core.timeutil import add_hours, local_at, zone
from afterview.errors import Refused
from afterview.services.context import Context
from afterview.store import repo


def _day(now: datetime, tz: str, days: int) -> date:
    """The date `days` from now, moved off the weekend (back for the past, forward for the future)."""
    d = (now.astimezone(zone(tz)) + timedelta(days=days)).date()
    while d.weekday() >= 5:
        d += timedelta(days=1 if days > 0 else -1)
    return d


def fill_demo(ctx: Context) -> dict[str, int]:
    """Write the sample into an empty account; refuse a database that holds data."""
    db, acc, now, tz = ctx.db, ctx.account, ctx.now, ctx.user_tz
    if not repo.is_empty(db, acc):
        raise Refused(
            "demo: the database already holds data; run the demo on a new file (--db demo.db)"
        )
    z = zone(tz)

    def at(days: int, hour: int, minute: int = 0) -> datetime:
        return local_at(_day(now, tz, days), time(hour, minute), z)

    def person(name: str, email: str) -> object:
        return repo.find_or_add_person(db, acc, name, email)

    def interview(
        company: str,
        role: str,
        start: datetime,
        minutes: int,
        people: list[object],
        decision: date | None,
        topics: list[str],
    ) -> int:
        app = repo.find_application(db, acc, company, role)
        if app is None:
            app = repo.add_application(
                db, acc, company, role, (start - timedelta(days=14)).date(), None, now
            )
        iv = repo.add_interview(
            db, acc, app, start, add_hours(start, minutes / 60), tz, decision, now
        )
        repo.set_interviewers(db, iv, people)  # type: ignore[arg-type]
        for t in topics:
            repo.add_topic(db, iv, t, now)
        return iv

    def touch(
        iv: int, direction: str, kind: str, who: object | None, when: datetime, note: str
    ) -> None:
        pid = getattr(who, "id", None)
        repo.add_touch(db, acc, iv, direction, kind, pid, when, note, False, now)

    ended_ago = now - timedelta(minutes=90)
    with db.transaction():
        # A panel interview that ended an hour and a half ago: thank each of them, differently.
        ana, ben, chloe = (
            person("Ana Lopez", "ana.lopez@northwind.example"),
            person("Ben Okafor", "ben.okafor@northwind.example"),
            person("Chloé Martin", "chloe.martin@northwind.example"),
        )
        panel = interview(
            "Northwind Analytics",
            "Senior Data Engineer",
            ended_ago - timedelta(minutes=60),
            60,
            [ana, ben, chloe],
            _day(now, tz, 10),
            [
                "moving the nightly batch to streaming",
                "on-call and incident reviews",
                "data contracts with product teams",
            ],
        )
        # Globex: interviewed nine days ago; the decision date has passed: follow up now.
        dana = person("Dana Kim", "dana.kim@globex.example")
        globex = interview(
            "Globex",
            "Platform Engineer",
            at(-9, 10),
            45,
            [dana],
            _day(now, tz, -6),
            ["the Kubernetes upgrade"],
        )
        touch(globex, "sent", "thank_you", dana, at(-9, 13), "sent from the train")
        repo.save_assessment(
            db,
            acc,
            globex,
            at(-9, 18),
            {"preparation": 4, "answers": 3, "questions_asked": 4, "rapport": 4, "technical": 3},
            ["Tell me about a migration that went wrong."],
            "Clear story about the database migration",
            "Be more concise on system design",
            60,
        )
        # Initech: one follow-up sent, the employer answered: the clock restarted.
        eli = person("Eli Novak", "eli.novak@initech.example")
        initech = interview(
            "Initech", "Backend Developer", at(-20, 15), 60, [eli], None, ["API versioning"]
        )
        touch(initech, "sent", "thank_you", eli, at(-20, 18), "")
        touch(initech, "sent", "follow_up", eli, at(-12, 9, 30), "asked about the timeline")
        touch(initech, "received", "other", eli, at(-5, 11), "still interviewing, news next week")
        # Umbrella Health: two follow-ups, no answer: a ghosting.
        fay = person("Fay Duval", "fay.duval@umbrella.example")
        umbrella = interview(
            "Umbrella Health", "Data Analyst", at(-40, 11), 60, [fay], _day(now, tz, -33), []
        )
        touch(umbrella, "sent", "thank_you", fay, at(-40, 14), "")
        touch(umbrella, "sent", "follow_up", fay, at(-31, 9, 15), "")
        touch(umbrella, "sent", "follow_up", fay, at(-24, 9, 15), "")
        # Hooli: first round went well; the next round is the day after tomorrow.
        gus = person("Gus Patel", "gus.patel@hooli.example")
        hooli1 = interview("Hooli", "ML Engineer", at(-16, 14), 45, [gus], None, ["ranking models"])
        touch(hooli1, "sent", "thank_you", gus, at(-16, 17), "")
        repo.save_assessment(
            db,
            acc,
            hooli1,
            at(-16, 19),
            {"preparation": 5, "answers": 4, "technical": 4},
            ["How would you evaluate a ranking model offline?"],
            "Good whiteboard flow",
            None,
            80,
        )
        repo.set_outcome(db, acc, hooli1, "next_round", at(-10, 16))
        hana = person("Hana Sato", "hana.sato@hooli.example")
        interview("Hooli", "ML Engineer", at(2, 10), 90, [gus, hana], _day(now, tz, 12), [])
        # Stark Logistics: a rejection two weeks ago.
        ivo = person("Ivo Berg", "ivo.berg@stark.example")
        stark = interview("Stark Logistics", "Data Engineer", at(-25, 9), 60, [ivo], None, [])
        touch(stark, "sent", "thank_you", ivo, at(-25, 12), "")
        repo.set_outcome(db, acc, stark, "rejected", at(-14, 10))
        for iv, item, conf in ((umbrella, 3, 70), (stark, 2, 40)):
            repo.save_assessment(
                db,
                acc,
                iv,
                at(-24, 20),
                {"preparation": item, "answers": 3, "rapport": 4},
                [],
                None,
                "Prepare two questions about the team",
                conf,
            )
        # Applications over the last six weeks, two so far this week, and a few leads.
        week_start = _day(now, tz, -now.astimezone(z).weekday())
        companies = [
            "Acme",
            "Vandelay",
            "Soylent",
            "Wonka",
            "Tyrell",
            "Cyberdyne",
            "Gringotts",
            "Oscorp",
            "Wayne Ent.",
            "Aperture",
            "Black Mesa",
            "Monarch",
            "Nakatomi",
            "Pied Piper",
            "Massive Dynamic",
            "Duff",
            "Gekko",
            "Sirius",
        ]
        n = 0
        for weeks_back, count in ((6, 4), (5, 5), (4, 3), (3, 6), (2, 2), (1, 5), (0, 2)):
            for k in range(count):
                day = week_start - timedelta(days=7 * weeks_back) + timedelta(days=k % 5)
                if day > now.astimezone(z).date():
                    day = now.astimezone(z).date()
                repo.add_application(
                    db,
                    acc,
                    companies[n % len(companies)],
                    ["Data Engineer", "Analytics Engineer", "Platform Engineer"][n % 3],
                    day,
                    f"https://jobs.example/{n + 1}",
                    now,
                )
                n += 1
        for lead in ("Hyperion", "Virtucon"):
            repo.add_application(
                db,
                acc,
                lead,
                "Data Engineer",
                None,
                f"https://jobs.example/lead-{lead.lower()}",
                now,
            )
        repo.add_profile_review(db, acc, now - timedelta(days=45))
    return {
        "interviews": 7,
        "applications": n + 2 + 6,
        "panel_interview": panel,
        "ghosted": umbrella,
    }
