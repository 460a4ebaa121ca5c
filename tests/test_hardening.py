"""Hardening: random organisations, broken ones, hostile input, and builds that lose nothing.

- Random valid organisations (the benchmark's generator, random shapes and seeds) always
  pass the check, and build into a site with no broken link.
- Random mutations of a valid organisation (a deleted file, a renamed id, a changed parent,
  a changed period, a removed delegation, a value of the wrong type) always give an error
  at a file and line that exist, never a traceback, and the same problems on every run.
- Hostile text (HTML, `<script>`, quotes, backslashes, braces, DOT syntax, 100k-character
  lines, right-to-left and emoji) shows as text on every page, in the search index and in
  every diagram; ids that try to leave the output folder are rejected and nothing is
  written outside site_dir; YAML bombs, huge files and deep nesting are refused (OKR105)
  with bounded memory.
- A build never writes into the OKR folder or docs_dir, and two builds of the same input
  give the same bytes.
"""

from __future__ import annotations

import difflib
import hashlib
import html.parser
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import tracemalloc
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from conftest import MINIMAL_ORGANISATION, write_files
from okrdocs.core.domain.escaping import _UNPRINTABLE, _escape, printable
from okrdocs.core.reading.fields import NameIndex, did_you_mean
from okrdocs.core.rules.check import CheckResult, check_folder
from sitebuild import (
    DEMO_OKRS,
    broken_links,
    build_site,
    copy_demo_site,
    html_of,
    load_benchmark_generator,
    run_mkdocs,
    write_site,
)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10**9)


# -- the benchmark's generator -------------------------------------------------------------


generator = load_benchmark_generator()

