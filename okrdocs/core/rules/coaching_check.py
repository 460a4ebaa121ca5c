"""The coaching rules (catalogue: `coaching`) run over a resolved cascade.

Each finding is advice at the line at fault, its message ending with the rule's fix;
what the word lists find in titles comes from `title_words`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import partial

from ..domain.cascade import Cascade
from ..domain.model import KeyResult, Objective, Period
from ..domain.problems import Problem
from ..history.timeline import period_span
from ..reading.loading import TEAMS_FILE
from . import coaching
from .coaching import Rule
from .rule_settings import RuleSettings
from .title_words import DIGIT, TitlesRead, read_titles

_RETROSPECTIVE = re.compile(r" {0,3}#{1,6}[ \t]+retrospective\b", re.IGNORECASE)
"""A line that is a heading whose text starts with the word."""
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


Later = Callable[[], TitlesRead]
"""What `read_titles` gives, when asked for."""
ReadTitles = Callable[[RuleSettings, list[str], list[str]], Later]
"""Starts `read_titles` of the settings and titles given (`read_here`: when asked for)."""


def read_here(settings: RuleSettings, objective_titles: list[str], kr_titles: list[str]) -> Later:
    """`read_titles` in this process, once asked for."""
    return partial(read_titles, settings, objective_titles, kr_titles)


class CoachingMemo:
    """Each objective's own findings (its title's, its key results', its retrospective's),
    kept from one check to the next of the same process (a live preview, where an edit
    checks the whole folder again): they read the objective's own record, the settings
    and whether its period is closed, nothing else. The parse cache hands back the very
    same `Objective` while its file's bytes are unchanged, so an objective is coached
    again when its file changed (a new record), its period closed, or the settings changed.
    """

    def __init__(self) -> None:
        self._settings: tuple[RuleSettings, int] | None = None
        self._found: dict[str, tuple[Objective, bool, list[Problem]]] = {}
        self.coached = 0
        """Objectives the last check coached (the others' findings were carried over): for tests."""

    def kept(self, objective: Objective, closed: bool) -> list[Problem] | None:
        """The objective's own findings from the last check, when it had the same record."""
        kept = self._found.get(objective.id)
        return kept[2] if kept is not None and kept[0] is objective and kept[1] == closed else None

    def keep(self, objective: Objective, closed: bool, found: list[Problem]) -> None:
        self._found[objective.id] = (objective, closed, found)
        self.coached += 1

    def begin(self, settings: RuleSettings, fiscal_year_start: int, ids: Iterable[str]) -> None:
        """Start a check: forget everything when the settings changed, else the objectives gone."""
        self.coached = 0
        if self._settings != (settings, fiscal_year_start):
            self._settings, self._found = (settings, fiscal_year_start), {}
            return
        present = set(ids)
        self._found = {oid: kept for oid, kept in self._found.items() if oid in present}


class Coaching:
    """The coaching findings of a cascade, as advice, in two steps: made, it starts reading
    the titles of the objectives to coach (`read`: `read_here`, or on another core), the
    most of its work; `findings()` waits for that and puts the findings together, so a
    check validates the cascade meanwhile.

    `as_of`: the build date (None: no period is closed, so OKR707 finds nothing). `memo`:
    the last check's findings of each objective, carried over for the objectives whose
    record did not change."""

    def __init__(
        self,
        cascade: Cascade,
        settings: RuleSettings = RuleSettings(),
        as_of: int | None = None,
        fiscal_year_start: int = 1,
        memo: CoachingMemo | None = None,
        read: ReadTitles = read_here,
    ) -> None:
        self._cascade, self._settings = cascade, settings
        self._memo = memo = memo or CoachingMemo()
        memo.begin(settings, fiscal_year_start, cascade.objectives)
        closed: dict[Period | None, bool] = {}  # a few periods, thousands of objectives
        self._objectives: list[tuple[Objective, bool]] = []  # each with whether its period is over
        for objective in cascade.objectives.values():
            period = objective.period
            is_over = closed.get(period)
            if is_over is None:
                is_over = closed[period] = as_of is not None and is_closed(period, as_of, fiscal_year_start)
            self._objectives.append((objective, is_over))
        to_coach = [objective for objective, is_over in self._objectives if memo.kept(objective, is_over) is None]
        titles = [objective.title for objective in to_coach]
        kr_titles = [kr.title for objective in to_coach for kr in objective.key_results]
        self._read = read(settings, titles, kr_titles)

    def findings(self) -> list[Problem]:
        """Every finding: each objective's own, in the cascade's order, then the teams'."""
        read = self._read()
        verbs, activities, numbered = iter(read.output_verbs), iter(read.activities), iter(read.numbered)
        found: list[Problem] = []
        for objective, is_over in self._objectives:
            kept = self._memo.kept(objective, is_over)
            if kept is None:  # an objective to coach: the next of the titles read
                kept = _objective(objective, is_over, next(verbs), activities, numbered)
                self._memo.keep(objective, is_over, kept)
            found += kept
        _teams(self._cascade, self._settings, found)
        return found


def _objective(
    objective: Objective, closed: bool, verb: str | None, activities: Iterator[str | None], numbered: Iterator[bool]
) -> list[Problem]:
    """The findings of one objective's own record; `verb`, `activities` and `numbered`:
    what `read_titles` found in its title and, in turn, in its key results'."""
    found: list[Problem] = []
    _objective_title(objective, verb, found)
    for kr in objective.key_results:
        _key_result(kr, next(activities), next(numbered), found)
    if closed and not has_retrospective(objective):
        what = f"objective '{objective.id}' closed with {objective.period} and has no retrospective"
        found.append(_finding(coaching.MISSING_RETROSPECTIVE, objective.where.path, objective.where.line_of("period"), what))  # fmt: skip
    return found


def _finding(rule: Rule, path: str, line: int, what: str) -> Problem:
    # Made directly, not by `Problem.of`: the message is one line already (ids, periods and
    # words of the lists), and a large organisation has thousands of findings.
    return Problem(path, line, rule.code.code, (f"{what}: {rule.fix}",), rule.code.severity)


def _objective_title(objective: Objective, verb: str | None, found: list[Problem]) -> None:
    if objective.parent is not None and objective.parent.is_tight:
        return  # its title is the delegated key result's text, by design of tight alignment
    line = objective.where.line_of("title")
    if verb is not None:
        found.append(_finding(coaching.OUTPUT_OBJECTIVE, objective.where.path, line,
                       f"objective '{objective.id}' starts with '{verb}', an output or an action"))  # fmt: skip
    if DIGIT.search(objective.title):
        found.append(_finding(coaching.METRIC_IN_OBJECTIVE, objective.where.path, line,
                       f"the title of objective '{objective.id}' holds a number"))  # fmt: skip


def _key_result(kr: KeyResult, activity: str | None, numbered: bool, found: list[Problem]) -> None:
    if activity is not None:
        found.append(_finding(coaching.ACTIVITY_KEY_RESULT, kr.where.path, kr.where.line_of("title"),
                       f"key result '{kr.id}' counts activity ('{activity}') and names no outcome"))  # fmt: skip
    if not numbered and not _is_measured(kr):
        found.append(_finding(coaching.UNMEASURABLE_KEY_RESULT, kr.where.path, kr.where.line_of("title"),
                       f"key result '{kr.id}' has no measure and no number in its title"))  # fmt: skip


def _is_measured(kr: KeyResult) -> bool:
    """A measure the KR's own fields give: start and target, a progress score, a milestone
    or a band."""
    return kr.kind != "metric" or kr.progress is not None or (kr.start is not None and kr.target is not None)


def is_closed(period: Period | None, as_of: int, fiscal_year_start: int = 1) -> bool:
    """A period is closed when the build date is at or after its end."""
    return period is not None and as_of >= period_span(period, fiscal_year_start)[1]


def has_retrospective(objective: Objective) -> bool:
    """A `retrospective:` field, or a `Retrospective` heading of any level in the body."""
    return objective.retrospective is not None or has_retrospective_heading(objective.body)


def has_retrospective_heading(body: str) -> bool:
    """Whether a line of `body` outside its fenced code blocks is a `Retrospective`
    heading (`_RETROSPECTIVE`): a `# Retrospective` in an example of code is none. A body
    whose case-folded text lacks `RETROSPECT_FOLDED` has none, so most bodies are not
    read line by line."""
    if RETROSPECT_FOLDED not in body.casefold():
        return False
    return any(_RETROSPECTIVE.match(line) for line in lines_outside_fences(body))


def lines_outside_fences(markdown: str) -> Iterator[str]:
    """The lines of `markdown` that are not in a fenced code block, as CommonMark reads
    fences: three or more backticks or tildes, indented at most three spaces (a backtick
    fence's info string holds no backtick), closed by a line of at least as many of the
    same character, or by the end of the text."""
    fence = None
    for line in markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        marks = _FENCE.match(line)
        if fence is None:
            if marks is not None and not (marks[1][0] == "`" and "`" in line[marks.end() :]):
                fence = marks[1]
            else:
                yield line
        elif marks is not None and marks[1][0] == fence[0] and len(marks[1]) >= len(fence):
            if not line[marks.end() :].strip(" \t"):
                fence = None


RETROSPECT_FOLDED = "retrospect"
"""What the case-folded text of any match of `_RETROSPECTIVE` holds: each character the
pattern matches as one of these letters folds to that letter (the 'i' is left out: the
pattern also matches 'İ' and 'ı' as it, which fold to other text)."""


def _teams(cascade: Cascade, settings: RuleSettings, found: list[Problem]) -> None:
    by_team_period: dict[tuple[str, Period], list[Objective]] = defaultdict(list)
    for objective in cascade.objectives.values():
        if objective.team_id in cascade.teams and objective.period is not None:
            by_team_period[(objective.team_id, objective.period)].append(objective)
    for (team_id, period), objectives in by_team_period.items():  # the check sorts what is found
        line = cascade.teams[team_id].where.line_of("id")
        if len(objectives) > settings.max_objectives:
            found.append(_finding(coaching.TOO_MANY_OBJECTIVES, TEAMS_FILE, line,
                           f"team '{team_id}' has {len(objectives)} objectives in {period}, "
                           f"more than {settings.max_objectives}"))  # fmt: skip
        confidences = [o.confidence for o in objectives if o.confidence is not None]
        if confidences and sum(confidences) / len(confidences) > settings.max_confidence:
            mean = sum(confidences) / len(confidences)
            found.append(_finding(coaching.SAFE_CONFIDENCE, TEAMS_FILE, line,
                           f"team '{team_id}' has an average confidence of {mean:.2f} in {period}, "
                           f"above {settings.max_confidence:g}"))  # fmt: skip
