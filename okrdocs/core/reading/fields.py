"""The fields of each OKR record, their shapes, and the checks that turn YAML into values.

One table per record kind is the single source of truth: the loader checks front matter
against it and `okrdocs schema` derives its JSON Schema from it, so the two cannot drift.
"""

from __future__ import annotations

import datetime
import difflib
import heapq
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..domain.model import COMMITMENTS, KR_KINDS, MAX_SLUG_LENGTH, SLUG_PATTERN, STATUSES, VISION, Period, is_slug

Check = Callable[[Any], "tuple[Any, str | None]"]
"""Returns (converted value, None) or (None, what the value should be)."""


def check_slug(value: Any) -> tuple[Any, str | None]:
    if is_slug(value):
        return value, None
    if isinstance(value, str) and SLUG_PATTERN.fullmatch(value):
        return None, f"a slug of at most {MAX_SLUG_LENGTH} characters (this one has {len(value)})"
    return None, "a slug: lower-case letters a-z, digits and single '-' between them, like 'sales-emea'"


def check_text(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and value.strip():
        return value.strip(), None
    if isinstance(value, (int, float, datetime.date)) and not isinstance(value, bool):
        return str(value), None  # YAML read `2026` or `2026-01-31` as a number or a date
    return None, "a non-empty line of text"


def check_period(value: Any) -> tuple[Any, str | None]:
    period = Period.parse(value)
    if period is None:
        return None, "a year (2026), a half (2026-H1) or a quarter (2026-Q3)"
    return period, None


def check_number(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            number = float(value)
        except OverflowError:  # an integer beyond float's range
            number = math.inf
        if math.isfinite(number):
            return number, None
    return None, "a number, like 10 or 2.5"


def check_score(value: Any) -> tuple[Any, str | None]:
    number, _ = check_number(value)
    if number is not None and 0.0 <= number <= 1.0:
        return number, None
    return None, "a score from 0.0 to 1.0, like 0.7"


def check_status(value: Any) -> tuple[Any, str | None]:
    if value in STATUSES:
        return value, None
    return None, "one of " + ", ".join(STATUSES)


def check_kind(value: Any) -> tuple[Any, str | None]:
    if value in KR_KINDS:
        return value, None
    return None, "one of " + ", ".join(KR_KINDS)


def check_bool(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, bool):
        return value, None
    return None, "true or false"


def check_commitment(value: Any) -> tuple[Any, str | None]:
    if value in COMMITMENTS:
        return value, None
    return None, "committed or aspirational"


def check_parent(value: Any) -> tuple[Any, str | None]:
    if value == VISION:
        return value, None
    if isinstance(value, str):
        objective_id, hash_sign, kr_id = value.partition("#")
        if is_slug(objective_id) and (not hash_sign or is_slug(kr_id)):
            return value, None
    return None, "'vision', an objective id (loose alignment) or 'objective-id#kr-id' (tight alignment)"


def check_contributions(value: Any) -> tuple[Any, str | None]:
    values = value if isinstance(value, list) else [value]
    if values and all(v != VISION and check_parent(v)[1] is None for v in values):
        return tuple(values), None
    return None, "an objective id or 'objective-id#kr-id', or a list of them (the vision is a 'parent')"


def check_weight(value: Any) -> tuple[Any, str | None]:
    number, _ = check_number(value)
    if number is not None and number > 0:
        return number, None
    return None, "a number greater than 0, like 2 or 0.5 (1 when left out)"


HANDLE_PATTERN = re.compile(r"^@[A-Za-z0-9_][A-Za-z0-9_.\-]*(?:/[A-Za-z0-9_][A-Za-z0-9_.\-]*)*$")
"""A forge handle as CODEOWNERS reads it: `@user`, `@org/team` or `@group/subgroup`."""


def check_handles(value: Any) -> tuple[Any, str | None]:
    values = value if isinstance(value, list) else [value]
    if values and all(isinstance(v, str) and HANDLE_PATTERN.fullmatch(v) for v in values):
        return tuple(values), None
    return None, "a forge handle like '@dana' or '@acme/sales-leads' ('@' and a name, no spaces), or a list of them"


def check_slug_or_slugs(value: Any) -> tuple[Any, str | None]:
    values = value if isinstance(value, list) else [value]
    if values and all(is_slug(v) for v in values):
        return tuple(values), None
    return None, "a team id, or a list of team ids"


def check_text_list(value: Any) -> tuple[Any, str | None]:
    words = [check_text(v)[0] for v in value] if isinstance(value, list) else [None]
    if None not in words:
        return tuple(words), None
    return None, "a list of words, like [hiring, emea]"


def check_code_list(value: Any) -> tuple[Any, str | None]:
    """A list of problem codes as text (which codes exist is the rules' to say: OKR202 there)."""
    codes = check_text_list(value)[0]
    if codes is not None:
        return codes, None
    return None, "a list of codes, like [OKR702, OKR704]"


def check_list(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, list):
        return value, None
    return None, "a list of items, each starting with '- '"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    check: Check
    description: str
    required: bool = False
    example: str = ""


def _spec(name: str, check: Check, description: str, required: bool = False, example: str = "") -> FieldSpec:
    return FieldSpec(name, check, description, required, example)


OBJECTIVE_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        _spec("id", check_slug, "The objective's id; defaults to the file name without .md."),
        _spec(
            "title",
            check_text,
            "What will be accomplished; defaults to the body's first '# ' heading.",
            True,
            "Grow revenue from new markets",
        ),
        _spec("team", check_slug, "The id of the team that owns the objective.", True, "sales"),
        _spec("owner", check_text, "The person accountable for the objective."),
        _spec("period", check_period, "2026, 2026-H1 or 2026-Q3.", True, "2026-Q1"),
        _spec("parent", check_parent, "vision, an objective id (loose) or objective-id#kr-id (tight).", True, "vision"),
        _spec("key_results", check_list, "The key results: how the outcome will be shown.", True),
        _spec("status", check_status, ", ".join(STATUSES[:-1]) + f" or {STATUSES[-1]}."),
        _spec("confidence", check_score, "How likely the objective is met, 0.0 to 1.0."),
        _spec("tags", check_text_list, "Free words to group objectives by."),
        _spec(
            "contributes_to",
            check_contributions,
            "Objectives (objective-id) or key results (objective-id#kr-id) this one also helps; scores ignore it.",
        ),
        _spec("ignore", check_code_list, "Coaching codes (OKR7xx) not to report for this file, like [OKR702]."),
        _spec("retrospective", check_text, "What was learned, once the period has closed."),
        _spec("commitment", check_commitment, "committed (expected to reach 1.0) or aspirational (a stretch)."),
    )
}

