"""The build gate: rules over the resolved cascade, each reported at the line at fault.

Field shapes are checked while loading (`loading`, `fields`); the rules here need the
whole organisation: duplicates, references, delegations, chains, periods.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass

from ..domain import problems as codes
from ..domain.cascade import Cascade
from ..domain.model import VISION, KeyResult, Objective, ParentRef, Period, Team
from ..domain.problems import Location, MessagePart, Problem
from ..reading.fields import NameIndex, did_you_mean
from ..reading.loading import TEAMS_FILE


@dataclass(frozen=True)
class KrRange:
    """How many key results an objective should have; outside it is a warning."""

    minimum: int = 1
    maximum: int = 5


def kr_range_mistake(kr_range: KrRange) -> tuple[str, str] | None:
    """The option at fault and why, when min_key_results and max_key_results make no range.

    Shared by `okrdocs check` and the plugin's config validation, so both refuse the same.
    """
    for name, value in (("min_key_results", kr_range.minimum), ("max_key_results", kr_range.maximum)):
        if value < 0:
            return name, f"{name} is {value}: write 0 or a larger whole number"
    if kr_range.minimum > kr_range.maximum:
        return "min_key_results", (
            f"min_key_results ({kr_range.minimum}) is greater than max_key_results ({kr_range.maximum}): "
            "no objective could be in range; lower min_key_results or raise max_key_results"
        )
    return None


def validate(cascade: Cascade, kr_range: KrRange = KrRange(), unread_files: Collection[str] = ()) -> list[Problem]:
    """Every rule's problems. `unread_files` are the objective files (relative paths) that
    could not be read; their problems are reported already."""
    rules = (
        _duplicates,
        _team_references,
        _team_cycles,
        _parent_references,
        _traces,
        _periods,
    )
    found = [problem for rule in rules for problem in rule(cascade)]
    found.extend(_delegations(cascade, unread_files))
    found.extend(_kr_counts(cascade, kr_range))
    return found


def _at(code: codes.Code, objective: Objective, field: str, *message: MessagePart) -> Problem:
    return Problem.of(code, objective.where.path, objective.where.line_of(field), *message)


def _at_kr(code: codes.Code, kr: KeyResult, field: str, *message: MessagePart) -> Problem:
    return Problem.of(code, kr.where.path, kr.where.line_of(field), *message)


def _at_delegation(code: codes.Code, kr: KeyResult, index: int, *message: MessagePart) -> Problem:
    """At the team's own line in a `delegated_to:` list written one item a line."""
    return Problem.of(code, kr.where.path, kr.where.line_of_item("delegated_to", index), *message)


def _where(thing: Objective | KeyResult | Team, field: str | None = None) -> Location:
    """The place of a thing (or of one of its fields) that a message about another file names."""
    where = thing.where
    return Location(where.path, where.line if field is None else where.line_of(field))


# -- messages `okrdocs new` gives too, so the command and the check word a mistake alike


def no_objective_message(ref: ParentRef, objective_ids: Collection[str] | NameIndex) -> tuple[MessagePart, ...]:
    # A mistyped `vision` is the likeliest near miss of a parent without a key result.
    name = ref.objective_id or ""
    hint = (ref.kr_id is None and did_you_mean(name, (VISION,))) or did_you_mean(name, objective_ids)
    return (f"parent '{ref}' names no objective{hint or ': use vision, an objective id or objective-id#kr-id'}",)


def no_key_result_message(ref: ParentRef, parent: Objective) -> tuple[MessagePart, ...]:
    known = [kr.id for kr in parent.key_results]
    hint = did_you_mean(ref.kr_id or "", set(known)) or f"; its key results are {', '.join(known) or 'none'}"
    return (f"parent '{ref}': objective '{parent.id}' (", _where(parent), f") has no key result '{ref.kr_id}'{hint}")


def period_outside_message(period: Period, parent: Objective) -> tuple[MessagePart, ...]:
    return (
        f"period {period} does not lie inside {parent.period}, the period of its parent '{parent.id}' (",
        _where(parent),
        f"): use {parent.period} or a part of it",
    )


def _duplicates(cascade: Cascade) -> Iterator[Problem]:
    repository = cascade.repository
    for team in repository.teams:
        first = cascade.teams[team.id]
        if first is not team:
            yield Problem.of(
                codes.DUPLICATE_TEAM,
                TEAMS_FILE,
                team.where.line_of("id"),
                f"team id '{team.id}' is already used by ",
                _where(first, "id"),
                ": give each team its own id",
            )
    for objective in repository.objectives:
        first_objective = cascade.objectives[objective.id]
        if first_objective is not objective:
            yield _at(
                codes.DUPLICATE_OBJECTIVE,
                objective,
                "id",
                f"objective id '{objective.id}' is already used by ",
                _where(first_objective),
                ": rename this file or set a different 'id'",
            )
        seen: dict[str, KeyResult] = {}
        for kr in objective.key_results:
            if kr.id in seen:
                yield _at_kr(
                    codes.DUPLICATE_KR,
                    kr,
                    "id",
                    f"key result id '{kr.id}' is already used on line {seen[kr.id].where.line_of('id')} "
                    "of this objective: give each key result its own id",
                )
            else:
                seen[kr.id] = kr


