"""The OKR domain as plain data: teams, the vision, objectives, key results and periods.

Nothing here reads files or knows about MkDocs; `loading` builds these objects and
`cascade` links them together.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, get_args

VISION = "vision"
"""The `parent` value that starts a chain at the organisation's vision."""

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG_LENGTH = 100
"""Ids name the site's files and folders: a longer one could pass the check and then fail
the build with 'File name too long' (most file systems stop at 255 bytes)."""
Status = Literal["on-track", "at-risk", "off-track", "done"]
"""The statuses an objective can have, in the order they are listed: the one list the
fields, the schema, the pages, the diagrams and the legend share."""
STATUSES: tuple[str, ...] = get_args(Status)
STATUS_LABELS = {status: status.replace("-", " ") for status in STATUSES}
"""How pages, diagrams and legends word each status."""
TROUBLED: tuple[Status, ...] = ("at-risk", "off-track")
KrKind = Literal["metric", "milestone", "maintain"]
"""Kinds of key result: a value moving from start to target, a milestone done or not, a
band to stay inside."""
KR_KINDS: tuple[str, ...] = get_args(KrKind)
Commitment = Literal["committed", "aspirational"]
"""A committed objective is expected to reach 1.0; an aspirational one about 0.6-0.7."""
COMMITMENTS: tuple[str, ...] = get_args(Commitment)
DEFAULT_COMMITMENT: Commitment = "aspirational"
"""The statuses that call for attention (the check-in report lists them)."""


def percent(score: float | None, missing: str = "–") -> str:
    """A score from 0.0 to 1.0 as readers see it on pages and diagrams: `58%`."""
    return missing if score is None else f"{round(score * 100)}%"


def number_text(value: float) -> str:
    """A number as a file writes it: `2499999`, `99.94999`, `0.5`, exact (Python's shortest
    `repr`), whole numbers without `.0` below 1e16. Not `:g`, whose six digits show a target
    moved from 2500000 to 2499999 as `2.5e+06 → 2.5e+06`."""
    number = float(value)
    return str(int(number)) if number.is_integer() and abs(number) < 1e16 else repr(number)


SCORE_TOLERANCE = 1e-9
"""Two scores closer than this are the same score (what float sums leave is no change)."""


def same_score(old: float | None, new: float | None) -> bool:
    """Whether two scores (None: no score) are the same, for history points and diffs."""
    if old is None or new is None:
        return old is new
    return abs(old - new) <= SCORE_TOLERANCE


PERIOD_PATTERN = re.compile(r"^([0-9]{4})(?:-(H[12]|Q[1-4]))?$")


def is_slug(value: object) -> bool:
    return isinstance(value, str) and len(value) <= MAX_SLUG_LENGTH and SLUG_PATTERN.fullmatch(value) is not None


@dataclass(frozen=True, order=True)
class Period:
    """A year, a half or a quarter, compared by the months it covers."""

    year: int
    first_month: int
    last_month: int

    @classmethod
    def parse(cls, value: object) -> Period | None:
        """`2026`, `"2026"`, `"2026-H1"` or `"2026-Q3"`; None for anything else."""
        if isinstance(value, bool):
            return None
        match = PERIOD_PATTERN.fullmatch(str(value)) if isinstance(value, (int, str)) else None
        if match is None:
            return None
        year, part = int(match[1]), match[2]
        if part is None:
            return cls(year, 1, 12)
        months = 6 if part[0] == "H" else 3
        first = (int(part[1]) - 1) * months + 1
        return cls(year, first, first + months - 1)

    @classmethod
    def holding(cls, year: int, month: int, months: int = 3, fiscal_year_start: int = 1) -> Period:
        """The quarter (`months` 3), half (6) or year (12) that holds the calendar month
        `month` of `year`, in a fiscal year that starts in month `fiscal_year_start` and is
        named by the calendar year in which it ends."""
        fiscal_month = (month - fiscal_year_start) % 12 + 1
        fiscal_year = year + (1 if fiscal_year_start > 1 and month >= fiscal_year_start else 0)
        first = (fiscal_month - 1) // months * months + 1
        return cls(fiscal_year, first, first + months - 1)

    def calendar_months(self, fiscal_year_start: int = 1) -> tuple[int, int]:
        """The first month of this period and the first month after it, as months since
        January of year 0 (`year * 12 + month - 1`), in a fiscal year starting in month
        `fiscal_year_start`: with 2, 2027-Q1 is February to April 2026."""
        shift = fiscal_year_start - 1 - (12 if fiscal_year_start > 1 else 0)
        first = self.year * 12 + self.first_month - 1 + shift
        return first, first + self.last_month - self.first_month + 1

    def contains(self, other: Period) -> bool:
        return self.year == other.year and self.first_month <= other.first_month and other.last_month <= self.last_month

    def overlaps(self, other: Period) -> bool:
        """Whether the two share a month (2026 and 2026-Q3 do; 2026-Q1 and 2026-Q2 do not)."""
        return self.year == other.year and self.first_month <= other.last_month and other.first_month <= self.last_month

    @property
    def label(self) -> str:
        span = self.last_month - self.first_month + 1
        if span == 12:
            return f"{self.year:04d}"  # four digits, as `Period.parse` reads them
        part = "H" if span == 6 else "Q"
        return f"{self.year:04d}-{part}{(self.first_month - 1) // span + 1}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class ParentRef:
    """Where an objective aligns: the vision, an objective (loose) or a KR (tight)."""

    objective_id: str | None
    kr_id: str | None = None

    @classmethod
    def parse(cls, value: str) -> ParentRef:
        if value == VISION:
            return cls(None)
        objective_id, _, kr_id = value.partition("#")
        return cls(objective_id, kr_id or None)

    @property
    def is_vision(self) -> bool:
        return self.objective_id is None

    @property
    def is_tight(self) -> bool:
        return self.kr_id is not None

    def __str__(self) -> str:
        if self.objective_id is None:
            return VISION
        return f"{self.objective_id}#{self.kr_id}" if self.kr_id else self.objective_id


