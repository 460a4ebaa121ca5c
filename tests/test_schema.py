"""`okrdocs schema`: the JSON Schemas agree with `okrdocs check` on the demo and on bad input."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from okrdocs.core.reading.fields import KEY_RESULT_FIELDS, OBJECTIVE_FIELDS, TEAM_FIELDS, VISION_FIELDS
from okrdocs.core.reading.frontmatter import split_front_matter
from okrdocs.core.reading.loading import objective_files
from okrdocs.core.reading.schema import FRAGMENTS, SCHEMAS
from okrdocs.core.rules.check import check_folder

DEMO = Path(__file__).resolve().parent.parent / "okrs"
OBJECTIVE = jsonschema.Draft202012Validator(SCHEMAS["objective"]())
TEAMS = jsonschema.Draft202012Validator(SCHEMAS["teams"]())
VISION = jsonschema.Draft202012Validator(SCHEMAS["vision"]())


def editor_view(data: Any) -> Any:
    """The data as an editor's YAML 1.2 parser sees it: dates are plain strings there."""
    if isinstance(data, dict):
        return {key: editor_view(value) for key, value in data.items()}
    if isinstance(data, list):
        return [editor_view(value) for value in data]
    if isinstance(data, (datetime.date, datetime.datetime)):
        return data.isoformat()
    return data


def front_matter(path: Path) -> Any:
    source = split_front_matter(path.read_text(encoding="utf-8"))
    assert source is not None
    return editor_view(yaml.safe_load(source.front_matter))


def schema_errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [error.message for error in validator.iter_errors(data)]


# -- the schemas themselves -------------------------------------------------------


def test_every_check_has_a_schema_fragment() -> None:
    for specs in (OBJECTIVE_FIELDS, KEY_RESULT_FIELDS, TEAM_FIELDS, VISION_FIELDS):
        for spec in specs.values():
            assert spec.check in FRAGMENTS, f"add a JSON Schema fragment for {spec.check.__name__} in okrdocs/schema.py"


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schemas_are_valid_for_2020_12_and_draft_07_tools(name: str) -> None:
    schema = SCHEMAS[name]()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft7Validator.check_schema(schema)  # what the YAML language server reads


def test_the_schema_fields_are_the_spec_fields() -> None:
    objective = SCHEMAS["objective"]()
    assert list(objective["properties"]) == list(OBJECTIVE_FIELDS)
    assert objective["required"] == ["team", "period", "parent", "key_results"]
    assert "title" not in objective["required"]
    assert "cannot see the Markdown body" in objective["properties"]["title"]["description"]
    key_result = objective["$defs"]["key_result"]
    assert list(key_result["properties"]) == list(KEY_RESULT_FIELDS)
    assert key_result["required"] == ["id", "title"]
    assert list(SCHEMAS["teams"]()["$defs"]["team"]["properties"]) == list(TEAM_FIELDS)


@pytest.mark.parametrize("name", ["objective", "teams", "vision"])
def test_the_command_prints_the_schema(name: str, okrdocs: Callable[..., Any]) -> None:
    run = okrdocs("schema", name)
    assert run.status == 0
    assert json.loads(run.out) == SCHEMAS[name]()


def test_an_unknown_schema_is_a_usage_error(okrdocs: Callable[..., Any]) -> None:
    run = okrdocs("schema", "objectives")
    assert run.status == 2
    assert "invalid choice: 'objectives'" in run.err


# -- the demo organisation ---------------------------------------------------------


@pytest.mark.parametrize("relative", sorted(objective_files(DEMO)))
def test_every_demo_objective_validates(relative: str) -> None:
    assert schema_errors(OBJECTIVE, front_matter(DEMO / relative)) == []


def test_demo_teams_and_vision_validate() -> None:
    teams = editor_view(yaml.safe_load((DEMO / "teams.yml").read_text(encoding="utf-8")))
    assert schema_errors(TEAMS, teams) == []
    assert schema_errors(VISION, front_matter(DEMO / "vision.md")) == []


# -- schema and check agree, record by record ---------------------------------------

VALID_OBJECTIVE: dict[str, Any] = {
    "title": "Double revenue",
    "team": "sales",
    "period": "2026-Q1",
    "parent": "grow#kr1",
    "key_results": [{"id": "kr1", "title": "Sign ten new customers", "start": 0, "target": 10, "current": 4}],
}


