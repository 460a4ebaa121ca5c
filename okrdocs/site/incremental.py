"""What changed since the last build of the same process, so a `mkdocs serve` rebuild
redoes the work of what changed only: the keys of the pages that show a changed
objective (`site.page_inputs`) and okrs.json's entries of the changed objectives.

An objective "changed" when its file's bytes did (the parse cache kept across rebuilds
hands back the very same, never modified, `Objective` for unchanged bytes) or when a
value computed from other files did: its score, its key results' scores, its history
points, "updated" and "stale". Those are compared for every objective, which costs a
fraction of what hashing every page does.

The pages that show an objective are those whose key, the last time it was made, read
that objective's facts (`PageInputs.key`). That holds while no page starts or stops
showing an objective: when anything structural changed (an objective's parent, team,
period, contributions or key results (their delegations and dependencies), the set of pages and their URLs, the teams, the vision, what
every page shares), everything is made again, as in a first build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..core.domain.cascade import Cascade
from ..core.domain.model import Objective
from ..core.history.timeline import SECONDS_PER_DAY, Timeline
from .export import json_text, objective_as_json, okrs_json
from .layout import OkrPage
from .page_inputs import PageInputs


def _state(cascade: Cascade, time: Timeline, objective: Objective) -> tuple[Any, ...]:
    """What pages and okrs.json show of an objective besides its file: values computed
    from other files and from the history."""
    krs = objective.key_results
    return (
        cascade.objective_score(objective),
        [cascade.kr_score(objective, kr) for kr in krs],
        time.objective_points(objective),
        [time.kr_points(objective, kr) for kr in krs],
        time.updated_iso(objective),
        time.is_stale(objective),
    )


def _structure(objective: Objective) -> tuple[Any, ...]:
    """What decides which pages show an objective and what its neighbours are: its links
    (parent, contributions, delegations and dependencies) show it on other pages."""
    krs = [(kr.id, kr.delegated_to, kr.depends_on) for kr in objective.key_results]
    return (objective.parent, objective.team_id, str(objective.period), krs, objective.contributes_to)


@dataclass
class _Build:
    """What one build was made from, and what it made."""

    whole: tuple[Any, ...]
    """Everything shared: when it changes, nothing is reused."""
    objectives: dict[str, Objective]
    states: dict[str, tuple[Any, ...]]
    changes: tuple[dict[str | None, Any], dict[str | None, Any]]
    keys: dict[OkrPage, str] = field(default_factory=dict)
    shows: dict[str, set[OkrPage]] = field(default_factory=dict)
    """Objective id: the pages whose key read its facts."""
    json_entries: dict[str, str] = field(default_factory=dict)
    """Objective id: its entry in okrs.json, as JSON text."""
    memo: dict[tuple[str, str], tuple[str, frozenset[str]]] = field(default_factory=dict)
    """`PageInputs.memo`: the hashes of the views of objectives, which pages share."""


class BuildMemory:
    """The last build of this process (kept in `BuildCaches`), and what changed since."""

    def __init__(self) -> None:
        self._last: _Build | None = None
        self._now: _Build | None = None
        self._changed: set[str] | None = None
        """Ids of the objectives that changed since the last build; None: start over."""
        self.keys_made = 0
        """Page keys the last `page_keys` made (the others were carried over): for tests."""

    def start(self, cascade: Cascade, urls: dict[OkrPage, str], time: Timeline, common: str) -> None:
        """Begin a build: compare it with the last one."""
        repository = cascade.repository
        whole = (
            common,
            urls,
            repository.vision,
            list(cascade.teams.values()),
            time.as_of // SECONDS_PER_DAY,
            str(time.current),
            time.history.head,
        )
        states = {oid: _state(cascade, time, objective) for oid, objective in cascade.objectives.items()}
        self._last, self._changed = self._now, None
        self._now = _Build(whole, dict(cascade.objectives), states, ({}, {}))
        last = self._last
        if last is None or not _same(last.whole, whole) or last.objectives.keys() != cascade.objectives.keys():
            return
        changed = {
            oid
            for oid, objective in cascade.objectives.items()
            if last.objectives[oid] is not objective or last.states[oid] != states[oid]
        }
        if any(_structure(last.objectives[oid]) != _structure(cascade.objectives[oid]) for oid in changed):
            return
        self._changed = changed

    def page_keys(self, inputs: PageInputs, common: str) -> dict[OkrPage, str]:
        """Every page's key: made again for the pages that show a changed objective, or
        whose recent changes changed; carried over for the others."""
        now = self._require()
        now.changes = (inputs.changes_by_team, inputs.changes_by_period)
        last = self._last
        if self._changed is None or last is None or not last.keys:
            pages: list[OkrPage] = list(inputs.urls)
            keys: dict[OkrPage, str] = {}
            shows: dict[str, set[OkrPage]] = {}
        else:
            stale = {page for oid in self._changed for page in last.shows.get(oid, ())}
            stale |= _changed_lists("team", last.changes[0], now.changes[0])
            stale |= _changed_lists("period", last.changes[1], now.changes[1])
            pages = [page for page in stale if page in inputs.urls]
            keys, shows = dict(last.keys), last.shows  # the same pages show the same objectives
            changed = self._changed
            # The views (a card, a row, a diagram node) that read no changed objective.
            inputs.memo.update((view, made) for view, made in last.memo.items() if made[1].isdisjoint(changed))
        for page in pages:
            keys[page], read = inputs.key(common, page)
            for oid in read:
                shows.setdefault(oid, set()).add(page)
        now.keys, now.shows, now.memo = keys, shows, inputs.memo
        self.keys_made = len(pages)
        return keys

    def okrs_json(self, cascade: Cascade, urls: dict[OkrPage, str], time: Timeline) -> str:
        """okrs.json's text (`export.okrs_json`), with the entries of unchanged objectives
        carried over as text."""
        now, last, changed = self._require(), self._last, self._changed
        reuse = last.json_entries if last is not None and changed is not None else {}

        def entry(objective: Objective) -> str:
            text = reuse.get(objective.id) if objective.id not in (changed or ()) else None
            if text is None:
                text = json_text(objective_as_json(cascade, objective, urls, time))
            now.json_entries[objective.id] = text
            return text

        return okrs_json(cascade, urls, time, entry)

    def _require(self) -> _Build:
        assert self._now is not None, "start() begins a build"
        return self._now


def _same(last: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    """Equal, comparing the teams and the vision as objects: the parse cache hands back the
    same ones while their files' bytes are unchanged."""
    common, urls, vision, teams, *rest = now
    last_common, last_urls, last_vision, last_teams, *last_rest = last
    return (
        common == last_common
        and urls == last_urls
        and vision is last_vision
        and len(teams) == len(last_teams)
        and all(team is other for team, other in zip(teams, last_teams, strict=True))
        and rest == last_rest
    )


def _changed_lists(
    kind: Literal["team", "period"], last: dict[str | None, Any], now: dict[str | None, Any]
) -> set[OkrPage]:
    """The team (or period) pages whose list of recent changes changed."""
    return {OkrPage(kind, key) for key in last.keys() | now.keys() if key and last.get(key) != now.get(key)}
