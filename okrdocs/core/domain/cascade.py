"""The cascade: every objective linked to its parent, its children and its pickups, with scores.

Built once per build from a `Repository`; every lookup is a dict access, so pages and
diagrams for thousands of objectives cost linear time.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from functools import cached_property

from .links import CrossLinks
from .model import DEFAULT_COMMITMENT, KeyResult, Objective, Repository, Team
from .problems import Problem


@dataclass(frozen=True)
class Trace:
    """How an objective's chain of parents ends.

    `reaches_vision` when it ends at the vision; otherwise `broken_at` is the first
    objective whose parent does not resolve, or `cycle` lists the objectives of a loop.
    """

    reaches_vision: bool
    broken_at: Objective | None = None
    cycle: tuple[Objective, ...] = ()


@dataclass
class Cascade:
    repository: Repository
    teams: dict[str, Team] = field(default_factory=dict)
    objectives: dict[str, Objective] = field(default_factory=dict)
    children: dict[str, list[Objective]] = field(default_factory=lambda: defaultdict(list))
    """Objectives aligned to an objective, loosely or by picking up one of its KRs."""
    pickups: dict[tuple[str, str], list[Objective]] = field(default_factory=lambda: defaultdict(list))
    """Objectives that picked up a KR, by (objective id, KR id)."""
    subteams: dict[str | None, list[Team]] = field(default_factory=lambda: defaultdict(list))
    """Teams by parent team id; None holds the top-level teams."""
    objectives_by_team: dict[str, list[Objective]] = field(default_factory=lambda: defaultdict(list))
    default_commitment: str = DEFAULT_COMMITMENT
    """What an objective without `commitment:` is (the option `default_commitment`)."""
    notes: dict[str, list[Problem]] = field(default_factory=dict)
    """Coaching findings (OKR7xx) by objective file, as configured: its page's coaching notes."""
    _traces: dict[str, Trace] = field(default_factory=dict, repr=False)
    _kr_scores: MutableMapping[tuple[str, str], float | None] = field(default_factory=dict, repr=False)
    """Memoised key result scores; `rescoring` starts it with the scores a commit did not change."""

    # -- links ---------------------------------------------------------------

    def parent_of(self, objective: Objective) -> Objective | None:
        if objective.parent is None or objective.parent.objective_id is None:
            return None
        return self.objectives.get(objective.parent.objective_id)

    def parent_kr_of(self, objective: Objective) -> KeyResult | None:
        parent = self.parent_of(objective)
        if parent is None or objective.parent is None or objective.parent.kr_id is None:
            return None
        return parent.key_result(objective.parent.kr_id)

    def commitment_of(self, objective: Objective) -> str:
        """committed or aspirational: as written, else the site's default."""
        return objective.commitment or self.default_commitment

    def notes_of(self, objective: Objective) -> list[Problem]:
        """The coaching notes of an objective's file, by line."""
        return self.notes.get(objective.where.path, [])

    def team_notes_of(self, team: Team) -> list[Problem]:
        """The coaching notes about a team (too many objectives, too safe a confidence):
        those at its entry in teams.yml."""
        line = team.where.line_of("id")
        return [note for note in self.notes.get(team.where.path, []) if note.line == line]

    def pickups_of(self, objective: Objective, kr: KeyResult) -> list[Objective]:
        return self.pickups.get((objective.id, kr.id), [])

    def team_of(self, objective: Objective) -> Team | None:
        return self.teams.get(objective.team_id) if objective.team_id else None

    @cached_property
    def top_objectives(self) -> list[Objective]:
        """Objectives whose parent is the vision."""
        return [o for o in self.objectives.values() if o.parent is not None and o.parent.is_vision]

    # -- chains --------------------------------------------------------------

    def trace(self, objective: Objective) -> Trace:
        """How the objective's chain of parents ends (memoised, linear over all objectives)."""
        known = self._traces.get(objective.id)
        if known is not None:
            return known
        path: list[Objective] = []
        on_path: dict[str, int] = {}
        current: Objective | None = objective
        result: Trace
        while True:
            assert current is not None
            if current.id in self._traces:
                result = self._traces[current.id]
                break
            if current.id in on_path:
                loop = tuple(path[on_path[current.id] :])
                result = Trace(False, cycle=loop)
                for member in loop:
                    self._traces[member.id] = result
                break
            on_path[current.id] = len(path)
            path.append(current)
            if current.parent is None:
                result = Trace(False, broken_at=current)
                break
            if current.parent.is_vision:
                result = Trace(True)
                break
            parent = self.parent_of(current)
            if parent is None or (current.parent.kr_id and parent.key_result(current.parent.kr_id) is None):
                result = Trace(False, broken_at=current)
                break
            current = parent
        for member in path:
            # Members of a cycle keep their own cycle trace; those leading into it share it.
            self._traces.setdefault(member.id, result)
        return self._traces[objective.id]

    def chain(self, objective: Objective) -> list[Objective]:
        """The objectives from the top (aligned to the vision) down to this one, inclusive.

        For an objective that does not trace back to the vision, the chain starts at the
        highest ancestor that could be found.
        """
        chain = [objective]
        seen = {objective.id}
        parent = self.parent_of(objective)
        while parent is not None and parent.id not in seen:
            chain.append(parent)
            seen.add(parent.id)
            parent = self.parent_of(parent)
        chain.reverse()
        return chain

    def team_chain(self, team: Team) -> list[Team]:
        """The teams from the top of the team tree down to `team`, inclusive; a loop of
        parents (which the check reports) stops the walk."""
        chain = [team]
        seen = {team.id}
        parent = self.teams.get(team.parent_id) if team.parent_id else None
        while parent is not None and parent.id not in seen:
            chain.append(parent)
            seen.add(parent.id)
            parent = self.teams.get(parent.parent_id) if parent.parent_id else None
        chain.reverse()
        return chain

    # -- scores --------------------------------------------------------------

    def kr_score(self, objective: Objective, kr: KeyResult) -> float | None:
        """`progress`, else start/target/current, else the mean score of the pickups."""
        key = (objective.id, kr.id)
        if key in self._kr_scores:
            return self._kr_scores[key]
        self._kr_scores[key] = None  # guards against cycles while computing
        score = kr.measured_score
        if score is None:
            picked = [self.objective_score(o) for o in self.pickups_of(objective, kr)]
            known = [s for s in picked if s is not None]
            score = sum(known) / len(known) if known else None
        self._kr_scores[key] = score
        return score

    def objective_score(self, objective: Objective) -> float | None:
        """The mean of the known KR scores, each counted `weight` times; None when no KR
        has a score. Contributions to other objectives do not count.

        The weights are summed as they are; when their sum overflows to inf (near the
        float limit, 1e308, which YAML allows), which would make the score 0 or NaN, they
        are summed again scaled by a power of two, so that the largest is below 1."""
        scored = [(kr.weight, score) for kr in objective.key_results if (score := self.kr_score(objective, kr)) is not None]  # fmt: skip
        if not scored:
            return None
        for shift in (0, -math.frexp(max(weight for weight, _ in scored))[1]):
            total = weights = 0.0
            for weight, score in scored:
                weight = math.ldexp(weight, shift)
                total += weight * score
                weights += weight
            if math.isfinite(weights):
                break
        return total / weights

    @cached_property
    def links(self) -> CrossLinks:
        """Contributions and dependencies: the links besides the one parent."""
        return CrossLinks.of(self)


def resolve(repository: Repository) -> Cascade:
    """Index the repository's teams and objectives; the first of two duplicates wins."""
    cascade = Cascade(repository)
    for team in repository.teams:
        cascade.teams.setdefault(team.id, team)
    for team in cascade.teams.values():
        parent_id = team.parent_id if team.parent_id in cascade.teams else None
        cascade.subteams[parent_id].append(team)
    for objective in repository.objectives:
        cascade.objectives.setdefault(objective.id, objective)
    for objective in cascade.objectives.values():
        if objective.team_id:
            cascade.objectives_by_team[objective.team_id].append(objective)
        parent = cascade.parent_of(objective)
        if parent is None or objective.parent is None:
            continue
        if objective.parent.kr_id is None:
            cascade.children[parent.id].append(objective)
        elif parent.key_result(objective.parent.kr_id) is not None:
            cascade.children[parent.id].append(objective)
            cascade.pickups[(parent.id, objective.parent.kr_id)].append(objective)
    return cascade