ORGANISATION_SHAPES = st.fixed_dictionaries(
    {
        "teams": st.integers(1, 14),
        "objectives_per_team": st.floats(1.0, 3.0),
        "krs_per_objective": st.floats(1.0, 4.0),
        "seed": st.integers(0, 2**32 - 1),
        "depth": st.integers(1, 3),
        "tight_share": st.floats(0.0, 1.0),
    }
)


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """A fresh folder per hypothesis example (tmp_path is per test, not per example)."""
    folder = Path(tempfile.mkdtemp(prefix="okrdocs-hardening-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def generated(folder: Path, shape: dict[str, Any]) -> Path:
    okrs = folder / "okrs"
    generator.generate(okrs, **shape)
    return okrs


def problem_lines(result: CheckResult) -> list[str]:
    """The gate's problems (coaching advice on generated titles is beside the point here)."""
    return [problem.as_text() for problem in result.problems if not problem.is_advice]


# -- random valid organisations ------------------------------------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ORGANISATION_SHAPES)
def test_random_valid_organisations_pass_the_check(shape: dict[str, Any]) -> None:
    with scratch_folder() as folder:
        assert problem_lines(check_folder(generated(folder, shape))) == []


@pytest.mark.slow
@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ORGANISATION_SHAPES)
def test_random_valid_organisations_build_with_no_broken_link(shape: dict[str, Any]) -> None:
    with scratch_folder() as folder:
        okrs = generated(folder / "src", shape)
        cascade = check_folder(okrs).cascade
        site = build_site(write_site(folder / "root", okrs=okrs))
        assert broken_links(site) == []
        for team_id in cascade.teams:
            assert (site / "teams" / team_id / "index.html").is_file()
        for objective_id in cascade.objectives:
            assert (site / "okrs" / objective_id / "index.html").is_file()


# -- mutations of a valid organisation -----------------------------------------------------


@dataclass
class ObjectiveFile:
    path: Path
    data: dict[str, Any]
    body: str

    @property
    def id(self) -> str:
        return str(self.data.get("id") or self.path.stem)

    @property
    def key_results(self) -> list[dict[str, Any]]:
        krs = self.data.get("key_results")
        return [kr for kr in krs if isinstance(kr, dict)] if isinstance(krs, list) else []

    def save(self) -> None:
        front = dump_yaml(self.data)
        self.path.write_text(f"---\n{front}---\n{self.body}", encoding="utf-8")


@dataclass
class Organisation:
    """A generated OKR folder, read back so that it can be changed on purpose."""

    root: Path
    objectives: dict[str, ObjectiveFile] = field(default_factory=dict)
    teams: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def read(cls, root: Path) -> Organisation:
        organisation = cls(root)
        for path in sorted(root.rglob("*.md")):
            if path.name == "vision.md":
                continue
            _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
            record = ObjectiveFile(path, load_yaml(front), body)
            organisation.objectives[record.id] = record
        teams_file = root / "teams.yml"
        if teams_file.is_file():
            organisation.teams = load_yaml(teams_file.read_text(encoding="utf-8"))["teams"]
        return organisation

    def save_teams(self) -> None:
        text = dump_yaml({"teams": self.teams})
        (self.root / "teams.yml").write_text(text, encoding="utf-8")

    def parent_of(self, objective: ObjectiveFile) -> tuple[str, str | None] | None:
        parent = objective.data.get("parent")
        if not isinstance(parent, str) or parent == "vision":
            return None
        objective_id, _, kr_id = parent.partition("#")
        return objective_id, kr_id or None

    def with_children(self) -> list[ObjectiveFile]:
        # Objectives that *other* objectives align to: an objective mutated to be its own
        # parent has no child whose error would survive deleting it.
        targets = {ref[0] for key, o in self.objectives.items() if (ref := self.parent_of(o)) and ref[0] != key}
        return [self.objectives[i] for i in sorted(targets) if i in self.objectives]

    def picked_up_krs(self) -> list[tuple[ObjectiveFile, dict[str, Any]]]:
        """(objective, KR) pairs with a delegation that some objective picks up."""
        picked = {ref for o in self.objectives.values() if (ref := self.parent_of(o)) and ref[1]}
        pairs = []
        for objective_id, kr_id in sorted(picked):
            objective = self.objectives.get(objective_id)
            for kr in objective.key_results if objective else []:
                if kr.get("id") == kr_id and kr.get("delegated_to"):
                    pairs.append((objective, kr))
        return pairs

    def with_parent_objective(self) -> list[ObjectiveFile]:
        return [o for _, o in sorted(self.objectives.items()) if self.parent_of(o)]

    def descendants(self, objective_id: str) -> list[str]:
        found, frontier = [], [objective_id]
        while frontier:
            current = frontier.pop()
            for child_id, child in sorted(self.objectives.items()):
                ref = self.parent_of(child)
                if ref and ref[0] == current and child_id not in found:
                    found.append(child_id)
                    frontier.append(child_id)
        return found


Mutation = Callable[[st.DataObject, Organisation], str]


def deletable(org: Organisation) -> list[Path]:
    choices = [o.path for o in org.with_children()] + [org.root / "teams.yml", org.root / "vision.md"]
    return [path for path in choices if path.exists()]


def delete_a_file(data: st.DataObject, org: Organisation) -> str:
    """Delete an objective that others align to, or teams.yml, or vision.md."""
    path = data.draw(st.sampled_from(deletable(org)))
    path.unlink()
    return f"deleted {path.relative_to(org.root)}"


def rename_an_id(data: st.DataObject, org: Organisation) -> str:
    """Rename an objective others align to, a KR picked up, or a team with objectives."""
    kinds = []
    if org.with_children():
        kinds.append("objective")
    if org.picked_up_krs():
        kinds.append("kr")
    if {o.data.get("team") for o in org.objectives.values()} & {t.get("id") for t in org.teams}:
        kinds.append("team")
    kind = data.draw(st.sampled_from(kinds))
    if kind == "objective":
        objective = data.draw(st.sampled_from(org.with_children()))
        objective.data["id"] = objective.id + "-renamed"
        objective.save()
        return f"renamed objective {objective.id}"
    if kind == "kr":
        objective, kr = data.draw(st.sampled_from(org.picked_up_krs()))
        kr["id"] = kr["id"] + "-renamed"
        objective.save()
        return f"renamed KR {objective.id}#{kr['id']}"
    owners = sorted({o.data.get("team") for o in org.objectives.values()} & {t.get("id") for t in org.teams})
    team_id = data.draw(st.sampled_from(owners))
    for team in org.teams:
        if team.get("parent") == team_id:
            team["parent"] = team_id + "-renamed"
        if team.get("id") == team_id:
            team["id"] = team_id + "-renamed"
    org.save_teams()
    return f"renamed team {team_id}"


def change_a_parent(data: st.DataObject, org: Organisation) -> str:
    """Point an objective at nothing, at a KR that is not there, at itself or below itself."""
    objective = data.draw(st.sampled_from(sorted(org.objectives.values(), key=lambda o: o.id)))
    others = sorted(set(org.objectives) - {objective.id})
    targets = ["no-such-objective", "vision#kr1", objective.id, f"{objective.id}#kr1"]
    targets += [f"{other}#kr99" for other in others[:3]] + org.descendants(objective.id)[:3]
    objective.data["parent"] = data.draw(st.sampled_from(targets))
    objective.save()
    return f"parent of {objective.id} -> {objective.data['parent']}"


def change_a_period(data: st.DataObject, org: Organisation) -> str:
    """A period outside the parent's, or one that is no period at all."""
    candidates = org.with_parent_objective()
    outside = bool(candidates) and data.draw(st.booleans())
    objective = data.draw(st.sampled_from(candidates or sorted(org.objectives.values(), key=lambda o: o.id)))
    if outside:
        objective.data["period"] = data.draw(st.sampled_from([2031, "2020-Q1", "2027-H2"]))
    else:
        objective.data["period"] = data.draw(
            st.sampled_from(["2026-Q5", "2026-H3", "Q1", "26", "2026-q1", "next year"])
        )
    objective.save()
    return f"period of {objective.id} -> {objective.data['period']!r}"


def remove_a_delegation(data: st.DataObject, org: Organisation) -> str:
    objective, kr = data.draw(st.sampled_from(org.picked_up_krs()))
    del kr["delegated_to"]
    objective.save()
    return f"removed the delegation of {objective.id}#{kr['id']}"


OBJECTIVE_WRONG_TYPES: list[tuple[str, Any]] = [
    ("title", ["a", "list"]),
    ("team", 42),
    ("period", {"year": 2026}),
    ("parent", ["vision"]),
    ("key_results", "none"),
    ("key_results", [["kr1"]]),
    ("owner", ["Pat", "Lee"]),
    ("status", "great"),
    ("confidence", "high"),
    ("confidence", 7),
    ("tags", {"a": 1}),
]
KR_WRONG_TYPES: list[tuple[str, Any]] = [
    ("id", 1.5),
    ("title", {"a": "b"}),
    ("progress", "half"),
    ("progress", 1.5),
    ("start", "zero"),
    ("delegated_to", 5),
    ("unit", ["%"]),
]
TEAM_WRONG_TYPES: list[tuple[str, Any]] = [("name", ["x"]), ("parent", 7), ("lead", {"a": 1}), ("id", None)]


def a_value_of_the_wrong_type(data: st.DataObject, org: Organisation) -> str:
    objective = data.draw(st.sampled_from(sorted(org.objectives.values(), key=lambda o: o.id)))
    where = data.draw(
        st.sampled_from(["objective"] + ["kr"] * bool(objective.key_results) + ["team"] * bool(org.teams))
    )
    if where == "team":
        team = data.draw(st.sampled_from(org.teams))
        name, value = data.draw(st.sampled_from(TEAM_WRONG_TYPES))
        team[name] = value
        org.save_teams()
        return f"team {team.get('id')}: {name} = {value!r}"
    if where == "objective":
        name, value = data.draw(st.sampled_from(OBJECTIVE_WRONG_TYPES))
        objective.data[name] = value
    else:
        kr = data.draw(st.sampled_from(objective.key_results))
        name, value = data.draw(st.sampled_from(KR_WRONG_TYPES))
        kr[name] = value
    objective.save()
    return f"objective {objective.id}: {name} = {value!r}"


def available_mutations(org: Organisation) -> list[Mutation]:
    mutations: list[Mutation] = [change_a_parent, change_a_period, a_value_of_the_wrong_type]
    if deletable(org):
        mutations.append(delete_a_file)
    owners = {o.data.get("team") for o in org.objectives.values()} & {t.get("id") for t in org.teams}
    if org.with_children() or org.picked_up_krs() or owners:
        mutations.append(rename_an_id)
    if org.picked_up_krs():
        mutations.append(remove_a_delegation)
    return mutations


def copy_elsewhere(okrs: Path, folder: Path) -> Path:
    """The same files under another, longer path: output must not depend on where they are."""
    other = folder / "a-copy-somewhere-else" / "okrs"
    shutil.copytree(okrs, other)
    return other


@pytest.mark.slow
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ORGANISATION_SHAPES, st.data())
def test_mutations_give_errors_at_real_lines_the_same_on_every_run(shape: dict[str, Any], data: st.DataObject) -> None:
    with scratch_folder() as folder:
        okrs = generated(folder, shape)
        for _ in range(data.draw(st.integers(1, 3), label="mutations")):
            organisation = Organisation.read(okrs)
            mutation = data.draw(st.sampled_from(available_mutations(organisation)), label="mutation")
            note(mutation(data, organisation))

        first = check_folder(okrs)  # a traceback here is the bug this test looks for
        assert first.errors, "a mutation that breaks a rule gave no error"
        for problem in first.problems:
            path = okrs / problem.path
            assert path.is_file() or problem.path in ("teams.yml", "vision.md"), problem
            lines = len(path.read_bytes().splitlines()) if path.is_file() else 1
            assert 1 <= problem.line <= max(lines, 1), problem
            assert problem.message and "\n" not in problem.message, problem
        assert problem_lines(check_folder(okrs)) == problem_lines(first)
        assert problem_lines(check_folder(copy_elsewhere(okrs, folder))) == problem_lines(first)


