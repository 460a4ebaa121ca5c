"""`okrdocs report`: the period's objectives per team, then the stale and the troubled ones.

Meant for a weekly check-in (see `.github/workflows/okr-checkin.yml`): who has not updated
an objective for a while, and which objectives are at risk or off track. A folder with
errors is said so first, with the files that could not be read (their objectives are
missing).

Titles and names come from the OKR files, written by whoever can open a pull request:

- Markdown (posted by the workflow as a GitHub issue) shows them as text
  (`escaping.forge_markdown_text`): no link, heading, list or table column, no control
  character, and no mention or reference. GitHub finds `@name`, `#1`, `GH-1`,
  `owner/repo#1` in the rendered text, after a backslash escape is gone, so a zero-width
  joiner goes after each `@` and `#`: invisible, the text keeps its look, where code
  spans would show every name as code. Each text is cut to `SHORTEN_AT` characters, and
  the report to `MAX_MARKDOWN_CHARS`: the objectives at risk or off track and the stale
  ones are kept first, and a last line says how many were left out and where to see them.
- Text (a terminal) shows each control character as an escape (`\\x1b`, `\\u202e`), as
  `okrdocs check` does.
- JSON is data: values exact, with the control characters json.dumps leaves raw
  written as `\\uXXXX` escapes (`escaping.json_printable`).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.domain.escaping import forge_markdown_text, json_printable, markdown_code, printable, shortened
from ..core.domain.model import TROUBLED, Objective, Period, number_text, percent
from ..core.domain.problems import display_path
from ..core.history.changes import ChangeEntry, Value
from ..core.history.timeline import Timeline, iso_date, iso_datetime, periods_of
from ..core.rules.check import CheckResult, unread_objective_files
from ..site.export import change_as_json
from ..site.i18n import Language, language_of
from ..site.layout import OkrPage
from ..site.text import plain_text
from .settings import CheckSettings

MAX_MARKDOWN_CHARS = 60_000
"""The longest Markdown report, in UTF-16 code units (a character outside the BMP counts
twice, so the count is never below GitHub's, whichever it counts). GitHub refuses an issue
body over 65,536 characters; the rest is a margin for a line added by hand or by the workflow."""

SHORTEN_AT = 200
"""In Markdown, a title, an owner, a team name or a path longer than this is cut, with an ellipsis."""

MAX_UNREAD_NAMED = 10
"""The files that could not be read named at the top of a text or Markdown report; the rest are counted."""

CHECK_COMMAND = "okrdocs check"
"""What shows the problems of the folder."""

_WEB_URL = re.compile(r"https?://[^\s<>]+")
"""A `site_url` that can be shown as a Markdown autolink."""


@dataclass(frozen=True)
class Row:
    objective: Objective
    team: str
    score: float | None
    updated: int | None
    stale: bool
    expected: float | None = None
    """The share of the objective's period passed (`Timeline.expected`)."""
    behind: bool | None = None
    forecast: float | None = None


@dataclass(frozen=True)
class Report:
    as_of: int
    period: Period
    stale_after: int
    rows: list[Row]
    """Grouped by team name, then by objective id."""
    root: str = ""
    """The OKR folder as the user wrote it."""
    errors: int = 0
    """The errors `okrdocs check` reports for the folder."""
    unread: tuple[str, ...] = ()
    """The files (paths inside the folder) that did not become an objective: left out."""
    site_page: str | None = None
    """The URL of the site's page for the period, when mkdocs.yml has a `site_url`."""
    since: int | None = None
    """`--since`: the changes from this date on are listed."""
    changes: tuple[ChangeEntry, ...] = ()
    language: Language = field(default=Language(), compare=False)
    """The language of the headings and dates: the site's `theme.language` (`site.i18n`)."""

    @property
    def behind(self) -> list[Row]:
        return [row for row in self.rows if row.behind]

    @property
    def stale(self) -> list[Row]:
        return [row for row in self.rows if row.stale]

    @property
    def troubled(self) -> list[Row]:
        return [row for row in self.rows if row.objective.status in TROUBLED]


def make_report(result: CheckResult, timeline: Timeline, settings: CheckSettings, since: int | None = None) -> Report:
    """The objectives of the timeline's current period (and the half and year holding it),
    what the check found that the reader should know first, and with `since` the changes
    from that date on."""
    cascade = result.cascade
    rows = []
    for objective in cascade.objectives.values():
        if timeline.phase(objective) != "current":
            continue
        team = cascade.team_of(objective)
        change = timeline.updated(objective)
        score = cascade.objective_score(objective)
        rows.append(
            Row(
                objective,
                team.name if team else (objective.team_id or ""),
                score,
                None if change is None else change.date,
                timeline.is_stale(objective),
                timeline.expected(objective),
                timeline.is_behind(objective, score),
                timeline.forecast(objective),
            )
        )
    rows.sort(key=lambda row: (row.team.casefold(), row.objective.id))
    return Report(
        timeline.as_of,
        timeline.current,
        timeline.stale_after,
        rows,
        settings.okrs_dir,
        len(result.errors),
        tuple(sorted(unread_objective_files(cascade.repository, result.problems))),
        _period_page(settings, timeline.current, cascade.objectives.values()),
        since,
        () if since is None else tuple(timeline.changes_since(cascade.objectives.values(), since)),
        language_of(settings.site.language if settings.site else None),
    )


def _period_page(settings: CheckSettings, period: Period, objectives: Iterable[Objective]) -> str | None:
    """The site's page of `period` (of every period when no objective has that one)."""
    site_url = settings.site_url
    if not site_url or printable(site_url) != site_url or not _WEB_URL.fullmatch(site_url):
        return None
    page = OkrPage("period", str(period)) if period in periods_of(objectives) else OkrPage("periods")
    return f"{site_url.rstrip('/')}/{settings.layout.url(page, settings.use_directory_urls)}"


def _day(report: Report, timestamp: int | None) -> str:
    return "never committed" if timestamp is None else report.language.date(timestamp)


def _heading(report: Report) -> str:
    language = report.language
    if report.stale_after > 0:
        staleness = language.ngettext("stale after %(num)d day", "stale after %(num)d days", report.stale_after)
        staleness %= {"num": report.stale_after}
    else:
        staleness = language.gettext("staleness off")
    heading = language.gettext("OKR check-in for %(period)s, as of %(date)s (%(staleness)s)")
    return heading % {"period": report.period, "date": language.date(report.as_of), "staleness": staleness}


def _no_objectives(report: Report) -> str:
    return report.language.gettext("No objectives in %(period)s.") % {"period": report.period}


def _counted(report: Report, heading: str, count: int) -> str:
    """A heading of the report's lists with the number of objectives in it."""
    return report.language.gettext("%(heading)s (%(num)d)") % {"heading": heading, "num": count}


def _changes_since(report: Report, since: int) -> str:
    return report.language.gettext("Changes since %(date)s") % {"date": report.language.date(since)}


def _errors_sentence(report: Report, folder: str) -> str:
    errors = report.errors
    return f"The OKR folder {folder} has {errors} error{'s' * (errors != 1)}"


def _see_them(report: Report, command: str) -> str:
    return f"run {command} to see {'it' if report.errors == 1 else 'them'}."


def _unread_list(report: Report, show: Callable[[str], str]) -> str:
    named = [show(display_path(report.root, path)) for path in report.unread[:MAX_UNREAD_NAMED]]
    more = len(report.unread) - len(named)
    return ", ".join(named) + (f" and {more} more" if more else "")


_UNREAD = "Left out of this report, because they could not be read: "


def _problems_text(report: Report) -> list[str]:
    """What the reader should know first: the folder has errors, some files are left out."""
    if not report.errors and not report.unread:
        return []
    see = _see_them(report, f"'{CHECK_COMMAND}'")
    out = [f"{_errors_sentence(report, printable(report.root))}: {see}"]
    if report.unread:
        out.append(_UNREAD + _unread_list(report, printable))
    return [*out, ""]


def to_text(report: Report) -> str:
    _ = report.language.gettext
    out = [*_problems_text(report), _heading(report), ""]
    if not report.rows:
        out.append(_no_objectives(report))
    by_team: dict[str, list[Row]] = defaultdict(list)
    for row in report.rows:
        by_team[row.team].append(row)
    for team, rows in by_team.items():
        out.append(printable(team))
        for row in rows:
            o = row.objective
            details = [
                percent(row.score),
                o.status or "no status",
                f"owner {printable(o.owner or '–')}",
                f"updated {_day(report, row.updated)}",
            ]
            title = printable(plain_text(o.title))
            out.append(f"  {o.id}: {title} ({', '.join(details)}){' STALE' if row.stale else ''}")
        out.append("")
    for title, rows in ((_("Stale"), report.stale), (_("At risk or off track"), report.troubled)):
        out.append(_counted(report, title, len(rows)) + ":")
        out.extend(
            f"  {row.objective.id} ({printable(row.team)}, owner {printable(row.objective.owner or '–')})"
            for row in rows
        )
    out.append(_counted(report, _("Behind pace"), len(report.behind)) + ":")
    out.extend(
        f"  {row.objective.id} ({printable(row.team)}, owner {printable(row.objective.owner or '–')}): {_pace(row)}"
        for row in report.behind
    )
    if report.since is not None:
        out.append(_counted(report, _changes_since(report, report.since), len(report.changes)) + ":")
        out.extend(f"  {_change(change, printable, '->')}" for change in report.changes)
    return "\n".join(out) + "\n"


def _pace(row: Row) -> str:
    forecast = "" if row.forecast is None else f", forecast {percent(row.forecast)}"
    return f"{percent(row.score)}, expected {percent(row.expected)}{forecast}"


_KIND_WORDS = {
    "added": "added",
    "removed": "removed",
    "picked-up": "picked up by",
    "withdrawn": "delegation withdrawn from",
}


def _change(change: ChangeEntry, show: Callable[[str], str], arrow: str) -> str:
    """One change in a line: `2026-03-01 help#kr1: score 25% -> 50% (abc1234)`."""
    where = change.objective + (f"#{change.key_result}" if change.key_result else "")

    def value(v: Value) -> str:
        if v is None:
            return "none"
        return (
            percent(v)
            if change.kind == "score" and isinstance(v, float | int)
            else show(number_text(v) if isinstance(v, float | int) else v)
        )

    if change.kind in ("status", "score", "value"):
        what = f"{change.kind} {value(change.before)} {arrow} {value(change.after)}"
    elif change.kind == "stale":
        what = "went stale"
    else:
        what = " ".join(
            [_KIND_WORDS[change.kind], *(show(str(v)) for v in (change.before, change.after) if v is not None)]
        )
    commit = f" ({change.commit[:7]})" if change.commit else ""
    return f"{iso_date(change.date)} {show(where)}: {what}{commit}"


# -- Markdown, for a GitHub issue --------------------------------------------------


def _md(text: str) -> str:
    """Text from an OKR file, shortened, as text in a GitHub issue."""
    return forge_markdown_text(shortened(text, SHORTEN_AT))


def _md_code(text: str) -> str:
    return markdown_code(shortened(text, SHORTEN_AT))


def _problems_markdown(report: Report) -> list[str]:
    if not report.errors and not report.unread:
        return []
    see = _see_them(report, markdown_code(CHECK_COMMAND))
    out = [f"**{_errors_sentence(report, _md_code(report.root))}**: {see}"]
    if report.unread:
        out.append(_UNREAD + _unread_list(report, _md_code))
    return [*out, ""]


def to_markdown(report: Report) -> str:
    """The report as GitHub Markdown, at most MAX_MARKDOWN_CHARS long: when the whole one is
    longer, the most objectives that fit, those at risk or off track first, then the stale ones."""
    whole = _markdown(report, report.rows)
    if forge_length(whole) <= MAX_MARKDOWN_CHARS:
        return whole
    first = sorted(report.rows, key=lambda row: (row.objective.status not in TROUBLED, not row.stale))
    fits, too_many = 0, len(first)  # the most rows that fit: at least `fits`, fewer than `too_many`
    while too_many - fits > 1:
        middle = (fits + too_many) // 2
        if forge_length(_markdown(report, first[:middle])) <= MAX_MARKDOWN_CHARS:
            fits = middle
        else:
            too_many = middle
    return _markdown(report, first[:fits])


def forge_length(text: str) -> int:
    """The length of `text` in UTF-16 code units, never less than its length in characters."""
    return len(text.encode("utf-16-le")) // 2


def _markdown(report: Report, shown: list[Row]) -> str:
    """The report with the objectives of `shown` (in the report's order), and a last line
    for the others."""
    _ = report.language.gettext
    keep = {id(row) for row in shown}
    out = [*_problems_markdown(report), f"## {_heading(report)}", ""]
    if not report.rows:
        out += [_no_objectives(report), ""]
    columns = (_("Objective"), _("Owner"), _("Score"), _("Status"), _("Updated"))
    by_team: dict[str, list[Row]] = defaultdict(list)
    for row in report.rows:
        if id(row) in keep:
            by_team[row.team].append(row)
    for team, rows in by_team.items():
        out += [
            f"### {_md(team)}",
            "",
            f"| {' | '.join(columns)} |",
            "| --- | --- | --- | --- | --- |",
        ]
        for row in rows:
            o = row.objective
            stale = " **stale**" if row.stale else ""
            out.append(
                f"| {_md(plain_text(o.title))} ({markdown_code(o.id)}) | {_md(o.owner or '–')} | "
                f"{percent(row.score)} | {o.status or '–'} | {_day(report, row.updated)}{stale} |"
            )
        out.append("")
    for title, rows, with_status in (
        (_("Stale objectives"), report.stale, False),
        (_("At risk or off track"), report.troubled, True),
    ):
        out += [f"### {_counted(report, title, len(rows))}", ""]
        out += [
            f"- {_md(plain_text(row.objective.title))} ({markdown_code(row.objective.id)}, {_md(row.team)}): "
            f"owner {_md(row.objective.owner or 'none named')}, updated {_day(report, row.updated)}"
            + (f", {row.objective.status}" if with_status else "")
            for row in rows
            if id(row) in keep
        ] or ([] if rows else [_("None.")])
        out.append("")
    behind = [row for row in report.behind if id(row) in keep]
    out += [f"### {_counted(report, _('Behind pace'), len(report.behind))}", ""]
    out += [
        f"- {_md(plain_text(row.objective.title))} ({markdown_code(row.objective.id)}, {_md(row.team)}): {_pace(row)}"
        for row in behind
    ] or ([] if report.behind else [_("None.")])
    out.append("")
    if report.since is not None:
        out += [f"### {_counted(report, _changes_since(report, report.since), len(report.changes))}", ""]
        out += [f"- {_change(change, _md_code, '→')}" for change in report.changes] or [_("None.")]
        out.append("")
    left_out = len(report.rows) - len(keep)
    if left_out:
        where = f"on <{report.site_page}>" if report.site_page else "with `okrdocs report --format json`"
        out.append(
            f"**{left_out} of {len(report.rows)} objectives are left out** to keep this issue under "
            f"GitHub's size limit: see them all {where}."
        )
    return "\n".join(out).rstrip("\n") + "\n"


def to_json(report: Report) -> str:
    data: dict[str, Any] = {
        "as_of": iso_datetime(report.as_of),
        "period": str(report.period),
        "errors": report.errors,
        "unread_files": [display_path(report.root, path) for path in report.unread],
        "objectives": [
            {
                "id": row.objective.id,
                "team": row.objective.team_id,
                "owner": row.objective.owner,
                "period": str(row.objective.period) if row.objective.period else None,
                "score": row.score,
                "status": row.objective.status,
                "updated": None if row.updated is None else iso_datetime(row.updated),
                "stale": row.stale,
                "expected": row.expected,
                "behind_pace": row.behind,
                "forecast": row.forecast,
            }
            for row in report.rows
        ],
    }
    if report.since is not None:
        data["since"] = iso_datetime(report.since)
        data["changes"] = [change_as_json(change) for change in report.changes]
    return json_printable(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
