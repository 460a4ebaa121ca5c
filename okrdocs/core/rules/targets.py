"""Targets that move: every key result whose target or start, or whose maintain band
(`min`, `max`), changed between two states.

Easing a target mid-period is legitimate, but never silent: `okrdocs diff` lists each
move, from -> to, marked eased when the target moved toward the start or past it (less
change asked in the KR's direction) or the band widened (more values count as kept), and
raised otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..domain.cascade import Cascade
from ..domain.model import KeyResult


@dataclass(frozen=True)
class TargetMove:
    objective_id: str
    kr_id: str
    kr_title: str
    field: str
    """`target`, `start`, or a maintain band's `min` or `max`, as the file names it."""
    old: float
    new: float
    eased: bool
    """Less change asked than before (`_eases`), or the band widened: less to do."""
    path: str
    line: int


def _eases(old: KeyResult, new: KeyResult) -> bool:
    """Whether the KR asks for less change than before, in its first direction: the
    target moved toward the start (or the start toward the target), or past it, so that
    the KR now points the other way. A start moved away from the target asks for more
    change and is raised, even though the same value then scores higher (the diff's
    score changes show that)."""
    if None in (old.start, old.target, new.start, new.target):
        return False
    assert old.start is not None and old.target is not None and new.start is not None and new.target is not None
    before, after = old.target - old.start, new.target - new.start
    return before != 0 and math.copysign(1.0, before) * after < abs(before)


def targets_moved(base: Cascade, head: Cascade) -> list[TargetMove]:
    """Each changed `target` or `start` of a key result in both states, by objective and KR."""
    found: list[TargetMove] = []
    for objective_id in sorted(base.objectives.keys() & head.objectives.keys()):
        old_krs = {kr.id: kr for kr in base.objectives[objective_id].key_results}
        seen: set[str] = set()
        for kr in head.objectives[objective_id].key_results:
            old_kr = old_krs.get(kr.id)
            if old_kr is None or kr.id in seen:
                continue
            seen.add(kr.id)
            eased = _eases(old_kr, kr)
            for name, attribute in _MOVABLE:
                old, new = getattr(old_kr, attribute), getattr(kr, attribute)
                if old is None or new is None or old == new:
                    continue
                eases = _BAND_EASES[name](old, new) if name in _BAND_EASES else eased
                line = kr.where.line_of(name)
                found.append(TargetMove(objective_id, kr.id, kr.title, name, old, new, eases, kr.where.path, line))
    return found


_MOVABLE = (("target", "target"), ("start", "start"), ("min", "minimum"), ("max", "maximum"))
"""The fields of a key result whose change is a moved target: (as the file names it, in the model)."""

_BAND_EASES = {"min": lambda old, new: new < old, "max": lambda old, new: new > old}
"""A maintain band is eased when it widens: its `min` lowered or its `max` raised."""
