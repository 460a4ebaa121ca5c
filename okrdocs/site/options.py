"""okrdocs' options (`plugins: - okrdocs:` in mkdocs.yml): one home for each option's
name, type and default.

The MkDocs adapter makes its config class from `Options`, and the commands (`check`,
`generate`) read mkdocs.yml into it without MkDocs, so the plugin and the commands
accept the same options and fall back on the same defaults. Each default is taken from
the part of okrdocs it shapes.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from ..core.domain.model import COMMITMENTS, DEFAULT_COMMITMENT
from ..core.history.checkins import History
from ..core.history.pace import DEFAULT_BEHIND_PACE
from ..core.history.timeline import (
    AUTO,
    DEFAULT_CHANGES_DAYS,
    DEFAULT_FISCAL_YEAR_START,
    DEFAULT_STALE_AFTER,
    Timeline,
    TimeSettingError,
    current_period,
)
from ..core.reading.loading import DEFAULT_OKRS_DIR
from ..core.rules.rule_settings import RuleSettings, read_rules
from ..core.rules.validation import KrRange, kr_range_mistake
from .dot import DOT_PATH, DOT_TIMEOUT
from .layout import Layout

DEFAULT_CACHE_DIR = ".cache/okrdocs"


@dataclass(frozen=True)
class DiagramSettings:
    """What shapes the diagrams, as the plugin's options set it."""

    depth: int = 2
    """Levels below the company objectives on the vision diagram."""
    max_objectives: int = 60
    """Objectives one diagram may show; a bigger one is cut, with a link to the rest."""
    max_key_results: int = 12
    """Key results one objective shows; the rest are one "+k more" node."""
    language: str | None = None
    """The site's `theme.language`: the language of the diagrams' own words (`site.i18n`)."""


@dataclass(frozen=True)
class Options:
    enabled: bool = True
    """Set to false to build the site without OKR pages (e.g. a quick preview)."""
    okrs_dir: str = DEFAULT_OKRS_DIR
    """The OKR folder, relative to mkdocs.yml. Keep it outside docs_dir."""
    vision_url: str = Layout.vision_url
    """The URL of the vision page."""
    teams_url: str = Layout.teams_url
    """The URL folder of the team directory and the team pages."""
    objectives_url: str = Layout.objectives_url
    """The URL folder of the objective pages."""
    min_key_results: int = KrRange.minimum
    max_key_results: int = KrRange.maximum
    """An objective with fewer or more key results is a warning (an error with --strict)."""
    edit_uri: str | None = None
    """Where "edit" links to OKR files point, relative to repo_url, e.g. `edit/main/`.
    The OKR file's path from the folder of mkdocs.yml is appended. By default derived from
    MkDocs' own `edit_uri` with its trailing docs_dir part removed."""
    add_to_nav: bool = True
    """Add the Vision and Teams pages to an explicit `nav` that does not list them."""
    json_file: str = "okrs.json"
    """The file holding the whole resolved cascade for other tools; "" to skip it."""
    diagrams: bool = True
    """Render Graphviz alignment diagrams (needs Graphviz's `dot`)."""
    dot_path: str = DOT_PATH
    """The Graphviz `dot` program: a name on PATH or a full path."""
    dot_timeout: float = DOT_TIMEOUT
    """Seconds one batch of diagrams may take before the build fails."""
    diagram_depth: int = DiagramSettings.depth
    """How many levels below the company objectives the vision diagram shows."""
    diagram_max_objectives: int = DiagramSettings.max_objectives
    """Objectives one diagram may show; a bigger one is cut, with a link to the rest."""
    diagram_max_key_results: int = DiagramSettings.max_key_results
    """Key results one objective shows in a diagram; the rest are one "+k more" node
    linking to the objective's page."""
    cache_dir: str = DEFAULT_CACHE_DIR
    """Where parsed OKR files, rendered diagrams and the history read from git are kept
    between builds, relative to mkdocs.yml."""
    periods_url: str = Layout.periods_url
    """The URL of the period index, and the folder of the pages per period."""
    overview_url: str = Layout.overview_url
    """The URL of the overview of the current period."""
    current_period: str = AUTO
    """`auto` (the quarter holding the build date: SOURCE_DATE_EPOCH when set, else today)
    or a period such as `2026-Q1` (a year in quotes: "2026"). Pages show its objectives first."""
    stale_after: int = DEFAULT_STALE_AFTER
    """Days after which a current objective whose file has not changed in git is stale; 0: never."""
    fiscal_year_start: int = DEFAULT_FISCAL_YEAR_START
    """The month (1-12) the fiscal year starts in: quarters and halves follow it, and a
    fiscal year is named by the calendar year in which it ends (with 2, 20 March 2026
    lies in 2027-Q1)."""
    behind_pace: float = DEFAULT_BEHIND_PACE
    """A current objective or key result whose score is more than this below the share of
    its period that has passed is behind pace."""
    changes_days: int = DEFAULT_CHANGES_DAYS
    """Team and period pages list the changes of this many days; 0: none."""
    default_commitment: str = DEFAULT_COMMITMENT
    """What an objective without `commitment:` is: aspirational (a stretch, about 0.7 is a
    good result) or committed (expected to reach 1.0)."""
    rules: dict[str, Any] = field(default_factory=dict)
    """The coaching rules' configuration: `warn`, `error` and `ignore` lists of codes, the
    word lists and limits (`core.rules.rule_settings`); findings are advice by default."""

    def __hash__(self) -> int:
        return hash(repr(self))

    @property
    def rule_settings(self) -> RuleSettings:
        return read_rules(self.rules)[0]

    @property
    def kr_range(self) -> KrRange:
        return KrRange(self.min_key_results, self.max_key_results)

    @property
    def layout(self) -> Layout:
        return Layout(self.vision_url, self.teams_url, self.objectives_url, self.periods_url, self.overview_url)

    def timeline(self, as_of: int, history: History, repo_url: str | None = None) -> Timeline:
        """The build's timeline (date, current period, history) under these options;
        raises TimeSettingError for a `current_period` that is no period."""
        return Timeline.of(
            as_of, history, self.current_period, self.stale_after,
            self.fiscal_year_start, self.behind_pace, self.changes_days, repo_url,
        )  # fmt: skip

    @property
    def diagram_settings(self) -> DiagramSettings:
        return DiagramSettings(self.diagram_depth, self.diagram_max_objectives, self.diagram_max_key_results)