# -- hostile text --------------------------------------------------------------------------

MARKER = "okrxss"
"""Every payload that could run calls okrxss(); the pages must hold it only as text."""

HOSTILE = {
    "html": f'<b>{MARKER}-bold</b> <i onmouseover="{MARKER}()">hover</i> <okrevil>tag</okrevil>',
    "script": f"<script>{MARKER}()</script>",
    "img": f"<img src=x onerror={MARKER}()>",
    "quotes": "\"double\" 'single' “curly” `tick",
    "backslashes": r"C:\new\table \u0041 \x41 \N",
    "braces": "{{ config.site_name }} {% include 'x' %} {#c#} ${x} {x}",
    "dot": '"]; okr_a -> okr_b [label="pwned"]; } digraph g { <<TABLE>> \\N',
    "rtl": "مرحبا بالعالم עברית \u202eRTL override\u202c end",
    "emoji": "🚀 👩\u200d💻 🇪🇺 ❤️",
}
LONG_LINE = "long" + "ж" * 100_000 + "end"
JAVASCRIPT_LINK = f"[click me](javascript:{MARKER}())"
TITLE = " | ".join(HOSTILE.values())


def hostile_organisation(folder: Path, *, bodies: bool) -> Path:
    """The demo organisation with hostile text in titles, names and fields (and bodies)."""
    okrs = folder / "okrs"
    shutil.copytree(DEMO_OKRS, okrs)
    org = Organisation.read(okrs)
    objective = org.objectives["grow-new-market-revenue"]  # a sales pickup, with pickups of its own
    objective.data["title"] = TITLE + " " + JAVASCRIPT_LINK
    objective.data["owner"] = HOSTILE["html"] + HOSTILE["img"]
    objective.data["tags"] = [HOSTILE["script"], HOSTILE["dot"]]
    objective.data["key_results"][0]["title"] = TITLE
    objective.data["key_results"][-1]["title"] = LONG_LINE
    if "unit" in objective.data["key_results"][0]:
        objective.data["key_results"][0]["unit"] = HOSTILE["img"]
    if bodies:
        objective.body = "\n\n".join([*HOSTILE.values(), LONG_LINE, JAVASCRIPT_LINK, ""])
    objective.save()
    for team in org.teams:
        if team["id"] == "sales":
            team["name"] = "Sales " + HOSTILE["script"] + HOSTILE["emoji"] + HOSTILE["rtl"]
            team["lead"] = HOSTILE["img"] + HOSTILE["quotes"]
            if bodies:
                team["description"] = "\n\n".join(HOSTILE.values())
    org.save_teams()
    vision = okrs / "vision.md"
    statement = yaml.safe_dump({"vision": TITLE}, allow_unicode=True, width=10**9)
    narrative = "\n\n".join(HOSTILE.values()) if bodies else "The narrative."
    vision.write_text(f"---\n{statement}horizon: 2030\n---\n{narrative}\n", encoding="utf-8")
    return okrs


class PageScan(html.parser.HTMLParser):
    """What a browser would run or load from a page, and the text it shows."""

    URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "data"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.injected: list[str] = []
        self.text: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "okrevil":
            self.injected.append("<okrevil> element")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and MARKER in value:
                self.injected.append(f"<{tag} {name}={value!r}>")
            if name in self.URL_ATTRIBUTES and re.sub(r"\s", "", value).lower().startswith(
                ("javascript:", "vbscript:")
            ):
                self.injected.append(f"<{tag} {name}={value!r}>")
        if tag not in ("br", "img", "hr", "input", "meta", "link", "source", "col", "wbr", "area"):
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "script" in self._open and MARKER in data:
            self.injected.append(f"<script> holding {data[:60]!r}")
        elif "b" in self._open and f"{MARKER}-bold" in data:
            self.injected.append("<b> element from content")
        elif "script" not in self._open and "style" not in self._open:
            self.text.append(data)


def scan(markup: str) -> PageScan:
    scanner = PageScan()
    scanner.feed(markup)
    scanner.close()
    return scanner


