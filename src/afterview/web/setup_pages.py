"""The set-up page: the first run's five questions (name, e-mail address, time zone,
holidays country, weekly applications target), written to `config.toml`.

Today sends a new user here (an empty database and no config file); afterwards the page
stays reachable from Settings. Saving checks every value under its field's name before
anything is written; "Skip" keeps the defaults.
"""

from __future__ import annotations

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response

from afterview.errors import BadInput
from afterview.services import first_run
from afterview.web.deps import Ctx, Form, bad_input, not_on_a_server, see_other
from afterview.web.routes import Routes
from afterview.web.runtime import WebContext
from afterview.web.security import require_csrf
from afterview.web.templating import render

router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)


@router.get("/setup", response_class=HTMLResponse)
def setup_page(request: Request, ctx: Ctx) -> Response:
    """The set-up form, filled with the current settings (the zone: this computer's, or
    the browser's where scripts run)."""
    return _form(request, ctx, None, None)


@router.post("/setup", dependencies=[Depends(not_on_a_server)])
def setup_post(request: Request, ctx: Ctx, form: Form) -> Response:
    """Save the answers (checked first; nothing written on a refusal), or skip: keep the
    defaults. Then Today."""
    what = form.get("do") or "save"
    if what not in ("save", "skip"):
        raise BadInput("do", "expected save or skip")
    if what == "skip":
        first_run.skip_setup(ctx)
        return see_other("/")
    typed = {k: v for k in first_run.FIELDS if isinstance(v := form.get(k), str)}
    try:
        first_run.save_setup(ctx, typed)
    except BadInput as exc:
        return _form(request, ctx, typed, bad_input(exc))
    return see_other("/", msg="settings")


def _form(
    request: Request, ctx: WebContext, typed: dict[str, str] | None, error: str | None
) -> Response:
    """The page; after a refusal, with what was typed and the problem (422)."""
    view = first_run.setup_view(ctx)
    values = {**view["values"], **(typed or {})}
    return render(
        request,
        "setup.html",
        {
            "s": view,
            "v": values,
            "error": error,
            "error_field": _field_of(error),
            "now_given": ctx.now_given,
        },
        status_code=422 if error else 200,
    )


def _field_of(error: str | None) -> str | None:
    """The form field an error names (`timezone: …` -> `timezone`)."""
    if error is None:
        return None
    name = error.split(":", 1)[0]
    return name if name in first_run.FIELDS else None
