"""Pace: how far along an objective should be by now, and where its check-ins point.

- `expected`: the share of its period that has passed at the build date, from 00:00 UTC on
  the period's first day to the first second of the next period, clamped to 0..1.
- behind pace: a score more than a margin (default 0.25) below `expected`, the mark hosted
  OKR tools use.
- `forecast`: the least-squares line through the score points that fall inside the
  period, at the period's end, clamped to 0..1; None with fewer than two points (or all
  on the same second: no line runs through them).
"""

from __future__ import annotations

from collections.abc import Iterable

from .checkins import Point

DEFAULT_BEHIND_PACE = 0.25
"""How far below the expected score an objective or key result is behind pace."""


def _clamped(value: float) -> float:
    return min(1.0, max(0.0, value))


def elapsed(as_of: int, span: tuple[int, int]) -> float:
    """The share of the period `span` (first second, first second after) passed at `as_of`."""
    start, end = span
    return _clamped((as_of - start) / (end - start))


def is_behind(score: float | None, expected: float | None, margin: float = DEFAULT_BEHIND_PACE) -> bool | None:
    """Whether `score` lies more than `margin` below `expected`; None when either is unknown."""
    if score is None or expected is None:
        return None
    return score < expected - margin


def forecast(points: Iterable[Point], span: tuple[int, int]) -> float | None:
    """The least-squares line through the points with a score inside `span`, at its end."""
    start, end = span
    inside = [(p.date - start, p.score) for p in points if start <= p.date < end and p.score is not None]
    if len(inside) < 2:
        return None
    count = len(inside)
    mean_x = sum(x for x, _ in inside) / count
    mean_y = sum(y for _, y in inside) / count
    spread = sum((x - mean_x) ** 2 for x, _ in inside)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in inside) / spread
    return _clamped(mean_y + slope * (end - start - mean_x))
