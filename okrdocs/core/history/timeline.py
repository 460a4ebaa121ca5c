"""Time in the OKR cycle: the build date, the current period, and where each objective stands.

Objectives are current (their period overlaps the current one: the quarter, and the half
and year that hold it), next (later) or earlier. A current objective whose file has not
changed in git for more than `stale_after` days is stale: nobody has checked in.

The build date is `SOURCE_DATE_EPOCH` when set, as reproducible builds define it, so
two builds of the same commits with the same value make the same pages.
"""

from __future__ import annotations

import os
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from typing import Literal

from ..domain.escaping import printable
from ..domain.model import KeyResult, Objective, Period
from . import pace
from .changes import ChangeEntry, by_date, stale_entry
from .checkins import COMMIT_ID, LATEST_DATE, Change, History, Point

AUTO = "auto"
DEFAULT_STALE_AFTER = 30
DEFAULT_CHANGES_DAYS = 7
DEFAULT_FISCAL_YEAR_START = 1
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


def quarter_of(timestamp: int, fiscal_year_start: int = 1) -> Period:
    """The (fiscal) quarter holding `timestamp`."""
    moment = datetime.fromtimestamp(timestamp, timezone.utc)
    return Period.holding(moment.year, moment.month, 3, fiscal_year_start)


def current_period(setting: object, timestamp: int, name: str = "current_period", fiscal_year_start: int = 1) -> Period:
    """`auto` (the quarter holding `timestamp`) or a period like `2026-Q1`; `name` is the
    setting as the user wrote it, for the message."""
    if setting == AUTO or setting is None:
        return quarter_of(timestamp, fiscal_year_start)
    period = Period.parse(setting)
    if period is None:
        raise TimeSettingError(
            f"{name} is '{setting}': write auto, a year (2026), a half (2026-H1) or a quarter (2026-Q3)"
        )
    return period


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def day_start(text: str, name: str) -> int:
    """00:00 UTC on the day `text` (`2026-03-01`) names; `name` is the setting, for the message."""
    try:
        if not _DAY.fullmatch(text):
            raise ValueError(text)
        return int(datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp())
    except ValueError:
        raise TimeSettingError(f"{name} is '{printable(text)}': write a day like 2026-03-01") from None


@lru_cache(maxsize=4096)  # a few dates, printed for thousands of points
def iso_datetime(timestamp: int) -> str:
    """`2026-03-05T10:00:00Z`: ISO 8601 in UTC, for okrs.json and reports."""
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@lru_cache(maxsize=4096)
def iso_date(timestamp: int) -> str:
    """`2026-03-05`: the UTC day, for pages."""
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%d")


def _month_start(index: int) -> int:
    """The first second (UTC) of month `index` (`year * 12 + month - 1`), within the dates
    a commit can have (a period of year 0000 or 9999 reaches beyond them)."""
    if index >= 10_000 * 12:
        return LATEST_DATE + 1
    year, month = divmod(max(index, 12), 12)
    return int(datetime(year, month + 1, 1, tzinfo=timezone.utc).timestamp())


def period_span(period: Period, fiscal_year_start: int = 1) -> tuple[int, int]:
    """The first second of the period (00:00 UTC on its first day) and the first second of
    the next period, in a fiscal year that starts in month `fiscal_year_start`."""
    first, after = period.calendar_months(fiscal_year_start)
    return _month_start(first), _month_start(after)