KEY_RESULT_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        _spec("id", check_slug, "A slug, unique within the objective.", True, "kr1"),
        _spec("title", check_text, "A measurable result; inline Markdown is allowed.", True),
        _spec("delegated_to", check_slug_or_slugs, "A team id, or a list of them, that picks this KR up."),
        _spec("start", check_number, "The value at the start of the period."),
        _spec("target", check_number, "The value that scores 1.0."),
        _spec("current", check_number, "The value now."),
        _spec("unit", check_text, "The unit of start, target and current, like '%'."),
        _spec("progress", check_score, "A score from 0.0 to 1.0, instead of start/target/current."),
        _spec("weight", check_weight, "How much the KR counts in the objective's score, greater than 0; 1 by default."),
        _spec("depends_on", check_slug_or_slugs, "A team id, or a list of them, whose work this KR needs."),
        _spec("kind", check_kind, "metric (default: start, target, current), milestone (done) or maintain (min, max)."),
        _spec("done", check_bool, "A milestone's state: true scores 1.0, false 0.0."),
        _spec("min", check_number, "The lowest value of a maintain band."),
        _spec("max", check_number, "The highest value of a maintain band."),
    )
}

TEAM_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        _spec("id", check_slug, "The team's id, used in objectives' 'team' and 'delegated_to'.", True, "sales"),
        _spec("name", check_text, "The team's name as people say it.", True),
        _spec("parent", check_slug, "The id of the team this one belongs to."),
        _spec("lead", check_text, "The person who leads the team."),
        _spec("description", check_text, "What the team does, in Markdown."),
        _spec(
            "reviewers",
            check_handles,
            "Forge handles (@dana, @acme/sales-leads) who review the team's folder: okrdocs codeowners.",
        ),
    )
}

VISION_FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        _spec("vision", check_text, "The organisation's vision, in one sentence.", True),
        _spec("horizon", check_text, "When the vision should be reached, like 2030."),
    )
}


@dataclass(frozen=True)
class FieldIssue:
    """A field that is missing, unknown or malformed; `key` None means the record itself."""

    kind: str  # "missing" | "unknown" | "invalid"
    key: str
    message: str