def _with(**changes: Any) -> dict[str, Any]:
    record = dict(VALID_OBJECTIVE)
    for key, value in changes.items():
        if value is _ABSENT:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def _kr(**changes: Any) -> dict[str, Any]:
    kr = dict(VALID_OBJECTIVE["key_results"][0])
    for key, value in changes.items():
        if value is _ABSENT:
            kr.pop(key, None)
        else:
            kr[key] = value
    return _with(key_results=[kr])


_ABSENT = object()

VALID_VARIANTS = {
    "period as a YAML integer": _with(period=2026),
    "period as a quoted year": _with(period="2026"),
    "a half year": _with(period="2026-H1"),
    "every optional field": _with(
        id="double-revenue", owner="Dana Cruz", status="at-risk", confidence=0.7, tags=["revenue", 2026]
    ),
    "empty optional fields": _with(owner=None, status=None, confidence=None, tags=None),
    "a number as the title": _with(title=2026),
    "a score instead of start/target/current": _kr(start=_ABSENT, target=_ABSENT, current=_ABSENT, progress=0.5),
    "a delegation to a list of teams": _kr(delegated_to=["support"]),
    "no key results (a warning only)": _with(key_results=[]),
    "a unit": _kr(unit="%"),
}

INVALID_OBJECTIVES = {
    # wrong types
    "team as a number": (_with(team=5), "OKR202"),
    "period as a boolean": (_with(period=True), "OKR202"),
    "period as a fraction": (_with(period=2026.5), "OKR202"),
    "period as a date": (_with(period="2026-01-31"), "OKR202"),
    "owner as a list": (_with(owner=["Dana"]), "OKR202"),
    "a blank owner": (_with(owner="  "), "OKR202"),
    "an empty title": (_with(title=""), "OKR202"),
    "tags as a string": (_with(tags="revenue, emea"), "OKR202"),
    "a blank tag": (_with(tags=["revenue", " "]), "OKR202"),
    "key results as a mapping": (_with(key_results={"kr1": "Sign"}), "OKR202"),
    "key results as text": (_with(key_results="kr1"), "OKR202"),
    "a key result that is not a mapping": (_with(key_results=["kr1"]), "OKR103"),
    "a key result start as text": (_kr(start="zero"), "OKR202"),
    "a unit as a list": (_kr(unit=["%"]), "OKR202"),
    "status not one of the four": (_with(status="late"), "OKR202"),
    # unknown fields
    "a misspelt field": (_with(titel="Double revenue"), "OKR203"),
    "delegate_to on a key result": (_kr(delegate_to="support"), "OKR203"),
    # bad slugs
    "a team id with capitals": (_with(team="Sales"), "OKR202"),
    "a team id with a space": (_with(team="sales emea"), "OKR202"),
    "an id with an underscore": (_with(id="double_revenue"), "OKR202"),
    "a team id ending in a newline": (_with(team="sales\n"), "OKR202"),
    "a key result id with a dot": (_kr(id="kr.1"), "OKR202"),
    "a delegation to a bad team id": (_kr(delegated_to="Support"), "OKR202"),
    "an empty delegation list": (_kr(delegated_to=[]), "OKR202"),
    "a parent with two hashes": (_with(parent="grow#kr1#x"), "OKR202"),
    "a parent with a space": (_with(parent="grow kr1"), "OKR202"),
    "a parent as a number": (_with(parent=5), "OKR202"),
    "Vision with a capital": (_with(parent="Vision"), "OKR202"),
    # bad periods
    "the fifth quarter": (_with(period="2026-Q5"), "OKR202"),
    "a lower-case quarter": (_with(period="2026-q1"), "OKR202"),
    "a two-digit year": (_with(period=26), "OKR202"),
    "a five-digit year": (_with(period=20260), "OKR202"),
    "a month": (_with(period="2026-03"), "OKR202"),
    # scores out of range
    "confidence above 1": (_with(confidence=1.5), "OKR202"),
    "confidence below 0": (_with(confidence=-0.1), "OKR202"),
    "confidence as text": (_with(confidence="high"), "OKR202"),
    "progress above 1": (_kr(start=_ABSENT, target=_ABSENT, current=_ABSENT, progress=1.2), "OKR202"),
    "progress as a percentage": (_kr(start=_ABSENT, target=_ABSENT, current=_ABSENT, progress="50%"), "OKR202"),
    # missing required fields
    "no team": (_with(team=_ABSENT), "OKR201"),
    "an empty team": (_with(team=None), "OKR201"),
    "no period": (_with(period=_ABSENT), "OKR201"),
    "no parent": (_with(parent=_ABSENT), "OKR201"),
    "no key results": (_with(key_results=_ABSENT), "OKR201"),
    "a key result without an id": (_kr(id=_ABSENT), "OKR201"),
    "a key result without a title": (_kr(title=_ABSENT), "OKR201"),
    "a start without target and current": (_kr(target=_ABSENT, current=_ABSENT), "OKR201"),
}


