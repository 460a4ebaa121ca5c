"""Problems found in an OKR folder, their stable codes, and the ways to print them."""

from __future__ import annotations

import bisect
import functools
import json
import posixpath
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from operator import attrgetter

from .escaping import json_safe, printable


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    ADVICE = "advice"
    """A coaching finding (`core.rules.coaching`): printed last, never failing a build
    (`--strict` included) unless the rules configuration makes it a warning or an error."""


@dataclass(frozen=True)
class Code:
    code: str
    summary: str
    severity: Severity = Severity.ERROR


# The catalogue is the documentation: the README's table is generated from it
# (see tests/test_docs.py), so a new code cannot go undocumented.
UNREADABLE_FILE = Code("OKR101", "a file cannot be read, or is not UTF-8")
INVALID_YAML = Code("OKR102", "the front matter or teams.yml is not valid YAML")
NOT_A_MAPPING = Code("OKR103", "front matter missing, or not a mapping of fields")
MISSING_FILE = Code("OKR104", "teams.yml or vision.md is missing")
TOO_LARGE = Code("OKR105", "a file or its YAML is too large or too deeply nested")
MISSING_FIELD = Code("OKR201", "a required field is missing")
INVALID_VALUE = Code("OKR202", "a value has the wrong type or shape")
UNKNOWN_FIELD = Code("OKR203", "a field okrdocs does not know (often a typo)")
DUPLICATE_OBJECTIVE = Code("OKR301", "two objectives share an id")
DUPLICATE_KR = Code("OKR302", "two key results of one objective share an id")
DUPLICATE_TEAM = Code("OKR303", "two teams share an id")
PAGE_COLLISION = Code("OKR304", "a team or objective id whose page would replace another page")
UNKNOWN_TEAM = Code("OKR401", "an objective's team, a delegation, a dependency or a team's parent names no team")
UNKNOWN_PARENT = Code("OKR402", "a parent or a contribution names no objective, or no key result of it")
WRONG_PICKUP_TEAM = Code("OKR403", "a tight pickup of a key result not delegated to the team")
BROKEN_DELEGATION = Code("OKR404", "a key result delegated to a team that no objective picks up")
UNCONFIRMED_DEPENDENCY = Code(
    "OKR405",
    "a key result depends on a team that has no objective in an overlapping period picking it up or contributing to it",
    Severity.WARNING,
)
BROKEN_BODY_LINK = Code(
    "OKR406", "a relative link in a body that leads to no OKR file and no file in docs_dir", Severity.WARNING
)
NO_VISION_TRACE = Code("OKR501", "an objective whose chain stops before the vision")
PARENT_CYCLE = Code("OKR502", "objectives whose parents form a cycle")
PERIOD_OUTSIDE_PARENT = Code("OKR503", "a child's period does not lie inside its parent's")
TEAM_CYCLE = Code("OKR504", "teams whose parents form a cycle")
REDUNDANT_CONTRIBUTION = Code(
    "OKR505", "a contribution to the objective itself, one of its own key results, or its chain of parents"
)
KR_COUNT = Code("OKR601", "an objective with fewer or more key results than the configured range", Severity.WARNING)

CATALOGUE: tuple[Code, ...] = tuple(value for value in list(globals().values()) if isinstance(value, Code))


def display_path(root: str, path: str) -> str:
    """A path inside the OKR folder as the user wrote the folder: `root` joined with it."""
    return posixpath.join(root.replace("\\", "/"), path) if root else path


@dataclass(frozen=True, order=True)
class Location:
    """A line of a file in the OKR folder (the path relative to the folder, POSIX)."""

    path: str
    line: int

    def shown(self, root: str = "") -> str:
        """`PATH:LINE` exactly as a problem's own prefix shows it."""
        return f"{display_path(root, self.path)}:{self.line}"


MessagePart = str | Location
"""A piece of a problem's message: text, or a place in another file."""


def join_parts(parts: Iterable[MessagePart], root: str = "") -> str:
    """A message, with the other files it names shown under `root` like a problem's prefix."""
    return "".join(part if isinstance(part, str) else part.shown(root) for part in parts)