def unknown_team_message(team_id: str, teams: NameIndex, fix: str = "") -> str:
    hint = did_you_mean(team_id, teams)
    return f"there is no team '{team_id}' in {TEAMS_FILE}{fix}{hint}"


def _team_references(cascade: Cascade) -> Iterator[Problem]:
    teams = NameIndex(cascade.teams)  # one index for every unknown team id
    for team in cascade.repository.teams:
        if team.parent_id and team.parent_id not in cascade.teams:
            yield Problem.of(
                codes.UNKNOWN_TEAM,
                TEAMS_FILE,
                team.where.line_of("parent"),
                f"team '{team.id}' has parent '{team.parent_id}', but "
                + unknown_team_message(team.parent_id, teams, ": add that team or fix 'parent'"),
            )
    if not cascade.teams:
        return  # a missing or broken teams.yml is reported already; don't flag every objective
    for objective in cascade.objectives.values():
        if objective.team_id and objective.team_id not in cascade.teams:
            yield _at(
                codes.UNKNOWN_TEAM,
                objective,
                "team",
                unknown_team_message(objective.team_id, teams, ": add the team there or fix 'team'"),
            )
        for kr in objective.key_results:
            for index, team_id in enumerate(kr.delegated_to):
                if team_id not in cascade.teams:
                    yield _at_delegation(
                        codes.UNKNOWN_TEAM,
                        kr,
                        index,
                        f"key result '{kr.id}' is delegated to '{team_id}', but "
                        + unknown_team_message(team_id, teams, ": add the team there or fix 'delegated_to'"),
                    )


def _team_cycles(cascade: Cascade) -> Iterator[Problem]:
    for team in cascade.teams.values():
        path = [team.id]
        current = cascade.teams.get(team.parent_id) if team.parent_id else None
        while current is not None and current.id not in path:
            path.append(current.id)
            current = cascade.teams.get(current.parent_id) if current.parent_id else None
        if current is not None and current.id == team.id:
            loop = " -> ".join(path + [team.id])
            yield Problem.of(
                codes.TEAM_CYCLE,
                TEAMS_FILE,
                team.where.line_of("parent"),
                f"team '{team.id}' is its own ancestor ({loop}): change one 'parent' to break the loop",
            )


def _parent_references(cascade: Cascade) -> Iterator[Problem]:
    unreadable = cascade.repository.unreadable_objective_ids
    objective_ids = NameIndex(cascade.objectives)  # one index for every unknown parent
    for objective in cascade.objectives.values():
        ref = objective.parent
        if ref is None or ref.objective_id is None or ref.objective_id in unreadable:
            continue
        parent = cascade.objectives.get(ref.objective_id)
        if parent is None:
            yield _at(codes.UNKNOWN_PARENT, objective, "parent", *no_objective_message(ref, objective_ids))
            continue
        if ref.kr_id is None:
            continue
        kr = parent.key_result(ref.kr_id)
        if kr is None:
            yield _at(codes.UNKNOWN_PARENT, objective, "parent", *no_key_result_message(ref, parent))
        elif objective.team_id in cascade.teams and objective.team_id not in kr.delegated_to:
            delegated = ", ".join(kr.delegated_to) or "no team"
            yield _at(
                codes.WRONG_PICKUP_TEAM,
                objective,
                "parent",
                f"picks up key result '{ref}' (",
                _where(kr),
                f"), which is delegated to {delegated}, not to team '{objective.team_id}': "
                f"add '{objective.team_id}' to its 'delegated_to', or align loosely with 'parent: {parent.id}'",
            )


def _delegations(cascade: Cascade, unread_files: Collection[str] = ()) -> Iterator[Problem]:
    meant = _meant_pickups(cascade, unread_files)
    for objective in cascade.objectives.values():
        for kr in objective.key_results:
            if not kr.delegated_to:
                continue
            pickups = cascade.pickups_of(objective, kr)
            if any(o.team_id not in cascade.teams for o in pickups):
                continue  # a pickup with an unknown team is reported already; its real team is unclear
            picked_by = {o.team_id for o in pickups}
            for index, team_id in enumerate(kr.delegated_to):
                if (
                    team_id in cascade.teams
                    and team_id not in picked_by
                    and not meant.may_pick_up(team_id, objective, kr)
                ):
                    yield _at_delegation(
                        codes.BROKEN_DELEGATION,
                        kr,
                        index,
                        f"key result '{objective.id}#{kr.id}' is delegated to team '{team_id}', but no "
                        f"objective of that team picks it up: add one with 'team: {team_id}' and "
                        f"'parent: {objective.id}#{kr.id}', or withdraw the delegation",
                    )


