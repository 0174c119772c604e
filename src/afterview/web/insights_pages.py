"""The pages of practice 5's learning: Insights (trends, calibration, with charts),
Questions (the bank, with better answers and tags), and Prep for an interview."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from afterview.errors import NotFound
from afterview.web import deps
from afterview.web.deps import Ctx, Form, RecordId, see_other, text
from afterview.web.routes import Routes
from afterview.web.security import require_csrf
from afterview.web.templating import clock_values, render

router = Routes(dependencies=[Depends(require_csrf)], include_in_schema=False)

#: Questions on one page of the Questions page.
PAGE = 25  # each question carries its own answer form: 25 keep a page light


def insights(request: Request, ctx: Ctx) -> dict[str, Any]:
    """The insights view, cached per data revision and minute."""
    from afterview.services.insights import insights_view

    view: dict[str, Any] = deps.runtime(request).view(
        ctx, "insights", (), lambda: insights_view(ctx)
    )
    return view


@router.get("/insights", response_class=HTMLResponse)
def insights_page(request: Request, ctx: Ctx) -> Response:
    """Trends per rubric item and round, calibration and separation, with the charts."""
    from afterview.charts import MISSING, available

    charts = {"charts": True} if available() else {"charts": False, "charts_missing": MISSING}
    return render(request, "insights.html", {"v": insights(request, ctx), **charts})


@router.get("/insights/{name}.svg")
def insights_chart(name: str, request: Request, ctx: Ctx) -> Response:
    """One insights chart (trends or reliability) as SVG."""
    from afterview.charts import MISSING, available, inline_svg, insights_charts

    if name not in ("trends", "reliability"):
        raise NotFound(f"chart {name!r}: no such chart")
    if not available():
        raise NotFound(MISSING)
    view = insights(request, ctx)

    def draw() -> str:
        figs = insights_charts(view)
        if name not in figs:
            raise NotFound(f"chart {name!r}: nothing to draw yet")
        return inline_svg(figs[name])

    svg = deps.runtime(request).view(ctx, f"insights.{name}.svg", (), draw)
    return Response(svg, media_type="image/svg+xml")


@router.get("/questions", response_class=HTMLResponse)
def questions_page(
    request: Request,
    ctx: Ctx,
    tag: str | None = None,
    company: str | None = None,
    search: str | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """The question bank, filtered, a page at a time; each question with its tag and
    better answer."""
    from urllib.parse import urlencode

    from afterview.services.questions import TAGS, question_bank

    tag, company, search = (x or None for x in (tag, company, search))
    bank = deps.runtime(request).view(
        ctx,
        "questions",
        (tag, company, search),
        lambda: question_bank(ctx, tag, company, search),
    )
    pages = max(1, -(-len(bank["questions"]) // PAGE))
    page = min(page, pages)
    filters = {"tag": tag or "", "company": company or "", "search": search or ""}
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "questions.html",
        {
            "bank": bank,
            "shown": bank["questions"][(page - 1) * PAGE : page * PAGE],
            "page": page,
            "pages": pages,
            "page_link": f"/questions?{query + '&' if query else ''}page=",
            "tags": TAGS,
            "filters": filters,
            "message": deps.message_for(request),
        },
    )


@router.post("/questions/{question_id}")
def question_post(question_id: RecordId, ctx: Ctx, form: Form) -> Response:
    """Save a question's better answer and tag."""
    from afterview.services.questions import update_question

    update_question(
        ctx,
        question_id,
        answer=text(form, "answer"),
        tag=text(form, "tag") or "guess",
        fields=("answer", "tag"),
    )
    return see_other(f"/questions#q{question_id}", msg="saved")


@router.get("/interviews/{interview_id}/prep", response_class=HTMLResponse)
def prep_page(interview_id: RecordId, request: Request, ctx: Ctx) -> Response:
    """What to read before this interview."""
    from afterview.services.prep import prep_view

    view = deps.runtime(request).view(
        ctx, "prep", (interview_id,), lambda: prep_view(ctx, interview_id)
    )
    return render(request, "prep.html", {"v": view, **clock_values(ctx)})
