"""What a change does to the OKRs: two checked states in, a change set out, as Markdown or JSON.

`compare` is a pure function of two `CheckResult`s, so it is tested without git; the
`okrdocs diff` command reads the two states from git revisions (see `revisions`).
Objectives are matched by id, key results by (objective id, KR id), delegations by
(objective id, KR id, team), and problems by (file, code, message) so that lines moving
up or down do not count as new problems.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..domain.cascade import Cascade
from ..domain.escaping import json_safe, markdown_code, markdown_text
from ..domain.model import KeyResult, Objective, number_text, percent, same_score
from ..domain.problems import Location, Problem
from ..domain.problems import counted as _plural
from .check import CheckResult
from .targets import TargetMove, targets_moved

_ON_LINE = re.compile(r"\bon line \d+")


@dataclass(frozen=True)
class Revision:
    """One side of the comparison, as shown to the reviewer."""

    label: str
    """What the user named: 'origin/main', 'HEAD~1', or 'working tree'."""
    commit: str | None = None

    def __str__(self) -> str:
        if self.commit is None:
            return self.label
        if self.commit.startswith(self.label):  # the user gave a commit id
            return f"`{self.commit[:7]}`"
        return f"`{self.label}` ({self.commit[:7]})"


@dataclass(frozen=True)
class ObjectiveInfo:
    id: str
    title: str
    team: str | None
    period: str | None
    parent: str | None
    path: str
    line: int

    @classmethod
    def of(cls, objective: Objective) -> ObjectiveInfo:
        return cls(
            objective.id,
            objective.title,
            objective.team_id,
            str(objective.period) if objective.period else None,
            str(objective.parent) if objective.parent else None,
            objective.where.path,
            objective.where.line,
        )


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Retitled:
    objective: ObjectiveInfo
    old_title: str


@dataclass(frozen=True)
class Moved:
    objective: ObjectiveInfo
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Delegation:
    """A key result delegated to a team, and who on that team picks it up (in one state)."""

    objective_id: str
    kr_id: str
    kr_title: str
    team: str
    picked_up_by: tuple[str, ...]
    path: str
    line: int

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.objective_id, self.kr_id, self.team)

    @property
    def broken(self) -> bool:
        return not self.picked_up_by


@dataclass(frozen=True)
class ScoreChange:
    objective_id: str
    kr_id: str
    kr_title: str
    old: float | None
    new: float | None
    derived: bool
    """The new score comes from the objectives that picked the KR up, not its own fields."""
    path: str
    line: int


@dataclass(frozen=True)
class WeightChange:
    """A key result's weight in the objective's score, before and after."""

    objective_id: str
    kr_id: str
    kr_title: str
    old: float
    new: float
    path: str
    line: int


@dataclass
class ChangeSet:
    added: list[ObjectiveInfo] = field(default_factory=list)
    removed: list[ObjectiveInfo] = field(default_factory=list)
    retitled: list[Retitled] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    delegations_added: list[Delegation] = field(default_factory=list)
    """In the head state, so `broken` says whether anyone picks them up now."""
    delegations_withdrawn: list[Delegation] = field(default_factory=list)
    """In the base state: who picked them up before."""
    delegations_broken: list[Delegation] = field(default_factory=list)
    """Delegations in both states that someone picked up before and no one does now."""
    scores: list[ScoreChange] = field(default_factory=list)
    weights: list[WeightChange] = field(default_factory=list)
    targets_moved: list[TargetMove] = field(default_factory=list)
    problems_introduced: list[Problem] = field(default_factory=list)
    problems_fixed: list[Problem] = field(default_factory=list)
    head_objectives: int = 0
    head_errors: int = 0
    head_warnings: int = 0

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.added,
                self.removed,
                self.retitled,
                self.moved,
                self.delegations_added,
                self.delegations_withdrawn,
                self.delegations_broken,
                self.scores,
                self.weights,
                self.targets_moved,
                self.problems_introduced,
                self.problems_fixed,
            )
        )


# -- comparing -----------------------------------------------------------------


def compare(base: CheckResult, head: CheckResult) -> ChangeSet:
    old, new = base.cascade.objectives, head.cascade.objectives
    changes = ChangeSet(
        added=[ObjectiveInfo.of(new[i]) for i in sorted(new.keys() - old.keys())],
        removed=[ObjectiveInfo.of(old[i]) for i in sorted(old.keys() - new.keys())],
        head_objectives=len(new),
        head_errors=len(head.errors),
        head_warnings=len(head.warnings),
    )
    for objective_id in sorted(old.keys() & new.keys()):
        before, after = old[objective_id], new[objective_id]
        info = ObjectiveInfo.of(after)
        if before.title != after.title:
            changes.retitled.append(Retitled(info, before.title))
        moves = _moves(ObjectiveInfo.of(before), info)
        if moves:
            changes.moved.append(Moved(info, moves))
    _compare_delegations(base.cascade, head.cascade, changes)
    changes.scores = _score_changes(base.cascade, head.cascade)
    changes.weights = _weight_changes(base.cascade, head.cascade)
    changes.targets_moved = targets_moved(base.cascade, head.cascade)
    # The gate's problems: coaching advice is the check's and the pages' (`okrdocs check`),
    # unless the rules configuration made it a warning or an error.
    head_gate, base_gate = _gate(head.problems), _gate(base.problems)
    changes.problems_introduced = _problems_only_in(head_gate, base_gate)
    changes.problems_fixed = _problems_only_in(base_gate, head_gate)
    return changes


def _moves(before: ObjectiveInfo, after: ObjectiveInfo) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, getattr(before, name), getattr(after, name))
        for name in ("parent", "team", "period")
        if getattr(before, name) != getattr(after, name)
    )


def delegations(cascade: Cascade) -> dict[tuple[str, str, str], Delegation]:
    found: dict[tuple[str, str, str], Delegation] = {}
    for objective in cascade.objectives.values():
        for kr in _unique_krs(objective):
            pickups = cascade.pickups_of(objective, kr)
            for team in kr.delegated_to:
                picked = tuple(sorted(o.id for o in pickups if o.team_id == team))
                delegation = Delegation(objective.id, kr.id, kr.title, team, picked, kr.where.path, kr.where.line)
                found.setdefault(delegation.key, delegation)
    return found


def _compare_delegations(base: Cascade, head: Cascade, changes: ChangeSet) -> None:
    before, after = delegations(base), delegations(head)
    changes.delegations_added = [after[k] for k in sorted(after.keys() - before.keys())]
    changes.delegations_withdrawn = [before[k] for k in sorted(before.keys() - after.keys())]
    changes.delegations_broken = [
        after[k] for k in sorted(after.keys() & before.keys()) if after[k].broken and not before[k].broken
    ]


def _unique_krs(objective: Objective) -> list[KeyResult]:
    """The objective's KRs, the first of two with one id (a duplicate is a reported error)."""
    seen: dict[str, KeyResult] = {}
    for kr in objective.key_results:
        seen.setdefault(kr.id, kr)
    return list(seen.values())


