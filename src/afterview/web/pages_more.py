"""The HTML pages around the agenda: the draft editor, the self-assessment, the stats,
the settings, and the calendar feed."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response

from afterview.errors import BadInput, NotFound
from afterview.services import drafting, records, views
from afterview.services.context import Context
from afterview.services.drafting import Action, Draft
from afterview.web import deps
from afterview.web.deps import (
    Ctx,
    Form,
    RecordId,
    after_change,
    bad_input,
    lines,
    see_other,
    text,
)
from afterview.web.routes import Routes
from afterview.web.security import csrf_token, require_csrf
from afterview.web.templating import clock_values, render

if TYPE_CHECKING:
    from afterview.mail.settings import MailSettings

router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)


@router.get("/drafts/{action_id}", response_class=HTMLResponse)
def draft_page(action_id: str, request: Request, ctx: Ctx) -> Response:
    """The draft editor: the saved draft, or a new one composed for the action."""
    draft, action, saved = drafting.draft_for_action(ctx, action_id)
    return _draft(request, ctx, draft, action, saved)


def _draft(
    request: Request,
    ctx: Context,
    draft: Draft,
    action: Action,
    saved: bool,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    from afterview.services.outbox import mail_ready, waiting

    assert action.interview_id is not None
    iv = views.show_interview(ctx, action.interview_id)
    state = action.state(ctx.now).value
    queued = waiting(ctx, action.id)
    return render(
        request,
        "draft.html",
        {
            "draft": draft,
            "action_id": action.id,
            "state": state,
            "shown": next((a for a in iv["actions"] if a["id"] == action.id), None),
            **clock_values(ctx),
            "iv": iv,
            "saved": saved,
            "edited": saved and drafting.edited_draft(ctx, action) is not None,
            "mailto": drafting.mailto(draft),
            "mail_ready": mail_ready(ctx),
            "signed": bool(ctx.config.my_name),  # afterview's drafts end with the name
            "message": deps.message_for(request),
            "error": error,
            # the words approved: what goes out (afterview's written for its moment)
            "queued": {
                "id": queued.id,
                "state": queued.state,
                "send_at": views.iso(queued.send_at, ctx.user_tz),
                "subject": queued.subject,
                "body": queued.body,
            }
            if queued
            else None,
            "now": views.iso(ctx.now, ctx.user_tz),
        },
        status_code=status_code,
    )


@router.post("/drafts/{action_id}")
def draft_post(action_id: str, request: Request, ctx: Ctx, form: Form) -> Response:
    """Save the edit, then: mark it sent, approve it for sending, or download it."""
    what = text(form, "do") or "save"
    if what not in ("save", "sent", "approve", "eml", "cancel"):
        raise BadInput("do", "expected save, sent, approve, eml or cancel")
    if what == "cancel":  # the approved message: it stays a draft, the action open
        from afterview.services import outbox

        waiting = outbox.waiting(ctx, action_id)
        if waiting is None:
            raise BadInput("do", "no approved message of this action is waiting to go")
        outbox.cancel(ctx, waiting.id)
        return see_other(f"/drafts/{_quoted(action_id)}", msg="cancelled")
    try:
        draft = drafting.save_edited(
            ctx, action_id, text(form, "subject") or "", text(form, "body") or ""
        )
    except BadInput as exc:
        shown, action, saved = drafting.draft_for_action(ctx, action_id)
        typed = replace(
            shown, subject=str(form.get("subject") or ""), body=str(form.get("body") or "")
        )
        error = bad_input(exc)
        return _draft(request, ctx, typed, action, saved, error=error, status_code=422)
    path = f"/drafts/{_quoted(action_id)}"
    if what == "sent":
        action = records.done(ctx, action_id)
        return after_change(ctx, f"/interviews/{action.interview_id}", "sent")
    if what == "approve":
        from afterview.services.approving import approve_drafts

        approve_drafts(ctx, [draft])
        return see_other(path, msg=_approved(request, ctx))
    if what == "eml":
        if not ctx.config.my_email:  # the page has the field: no need to edit a file
            shown, action, saved = drafting.draft_for_action(ctx, action_id)
            error = (
                "Your e-mail address is needed for the From line of an .eml file: "
                "set it on the Settings page (/settings), then download again."
            )
            return _draft(request, ctx, shown, action, saved, error=error, status_code=422)
        data = drafting.eml(ctx, draft, ctx.now)
        name = action_id.replace(":", "-") + ".eml"
        return Response(
            data,
            media_type="message/rfc822",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )
    return see_other(path, msg="saved")


def _quoted(action_id: str) -> str:
    from urllib.parse import quote

    return quote(action_id, safe="")


@router.get("/interviews/{interview_id}/assess", response_class=HTMLResponse)
def assess_page(interview_id: RecordId, request: Request, ctx: Ctx) -> Response:
    """The self-assessment form, filled with what was recorded before."""
    iv = views.show_interview(ctx, interview_id)
    return render(
        request,
        "assess.html",
        {"iv": iv, "rubric": list(ctx.config.rubric), "a": iv["assessment"], "error": None},
    )


@router.post("/interviews/{interview_id}/assess")
def assess_post(interview_id: RecordId, request: Request, ctx: Ctx, form: Form) -> Response:
    """Record the self-assessment (scores 1-5, questions, notes, confidence)."""
    from afterview.services.assessing import assess

    scores = [
        f"{key}={form.get('score_' + key)}"
        for key in ctx.config.rubric
        if isinstance(form.get("score_" + key), str) and form.get("score_" + key)
    ]
    confidence = text(form, "confidence")
    try:
        if confidence is not None and not re.fullmatch(r"[0-9]{1,3}", confidence.strip()):
            raise BadInput("confidence", "expected a whole number from 0 to 100")
        assess(
            ctx,
            interview_id,
            scores,
            lines(form, "asked"),
            text(form, "went_well"),
            text(form, "improve"),
            int(confidence) if confidence is not None else None,
            merge=False,  # the form shows every field: what it sends is the whole assessment
        )
    except BadInput as exc:
        iv = views.show_interview(ctx, interview_id)
        return render(
            request,
            "assess.html",
            {
                "iv": iv,
                "rubric": list(ctx.config.rubric),
                "a": iv["assessment"],
                "error": bad_input(exc),
            },
            status_code=422,
        )
    return after_change(ctx, f"/interviews/{interview_id}", "assessed")


@router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request, ctx: Ctx, since: str | None = None) -> Response:
    """The funnel, rates, by company, by source and by week, with the chart."""
    from afterview.services.pipeline import goal_view
    from afterview.services.stats import stats_view

    rt = deps.runtime(request)
    view = rt.view(ctx, "stats", (since,), lambda: stats_view(ctx, since))
    goal = rt.view(ctx, "goal", (), lambda: goal_view(ctx))
    from afterview.charts import MISSING, available

    charts = {"charts": True} if available() else {"charts": False, "charts_missing": MISSING}
    values = {"s": view, "goal": goal, "since": since or "", **charts}
    return render(request, "stats.html", values)


@router.get("/stats.svg")
def stats_chart(request: Request, ctx: Ctx, since: str | None = None) -> Response:
    """The funnel chart (matplotlib, SVG)."""
    from afterview.charts import MISSING, available, funnel_svg
    from afterview.services.stats import stats_view

    if not available():
        raise NotFound(MISSING)
    rt = deps.runtime(request)
    view = rt.view(ctx, "stats", (since,), lambda: stats_view(ctx, since))
    svg = rt.view(ctx, "stats.svg", (since,), lambda: funnel_svg(view))
    return Response(svg, media_type="image/svg+xml")


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, ctx: Ctx) -> Response:
    """The playbook's numbers, zone, holidays, mail and notification channels."""
    from afterview.mail.providers import PROVIDERS
    from afterview.services.settings_edit import settings_view
    from afterview.web.leads_pages import bookmarklet

    return render(
        request,
        "settings.html",
        {
            "s": settings_view(ctx),
            "providers": list(PROVIDERS.values()),
            "message": deps.message_for(request),
            "feed_url": deps.runtime(request).take_once(csrf_token(request)),
            "bookmarklet": bookmarklet(request),
        },
    )


