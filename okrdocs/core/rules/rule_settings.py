"""How an organisation adopts the coaching rules: which codes warn, fail or are ignored.

Coaching findings are advice by default, so turning the rules on breaks no one's CI. The
plugin option `rules:` (and `okrdocs check --warn/--error/--ignore`) moves codes to a
warning, an error, or silence, and sets the word lists and limits the rules use; an
objective file's `ignore: [codes]` silences codes for that file. Warnings of the gate
(OKR601) can be moved the same way; errors of the gate cannot: they are what keeps the
cascade connected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..domain import problems as codes
from ..domain.escaping import shortened
from ..domain.model import Objective
from ..domain.problems import Problem, Severity
from ..reading.fields import did_you_mean
from . import coaching
from .coaching import RULES_BY_CODE

CONFIGURABLE: dict[str, codes.Code] = {
    **{code.code: code for code in codes.CATALOGUE if code.severity is not Severity.ERROR},
    **{code: rule.code for code, rule in RULES_BY_CODE.items()},
}
"""The codes a configuration may move: every coaching rule and the gate's warnings."""
ALL_CODES: tuple[str, ...] = (*(code.code for code in codes.CATALOGUE), *RULES_BY_CODE)
LEVELS = ("warn", "error", "ignore")
WORD_LISTS = {
    "output_verbs": coaching.OUTPUT_VERBS,
    "activity_words": coaching.ACTIVITY_WORDS,
    "outcome_words": coaching.OUTCOME_WORDS,
    "number_words": coaching.NUMBER_WORDS,
}
"""The word lists a configuration may replace, and their defaults."""


@dataclass(frozen=True)
class RuleSettings:
    warn: frozenset[str] = frozenset()
    error: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    max_objectives: int = coaching.DEFAULT_MAX_OBJECTIVES
    max_confidence: float = coaching.DEFAULT_MAX_CONFIDENCE
    output_verbs: tuple[str, ...] = coaching.OUTPUT_VERBS
    activity_words: tuple[str, ...] = coaching.ACTIVITY_WORDS
    outcome_words: tuple[str, ...] = coaching.OUTCOME_WORDS
    number_words: tuple[str, ...] = coaching.NUMBER_WORDS

    def moved(self, level: str, given: Iterable[str]) -> RuleSettings:
        """These settings with the codes `given` moved to `level` (and out of the others):
        the command line's `--warn/--error/--ignore` over the plugin's `rules:`."""
        given = frozenset(given)
        sets = {name: getattr(self, name) - given for name in LEVELS}
        sets[level] = sets[level] | given
        return replace(self, **sets)

    def severity(self, code: str, default: Severity) -> Severity | None:
        """The severity a finding of `code` is reported with; None: not reported."""
        if code in self.ignore:
            return None
        if code in self.error:
            return Severity.ERROR
        if code in self.warn:
            return Severity.WARNING
        return default


def code_mistake(code: object, where: str) -> str | None:
    """Why `code` cannot be configured (unknown, with a did-you-mean; or an error of the
    gate), or None."""
    if not isinstance(code, str) or code.upper() not in ALL_CODES:
        near = isinstance(code, (str, int)) and len(str(code)) <= MAX_CODE_LENGTH
        hint = suggest_code(str(code)) if near else ""
        shown = shortened(repr(code), MAX_CODE_LENGTH * 2)  # a pull request's megabyte is not echoed
        return f"{where}: there is no code {shown}{hint or '; run okrdocs rules for the list'}"
    if code.upper() not in CONFIGURABLE:
        return (
            f"{where}: {code.upper()} is an error of the gate and cannot be configured; "
            "only coaching rules (OKR7xx) and warnings can"
        )
    return None


MAX_CODE_LENGTH = 20
"""Longer than any code, mistyped or not: such a value is shown cut, with no did-you-mean."""


def suggest_code(code: str) -> str:
    """'; did you mean ...?' for a mistyped code: a letter O for a zero, two digits swapped,
    else the nearest by spelling; '' when none is near."""
    upper = code.upper()
    digits = upper[:3] + upper[3:].replace("O", "0")
    if digits in ALL_CODES:
        return f"; did you mean '{digits}'?"
    swapped = [known for known in ALL_CODES if sorted(known) == sorted(digits) and known[:3] == digits[:3]]
    if swapped:
        return f"; did you mean '{swapped[0]}'?"
    return did_you_mean(digits, ALL_CODES)


def read_rules(raw: object) -> tuple[RuleSettings, list[str]]:
    """The plugin option `rules:` (a mapping), and what is wrong with it."""
    if raw is None:
        return RuleSettings(), []
    if not isinstance(raw, Mapping):
        return RuleSettings(), ["rules must be a mapping, like 'rules: {warn: [OKR703]}'"]
    values: dict[str, Any] = {}
    mistakes: list[str] = []
    for key, value in raw.items():
        if key in LEVELS:
            listed = value if isinstance(value, list) else [value] if value is not None else []
            found = [code_mistake(code, f"rules: {key}") for code in listed]
            mistakes += [mistake for mistake in found if mistake]
            values[key] = frozenset(
                str(code).upper() for code, mistake in zip(listed, found, strict=True) if mistake is None
            )
        elif key in WORD_LISTS:
            if isinstance(value, list) and value and all(isinstance(word, str) and word.strip() for word in value):
                values[key] = tuple(word.strip().lower() for word in value)
            else:
                mistakes.append(f"rules: {key} must be a list of words, like [launch, ship]")
        elif key == "max_objectives":
            if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
                values[key] = value
            else:
                mistakes.append("rules: max_objectives must be a whole number of 1 or more")
        elif key == "max_confidence":
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
                values[key] = float(value)
            else:
                mistakes.append("rules: max_confidence must be a number from 0 to 1, like 0.9")
        else:
            known = (*LEVELS, *WORD_LISTS, "max_objectives", "max_confidence")
            mistakes.append(f"rules has no setting {key!r}{did_you_mean(str(key), known)}")
    settings = RuleSettings(**values)
    for level in LEVELS:
        for other in LEVELS[LEVELS.index(level) + 1 :]:
            both = sorted(getattr(settings, level) & getattr(settings, other))
            if both:
                mistakes.append(f"rules: {', '.join(both)} listed under both {level} and {other}: keep one")
    return settings, mistakes


def apply_rules(problems: Iterable[Problem], settings: RuleSettings, objectives: Iterable[Objective]) -> list[Problem]:
    """The problems as configured: moved to a warning or an error, or left out; each file's
    own `ignore:` applies to its findings but those configured as errors, and an unknown
    code in it is a problem (OKR202)."""
    ignored: dict[str, frozenset[str]] = {}
    found: list[Problem] = []
    for objective in objectives:
        if not objective.ignore:
            continue
        ignored[objective.where.path] = frozenset(code.upper() for code in objective.ignore)
        for code in objective.ignore:
            mistake = code_mistake(code, "ignore")
            if mistake is not None:
                found.append(
                    Problem.of(codes.INVALID_VALUE, objective.where.path, objective.where.line_of("ignore"), mistake)
                )
    if not (ignored or settings.warn or settings.error or settings.ignore):
        return [*found, *problems]  # nothing moved or left out (a large folder has thousands of findings)
    for problem in problems:
        if problem.code not in CONFIGURABLE:
            found.append(problem)
            continue
        severity = settings.severity(problem.code, problem.severity)
        if severity is None or (severity is not Severity.ERROR and problem.code in ignored.get(problem.path, ())):
            continue  # a file cannot lift what the configuration made an error: the gate is the organisation's
        found.append(problem if severity is problem.severity else replace(problem, severity=severity))
    return found
