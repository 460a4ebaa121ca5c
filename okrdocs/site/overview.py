"""The overview page: where the current period stands, across the whole organisation.

What the overview template prints, computed once: one row per current objective (the
quarter, and the half and year that hold it; or, when the current period has none, the
latest period's), the counts by health, a team x health heatmap in team-tree order whose
rows roll up each team's whole subtree, and the attention list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..core.domain.cascade import Cascade
from ..core.domain.model import KeyResult, Objective, Period, Team
from ..core.history.health import ATTENTION, HEALTHS, Health, healths, score_change
from ..core.history.timeline import DEFAULT_CHANGES_DAYS, Timeline

ATTENTION_LIMIT = 20
"""Objectives each list of the attention list names; the rest are a link to the table, filtered."""


@dataclass(frozen=True)
class Row:
    """One objective as the overview's table shows it."""

    objective: Objective
    teams: list[Team]
    """The team tree from the top down to the objective's team."""
    score: float | None
    expected: float | None
    change: float | None
    """How far the score moved in the last `Overview.change_days` days."""
    healths: tuple[Health, ...]

    @property
    def gap(self) -> float | None:
        """The score minus the expected score: below zero is behind."""
        return None if self.score is None or self.expected is None else self.score - self.expected


@dataclass(frozen=True)
class HeatRow:
    """A team's row of the heatmap: its objectives and those of every team below it."""

    team: Team
    depth: int
    total: int
    counts: dict[str, int]


@dataclass(frozen=True)
class Undelegated:
    """A current key result delegated to a team that holds no current objective picking it up."""

    objective: Objective
    key_result: KeyResult
    team_id: str


@dataclass
class Overview:
    rows: list[Row]
    periods: list[Period]
    """The periods the rows belong to, newest first."""
    fallback: Period | None
    """The latest period with objectives, shown because the current period has none."""
    change_days: int
    counts: dict[str, int] = field(default_factory=dict)
    heatmap: list[HeatRow] = field(default_factory=list)
    attention: dict[str, list[Row]] = field(default_factory=dict)
    undelegated: list[Undelegated] = field(default_factory=list)
    team_options: list[tuple[Team, int]] = field(default_factory=list)
    """Every team for the table's filter, in tree order, with its depth."""


def overview(cascade: Cascade, time: Timeline) -> Overview:
    sections = time.sections(cascade.objectives.values())
    groups = sections.current or sections.latest
    change_days = time.changes_days or DEFAULT_CHANGES_DAYS
    tree = list(_tree(cascade))
    order = {team.id: index for index, (team, _) in enumerate(tree)}
    rows = [_row(cascade, time, o, change_days) for _, group in groups for o in group]
    rows.sort(key=lambda row: (order.get(row.objective.team_id or "", len(order)), row.objective.id))
    result = Overview(
        rows=rows,
        periods=[period for period, _ in groups if period is not None],
        fallback=sections.latest[0][0] if sections.latest else None,
        change_days=change_days,
        team_options=tree,
    )
    result.counts = dict(Counter(health for row in rows for health in row.healths))
    result.heatmap = _heatmap(cascade, tree, rows)
    result.attention = {health: [row for row in rows if health in row.healths] for health in ATTENTION}
    result.undelegated = list(undelegated(cascade, [row.objective for row in rows]))
    return result


def _row(cascade: Cascade, time: Timeline, objective: Objective, change_days: int) -> Row:
    score = cascade.objective_score(objective)
    team = cascade.teams.get(objective.team_id or "")
    return Row(
        objective=objective,
        teams=cascade.team_chain(team) if team else [],
        score=score,
        expected=time.expected(objective),
        change=score_change(time.objective_points(objective), score, time, change_days),
        healths=healths(objective, score, time),
    )


def _tree(cascade: Cascade, parent_id: str | None = None, depth: int = 0) -> Iterator[tuple[Team, int]]:
    """Every team below `parent_id`, depth first, siblings by name (as the team directory)."""
    for team in sorted(cascade.subteams.get(parent_id, []), key=lambda t: (t.name.casefold(), t.id)):
        yield team, depth
        yield from _tree(cascade, team.id, depth + 1)


def _heatmap(cascade: Cascade, tree: list[tuple[Team, int]], rows: list[Row]) -> list[HeatRow]:
    """Each team's counts by health over its subtree; teams with no current objective in
    their subtree are left out."""
    own: dict[str, Counter[str]] = {team.id: Counter() for team, _ in tree}
    totals: Counter[str] = Counter()
    for row in rows:
        for team in row.teams:  # the objective counts for its team and every team above it
            if team.id in own:
                own[team.id].update(row.healths)
                totals[team.id] += 1
    return [
        HeatRow(team, depth, totals[team.id], {health: own[team.id][health] for health in HEALTHS})
        for team, depth in tree
        if totals[team.id]
    ]


def undelegated(cascade: Cascade, objectives: list[Objective]) -> Iterator[Undelegated]:
    """Delegations of the shown objectives that no shown objective picks up: a year's key
    result picked up in the first quarter and by nobody in this one is listed."""
    shown = {objective.id for objective in objectives}
    for objective in objectives:
        for kr in objective.key_results:
            picked_by = {o.team_id for o in cascade.pickups_of(objective, kr) if o.id in shown}
            for team_id in kr.delegated_to:
                if team_id not in picked_by:
                    yield Undelegated(objective, kr, team_id)