def _kept_krs(base: Cascade, head: Cascade) -> Iterator[tuple[Objective, KeyResult, Objective, KeyResult]]:
    """Each key result in both states: (objective, KR) before, then after."""
    for objective_id in sorted(base.objectives.keys() & head.objectives.keys()):
        before, after = base.objectives[objective_id], head.objectives[objective_id]
        old_krs = {kr.id: kr for kr in _unique_krs(before)}
        for kr in _unique_krs(after):
            old_kr = old_krs.get(kr.id)
            if old_kr is not None:
                yield before, old_kr, after, kr


def _score_changes(base: Cascade, head: Cascade) -> list[ScoreChange]:
    found = []
    for before, old_kr, after, kr in _kept_krs(base, head):
        old, new = base.kr_score(before, old_kr), head.kr_score(after, kr)
        if same_score(old, new):
            continue
        found.append(
            ScoreChange(
                after.id,
                kr.id,
                kr.title,
                old,
                new,
                kr.measured_score is None and new is not None,
                kr.where.path,
                kr.where.line,
            )
        )
    return found


def _weight_changes(base: Cascade, head: Cascade) -> list[WeightChange]:
    return [
        WeightChange(after.id, kr.id, kr.title, old_kr.weight, kr.weight, kr.where.path, kr.where.line)
        for _, old_kr, after, kr in _kept_krs(base, head)
        if old_kr.weight != kr.weight
    ]


def _problem_key(problem: Problem) -> tuple[str, str, tuple[str, ...]]:
    """A problem without its lines, also those of the other places its message names."""
    message = tuple(
        part.path if isinstance(part, Location) else _ON_LINE.sub("on line N", part) for part in problem.parts
    )
    return (problem.path, problem.code, message)


def _gate(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if not p.is_advice]


def _problems_only_in(these: list[Problem], others: list[Problem]) -> list[Problem]:
    remaining = Counter(_problem_key(p) for p in others)
    only = []
    for problem in these:
        key = _problem_key(problem)
        if remaining[key]:
            remaining[key] -= 1
        else:
            only.append(problem)
    return only


