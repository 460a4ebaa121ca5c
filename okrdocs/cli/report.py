"""`okrdocs report`: the period's objectives per team, then the stale and the troubled ones.

Meant for a weekly check-in (see `.github/workflows/okr-checkin.yml`): who has not updated
an objective for a while, and which objectives are at risk or off track. Titles and names
come from the OKR files, so the Markdown form escapes them: a title cannot add a link,
a heading or a table column to the issue it lands in.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..core.cascade import Cascade
from ..core.model import Objective, Period, percent
from ..core.timeline import Timeline, iso_date, iso_datetime
from ..site.text import plain_text

TROUBLED = ("at-risk", "off-track")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&:@])")
"""Marks that could make a title a link, an image, HTML, a table column, a heading or a
list, or ping someone (`@name`) in the issue the report lands in."""


@dataclass(frozen=True)
class Row:
    objective: Objective
    team: str
    score: float | None
    updated: int | None
    stale: bool


@dataclass(frozen=True)
class Report:
    as_of: int
    period: Period
    stale_after: int
    rows: list[Row]
    """Grouped by team name, then by objective id."""

    @property
    def stale(self) -> list[Row]:
        return [row for row in self.rows if row.stale]

    @property
    def troubled(self) -> list[Row]:
        return [row for row in self.rows if row.objective.status in TROUBLED]


def make_report(cascade: Cascade, timeline: Timeline) -> Report:
    """The objectives of the timeline's current period (and the half and year holding it)."""
    rows = []
    for objective in cascade.objectives.values():
        if timeline.phase(objective) != "current":
            continue
        team = cascade.team_of(objective)
        change = timeline.updated(objective)
        rows.append(
            Row(
                objective,
                team.name if team else (objective.team_id or ""),
                cascade.objective_score(objective),
                None if change is None else change.date,
                timeline.is_stale(objective),
            )
        )
    rows.sort(key=lambda row: (row.team.casefold(), row.objective.id))
    return Report(timeline.as_of, timeline.current, timeline.stale_after, rows)


def _day(timestamp: int | None) -> str:
    return "never committed" if timestamp is None else iso_date(timestamp)


def _heading(report: Report) -> str:
    staleness = f"stale after {report.stale_after} days" if report.stale_after > 0 else "staleness off"
    return f"OKR check-in for {report.period}, as of {iso_date(report.as_of)} ({staleness})"


def to_text(report: Report) -> str:
    out = [_heading(report), ""]
    if not report.rows:
        out.append(f"No objectives in {report.period}.")
    by_team: dict[str, list[Row]] = defaultdict(list)
    for row in report.rows:
        by_team[row.team].append(row)
    for team, rows in by_team.items():
        out.append(team)
        for row in rows:
            o = row.objective
            details = [
                percent(row.score),
                o.status or "no status",
                f"owner {o.owner or '–'}",
                f"updated {_day(row.updated)}",
            ]
            out.append(f"  {o.id}: {plain_text(o.title)} ({', '.join(details)}){' STALE' if row.stale else ''}")
        out.append("")
    for title, rows in (("Stale", report.stale), ("At risk or off track", report.troubled)):
        out.append(f"{title} ({len(rows)}):")
        out.extend(f"  {row.objective.id} ({row.team}, owner {row.objective.owner or '–'})" for row in rows)
    return "\n".join(out) + "\n"


def markdown_text(text: str) -> str:
    """Text shown as itself in Markdown: every mark escaped, lines joined."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def to_markdown(report: Report) -> str:
    out = [f"## {_heading(report)}", ""]
    if not report.rows:
        out += [f"No objectives in {report.period}.", ""]
    by_team: dict[str, list[Row]] = defaultdict(list)
    for row in report.rows:
        by_team[row.team].append(row)
    for team, rows in by_team.items():
        out += [
            f"### {markdown_text(team)}",
            "",
            "| Objective | Owner | Score | Status | Updated |",
            "| --- | --- | --- | --- | --- |",
        ]
        for row in rows:
            o = row.objective
            stale = " **stale**" if row.stale else ""
            out.append(
                f"| {markdown_text(plain_text(o.title))} (`{o.id}`) | {markdown_text(o.owner or '–')} | "
                f"{percent(row.score)} | {o.status or '–'} | {_day(row.updated)}{stale} |"
            )
        out.append("")
    for title, rows in (("Stale objectives", report.stale), ("At risk or off track", report.troubled)):
        out += [f"### {title} ({len(rows)})", ""]
        out += [
            f"- {markdown_text(plain_text(row.objective.title))} (`{row.objective.id}`, {markdown_text(row.team)}): "
            f"owner {markdown_text(row.objective.owner or 'none named')}, updated {_day(row.updated)}"
            + (f", {row.objective.status}" if title != "Stale objectives" else "")
            for row in rows
        ] or ["None."]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def to_json(report: Report) -> str:
    data: dict[str, Any] = {
        "as_of": iso_datetime(report.as_of),
        "period": str(report.period),
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
            }
            for row in report.rows
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