@router.post("/settings")
def settings_post(ctx: Ctx, form: Form) -> Response:
    """Write the changed settings to config.toml (checked first, written atomically); on a
    server, to the account's own copy."""
    from afterview.services.settings_edit import playbook_fields, save_settings

    keys = ["timezone", "country", "subdivision", "name", "email", "digest_hour", "quiet_hours"]
    keys += [f"playbook.{k}" for k, _ in playbook_fields()]
    values = {k: v for k in keys if isinstance(v := form.get(k), str)}
    removed = tuple(
        int(v) for v in form.getlist("remove_channel") if isinstance(v, str) and v.isdigit()
    )
    save_settings(ctx, values, add_channel=text(form, "add_channel"), remove_channels=removed)
    return see_other("/settings", msg="settings")


@router.post("/settings/mail")
def mail_post(request: Request, ctx: Ctx, form: Form) -> Response:
    """Save the mail settings; passwords go to the system keyring and are never shown."""
    from afterview.mail.providers import with_provider
    from afterview.mail.settings import build_settings
    from afterview.services.mailsetup import setup

    def port(name: str) -> int | None:
        value = text(form, name)
        if value is None:
            return None
        if not re.fullmatch(r"[0-9]{1,5}", value.strip()):
            raise BadInput(name, "expected a port number")
        return int(value)

    given = dict(
        smtp_host=text(form, "smtp_host"),
        smtp_port=port("smtp_port"),
        smtp_security=text(form, "smtp_security"),
        smtp_user=text(form, "smtp_user"),
        from_address=text(form, "from_address") or "",
        from_name=text(form, "from_name"),
        imap_host=text(form, "imap_host"),
        imap_port=port("imap_port"),
        imap_security=text(form, "imap_security"),
        imap_user=text(form, "imap_user"),
        sent_folder=text(form, "sent_folder"),
        my_addresses=tuple(lines(form, "my_addresses")),
        allow_insecure=text(form, "allow_insecure") == "1",
        auth=text(form, "auth") or "password",
        oauth_provider=text(form, "oauth_provider"),
        oauth_client_id=text(form, "oauth_client_id"),
    )
    settings = build_settings(**with_provider(text(form, "provider"), given))
    if deps.runtime(request).settings.server:
        _public_hosts(settings)
    setup(
        ctx,
        settings,
        smtp_password=text(form, "smtp_password"),
        imap_password=text(form, "imap_password"),
        client_secret=text(form, "oauth_client_secret"),
    )
    return see_other("/settings", msg="mail")


