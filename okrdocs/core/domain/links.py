"""The links besides the one parent: contributions and cross-team dependencies.

A contribution (`contributes_to:`) says an objective helps another objective, or one of its
key results, without being its child: the cascade keeps one unambiguous chain to the vision,
and help can still be many-to-many. Contributions never change scores.

A dependency (`depends_on:` on a key result) names teams whose work the key result needs.
It is confirmed when the providing team has an objective in an overlapping period that
picks the key result up or contributes to it: the team said yes in its own file, which its
own reviewers approved (see `okrdocs codeowners`).

Built once per cascade (`Cascade.links`); every lookup is a dict access.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .model import KeyResult, Objective

if TYPE_CHECKING:
    from .cascade import Cascade


@dataclass(frozen=True)
class Contribution:
    """`contributor` helps `target` as a whole (`kr` None) or its key result `kr`."""

    contributor: Objective
    target: Objective
    kr: KeyResult | None = None

    @property
    def ref(self) -> str:
        """How `contributes_to:` names the target: `objective-id` or `objective-id#kr-id`."""
        return f"{self.target.id}#{self.kr.id}" if self.kr else self.target.id


@dataclass(frozen=True)
class Dependency:
    """Key result `kr` of `objective` needs team `team_id`; `confirmed_by` are that team's
    objectives in an overlapping period that pick the key result up or contribute to it."""

    objective: Objective
    kr: KeyResult
    team_id: str
    index: int
    """The team's place in the KR's `depends_on` list, for the line of a problem."""
    confirmed_by: tuple[Objective, ...] = ()

    @property
    def confirmed(self) -> bool:
        return bool(self.confirmed_by)


@dataclass
class CrossLinks:
    contributions_from: dict[str, list[Contribution]] = field(default_factory=lambda: defaultdict(list))
    """By contributor id: what each objective helps."""
    contributions_to: dict[str, list[Contribution]] = field(default_factory=lambda: defaultdict(list))
    """By target objective id: who helps it, as a whole or through one of its key results."""
    kr_contributors: dict[tuple[str, str], list[Objective]] = field(default_factory=lambda: defaultdict(list))
    """By (objective id, KR id): the objectives that contribute to that key result."""
    dependencies: list[Dependency] = field(default_factory=list)
    """Every dependency on a known team, in the order of objectives and key results."""
    depends_on: dict[str, list[Dependency]] = field(default_factory=lambda: defaultdict(list))
    """By the id of the team whose key result needs another team."""
    depended_on_by: dict[str, list[Dependency]] = field(default_factory=lambda: defaultdict(list))
    """By the id of the team that is needed."""
    kr_dependencies: dict[tuple[str, str], list[Dependency]] = field(default_factory=lambda: defaultdict(list))
    """By (objective id, KR id)."""

    @classmethod
    def of(cls, cascade: Cascade) -> CrossLinks:
        links = cls()
        for objective in cascade.objectives.values():
            for contribution in resolved_contributions(cascade, objective):
                links.contributions_from[objective.id].append(contribution)
                links.contributions_to[contribution.target.id].append(contribution)
                if contribution.kr is not None:
                    links.kr_contributors[(contribution.target.id, contribution.kr.id)].append(objective)
        for objective in cascade.objectives.values():
            for kr in objective.key_results:
                for index, team_id in enumerate(kr.depends_on):
                    if team_id not in cascade.teams:
                        continue  # reported as an unknown team
                    confirmed = tuple(links._confirming(cascade, objective, kr, team_id))
                    dependency = Dependency(objective, kr, team_id, index, confirmed)
                    links.dependencies.append(dependency)
                    if objective.team_id:
                        links.depends_on[objective.team_id].append(dependency)
                    links.depended_on_by[team_id].append(dependency)
                    links.kr_dependencies[(objective.id, kr.id)].append(dependency)
        return links

    def contributors_of(self, objective: Objective, kr: KeyResult | None = None) -> list[Objective]:
        """Who contributes to the objective as a whole (`kr` None) or to its key result `kr`."""
        if kr is not None:
            return self.kr_contributors.get((objective.id, kr.id), [])
        return [c.contributor for c in self.contributions_to.get(objective.id, []) if c.kr is None]

    def dependencies_of(self, objective: Objective, kr: KeyResult) -> list[Dependency]:
        return self.kr_dependencies.get((objective.id, kr.id), [])

    def _confirming(self, cascade: Cascade, objective: Objective, kr: KeyResult, team_id: str) -> list[Objective]:
        helpers = [*cascade.pickups_of(objective, kr), *self.kr_contributors.get((objective.id, kr.id), [])]
        found: list[Objective] = []
        for helper in helpers:
            if helper.team_id == team_id and _overlapping(helper, objective) and all(helper is not o for o in found):
                found.append(helper)
        return found


def _overlapping(one: Objective, other: Objective) -> bool:
    """Periods that share a month; a missing period (reported already) does not refuse."""
    if one.period is None or other.period is None:
        return True
    return one.period.overlaps(other.period)


def resolved_contributions(cascade: Cascade, objective: Objective) -> list[Contribution]:
    """The objective's contributions whose target exists and that `contribution_mistake`
    accepts, the first of two equal ones."""
    found: list[Contribution] = []
    seen: set[str] = set()
    for ref in objective.contributes_to:
        target = cascade.objectives.get(ref.objective_id or "")
        kr = target.key_result(ref.kr_id) if target is not None and ref.kr_id else None
        if target is None or (ref.kr_id and kr is None) or str(ref) in seen:
            continue
        seen.add(str(ref))
        if contribution_mistake(cascade, objective, target, kr) is None:
            found.append(Contribution(objective, target, kr))
    return found


def contribution_mistake(cascade: Cascade, objective: Objective, target: Objective, kr: KeyResult | None) -> str | None:
    """Why a contribution says nothing the cascade does not say already, or None.

    An objective serves its parent chain already; contributing to itself, to one of its own
    key results, to an ancestor as a whole, or to a key result its chain picks up, would
    count the same help twice.
    """
    if target is objective:
        return "its own key result" if kr is not None else "itself"
    full = cascade.chain(objective)
    chain = full[:-1]
    if kr is None and target in chain:
        return f"'{target.id}', which it serves already through its parents"
    if kr is not None:
        for child, parent in zip(full[1:], chain, strict=True):
            if parent is target and cascade.parent_kr_of(child) is kr:
                return f"'{target.id}#{kr.id}', which its chain picks up already (through '{child.id}')"
    return None
