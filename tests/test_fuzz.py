"""Random and mutated OKR files never make `check_folder` raise, and every problem points
at a real line of a real file, the same on every run."""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL_ORGANISATION, write_files
from okrdocs.core.domain.cascade import Cascade
from okrdocs.core.domain.names import url_path
from okrdocs.core.domain.problems import format_problems
from okrdocs.core.reading.fields import KEY_RESULT_FIELDS, OBJECTIVE_FIELDS, TEAM_FIELDS
from okrdocs.core.rules.check import check_folder
from okrdocs.site.diagrams import Diagrams
from okrdocs.site.export import cascade_as_json
from okrdocs.site.pages import Layout, Links, PageContext, make_environment, render_page

pytestmark = pytest.mark.slow  # hypothesis runs hundreds of generated folders

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# -- strategies --------------------------------------------------------------------------

NAMES = ["company", "sales", "support", "grow", "grow#kr1", "grow#kr2", "kr1", "vision", "help", "sell-more"]
YAML_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(NAMES + ["2026", "2026-Q1", "2026-H2", "2025", "", " ", "#", "a#b#c", "Sales", "-x-"]),
    st.text(max_size=20),
    st.dates(),
)
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(list(KEY_RESULT_FIELDS)), st.text(max_size=8)), children, max_size=4),
    ),
    max_leaves=10,
)
FIELD_NAMES = sorted(set(OBJECTIVE_FIELDS) | set(KEY_RESULT_FIELDS) | set(TEAM_FIELDS))


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)


def _minimal(path: str) -> str:
    return textwrap.dedent(MINIMAL_ORGANISATION[path]).lstrip("\n")


def _base_objective() -> dict[str, Any]:
    return yaml.safe_load(_minimal("support/help.md").strip("-\n"))


@st.composite
def mutated_objective(draw: st.DrawFn) -> str:
    """The minimal organisation's support objective with fields replaced, deleted, renamed, added."""
    record = _base_objective()
    key_results = [dict(kr) for kr in record["key_results"]] + draw(
        st.lists(st.fixed_dictionaries({"id": st.sampled_from(["kr1", "kr2", "x"]), "title": YAML_SCALARS}), max_size=3)
    )
    record["key_results"] = key_results
    for _ in range(draw(st.integers(0, 4))):
        target = draw(st.sampled_from(["objective", "kr"]))
        fields = record if target == "objective" or not key_results else draw(st.sampled_from(key_results))
        action = draw(st.sampled_from(["replace", "delete", "rename", "add"]))
        name = draw(st.sampled_from(sorted(fields) or ["id"]))
        if action == "replace":
            fields[name] = draw(YAML_VALUES)
        elif action == "delete":
            fields.pop(name, None)
        elif action == "rename" and name in fields:
            fields[draw(st.sampled_from(FIELD_NAMES + ["delegate_to", "titel", "1"]))] = fields.pop(name)
        else:
            fields[draw(st.sampled_from(FIELD_NAMES))] = draw(YAML_VALUES)
    return "---\n" + _dump(record) + "---\n" + draw(st.sampled_from(["", "# A heading\n", "body\n"]))


@st.composite
def mangled_text(draw: st.DrawFn) -> str | bytes:
    """A valid file with lines deleted, duplicated or mangled, or random bytes inserted."""
    lines = _minimal("support/help.md").splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        index = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "truncate"]))
        if action == "delete" and index < len(lines):
            del lines[index]
        elif action == "duplicate" and index < len(lines):
            lines.insert(index, lines[index])
        elif action == "truncate" and index < len(lines):
            lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))]
        else:
            lines.insert(
                index, draw(st.sampled_from(["---\n", "...\n", "&a [*a]\n", "  - \n", ": x\n", "'\n", "\t\n"]))
            )
    text = "".join(lines)
    if draw(st.booleans()):
        return text
    noise = draw(st.binary(max_size=12))
    at = draw(st.integers(0, len(text)))
    return text.encode()[:at] + noise + text.encode()[at:]


