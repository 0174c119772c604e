"""`afterview config path|show`."""

from __future__ import annotations

import click

from afterview.cli.app import cli, emit_json, json_option, want_json


@cli.group("config")
def config_group() -> None:
    """Where the settings live and what they are."""


@config_group.command("path")
def config_path_cmd() -> None:
    """Print the config file's path."""
    from afterview.config import config_path

    click.echo(config_path())


@config_group.command("show")
@json_option
def config_show(as_json: bool) -> None:
    """Print the settings in force (defaults included)."""
    import os

    from afterview.clock import system_zone
    from afterview.config import load_config

    cfg = load_config()
    data = {
        "path": cfg.path,
        "exists": os.path.exists(cfg.path),
        "timezone": cfg.timezone or system_zone(),
        "timezone_from": "config" if cfg.timezone else "system",
        "country": cfg.country,
        "subdivision": cfg.subdivision,
        "me": {"name": cfg.my_name, "email": cfg.my_email},
        "assess": {"rubric": list(cfg.rubric)},
        "profile": {"resume": cfg.resume, "linkedin": cfg.linkedin},
        "playbook": cfg.playbook.as_dict(),
        "history": {"keep_days": cfg.journal_days},
    }
    if want_json(as_json):
        emit_json(data)
        return
    click.echo(f"# {data['path']}" + ("" if data["exists"] else " (not created yet: all defaults)"))
    click.echo(f'timezone = "{data["timezone"]}"  # from {data["timezone_from"]}')
    click.echo(f"country = {_toml(cfg.country)}")
    click.echo(f"subdivision = {_toml(cfg.subdivision)}")
    click.echo("\n[me]")
    click.echo(f"name = {_toml(cfg.my_name)}")
    click.echo(f"email = {_toml(cfg.my_email)}")
    click.echo("\n[assess]")
    click.echo(f"rubric = {_toml(list(cfg.rubric))}")
    click.echo("\n[profile]")
    click.echo(f"resume = {_toml(cfg.resume)}")
    click.echo(f"linkedin = {_toml(cfg.linkedin)}")
    click.echo("\n[playbook]")
    for key, value in cfg.playbook.as_dict().items():
        click.echo(f"{key} = {_toml(value)}")
    click.echo("\n[history]")
    click.echo(f"keep_days = {cfg.journal_days}")


def _toml(value: object) -> str:
    import json

    if value is None:
        return '""  # not set'
    if isinstance(value, float) and value.is_integer():
        return f"{value:.1f}"
    return json.dumps(value)
