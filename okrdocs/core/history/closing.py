"""The close of a period: final scores and the period's verdict.

Set, assess, reset: a period is closed when the build date is at or after its end. A
closed objective's final score is its score at the last commit on or before the period's
end (what the history recorded then; the file's score when there is no history), so a
check-in made after the quarter does not rewrite how it ended. The verdict reads the mean
final score of the period's aspirational objectives in the common bands; committed
objectives are expected to reach 1.0, and those that closed below it are listed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..domain.cascade import Cascade
from ..domain.model import Objective, Period
from .timeline import Timeline

VERDICT_BANDS: tuple[tuple[float, str], ...] = (
    (0.85, "targets too safe"),
    (0.6, "healthy"),
    (0.4, "partial"),
    (0.0, "targets outran capacity"),
)
"""(lowest mean, verdict), highest first: above 0.85 too safe, 0.6-0.85 healthy, 0.4-0.6
partial, below 0.4 targets outran capacity. A mean on a boundary takes the band above it,
except 0.85, which is still healthy."""


def verdict(mean: float) -> str:
    """The verdict of a period's mean final score of aspirational objectives."""
    if mean > VERDICT_BANDS[0][0]:
        return VERDICT_BANDS[0][1]
    return next(label for floor, label in VERDICT_BANDS[1:] if mean >= floor)


def is_closed(period: Period | None, time: Timeline) -> bool:
    """Whether the build date is at or after the end of `period`."""
    return period is not None and time.as_of >= time.span(period)[1]


def final_score(cascade: Cascade, objective: Objective, time: Timeline) -> float | None:
    """A closed objective's score at the last commit on or before its period's end, or at
    its first commit when that came after the end (it was written once the period had
    closed: later edits do not rewrite how it ended either); the file's score without
    history; None while its period is open."""
    if objective.period is None or not is_closed(objective.period, time):
        return None
    end = time.span(objective.period)[1]
    committed = [point for point in time.objective_points(objective) if point.commit is not None]
    if not committed:
        return cascade.objective_score(objective)
    before = [point for point in committed if point.date < end]
    return (before[-1] if before else committed[0]).score


@dataclass(frozen=True)
class PeriodClose:
    """What a closed period's page shows besides each objective's final score."""

    mean: float | None
    """The mean final score of the aspirational objectives with one (None: none)."""
    verdict: str | None
    committed_below: tuple[tuple[Objective, float | None], ...]
    """Committed objectives that closed below 1.0 (or with no score), with their final score."""


def close_of(cascade: Cascade, objectives: Iterable[Objective], time: Timeline) -> PeriodClose:
    aspirational: list[float] = []
    missed: list[tuple[Objective, float | None]] = []
    for objective in objectives:
        score = final_score(cascade, objective, time)
        if cascade.commitment_of(objective) == "committed":
            if score is None or score < 1.0:
                missed.append((objective, score))
        elif score is not None:
            aspirational.append(score)
    mean = sum(aspirational) / len(aspirational) if aspirational else None
    return PeriodClose(mean, None if mean is None else verdict(mean), tuple(missed))
