"""`okrdocs schema` and `okrdocs check` agree on the fields of issue 24: `contributes_to`,
a key result's `weight` and `depends_on`, and a team's `reviewers`. The records and the
checking helpers are those of test_schema.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_schema import OBJECTIVE, TEAMS, _check, _check_teams, _kr, _team, _with, schema_errors

VALID_OBJECTIVES: dict[str, dict[str, Any]] = {
    "a contribution to an objective": _with(contributes_to="help"),
    "contributions to objectives and key results": _with(contributes_to=["help", "grow#kr2"]),
    "an empty contributes_to": _with(contributes_to=None),
    "a whole weight": _kr(weight=2),
    "a fractional weight": _kr(weight=0.5),
    "a dependency on one team": _kr(depends_on="support"),
    "dependencies on teams": _kr(depends_on=["support", "company"]),
}

INVALID_OBJECTIVES: dict[str, dict[str, Any]] = {
    "a contribution to the vision": _with(contributes_to="vision"),
    "the vision in a list of contributions": _with(contributes_to=["help", "vision"]),
    "an empty list of contributions": _with(contributes_to=[]),
    "a contribution with capitals": _with(contributes_to="Help"),
    "a contribution with two hashes": _with(contributes_to="grow#kr1#x"),
    "a contribution as a number": _with(contributes_to=5),
    "a weight of zero": _kr(weight=0),
    "a negative weight": _kr(weight=-1),
    "a weight as text": _kr(weight="2"),
    "a weight as a boolean": _kr(weight=True),
    "a dependency on a bad team id": _kr(depends_on="Support"),
    "an empty list of dependencies": _kr(depends_on=[]),
}


@pytest.mark.parametrize("case", sorted(VALID_OBJECTIVES))
def test_schema_and_check_accept(case: str, okr_folder: Callable[..., Path]) -> None:
    record = VALID_OBJECTIVES[case]
    assert schema_errors(OBJECTIVE, record) == []
    assert _check(okr_folder, record) == []


@pytest.mark.parametrize("case", sorted(INVALID_OBJECTIVES))
def test_schema_and_check_reject(case: str, okr_folder: Callable[..., Path]) -> None:
    record = INVALID_OBJECTIVES[case]
    assert schema_errors(OBJECTIVE, record), f"the schema accepts {case}"
    assert "OKR202" in _check(okr_folder, record), f"okrdocs check does not report OKR202 for {case}"


@pytest.mark.parametrize("reviewers", ["@dana", ["@acme/sales-leads", "@dana"], ["@group/sub-group/team_x.y"], None])
def test_schema_and_check_accept_reviewers(reviewers: Any, okr_folder: Callable[..., Path]) -> None:
    teams = _team(reviewers=reviewers)
    assert schema_errors(TEAMS, teams) == []
    assert _check_teams(okr_folder, teams) == []


@pytest.mark.parametrize(
    "reviewers", ["dana", "@dana smith", "@", "@dana\n", "@acme//leads", "@#leads", [], ["@dana", "sales"], 5]
)
def test_schema_and_check_reject_reviewers(reviewers: Any, okr_folder: Callable[..., Path]) -> None:
    teams = _team(reviewers=reviewers)
    assert schema_errors(TEAMS, teams), f"the schema accepts {reviewers!r}"
    assert "OKR202" in _check_teams(okr_folder, teams)
