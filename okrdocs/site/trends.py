"""Score trends as inline SVG, drawn in Python: no JavaScript, no outside service, offline.

A chart is a small picture for the eye plus the same points as text for everyone else:
the SVG is `aria-hidden`, and a visually hidden list names each check-in's date and
score, so a screen reader reads the dates, not a shape. Colours come from CSS classes
(`okr-trend*` in okrdocs.css), so the charts follow the light and dark palettes.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from ..core.domain.model import percent
from ..core.history.checkins import Point
from ..core.history.timeline import iso_date


def _label(point: Point) -> str:
    score = percent(point.score, "no score")
    when = iso_date(point.date)
    return f"{when}: {score}" if point.commit is not None else f"{when} (not committed yet): {score}"


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


def _svg(points: Sequence[Point], width: int, height: int, pad: float, css: str, dots: bool) -> str:
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
        title = f"<title>{escape(_label(point))}</title>" if dots else ""
        pending = " okr-trend__dot--pending" if point.commit is None else ""
        parts.append(
            f'<circle class="okr-trend__dot{pending}" cx="{place[0]:g}" cy="{place[1]:g}" r="{2.5 if dots else 2}">{title}</circle>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _as_text(points: Sequence[Point], name: str) -> str:
    items = "".join(f"<li>{escape(_label(p))}</li>" for p in points)
    return f'<ol class="okr-sr-only" aria-label="{escape(name)}">{items}</ol>'


def trend_chart(points: Sequence[Point], name: str = "Score history") -> Markup:
    """A chart of every check-in, for an objective page; empty without history."""
    if not points:
        return Markup("")
    svg = _svg(points, 240, 56, 6, "okr-trend__chart", dots=True)
    return Markup(f'<span class="okr-trend">{svg}{_as_text(points, name)}</span>')


def sparkline(points: Sequence[Point], name: str = "Score history") -> Markup:
    """A one-line trend for team and period pages: the line and its last point."""
    if not points:
        return Markup("")
    svg = _svg(points, 64, 16, 2, "okr-trend__spark", dots=False)
    first, last = points[0], points[-1]
    summary = _label(last) if len(points) == 1 else f"{_label(first)} to {_label(last)}, {len(points)} check-ins"
    return Markup(
        f'<span class="okr-spark">{svg}<span class="okr-sr-only">{escape(name)}: {escape(summary)}</span></span>'
    )
