"""Scores after each commit of the history, computed again only where the commit reached.

A score depends on the objective's own key results and on the objectives that picked them
up, and on nothing above it. So a commit changes the scores of the objectives it touched
and of the objectives above them (through `parent`, before and after the commit), and no
others: those are scored again with the cascade's own rules (`Cascade.kr_score`), and
every other score is the last one the history recorded. Reading 600 one-file commits of
5,000 objectives then costs 600 short chains, not 600 whole cascades.

The result is what scoring the whole folder after every commit gives, in the same order:
objectives are scored in the order of their files' paths, as `resolve` orders them, so
even the scores of a cycle (which depend on where scoring enters it) come out the same.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, MutableMapping, Sequence
from typing import Protocol

from ..domain.cascade import Cascade
from ..domain.model import Objective, Repository

_KrKey = tuple[str, str]


class Scored(Protocol):
    @property
    def score(self) -> float | None: ...


class Rescorer:
    """The folder's objectives at the last commit read, indexed by id and by the key
    result each one picked up."""

    def __init__(self, state: dict[str, Objective]) -> None:
        self.state: dict[str, Objective] = {}
        """By path relative to the OKR folder."""
        self._paths: dict[str, set[str]] = defaultdict(set)
        self._winners: dict[str, Objective] = {}
        """By id: the first file of that id in path order, as in `resolve`."""
        self._picked: dict[_KrKey, set[str]] = defaultdict(set)
        self._pickups: dict[_KrKey, list[Objective]] = {}
        self._picks: dict[str, _KrKey] = {}
        self.apply(state.items())

    def apply(self, changes: Iterable[tuple[str, Objective | None]]) -> set[str]:
        """Take a commit's changed files (path, objective or None when gone or unreadable);
        the ids whose scores may have changed."""
        changes = list(changes)
        touched = {o.id for path, new in changes for o in (self.state.get(path), new) if o is not None}
        reached = self._above(touched)
        for path, new in changes:
            old = self.state.pop(path, None)
            if old is not None:
                self._paths[old.id].discard(path)
            if new is not None:
                self.state[path] = new
                self._paths[new.id].add(path)
        for objective_id in touched:
            self._index(objective_id)
        return reached | self._above(touched)

    def cascade(self, fresh: set[str], key_results: Mapping[str, Sequence[Scored]]) -> Cascade:
        """A cascade over the current objectives in which the key results of the `fresh`
        ids are scored anew, and every other one scores as its last point in `key_results`
        (by `objective-id#kr-id`) says."""
        cascade = Cascade(Repository(), objectives=self._winners, pickups=self._pickups)
        cascade._kr_scores = _Memo(key_results, fresh)
        return cascade

    @property
    def winners(self) -> Mapping[str, Objective]:
        """The current objectives by id, as `resolve` picks them."""
        return self._winners

    def in_path_order(self, ids: set[str]) -> list[Objective]:
        """The current objectives among `ids`, in the order `resolve` gives them."""
        present = [self._winners[i] for i in ids if i in self._winners]
        return sorted(present, key=lambda objective: objective.where.path)

    # -- the index ------------------------------------------------------------------

    def _above(self, ids: set[str]) -> set[str]:
        """`ids` and the ids of every objective above them through `parent`."""
        reached: set[str] = set()
        for objective_id in ids:
            current: str | None = objective_id
            while current is not None and current not in reached:
                reached.add(current)
                objective = self._winners.get(current)
                parent = objective.parent if objective is not None else None
                current = parent.objective_id if parent is not None else None
        return reached

    def _index(self, objective_id: str) -> None:
        """Index the objective that now has this id (or none), and what it picked up."""
        old_pick = self._picks.pop(objective_id, None)
        if old_pick is not None:
            self._picked[old_pick].discard(objective_id)
        paths = self._paths.get(objective_id)
        new_pick: _KrKey | None = None
        if paths:
            winner = self.state[min(paths)]
            self._winners[objective_id] = winner
            parent = winner.parent
            if parent is not None and parent.objective_id is not None and parent.kr_id is not None:
                new_pick = (parent.objective_id, parent.kr_id)
                self._picks[objective_id] = new_pick
                self._picked[new_pick].add(objective_id)
        else:
            self._paths.pop(objective_id, None)
            self._winners.pop(objective_id, None)
        for key in {old_pick, new_pick} - {None}:
            assert key is not None
            self._pickups[key] = self.in_path_order(self._picked[key])


class _Memo(MutableMapping[_KrKey, "float | None"]):
    """`Cascade`'s memo of key result scores, starting from each key result's last recorded
    score, except those of the objectives in `fresh`, which are scored anew."""

    def __init__(self, key_results: Mapping[str, Sequence[Scored]], fresh: set[str]) -> None:
        self._scored: dict[_KrKey, float | None] = {}
        self._series, self._fresh = key_results, fresh

    def _last(self, key: _KrKey) -> Sequence[Scored] | None:
        return None if key[0] in self._fresh else self._series.get(f"{key[0]}#{key[1]}")

    def __contains__(self, key: object) -> bool:
        return key in self._scored or (isinstance(key, tuple) and self._last(key) is not None)

    def __getitem__(self, key: _KrKey) -> float | None:
        if key in self._scored:
            return self._scored[key]
        series = self._last(key)
        if not series:
            raise KeyError(key)
        return series[-1].score

    def __setitem__(self, key: _KrKey, score: float | None) -> None:
        self._scored[key] = score

    def __delitem__(self, key: _KrKey) -> None:
        del self._scored[key]

    def __iter__(self) -> Iterator[_KrKey]:
        return iter(self._scored)

    def __len__(self) -> int:
        return len(self._scored)