@dataclass(frozen=True)
class _MeantPickups:
    """Pickups that a child objective may have meant, when that child is reported already.

    A child that cannot be read, or whose `parent` names a key result that does not exist
    or is not delegated to its team, is its own problem; reporting the parent's delegation
    as broken too would put the effect before the cause (the parent's file often sorts
    first). Like a pickup by an unknown team, such a child keeps the delegations it may
    have meant from being reported until it is fixed.
    """

    of_objective: frozenset[tuple[str, str]]
    """(team, objective id): a child of that team names a wrong key result of that objective."""
    of_key_result: frozenset[tuple[str, str]]
    """(team, KR id): a child of that team names that KR of an objective that does not exist."""
    unread_team_folders: frozenset[str]
    """Folders holding an objective file that could not be read (`<team>/<id>.md` by convention)."""

    def may_pick_up(self, team_id: str, objective: Objective, kr: KeyResult) -> bool:
        return (
            (team_id, objective.id) in self.of_objective
            or (team_id, kr.id) in self.of_key_result
            or team_id in self.unread_team_folders
        )


def _meant_pickups(cascade: Cascade, unread_files: Collection[str]) -> _MeantPickups:
    of_objective: set[tuple[str, str]] = set()
    of_key_result: set[tuple[str, str]] = set()
    for child in cascade.objectives.values():
        ref = child.parent
        if ref is None or ref.objective_id is None or ref.kr_id is None or child.team_id is None:
            continue
        parent = cascade.objectives.get(ref.objective_id)
        if parent is None:
            of_key_result.add((child.team_id, ref.kr_id))
            continue
        kr = parent.key_result(ref.kr_id)
        if kr is None or child.team_id not in kr.delegated_to:
            of_objective.add((child.team_id, parent.id))
    folders = {folder for path in unread_files for folder in path.split("/")[:-1]}
    return _MeantPickups(frozenset(of_objective), frozenset(of_key_result), frozenset(folders))


def _traces(cascade: Cascade) -> Iterator[Problem]:
    for objective in cascade.objectives.values():
        trace = cascade.trace(objective)
        if trace.reaches_vision or objective.parent is None:
            continue  # a missing parent is reported as a missing field
        if objective in trace.cycle:
            start = trace.cycle.index(objective)  # show the loop from this objective round to it
            loop = " -> ".join(o.id for o in trace.cycle[start:] + trace.cycle[: start + 1])
            yield _at(
                codes.PARENT_CYCLE,
                objective,
                "parent",
                f"objective '{objective.id}' is its own ancestor ({loop}): point one 'parent' "
                "up the cascade, towards the vision",
            )
        elif trace.cycle:
            yield _at(
                codes.NO_VISION_TRACE,
                objective,
                "parent",
                f"objective '{objective.id}' does not trace back to the vision: its chain runs into "
                f"the loop {' -> '.join(o.id for o in trace.cycle)}",
            )
        elif trace.broken_at is not None and trace.broken_at is not objective:
            broken = trace.broken_at
            yield _at(
                codes.NO_VISION_TRACE,
                objective,
                "parent",
                f"objective '{objective.id}' does not trace back to the vision: its ancestor '{broken.id}' (",
                _where(broken, "parent"),
                ") has a parent that does not resolve",
            )


def _periods(cascade: Cascade) -> Iterator[Problem]:
    for objective in cascade.objectives.values():
        parent = cascade.parent_of(objective)
        if parent is None or objective.period is None or parent.period is None:
            continue
        if not parent.period.contains(objective.period):
            yield _at(
                codes.PERIOD_OUTSIDE_PARENT, objective, "period", *period_outside_message(objective.period, parent)
            )


def _kr_counts(cascade: Cascade, kr_range: KrRange) -> Iterator[Problem]:
    for objective in cascade.objectives.values():
        count = objective.key_result_count  # a key result left out for a bad id still counts
        if not kr_range.minimum <= count <= kr_range.maximum:
            advice = "add key results" if count < kr_range.minimum else "keep the few that matter most"
            yield _at(
                codes.KR_COUNT,
                objective,
                "key_results",
                f"objective '{objective.id}' has {count} key result{'s' * (count != 1)}; "
                f"the expected range is {kr_range.minimum} to {kr_range.maximum}: {advice}",
            )
