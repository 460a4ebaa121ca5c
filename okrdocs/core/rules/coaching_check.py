"""The coaching rules (catalogue: `coaching`) run over a resolved cascade.

Each finding is advice at the line at fault, its message ending with the rule's fix.
Titles are matched by whole words, lower-cased, through one compiled pattern per word
list, so the rules cost little next to reading the files.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from ..domain.cascade import Cascade
from ..domain.model import KeyResult, Objective, Period
from ..domain.problems import Problem
from ..history.timeline import period_span
from ..reading.loading import TEAMS_FILE
from . import coaching
from .coaching import Rule
from .rule_settings import RuleSettings

_RETROSPECTIVE = re.compile(r"^ {0,3}#{1,6}[ \t]+retrospective\b", re.IGNORECASE | re.MULTILINE)
_DIGIT = re.compile(r"\d")
_MARKUP = re.compile(r"[*_`\[\]()]")


def _words(words: Iterable[str]) -> re.Pattern[str]:
    """Any of `words` (or phrases) as a whole word; '%' anywhere, as it follows a number."""
    items = {word.lower() for word in words}
    alternatives = sorted((re.escape(word) for word in items if word != "%"), key=len, reverse=True)
    parts = [r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])"] if alternatives else []
    parts += ["%"] if "%" in items else []
    return re.compile("|".join(parts) or "(?!)")


@dataclass(frozen=True)
class _Matchers:
    settings: RuleSettings

    @cached_property
    def output_verb(self) -> re.Pattern[str]:
        alternatives = "|".join(sorted((re.escape(v) for v in self.settings.output_verbs), key=len, reverse=True))
        return re.compile(rf"(?:{alternatives})(?![\w-])")

    @cached_property
    def activity(self) -> re.Pattern[str]:
        return _words(self.settings.activity_words)

    @cached_property
    def outcome(self) -> re.Pattern[str]:
        return _words(self.settings.outcome_words)

    @cached_property
    def number(self) -> re.Pattern[str]:
        return _words(self.settings.number_words)

    def has_number(self, text: str) -> bool:
        return _DIGIT.search(text) is not None or self.number.search(text) is not None


def _text(title: str) -> str:
    """A title as the rules read it: lower case, without Markdown marks."""
    return _MARKUP.sub(" ", title).lower().strip()


def coach(
    cascade: Cascade, settings: RuleSettings = RuleSettings(), as_of: int | None = None, fiscal_year_start: int = 1
) -> list[Problem]:
    """Every coaching finding of the cascade, as advice. `as_of`: the build date (None:
    no period is closed, so OKR707 finds nothing)."""
    match = _Matchers(settings)
    found: list[Problem] = []
    for objective in cascade.objectives.values():
        found.extend(_objective_title(cascade, objective, match))
        for kr in objective.key_results:
            found.extend(_key_result(kr, match))
        if (
            as_of is not None
            and is_closed(objective.period, as_of, fiscal_year_start)
            and not has_retrospective(objective)
        ):
            found.append(_finding(coaching.MISSING_RETROSPECTIVE, objective.where.path, objective.where.line_of("period"),
                                  f"objective '{objective.id}' closed with {objective.period} and has no retrospective"))  # fmt: skip
    found.extend(_teams(cascade, settings))
    return found


def _finding(rule: Rule, path: str, line: int, what: str) -> Problem:
    return Problem.of(rule.code, path, line, f"{what}: {rule.fix}")


def _objective_title(cascade: Cascade, objective: Objective, match: _Matchers) -> Iterator[Problem]:
    if objective.parent is not None and objective.parent.is_tight:
        return  # its title is the delegated key result's text, by design of tight alignment
    text = _text(objective.title)
    line = objective.where.line_of("title")
    verb = match.output_verb.match(text)
    if verb is not None:
        yield _finding(coaching.OUTPUT_OBJECTIVE, objective.where.path, line,
                       f"objective '{objective.id}' starts with '{verb[0]}', an output or an action")  # fmt: skip
    if _DIGIT.search(text):
        yield _finding(coaching.METRIC_IN_OBJECTIVE, objective.where.path, line,
                       f"the title of objective '{objective.id}' holds a number")  # fmt: skip


def _key_result(kr: KeyResult, match: _Matchers) -> Iterator[Problem]:
    text = _text(kr.title)
    line = kr.where.line_of("title")
    activity = match.activity.search(text)
    if activity is not None and match.outcome.search(text) is None:
        yield _finding(coaching.ACTIVITY_KEY_RESULT, kr.where.path, line,
                       f"key result '{kr.id}' counts activity ('{activity[0]}') and names no outcome")  # fmt: skip
    if not _is_measured(kr) and not match.has_number(text):
        yield _finding(coaching.UNMEASURABLE_KEY_RESULT, kr.where.path, line,
                       f"key result '{kr.id}' has no measure and no number in its title")  # fmt: skip


def _is_measured(kr: KeyResult) -> bool:
    """A measure the KR's own fields give: start and target, or a progress score (and, with
    kinds of key result, a milestone or a band)."""
    kind = getattr(kr, "kind", None)
    return (
        kr.progress is not None or (kr.start is not None and kr.target is not None) or kind in ("milestone", "maintain")
    )


def is_closed(period: Period | None, as_of: int, fiscal_year_start: int = 1) -> bool:
    """A period is closed when the build date is at or after its end."""
    return period is not None and as_of >= period_span(period, fiscal_year_start)[1]


def has_retrospective(objective: Objective) -> bool:
    """A `retrospective:` field, or a `Retrospective` heading of any level in the body."""
    return objective.retrospective is not None or _RETROSPECTIVE.search(objective.body) is not None


def _teams(cascade: Cascade, settings: RuleSettings) -> Iterator[Problem]:
    by_team_period: dict[tuple[str, Period], list[Objective]] = defaultdict(list)
    for objective in cascade.objectives.values():
        if objective.team_id in cascade.teams and objective.period is not None:
            by_team_period[(objective.team_id, objective.period)].append(objective)
    for (team_id, period), objectives in sorted(by_team_period.items(), key=lambda item: (item[0][0], item[0][1])):
        line = cascade.teams[team_id].where.line_of("id")
        if len(objectives) > settings.max_objectives:
            yield _finding(coaching.TOO_MANY_OBJECTIVES, TEAMS_FILE, line,
                           f"team '{team_id}' has {len(objectives)} objectives in {period}, "
                           f"more than {settings.max_objectives}")  # fmt: skip
        confidences = [o.confidence for o in objectives if o.confidence is not None]
        if confidences and sum(confidences) / len(confidences) > settings.max_confidence:
            mean = sum(confidences) / len(confidences)
            yield _finding(coaching.SAFE_CONFIDENCE, TEAMS_FILE, line,
                           f"team '{team_id}' has an average confidence of {mean:.2f} in {period}, "
                           f"above {settings.max_confidence:g}")  # fmt: skip
