"""Public holidays of the configured country are not business days (the `holidays` package)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.cli.helpers import Afterview


def test_bastille_day_moves_the_follow_up(av: Afterview) -> None:
    cfg = Path(os.environ["AFTERVIEW_CONFIG"])
    cfg.write_text('timezone = "Europe/Paris"\ncountry = "FR"\n')
    iv = av.ok(
        "interview",
        "add",
        "--company",
        "Acme",
        "--role",
        "DE",
        "--start",
        "2026-07-06T14:00",
        "--decision-by",
        "2026-07-13",
        "--interviewer",
        "Ana <ana@acme.example>",
        now="2026-07-06T16:00",
    ).out.strip()
    acts = {a["id"]: a for a in av.ok("agenda", "--json", now="2026-07-10T09:00").json()["actions"]}
    assert acts[f"follow_up:{iv}:1"]["opens_at"] == "2026-07-15T09:00:00+02:00"
    cache = list((Path(os.environ["XDG_CACHE_HOME"]) / "afterview").glob("holidays-FR-*.json"))
    assert cache, "holidays are cached for the next start"
    cfg.write_text('timezone = "Europe/Paris"\n')
    acts = {a["id"]: a for a in av.ok("agenda", "--json", now="2026-07-10T09:00").json()["actions"]}
    assert acts[f"follow_up:{iv}:1"]["opens_at"] == "2026-07-14T09:00:00+02:00"


def test_a_bad_config_is_one_clear_line(av: Afterview) -> None:
    cfg = Path(os.environ["AFTERVIEW_CONFIG"])
    for text, field in (
        ('timezone = "Mars/Base"\n', "config timezone"),
        ('[playbook]\nfollow_up_cap = "two"\n', "playbook.follow_up_cap"),
        ("[playbook]\nfollow_upcap = 2\n", "playbook.follow_upcap"),
        ("timezone = \n", "not valid TOML"),
        ('colour = "blue"\n', "config colour"),
    ):
        cfg.write_text(text)
        r = av("agenda", now="2026-07-10T09:00")
        assert r.code == 2 and field in r.err and len(r.err.strip().splitlines()) == 1, (
            text,
            r.err,
        )
