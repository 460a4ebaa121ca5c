"""Alignment diagrams: the DOT okrdocs writes, and the SVG the real Graphviz `dot` makes of it.

Every SVG is parsed with xml.etree, so "well-formed" and "no <script> element" are proved,
not grepped. The renderer tests point `dot_path` at a tiny wrapper around the real `dot`
that logs each run, to count processes.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from diagramkit import objective_diagram, render, render_many, render_to_cache, submit, team_diagram, vision_diagram
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrdocs.core.domain.cascade import Cascade, resolve
from okrdocs.core.domain.model import Located, Objective, ParentRef, Period, Repository, Team, Vision
from okrdocs.core.rules.check import check_folder
from okrdocs.site.diagrams import clean_text
from okrdocs.site.dot import PRUNE_AFTER, DiagramMissing, DotRenderer, GraphvizFailed, GraphvizNotFound
from okrdocs.site.pages import make_environment, render_legend
from okrdocs.site.text import plain_text
from sitebuild import build_site, write_site

DEMO_OKRS = Path(__file__).resolve().parent.parent / "okrs"
DOT = shutil.which("dot")
pytestmark = pytest.mark.skipif(DOT is None, reason="Graphviz's dot is not installed")

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
NASTY_TITLES = [
    'Say "hello" to \\ backslashes \\N \\G \\n and \\\\ doubles',
    "Braces {like} [these] | pipes <and> angle brackets",
    "<script>alert('x')</script> & &amp; &lt;b&gt; ]]> -- -->",
    "مرحبا بالعالم: grow sales in the Gulf 🚀🚗 日本語 é ñ",
    "]",  # Graphviz 2.43 rejects a label of just `]`
]


def link(objective: Objective) -> str:
    return f"../okrs/{objective.id}/"


@pytest.fixture(scope="module")
def demo() -> Cascade:
    return check_folder(DEMO_OKRS).cascade


@pytest.fixture(scope="module")
def renderer() -> DotRenderer:
    return DotRenderer()


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def groups(root: ET.Element, css_class: str) -> list[ET.Element]:
    """The <g> elements whose class list holds `css_class`."""
    return [g for g in root.iter(f"{SVG}g") if css_class in (g.get("class") or "").split()]


def objective_nodes(root: ET.Element) -> list[ET.Element]:
    return groups(root, "okrdg-objective")


def title_of(group: ET.Element) -> str:
    """A node's DOT name (`o_<id>`, `k_<id>__<kr>`, `vision`, ...): its element id is
    `<graph id>-<name>`, and graph ids hold no `_` before the name."""
    match = re.search(r"-([ok]_.*|vision|more|note)$", group.get("id") or "")
    return match[1] if match else ""


def anchor_of(group: ET.Element) -> ET.Element:
    anchor = group.find(f".//{SVG}a")
    assert anchor is not None, title_of(group)
    return anchor


def texts_of(group: ET.Element) -> list[str]:
    return [text.text or "" for text in group.iter(f"{SVG}text")]


def edges(dot: str, kind: str) -> set[str]:
    """`source->target` node names of the DOT's edges of one kind (tight, loose, kr, vision);
    the SVG has no names for edges (see `edge_count`)."""
    found = re.findall(rf'^  "([^"]+)" -> "([^"]+)" \[.*class="okrdg-edge okrdg-edge-{kind}"', dot, re.MULTILINE)
    return {f"{source}->{target}" for source, target in found}


def edge_count(root: ET.Element, kind: str) -> int:
    return len(groups(root, f"okrdg-edge-{kind}"))


def make_cascade(objectives: list[Objective], teams: list[Team] | None = None) -> Cascade:
    where = Located("teams.yml", 1)
    teams = teams or [Team("company", "Acme", where), Team("sales", "Sales", where, parent_id="company")]
    vision = Vision("Be useful", Located("vision.md", 1))
    return resolve(Repository(teams=teams, objectives=objectives, vision=vision))


def objective(
    objective_id: str,
    title: str,
    parent: str,
    team: str = "company",
    krs: list[tuple[str, str]] | None = None,
    **fields: object,
) -> Objective:
    from okrdocs.core.domain.model import KeyResult

    where = Located(f"{team}/{objective_id}.md", 1)
    key_results = [KeyResult(kr_id, kr_title, where, progress=0.5) for kr_id, kr_title in (krs or [("kr1", "Do it")])]
    return Objective(
        objective_id,
        title,
        where,
        team,
        Period.parse("2026"),
        ParentRef.parse(parent),
        key_results,
        **fields,  # type: ignore[arg-type]
    )


# -- what the diagrams show ----------------------------------------------------------------


def test_vision_diagram_shows_company_objectives_their_krs_and_pickups_to_the_depth(
    demo: Cascade, renderer: DotRenderer
) -> None:
    shallow = parse(render(renderer, vision_diagram(demo, link, depth=0)))
    top_ids = {o.id for o in demo.top_objectives}
    assert {title_of(g) for g in objective_nodes(shallow)} == {f"o_{i}" for i in top_ids}
    company_krs = {f"k_{o.id}__{kr.id}" for o in demo.top_objectives for kr in o.key_results}
    assert {title_of(g) for g in groups(shallow, "okrdg-kr")} == company_krs

    deep_dot = vision_diagram(demo, link, depth=1)
    deep = parse(render(renderer, deep_dot))
    drawn = {title_of(g)[2:] for g in objective_nodes(deep)}
    assert drawn == top_ids | {c.id for o in demo.top_objectives for c in demo.children[o.id]}
    # become-leading-ev-dealership#kr1 was picked up by Sales' win-regional-ev-share: tight.
    assert "k_become-leading-ev-dealership__kr1->o_win-regional-ev-share" in edges(deep_dot, "tight")
    assert "vision->o_diversify-markets" in edges(deep_dot, "vision")
    assert edge_count(deep, "tight") == len(edges(deep_dot, "tight"))


def test_team_diagram_shows_ancestors_to_the_vision_and_other_teams_pickups(
    demo: Cascade, renderer: DotRenderer
) -> None:
    dot = team_diagram(demo, "sales", link)
    root = parse(render(renderer, dot))
    drawn = {title_of(g)[2:] for g in objective_nodes(root)}
    own = {o.id for o in demo.objectives_by_team["sales"]}
    ancestors = {a.id for o in demo.objectives_by_team["sales"] for a in demo.chain(o)}
    pickups = {c.id for o in demo.objectives_by_team["sales"] for c in demo.children[o.id] if c.team_id != "sales"}
    helpers = {c.contributor.id for o in own for c in demo.links.contributions_to.get(o, [])}
    assert own and pickups and helpers == {"grow-organic-traffic"}  # contributes to win-regional-ev-share#kr4
    assert drawn == own | ancestors | pickups | helpers
    focus = {title_of(g)[2:] for g in groups(root, "okrdg-focus")}
    assert focus == own
    assert "k_win-regional-ev-share__kr1->o_hire-sales-associates" in edges(dot, "tight")
    assert "o_win-regional-ev-share->o_respond-to-every-lead-fast" in edges(dot, "loose")
    assert title_of(groups(root, "okrdg-vision")[0]) == "vision"


def test_objective_diagram_shows_the_lineage_and_direct_children(demo: Cascade, renderer: DotRenderer) -> None:
    target = demo.objectives["win-regional-ev-share"]
    root = parse(render(renderer, objective_diagram(demo, target.id, link)))
    drawn = {title_of(g)[2:] for g in objective_nodes(root)}
    helper = "grow-organic-traffic"  # contributes to its kr4
    assert drawn == {o.id for o in demo.chain(target)} | {c.id for c in demo.children[target.id]} | {helper}
    assert {title_of(g)[2:] for g in groups(root, "okrdg-focus")} == {target.id}
    # All of the focus objective's KRs are drawn, only the picked-up KR of its parent.
    krs = {title_of(g) for g in groups(root, "okrdg-kr")}
    assert krs == {f"k_{target.id}__{kr.id}" for kr in target.key_results} | {"k_become-leading-ev-dealership__kr1"}


def test_an_objectives_krs_are_drawn_in_reading_order_as_written(demo: Cascade, renderer: DotRenderer) -> None:
    """Graphviz orders the nodes of a rank to avoid crossings; KRs must still read kr1, kr2...
    top to bottom in a left-to-right diagram, left to right in a top-to-bottom one."""
    focused = [o for o in demo.objectives.values() if len(o.key_results) > 1]
    sources = [objective_diagram(demo, o.id, link) for o in focused]
    svgs = render_many(renderer, sources)
    for target, source, svg in zip(focused, sources, svgs, strict=True):
        axis = "x" if "rankdir=TB" in source else "y"
        tops = {title_of(g): float(next(g.iter(f"{SVG}text")).get(axis) or 0) for g in groups(parse(svg), "okrdg-kr")}
        drawn = sorted((name for name in tops if name.startswith(f"k_{target.id}__")), key=tops.__getitem__)
        assert drawn == [f"k_{target.id}__{kr.id}" for kr in target.key_results], target.id


def test_each_diagram_takes_the_narrower_direction(demo: Cascade) -> None:
    """An objective's chain is deep and narrow: top to bottom. The vision fans out: left to right."""
    deep = max(demo.objectives.values(), key=lambda o: (len(demo.chain(o)), o.id))
    assert "rankdir=TB" in objective_diagram(demo, deep.id, link)
    assert "rankdir=LR" in vision_diagram(demo, link)


