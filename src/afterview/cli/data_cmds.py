"""`afterview demo`, `export` and `import`: sample data and taking your data with you."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from afterview.cli.app import cli, emit_json, json_option, settings, want_json
from afterview.timewords import counted


@cli.command("demo")
@json_option
def demo(as_json: bool) -> None:
    """Fill an empty database with a realistic sample dated around now."""
    from afterview.services.demo import fill_demo

    counts = fill_demo(settings().context())
    if want_json(as_json):
        emit_json(counts)
    else:
        click.echo(
            f"Sample written: {counted(counts['interviews'], 'interview')} and their messages, "
            f"{counted(counts['applications'], 'application')}. Now run: afterview agenda"
        )


@cli.command("export")
@click.option("--out", metavar="FILE", help="Write to FILE instead of standard output.")
@json_option
def export(out: str | None, as_json: bool) -> None:
    """All your data as versioned JSON (docs/export-format.md); with --out and --json, where
    it wrote, as JSON."""
    from afterview.outfile import check_destination, write_streamed
    from afterview.services.porting import write_export

    if out is not None:
        check_destination(out, "--out")
    ctx = settings().context()
    if out is not None:
        write_streamed(out, lambda fh: write_export(ctx, fh.write), "--out")
        if want_json(as_json):
            emit_json({"out": out})
        else:
            click.echo(f"Exported to {out}.", err=True)
    else:
        stream = sys.stdout.buffer
        write_export(ctx, stream.write)
        stream.flush()


@cli.command("import")
@click.argument("file", metavar="FILE")
@json_option
def import_(file: str, as_json: bool) -> None:
    """Import an export into an empty database ('-' reads standard input)."""
    from afterview.errors import BadInput
    from afterview.services.porting import import_export
    from afterview.textcheck import printable

    if file == "-":
        if sys.stdin is None:
            raise BadInput("FILE", "standard input is closed; give a file or pipe one in")
        counts = import_export(settings().context(), sys.stdin.buffer.read, file)
    else:
        try:
            fh = open(file, "rb")  # noqa: SIM115 (closed below, after the import)
        except OSError as exc:
            raise BadInput("FILE", f"cannot read {printable(file)}: {exc.strerror}") from None
        with fh:
            counts = import_export(settings().context(), _reading(fh, file), file)
    if want_json(as_json):
        emit_json(counts)
    else:
        click.echo(", ".join(f"{v} {k}" for k, v in counts.items()) + " imported.")


def _reading(fh: Any, file: str) -> Callable[[int], bytes]:
    """`fh.read`, with a failure to read (a folder, a broken disk) as one clear line."""
    from afterview.errors import BadInput
    from afterview.textcheck import printable

    def read(size: int) -> bytes:
        try:
            return bytes(fh.read(size))
        except OSError as exc:
            raise BadInput("FILE", f"cannot read {printable(file)}: {exc.strerror}") from None

    return read
