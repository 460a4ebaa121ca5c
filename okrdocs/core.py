"""One entry point for the plugin and the command line: load, resolve and check a folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .cascade import Cascade, resolve
from .loading import load_repository
from .problems import Problem, sorted_problems
from .validation import KrRange, validate


@dataclass
class CheckResult:
    cascade: Cascade
    problems: list[Problem]
    """Every problem found, in the stable order they are printed in."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


def check_folder(root: Path, kr_range: KrRange = KrRange()) -> CheckResult:
    repository, problems = load_repository(root)
    cascade = resolve(repository)
    problems.extend(validate(cascade, kr_range))
    return CheckResult(cascade, sorted_problems(problems))