def test_every_objective_node_links_to_its_page_with_a_tooltip_of_team_and_score(
    demo: Cascade, renderer: DotRenderer
) -> None:
    root = parse(render(renderer, vision_diagram(demo, link, vision_link="../vision/")))
    nodes = objective_nodes(root)
    assert nodes
    for node in nodes:
        objective_ = demo.objectives[title_of(node)[2:]]
        anchor = anchor_of(node)
        assert anchor.get(f"{XLINK}href") == f"../okrs/{objective_.id}/"
        assert anchor.get("target") == "_top"
        tooltip = anchor.get(f"{XLINK}title") or ""
        team = demo.teams[objective_.team_id or ""]
        score = demo.objective_score(objective_)
        assert f"\nTeam: {team.name}\n" in tooltip
        assert f"\nScore: {round(score * 100)}%" in tooltip if score is not None else "not measured" in tooltip
        assert f"okrdg-status-{objective_.status or 'none'}" in node.get("class", "")
    vision_anchor = anchor_of(groups(root, "okrdg-vision")[0])
    assert vision_anchor.get(f"{XLINK}href") == "../vision/"


def test_tight_and_loose_links_have_their_own_classes_and_styles(okr_folder: Callable[..., Path]) -> None:
    cascade = check_folder(okr_folder()).cascade
    dot = vision_diagram(cascade, link)
    tight = next(line for line in dot.splitlines() if '"k_grow__kr1" -> "o_sell-more"' in line)
    loose = next(line for line in dot.splitlines() if '"o_grow" -> "o_help"' in line)
    assert 'class="okrdg-edge okrdg-edge-tight"' in tight and "style=solid" in tight
    assert 'class="okrdg-edge okrdg-edge-loose"' in loose and "style=dashed" in loose
    root = parse(render(DotRenderer(), dot))
    assert edges(dot, "tight") == {"k_grow__kr1->o_sell-more"}
    assert edges(dot, "loose") == {"o_grow->o_help"}
    assert edges(dot, "kr") == {"o_grow->k_grow__kr1", "o_grow->k_grow__kr2"}
    assert (edge_count(root, "tight"), edge_count(root, "loose"), edge_count(root, "kr")) == (1, 1, 2)
    # The dashed loose edge and the solid tight one differ in the SVG itself.
    loose_path = groups(root, "okrdg-edge-loose")[0].find(f".//{SVG}path")
    assert loose_path is not None and loose_path.get("stroke-dasharray")
    # The page's legend explains both; the diagram itself draws none.
    assert "legend" not in dot
    legend = render_legend(make_environment([]))
    assert "picked up a delegated key result (tight)" in legend and "aligned to an objective (loose)" in legend


