"""Learning from self-assessments: trends of the rubric, and how far your own judgement
of an interview can be trusted (calibration).

Pure functions over plain records. Every figure carries its sample size, and no
verdict is given below the minimum sizes here: with a handful of interviews the
honest answer is "not enough data yet".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

#: Fewest interviews with a confidence and a known result for a calibration verdict.
MIN_CALIBRATION = 10
#: Fewest interviews in a reliability bin for its rate to be shown without a warning.
MIN_BIN = 3
#: Fewest interviews on each side (moved on / did not) to compare rubric items.
MIN_GROUP = 4
#: Fewest scores of an item for a trend over time, and the fewest days they must span.
MIN_TREND = 4
MIN_TREND_DAYS = 28
#: A slope (points a month) past this is called improving or declining.
TREND_WORD = 0.15
#: The bins of the reliability chart, as confidence ranges in percent.
BINS = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 101))


class Assessed(NamedTuple):
    """One assessed interview: when, which round of its application, the rubric scores,
    the confidence (0..100) and whether it moved on (None: not known yet, or withdrawn)."""

    interview_id: int
    at: datetime
    stage: int
    scores: dict[str, int]
    confidence: int | None
    moved_on: bool | None


class Trend(NamedTuple):
    """A rubric item over time: the slope is in points per 30 days (None below MIN_TREND
    scores or MIN_TREND_DAYS); `clear` when the slope is more than twice its standard
    error (else the scores move about too much to call it a trend)."""

    item: str
    n: int
    mean: float
    first: float
    last: float
    slope_per_month: float | None
    clear: bool = False


def trend_word(slope: float | None, clear: bool) -> str:
    """'improving', 'declining', 'steady', 'no clear trend' or 'too few to tell'."""
    if slope is None:
        return "too few to tell"
    if abs(slope) < TREND_WORD:
        return "steady"
    if not clear:
        return "no clear trend"
    return "improving" if slope > 0 else "declining"


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean (of a non-empty sequence)."""
    return sum(values) / len(values)


def slope(points: Sequence[tuple[float, float]]) -> float | None:
    """The least-squares slope of y over x; None with fewer than 2 distinct x."""
    xs = [x for x, _ in points]
    if len(set(xs)) < 2:
        return None
    mx, my = mean(xs), mean([y for _, y in points])
    num = sum((x - mx) * (y - my) for x, y in points)
    den = sum((x - mx) ** 2 for x in xs)
    return num / den


def slope_error(points: Sequence[tuple[float, float]]) -> float | None:
    """The standard error of the least-squares slope (None with fewer than 3 points)."""
    k = slope(points)
    if k is None or len(points) < 3:
        return None
    xs = [x for x, _ in points]
    mx, my = mean(xs), mean([y for _, y in points])
    resid = sum((y - (my + k * (x - mx))) ** 2 for x, y in points)
    den = sum((x - mx) ** 2 for x in xs)
    return float((resid / (len(points) - 2) / den) ** 0.5)


def trends(assessed: Sequence[Assessed], items: Sequence[str]) -> list[Trend]:
    """Each rubric item over time: mean, first and last score, slope per month."""
    out = []
    ordered = sorted(assessed, key=lambda a: a.at)
    for item in items:
        scored = [(a.at, a.scores[item]) for a in ordered if item in a.scores]
        if not scored:
            continue
        t0 = scored[0][0]
        pts = [((at - t0).total_seconds() / 86400 / 30, float(s)) for at, s in scored]
        span = pts[-1][0] * 30
        k = slope(pts) if len(pts) >= MIN_TREND and span >= MIN_TREND_DAYS else None
        error = slope_error(pts) if k is not None else None
        clear = k is not None and error is not None and abs(k) > 2 * error
        out.append(
            Trend(item, len(scored), mean([s for _, s in pts]), pts[0][1], pts[-1][1], k, clear)
        )
    return out


def by_stage(
    assessed: Sequence[Assessed], items: Sequence[str]
) -> dict[int, dict[str, tuple[float, int]]]:
    """Per round (1, 2, 3 for third and later): each item's mean score and count."""
    out: dict[int, dict[str, tuple[float, int]]] = {}
    for stage in sorted({min(a.stage, 3) for a in assessed}):
        row = {}
        for item in items:
            vals = [
                a.scores[item] for a in assessed if min(a.stage, 3) == stage and item in a.scores
            ]
            if vals:
                row[item] = (mean(vals), len(vals))
        out[stage] = row
    return out