def _months(period: Period) -> tuple[int, int]:
    """The period's first and last month, for comparing periods of one fiscal year."""
    first, after = period.calendar_months()
    return first, after - 1


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
    latest: PeriodGroups = field(default_factory=list)
    """When no objective is current: the latest earlier period's, shown unfolded (and no
    longer under `earlier`), so the page is never empty; else empty."""

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
    fiscal_year_start: int = DEFAULT_FISCAL_YEAR_START
    """The month (1-12) in which quarters, halves and years start counting."""
    behind_pace: float = pace.DEFAULT_BEHIND_PACE
    """How far below the expected score an objective is behind pace."""
    changes_days: int = DEFAULT_CHANGES_DAYS
    """How many days of changes team and period pages list."""
    repo_url: str | None = None
    """The repository's web page; commits link to `<repo_url>/commit/<id>`."""
    _changes: list[ChangeEntry] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def today(cls) -> Timeline:
        """Now (or SOURCE_DATE_EPOCH), this quarter, no history: for callers that read none."""
        as_of = build_time()
        return cls(as_of, quarter_of(as_of))

    @classmethod
    def of(
        cls,
        as_of: int,
        history: History,
        current_setting: object = AUTO,
        stale_after: int = DEFAULT_STALE_AFTER,
        fiscal_year_start: int = DEFAULT_FISCAL_YEAR_START,
        behind_pace: float = pace.DEFAULT_BEHIND_PACE,
        changes_days: int = DEFAULT_CHANGES_DAYS,
        repo_url: str | None = None,
    ) -> Timeline:
        """The timeline of a build: its current period from the `current_period` setting
        in this fiscal year. Raises TimeSettingError for a setting that is no period."""
        current = current_period(current_setting, as_of, fiscal_year_start=fiscal_year_start)
        return cls(as_of, current, stale_after, history, fiscal_year_start, behind_pace, changes_days, repo_url)

    @property
    def has_history(self) -> bool:
        return self.history.head is not None

    def phase(self, objective: Objective) -> Phase:
        return phase_of(objective.period, self.current)

    def is_current_period(self, period: Period | None) -> bool:
        return phase_of(period, self.current) == "current"

    def updated(self, objective: Objective) -> Change | None:
        """The last commit that changed the objective's file, dated on or before the build
        date; None without history (or with only later dates)."""
        return self.history.last_change(objective.where.path, self.as_of)

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
        """The objective's check-ins dated on or before the build date (`dated`)."""
        return self.dated(self.history.of_objective(objective.id))

    def kr_points(self, objective: Objective, kr: KeyResult) -> list[Point]:
        return self.dated(self.history.of_key_result(objective.id, kr.id))

    def dated(self, points: list[Point]) -> list[Point]:
        """`points` without those dated after the build date: a commit's date is whatever
        its author wrote, and one in year 9999 is no check-in a trend or a forecast can use."""
        as_of = self.as_of
        return [point for point in points if point.date <= as_of]

    def sections(self, objectives: Iterable[Objective]) -> Sections:
        by_phase: dict[Phase, list[Objective]] = defaultdict(list)
        for objective in objectives:
            by_phase[self.phase(objective)].append(objective)
        earlier = group_by_period(by_phase["earlier"])
        latest = earlier[:1] if not by_phase["current"] else []
        return Sections(
            current=group_by_period(by_phase["current"]),
            next=group_by_period(by_phase["next"], soonest_first=True),
            earlier=earlier[len(latest) :],
            undated=sorted(by_phase["none"], key=lambda o: o.id),
            latest=latest,
        )

    # -- pace ----------------------------------------------------------------------

    def span(self, period: Period) -> tuple[int, int]:
        """The period's first second and the next period's, in this fiscal year."""
        return period_span(period, self.fiscal_year_start)

    def expected(self, objective: Objective) -> float | None:
        """The share of a current objective's period passed at the build date (its day's
        start, 00:00 UTC, so every build of one day agrees); else None."""
        if objective.period is None or self.phase(objective) != "current":
            return None
        return pace.elapsed(self.as_of - self.as_of % SECONDS_PER_DAY, self.span(objective.period))

    def is_behind(self, objective: Objective, score: float | None) -> bool | None:
        """Whether `score` (the objective's or one of its key results') is behind pace;
        None when the objective is not current or the score unknown."""
        return pace.is_behind(score, self.expected(objective), self.behind_pace)

    def forecast(self, objective: Objective, kr: KeyResult | None = None) -> float | None:
        """Where the check-ins of a current objective (or of its key result `kr`) point at
        the end of its period; None when not current or with fewer than two in the period."""
        if objective.period is None or self.phase(objective) != "current":
            return None
        points = self.objective_points(objective) if kr is None else self.kr_points(objective, kr)
        return pace.forecast(points, self.span(objective.period))

    # -- changes -------------------------------------------------------------------

    def changes(self, objectives: Iterable[Objective]) -> list[ChangeEntry]:
        """Every change of the history, and the current objectives that went stale (on the
        day they passed `stale_after` days without a commit), oldest first. Computed once:
        a timeline serves one build's objectives."""
        if self._changes is None:
            stale = []
            for objective in objectives:
                change = self.updated(objective)
                if change is not None and self.is_stale(objective):
                    stale.append(stale_entry(objective, change.date + self.stale_after * SECONDS_PER_DAY))
            self._changes = by_date([*self.history.changes, *stale])
        return self._changes

    def changes_since(self, objectives: Iterable[Objective], since: int) -> list[ChangeEntry]:
        """The changes dated from `since` to the build date, oldest first."""
        return [c for c in self.changes(objectives) if since <= c.date <= self.as_of]

    def recent_changes(
        self, objectives: Iterable[Objective], team: str | None = None, period: Period | None = None
    ) -> list[ChangeEntry]:
        """The changes of the last `changes_days` days to a team's (or a period's)
        objectives, newest day first."""
        since = self.as_of - self.changes_days * SECONDS_PER_DAY
        label = None if period is None else str(period)
        chosen = [
            change
            for change in self.changes_since(objectives, since)
            if (team is None or change.team == team) and (label is None or change.period == label)
        ]
        return sorted(chosen, key=lambda change: -change.date)  # a commit's rows keep their order

    def commit_url(self, commit: str | None) -> str | None:
        """The commit's page on the repository's site, when `repo_url` is a web address."""
        if not commit or not COMMIT_ID.fullmatch(commit) or not self.repo_url:
            return None
        if not self.repo_url.startswith(("https://", "http://")):  # never a javascript: link
            return None
        return f"{self.repo_url.rstrip('/')}/commit/{commit}"