# -- escaping ----------------------------------------------------------------------------------


@pytest.mark.parametrize("title", NASTY_TITLES)
def test_titles_come_out_as_text_in_labels_and_tooltips(title: str, renderer: DotRenderer) -> None:
    """Titles are inline Markdown: the diagram shows the text Markdown makes of them
    (`\\\\` is one backslash, `&amp;` is `&`), never markup, whatever the characters."""
    nasty = objective("nasty", title, "vision", krs=[("kr1", title)])
    shown = plain_text(title)
    cascade = make_cascade([nasty])
    svg = render(renderer, objective_diagram(cascade, "nasty", link))
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag.lower().endswith("script")]
    node = objective_nodes(root)[0]
    label_lines = texts_of(node)[:-1]
    assert " ".join(label_lines).replace(" ", "") == shown.replace(" ", "")
    assert (anchor_of(node).get(f"{XLINK}title") or "").split("\n")[0] == shown
    kr = [g for g in groups(root, "okrdg-kr") if title_of(g) == "k_nasty__kr1"][0]
    assert " ".join(texts_of(kr)[:-1]).replace(" ", "") == shown.replace(" ", "")
    assert "<script>" not in svg


def test_markdown_newlines_and_control_characters_in_titles_become_plain_text(renderer: DotRenderer) -> None:
    title = "**Grow** `ARR` by [10%](https://x.example)\nin *all*\tregions\x07 ![logo](l.png)"
    cascade = make_cascade([objective("md", title, "vision")])
    root = parse(render(renderer, objective_diagram(cascade, "md", link)))
    tooltip = anchor_of(objective_nodes(root)[0]).get(f"{XLINK}title") or ""
    assert tooltip.split("\n")[0] == "Grow ARR by 10% in all regions"


