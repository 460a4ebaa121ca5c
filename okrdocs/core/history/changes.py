"""What changed in a check-in: the rows of okrs.json's `changes` and the pages' "Changes
in the last N days".

Each commit that touched the OKR folder is compared with the folder before it, objective
by objective (by id, so a file moved or renamed is no change): objectives added and
removed, status changes, each key result's score and current value from -> to, teams
dropped from a key result's `delegated_to` (withdrawn), and objectives that start picking
up a delegated key result (picked up). Objectives that went stale are no commit's doing:
`Timeline` adds them from the build date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from ..domain.model import Objective, same_score

Kind = Literal["added", "removed", "status", "score", "value", "picked-up", "withdrawn", "stale"]
KINDS: tuple[Kind, ...] = get_args(Kind)
Value = str | float | None


@dataclass(frozen=True, slots=True)
class ChangeEntry:
    """One thing that changed, on a date, in a commit (None: the build date's doing)."""

    date: int
    commit: str | None
    objective: str
    key_result: str | None
    kind: Kind
    before: Value
    after: Value
    team: str | None
    """The objective's team then: which team page lists the change."""
    period: str | None
    """The objective's period then, as written: which period page lists it."""


_Add = Callable[[Objective, "str | None", Kind, Value, Value], None]


def commit_changes(
    before: Mapping[str, Objective],
    after: Mapping[str, Objective],
    folder: Mapping[str, Objective],
    date: int,
    commit: str,
) -> list[ChangeEntry]:
    """The changes a commit made: `before` and `after` hold the objectives of the files it
    changed (by id), `folder` every objective after it (by id), where the delegating
    objective of a key result picked up is found."""
    out: list[ChangeEntry] = []

    def add(o: Objective, kr: str | None, kind: Kind, old: Value, new: Value) -> None:
        out.append(ChangeEntry(date, commit, o.id, kr, kind, old, new, o.team_id, _label(o)))

    for objective_id in sorted(before.keys() | after.keys()):
        old, new = before.get(objective_id), after.get(objective_id)
        if new is None:
            assert old is not None
            add(old, None, "removed", None, None)
            continue
        if old is None:
            add(new, None, "added", None, None)
        else:
            if old.status != new.status:
                add(new, None, "status", old.status, new.status)
            _key_result_changes(old, new, add)
        _pickup(old, new, folder, out.append, date, commit)
    return out


def _key_result_changes(old: Objective, new: Objective, add: _Add) -> None:
    for kr in new.key_results:
        was = old.key_result(kr.id)
        if not _same(was.progress if was else None, kr.progress):
            add(new, kr.id, "score", was.progress if was else None, kr.progress)
        if not _same(was.current if was else None, kr.current):
            add(new, kr.id, "value", was.current if was else None, kr.current)
        for team in was.delegated_to if was else ():
            if team not in kr.delegated_to:
                add(new, kr.id, "withdrawn", team, None)


def _pickup(
    old: Objective | None,
    new: Objective,
    folder: Mapping[str, Objective],
    add: Callable[[ChangeEntry], None],
    date: int,
    commit: str,
) -> None:
    """A row when `new` starts picking up a delegated key result: listed under the
    delegating objective and its team, `to` the objective that picked it up."""
    parent = new.parent
    if parent is None or parent.objective_id is None or parent.kr_id is None:
        return
    if old is not None and old.parent == parent:
        return
    delegator = folder.get(parent.objective_id)
    team, period = (delegator.team_id, _label(delegator)) if delegator else (None, None)
    add(ChangeEntry(date, commit, parent.objective_id, parent.kr_id, "picked-up", None, new.id, team, period))


def _label(objective: Objective) -> str | None:
    return None if objective.period is None else str(objective.period)


def _same(old: Value, new: Value) -> bool:
    if isinstance(old, (int, float)) and isinstance(new, (int, float)):
        return same_score(old, new)
    return old == new


def stale_entry(objective: Objective, date: int) -> ChangeEntry:
    """The row for an objective that went stale at `date`."""
    return ChangeEntry(date, None, objective.id, None, "stale", None, None, objective.team_id, _label(objective))


def by_date(entries: Iterable[ChangeEntry]) -> list[ChangeEntry]:
    """Oldest first; the rows of one commit in the order they were made."""
    return sorted(entries, key=lambda entry: entry.date)