class Bin(NamedTuple):
    """A band of confidence: how many, the mean confidence, and how many moved on."""

    low: int
    high: int
    n: int
    mean_confidence: float | None
    moved_on_rate: float | None
    enough: bool


class Calibration(NamedTuple):
    """Confidence against results. `brier` is the mean squared error of the confidence as
    a probability (0 is perfect; `reference` is what always guessing the base rate
    scores); `verdict` is None below MIN_CALIBRATION."""

    n: int
    brier: float | None
    reference: float | None
    base_rate: float | None
    mean_confidence: float | None
    bins: list[Bin]
    verdict: str | None


def brier(pairs: Sequence[tuple[float, bool]]) -> float:
    """Mean of (p - outcome)^2 over (probability, outcome) pairs."""
    return mean([(p - (1.0 if o else 0.0)) ** 2 for p, o in pairs])


def calibration(assessed: Sequence[Assessed]) -> Calibration:
    """How well the confidence given at each assessment predicted moving on."""
    pairs = [
        (a.confidence / 100, a.moved_on)
        for a in assessed
        if a.confidence is not None and a.moved_on is not None
    ]
    bins = []
    for low, high in BINS:
        inside = [(p, o) for p, o in pairs if low <= p * 100 < high]
        bins.append(
            Bin(
                low,
                min(high, 100),
                len(inside),
                mean([p for p, _ in inside]) * 100 if inside else None,
                mean([1.0 if o else 0.0 for _, o in inside]) if inside else None,
                len(inside) >= MIN_BIN,
            )
        )
    if not pairs:
        return Calibration(0, None, None, None, None, bins, None)
    rate = mean([1.0 if o else 0.0 for _, o in pairs])
    score = brier(pairs)
    reference = brier([(rate, o) for _, o in pairs])
    conf = mean([p for p, _ in pairs]) * 100
    verdict = _verdict(len(pairs), score, reference, rate, conf)
    return Calibration(len(pairs), score, reference, rate, conf, bins, verdict)


#: Brier scores closer than this are "about the same".
BRIER_MARGIN = 0.03


def _verdict(n: int, score: float, reference: float, rate: float, conf: float) -> str | None:
    if n < MIN_CALIBRATION:
        return None
    if rate in (0.0, 1.0):
        ended = "moved on" if rate else "did not move on"
        return f"All {n} interviews {ended}: with no other result yet, there is nothing to calibrate against."
    gap = conf - rate * 100
    if gap > 15:
        lean = f"overconfident: you gave {conf:.0f}% on average and {rate:.0%} moved on"
    elif gap < -15:
        lean = f"underconfident: you gave {conf:.0f}% on average and {rate:.0%} moved on"
    else:
        lean = f"close on average: you gave {conf:.0f}% and {rate:.0%} moved on"
    if score < reference - BRIER_MARGIN:
        compared = "better than"
    elif score > reference + BRIER_MARGIN:
        compared = "worse than"
    else:
        compared = "about the same as"
    return (
        f"Over {n} interviews you were {lean}; your Brier score {score:.2f} is {compared} "
        f"{reference:.2f}, what always guessing {rate:.0%} would score."
    )


class Separation(NamedTuple):
    """How well one rubric item tells apart the interviews that moved on: the mean score
    on each side, and the AUC (the chance that a random interview that moved on scored
    higher than one that did not; 0.5 is no signal). None below MIN_GROUP a side."""

    item: str
    n_moved_on: int
    n_not: int
    mean_moved_on: float | None
    mean_not: float | None
    auc: float | None


def auc(pos: Sequence[float], neg: Sequence[float]) -> float:
    """The Mann–Whitney AUC of `pos` over `neg` (ties count half)."""
    wins = sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def separation(assessed: Sequence[Assessed], items: Sequence[str]) -> list[Separation]:
    """Each item's separation, the most telling first (items without enough data last)."""
    out = []
    for item in items:
        pos = [float(a.scores[item]) for a in assessed if a.moved_on is True and item in a.scores]
        neg = [float(a.scores[item]) for a in assessed if a.moved_on is False and item in a.scores]
        enough = len(pos) >= MIN_GROUP and len(neg) >= MIN_GROUP
        out.append(
            Separation(
                item,
                len(pos),
                len(neg),
                mean(pos) if pos else None,
                mean(neg) if neg else None,
                auc(pos, neg) if enough else None,
            )
        )
    return sorted(out, key=lambda s: (s.auc is None, -abs((s.auc or 0.5) - 0.5), s.item))