def test_titles_in_wide_characters_wrap_at_the_same_width_as_latin_ones(renderer: DotRenderer) -> None:
    """A Japanese title wraps after half as many characters: each is as wide as two letters."""
    japanese = "新しい市場で最初のフリート顧客を獲得し売上を伸ばす"  # 25 characters, no spaces
    cascade = make_cascade([objective("ja", japanese, "vision")])
    node = objective_nodes(parse(render(renderer, objective_diagram(cascade, "ja", link))))[0]
    title_lines = texts_of(node)[:-1]  # the last line is the team and score
    assert "".join(title_lines) == japanese
    assert [len(line) for line in title_lines] == [12, 12, 1]  # 24 letters wide, as WRAP_WIDTH


def test_team_names_and_odd_ids_are_escaped_too(renderer: DotRenderer) -> None:
    where = Located("teams.yml", 1)
    teams = [Team("r-d", 'R&D "Labs" <b>\\N</b>', where)]
    odd = objective('odd id" ]; evil', "Odd", "vision", team="r-d")
    cascade = make_cascade([odd], teams)
    dot = objective_diagram(cascade, odd.id, link)
    root = parse(render(renderer, dot))
    node = objective_nodes(root)[0]
    assert texts_of(node)[-1] == 'R&D "Labs" <b>\\N</b> · 50%'
    assert 'Team: R&D "Labs" <b>\\N</b>' in (anchor_of(node).get(f"{XLINK}title") or "")
    assert anchor_of(node).get(f"{XLINK}href") == "../okrs/odd%20id%22%20%5D;%20evil/"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=80))
def test_any_title_renders_to_well_formed_svg_that_shows_it(title: str) -> None:
    cascade = make_cascade([objective("any", title, "vision", status="at-risk")])
    root = parse(render(DotRenderer(), objective_diagram(cascade, "any", link)))
    node = objective_nodes(root)[0]
    tooltip = anchor_of(node).get(f"{XLINK}title") or ""
    assert tooltip.split("\n")[0] == (clean_text(plain_text(title)) or "any")
    assert not [e for e in root.iter() if e.tag.lower().endswith("script")]


