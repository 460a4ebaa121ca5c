"""One entry point for the plugin and the command line: load, resolve and check a folder."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

from ..caches.collector import collector_paused
from ..caches.parse_cache import ParseCache
from ..domain.cascade import Cascade, resolve
from ..domain.model import DEFAULT_COMMITMENT, Repository
from ..domain.problems import Problem, sorted_problems
from ..reading.loading import TEAMS_FILE, VISION_FILE, load_repository, parse_workers
from .coaching import RULES_BY_CODE
from .coaching_check import Coaching, CoachingMemo
from .link_rules import link_problems
from .rule_settings import RuleSettings, apply_rules
from .title_words import read_titles
from .validation import KrRange, validate


@dataclass
class CheckResult:
    cascade: Cascade
    problems: list[Problem]
    """Every problem found, in the stable order they are printed in (not changed after)."""

    @cached_property
    def errors(self) -> list[Problem]:
        """Found once: a preview's page shows them, and a large folder has thousands of findings."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error and not p.is_advice]

    @property
    def advice(self) -> list[Problem]:
        """Coaching findings left as advice: printed after the others, never failing."""
        return [p for p in self.problems if p.is_advice]


def check_folder(
    root: Path,
    kr_range: KrRange = KrRange(),
    cache: ParseCache | None = None,
    rules: RuleSettings = RuleSettings(),
    as_of: int | None = None,
    fiscal_year_start: int = 1,
    default_commitment: str = DEFAULT_COMMITMENT,
    coaching: CoachingMemo | None = None,
) -> CheckResult:
    """Every problem of the OKR folder `root`; with a `cache`, unchanged files are not parsed again.

    The coaching rules run too, configured by `rules`; `as_of` is the build date that
    closes periods (None: none is closed); `coaching`: the findings of the last check of
    this folder in the same process, carried over for unchanged objectives."""
    with collector_paused(), parse_workers() as workers:
        repository, problems = load_repository(root, cache, workers)
        cascade = resolve(repository)
        cascade.default_commitment = default_commitment
        # The titles are read by the parse worker, if a large folder started one, while
        # this process validates the cascade.
        coached = Coaching(cascade, rules, as_of, fiscal_year_start, coaching, partial(workers.call, read_titles))
        problems.extend(validate(cascade, kr_range, unread_objective_files(repository, problems)))
        problems.extend(link_problems(cascade))
        problems.extend(coached.findings())
        problems = sorted_problems(apply_rules(problems, rules, repository.objectives))
        cascade.notes = coaching_notes(problems)
    return CheckResult(cascade, problems)


def coaching_notes(problems: list[Problem]) -> dict[str, list[Problem]]:
    """The coaching findings of each file, for its objective's page and okrs.json."""
    notes: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.code in RULES_BY_CODE:
            notes.setdefault(problem.path, []).append(problem)
    return notes


def unread_objective_files(repository: Repository, problems: list[Problem]) -> set[str]:
    """Files with a problem that did not become an objective (nor teams.yml or vision.md)."""
    loaded = {objective.where.path for objective in repository.objectives}
    return {p.path for p in problems} - loaded - {TEAMS_FILE, VISION_FILE}