@st.composite
def mutated_teams(draw: st.DrawFn) -> str:
    teams: list[Any] = yaml.safe_load(_minimal("teams.yml"))["teams"]
    for _ in range(draw(st.integers(0, 3))):
        team = draw(st.sampled_from(teams))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        name = draw(st.sampled_from(sorted(TEAM_FIELDS)))
        if action == "delete":
            team.pop(name, None)
        else:
            team[name] = draw(YAML_VALUES) if action == "replace" else draw(st.sampled_from(NAMES))
    return _dump({"teams": teams})


# -- the properties ----------------------------------------------------------------------


@contextmanager
def organisation(files: dict[str, str | bytes]) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="okrdocs-fuzz-"))
    try:
        write_files(folder, {**MINIMAL_ORGANISATION, **files})
        yield folder
    finally:
        shutil.rmtree(folder)


def assert_well_reported(files: dict[str, str | bytes]) -> None:
    with organisation(files) as folder:
        first = check_folder(folder)  # raises on a bug: that is the failure we look for
        second = check_folder(folder)
        assert format_problems(first.problems, "text") == format_problems(second.problems, "text")
        for problem in first.problems:
            path = folder / problem.path
            assert path.is_file(), problem
            line_count = max(1, len(path.read_bytes().splitlines()))
            assert 1 <= problem.line <= line_count, problem
            assert problem.message and "\n" not in problem.message, problem
        walk_cascade(first.cascade)


def walk_cascade(cascade: Cascade) -> None:
    """What the pages and diagrams ask of any cascade that loaded, however broken."""
    for objective in cascade.objectives.values():
        score = cascade.objective_score(objective)
        assert score is None or 0.0 <= score <= 1.0
        cascade.chain(objective)
        cascade.trace(objective)


@FUZZ
@given(mutated_objective())
def test_mutated_objective_fields(text: str) -> None:
    assert_well_reported({"support/help.md": text})


@FUZZ
@given(mangled_text())
def test_mangled_objective_text(text: str | bytes) -> None:
    assert_well_reported({"support/help.md": text})


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes(data: bytes) -> None:
    assert_well_reported({"support/help.md": b"---\n" + data, "teams.yml": data})


@FUZZ
@given(st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=6)), YAML_VALUES, max_size=8))
def test_random_front_matter(record: dict[Any, Any]) -> None:
    assert_well_reported(
        {"support/help.md": "---\n" + _dump(record) + "---\n", "vision.md": "---\n" + _dump(record) + "---\n"}
    )


@FUZZ
@given(mutated_teams(), mutated_objective())
def test_mutated_teams(teams: str, text: str) -> None:
    assert_well_reported({"teams.yml": teams, "sales/sell-more.md": text})


# -- everything the site makes, from hostile folders (issue 12) ----------------------------

FUZZ_EXAMPLES = int(os.environ.get("OKRDOCS_FUZZ_EXAMPLES", "200"))
"""Examples of the end-to-end property below; CI runs the default, a long run sets more."""

YAML_TAGS = [
    "!!set {a, b}", "!!binary aGk=", "!!omap [a: 1]", "!!pairs [a: 1]", "!!python/object:os.system x",
    "!!str 5", "!!null x", "!!map [1]", "!!seq {a: 1}", "!foo bar", "!!timestamp 2026-01-01",
    "!!float 1e999", "!!merge x", "!!value x", "!!yaml x", "&a [*a]", "!!int 0x", "!!float .nan",
    "!!timestamp x", "!!bool maybe", "!!int ''", "!!float ''", "!!int +",
]  # fmt: skip

FILE_NAMES = (
    st.text(st.characters(exclude_characters="/\0", exclude_categories=("Cs",)), min_size=1, max_size=24)
    .map(lambda name: name + ".md")
    .filter(lambda name: len(name.encode()) <= 255 and not name.startswith((".", "_")))
)
"""File names with every class of character: controls, quotes, `#?%`, spaces, RTL, emoji."""