# -- size and determinism --------------------------------------------------------------------------


def test_a_big_diagram_is_cut_with_a_note_linking_to_the_rest(renderer: DotRenderer) -> None:
    top = objective("big", "Big", "vision", krs=[("kr1", "Grow")])
    children = [objective(f"child-{n:02}", f"Child {n}", "big#kr1", team="sales") for n in range(30)]
    cascade = make_cascade([top, *children])
    dot = vision_diagram(cascade, link, max_objectives=10, more_link="../teams/")
    root = parse(render(renderer, dot))
    assert len(objective_nodes(root)) == 10
    note = groups(root, "okrdg-more")[0]
    assert texts_of(note) == ["… 21 more objectives not shown", "see the teams directory"]
    assert anchor_of(note).get(f"{XLINK}href") == "../teams/"
    assert "okrdg-more" not in vision_diagram(cascade, link, max_objectives=60)


def test_an_objective_shows_at_most_max_key_results_and_links_to_the_rest(renderer: DotRenderer) -> None:
    krs = [(f"kr{n}", f"Result {n}") for n in range(1, 31)]
    top = objective("big", "Big", "vision", krs=krs)
    child = objective("late", "Late", "big#kr30", team="sales")
    cascade = make_cascade([top, child])
    root = parse(render(renderer, vision_diagram(cascade, link, max_key_results=12)))
    shown = [title_of(group) for group in groups(root, "okrdg-kr") if title_of(group).startswith("k_")]
    # kr30 is drawn because a drawn child picked it up, and the first 11 after it
    assert shown == [f"k_big__kr{n}" for n in [*range(1, 12), 30]]
    more = groups(root, "okrdg-more")
    assert [texts_of(group) for group in more] == [["+18 more key results"]]
    assert anchor_of(more[0]).get(f"{XLINK}href") == "../okrs/big/#key-results"
    assert "okrdg-more" not in vision_diagram(cascade, link, max_key_results=30)


def test_a_team_diagram_cut_keeps_whole_chains(demo: Cascade) -> None:
    dot = team_diagram(demo, "sales-emea", link, max_objectives=3)
    drawn = set(re.findall(r'^  "o_([a-z0-9-]+)" \[', dot, re.MULTILINE))
    for objective_id in drawn:
        assert {o.id for o in demo.chain(demo.objectives[objective_id])} <= drawn
    assert "more objective" in dot


def test_the_same_cascade_gives_the_same_dot_and_svg_bytes(demo: Cascade) -> None:
    again = check_folder(DEMO_OKRS).cascade
    for make in (
        lambda c: vision_diagram(c, link),
        lambda c: team_diagram(c, "sales", link),
        lambda c: objective_diagram(c, "scale-hiring", link),
    ):
        assert make(demo) == make(again)
    sources = [team_diagram(demo, team_id, link) for team_id in sorted(demo.teams)]
    batched = render_many(DotRenderer(jobs=2), sources)
    alone = [render(DotRenderer(), source) for source in sources[:4]]
    assert batched[:4] == alone
    assert render_many(DotRenderer(jobs=1), list(reversed(sources))) == list(reversed(batched))


def test_svg_is_ready_to_inline_and_ids_are_unique_across_the_site(demo: Cascade, renderer: DotRenderer) -> None:
    sources = [vision_diagram(demo, link)]
    sources += [team_diagram(demo, team_id, link) for team_id in sorted(demo.teams)]
    sources += [objective_diagram(demo, objective_id, link) for objective_id in sorted(demo.objectives)]
    ids: list[str] = []
    for svg in render_many(renderer, sources):
        assert svg.startswith("<svg ") and "<?xml" not in svg and "<!DOCTYPE" not in svg and "<!--" not in svg
        # No <title> elements: browsers would show internal node names (`o_grow->k_grow__kr1`) on hover.
        assert "<title>" not in svg and "&#45;" not in svg
        root = parse(svg)
        assert root.get("viewBox")
        ids.extend(element.get("id") for element in root.iter() if element.get("id"))  # type: ignore[misc]
    assert len(ids) == len(set(ids))


