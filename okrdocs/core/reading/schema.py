"""JSON Schemas (draft 2020-12) for objective front matter, `teams.yml` and `vision.md`.

Derived from the field specs in `fields`, the same tables the loader checks files
against, so an editor that flags a field flags exactly what `okrdocs check` reports.
Each check function maps to one schema fragment below; `tests/test_schema.py` fails when
a check has none, and feeds the same valid and invalid records to both.

The schemas use only keywords that draft-07 tools (such as the YAML language server)
also understand, plus `dependentRequired`, which older tools ignore.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from ..domain.model import COMMITMENTS, KR_KINDS, MAX_SLUG_LENGTH, PERIOD_PATTERN, SLUG_PATTERN, STATUSES, VISION
from . import fields
from .fields import KEY_RESULT_FIELDS, OBJECTIVE_FIELDS, TEAM_FIELDS, VISION_FIELDS, FieldSpec

DIALECT = "https://json-schema.org/draft/2020-12/schema"

_SLUG_BODY = SLUG_PATTERN.pattern.removeprefix("^").removesuffix("$")


def _whole(pattern: str) -> str:
    r"""The pattern anchored to the whole value, as okrdocs matches it (`fullmatch`).

    `$(?!\n)`, because in Python validators `$` also matches before a final newline.
    """
    return "^" + pattern.removeprefix("^").removesuffix("$") + r"$(?!\n)"


_SLUG: dict[str, Any] = {"type": "string", "pattern": _whole(_SLUG_BODY), "maxLength": MAX_SLUG_LENGTH}
_TEXT: dict[str, Any] = {"type": ["string", "number"], "pattern": r"\S"}
_NUMBER: dict[str, Any] = {"type": "number"}
_REFERENCE = _whole(f"{_SLUG_BODY}(?:#{_SLUG_BODY})?")
_CONTRIBUTION: dict[str, Any] = {"type": "string", "pattern": _REFERENCE, "not": {"const": VISION}}
_HANDLE: dict[str, Any] = {"type": "string", "pattern": _whole(fields.HANDLE_PATTERN.pattern)}

FRAGMENTS: dict[Callable[..., Any], dict[str, Any]] = {
    fields.check_slug: _SLUG,
    fields.check_text: _TEXT,
    # YAML reads `period: 2026` as a number; `pattern` applies to strings, `minimum`
    # and `maximum` to numbers. The pattern is the one `Period.parse` uses.
    fields.check_period: {
        "type": ["integer", "string"],
        "minimum": 1000,
        "maximum": 9999,
        "pattern": _whole(PERIOD_PATTERN.pattern),
    },
    fields.check_number: _NUMBER,
    fields.check_score: {"type": "number", "minimum": 0, "maximum": 1},
    fields.check_status: {"type": "string", "enum": list(STATUSES)},
    fields.check_parent: {"type": "string", "pattern": _REFERENCE},
    fields.check_slug_or_slugs: {"anyOf": [_SLUG, {"type": "array", "items": _SLUG, "minItems": 1}]},
    fields.check_contributions: {"anyOf": [_CONTRIBUTION, {"type": "array", "items": _CONTRIBUTION, "minItems": 1}]},
    fields.check_weight: {"type": "number", "exclusiveMinimum": 0},
    fields.check_handles: {"anyOf": [_HANDLE, {"type": "array", "items": _HANDLE, "minItems": 1}]},
    fields.check_text_list: {"type": "array", "items": _TEXT},
    fields.check_code_list: {"type": "array", "items": _TEXT},
    fields.check_list: {"type": "array"},
    fields.check_kind: {"type": "string", "enum": list(KR_KINDS)},
    fields.check_bool: {"type": "boolean"},
    fields.check_commitment: {"type": "string", "enum": list(COMMITMENTS)},
}
"""The JSON Schema of the values each check function accepts."""

_OBJECTIVE_OPTIONAL = {
    "title": (
        " Optional in this schema, which cannot see the Markdown body; okrdocs check reports "
        "a file that has neither a title nor a heading."
    )
}
"""Required objective fields that a file can fill in another way, with the note that says so."""

_MEASUREMENT = ("start", "target", "current")
"""Given together or not at all (see `loading._check_measurement`)."""


def property_schema(spec: FieldSpec, required: bool, note: str = "") -> dict[str, Any]:
    """The schema of one field: its check's fragment, its description and example.

    A field that is not required may be left empty (`owner:`), which YAML reads as null
    and okrdocs treats as absent.
    """
    fragment = dict(FRAGMENTS[spec.check])
    schema: dict[str, Any] = {"description": spec.description + note}
    if spec.example:
        schema["examples"] = [_example_value(spec.example)]
    if required:
        schema.update(fragment)
    else:
        schema["anyOf"] = [fragment, {"type": "null"}]
    return schema


def _example_value(example: str) -> Any:
    """`2026` is an integer in YAML, so show it as one."""
    return int(example) if example.isdigit() else example


def record_schema(
    specs: Mapping[str, FieldSpec],
    items: Mapping[str, str] | None = None,
    optional: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """An object with exactly the spec's fields.

    `items` names the $defs of list fields' items; `optional` gives required fields that
    the schema must treat as optional, with the note that says why.
    """
    properties: dict[str, Any] = {}
    required: list[str] = []
    for spec in specs.values():
        note = (optional or {}).get(spec.name)
        is_required = spec.required and note is None
        properties[spec.name] = property_schema(spec, is_required, note or "")
        if is_required:
            required.append(spec.name)
        if items and spec.name in items:
            properties[spec.name]["items"] = {"$ref": f"#/$defs/{items[spec.name]}"}
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def _key_result_schema() -> dict[str, Any]:
    schema = record_schema(KEY_RESULT_FIELDS)
    schema["description"] = (
        "One key result. Give 'progress' (0.0 to 1.0), or 'start', 'target' and 'current' "
        "together (target different from start), or neither when the result is delegated "
        "and scored by the objectives that pick it up; 'kind: milestone' with 'done', or "
        "'kind: maintain' with 'min' and/or 'max' and 'current'."
    )
    # `current` alone is a maintain band's value; start and target need the other two.
    schema["dependentRequired"] = {
        name: [other for other in _MEASUREMENT if other != name] for name in _MEASUREMENT[:2]
    }
    return schema


def objective_schema() -> dict[str, Any]:
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "title": "okrdocs objective",
        "description": (
            "The YAML front matter of one objective file (any *.md in the OKR folder except "
            "vision.md). okrdocs check also checks what a schema cannot: unique ids, that "
            "teams and parents exist, delegations, the chain up to the vision, and periods."
        ),
    }
    schema.update(record_schema(OBJECTIVE_FIELDS, items={"key_results": "key_result"}, optional=_OBJECTIVE_OPTIONAL))
    schema["$defs"] = {"key_result": _key_result_schema()}
    return schema


def teams_schema() -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "title": "okrdocs teams.yml",
        "description": "The teams of the organisation; 'parent' builds the team tree.",
        "type": "object",
        "properties": {
            "teams": {
                "description": "Every team, each with a unique id.",
                "type": "array",
                "items": {"$ref": "#/$defs/team"},
            }
        },
        "required": ["teams"],
        "additionalProperties": False,
        "$defs": {"team": record_schema(TEAM_FIELDS)},
    }


def vision_schema() -> dict[str, Any]:
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "title": "okrdocs vision",
        "description": "The YAML front matter of vision.md; its body is the vision's narrative.",
    }
    schema.update(record_schema(VISION_FIELDS))
    return schema


SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "objective": objective_schema,
    "teams": teams_schema,
    "vision": vision_schema,
}


def schema_json(name: str) -> str:
    """The named schema as indented JSON text."""
    return json.dumps(SCHEMAS[name](), indent=2, ensure_ascii=False)