# -- rendering -------------------------------------------------------------------


def _score_pair(old: float | None, new: float | None) -> tuple[str, str]:
    """Percentages as the pages show them, or more digits when that would show the same
    number twice."""
    shown = percent(old, "no score"), percent(new, "no score")
    if shown[0] == shown[1] and old is not None and new is not None:
        return f"{old * 100:.4g}%", f"{new * 100:.4g}%"
    return shown


def _code(text: str | None) -> str:
    return markdown_code(text) if text else "none"


def _objective_line(info: ObjectiveInfo, root: str) -> str:
    details = [f"team {_code(info.team)}", info.period or "no period", f"parent {_code(info.parent)}"]
    return f"- {_code(info.id)} **{markdown_text(info.title)}**: {', '.join(details)} ({_code(posixpath.join(root, info.path))})"


def _kr_name(delegation: Delegation | ScoreChange | WeightChange) -> str:
    return f"{_code(f'{delegation.objective_id}#{delegation.kr_id}')} {markdown_text(delegation.kr_title)}"


def _problem_line(problem: Problem, root: str) -> str:
    kind = "" if problem.is_error else " (warning)"
    return f"- {_code(f'{problem.display_path(root)}:{problem.line}')} {problem.code}{kind} {markdown_text(problem.message_at(root))}"


def _headline(changes: ChangeSet) -> str:
    parts = []
    objectives = [
        (len(changes.added), "added"),
        (len(changes.removed), "removed"),
        (len(changes.retitled), "retitled"),
        (len(changes.moved), "moved"),
    ]
    counted = [f"{count} {word}" for count, word in objectives if count]
    if counted:
        parts.append("objectives: " + ", ".join(counted))
    delegated = [
        (len(changes.delegations_added), "added"),
        (len(changes.delegations_withdrawn), "withdrawn"),
        (len(changes.delegations_broken), "now broken"),
    ]
    counted = [f"{count} {word}" for count, word in delegated if count]
    if counted:
        parts.append("delegations: " + ", ".join(counted))
    if changes.scores:
        parts.append(_plural(len(changes.scores), "score") + " changed")
    if changes.weights:
        parts.append(_plural(len(changes.weights), "weight") + " changed")
    if changes.targets_moved:
        eased = sum(move.eased for move in changes.targets_moved)
        parts.append(_plural(len(changes.targets_moved), "target") + " moved" + (f" ({eased} eased)" if eased else ""))
    problems = [(len(changes.problems_introduced), "introduced"), (len(changes.problems_fixed), "fixed")]
    counted = [f"{count} {word}" for count, word in problems if count]
    if counted:
        parts.append("problems: " + ", ".join(counted))
    return " · ".join(parts)


def to_markdown(changes: ChangeSet, base: Revision, head: Revision, root: str = "") -> str:
    """The review summary: what a reviewer must look at first comes first."""
    out = [f"### OKR changes: {base} → {head}", ""]
    state = (
        f"After the change: {_plural(changes.head_objectives, 'objective')}, "
        f"{_plural(changes.head_errors, 'error')}, {_plural(changes.head_warnings, 'warning')}."
    )
    if changes.is_empty:
        out += ["No changes to objectives, delegations, scores or problems.", "", state]
        return "\n".join(out) + "\n"
    out += [f"**{_headline(changes)}**", "", state, ""]

    def section(title: str, lines: list[str]) -> None:
        if lines:
            out.extend([f"#### {title} ({len(lines)})", "", *lines, ""])

    section("Problems introduced", [_problem_line(p, root) for p in changes.problems_introduced])
    section("Objectives added", [_objective_line(o, root) for o in changes.added])
    section("Objectives removed", [_objective_line(o, root) for o in changes.removed])
    section(
        "Objectives retitled",
        [
            f"- {_code(r.objective.id)}: “{markdown_text(r.old_title)}” → **{markdown_text(r.objective.title)}**"
            for r in changes.retitled
        ],
    )
    section(
        "Objectives moved",
        [
            f"- {_code(m.objective.id)} **{markdown_text(m.objective.title)}**: "
            + "; ".join(f"{c.field} {_code(c.old)} → {_code(c.new)}" for c in m.changes)
            for m in changes.moved
        ],
    )
    section("Delegations added", [_added_delegation(d) for d in changes.delegations_added])
    section("Delegations withdrawn", [_withdrawn_delegation(d) for d in changes.delegations_withdrawn])
    section(
        "Delegations now broken",
        [
            f"- {_kr_name(d)} → team {_code(d.team)}: no objective of {_code(d.team)} picks it up any more"
            for d in changes.delegations_broken
        ],
    )
    section("Targets moved", [_target_line(move) for move in changes.targets_moved])
    section("Key result scores changed", [_score_line(s) for s in changes.scores])
    section(
        "Key result weights changed",
        [f"- {_kr_name(w)}: weight {number_text(w.old)} → {number_text(w.new)}" for w in changes.weights],
    )
    section("Problems fixed", [_problem_line(p, root) for p in changes.problems_fixed])
    return "\n".join(out).rstrip("\n") + "\n"