# -- the renderer ------------------------------------------------------------------------------


@pytest.fixture
def counting_dot(tmp_path: Path) -> tuple[str, Path]:
    """A `dot` that logs one line per run, then runs the real Graphviz dot."""
    log = tmp_path / "dot-runs.log"
    script = tmp_path / "bin" / "dot"
    script.parent.mkdir()
    script.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec "{DOT}" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script), log


def runs(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def small_graphs(count: int) -> list[str]:
    return [f'digraph "g{n}" {{ id="g{n}"; a{n} -> b{n} [label="{n}"]; }}' for n in range(count)]


def test_misses_are_rendered_in_two_dot_processes_and_then_come_from_the_cache(
    counting_dot: tuple[str, Path], tmp_path: Path
) -> None:
    dot_path, log = counting_dot
    cache = tmp_path / "cache"
    renderer = DotRenderer(dot_path, cache_dir=cache, jobs=2)
    sources = small_graphs(20)
    first = render_many(renderer, sources)
    assert runs(log) == 2
    assert [re.search(r'<g id="(g\d+)"', svg)[1] for svg in first] == [f"g{n}" for n in range(20)]  # type: ignore[index]
    assert render_many(renderer, sources) == first
    assert runs(log) == 2  # memory cache
    assert render_many(DotRenderer(dot_path, cache_dir=cache), sources) == first
    assert runs(log) == 2  # disk cache, a new renderer as after a restart
    changed = [*sources[:-1], 'digraph "new" { x -> y }']
    render_many(DotRenderer(dot_path, cache_dir=cache), changed)
    assert runs(log) == 3  # only the changed diagram is laid out


def _age(folder: Path, seconds: float = PRUNE_AFTER + 60) -> None:
    """Make every file in `folder` look as if no build had used it for `seconds`."""
    then = time.time() - seconds
    for path in folder.iterdir():
        os.utime(path, (then, then))


def test_prune_forgets_diagrams_no_build_used_for_a_day(tmp_path: Path) -> None:
    renderer = DotRenderer(cache_dir=tmp_path)
    render_many(renderer, small_graphs(3))
    renderer.prune()
    render_many(renderer, small_graphs(2))
    assert renderer.prune() == 0  # another build sharing the folder may be using the third
    _age(tmp_path / "diagrams")
    render_many(renderer, small_graphs(2))  # used again: touched
    assert renderer.prune() == 1
    assert len(list((tmp_path / "diagrams").glob("*.svg"))) == 2


def test_prune_removes_only_okrdocs_svgs_in_its_own_folder(tmp_path: Path) -> None:
    foreign = {"notes.svg": "<svg/>", f"{'a' * 64}.svg": "<svg/>", "history.json": "{}", "pages.json": "[]"}
    for name, text in foreign.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "diagrams").mkdir()
    (tmp_path / "diagrams" / "logo.svg").write_text("<svg/>")
    renderer = DotRenderer(cache_dir=tmp_path)
    render_many(renderer, small_graphs(2))
    _age(tmp_path)
    _age(tmp_path / "diagrams")
    assert DotRenderer(cache_dir=tmp_path).prune() == 2
    files = {path.name: path.read_text() for path in tmp_path.iterdir() if path.is_file()}
    assert {name: text for name, text in files.items() if name != "CACHEDIR.TAG"} == foreign
    assert [path.name for path in (tmp_path / "diagrams").iterdir()] == ["logo.svg"]


def test_an_svg_another_build_prunes_meanwhile_is_kept_by_touching_it(tmp_path: Path) -> None:
    """Two builds share a cache folder: the second prunes while the first still has pages
    to write. The first build's diagrams reach its pages, written now or long ago."""
    first = DotRenderer(cache_dir=tmp_path)
    render_to_cache(first, small_graphs(3))
    _age(tmp_path / "diagrams")  # laid out by a build a week ago
    keys = render_to_cache(DotRenderer(cache_dir=tmp_path), small_graphs(3))  # this build: all cached
    other = DotRenderer(cache_dir=tmp_path)
    render_to_cache(other, ['digraph "other" { p -> q }'])
    other.prune()
    assert [other.svg(key).count("<svg") for key in keys] == [1, 1, 1]