@router.post("/settings/feed", response_class=HTMLResponse)
def feed_post(request: Request, ctx: Ctx) -> Response:
    """Make a new calendar feed link (the old one stops working); shown once."""
    from afterview.services import feed_token

    token = feed_token.rotate(ctx)
    url = str(request.url_for("calendar_feed").include_query_params(token=token))
    deps.runtime(request).keep_once(csrf_token(request), url)
    return see_other("/settings", msg="feed")


@router.get("/calendar.ics", name="calendar_feed")
def calendar_feed(request: Request, ctx: Ctx, token: str = "") -> Response:
    """The actions as an iCalendar feed, for the holder of the account's secret link."""
    from afterview.services import feed_token
    from afterview.services.calendar_feed import export_calendar

    if not token or not feed_token.valid(ctx, token):
        raise NotFound("calendar feed: unknown or old link; make a new one in Settings")
    return Response(
        export_calendar(ctx),
        media_type="text/calendar; charset=utf-8",
        headers={"cache-control": "no-store"},
    )


def _approved(request: Request, ctx: Context) -> str:
    """The confirmation of an approval: this app sends it, another worker does, or none
    runs to send it (the app started with --no-worker, no `afterview run` lately)."""
    from afterview.services import worker_status

    if deps.runtime(request).sender.status.enabled:
        return "approved"
    if worker_status.worker_running(worker_status.last_pass(ctx), ctx.now):
        return "approved_elsewhere"
    return "approved_no_worker"


def _public_hosts(settings: MailSettings) -> None:
    """On a server, refuse mail hosts on the server's own networks (the workers would
    connect to its internal services for any account that names one)."""
    from afterview.mail.destinations import internal_address

    for field, host in (("smtp_host", settings.smtp_host), ("imap_host", settings.imap_host)):
        found = internal_address(host) if host else None
        if found is not None:
            raise BadInput(
                field, f"a public mail server; {host} is at {found}, an internal address"
            )