def _picked_up(delegation: Delegation) -> str:
    return ", ".join(_code(i) for i in delegation.picked_up_by)


def _added_delegation(delegation: Delegation) -> str:
    name = f"- {_kr_name(delegation)} → team {_code(delegation.team)}"
    if delegation.broken:
        return f"{name}: **broken**, no objective of {_code(delegation.team)} picks it up"
    return f"{name}: picked up by {_picked_up(delegation)}"


def _withdrawn_delegation(delegation: Delegation) -> str:
    name = f"- {_kr_name(delegation)} from team {_code(delegation.team)}"
    return f"{name} (was picked up by {_picked_up(delegation)})" if not delegation.broken else name


def _score_line(change: ScoreChange) -> str:
    old, new = _score_pair(change.old, change.new)
    source = " (from the objectives that pick it up)" if change.derived else ""
    return f"- {_kr_name(change)}: {old} → {new}{source}"


def _target_line(move: TargetMove) -> str:
    name = f"{_code(f'{move.objective_id}#{move.kr_id}')} {markdown_text(move.kr_title)}"
    shown = f"{move.field} {number_text(move.old)} → {number_text(move.new)}"
    return f"- {name}: {shown}, **{'eased' if move.eased else 'raised'}**"


def to_json(changes: ChangeSet, base: Revision, head: Revision, root: str = "") -> str:
    def objective(info: ObjectiveInfo) -> dict[str, Any]:
        return {
            "id": info.id,
            "title": info.title,
            "team": info.team,
            "period": info.period,
            "parent": info.parent,
            "path": posixpath.join(root, info.path),
            "line": info.line,
        }

    def delegation(d: Delegation) -> dict[str, Any]:
        return {
            "objective": d.objective_id,
            "key_result": d.kr_id,
            "title": d.kr_title,
            "team": d.team,
            "picked_up_by": list(d.picked_up_by),
            "broken": d.broken,
            "path": posixpath.join(root, d.path),
            "line": d.line,
        }

    document = {
        "base": {"label": base.label, "commit": base.commit},
        "head": {"label": head.label, "commit": head.commit},
        "objectives": {
            "added": [objective(o) for o in changes.added],
            "removed": [objective(o) for o in changes.removed],
            "retitled": [{**objective(r.objective), "old_title": r.old_title} for r in changes.retitled],
            "moved": [
                {**objective(m.objective), "changes": {c.field: {"old": c.old, "new": c.new} for c in m.changes}}
                for m in changes.moved
            ],
        },
        "delegations": {
            "added": [delegation(d) for d in changes.delegations_added],
            "withdrawn": [delegation(d) for d in changes.delegations_withdrawn],
            "broken": [delegation(d) for d in changes.delegations_broken],
        },
        "scores": [
            {
                "objective": s.objective_id,
                "key_result": s.kr_id,
                "title": s.kr_title,
                "old": s.old,
                "new": s.new,
                "derived": s.derived,
                "path": posixpath.join(root, s.path),
                "line": s.line,
            }
            for s in changes.scores
        ],
        "weights": [
            {
                "objective": w.objective_id,
                "key_result": w.kr_id,
                "title": w.kr_title,
                "old": w.old,
                "new": w.new,
                "path": posixpath.join(root, w.path),
                "line": w.line,
            }
            for w in changes.weights
        ],
        "targets_moved": [
            {
                "objective": move.objective_id,
                "key_result": move.kr_id,
                "field": move.field,
                "from": move.old,
                "to": move.new,
                "eased": move.eased,
                "path": posixpath.join(root, move.path),
                "line": move.line,
            }
            for move in changes.targets_moved
        ],
        "problems": {
            "introduced": [p.as_dict(root) for p in changes.problems_introduced],
            "fixed": [p.as_dict(root) for p in changes.problems_fixed],
        },
        "head_state": {
            "objectives": changes.head_objectives,
            "errors": changes.head_errors,
            "warnings": changes.head_warnings,
        },
    }
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False))