def test_an_svg_gone_from_the_cache_is_an_error_not_an_empty_figure(tmp_path: Path) -> None:
    renderer = DotRenderer(cache_dir=tmp_path)
    [key] = render_to_cache(renderer, small_graphs(1))
    (tmp_path / "diagrams" / f"{key}.svg").unlink()
    with pytest.raises(DiagramMissing) as raised:
        renderer.svg(key)
    assert str(raised.value) == (
        f"a diagram laid out by this build is gone from the cache folder '{tmp_path / 'diagrams'}' "
        "(did another program or build remove it?): give each build a cache_dir of its own and build again"
    )


def test_an_svg_that_cannot_be_written_to_the_cache_is_kept_in_memory(tmp_path: Path) -> None:
    (tmp_path / "diagrams").write_text("a file in the way of the SVG folder")
    renderer = DotRenderer(cache_dir=tmp_path)
    svgs = render_many(renderer, small_graphs(3))
    assert [svg.count("<svg") for svg in svgs] == [1, 1, 1]
    assert renderer.write_error == "File exists"


def test_graphs_with_several_clusters_get_a_process_of_their_own(counting_dot: tuple[str, Path]) -> None:
    # dot 2.43 lays such graphs out differently when other graphs came first in the process.
    dot_path, log = counting_dot
    clustered = "digraph c { subgraph cluster_a { a } subgraph cluster_b { b } a -> b }"
    render_many(DotRenderer(dot_path, jobs=1), [*small_graphs(3), clustered])
    assert runs(log) == 2


def test_missing_dot_gives_one_message_saying_how_to_install_graphviz(tmp_path: Path) -> None:
    renderer = DotRenderer(str(tmp_path / "no-such-dot"))
    with pytest.raises(GraphvizNotFound) as raised:
        render_many(renderer, small_graphs(1))
    message = str(raised.value)
    for hint in ("apt-get install graphviz", "brew install graphviz", "https://graphviz.org/download/", "`dot_path`"):
        assert hint in message


def test_a_broken_source_in_a_batch_is_named_with_dots_message(counting_dot: tuple[str, Path]) -> None:
    dot_path, _ = counting_dot
    sources = [*small_graphs(5), "digraph broken { a -> }", *small_graphs(3)]
    names = [f"page {n}" for n in range(len(sources))]
    with pytest.raises(GraphvizFailed) as raised:
        render_many(DotRenderer(dot_path, jobs=1), sources, names)
    assert raised.value.diagram == "page 5"
    assert "diagram 'page 5'" in str(raised.value)
    assert "syntax error" in str(raised.value)


def _hanging_dot(tmp_path: Path) -> str:
    """A `dot` that never answers, and starts a child that holds its output open too."""
    script = tmp_path / "hanging-dot"
    script.write_text("#!/bin/sh\nsleep 30 &\nsleep 30\n")
    script.chmod(0o755)
    return str(script)


def test_a_batch_that_times_out_is_not_tried_again_diagram_by_diagram(tmp_path: Path) -> None:
    renderer = DotRenderer(_hanging_dot(tmp_path), timeout=0.5, jobs=2)
    names = [f"page {n}" for n in range(20)]
    started = time.monotonic()
    futures = submit(renderer, small_graphs(20), names)
    errors = {str(future.exception()) for future in futures}
    elapsed = time.monotonic() - started
    assert elapsed < 2 * 0.5 + 1.0, elapsed  # each batch: at most twice dot_timeout
    assert renderer.dot_runs == 2
    assert errors == {
        "Graphviz's `dot` took longer than 0.5 s on a batch of 10 diagrams; raise the plugin's "
        "`dot_timeout` option or make the diagram smaller (`diagram_max_objectives`, `diagram_max_key_results`)"
    }