OPTION_NAMES = tuple(field.name for field in fields(Options))


@functools.cache
def _option_hints() -> dict[str, Any]:
    """The options' types, resolved once: MkDocs reads the config again on every rebuild of `mkdocs serve`."""
    return typing.get_type_hints(Options)


def option_type(name: str) -> tuple[type, bool]:
    """The type an option's value must have, and whether it may be null."""
    hint = _option_hints()[name]
    if typing.get_origin(hint) is dict:
        return dict, False
    arguments = typing.get_args(hint)
    if isinstance(hint, types.UnionType) and type(None) in arguments:
        return next(argument for argument in arguments if argument is not type(None)), True
    return hint, False


def read_options(raw: Mapping[str, Any]) -> tuple[Options, list[tuple[str, str]]]:
    """The options as written under the plugin, and each option that is wrong with why.

    Unknown names are left to the caller (MkDocs warns about them itself). An option
    with a wrong value keeps its default, so every mistake is reported in one run.
    """
    values: dict[str, Any] = {}
    mistakes: list[tuple[str, str]] = []
    for name in OPTION_NAMES:
        if name not in raw:
            continue
        mistake = value_mistake(name, raw[name])
        if mistake is None:
            values[name] = raw[name]
        else:
            mistakes.append((name, mistake))
    options = Options(**values)
    if not mistakes:
        kr_mistake = kr_range_mistake(options.kr_range)
        if kr_mistake is not None:
            mistakes.append(kr_mistake)
        try:
            current_period(options.current_period, 0)
        except TimeSettingError as error:
            mistakes.append(("current_period", str(error)))
        if options.stale_after < 0:
            mistakes.append(
                ("stale_after", f"stale_after is {options.stale_after}: write a number of days, or 0 to turn it off")
            )
        mistakes += _time_mistakes(options)
        mistakes += [("rules", message) for message in read_rules(options.rules)[1]]
        if options.default_commitment not in COMMITMENTS:
            mistakes.append(
                (
                    "default_commitment",
                    f"default_commitment is {options.default_commitment!r}: write committed or aspirational",
                )
            )
    return options, mistakes


def _time_mistakes(options: Options) -> list[tuple[str, str]]:
    """What is wrong with the pace and calendar options, each with why."""
    mistakes = []
    if not 1 <= options.fiscal_year_start <= 12:
        mistakes.append((
            "fiscal_year_start",
            f"fiscal_year_start is {options.fiscal_year_start}: write the month the fiscal year starts in, "
            "1 (January) to 12",
        ))  # fmt: skip
    if not 0 <= options.behind_pace <= 1:
        mistakes.append(
            ("behind_pace", f"behind_pace is {options.behind_pace}: write a share of the score from 0 to 1, e.g. 0.25")
        )
    if options.changes_days < 0:
        mistakes.append(
            ("changes_days", f"changes_days is {options.changes_days}: write a number of days, or 0 to list none")
        )
    return mistakes


def value_mistake(name: str, value: Any) -> str | None:
    """Why `value` cannot be the option `name`, or None when it can."""
    expected, nullable = option_type(name)
    if value is None and nullable:
        return None
    if expected is float:
        fits = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif expected is int:
        fits = isinstance(value, int) and not isinstance(value, bool)
    else:
        fits = isinstance(value, expected)
    if fits:
        return None
    wanted = {bool: "true or false", int: "a whole number", float: "a number", str: "text", dict: "a mapping"}[expected]
    return f"{name} must be {wanted}{' or null' if nullable else ''}, not {describe(value)}"


def describe(value: Any) -> str:
    """A value of the wrong type, in a few words."""
    if isinstance(value, (dict, list, str)):
        return {"dict": "a mapping", "list": "a list", "str": "text"}[type(value).__name__]
    return f"the value {str(value)[:40]}"
