"""The coaching rules (catalogue: `coaching`) run over a resolved cascade.

Each finding is advice at the line at fault, its message ending with the rule's fix.
A title is split into lower-case words once (a hyphenated word is one word, Markdown
marks are none) and looked up in sets: on thousands of key results that costs a small
part of what reading the files does (benchmarks/RESULTS.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial

from ..domain.cascade import Cascade
from ..domain.model import KeyResult, Objective, Period
from ..domain.problems import Problem
from ..history.timeline import period_span
from ..reading.loading import TEAMS_FILE
from . import coaching
from .coaching import Rule
from .rule_settings import RuleSettings

_RETROSPECTIVE = re.compile(r" {0,3}#{1,6}[ \t]+retrospective\b", re.IGNORECASE)
"""A line that is a heading whose text starts with the word."""
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*|%")


def words_of(title: str) -> list[str]:
    """A title's words (`_WORD`), lower case; '%' is a word of its own."""
    words: list[str] = []
    for token in title.lower().split():  # no word holds a space
        if token.isalnum():  # a word as it stands, as most are: the pattern finds just it
            words.append(token)
        else:
            words += _WORD.findall(token)
    return words


@dataclass(frozen=True)
class WordList:
    """Words and phrases of several words, found among a title's words."""

    words: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    phrase_starts: frozenset[str]
    """The first words of `phrases`: most titles hold none of them."""

    @classmethod
    def of(cls, entries: Iterable[str]) -> WordList:
        split = [tuple(words_of(entry)) for entry in entries]
        phrases = tuple(words for words in split if len(words) > 1)
        return cls(
            frozenset(words[0] for words in split if len(words) == 1),
            phrases,
            frozenset(phrase[0] for phrase in phrases),
        )

    def find(self, words: list[str]) -> str | None:
        """The first entry among `words`, or None."""
        if not self.words.isdisjoint(words):  # most titles hold none: no loop in Python then
            for word in words:
                if word in self.words:
                    return word
        if self.phrase_starts.isdisjoint(words):
            return None
        for phrase in self.phrases:
            first = phrase[0]
            if first not in words:
                continue
            for start, word in enumerate(words):
                if word == first and tuple(words[start : start + len(phrase)]) == phrase:
                    return " ".join(phrase)
        return None

    def starts(self, words: list[str]) -> str | None:
        """The entry `words` start with, or None."""
        if words and words[0] in self.words:
            return words[0]
        return next((" ".join(p) for p in self.phrases if tuple(words[: len(p)]) == p), None)


@dataclass(frozen=True)
class _Matchers:
    output_verbs: WordList
    activity: WordList
    outcome: WordList
    numbers: WordList

    @classmethod
    def of(cls, settings: RuleSettings) -> _Matchers:
        return cls(
            WordList.of(settings.output_verbs),
            WordList.of(settings.activity_words),
            WordList.of(settings.outcome_words),
            WordList.of(settings.number_words),
        )

    def has_number(self, title: str, words: list[str]) -> bool:
        return _DIGIT.search(title) is not None or self.numbers.find(words) is not None


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

    def findings(self, objective: Objective, closed: bool, coach: Callable[[], list[Problem]]) -> list[Problem]:
        """The objective's own findings, from the last check when it had the same record."""
        kept = self._found.get(objective.id)
        if kept is not None and kept[0] is objective and kept[1] == closed:
            return kept[2]
        found = coach()
        self._found[objective.id] = (objective, closed, found)
        self.coached += 1
        return found

    def begin(self, settings: RuleSettings, fiscal_year_start: int, ids: Iterable[str]) -> None:
        """Start a check: forget everything when the settings changed, else the objectives gone."""
        self.coached = 0
        if self._settings != (settings, fiscal_year_start):
            self._settings, self._found = (settings, fiscal_year_start), {}
            return
        present = set(ids)
        self._found = {oid: kept for oid, kept in self._found.items() if oid in present}


def coach(
    cascade: Cascade,
    settings: RuleSettings = RuleSettings(),
    as_of: int | None = None,
    fiscal_year_start: int = 1,
    memo: CoachingMemo | None = None,
) -> list[Problem]:
    """Every coaching finding of the cascade, as advice. `as_of`: the build date (None:
    no period is closed, so OKR707 finds nothing). `memo`: the last check's findings of
    each objective, carried over for the objectives whose record did not change."""
    match = _Matchers.of(settings)
    found: list[Problem] = []
    closed: dict[Period | None, bool] = {}  # a few periods, thousands of objectives
    memo = memo or CoachingMemo()
    memo.begin(settings, fiscal_year_start, cascade.objectives)
    for objective in cascade.objectives.values():
        period = objective.period
        is_over = closed.get(period)
        if is_over is None:
            is_over = closed[period] = as_of is not None and is_closed(period, as_of, fiscal_year_start)
        found.extend(memo.findings(objective, is_over, partial(_objective, objective, is_over, match)))
    _teams(cascade, settings, found)
    return found


def _objective(objective: Objective, closed: bool, match: _Matchers) -> list[Problem]:
    """The findings of one objective's own record."""
    found: list[Problem] = []
    _objective_title(objective, match, found)
    for kr in objective.key_results:
        _key_result(kr, match, found)
    if closed and not has_retrospective(objective):
        what = f"objective '{objective.id}' closed with {objective.period} and has no retrospective"
        found.append(_finding(coaching.MISSING_RETROSPECTIVE, objective.where.path, objective.where.line_of("period"), what))  # fmt: skip
    return found


def _finding(rule: Rule, path: str, line: int, what: str) -> Problem:
    # Made directly, not by `Problem.of`: the message is one line already (ids, periods and
    # words of the lists), and a large organisation has thousands of findings.
    return Problem(path, line, rule.code.code, (f"{what}: {rule.fix}",), rule.code.severity)


def _objective_title(objective: Objective, match: _Matchers, found: list[Problem]) -> None:
    if objective.parent is not None and objective.parent.is_tight:
        return  # its title is the delegated key result's text, by design of tight alignment
    text = objective.title
    line = objective.where.line_of("title")
    verb = match.output_verbs.starts(words_of(text))
    if verb is not None:
        found.append(_finding(coaching.OUTPUT_OBJECTIVE, objective.where.path, line,
                       f"objective '{objective.id}' starts with '{verb}', an output or an action"))  # fmt: skip
    if _DIGIT.search(text):
        found.append(_finding(coaching.METRIC_IN_OBJECTIVE, objective.where.path, line,
                       f"the title of objective '{objective.id}' holds a number"))  # fmt: skip


def _key_result(kr: KeyResult, match: _Matchers, found: list[Problem]) -> None:
    words = words_of(kr.title)
    activity = match.activity.find(words)
    if activity is not None and match.outcome.find(words) is None:
        found.append(_finding(coaching.ACTIVITY_KEY_RESULT, kr.where.path, kr.where.line_of("title"),
                       f"key result '{kr.id}' counts activity ('{activity}') and names no outcome"))  # fmt: skip
    if not _is_measured(kr) and not match.has_number(kr.title, words):
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
