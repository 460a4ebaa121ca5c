"""How a current objective is doing, in the words of a check-in: the overview's counts,
heatmap, filters and attention list.

An objective has one health per fact that holds for it, so it may count more than once:
its status (on track, at risk, off track, done), `stale` (no commit for `stale_after`
days), `no-check-in` (neither a status nor a score yet: nothing reported) and
`behind-pace` (its score more than `behind_pace` below the expected score).
"""

from __future__ import annotations

from typing import Literal, get_args

from ..domain.model import STATUS_LABELS, Objective
from .checkins import Point
from .timeline import SECONDS_PER_DAY, Timeline

Health = Literal["on-track", "at-risk", "off-track", "done", "stale", "no-check-in", "behind-pace"]
HEALTHS: tuple[Health, ...] = get_args(Health)
"""In the order the overview lists them: the statuses first, then the facts of time."""
HEALTH_LABELS: dict[str, str] = {
    **STATUS_LABELS,
    "stale": "stale",
    "no-check-in": "no check-in yet",
    "behind-pace": "behind pace",
}
"""How the overview words each health."""
ATTENTION: tuple[Health, ...] = ("behind-pace", "off-track", "stale", "no-check-in")
"""The healths the overview's attention list names, most urgent first."""


def healths(objective: Objective, score: float | None, time: Timeline) -> tuple[Health, ...]:
    """Every health of `objective` (with `score`, its score) at the build date, in HEALTHS order."""
    found: set[str] = set()
    if objective.status is not None:
        found.add(objective.status)
    if time.is_stale(objective):
        found.add("stale")
    if objective.status is None and score is None:
        found.add("no-check-in")
    if time.is_behind(objective, score):
        found.add("behind-pace")
    return tuple(health for health in HEALTHS if health in found)


def score_change(points: list[Point], score: float | None, time: Timeline, days: int) -> float | None:
    """How far `score` (the score at the build date) moved in the last `days` days: from the
    last check-in dated at or before the window's start. None when either end is unknown
    (no history, or the objective is younger than the window)."""
    since = time.as_of - days * SECONDS_PER_DAY
    before = [p for p in points if p.date <= since]
    if score is None or not before or before[-1].score is None:
        return None
    return score - before[-1].score
