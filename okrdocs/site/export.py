"""`okrs.json`: the whole resolved cascade, for other tools (dashboards, chat bots, audits).

The shape is documented in the README ("okrs.json"); `version` changes only when a field
is removed or changes meaning.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ..core.domain.cascade import Cascade
from ..core.domain.links import Dependency
from ..core.domain.model import KeyResult, Objective
from ..core.domain.problems import Problem
from ..core.history.changes import ChangeEntry
from ..core.history.checkins import Point
from ..core.history.closing import final_score
from ..core.history.timeline import Timeline, iso_datetime
from .pages import OkrPage
from .text import plain_text

JSON_VERSION = 1


def okrs_json(
    cascade: Cascade,
    urls: dict[OkrPage, str],
    time: Timeline | None = None,
    entry: Callable[[Objective], str] | None = None,
) -> str:
    """The file's text, compact: json's C encoder does not indent, so this is the fast
    way on a large organisation. `entry`: an objective's entry as JSON text, when the
    caller keeps them between builds (`site.incremental`)."""
    time = time or Timeline.today()
    if entry is None:
        made = time

        def entry(objective: Objective) -> str:
            return json_text(objective_as_json(cascade, objective, urls, made))

    content = cascade_as_json(cascade, urls, time, with_objectives=False)
    changes = content.pop("changes")
    objectives = ",".join(entry(o) for o in sorted(cascade.objectives.values(), key=lambda o: o.id))
    # The keys in the order cascade_as_json gives them.
    return f'{json_text(content)[:-1]},"objectives":[{objectives}],"changes":{json_text(changes)}}}'


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def cascade_as_json(
    cascade: Cascade, urls: dict[OkrPage, str], time: Timeline | None = None, with_objectives: bool = True
) -> dict[str, Any]:
    time = time or Timeline.today()
    vision = cascade.repository.vision
    content: dict[str, Any] = {
        "version": JSON_VERSION,
        "vision": None
        if vision is None
        else {"statement": vision.statement, "horizon": vision.horizon, "url": urls.get(OkrPage("vision"))},
        "teams": [
            {
                "id": team.id,
                "name": team.name,
                "parent": team.parent_id,
                "lead": team.lead,
                "reviewers": list(team.reviewers),
                "url": urls.get(OkrPage("team", team.id)),
                "objectives": [o.id for o in cascade.objectives_by_team.get(team.id, [])],
                "depends_on": [_dependency(d) for d in cascade.links.depends_on.get(team.id, [])],
                "depended_on_by": [_dependency(d) for d in cascade.links.depended_on_by.get(team.id, [])],
                "advice": [_note(note) for note in cascade.team_notes_of(team)],
            }
            for team in sorted(cascade.teams.values(), key=lambda t: t.id)
        ],
    }
    if with_objectives:
        content["objectives"] = [
            objective_as_json(cascade, objective, urls, time)
            for objective in sorted(cascade.objectives.values(), key=lambda o: o.id)
        ]
    content["changes"] = [change_as_json(change) for change in time.changes(cascade.objectives.values())]
    return content


def change_as_json(change: ChangeEntry) -> dict[str, Any]:
    """One row of `changes`, as okrs.json and `okrdocs report --format json` write it."""
    return {
        "date": iso_datetime(change.date),
        "commit": change.commit,
        "objective": change.objective,
        "key_result": change.key_result,
        "kind": change.kind,
        "from": change.before,
        "to": change.after,
    }


def _alignment(objective: Objective) -> str | None:
    if objective.parent is None:
        return None
    if objective.parent.is_vision:
        return "vision"
    return "tight" if objective.parent.is_tight else "loose"


def objective_as_json(
    cascade: Cascade, objective: Objective, urls: dict[OkrPage, str], time: Timeline
) -> dict[str, Any]:
    """One entry of `objectives`."""
    parent = objective.parent
    return {
        "id": objective.id,
        "title": objective.title,
        "title_text": plain_text(objective.title),
        "team": objective.team_id,
        "owner": objective.owner,
        "period": str(objective.period) if objective.period else None,
        "parent": str(parent) if parent else None,
        "alignment": _alignment(objective),
        "status": objective.status,
        "confidence": objective.confidence,
        "tags": list(objective.tags),
        "commitment": cascade.commitment_of(objective),
        "score": cascade.objective_score(objective),
        "final_score": final_score(cascade, objective, time),
        "retrospective": objective.retrospective,
        **_pace(time, objective, cascade.objective_score(objective)),
        "history": _points(time.objective_points(objective)),
        "updated": time.updated_iso(objective),
        "stale": time.is_stale(objective),
        "url": urls.get(OkrPage("objective", objective.id)),
        "source": objective.where.path,
        "chain": [o.id for o in cascade.chain(objective)],
        "children": [o.id for o in cascade.children.get(objective.id, [])],
        "contributes_to": [c.ref for c in cascade.links.contributions_from.get(objective.id, [])],
        "contributors": [o.id for o in cascade.links.contributors_of(objective)],
        "key_results": [_key_result(cascade, objective, kr, time) for kr in objective.key_results],
        "advice": [_note(note) for note in cascade.notes_of(objective)],
    }


def _note(note: Problem) -> dict[str, Any]:
    """A coaching finding of an objective's file or a team's entry, as configured (`severity`
    advice unless moved)."""
    return {"code": note.code, "line": note.line, "severity": note.severity.value, "message": note.message}


def _key_result(cascade: Cascade, objective: Objective, kr: KeyResult, time: Timeline) -> dict[str, Any]:
    return {
        "id": kr.id,
        "title": kr.title,
        "title_text": plain_text(kr.title),
        "delegated_to": list(kr.delegated_to),
        "picked_up_by": [o.id for o in cascade.pickups_of(objective, kr)],
        "contributors": [o.id for o in cascade.links.contributors_of(objective, kr)],
        "weight": kr.weight,
        "depends_on": [_dependency(d) for d in cascade.links.dependencies_of(objective, kr)],
        "start": kr.start,
        "target": kr.target,
        "current": kr.current,
        "unit": kr.unit,
        "progress": kr.progress,
        "kind": kr.kind,
        "done": kr.done,
        "min": kr.minimum,
        "max": kr.maximum,
        "score": cascade.kr_score(objective, kr),
        **_pace(time, objective, cascade.kr_score(objective, kr), kr),
        "history": _points(time.kr_points(objective, kr)),
    }


def _dependency(dependency: Dependency) -> dict[str, Any]:
    """One dependency, the same on the key result and on both teams."""
    return {
        "objective": dependency.objective.id,
        "key_result": dependency.kr.id,
        "team": dependency.objective.team_id,
        "on_team": dependency.team_id,
        "confirmed": dependency.confirmed,
        "confirmed_by": [o.id for o in dependency.confirmed_by],
    }


def _pace(time: Timeline, objective: Objective, score: float | None, kr: KeyResult | None = None) -> dict[str, Any]:
    """`expected`, `behind_pace` and `forecast`: null unless the objective is current."""
    return {
        "expected": time.expected(objective),
        "behind_pace": time.is_behind(objective, score),
        "forecast": time.forecast(objective, kr),
    }


def _points(points: list[Point]) -> list[dict[str, Any]]:
    return [{"date": iso_datetime(p.date), "commit": p.commit, "score": p.score} for p in points]
