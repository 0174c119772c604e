"""`afterview backup` and `restore`: a consistent copy while other commands run, and
restoring one into an empty database."""

from __future__ import annotations

import click

from afterview.cli.app import cli, emit_json, json_option, settings, want_json


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{v} {k}" for k, v in counts.items())


@cli.command("backup")
@click.option("--out", required=True, metavar="FILE", help="Where to write the backup.")
@json_option
def backup(out: str, as_json: bool) -> None:
    """A consistent copy of your data while other commands run: an SQLite file (SQLite's
    online backup), or the JSON export on PostgreSQL."""
    from afterview.services.backup import backup as write_backup

    done = write_backup(settings().context(), out)
    if want_json(as_json):
        emit_json({"out": done.path, "kind": done.kind, "bytes": done.size, **done.counts})
    else:
        what = "an SQLite copy" if done.kind == "sqlite" else "the JSON export"
        click.echo(
            f"Backup written to {done.path} ({what}, {done.size} bytes): {_counted(done.counts)}."
        )


@cli.command("restore")
@click.argument("file", metavar="FILE")
@json_option
def restore(file: str, as_json: bool) -> None:
    """Restore a backup (an SQLite file from `backup`, or an export) into an empty database."""
    from afterview.services.backup import restore as restore_backup

    done = restore_backup(settings().context(), file)
    if want_json(as_json):
        emit_json({"kind": done.kind, "schema_version": done.version, **done.counts})
    else:
        what = (
            f"an SQLite backup, schema version {done.version}"
            if done.kind == "sqlite"
            else "an afterview export"
        )
        click.echo(f"Restored from {file} ({what}): {_counted(done.counts)}.")
