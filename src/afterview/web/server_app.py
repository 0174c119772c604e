"""The web app of server mode (`afterview server run`): many accounts, each signed in.

`create` is the factory uvicorn calls in each worker process: it reads `server.toml`
(AFTERVIEW_SERVER_CONFIG) and `AFTERVIEW_NOW`, so every process serves the same way.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from fastapi import FastAPI

from afterview.server.settings import ServerSettings
from afterview.web.app import create_app
from afterview.web.runtime import WebSettings


def web_settings(
    settings: ServerSettings,
    allow_hosts: tuple[str, ...] = (),
    fixed_now: datetime | None = None,
) -> WebSettings:
    """How the server's app runs: its database through the application's role, the host
    of its public address (and `allow_hosts`), secure cookies over https, sign-in on."""
    public = urlsplit(settings.url)
    web = WebSettings(
        db_target=settings.database,
        allowed_hosts=(str(public.hostname).lower(), *(h.lower() for h in allow_hosts)),
        https=public.scheme == "https",
        server=True,
        server_settings=settings,
    )
    if fixed_now is not None:
        web = web._replace(clock=lambda: fixed_now, now_given=True)
    return web


def create() -> FastAPI:
    """The app of one worker process, from `server.toml` and the environment."""
    import os

    from afterview.parsing import parse_datetime
    from afterview.server.settings import load

    settings = load()
    hosts = tuple(h for h in os.environ.get("AFTERVIEW_SERVER_HOSTS", "").split(",") if h)
    now = os.environ.get("AFTERVIEW_NOW")
    fixed = parse_datetime(now, "UTC", "--now") if now else None
    return create_app(web_settings(settings, hosts, fixed))
