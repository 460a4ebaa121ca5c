"""The coaching rules (OKR7xx): what makes an OKR a good one, as advice at the line.

The gate (`validation`) proves that a set of OKRs is connected; these rules say whether
each OKR is a good one, in the words of the common OKR guides (../shared/domain.md,
"Practice"): an objective names an outcome, a key result is a measurable deliverable, not
an action; a team keeps few objectives and sets targets it may miss. Their findings are
advice (`Severity.ADVICE`): printed after errors and warnings, shown on the objective's
page and in okrs.json, and never failing a build unless the rules configuration
(`rule_settings`) says so.

This module is the catalogue: each rule's stable code, short name, why, a weak and a
strong example, and the fix; `okrdocs rules` prints it and the README's table of codes is
generated from it (tests/test_docs.py). The word lists the rules use are here too, as
defaults that the plugin option `rules:` can replace.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.problems import Code, Severity


@dataclass(frozen=True)
class Rule:
    code: Code
    name: str
    """A short name, like `output-objective`."""
    why: str
    weak: str
    """An example the rule flags."""
    strong: str
    """The same intent written so that the rule is satisfied."""
    fix: str
    """What to do, as the end of the finding's message."""


def _rule(number: int, name: str, summary: str, why: str, weak: str, strong: str, fix: str) -> Rule:
    return Rule(Code(f"OKR{number}", summary, Severity.ADVICE), name, why, weak, strong, fix)


OUTPUT_OBJECTIVE = _rule(
    701,
    "output-objective",
    "an objective that names an output or an action, not an outcome",
    "An objective says what will be different when it is met. 'Launch the app' is an output: "
    "it can be done while nothing changes for anyone. Name the outcome the output is for, and "
    "let the launch be one way to get there.",
    "Launch the mobile app",
    "Make booking a service effortless for every driver",
    "name the outcome the work is for, and make the output a key result or a task",
)
METRIC_IN_OBJECTIVE = _rule(
    702,
    "metric-in-objective",
    "an objective whose title holds a metric (a number)",
    "A number in an objective is usually a key result in disguise: the objective says why, the "
    "key results say how much. A tight pickup is the exception: its title is the delegated key "
    "result's text by design.",
    "Grow revenue by 20%",
    "Become the dealership customers recommend first",
    "move the number into a key result and let the title say what it is for",
)
ACTIVITY_KEY_RESULT = _rule(
    703,
    "activity-key-result",
    "a key result that measures activity, not an outcome",
    "Key results are deliverables, not actions: meetings held, calls made or sessions run count "
    "effort. They can all happen while nothing improves. Measure what the activity is meant to "
    "change.",
    "Hold 12 customer interviews",
    "Raise the trial-to-paid conversion from 8% to 12%",
    "measure the result the activity should bring, and keep the activity as a task",
)
UNMEASURABLE_KEY_RESULT = _rule(
    704,
    "unmeasurable-key-result",
    "a key result that cannot be measured",
    "A key result is graded at the end of the period. Without a start and a target, a progress "
    "score, a milestone (kind: milestone) or a band (kind: maintain), and without a number in "
    "its title, nobody can say how far it got.",
    "Improve the onboarding experience",
    "Cut the median time to first booking from 9 days to 3",
    "give it start, target and current, a progress score, kind milestone or maintain, or a number in its title",
)
TOO_MANY_OBJECTIVES = _rule(
    705,
    "too-many-objectives",
    "a team with more objectives in one period than the configured number",
    "Focus is the point of OKRs: a team with many objectives in one period has no priorities. "
    "Three to five is the usual advice.",
    "A team with 8 objectives in 2026-Q2",
    "The same team with its 3 most important objectives, the rest in its backlog",
    "keep the few that matter most, and move the others to a later period or a backlog",
)
SAFE_CONFIDENCE = _rule(
    706,
    "safe-confidence",
    "a team whose average confidence in a period is above the configured ceiling",
    "Confidence looks forward. A set drafted with an average confidence above about 0.9 has "
    "targets that are sure to be met: sandbagged, not ambitious.",
    "Every objective of a team at confidence 0.95",
    "Stretch objectives at about 0.5 to 0.7, committed ones higher",
    "raise the targets until meeting them is uncertain, or say why these must be met",
)
MISSING_RETROSPECTIVE = _rule(
    707,
    "missing-retrospective",
    "a closed objective without a retrospective",
    "Set, assess, reset: when a period closes, the team writes down what it learned, so the next "
    "period's OKRs start from it. A closed objective without one has been scored but not assessed.",
    "An objective of 2026-Q1, built in April, with no retrospective",
    "The same objective with a '## Retrospective' section: what worked, what did not, what next",
    "add a '## Retrospective' section to its body, or a 'retrospective:' field",
)

RULES: tuple[Rule, ...] = tuple(value for value in list(globals().values()) if isinstance(value, Rule))
RULES_BY_CODE: dict[str, Rule] = {rule.code.code: rule for rule in RULES}

# -- the word lists (defaults; the plugin option `rules:` replaces them) -------------------

OUTPUT_VERBS: tuple[str, ...] = (
    "launch", "build", "ship", "implement", "hire", "release", "deploy", "develop", "create",
    "install", "migrate", "roll out", "set up", "write", "deliver", "introduce", "complete",
)  # fmt: skip
"""First words of an objective that name an output or an action (OKR701)."""

ACTIVITY_WORDS: tuple[str, ...] = (
    "meetings", "calls", "interviews", "sessions", "posts", "webinars", "demos", "visits",
    "events", "campaigns", "promotions", "trainings", "hold", "run", "conduct", "host", "attend",
    "speak to", "talk to", "engage", "meet with", "publish",
)  # fmt: skip
"""Words and phrases of a key result that count activity, held or run (OKR703). Plural
nouns only: a singular one is more often part of a name ('a service visit')."""

OUTCOME_WORDS: tuple[str, ...] = (
    "revenue", "conversion", "retention", "satisfaction", "churn", "nps", "uptime", "profit",
    "margin", "adoption", "share", "signed", "won", "close", "closed", "increase", "grow",
    "reduce", "raise", "cut", "percent", "%",
)  # fmt: skip
"""Words of a key result that name an outcome: with one, activity words are not flagged (OKR703)."""

NUMBER_WORDS: tuple[str, ...] = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "hundred", "thousand", "million", "dozen", "half", "double", "twice",
    "first", "second", "third", "all", "every",
)  # fmt: skip
"""Words that make a title measurable as a digit does (OKR702, OKR704)."""

DEFAULT_MAX_OBJECTIVES = 5
"""OKR705: more objectives than this for one team in one period."""
DEFAULT_MAX_CONFIDENCE = 0.9
"""OKR706: a team's average confidence in a period above this."""
