"""Score trends as inline SVG, drawn in Python: no JavaScript, no outside service, offline.

A chart is a small picture for the eye plus the same points as text for everyone else:
the SVG is `aria-hidden`, and a visually hidden list names each check-in's date and
score, so a screen reader reads the dates, not a shape. An objective page's charts span
the objective's whole period (`Window`): 0% and 100% and the period's first and last day
labelled, a "today" mark, the expected pace as a dashed line from 0% at the start to 100%
at the end, and the first and last check-ins printed beside the chart as text, readable
without hovering, on touch screens and in print. Colours come from CSS classes
(`okr-trend*` in okrdocs.css), so the charts follow the light and dark palettes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..core.domain.model import Objective, percent
from ..core.history.checkins import Point
from ..core.history.timeline import SECONDS_PER_DAY, Timeline
from .i18n import Language


def _label(point: Point, language: Language) -> str:
    score = percent(point.score, language.gettext("no score"))
    when = language.date(point.date)
    if point.commit is None:
        return language.gettext("%(date)s (not committed yet): %(score)s") % {"date": when, "score": score}
    return f"{when}: {score}"


@dataclass(frozen=True)
class Window:
    """The time a chart spans: a period's first second and the next period's, the build
    date, and whether to draw the expected pace (a current period)."""

    start: int
    end: int
    today: int
    pace: bool


_CHART_WIDTH, _CHART_HEIGHT = 320, 84
_LEFT, _RIGHT, _TOP, _BOTTOM = 30, 8, 12, 18
"""The plot inside the chart: room on the left for 0% and 100%, below for the dates,
above for "today"."""


def _coordinates(points: Sequence[Point], width: float, height: float, pad: float) -> list[tuple[float, float] | None]:
    """Each point's place, x by date (by order when all share one date), y by score;
    None for a point without a score, which breaks the line."""
    first, last = points[0].date, points[-1].date
    span = last - first
    places: list[tuple[float, float] | None] = []
    for index, point in enumerate(points):
        if point.score is None:
            places.append(None)
            continue
        share = (point.date - first) / span if span else (index / (len(points) - 1) if len(points) > 1 else 1.0)
        x = pad + share * (width - 2 * pad)
        y = pad + (1 - point.score) * (height - 2 * pad)
        places.append((round(x, 1), round(y, 1)))
    return places


def _lines(places: list[tuple[float, float] | None]) -> list[str]:
    """`points` attributes of the polylines between points that have scores."""
    runs: list[list[tuple[float, float]]] = [[]]
    for place in places:
        if place is None:
            runs.append([])
        else:
            runs[-1].append(place)
    return [" ".join(f"{x:g},{y:g}" for x, y in run) for run in runs if len(run) > 1]


def _svg(
    points: Sequence[Point], width: int, height: int, pad: float, css: str, dots: bool, language: Language = Language()
) -> str:
    places = _coordinates(points, width, height, pad)
    parts = [
        f'<svg class="{css}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
    ]
    if dots:  # the 0% and 100% lines, so a chart's height reads as a score
        for y in (pad, height - pad):
            parts.append(f'<line class="okr-trend__grid" x1="0" y1="{y:g}" x2="{width}" y2="{y:g}"/>')
    parts.extend(f'<polyline class="okr-trend__line" points="{line}"/>' for line in _lines(places))
    shown = [(p, place) for p, place in zip(points, places, strict=True) if place is not None]
    if not dots:
        shown = shown[-1:]  # a sparkline marks only where it ends
    for point, place in shown:
        assert place is not None
        title = f"<title>{escape(_label(point, language))}</title>" if dots else ""
        pending = " okr-trend__dot--pending" if point.commit is None else ""
        parts.append(
            f'<circle class="okr-trend__dot{pending}" cx="{place[0]:g}" cy="{place[1]:g}" r="{2.5 if dots else 2}">{title}</circle>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _x(date: int, window: Window) -> float:
    share = min(1.0, max(0.0, (date - window.start) / (window.end - window.start)))
    return round(_LEFT + share * (_CHART_WIDTH - _LEFT - _RIGHT), 1)


def _y(score: float) -> float:
    return round(_TOP + (1 - score) * (_CHART_HEIGHT - _TOP - _BOTTOM), 1)


def _period_svg(points: Sequence[Point], window: Window, language: Language) -> str:
    """The chart over the whole period: axis labels, today, the pace line, the points."""
    left, right, bottom = _LEFT, _CHART_WIDTH - _RIGHT, _CHART_HEIGHT - _BOTTOM
    parts = [
        f'<svg class="okr-trend__chart" viewBox="0 0 {_CHART_WIDTH} {_CHART_HEIGHT}" width="{_CHART_WIDTH}" '
        f'height="{_CHART_HEIGHT}" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
    ]
    for score, label in ((1.0, "100%"), (0.0, "0%")):
        y = _y(score)
        parts.append(f'<line class="okr-trend__grid" x1="{left}" y1="{y:g}" x2="{right}" y2="{y:g}"/>')
        parts.append(f'<text class="okr-trend__label" x="{left - 4}" y="{y + 3:g}" text-anchor="end">{label}</text>')
    last_day = window.end - 1
    for date, anchor, edge in ((window.start, "start", left), (last_day, "end", right)):
        parts.append(
            f'<text class="okr-trend__label" x="{edge}" y="{_CHART_HEIGHT - 4}" text-anchor="{anchor}">'
            f"{escape(language.date(date))}</text>"
        )
    if window.pace:
        parts.append(f'<line class="okr-trend__pace" x1="{left}" y1="{_y(0.0):g}" x2="{right}" y2="{_y(1.0):g}"/>')
    if window.start <= window.today < window.end:
        today, word = _x(window.today, window), escape(language.gettext("today"))
        parts.append(f'<line class="okr-trend__today" x1="{today:g}" y1="{_TOP - 2}" x2="{today:g}" y2="{bottom}"/>')
        parts.append(f'<text class="okr-trend__label" x="{today:g}" y="{_TOP - 4}" text-anchor="middle">{word}</text>')
    places: list[tuple[float, float] | None] = [
        None if p.score is None else (_x(p.date, window), _y(p.score)) for p in points
    ]
    parts.extend(f'<polyline class="okr-trend__line" points="{line}"/>' for line in _lines(places))
    for point, place in zip(points, places, strict=True):
        if place is not None:
            pending = " okr-trend__dot--pending" if point.commit is None else ""
            parts.append(f'<circle class="okr-trend__dot{pending}" cx="{place[0]:g}" cy="{place[1]:g}" r="2.5"/>')
    parts.append("</svg>")
    return "".join(parts)


def _ends(points: Sequence[Point], language: Language) -> str:
    """The first and the last check-in as visible text: the chart read without hovering."""
    first, last = points[0], points[-1]
    text = _label(last, language) if len(points) == 1 else f"{_label(first, language)} → {_label(last, language)}"
    return f'<span class="okr-trend__ends" aria-hidden="true">{escape(text)}</span>'


def _as_text(points: Sequence[Point], name: str, language: Language) -> str:
    name = name.unescape() if isinstance(name, Markup) else name  # a template's gettext() is Markup
    items = "".join(f"<li>{escape(_label(p, language))}</li>" for p in points)
    return f'<ol class="okr-sr-only" aria-label="{escape(name)}">{items}</ol>'


def chart_window(time: Timeline, objective: Objective) -> Window | None:
    """The window of an objective's charts: its period, the build day (so every build of a
    day draws the same), and the pace line while the period is current."""
    if objective.period is None:
        return None
    start, end = time.span(objective.period)
    today = time.as_of - time.as_of % SECONDS_PER_DAY
    return Window(start, end, today, pace=time.expected(objective) is not None)


def trend_chart(
    points: Sequence[Point], name: str = "Score history", window: Window | None = None, language: Language = Language()
) -> Markup:
    """A chart of every check-in, for an objective page; empty without history. With a
    `window`, it spans the objective's period and prints its first and last check-ins."""
    if not points:
        return Markup("")
    if window is None:
        svg = _svg(points, 240, 56, 6, "okr-trend__chart", dots=True, language=language)
        return Markup(f'<span class="okr-trend">{svg}{_as_text(points, name, language)}</span>')
    svg = _period_svg(points, window, language)
    return Markup(f'<span class="okr-trend">{svg}{_ends(points, language)}{_as_text(points, name, language)}</span>')


def sparkline(points: Sequence[Point], name: str | None = None, language: Language = Language()) -> Markup:
    """A one-line trend for team and period pages: the line and its last point."""
    if not points:
        return Markup("")
    svg = _svg(points, 64, 16, 2, "okr-trend__spark", dots=False)
    first, last = points[0], points[-1]
    if len(points) == 1:
        summary = _label(last, language)
    else:
        summary = language.ngettext(
            "%(first)s to %(last)s, %(num)d check-in", "%(first)s to %(last)s, %(num)d check-ins", len(points)
        ) % {"first": _label(first, language), "last": _label(last, language), "num": len(points)}
    name = language.gettext("Score history") if name is None else name
    return Markup(
        f'<span class="okr-spark">{svg}<span class="okr-sr-only">{escape(name)}: {escape(summary)}</span></span>'
    )
