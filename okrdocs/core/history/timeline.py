"""Time in the OKR cycle: the build date, the current period, and where each objective stands.

Objectives are current (their period overlaps the current one: the quarter, and the half
and year that hold it), next (later) or earlier. A current objective whose file has not
changed in git for more than `stale_after` days is stale: nobody has checked in.

The build date is `SOURCE_DATE_EPOCH` when set, as reproducible builds define it, so
two builds of the same commits with the same value make the same pages.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Literal

from ..domain.escaping import printable
from ..domain.model import KeyResult, Objective, Period
from .checkins import LATEST_DATE, Change, History, Point

AUTO = "auto"
DEFAULT_STALE_AFTER = 30
SECONDS_PER_DAY = 86_400
Phase = Literal["current", "next", "earlier", "none"]


class TimeSettingError(ValueError):
    """A time setting cannot be used; the message says why and what to write."""


def build_time(environ: Mapping[str, str] = os.environ) -> int:
    """Seconds since 1970 (UTC): `SOURCE_DATE_EPOCH` when set, else now."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return int(time.time())
    if value.isascii() and value.isdigit() and int(value) <= LATEST_DATE:
        return int(value)
    raise TimeSettingError(
        f"SOURCE_DATE_EPOCH is '{printable(value)}': set it to whole seconds since 1970 (at most {LATEST_DATE}, "
        "the end of year 9999), e.g. $(git log -1 --format=%ct)"
    )


def quarter_of(timestamp: int) -> Period:
    moment = datetime.fromtimestamp(timestamp, timezone.utc)
    first = (moment.month - 1) // 3 * 3 + 1
    return Period(moment.year, first, first + 2)


def current_period(setting: object, timestamp: int, name: str = "current_period") -> Period:
    """`auto` (the quarter holding `timestamp`) or a period like `2026-Q1`; `name` is the
    setting as the user wrote it, for the message."""
    if setting == AUTO or setting is None:
        return quarter_of(timestamp)
    period = Period.parse(setting)
    if period is None:
        raise TimeSettingError(
            f"{name} is '{setting}': write auto, a year (2026), a half (2026-H1) or a quarter (2026-Q3)"
        )
    return period


@lru_cache(maxsize=4096)  # a few dates, printed for thousands of points
def iso_datetime(timestamp: int) -> str:
    """`2026-03-05T10:00:00Z`: ISO 8601 in UTC, for okrs.json and reports."""
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=4096)
def iso_date(timestamp: int) -> str:
    """`2026-03-05`: the UTC day, for pages."""
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")


def _months(period: Period) -> tuple[int, int]:
    return period.year * 12 + period.first_month, period.year * 12 + period.last_month


def phase_of(period: Period | None, current: Period) -> Phase:
    if period is None:
        return "none"
    start, end = _months(period)
    current_start, current_end = _months(current)
    if end < current_start:
        return "earlier"
    if start > current_end:
        return "next"
    return "current"


def newest_first(period: Period | None) -> tuple[bool, int, int]:
    """A sort key: the period that ends last first; of two that end together, the longer
    one; no period last. Pages and diagrams list objectives in this order."""
    if period is None:
        return (True, 0, 0)
    start, end = _months(period)
    return (False, -end, start)


def _soonest_first(period: Period | None) -> tuple[bool, int, int]:
    """The period that starts first first; of two that start together, the longer one."""
    if period is None:
        return (True, 0, 0)
    start, end = _months(period)
    return (False, start, -end)


def periods_of(objectives: Iterable[Objective] | Iterable[Period]) -> list[Period]:
    """Every period of these objectives (or these periods), newest first."""
    found = {item if isinstance(item, Period) else item.period for item in objectives}
    return sorted((p for p in found if p is not None), key=newest_first)


PeriodGroups = list[tuple[Period | None, list[Objective]]]


def group_by_period(objectives: Iterable[Objective], soonest_first: bool = False) -> PeriodGroups:
    groups: dict[Period | None, list[Objective]] = defaultdict(list)
    for objective in objectives:
        groups[objective.period].append(objective)
    ordered = sorted(groups, key=_soonest_first if soonest_first else newest_first)
    return [(period, sorted(groups[period], key=lambda o: o.id)) for period in ordered]


@dataclass(frozen=True)
class Sections:
    """A list of objectives as pages show it: current first, then next, then earlier."""

    current: PeriodGroups
    next: PeriodGroups
    """Soonest first."""
    earlier: PeriodGroups
    """Newest first; pages fold them away."""
    undated: list[Objective]

    @property
    def earlier_count(self) -> int:
        return sum(len(group) for _, group in self.earlier)


@dataclass
class Timeline:
    """The facts about time that pages, okrs.json and `okrdocs report` share."""

    as_of: int
    current: Period
    stale_after: int = DEFAULT_STALE_AFTER
    """Days; 0 turns staleness off."""
    history: History = field(default_factory=History)

    @classmethod
    def today(cls) -> Timeline:
        """Now (or SOURCE_DATE_EPOCH), this quarter, no history: for callers that read none."""
        as_of = build_time()
        return cls(as_of, quarter_of(as_of))

    @property
    def has_history(self) -> bool:
        return self.history.head is not None

    def phase(self, objective: Objective) -> Phase:
        return phase_of(objective.period, self.current)

    def is_current_period(self, period: Period | None) -> bool:
        return phase_of(period, self.current) == "current"

    def updated(self, objective: Objective) -> Change | None:
        """The last commit that changed the objective's file; None without history."""
        return self.history.files.get(objective.where.path)

    def updated_iso(self, objective: Objective) -> str | None:
        change = self.updated(objective)
        return None if change is None else iso_datetime(change.date)

    def updated_date(self, objective: Objective) -> str | None:
        change = self.updated(objective)
        return None if change is None else iso_date(change.date)

    def is_stale(self, objective: Objective) -> bool:
        """A current objective whose file has not changed for more than `stale_after` days."""
        if self.stale_after <= 0 or self.phase(objective) != "current":
            return False
        change = self.updated(objective)
        return change is not None and self.as_of - change.date > self.stale_after * SECONDS_PER_DAY

    def objective_points(self, objective: Objective) -> list[Point]:
        return self.history.of_objective(objective.id)

    def kr_points(self, objective: Objective, kr: KeyResult) -> list[Point]:
        return self.history.of_key_result(objective.id, kr.id)

    def sections(self, objectives: Iterable[Objective]) -> Sections:
        by_phase: dict[Phase, list[Objective]] = defaultdict(list)
        for objective in objectives:
            by_phase[self.phase(objective)].append(objective)
        return Sections(
            current=group_by_period(by_phase["current"]),
            next=group_by_period(by_phase["next"], soonest_first=True),
            earlier=group_by_period(by_phase["earlier"]),
            undated=sorted(by_phase["none"], key=lambda o: o.id),
        )
