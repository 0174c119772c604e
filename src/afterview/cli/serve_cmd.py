"""`afterview serve`: the web app on this computer (FastAPI, run by uvicorn)."""

from __future__ import annotations

import sys

import click

from afterview.cli.app import cli, emit_json, json_option, settings, want_json
from afterview.errors import BadInput


@cli.command("serve")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="The port to listen on (0: any free port).",
)
@click.option(
    "--host",
    "bind",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; anything but loopback needs --allow-host.",
)
@click.option(
    "--allow-host",
    "allow_hosts",
    multiple=True,
    metavar="NAME",
    help="Another host name the app answers to (repeatable), e.g. behind a proxy.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the app in the browser.")
@click.option(
    "--no-worker",
    is_flag=True,
    help="Do not send: leave the approved messages to `afterview run`.",
)
@json_option
def serve_cmd(
    port: int,
    bind: str,
    allow_hosts: tuple[str, ...],
    open_browser: bool,
    no_worker: bool,
    as_json: bool,
) -> None:
    """Run the web app: Today, interviews, drafts, outbox, self-assessment, pipeline, settings.

    While it runs it also sends the approved messages that are due, as `afterview run`
    does (every minute, and right after a change in the app), unless --no-worker. With
    --now every pass runs at that fixed moment: what is due by then goes out. With
    --json, the address is printed as {"url": ...} on standard output once it listens.
    """
    import socket

    import uvicorn

    from afterview.mail.headers import check_host, is_loopback
    from afterview.parsing import parse_datetime
    from afterview.services.context import default_db_target
    from afterview.web.app import create_app
    from afterview.web.runtime import LOOPBACK_HOSTS, WebSettings

    check_host(bind, "--host")
    for name in allow_hosts:
        check_host(name, "--allow-host")
    opts = settings()
    ctx = opts.context()  # reads the config, checks --now, migrates the database
    if not is_loopback(bind) and not allow_hosts:
        raise BadInput(
            "--host",
            f"{bind} is not loopback: the app has no login, so anyone who reaches it sees your "
            "data; add --allow-host NAME for each name it is reached by, if that is what you want",
        )
    fixed = parse_datetime(opts.now, ctx.user_tz, "--now") if opts.now else None
    ctx.db.close()  # the app keeps a pool of its own
    web = WebSettings(
        db_target=opts.db or default_db_target(),
        # the address it listens on answers too (127.0.0.2 is loopback as well)
        allowed_hosts=(
            *LOOPBACK_HOSTS,
            *((bind.lower(),) if is_loopback(bind) else ()),
            *(h.lower() for h in allow_hosts),
        ),
        worker=not no_worker,
    )
    if fixed is not None:
        web = web._replace(clock=lambda: fixed, now_given=True)
    app = create_app(web)
    sock = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # small responses go out at once, not after the client's delayed ACK (about 40 ms)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((bind, port))
    except OSError as exc:
        raise BadInput("--port", f"cannot listen on {bind}:{port} ({exc.strerror})") from None
    sock.listen(2048)  # connections wait in the backlog until uvicorn accepts them
    real_port = sock.getsockname()[1]
    host_shown = f"[{bind}]" if ":" in bind else bind
    url = f"http://{host_shown}:{real_port}/"
    click.echo(f"afterview is at {url} (Ctrl+C stops it)", err=True)
    if want_json(as_json):
        emit_json({"url": url})
        sys.stdout.flush()
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    # What start-up made (the frameworks' modules, models and routes) lives as long as the
    # server: out of the collector's sight, a full collection walks only what requests make
    # (on the 5-year history one took about 90 ms of a request).
    import gc

    gc.freeze()
    uvicorn.Server(config).run(sockets=[sock])


def run_processes(
    factory: str, bind: str, port: int, workers: int, proxies: tuple[str, ...]
) -> None:
    """Serve the app that `factory` (module:function) makes, in `workers` processes
    (uvicorn's supervisor restarts one that dies); `proxies` are the reverse proxies whose
    X-Forwarded-For and X-Forwarded-Proto are believed."""
    import uvicorn

    uvicorn.run(
        factory,
        factory=True,
        host=bind,
        port=port,
        workers=workers,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=",".join(proxies) if proxies else None,
        log_level="warning",
        access_log=False,
        server_header=False,
    )
