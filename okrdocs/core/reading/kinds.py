"""Kinds of key result: which fields belong to each, checked at their lines.

A metric moves from `start` to `target` (`current` now; or a `progress` score); a
milestone is `done` or not; a maintain band keeps `current` inside `min` and/or `max`.
A field of another kind is a mistake (OKR202) at its own line: the score would ignore it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..domain import problems as codes
from ..domain.model import KeyResult, number_text

FIELDS_OF_KIND: dict[str, frozenset[str]] = {
    "metric": frozenset({"start", "target", "current", "unit", "progress"}),
    "milestone": frozenset({"done"}),
    "maintain": frozenset({"current", "unit", "min", "max"}),
}
"""The measuring fields each kind reads; every kind also has id, title, delegated_to and kind."""
_MEASURING = frozenset().union(*FIELDS_OF_KIND.values())

Report = Callable[[codes.Code, int, str], None]


def check_kind_fields(kr: KeyResult, record: dict[Any, Any], report: Report) -> bool:
    """Report each field that does not belong to the key result's kind, and a band with
    neither bound; True when the fields fit the kind (metric checks follow then)."""
    own = FIELDS_OF_KIND[kr.kind]
    fits = True
    for name in record:
        if name in _MEASURING and name not in own and record.get(name) is not None:
            fits = False
            where = ", ".join(kind for kind, names in FIELDS_OF_KIND.items() if name in names)
            report(
                codes.INVALID_VALUE,
                kr.where.line_of(str(name)),
                f"key result '{kr.id}' is a {kr.kind}, and '{name}' belongs to kind {where}: "
                f"remove it, or set 'kind: {where.split(', ')[0]}'",
            )
    if kr.kind == "maintain":
        fits = _check_band(kr, record, report) and fits
    return fits


def _check_band(kr: KeyResult, record: dict[Any, Any], report: Report) -> bool:
    """A band needs a bound (an empty `min: ~` is none; a bound of the wrong type is
    reported already), and its `min` at most its `max`."""
    if all(record.get(name) is None for name in ("min", "max")):
        report(
            codes.MISSING_FIELD,
            kr.where.line_of("kind"),
            f"key result '{kr.id}' is a maintain band without 'min' or 'max': give the band's bounds, like 'min: 99.5'",
        )
        return False
    if kr.minimum is not None and kr.maximum is not None and kr.minimum > kr.maximum:
        report(
            codes.INVALID_VALUE,
            kr.where.line_of("max"),
            f"key result '{kr.id}' has 'min' {number_text(kr.minimum)} above 'max' {number_text(kr.maximum)}, "
            "so no value is inside the band: swap them",
        )
        return False
    return True
