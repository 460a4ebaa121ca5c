"""Contributions and dependencies in the diagrams (issue 24): the dotted contribution edge,
the unconfirmed dependency's key result, and the legend that explains both. The DOT is
read for edge names; the real `dot` renders it, parsed as XML."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from diagramkit import objective_diagram, render, team_diagram, vision_diagram

from okrdocs.core.domain.model import Objective
from okrdocs.core.rules.check import check_folder
from okrdocs.site.dot import DotRenderer
from okrdocs.site.pages import make_environment, render_legend

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
SVG = "{http://www.w3.org/2000/svg}"

# support/extra.md helps sell-more's kr1 and the company objective's kr2; sell-more's kr1
# needs support (confirmed by extra) and company (unconfirmed).
FILES = {
    "support/extra.md": """
        ---
        title: Train sales on the product
        team: support
        period: 2026-Q1
        parent: help
        contributes_to: [sell-more#kr1, grow#kr2]
        key_results:
          - id: kr1
            title: Train every associate
            progress: 0.5
        ---
        """,
    "sales/sell-more.md": """
        ---
        title: Double revenue
        team: sales
        period: 2026-Q1
        parent: grow#kr1
        key_results:
          - id: kr1
            title: Sign ten new customers
            progress: 0.4
            depends_on: [support, company]
        ---
        """,
}


def link(objective: Objective) -> str:
    return f"../okrs/{objective.id}/"


def edges(dot: str, kind: str) -> set[str]:
    found = re.findall(rf'^  "([^"]+)" -> "([^"]+)" \[.*class="okrdg-edge okrdg-edge-{kind}"', dot, re.MULTILINE)
    return {f"{source}->{target}" for source, target in found}


def groups(root: ET.Element, css_class: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if css_class in (g.get("class") or "").split()]


def test_a_contribution_is_a_dotted_edge_that_leaves_the_layout_to_the_cascade(
    okr_folder: Callable[..., Path],
) -> None:
    cascade = check_folder(okr_folder(FILES)).cascade
    dot = objective_diagram(cascade, "extra", link)
    assert edges(dot, "contributes") == {"o_extra->k_sell-more__kr1", "o_extra->k_grow__kr2"}
    line = next(line for line in dot.splitlines() if "okrdg-edge-contributes" in line)
    assert "style=dotted" in line and "constraint=false" in line
    root = ET.fromstring(render(DotRenderer(), dot))
    drawn = groups(root, "okrdg-edge-contributes")
    assert len(drawn) == 2
    path = drawn[0].find(f".//{SVG}path")
    assert path is not None and path.get("stroke-dasharray")  # dotted in the SVG itself
    # The helped objective's diagram shows the helper (and its help to grow, drawn there as
    # sell-more's parent); the team's diagram both ends.
    assert edges(objective_diagram(cascade, "sell-more", link), "contributes") == {
        "o_extra->k_sell-more__kr1",
        "o_extra->k_grow__kr2",
    }
    assert "o_extra->k_sell-more__kr1" in edges(team_diagram(cascade, "sales", link), "contributes")
    # The vision diagram draws a contribution only between objectives it shows anyway.
    assert edges(vision_diagram(cascade, link, 1), "contributes") == set()
    assert edges(vision_diagram(cascade, link, 2), "contributes") == {
        "o_extra->k_sell-more__kr1",
        "o_extra->k_grow__kr2",
    }


def test_a_key_result_with_an_unconfirmed_dependency_stands_out(okr_folder: Callable[..., Path]) -> None:
    cascade = check_folder(okr_folder(FILES)).cascade
    dot = objective_diagram(cascade, "sell-more", link)
    node = next(line for line in dot.splitlines() if line.startswith('  "k_sell-more__kr1" ['))
    assert "okrdg-kr-unconfirmed" in node and "penwidth=2.5" in node
    assert "⚠ needs Acme" in node
    assert "Depends on: Support (confirmed), Acme (unconfirmed)" in node
    root = ET.fromstring(render(DotRenderer(), dot))
    (unconfirmed,) = groups(root, "okrdg-kr-unconfirmed")
    assert (unconfirmed.get("id") or "").endswith("-k_sell-more__kr1")
    # Once every team confirmed, the key result looks like any other.
    confirmed = dict(FILES)
    confirmed["sales/sell-more.md"] = FILES["sales/sell-more.md"].replace("[support, company]", "[support]")
    cascade = check_folder(okr_folder(confirmed)).cascade
    node = next(
        line
        for line in objective_diagram(cascade, "sell-more", link).splitlines()
        if line.startswith('  "k_sell-more__kr1" [')
    )
    assert "okrdg-kr-unconfirmed" not in node and "⚠" not in node
    assert "Depends on: Support (confirmed)" in node


def test_the_legend_explains_the_third_edge_and_the_unconfirmed_dependency() -> None:
    legend = render_legend(make_environment([]))
    items = re.findall(r'<li class="([^"]+)">([^<]+)</li>', legend)
    assert ("okr-legend__edge okr-legend__edge--contributes", "contributes to (not counted in the score)") in items
    assert ("okr-legend__kr okr-legend__kr--unconfirmed", "depends on a team that has not confirmed") in items
    css = (Path(__file__).resolve().parents[1] / "okrdocs/site/assets/okrdocs.css").read_text(encoding="utf-8")
    assert ".okr-legend li.okr-legend__edge--contributes::before { border-top-style: dotted;" in css
    assert ".okrdg-kr-unconfirmed polygon { stroke: var(--okr-off-track); }" in css