def test_a_batch_that_fails_fast_is_tried_diagram_by_diagram_within_the_same_budget(tmp_path: Path) -> None:
    """A batch `dot` rejects is laid out again one diagram at a time, to name the broken
    one; a `dot` that then hangs gets what is left of twice dot_timeout, not dot_timeout each."""
    script = tmp_path / "fails-then-hangs"
    script.write_text(
        f'#!/bin/sh\nif [ -e "{tmp_path}/failed" ]; then exec sleep 30; fi\ntouch "{tmp_path}/failed"\nexit 1\n'
    )
    script.chmod(0o755)
    renderer = DotRenderer(str(script), timeout=0.5, jobs=1)
    started = time.monotonic()
    futures = submit(renderer, small_graphs(8), [f"page {n}" for n in range(8)])
    assert all("`dot_timeout`" in str(future.exception()) for future in futures)
    assert time.monotonic() - started < 2 * 0.5 + 1.0
    assert renderer.dot_runs == 2  # the batch, then one diagram; the others fail at once


def test_a_dot_that_hangs_is_stopped_and_named(tmp_path: Path) -> None:
    script = tmp_path / "slow-dot"
    script.write_text("#!/bin/sh\nsleep 10\n")
    script.chmod(0o755)
    with pytest.raises(GraphvizFailed) as raised:
        render_many(DotRenderer(str(script), timeout=0.3), small_graphs(1), ["the vision page"])
    assert "took longer than 0.3 s on diagram 'the vision page'" in str(raised.value)


def test_render_to_cache_keeps_svgs_on_disk_and_reads_them_by_key(tmp_path: Path) -> None:
    sources = ["digraph a { x -> y }", "digraph b { y -> z }", "digraph a { x -> y }"]
    renderer = DotRenderer(cache_dir=tmp_path / "cache")
    keys = render_to_cache(renderer, sources, ["one", "two", "three"])
    assert keys[0] == keys[2] != keys[1]
    assert renderer.dot_runs >= 1 and len(list((tmp_path / "cache" / "diagrams").glob("*.svg"))) == 2
    assert "<svg" in renderer.svg(keys[1]) and renderer._memory == {}
    fresh = DotRenderer(cache_dir=tmp_path / "cache")
    assert render_to_cache(fresh, sources) == keys and fresh.dot_runs == 0
    assert fresh.svg(keys[0]) == renderer.svg(keys[0])
    in_memory = DotRenderer(cache_dir=None)
    assert in_memory.svg(render_to_cache(in_memory, sources[:1])[0]) == renderer.svg(keys[0])


def test_submit_returns_at_once_and_each_future_gives_its_key(tmp_path: Path) -> None:
    renderer = DotRenderer(cache_dir=tmp_path / "cache")
    sources = small_graphs(6) + ['digraph "bad" { a -> }']
    futures = submit(renderer, sources, [f"page {n}" for n in range(7)])
    keys = [future.result() for future in futures[:6]]
    assert [renderer.svg(key).count("<svg") for key in keys] == [1] * 6
    with pytest.raises(GraphvizFailed, match="diagram 'page 6'"):
        futures[6].result()


def test_a_build_keeps_only_its_own_diagrams_in_the_cache(tmp_path: Path) -> None:
    config_file = write_site(tmp_path)
    build_site(config_file)
    cache = tmp_path / ".cache" / "okrdocs" / "diagrams"
    first = {path.name for path in cache.glob("*.svg")}
    assert first
    objective_file = next((tmp_path / "okrs").rglob("win-regional-ev-share.md"))
    text = objective_file.read_text(encoding="utf-8")
    objective_file.write_text(text.replace("title: ", "title: Renamed, ", 1), encoding="utf-8")
    _age(cache)  # the last build was more than a day ago
    build_site(config_file)
    second = {path.name for path in cache.glob("*.svg")}
    assert len(second) == len(first)  # as many diagrams as before, the old ones gone
    assert first - second and second - first