@dataclass
class Located:
    """Where a thing was written: its file (relative to the OKR folder) and 1-based lines."""

    path: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    item_lines: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False, compare=False)
    """The line of each item of a list field whose items are reported one by one (`delegated_to`)."""

    def line_of(self, name: str) -> int:
        """The line of field `name`, or the thing's own line when the field is absent."""
        return self.field_lines.get(name, self.line)

    def line_of_item(self, name: str, index: int) -> int:
        """The line of item `index` of list field `name`, or the field's line (`name: value`)."""
        items = self.item_lines.get(name, ())
        return items[index] if index < len(items) else self.line_of(name)


@dataclass
class Team:
    id: str
    name: str
    where: Located
    parent_id: str | None = None
    lead: str | None = None
    description: str | None = None
    reviewers: tuple[str, ...] = ()
    """Forge handles (`@acme/sales-leads`) that review the team's files: `okrdocs codeowners`."""


@dataclass
class KeyResult:
    id: str
    title: str
    where: Located
    delegated_to: tuple[str, ...] = ()
    start: float | None = None
    target: float | None = None
    current: float | None = None
    unit: str | None = None
    progress: float | None = None
    weight: float = 1.0
    """How much the KR counts in its objective's score (the weighted mean)."""
    depends_on: tuple[str, ...] = ()
    """Ids of the teams whose work the KR needs (`links` says whether they confirmed it)."""
    kind: KrKind = "metric"
    done: bool | None = None
    """A milestone's state (`kind: milestone`)."""
    minimum: float | None = None
    maximum: float | None = None
    """A band to stay inside (`kind: maintain`, the fields `min` and `max`)."""

    @property
    def measured_score(self) -> float | None:
        """The score the KR's own fields give: a milestone 1 when done, else 0; a band 1
        with `current` inside it, else 0; `progress`; else start/target/current (a target
        below the start is a decrease, scored the same way)."""
        if self.kind == "milestone":
            return 1.0 if self.done else 0.0
        if self.kind == "maintain":
            return None if self.current is None else float(self.outside_band == 0)
        if self.progress is not None:
            return self.progress
        if None in (self.start, self.target, self.current) or self.target == self.start:
            return None
        assert self.start is not None and self.target is not None and self.current is not None
        moved, span = self.current - self.start, self.target - self.start
        if not (math.isfinite(moved) and math.isfinite(span)):  # values near the float limit
            moved, span = self.current / 2 - self.start / 2, self.target / 2 - self.start / 2
        return min(1.0, max(0.0, moved / span))

    @property
    def outside_band(self) -> float | None:
        """How far `current` lies outside a maintain band (0 inside; None without current)."""
        if self.current is None:
            return None
        if self.minimum is not None and self.current < self.minimum:
            return _difference(self.minimum, self.current)
        if self.maximum is not None and self.current > self.maximum:
            return _difference(self.current, self.maximum)
        return 0.0


def _difference(high: float, low: float) -> float:
    """`high - low` in the decimals the numbers are written with: 99.5 - 99.2 is 0.3, not
    the 0.29999999999999716 of their binary values, which a page would show."""
    if not (math.isfinite(high) and math.isfinite(low)):
        return high - low
    return float(Decimal(repr(high)) - Decimal(repr(low)))


@dataclass
class Objective:
    id: str
    title: str
    where: Located
    team_id: str | None
    period: Period | None
    parent: ParentRef | None
    key_results: list[KeyResult] = field(default_factory=list)
    owner: str | None = None
    status: Status | None = None
    confidence: float | None = None
    tags: tuple[str, ...] = ()
    body: str = ""
    body_line: int = 0
    """The file's line of the body's first line (0: no body read from a file)."""
    contributes_to: tuple[ParentRef, ...] = ()
    """Objectives and key results this one helps besides its one parent; scores ignore them."""
    ignore: tuple[str, ...] = ()
    """Coaching codes this file's author chose to silence (`core.rules.rule_settings`)."""
    retrospective: str | None = None
    """What was learned when the period closed (or a `## Retrospective` section of the body)."""
    commitment: Commitment | None = None
    """As written; None: the site's `default_commitment` (`Cascade.commitment_of`)."""
    key_results_written: int | None = None
    """How many items the file's `key_results` list has, also those that could not be read
    (each of those is reported on its own); None: as many as `key_results`."""

    def key_result(self, kr_id: str) -> KeyResult | None:
        return next((kr for kr in self.key_results if kr.id == kr_id), None)

    @property
    def key_result_count(self) -> int:
        """The number of key results as the author wrote them, for the configured range."""
        return len(self.key_results) if self.key_results_written is None else self.key_results_written


@dataclass
class Vision:
    statement: str
    where: Located
    horizon: str | None = None
    body: str = ""
    body_line: int = 0
    """The file's line of the body's first line (0: no body read from a file)."""


@dataclass
class Repository:
    """Everything read from one OKR folder, before the cascade is resolved.

    `unreadable_objective_ids` holds the ids (file names) of objective files that could not
    be parsed at all, so that links to them are not reported a second time as unknown.
    """

    teams: list[Team] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    vision: Vision | None = None
    unreadable_objective_ids: set[str] = field(default_factory=set)
    digest: str = ""
    """A hash of the path and bytes of every file read: what the rest is made from, for the
    build's caches ("" for a repository not read from a folder)."""