def check_fields(
    record: Mapping[Any, Any], specs: Mapping[str, FieldSpec], what: str, optional: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[FieldIssue]]:
    """Check a record against its specs; return the good values and one issue per bad field.

    `optional` names required fields that the caller can fill in another way (an
    objective's title from its heading).
    """
    values: dict[str, Any] = {}
    issues: list[FieldIssue] = []
    for key, raw in record.items():
        spec = specs.get(key)
        if spec is None:
            issues.append(FieldIssue("unknown", str(key), _unknown_field_message(key, specs, what)))
            continue
        if raw is None:
            continue  # `owner:` with nothing after it: treated as absent
        value, expected = spec.check(raw)
        if expected is not None:
            issues.append(FieldIssue("invalid", key, f"'{key}' is {_show(raw)}; write {expected}"))
        else:
            values[key] = value
    for spec in specs.values():
        if spec.required and record.get(spec.name) is None and spec.name not in optional:
            example = spec.example or f"<{spec.name}>"
            issues.append(
                FieldIssue(
                    "missing",
                    spec.name,
                    f"{what} has no '{spec.name}': add '{spec.name}: {example}' ({spec.description})",
                )
            )
    return values, issues


def _unknown_field_message(key: Any, specs: Mapping[str, FieldSpec], what: str) -> str:
    close = difflib.get_close_matches(key, list(specs), n=1, cutoff=0.6) if isinstance(key, str) else []
    name = repr(key) if isinstance(key, str) else f"'{key}'"  # repr shows a stray '\t' or '\n'
    if close:
        return f"unknown field {name} in {what}: did you mean '{close[0]}'?"
    return f"unknown field {name} in {what}: the known fields are {', '.join(specs)}"


def _show(value: Any) -> str:
    """A short, one-line picture of a YAML value for an error message."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def did_you_mean(name: str, candidates: Iterable[str] | NameIndex) -> str:
    """'; did you mean 'x'?' for the nearest candidate, or ''.

    Pass a `NameIndex` when looking up many names among the same candidates (every
    unknown parent among all objective ids): it is built once, and each lookup then
    compares `name` with a bounded number of them.
    """
    index = candidates if isinstance(candidates, NameIndex) else NameIndex(candidates)
    close = index.closest(name)
    return f"; did you mean '{close}'?" if close else ""


SUGGESTION_CUTOFF = 0.75
"""How alike (difflib's ratio, 0..1) a candidate must be to be suggested."""


class NameIndex:
    """Candidates for "did you mean", indexed by their letter trigrams.

    difflib compares a name with every candidate; one lookup per mistyped reference made
    the check quadratic in a large organisation. Up to `EXHAUSTIVE` candidates that is
    still what happens (the same answers as always). Above it, a lookup counts the
    trigrams each candidate shares with the name, visiting the rarest trigrams first and
    at most `MAX_VISITS` index entries, and compares only the `MAX_COMPARISONS` candidates
    that share the most: a typo keeps most trigrams of the name it was meant to be.
    """

    EXHAUSTIVE = 200
    MAX_VISITS = 2000
    MAX_COMPARISONS = 12

    def __init__(self, candidates: Iterable[str]) -> None:
        self._candidates = candidates
        self._names: list[str] | None = None
        self._grams: dict[str, list[int]] = {}

    @property
    def names(self) -> list[str]:
        """The candidates, sorted; made on the first lookup (most checks need none)."""
        if self._names is None:
            self._names = sorted(set(self._candidates))
            if len(self._names) > self.EXHAUSTIVE:
                grams: dict[str, list[int]] = defaultdict(list)
                for number, candidate in enumerate(self._names):
                    for gram in _trigrams(candidate):
                        grams[gram].append(number)
                self._grams = dict(grams)
        return self._names

    def closest(self, name: str) -> str | None:
        names = self.names
        if len(names) <= self.EXHAUSTIVE:
            close = difflib.get_close_matches(name, names, n=1, cutoff=SUGGESTION_CUTOFF)
            return close[0] if close else None
        return _best(name, self._shortlist(name))

    def _shortlist(self, name: str) -> list[str]:
        postings = sorted((self._grams.get(gram, []) for gram in _trigrams(name)), key=len)
        shared: dict[int, int] = defaultdict(int)
        visits = 0
        for posting in postings:
            if visits >= self.MAX_VISITS:
                break
            posting = posting[: self.MAX_VISITS - visits]
            visits += len(posting)
            for number in posting:
                shared[number] += 1
        best = heapq.nsmallest(self.MAX_COMPARISONS, shared.items(), key=lambda item: (-item[1], item[0]))
        return [self.names[number] for number, _ in best]


def _trigrams(name: str) -> set[str]:
    padded = f"\0{name}\0"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _best(name: str, candidates: list[str]) -> str | None:
    """The candidate difflib finds closest, as `get_close_matches(n=1)` picks it."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(name)
    best: tuple[float, str] | None = None
    for candidate in candidates:
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() < SUGGESTION_CUTOFF or matcher.quick_ratio() < SUGGESTION_CUTOFF:
            continue
        ratio = matcher.ratio()
        if ratio >= SUGGESTION_CUTOFF and (best is None or (ratio, candidate) > best):
            best = (ratio, candidate)
    return best[1] if best else None
