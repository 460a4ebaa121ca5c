"""The rules for the links besides the parent: `contributes_to` and `depends_on`.

Contributions are checked like parents (OKR402 for a target that does not exist) and must
say something the cascade does not (OKR505). Dependencies name known teams (OKR401) and
stay a warning (OKR405) until the team they name confirms them in its own file.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..domain import problems as codes
from ..domain.cascade import Cascade
from ..domain.links import contribution_mistake
from ..domain.model import KeyResult, Objective, ParentRef
from ..domain.problems import MessagePart, Problem
from ..reading.fields import NameIndex
from .validation import no_key_result_message, no_objective_message, unknown_team_message


def link_problems(cascade: Cascade) -> Iterator[Problem]:
    yield from _contributions(cascade)
    yield from _dependencies(cascade)


def _at_item(code: codes.Code, thing: Objective | KeyResult, name: str, index: int, *parts: MessagePart) -> Problem:
    return Problem.of(code, thing.where.path, thing.where.line_of_item(name, index), *parts)


def _contributions(cascade: Cascade) -> Iterator[Problem]:
    unreadable = cascade.repository.unreadable_objective_ids
    objective_ids = NameIndex(cascade.objectives)
    for objective in cascade.objectives.values():
        for index, ref in enumerate(objective.contributes_to):
            if ref.objective_id in unreadable:
                continue  # the file at fault is reported already
            problem = _contribution_problem(cascade, objective, ref, objective_ids)
            if problem is not None:
                yield _at_item(problem[0], objective, "contributes_to", index, *problem[1])


def _contribution_problem(
    cascade: Cascade, objective: Objective, ref: ParentRef, objective_ids: NameIndex
) -> tuple[codes.Code, tuple[MessagePart, ...]] | None:
    target = cascade.objectives.get(ref.objective_id or "")
    if target is None:
        return codes.UNKNOWN_PARENT, _as_contribution(no_objective_message(ref, objective_ids))
    kr = target.key_result(ref.kr_id) if ref.kr_id else None
    if ref.kr_id and kr is None:
        return codes.UNKNOWN_PARENT, _as_contribution(no_key_result_message(ref, target))
    mistake = contribution_mistake(cascade, objective, target, kr)
    if mistake is None:
        return None
    return codes.REDUNDANT_CONTRIBUTION, (
        f"objective '{objective.id}' contributes to {mistake}: list in 'contributes_to' only objectives "
        "and key results outside its own chain of parents",
    )


def _as_contribution(parts: tuple[MessagePart, ...]) -> tuple[MessagePart, ...]:
    """A parent's message, worded for a contribution: `contribution 'x' names no objective`."""
    first = parts[0]
    assert isinstance(first, str)
    first = first.replace("parent '", "contribution '", 1).replace(
        ": use vision, an objective id or objective-id#kr-id", ": use an objective id or objective-id#kr-id"
    )
    return (first, *parts[1:])


def _dependencies(cascade: Cascade) -> Iterator[Problem]:
    if not cascade.teams:
        return  # a missing or broken teams.yml is reported already
    teams = NameIndex(cascade.teams)
    for objective in cascade.objectives.values():
        for kr in objective.key_results:
            for index, team_id in enumerate(kr.depends_on):
                if team_id not in cascade.teams:
                    yield _at_item(
                        codes.UNKNOWN_TEAM,
                        kr,
                        "depends_on",
                        index,
                        f"key result '{kr.id}' depends on '{team_id}', but "
                        + unknown_team_message(team_id, teams, ": add the team there or fix 'depends_on'"),
                    )
    for dependency in cascade.links.dependencies:
        if dependency.confirmed:
            continue
        objective, kr, team_id = dependency.objective, dependency.kr, dependency.team_id
        period = f" in {objective.period} or a period overlapping it" if objective.period else ""
        yield _at_item(
            codes.UNCONFIRMED_DEPENDENCY,
            kr,
            "depends_on",
            dependency.index,
            f"key result '{objective.id}#{kr.id}' depends on team '{team_id}', which has not confirmed it: "
            f"team '{team_id}' confirms with an objective{period} that has "
            f"'contributes_to: {objective.id}#{kr.id}' (or picks it up as its parent)",
        )