@dataclass(frozen=True)
class Problem:
    """One finding, at a file (relative to the OKR folder, POSIX) and a 1-based line.

    The message is kept in parts: text, and the `Location`s of the other files it names
    (the first of two duplicates, the parent...), so that each output shows them exactly as
    it shows its own `PATH:LINE` prefix, joined with the OKR folder as the user gave it.
    """

    path: str
    line: int
    code: str
    parts: tuple[MessagePart, ...]
    severity: Severity = Severity.ERROR

    @classmethod
    def of(cls, code: Code, path: str, line: int, *parts: MessagePart) -> Problem:
        # each problem prints as one line
        one_line = tuple(" ".join(part.splitlines()) if isinstance(part, str) else part for part in parts)
        return cls(path, line, code.code, one_line, code.severity)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def message_at(self, root: str = "") -> str:
        """The message, with the other files it names shown under `root` like the prefix."""
        parts = self.parts
        if len(parts) == 1 and isinstance(parts[0], str):
            return parts[0]  # most messages name no other file: thousands of them are sorted
        return join_parts(parts, root)

    @property
    def message(self) -> str:
        """The message with paths relative to the OKR folder (as `path` is)."""
        return self.message_at()

    @property
    def is_advice(self) -> bool:
        return self.severity is Severity.ADVICE

    def sort_key(self) -> tuple[bool, str, int, str, str, Severity]:
        """Advice after errors and warnings, each by file and line (a severity compares as
        its name: it is a `str`). Thousands of findings are sorted: no property is called."""
        severity = self.severity
        return (severity is Severity.ADVICE, self.path, self.line, self.code, self.message_at(), severity)

    def display_path(self, root: str) -> str:
        """The file's path as the user wrote the OKR folder, joined with the path inside it."""
        return display_path(root, self.path)

    def as_text(self, root: str = "", shown_path: str | None = None) -> str:
        """`PATH:LINE: CODE message` on one line, whatever characters the path holds
        (`shown_path`: the `PATH` part, when the caller worked it out already)."""
        if shown_path is None:
            shown_path = printable(self.display_path(root))
        return f"{shown_path}:{self.line}: {self.code} {printable(self.message_at(root))}"

    def as_github(self, root: str = "") -> str:
        # Workflow commands end at a newline and treat '%', '\r', '\n' specially.
        def escape(text: str) -> str:
            return printable(text).replace("%", "%25")

        path = escape(self.display_path(root)).replace(",", "%2C").replace(":", "%3A")
        kind = "error" if self.is_error else "notice" if self.is_advice else "warning"
        return f"::{kind} file={path},line={self.line},title={self.code}::{escape(self.message_at(root))}"

    def as_dict(self, root: str = "") -> dict[str, object]:
        return {
            "path": self.display_path(root),
            "line": self.line,
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message_at(root),
        }


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """A stable order, the same on every run: by file, line, code, then message.

    Duplicates are dropped in the order the problems came (not through a set): the rules
    find them file by file, line by line, and the sort is fast on runs already in order."""
    return sorted(dict.fromkeys(problems), key=Problem.sort_key)


def merged_problems(ordered: list[Problem], more: Iterable[Problem]) -> list[Problem]:
    """`sorted_problems([*ordered, *more])` for `ordered` in that order already: the few
    more are put in their places, the thousands of others not sorted again."""
    merged = list(ordered)
    for problem in sorted_problems(more):
        at = bisect.bisect_left(merged, problem.sort_key(), key=Problem.sort_key)
        if merged[at : at + 1] != [problem]:
            merged.insert(at, problem)
    return merged


def format_problems(problems: Iterable[Problem], fmt: str, root: str = "") -> str:
    """Render problems as `text`, `github` annotations or `json`, in their stable order
    (`sorted_problems`); one string, no trailing newline."""
    return format_ordered(sorted_problems(problems), fmt, root)


def format_ordered(ordered: list[Problem], fmt: str, root: str = "") -> str:
    """`format_problems` of problems in their stable order already (a `CheckResult`'s):
    a large organisation has thousands of findings, not sorted twice."""
    if fmt == "json":
        return json_safe(json.dumps([p.as_dict(root) for p in ordered], indent=2, ensure_ascii=False))
    if fmt == "github":
        return "\n".join(p.as_github(root) for p in ordered)
    shown = _shown_paths(root)  # a file with several findings is shown once
    return "\n".join(p.as_text(root, shown(p.path)) for p in ordered)


def _shown_paths(root: str) -> Callable[[str], str]:
    """The text format's `PATH` of a file, worked out once per file (`display_path`: the
    folder joined once, as every path inside it is relative)."""
    folder = display_path(root, "")
    return functools.cache(lambda path: printable(folder + path))


def counted(count: int, word: str, plural: str | None = None) -> str:
    """`1 objective`, `2 objectives`: a number and its noun, for summaries."""
    return f"{count} {word if count == 1 else (plural or word + 's')}"


def severity_counts(problems: Iterable[Problem]) -> Counter[Severity]:
    """How many problems of each severity (one pass: a large folder has thousands of findings)."""
    return Counter(map(attrgetter("severity"), problems))


def summary_line(counts: Counter[Severity], more_errors: int = 0, more_warnings: int = 0) -> str:
    """`2 errors, 1 warning` of problems counted by `severity_counts`; `more_*` counts what is
    reported besides the problems (the settings' warnings of `okrdocs check`, errors under --strict)."""
    errors = counts[Severity.ERROR] + more_errors
    warnings = counts[Severity.WARNING] + more_warnings
    advice = counts[Severity.ADVICE]
    line = f"{counted(errors, 'error')}, {counted(warnings, 'warning')}"
    return f"{line}, {advice} advice" if advice else line