@st.composite
def tagged_objective(draw: st.DrawFn) -> str:
    """The support objective with one field's value replaced by a tagged YAML value."""
    text = _minimal("support/help.md")
    line = draw(st.sampled_from([line for line in text.splitlines() if ": " in line]))
    key = line.split(": ")[0]
    return text.replace(line, f"{key}: {draw(st.sampled_from(YAML_TAGS))}", 1)


@st.composite
def hostile_folder(draw: st.DrawFn) -> dict[str, str | bytes]:
    """The minimal organisation with mutated files, tagged values and odd file names."""
    files: dict[str, str | bytes] = {}
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["mutated", "mangled", "tagged", "teams", "renamed"]))
        if kind == "mutated":
            files["support/help.md"] = draw(mutated_objective())
        elif kind == "mangled":
            files["sales/sell-more.md"] = draw(mangled_text())
        elif kind == "tagged":
            files["support/help.md"] = draw(tagged_objective())
        elif kind == "teams":
            files["teams.yml"] = draw(mutated_teams())
        else:
            text = _minimal("support/help.md")
            if draw(st.booleans()):  # a valid objective whose id is not its file name
                text = text.replace("---\n", "---\nid: renamed\n", 1)
            files[f"{draw(st.sampled_from(['sales', 'support', 'x #?%', 'é ü']))}/{draw(FILE_NAMES)}"] = text
    return files


def everything_the_site_makes(folder: Path) -> list[str]:
    """The check's output in every format, okrs.json, every diagram's DOT text and every
    page's HTML, made without a site generator, as the plugin and `okrdocs generate` do."""
    result = check_folder(folder)
    cascade = result.cascade
    layout = Layout()
    problems = [*result.problems, *layout.collisions(cascade)]
    pages = layout.pages(cascade)
    urls = {page: layout.url(page) for page in pages}
    outputs = [format_problems(problems, fmt, "okrs") for fmt in ("text", "github", "json")]
    outputs.append(json.dumps(cascade_as_json(cascade, urls), ensure_ascii=False, sort_keys=True))
    diagrams = Diagrams(cascade, max_objectives=8, max_key_results=3)
    env = _environment()
    for page in pages:
        links = Links(urls, urls[page], cascade)
        if page.kind == "vision":
            outputs.append(diagrams.vision(links.objective, vision_link=links.vision(), more_link=links.teams()))
        elif page.kind == "team":
            outputs.append(
                diagrams.team(page.key, links.objective, vision_link=links.vision(), more_link="#objectives")
            )
        elif page.kind == "objective":
            outputs.append(
                diagrams.objective(page.key, links.objective, vision_link=links.vision(), more_link="#aligned")
            )
        path = cascade.objectives[page.key].where.path if page.kind == "objective" else None
        edit_url = "https://example.com/edit/main/okrs/" + url_path(path) if path else None
        context = PageContext(page, cascade, links, has_diagram=True, edit_url=edit_url, problems=tuple(result.errors))
        outputs.append(render_page(env, context))
    return outputs


@functools.lru_cache(maxsize=1)
def _environment() -> Any:
    """One Jinja environment for all examples, as a build has: compiling the templates
    again for each example would be most of the test's time."""
    return make_environment([])


@pytest.mark.slow
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(hostile_folder())
def test_hostile_folders_give_the_same_pages_json_and_diagrams_every_time(files: dict[str, str | bytes]) -> None:
    with organisation(files) as folder:
        first = everything_the_site_makes(folder)  # raises on a bug: that is the failure we look for
        assert everything_the_site_makes(folder) == first
        for line in first[0].splitlines():  # one line per problem, whatever the file names hold
            assert re.match(r"okrs/.*:\d+: OKR\d{3} ", line), line