def _front_matter_text(record: dict[str, Any], body: str = "") -> str:
    return "---\n" + yaml.safe_dump(record, sort_keys=False, allow_unicode=True) + "---\n" + body


def _check(okr_folder: Callable[..., Path], record: dict[str, Any], body: str = "") -> list[str]:
    """The codes of the file and field errors (OKR1xx, OKR2xx: what a schema covers) that
    `okrdocs check` reports for the record written as sales/sell-more.md."""
    folder = okr_folder({"sales/sell-more.md": _front_matter_text(record, body)})
    return [p.code for p in check_folder(folder).errors if p.code < "OKR300"]


@pytest.mark.parametrize("case", sorted(VALID_VARIANTS))
def test_schema_and_check_accept(case: str, okr_folder: Callable[..., Path]) -> None:
    record = VALID_VARIANTS[case]
    assert schema_errors(OBJECTIVE, record) == []
    assert _check(okr_folder, record) == []


def test_title_may_come_from_the_heading(okr_folder: Callable[..., Path]) -> None:
    record = _with(title=_ABSENT)
    assert schema_errors(OBJECTIVE, record) == []
    assert _check(okr_folder, record, body="# Double revenue\n") == []


def test_only_check_sees_a_missing_title_and_heading(okr_folder: Callable[..., Path]) -> None:
    """The one known gap: the schema cannot see the body, so it cannot require a title."""
    record = _with(title=_ABSENT)
    assert schema_errors(OBJECTIVE, record) == []
    assert _check(okr_folder, record, body="Some text, no heading.\n") == ["OKR201"]


@pytest.mark.parametrize("case", sorted(INVALID_OBJECTIVES))
def test_schema_and_check_reject(case: str, okr_folder: Callable[..., Path]) -> None:
    record, code = INVALID_OBJECTIVES[case]
    assert schema_errors(OBJECTIVE, record), f"the schema accepts {case}"
    assert code in _check(okr_folder, record), f"okrdocs check does not report {code} for {case}"


VALID_TEAMS = {"teams": [{"id": "company", "name": "Acme"}, {"id": "sales", "name": "Sales", "parent": "company"}]}


def _team(**changes: Any) -> dict[str, Any]:
    team = {"id": "sales", "name": "Sales", "parent": "company", "lead": "Dana", "description": "Sells."}
    for key, value in changes.items():
        if value is _ABSENT:
            team.pop(key)
        else:
            team[key] = value
    return {"teams": [{"id": "company", "name": "Acme"}, team]}


INVALID_TEAMS = {
    "no teams list": ({"team": []}, "OKR103"),
    "teams as a mapping": ({"teams": {"sales": "Sales"}}, "OKR103"),
    "another top-level key": ({**VALID_TEAMS, "groups": []}, "OKR203"),
    "a team that is a string": ({"teams": ["sales"]}, "OKR103"),
    "a team id with capitals": (_team(id="Sales"), "OKR202"),
    "a team id as a number": (_team(id=7), "OKR202"),
    "a parent with a space": (_team(parent="the company"), "OKR202"),
    "a misspelt field": (_team(leader="Dana"), "OKR203"),
    "no id": (_team(id=_ABSENT), "OKR201"),
    "no name": (_team(name=_ABSENT), "OKR201"),
    "an empty name": (_team(name=None), "OKR201"),
    "a lead as a list": (_team(lead=["Dana"]), "OKR202"),
}


def _check_teams(okr_folder: Callable[..., Path], teams: dict[str, Any]) -> list[str]:
    folder = okr_folder({"teams.yml": yaml.safe_dump(teams, sort_keys=False)})
    return [p.code for p in check_folder(folder).errors if p.path == "teams.yml"]


def test_schema_and_check_accept_teams(okr_folder: Callable[..., Path]) -> None:
    teams = _team(lead=None, description=None)
    teams["teams"].append({"id": "support", "name": "Support", "parent": "company"})
    assert schema_errors(TEAMS, teams) == []
    assert _check_teams(okr_folder, teams) == []


@pytest.mark.parametrize("case", sorted(INVALID_TEAMS))
def test_schema_and_check_reject_teams(case: str, okr_folder: Callable[..., Path]) -> None:
    teams, code = INVALID_TEAMS[case]
    assert schema_errors(TEAMS, teams), f"the schema accepts {case}"
    assert code in _check_teams(okr_folder, teams), f"okrdocs check does not report {code} for {case}"