def shown_text(markup: str) -> str:
    return " ".join(" ".join(scan(markup).text).split())


def diagrams_in(page: str) -> list[str]:
    """The SVG of each diagram figure."""
    return re.findall(r'<figure class="okr-diagram"[^>]*>.*?(<svg\b.*?</svg>)', page, flags=re.S)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    okrs = hostile_organisation(root / "src", bodies=False)
    return build_site(write_site(root / "site-root", okrs=okrs))


@pytest.fixture(scope="module")
def hostile_bodies_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-bodies")
    okrs = hostile_organisation(root / "src", bodies=True)
    return build_site(write_site(root / "site-root", okrs=okrs))


def all_pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))}


def test_hostile_titles_and_fields_inject_nothing_into_any_page(hostile_site: Path) -> None:
    injected = {uri: found for uri, page in all_pages(hostile_site).items() if (found := scan(page).injected)}
    assert injected == {}


def test_hostile_titles_and_fields_show_as_text(hostile_site: Path) -> None:
    objective = shown_text(html_of(hostile_site, "okrs/grow-new-market-revenue/"))
    team = shown_text(html_of(hostile_site, "teams/sales/"))
    vision = shown_text(html_of(hostile_site, "vision/"))
    for name, text in HOSTILE.items():
        shown = " ".join(text.split())
        assert shown in objective, name  # the title, the KR title, the owner, the tags
        assert shown in team, name  # the objective card, and the team name
        assert shown in vision, name  # the statement
    assert LONG_LINE in objective and LONG_LINE in team
    assert JAVASCRIPT_LINK in objective  # titles do not make javascript: links
    assert f"<title>Sales &lt;script&gt;{MARKER}()&lt;/script&gt;🚀" in html_of(hostile_site, "teams/sales/")


def test_hostile_titles_stay_text_in_the_search_index(hostile_site: Path) -> None:
    """Material shows search results as HTML: the index must hold them escaped."""
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(MARKER in doc["title"] for doc in index["docs"])
    injected = [
        (doc["location"], found) for doc in index["docs"] if (found := scan(doc["title"] + doc["text"]).injected)
    ]
    assert injected == []


def test_hostile_titles_in_diagrams_are_text_in_well_formed_svg(hostile_site: Path) -> None:
    assert diagrams_in(html_of(hostile_site, "okrs/grow-new-market-revenue/")), "diagrams are on by default"
    for uri in ("okrs/grow-new-market-revenue/", "teams/sales/", "vision/"):
        for svg in diagrams_in(html_of(hostile_site, uri)):
            root = ElementTree.fromstring(svg)  # broken escaping makes broken XML
            tags = {element.tag.rpartition("}")[2] for element in root.iter()}
            assert not tags & {"script", "foreignObject", "iframe", "okrevil"}, uri
            assert scan(svg).injected == [], uri
            if uri.startswith("okrs/"):
                assert MARKER in "".join(root.itertext()), "the hostile title is shown, as text"


def test_hostile_bodies_inject_nothing_into_any_page(hostile_bodies_site: Path) -> None:
    injected = {uri: found for uri, page in all_pages(hostile_bodies_site).items() if (found := scan(page).injected)}
    assert injected == {}


def test_hostile_bodies_keep_long_lines_rtl_emoji_braces_and_backslashes(hostile_bodies_site: Path) -> None:
    page = shown_text(html_of(hostile_bodies_site, "okrs/grow-new-market-revenue/"))
    for name in ("quotes", "backslashes", "braces", "rtl", "emoji"):
        assert " ".join(HOSTILE[name].split()) in page, name
    assert LONG_LINE in page


# -- ids that try to leave the output folder -----------------------------------------------

ESCAPING_IDS = [
    *["../x", "../../../../outside/x", "{outside}/x", "%2e%2e", "%2e%2e%2fx", "..", ".", "x/../../y", "..\\x"],
    pytest.param("a" * 300, id="a-300-character-slug"),  # passed the check, then 'File name too long'
]


def snapshot(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every file under `folder` with its SHA-256, except those under the `skip` folders."""
    files = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not relative.startswith(skip):
            files[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


ESCAPES = {"objective id": "grow-new-market-revenue", "team id": "win-regional-ev-share", "kr id": "diversify-markets"}
"""Where a bad id goes, and the demo objective that gets it."""


def escaping_organisation(root: Path, bad_id: str, places: tuple[str, ...] = tuple(ESCAPES)) -> Path:
    okrs = root / "src" / "okrs"
    shutil.copytree(DEMO_OKRS, okrs)
    org = Organisation.read(okrs)
    for place in places:
        objective = org.objectives[ESCAPES[place]]
        if place == "objective id":
            objective.data["id"] = bad_id
        elif place == "kr id":
            objective.key_results[0]["id"] = bad_id
        else:  # a team with an objective, so that it would get a page
            org.teams.append({"id": bad_id, "name": "Escapees", "parent": "sales"})
            org.save_teams()
            objective.data["team"] = bad_id
        objective.save()
    return okrs


@pytest.mark.parametrize("place", list(ESCAPES))
@pytest.mark.parametrize("bad_id", ESCAPING_IDS)
def test_ids_that_would_leave_the_output_folder_are_rejected(tmp_path: Path, place: str, bad_id: str) -> None:
    okrs = escaping_organisation(tmp_path, bad_id.format(outside=tmp_path / "outside"), (place,))
    errors = check_folder(okrs).errors
    path = Organisation.read(okrs).objectives.get(ESCAPES[place])
    assert any(p.code == "OKR202" for p in errors), errors
    assert all(p.line >= 1 and (okrs / p.path).is_file() for p in errors)
    assert path is None or any(p.path == path.path.relative_to(okrs).as_posix() for p in errors)


@pytest.mark.parametrize(
    "bad_id", ["../../../../outside/x", "{outside}/x", "a" * 300], ids=["dots", "absolute", "long"]
)
def test_a_build_with_such_ids_stops_and_writes_nothing_outside_site_dir(tmp_path: Path, bad_id: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    okrs = escaping_organisation(tmp_path, bad_id.format(outside=outside))
    config_file = write_site(tmp_path / "site-root", okrs=okrs, plugin={"diagrams": False})
    before = snapshot(tmp_path, skip=("site-root/site/", "site-root/.cache/okrdocs/"))
    with pytest.raises(Abort):
        build_site(config_file)
    assert snapshot(tmp_path, skip=("site-root/site/", "site-root/.cache/okrdocs/")) == before
    assert list(outside.iterdir()) == []


def test_a_preview_of_a_folder_with_escaping_ids_writes_only_inside_site_dir(tmp_path: Path) -> None:
    """`mkdocs serve` builds a folder with errors anyway, to preview what could be read."""
    outside = tmp_path / "outside"
    outside.mkdir()
    okrs = escaping_organisation(tmp_path, "../../../../outside/x")
    config = load_config(str(write_site(tmp_path / "site-root", okrs=okrs, plugin={"diagrams": False})))
    before = snapshot(tmp_path, skip=("site-root/site/", "site-root/.cache/okrdocs/"))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    assert snapshot(tmp_path, skip=("site-root/site/", "site-root/.cache/okrdocs/")) == before
    assert list(outside.iterdir()) == []
    site = Path(config.site_dir)
    assert "OKR202" in html_of(site, "okrs/diversify-markets/")  # the preview shows the problems
    assert broken_links(site) == []


def _demo_with_a_team_called_index(tmp_path: Path) -> Path:
    """The demo site with a team whose page would be written where the team directory goes."""
    okrs = tmp_path / "src" / "okrs"
    shutil.copytree(DEMO_OKRS, okrs)
    org = Organisation.read(okrs)
    org.teams.append({"id": "index", "name": "Index Team", "parent": "sales"})
    org.save_teams()
    return write_site(tmp_path / "site-root", okrs=okrs, plugin={"diagrams": False})


def test_a_team_called_index_cannot_replace_the_team_directory(tmp_path: Path) -> None:
    result = run_mkdocs(_demo_with_a_team_called_index(tmp_path))
    assert result.returncode == 1
    assert (
        "okrdocs: okrs/teams.yml:96: OKR304 the page of team id 'index' would be written to teams/index.html, "
        "where the team directory goes: rename that id, or change okrdocs' teams_url"
    ) in result.stderr


def test_a_preview_of_a_page_collision_keeps_serving_and_shows_the_problem(tmp_path: Path) -> None:
    """Under `mkdocs serve` a collision is one more problem of the preview, not the end of it."""
    config = load_config(str(_demo_with_a_team_called_index(tmp_path)))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    site = Path(config.site_dir)
    directory = html_of(site, "teams/")
    assert "<h1>Teams</h1>" in directory  # the first page keeps its file
    assert "OKR304 the page of team id &#39;index&#39; would be written to teams/index.html" in directory


SMALL_OBJECTIVE = (
    "---\ntitle: {title}\nteam: company\nperiod: 2026\nparent: vision\nkey_results:\n  - id: kr1\n    title: One\n---\n"
)
COLLISIONS = {
    "team index": ({}, {}, {"teams.yml": "teams:\n  - id: company\n    name: Acme\n  - id: index\n    name: Index\n"}),
    "team index, no directory URLs": (
        {"use_directory_urls": False},
        {},
        {"teams.yml": "teams:\n  - id: company\n    name: Acme\n  - id: index\n    name: Index\n"},
    ),
    "objective named like a team": (
        {},
        {"objectives_url": "teams"},
        {"company/sales.md": SMALL_OBJECTIVE.format(title="Sell")},
    ),
    "objective named like the vision page": (
        {},
        {"objectives_url": "", "vision_url": "vision"},
        {"company/teams.md": SMALL_OBJECTIVE.format(title="Teams")},
    ),
}


@pytest.mark.parametrize("case", list(COLLISIONS))
def test_check_reports_every_page_collision_the_build_refuses(tmp_path: Path, case: str) -> None:
    config, plugin, files = COLLISIONS[case]
    okrs = tmp_path / "src" / "okrs"
    write_files(okrs, {**MINIMAL_ORGANISATION, **files})
    config_file = write_site(tmp_path / "site", okrs=okrs, config=config, plugin={"diagrams": False, **plugin})
    checked = subprocess.run(
        [sys.executable, "-m", "okrdocs.cli", "check", "-f", "mkdocs.yml"],
        cwd=config_file.parent,
        capture_output=True,
        text=True,
    )
    built = run_mkdocs(config_file)
    assert built.returncode == checked.returncode
    collisions = [line for line in checked.stdout.splitlines() if " OKR304 " in line]
    logged = [line for line in built.stderr.splitlines() if " OKR304 " in line]
    assert logged == [f"ERROR   -  okrdocs: {line}" for line in collisions]
    assert bool(collisions) == (case != "team index, no directory URLs"), checked.stdout


# -- YAML bombs, huge files, deep nesting --------------------------------------------------

OBJECTIVE_HEAD = (
    "---\ntitle: Hostile\nteam: sales\nperiod: 2026\nparent: vision\n"
    "key_results:\n  - id: kr1\n    title: One\n    progress: 0.5\n"
)


def billion_laughs(prefix: str = "x") -> str:
    lines = [f"{prefix}0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"{prefix}{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


RESOURCE_CASES: dict[str, tuple[str, str]] = {
    "alias bomb in front matter": ("sales/bomb.md", OBJECTIVE_HEAD + billion_laughs() + "---\n"),
    "alias bomb in teams.yml": ("teams.yml", "teams:\n  - id: x\n    name: X\n" + billion_laughs("    ")),
    "alias bomb in vision.md": ("vision.md", "---\nvision: V\n" + billion_laughs() + "---\n"),
    "5 MB objective file": ("sales/big.md", OBJECTIVE_HEAD + "---\n" + ("x" * 99 + "\n") * 52_000),
    "5 MB front matter value": ("sales/big.md", OBJECTIVE_HEAD + "owner: " + "x" * 5_000_000 + "\n---\n"),
    "5 MB teams.yml": ("teams.yml", "teams:\n" + "  - id: t\n    name: " + "x" * 5_000_000 + "\n"),
    "100k nested flow lists": ("sales/deep.md", OBJECTIVE_HEAD + "tags: " + "[" * 100_000 + "]" * 100_000 + "\n---\n"),
    "5k nested block lists": ("sales/deep.md", OBJECTIVE_HEAD + "tags: " + "- " * 5_000 + "x\n---\n"),
    "1k nested block mappings": (
        "sales/deep.md",
        OBJECTIVE_HEAD + "tags:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(1_000)) + "---\n",
    ),
    "nested flow mappings in teams.yml": ("teams.yml", "teams: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n"),
    "deep lists of mappings": (
        "sales/deep.md",
        OBJECTIVE_HEAD + "tags:\n" + "".join(" " * (2 * i) + "- a:\n" for i in range(400)) + "---\n",
    ),
}
MEMORY_BOUND = 100 * 1024 * 1024


def checked_with_peak_memory(okrs: Path) -> tuple[CheckResult, int]:
    """`check_folder(okrs)` and the most memory Python allocated while it ran."""
    tracemalloc.start()
    try:
        result = check_folder(okrs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


@pytest.mark.parametrize("case", list(RESOURCE_CASES))
def test_bombs_huge_files_and_deep_nesting_are_refused_with_bounded_memory(tmp_path: Path, case: str) -> None:
    relative, text = RESOURCE_CASES[case]
    okrs = tmp_path / "okrs"
    shutil.copytree(DEMO_OKRS, okrs)
    (okrs / relative).write_text(text, encoding="utf-8")

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result, peak = checked_with_peak_memory(okrs)
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before

    refusals = [p for p in result.errors if p.path == relative]
    assert [p.code for p in refusals] == ["OKR105"], result.problems
    assert 1 <= refusals[0].line <= text.count("\n") + 1
    assert "too large" in refusals[0].message or "nested" in refusals[0].message or "bytes" in refusals[0].message
    assert peak < MEMORY_BOUND, f"{peak / 1e6:.0f} MB of Python memory"
    assert rss_growth < MEMORY_BOUND, f"the process grew by {rss_growth / 1e6:.0f} MB"


OUTSIDE = "OKR101 a symbolic link to a file outside the OKR folder: okrdocs reads only files inside it; copy the file in instead"
NOT_REGULAR = (
    "OKR101 not a regular file (a folder, a device or a pipe, maybe behind a symbolic link): "
    "replace it with an ordinary file"
)


@pytest.mark.parametrize(
    ("relative", "target", "message"),
    [
        ("sales/endless.md", "/dev/zero", OUTSIDE),
        ("teams.yml", "/dev/zero", OUTSIDE),
        ("vision.md", "/dev/urandom", OUTSIDE),
        ("teams.yml", None, NOT_REGULAR),
        ("sales/fifo.md", "fifo", NOT_REGULAR),
    ],
    ids=["objective-to-dev-zero", "teams-to-dev-zero", "vision-to-dev-urandom", "teams-yml-folder", "a-pipe"],
)
def test_links_to_endless_devices_and_folders_are_refused_with_bounded_memory(
    tmp_path: Path, relative: str, target: str | None, message: str
) -> None:
    """A pull request can add a symbolic link: reading /dev/zero to the end never ends."""
    okrs = tmp_path / "okrs"
    shutil.copytree(DEMO_OKRS, okrs)
    (okrs / relative).unlink(missing_ok=True)
    if target is None:
        (okrs / relative).mkdir()
    elif target == "fifo":
        os.mkfifo(okrs / relative)
    else:
        (okrs / relative).symlink_to(target)
    result, peak = checked_with_peak_memory(okrs)
    assert [p.as_text() for p in result.errors if p.path == relative] == [f"{relative}:1: {message}"]
    assert peak < MEMORY_BOUND


def test_links_inside_the_okr_folder_are_read_and_links_out_of_it_are_not(tmp_path: Path) -> None:
    okrs = tmp_path / "okrs"
    shutil.copytree(DEMO_OKRS, okrs)
    secret = tmp_path / "elsewhere" / "secret.md"
    secret.parent.mkdir()
    (okrs / "sales" / "grow-new-market-revenue.md").rename(secret)
    (okrs / "sales" / "grow-new-market-revenue.md").symlink_to(secret)
    (okrs / "sales" / "shared").mkdir()
    (okrs / "sales" / "shared" / "win.md").symlink_to(okrs / "sales" / "win-regional-ev-share.md")
    result = check_folder(okrs)
    texts = [p.as_text() for p in result.errors]
    assert f"sales/grow-new-market-revenue.md:1: {OUTSIDE}" in texts
    assert "grow-new-market-revenue" not in result.cascade.objectives
    assert "win" in result.cascade.objectives  # the link inside the folder is read, under its own name


FOLDER_OUTSIDE = (
    "OKR101 a symbolic link to a folder outside the OKR folder: okrdocs reads only files inside it; move the folder in"
)
FOLDER_LOOP = "OKR101 a symbolic link to a folder that holds it: okrdocs would read it again and again; remove the link"


def test_linked_folders_are_read_while_they_stay_inside_the_okr_folder(tmp_path: Path) -> None:
    """A linked folder inside the OKR folder is read under the link's name; one that leads
    out of it, or back up into itself, is reported, not skipped without a word."""
    okrs = tmp_path / "okrs"
    shutil.copytree(DEMO_OKRS, okrs)
    (okrs / "_shared").mkdir()  # skipped on its own ('_'), read through the link
    (okrs / "sales" / "grow-new-market-revenue.md").rename(okrs / "_shared" / "grow-new-market-revenue.md")
    (okrs / "sales" / "shared").symlink_to(okrs / "_shared")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (okrs / "sales" / "win-regional-ev-share.md").rename(elsewhere / "win-regional-ev-share.md")
    (okrs / "sales" / "outside").symlink_to(elsewhere)
    (okrs / "sales" / "loop").symlink_to(okrs / "sales")
    result = check_folder(okrs)
    texts = [p.as_text() for p in result.errors if p.code == "OKR101"]
    assert texts == [f"sales/loop:1: {FOLDER_LOOP}", f"sales/outside:1: {FOLDER_OUTSIDE}"]
    assert result.cascade.objectives["grow-new-market-revenue"].where.path == "sales/shared/grow-new-market-revenue.md"
    assert "win-regional-ev-share" not in result.cascade.objectives


# -- builds lose nothing and are reproducible ----------------------------------------------


def generated_files(root: Path) -> set[str]:
    """What a build may add next to mkdocs.yml: the site, and the diagram cache."""
    return {name for name in snapshot(root) if not name.startswith(("site/", ".cache/okrdocs/"))}


def test_a_build_never_writes_into_the_okr_folder_or_docs_dir(tmp_path: Path) -> None:
    config_file = copy_demo_site(tmp_path / "demo")
    root = config_file.parent
    before = snapshot(root)
    modified_before = {p: p.stat().st_mtime_ns for p in root.rglob("*")}
    build_site(config_file)
    after = snapshot(root)
    assert {name: digest for name, digest in after.items() if name in before} == before
    assert generated_files(root) == set(before), "files written outside site/ and the diagram cache"
    assert {p: p.stat().st_mtime_ns for p in modified_before} == modified_before


@pytest.mark.slow
def test_two_builds_of_the_same_input_give_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold build, a rebuild with a warm diagram cache, and a build at another path agree.

    MkDocs dates its sitemap with the build day; SOURCE_DATE_EPOCH pins that date, as it
    does for reproducible builds, so that a build that crosses midnight compares too.
    """
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first_config = copy_demo_site(tmp_path / "first")
    first = snapshot(build_site(first_config))
    assert any((first_config.parent / ".cache" / "okrdocs").iterdir()), "the rebuild finds a warm diagram cache"
    rebuilt = snapshot(build_site(first_config))
    elsewhere = snapshot(build_site(copy_demo_site(tmp_path / "a" / "much" / "longer" / "path")))
    assert rebuilt == first
    assert elsewhere == first
    assert any(name.endswith("okrs.json") for name in first) and "search/search_index.json" in first


# -- names from the repository in every output (issue 12) -----------------------------------

FORGING_PATH = "sales/x\nokrs/sales/fake.md:1: OKR000 all is well\r\x1b[2K\u2028y.md"
"""A folder and a file name that, printed raw, would add a line of their own, erase one
and start another."""

MINIMAL_HELP = textwrap.dedent(MINIMAL_ORGANISATION["support/help.md"]).lstrip("\n")


def test_a_file_name_cannot_forge_a_problem_line_in_any_format(
    okr_folder: Callable[..., Path], okrdocs: Callable[..., Any]
) -> None:
    okr_folder({FORGING_PATH: MINIMAL_HELP})
    shown = "okrs/sales/x\\nokrs/sales/fake.md:1: OKR000 all is well\\r\\x1b[2K\\u2028y.md"
    text = okrdocs("check", "--okrs", "okrs")
    assert text.lines == [
        f"{shown}:1: OKR202 the file name 'fake.md:1: OKR000 all is well \\x1b[2K y' is not a valid "
        "objective id: rename the file to a slug (a-z, 0-9 and '-') or add 'id: <slug>'",
    ]
    github = okrdocs("check", "--okrs", "okrs", "--format", "github")
    assert len(github.lines) == 1 and github.lines[0].startswith(
        "::error file=okrs/sales/x\\nokrs/sales/fake.md%3A1%3A OKR000 all is well\\r\\x1b[2K\\u2028y.md,line=1,title=OKR202::"
    )
    listed = json.loads(okrdocs("check", "--okrs", "okrs", "--format", "json").out)
    assert [p["path"] for p in listed] == [f"okrs/{FORGING_PATH}"]


def test_a_file_name_cannot_forge_a_line_in_the_mkdocs_log(tmp_path: Path) -> None:
    okrs = tmp_path / "okrs"
    shutil.copytree(DEMO_OKRS, okrs)
    write_files(okrs, {FORGING_PATH: MINIMAL_HELP})
    result = run_mkdocs(write_site(tmp_path / "site-root", okrs=okrs, plugin={"diagrams": False}))
    assert result.returncode == 1
    logged = [line for line in result.stderr.splitlines() if "fake.md" in line]
    assert logged == [
        "ERROR   -  okrdocs: okrs/sales/x\\nokrs/sales/fake.md:1: OKR000 all is well\\r\\x1b[2K\\u2028y.md:1: OKR202 "
        "the file name 'fake.md:1: OKR000 all is well \\x1b[2K y' is not a valid objective id: "
        "rename the file to a slug (a-z, 0-9 and '-') or add 'id: <slug>'"
    ]


def test_a_closed_pipe_ends_the_command_quietly(tmp_path: Path) -> None:
    """`okrdocs check | head -1`: more output than a pipe holds, and the reader gone."""
    okrs = tmp_path / "okrs"
    many = "".join(f"  - id: k{n}\n    title: More\n    typo: {n}\n" for n in range(2000))
    help_with_many = MINIMAL_HELP.replace("key_results:\n", "key_results:\n" + many)
    write_files(okrs, {**MINIMAL_ORGANISATION, "support/help.md": help_with_many})
    process = subprocess.Popen(
        [sys.executable, "-m", "okrdocs.cli", "check", "--okrs", str(okrs)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert b": OKR" in process.stdout.readline()
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert (process.wait(), errors) == (141, "")


HOSTILE_FILES = {
    'sales/x" onmouseover="alert(1)" data-x=".md': "injected",
    "sales/a #b?c%d é/q #1?%41 ü.md": "hashed",
}
"""Objective files whose names are no ids (each sets `id:`), with their ids."""


class Attributes(html.parser.HTMLParser):
    """Every attribute of every element, as a browser reads them."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend((name, value or "") for name, value in attrs)


def test_file_names_become_percent_encoded_links_that_resolve(tmp_path: Path) -> None:
    okrs = tmp_path / "src" / "okrs"
    write_files(okrs, MINIMAL_ORGANISATION)
    for relative, objective_id in HOSTILE_FILES.items():
        write_files(
            okrs,
            {
                relative: MINIMAL_HELP.replace("---\n", f"---\nid: {objective_id}\n", 1)
                .replace("team: support", "team: sales")
                .replace("parent: grow", "parent: vision")
            },
        )
    config = {"repo_url": "https://example.com/acme/okrs/", "edit_uri": "edit/main/docs/"}
    site = build_site(write_site(tmp_path, okrs=okrs, config=config, plugin={"diagrams": False}), strict=False)
    expected = {
        "injected": "okrs/sales/x%22%20onmouseover%3D%22alert%281%29%22%20data-x%3D%22.md",
        "hashed": "okrs/sales/a%20%23b%3Fc%25d%20%C3%A9/q%20%231%3F%2541%20%C3%BC.md",
    }
    for objective_id, path in expected.items():
        attributes = Attributes(html_of(site, f"okrs/{objective_id}/")).found
        assert not any(name.startswith("on") or name == "data-x" for name, _ in attributes), objective_id
        edit_links = [value for name, value in attributes if name == "href" and "/edit/main/" in value]
        assert edit_links and set(edit_links) == {f"https://example.com/acme/okrs/edit/main/{path}"}
        assert (tmp_path / unquote(path)).is_file(), "the link leads to the file"
    assert broken_links(site) == []


def test_did_you_mean_compares_a_name_with_a_bounded_number_of_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    """One lookup per mistyped reference must not cost one comparison per objective: the
    check would be quadratic in the size of the organisation."""
    words = ["grow", "sell", "hire", "train", "ship", "launch", "cut", "open"]
    candidates = {f"{words[n % 8]}-{words[n // 8 % 8]}-market-{n}" for n in range(20_000)}
    compared = []
    ratio = difflib.SequenceMatcher.ratio
    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", lambda self: compared.append(1) or ratio(self))
    assert did_you_mean("sell-hire-markt-11345", candidates) == "; did you mean 'sell-hire-market-11345'?"
    assert did_you_mean("nothing-like-any", candidates) == ""
    assert len(compared) <= 2 * NameIndex.MAX_COMPARISONS


@pytest.mark.slow
def test_objectives_with_thousands_of_key_results_build_with_diagrams(tmp_path: Path) -> None:
    """5 objectives x 4,000 key results: `dot` gets at most `diagram_max_key_results` KRs
    per objective, and a "+k more" node linking to the objective's key results."""
    many = "".join(f"  - id: kr{n}\n    title: Result {n}\n" for n in range(1, 4001))
    files = {
        "teams.yml": "teams:\n  - id: company\n    name: Acme\n",
        "vision.md": "---\nvision: Be useful.\n---\n",
        **{
            f"company/o{i}.md": f"---\ntitle: Objective {i}\nteam: company\nperiod: 2026\nparent: vision\nkey_results:\n{many}---\n"
            for i in range(1, 6)
        },
    }
    write_files(tmp_path / "src" / "okrs", files)
    site = build_site(
        write_site(tmp_path / "site", okrs=tmp_path / "src" / "okrs", plugin={"dot_timeout": 30.0}), strict=False
    )
    for url in ("vision/", "teams/company/", "okrs/o1/"):
        diagram = diagrams_in(html_of(site, url))[0]
        assert diagram.count('class="node okrdg-kr"') <= 5 * 12
        assert "+3988 more key results" in diagram
    assert 'href="./#key-results"' in diagrams_in(html_of(site, "okrs/o1/"))[0]


def test_check_warns_about_an_unknown_plugin_option_as_mkdocs_does(
    okr_folder: Callable[..., Path], okrdocs: Callable[..., Any], tmp_path: Path
) -> None:
    okr_folder()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - okrdocs:\n      okr_dir: okrs\n", encoding="utf-8"
    )
    warning = "okrdocs: warning: mkdocs.yml: the 'okrdocs' plugin has no option 'okr_dir'; did you mean 'okrs_dir'?\n"
    run = okrdocs("check", "-f", "mkdocs.yml")
    assert (run.status, run.err) == (0, warning + "okrdocs: okrs: 3 objectives, 3 teams: 0 errors, 1 warning\n")
    strict = okrdocs("check", "-f", "mkdocs.yml", "--strict")
    # The summary counts what --strict fails on.
    assert (strict.status, strict.err) == (1, warning + "okrdocs: okrs: 3 objectives, 3 teams: 1 error, 0 warnings\n")


def test_the_command_line_knows_every_plugin_option() -> None:
    from okrdocs.mkdocs_plugin.config import OkrdocsConfig
    from okrdocs.site.options import OPTION_NAMES as PLUGIN_OPTIONS

    assert sorted(PLUGIN_OPTIONS) == sorted(name for name, _ in OkrdocsConfig._schema)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(codec=None)
        | st.sampled_from(list("\x00\x1b\x7f\x85\u061c\u200e\u2028\u202e\u2066\udc80")),
        max_size=30,
    )
)
def test_printable_text_is_what_the_escape_pattern_leaves(text: str) -> None:
    """`printable` returns text Python calls printable as it is: none of it is escaped."""
    assert printable(text) == _UNPRINTABLE.sub(_escape, text)


def test_every_character_printable_escapes_is_one_python_calls_unprintable() -> None:
    """What `printable`'s shortcut rests on, for every character."""
    assert [hex(c) for c in range(0x110000) if _UNPRINTABLE.match(chr(c)) and chr(c).isprintable()] == []
