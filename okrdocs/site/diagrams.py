"""Alignment diagrams as Graphviz DOT text: the vision, a team and an objective in the cascade.

Pure functions of the `Cascade`: the same cascade and links give the same DOT bytes, so the
renderer's cache (keyed by the DOT text) only lays out what changed. Nothing here imports
MkDocs; links come from callables the caller builds (`urls.relative_url`).

What the marks mean (the page's legend under each diagram, `_legend.html`, says the same):
- objectives are rounded boxes filled by status, with the team and score under the title;
- key results are small boxes hanging off their objective (thin line, no arrow);
- a solid arrow from a key result is a tight link: another objective picked that KR up;
- a dashed arrow from an objective is a loose link: another objective aligns to it as a whole;
- a dotted arrow is a contribution: an objective helps another objective or key result
  besides its parent (it does not move the cascade's layout, nor any score);
- a key result with a thick warning-coloured border depends on a team that has not
  confirmed it yet (`core.domain.links`).

Teams are named in each objective's label rather than drawn as clusters: Graphviz 2.43
lays out graphs with several clusters differently from run to run when they share a `dot`
process (see `dot._batch_safe`), and team clusters crowd cross-team edges.

Every node and edge carries `class` attributes (prefix `okrdg-`) that Graphviz
writes into the SVG. The DOT holds no colour: okrdocs.css colours the SVG through those
classes with the same custom properties (`--okr-*`) as the pages, for the light and the
dark palette, so a colour has one home.

Text from OKR files goes into three DOT contexts, each escaped for how Graphviz reads it:
HTML-like labels (`_label_text`), tooltips (`_tooltip`) and URLs (`_url`).
"""

from __future__ import annotations

import functools
import hashlib
import re
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from ..core.domain.cascade import Cascade
from ..core.domain.model import SLUG_PATTERN, STATUS_LABELS, KeyResult, Objective, percent
from ..core.history.timeline import newest_first
from .i18n import Language
from .options import DiagramSettings
from .text import plain_text

ObjectiveLink = Callable[[Objective], "str | None"]
"""The href of an objective's page, relative to the page the SVG is embedded in."""


"""Key results one objective shows in a diagram; the rest are one "+k more" node."""
WRAP_WIDTH = 24
KR_WRAP_WIDTH = 20
"""Characters per line of an objective's and a key result's title. Pages scale a diagram
down to their column, so the narrower its nodes, the larger its text there."""
FACTS_WIDTH = 1.3
"""The line of facts under a title is in smaller type: it wraps this much wider."""
MAX_TITLE_LINES = 5

FACTS_POINT_SIZE = 8
"""The size of the line under a title (team, score, status). The SVG carries it as
`font-size="8.00"`, which okrdocs.css selects to mute that line: HTML-like labels give a
line of text no class of its own."""
_FONT = "Helvetica,Arial,sans-serif"


# -- public API ----------------------------------------------------------------------


class Diagrams:
    """The diagrams of one cascade.

    An objective is drawn in many diagrams (its page's, its team's, its parent's and its
    children's): a site of 5,000 objectives draws about 90,000 nodes. Each node's text is
    escaped and wrapped once, here, and reused by every diagram that shows it.
    """

    def __init__(
        self,
        cascade: Cascade,
        *,
        max_objectives: int = DiagramSettings.max_objectives,
        max_key_results: int = DiagramSettings.max_key_results,
        language: Language = Language(),
    ) -> None:
        self.cascade = cascade
        self.max_objectives = max_objectives
        self.max_key_results = max_key_results
        self.language = language
        self._nodes = _NodeTexts(cascade, language)

    def vision(
        self,
        link: ObjectiveLink,
        depth: int = DiagramSettings.depth,
        *,
        vision_link: str | None = None,
        more_link: str | None = None,
    ) -> str:
        """The vision, the company objectives with all their KRs, and `depth` levels below them.

        Level 1 is the objectives aligned to a company objective (tightly through a KR or
        loosely); level 2 those aligned to level 1, and so on. Objectives between the top and
        the last level show the KRs their drawn children picked up. A cut diagram ends with a
        note linking to `more_link` (the teams directory, say).
        """
        cascade = self.cascade
        scene = self._scene("okrdocs-vision")
        top = sorted(cascade.top_objectives, key=_newest_first)
        scene.want(top, all_krs=True)
        level = top
        for _ in range(max(0, depth)):
            level = [child for parent in level for child in _children(cascade, parent)]
            scene.want_below(level)
        return scene.dot(self._nodes, link, vision_link, more_link, self.language.gettext("see the teams directory"))

    def team(
        self,
        team_id: str,
        link: ObjectiveLink,
        *,
        vision_link: str | None = None,
        more_link: str | None = None,
    ) -> str:
        """The team's objectives (newest period first) with their KRs and their chains up to the
        vision, then the other teams' objectives that picked up or align to them."""
        cascade = self.cascade
        own = sorted(cascade.objectives_by_team.get(team_id, []), key=_newest_first)
        scene = self._scene(f"okrdocs-team-{_id_part(team_id)}")
        scene.focus.update(o.id for o in own)
        for objective in own:
            scene.want_group(cascade.chain(objective), all_krs_of=objective)
        others = [c for o in own for c in _children(cascade, o) if c.team_id != team_id]
        scene.want_below(others)
        scene.want(_contribution_neighbours(cascade, own))
        if not own:
            scene.empty_note = self.language.gettext("No objectives yet")
        return scene.dot(self._nodes, link, vision_link, more_link, self.language.gettext("see the list on this page"))

    def objective(
        self,
        objective_id: str,
        link: ObjectiveLink,
        *,
        vision_link: str | None = None,
        more_link: str | None = None,
    ) -> str:
        """The objective's chain from the vision down to it, its KRs and its direct children."""
        cascade = self.cascade
        objective = cascade.objectives[objective_id]
        scene = self._scene(f"okrdocs-objective-{_id_part(objective_id)}")
        scene.focus.add(objective.id)
        scene.want_group(cascade.chain(objective), all_krs_of=objective)
        scene.want_below(_children(cascade, objective))
        scene.want(_contribution_neighbours(cascade, [objective]))
        return scene.dot(self._nodes, link, vision_link, more_link, self.language.gettext("see the list on this page"))

    def _scene(self, graph_id: str) -> _Scene:
        return _Scene(
            self.cascade,
            graph_id,
            self.max_objectives,
            with_vision=True,
            max_key_results=self.max_key_results,
        )


# -- choosing what to draw -------------------------------------------------------------


def _newest_first(objective: Objective) -> tuple[tuple[bool, int, int], str]:
    return newest_first(objective.period), objective.id


def _contribution_neighbours(cascade: Cascade, objectives: Sequence[Objective]) -> list[Objective]:
    """What `objectives` contribute to, then who contributes to them: drawn after the
    cascade's own links, while there is room."""
    links = cascade.links
    helped = [c.target for o in objectives for c in links.contributions_from.get(o.id, [])]
    helpers = [c.contributor for o in objectives for c in links.contributions_to.get(o.id, [])]
    return list({o.id: o for o in helped + helpers}.values())


def _children(cascade: Cascade, parent: Objective) -> list[Objective]:
    """Children in a stable order: pickups in the order of the parent's KRs, then loose ones."""
    kr_order = {kr.id: index for index, kr in enumerate(parent.key_results)}

    def key(child: Objective) -> tuple[int, str, str]:
        kr_id = child.parent.kr_id if child.parent else None
        return (kr_order.get(kr_id, len(kr_order)) if kr_id else len(kr_order), child.team_id or "", child.id)

    return sorted(cascade.children.get(parent.id, []), key=key)


@dataclass
class _Scene:
    """The objectives one diagram draws, in priority order, cut at `max_objectives`."""

    cascade: Cascade
    graph_id: str
    max_objectives: int
    with_vision: bool
    objectives: dict[str, Objective] = field(default_factory=dict)
    all_krs: set[str] = field(default_factory=set)
    focus: set[str] = field(default_factory=set)
    hidden: set[str] = field(default_factory=set)
    empty_note: str | None = None
    max_key_results: int = DiagramSettings.max_key_results

    def _room(self, count: int) -> bool:
        return len(self.objectives) + count <= max(1, self.max_objectives)

    def want(self, objectives: Iterable[Objective], all_krs: bool = False) -> None:
        for objective in objectives:
            self.want_group([objective], objective if all_krs else None)

    def want_below(self, objectives: Iterable[Objective]) -> None:
        """Draw each objective whose parent is drawn; one below a cut parent is cut too."""
        for objective in objectives:
            parent = self.cascade.parent_of(objective)
            if parent is not None and parent.id in self.objectives:
                self.want_group([objective])
            elif objective.id not in self.objectives:
                self.hidden.add(objective.id)

    def want_group(self, group: Sequence[Objective], all_krs_of: Objective | None = None) -> None:
        """Draw all of `group` (a chain, parents first) or, when it does not fit, none of it."""
        new = [o for o in group if o.id not in self.objectives]
        if new and self._room(len(new)):
            self.objectives.update((o.id, o) for o in new)
            self.hidden.difference_update(o.id for o in new)
        elif new:
            self.hidden.update(o.id for o in new)
            return
        if all_krs_of is not None:
            self.all_krs.add(all_krs_of.id)

    # -- DOT ---------------------------------------------------------------------------

    def dot(
        self,
        nodes: _NodeTexts,
        link: ObjectiveLink,
        vision_link: str | None,
        more_link: str | None,
        more_hint: str,
    ) -> str:
        writer = _DotWriter(self.graph_id, nodes.language)
        cascade = self.cascade
        drawn = self.objectives
        krs = self._drawn_krs()
        needs_vision = self.with_vision and any(o.parent is not None and o.parent.is_vision for o in drawn.values())
        if needs_vision:
            writer.node(_VISION_NODE, nodes.vision(), vision_link)
        for objective in drawn.values():
            href = link(objective)
            writer.node(_objective_node(objective), nodes.objective(objective, objective.id in self.focus), href)
            shown, left_out = krs.get(objective.id, ([], 0))
            for kr in shown:
                writer.node(_kr_node(objective, kr), nodes.key_result(objective, kr))
            if left_out:
                writer.more_key_results(_more_krs_node(objective), left_out, f"{href}#key-results" if href else None)
        for objective in drawn.values():
            shown, left_out = krs.get(objective.id, ([], 0))
            for kr in shown:
                writer.edge(_objective_node(objective), _kr_node(objective, kr), "kr")
            if left_out:
                writer.edge(_objective_node(objective), _more_krs_node(objective), "kr")
        for objective in drawn.values():
            parent = cascade.parent_of(objective)
            ref = objective.parent
            if ref is None:
                continue
            if ref.is_vision and needs_vision:
                writer.edge(_VISION_NODE, _objective_node(objective), "vision")
            elif parent is not None and parent.id in drawn:
                picked = cascade.parent_kr_of(objective)
                if picked is not None:
                    writer.edge(_kr_node(parent, picked), _objective_node(objective), "tight")
                elif ref.kr_id is None:
                    writer.edge(_objective_node(parent), _objective_node(objective), "loose")
        for objective in drawn.values():
            for contribution in cascade.links.contributions_from.get(objective.id, []):
                target = contribution.target
                if target.id not in drawn:
                    continue
                shown = krs.get(target.id, ([], 0))[0]
                helped = contribution.kr
                drawn_kr = helped is not None and any(k is helped for k in shown)
                end = _kr_node(target, helped) if helped is not None and drawn_kr else _objective_node(target)
                writer.edge(_objective_node(objective), end, "contributes", shapes_layout=False)
        if self.hidden:
            writer.more(len(self.hidden), more_link, more_hint)
        if self.empty_note:
            writer.note(self.empty_note)
        return writer.text()

    def _drawn_krs(self) -> dict[str, tuple[list[KeyResult], int]]:
        """Each objective's KRs to draw, in their written order, and how many are left out.

        The KRs a drawn child picked up are always drawn (the child's edge starts there);
        the focus/top objectives also show their other KRs, up to `max_key_results` in
        all: an objective with thousands of KRs must not make a diagram `dot` cannot lay out.
        """
        needed: dict[str, set[str]] = {}
        for objective in self.objectives.values():
            ref = objective.parent
            if ref is not None and ref.kr_id and ref.objective_id in self.objectives:
                needed.setdefault(ref.objective_id, set()).add(ref.kr_id)
            for contribution in self.cascade.links.contributions_from.get(objective.id, []):
                if contribution.kr is not None and contribution.target.id in self.objectives:
                    needed.setdefault(contribution.target.id, set()).add(contribution.kr.id)
        result: dict[str, tuple[list[KeyResult], int]] = {}
        for objective in self.objectives.values():
            wanted = needed.get(objective.id, set())
            room = max(1, self.max_key_results) - len(wanted) if objective.id in self.all_krs else 0
            chosen = []
            for kr in objective.key_results:
                if kr.id in wanted:
                    chosen.append(kr)
                elif room > 0:
                    chosen.append(kr)
                    room -= 1
            left_out = len(objective.key_results) - len(chosen) if objective.id in self.all_krs else 0
            if chosen or left_out:
                result[objective.id] = (chosen, left_out)
        return result


# -- writing DOT -----------------------------------------------------------------------

_VISION_NODE = "vision"


def _objective_node(objective: Objective) -> str:
    return "o_" + _id_part(objective.id)


def _kr_node(objective: Objective, kr: KeyResult) -> str:
    return f"k_{_id_part(objective.id)}__{_id_part(kr.id)}"


def _more_krs_node(objective: Objective) -> str:
    """The "+k more" node of an objective; `m_` cannot clash with a KR's `k_` name."""
    return "m_" + _id_part(objective.id)


@functools.lru_cache(maxsize=65536)
def _id_part(value: str) -> str:
    """A slug as is; anything else as a stable hash, so node names and element ids need no
    escaping in DOT or XML."""
    if SLUG_PATTERN.fullmatch(value):
        return value
    return "x" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:12]


class _NodeTexts:
    """Each node's DOT attributes but its element id and link, made once per cascade."""

    def __init__(self, cascade: Cascade, language: Language) -> None:
        self.cascade = cascade
        self.language = language
        self._objectives: dict[tuple[str, bool], str] = {}
        self._key_results: dict[tuple[str, str], str] = {}
        self._vision: str | None = None

    def vision(self) -> str:
        if self._vision is None:
            self._vision = _attributes(_vision_attributes(self.cascade, self.language))
        return self._vision

    def objective(self, objective: Objective, focus: bool) -> str:
        key = (objective.id, focus)
        text = self._objectives.get(key)
        if text is None:
            text = self._objectives[key] = _attributes(
                _objective_attributes(self.cascade, objective, focus, self.language)
            )
        return text

    def key_result(self, objective: Objective, kr: KeyResult) -> str:
        key = (objective.id, kr.id)
        text = self._key_results.get(key)
        if text is None:
            text = self._key_results[key] = _attributes(
                _key_result_attributes(self.cascade, objective, kr, self.language)
            )
        return text


class _DotWriter:
    """Accumulates DOT lines. Node names are slugs or hashes (`_id_part`); every string
    from OKR files reaches it already escaped by `_NodeTexts` or goes through an escaper."""

    def __init__(self, graph_id: str, language: Language) -> None:
        self.graph_id = graph_id
        self.language = language
        self._edges = _edge_attributes(language)
        self.lines: list[str] = [
            f"digraph {_quoted(graph_id)} {{",
            f'  id={_quoted(graph_id)}; class="okrdg-graph"; rankdir=LR; bgcolor="transparent";',  # see text()
            "  nodesep=0.18; ranksep=0.4; newrank=true; outputorder=edgesfirst;",
            f"  fontname={_quoted(_FONT)}; fontsize=10;",
            f'  node [shape=box, style="rounded,filled", fontname={_quoted(_FONT)}, fontsize=10,'
            ' margin="0.1,0.05", penwidth=1];',
            "  edge [arrowsize=0.7, penwidth=1.2];",
        ]
        self.edge_count = 0
        self.links: list[tuple[str, str]] = []

    def text(self) -> str:
        if _direction(self.links) == "TB":
            self.lines[1] = self.lines[1].replace("rankdir=LR;", "rankdir=TB;", 1)
        return "\n".join([*self.lines, "}", ""])

    def _element_id(self, name: str) -> str:
        return f"{self.graph_id}-{name}"

    def node(self, name: str, attributes: str, href: str | None = None) -> None:
        """A node: its safe `name`, attributes from `_NodeTexts`, and a link if any."""
        link = f', URL={_url(href)}, target="_top"' if href else ""
        self.lines.append(f'  "{name}" [id="{self._element_id(name)}", {attributes}{link}];')

    def _extra_node(self, name: str, attributes: dict[str, str], href: str | None = None) -> None:
        self.node(name, _attributes(attributes), href)

    def more(self, count: int, href: str | None, hint: str) -> None:
        words = self.language.ngettext(
            "… %(num)d more objective not shown", "… %(num)d more objectives not shown", count
        )
        text = words % {"num": count}
        label = _label_text(text) + (f"<BR/>{_label_text(hint)}" if href else "")
        attributes = {
            "class": _quoted("okrdg-more"),
            "label": f"<{label}>",
            "tooltip": _tooltip(text),
            "shape": "note",
            "style": "filled",
        }
        self._extra_node("more", attributes, href)

    def more_key_results(self, name: str, count: int, href: str | None) -> None:
        """One node for the key results an objective has beyond the cap, linking to its page."""
        language = self.language
        text = language.ngettext("+%(num)d more key result", "+%(num)d more key results", count) % {"num": count}
        attributes = {
            "class": _quoted("okrdg-kr okrdg-more"),
            "label": f"<{_label_text(text)}>",
            "tooltip": _tooltip(language.gettext("%(more)s: see the objective's page") % {"more": text}),
            "shape": "box",
            "style": '"filled,dashed"',
            "fontsize": "9",
        }
        self._extra_node(name, attributes, href)

    def note(self, text: str) -> None:
        attributes = {
            "class": _quoted("okrdg-note"),
            "label": f"<{_label_text(text)}>",
            "shape": "plaintext",
            "style": '""',
        }
        self._extra_node("note", attributes)

    # -- edges -----------------------------------------------------------------------------

    def edge(self, source: str, target: str, kind: str, shapes_layout: bool = True) -> None:
        """An edge; one that does not `shapes_layout` (a contribution) leaves ranks and
        the diagram's direction to the cascade's own links."""
        self.edge_count += 1
        if shapes_layout:
            self.links.append((source, target))
        element_id = self._element_id(f"e{self.edge_count}")
        self.lines.append(f'  "{source}" -> "{target}" [id="{element_id}", {self._edges[kind]}];')


def _direction(links: Sequence[tuple[str, str]]) -> str:
    """`TB` when the diagram is deeper than it is wide, else `LR`: the narrower layout.

    Pages show a diagram scaled to their column, so its width decides how small its text
    gets. Laid out left to right, the width grows with the number of ranks (the chain's
    depth); top to bottom, with the most nodes in one rank. An objective's chain is deep
    and narrow (top to bottom fits a column nearly at full size); the vision and most
    teams fan out to more nodes per rank than they have ranks.
    """
    rank = {name: 0 for link in links for name in link}
    for _ in range(len(rank)):  # longest path from a root; the cascade has no cycles
        changed = False
        for source, target in links:
            if rank[target] <= rank[source]:
                rank[target], changed = rank[source] + 1, True
        if not changed:
            break
    if not rank:
        return "LR"
    per_rank: dict[int, int] = {}
    for level in rank.values():
        per_rank[level] = per_rank.get(level, 0) + 1
    return "TB" if max(per_rank.values()) < len(per_rank) else "LR"


# -- node texts ------------------------------------------------------------------------


def _vision_attributes(cascade: Cascade, language: Language) -> dict[str, str]:
    vision = cascade.repository.vision
    statement = _wrapped(plain_text(vision.statement), WRAP_WIDTH, 3) if vision else []
    name = language.gettext("Vision")
    label = f"<B>{_label_text(name)}</B>" + "".join(f"<BR/>{_label_text(line)}" for line in statement)
    tooltip = name + (f"\n{plain_text(vision.statement)}" if vision else "")
    return {
        "class": '"okrdg-vision"',
        "label": f"<{label}>",
        "tooltip": _tooltip(tooltip),
        "penwidth": "1.5",
    }


def _objective_attributes(cascade: Cascade, objective: Objective, focus: bool, language: Language) -> dict[str, str]:
    _ = language.gettext
    team = cascade.team_of(objective)
    title = clean_text(plain_text(objective.title)) or objective.id
    score = cascade.objective_score(objective)
    status = objective.status or "none"
    team_name = clean_text(team.name if team else (objective.team_id or "")) or _("no team")
    status_label = _(STATUS_LABELS[status]) if status in STATUS_LABELS else ""
    state = " · ".join(part for part in (percent(score, ""), status_label) if part)
    facts_lines = _fact_lines([team_name, state], WRAP_WIDTH)
    lines = _wrapped(title, WRAP_WIDTH, MAX_TITLE_LINES)
    label = "<BR/>".join(_label_text(line) for line in lines)
    if focus:
        label = f"<B>{label}</B>"
    label += "".join(f'<BR/><FONT POINT-SIZE="{FACTS_POINT_SIZE}">{_label_text(line)}</FONT>' for line in facts_lines)
    tooltip = "\n".join(
        [
            title,
            _("Team: %(team)s") % {"team": team_name},
            _("Score: %(score)s") % {"score": percent(score, _("not measured yet"))},
            *([_("Status: %(status)s") % {"status": status_label}] if status_label else []),
            *([_("Period: %(period)s") % {"period": objective.period.label}] if objective.period else []),
        ]
    )
    classes = ["okrdg-objective", f"okrdg-status-{status}", _score_class(score)]
    if focus:
        classes.append("okrdg-focus")
    return {
        "class": _safe(" ".join(classes)),
        "label": f"<{label}>",
        "tooltip": _tooltip(tooltip),
        "penwidth": "2.5" if focus else "1.2",
    }


def _key_result_attributes(cascade: Cascade, objective: Objective, kr: KeyResult, language: Language) -> dict[str, str]:
    _ = language.gettext
    score = cascade.kr_score(objective, kr)
    title = clean_text(plain_text(kr.title)) or kr.id
    delegated = [_team_name(cascade, team_id) for team_id in kr.delegated_to]
    picked_up = bool(cascade.pickups_of(objective, kr))
    dependencies = cascade.links.dependencies_of(objective, kr)
    unconfirmed = [_team_name(cascade, d.team_id) for d in dependencies if not d.confirmed]
    confirmed, not_confirmed = _("%(team)s (confirmed)"), _("%(team)s (unconfirmed)")
    needs = [
        (confirmed if d.confirmed else not_confirmed) % {"team": _team_name(cascade, d.team_id)} for d in dependencies
    ]
    facts = " · ".join(part for part in (kr.id, percent(score, "")) if part)
    facts_lines = _fact_lines(
        [
            facts,
            "→ " + ", ".join(delegated) if delegated else "",
            _("⚠ needs %(teams)s") % {"teams": ", ".join(unconfirmed)} if unconfirmed else "",
        ],
        KR_WRAP_WIDTH,
        " ",
    )
    lines = _wrapped(title, KR_WRAP_WIDTH, MAX_TITLE_LINES)
    label = "<BR/>".join(_label_text(line) for line in lines)
    label += "".join(f'<BR/><FONT POINT-SIZE="{FACTS_POINT_SIZE}">{_label_text(line)}</FONT>' for line in facts_lines)
    tooltip = "\n".join(
        [
            _("Key result %(kr)s of: %(objective)s") % {"kr": kr.id, "objective": plain_text(objective.title)},
            title,
            _("Score: %(score)s") % {"score": percent(score, _("not measured yet"))},
            *([_("Delegated to: %(teams)s") % {"teams": ", ".join(delegated)}] if delegated else []),
            *([_("Not picked up yet")] if delegated and not picked_up else []),
            *([_("Depends on: %(teams)s") % {"teams": ", ".join(needs)}] if needs else []),
        ]
    )
    classes = ["okrdg-kr", _score_class(score)]
    if delegated:
        classes.append("okrdg-kr-delegated" if picked_up else "okrdg-kr-unclaimed")
    if unconfirmed:
        classes.append("okrdg-kr-unconfirmed")
    return {
        "class": _safe(" ".join(classes)),
        "label": f"<{label}>",
        "tooltip": _tooltip(tooltip),
        "shape": "box",
        "style": '"filled,dashed"' if delegated and not picked_up else '"filled"',
        "fontsize": "9",
        **({"penwidth": "2.5"} if unconfirmed else {}),
    }


@functools.lru_cache(maxsize=16)
def _edge_attributes(language: Language) -> dict[str, str]:
    """Each kind of edge's DOT attributes, its tooltip in `language`."""
    _ = language.gettext
    tight = _tooltip(_("picked up this key result (tight)"))
    loose = _tooltip(_("aligned to this objective (loose)"))
    vision = _tooltip(_("serves the vision"))
    contributes = _tooltip(_("contributes to this (besides its parent; not counted in the score)"))
    return {
        "kr": 'class="okrdg-edge okrdg-edge-kr", arrowhead=none, penwidth=0.8',
        "tight": f'class="okrdg-edge okrdg-edge-tight", style=solid, penwidth=1.6, tooltip={tight}',
        "loose": f'class="okrdg-edge okrdg-edge-loose", style=dashed, tooltip={loose}',
        "vision": f'class="okrdg-edge okrdg-edge-vision", tooltip={vision}',
        "contributes": 'class="okrdg-edge okrdg-edge-contributes", style=dotted, penwidth=1.4, constraint=false, '
        f"tooltip={contributes}",
    }


def _fact_lines(parts: Sequence[str], title_width: int, separator: str = " · ") -> list[str]:
    """The facts under a title on one line, or one line per part when that is wider than
    the title may be (the facts are in smaller type); each part cut to fit."""
    width = int(title_width * FACTS_WIDTH)
    parts = [clean_text(part) for part in parts if part]
    if len(separator.join(parts)) <= width:
        return [separator.join(parts)] if parts else []
    return [_shortened(part, width) for part in parts]


def _team_name(cascade: Cascade, team_id: str) -> str:
    team = cascade.teams.get(team_id)
    return clean_text(team.name if team else team_id) or team_id


def _score_class(score: float | None) -> str:
    if score is None:
        return "okrdg-score-none"
    if score >= 0.7:
        return "okrdg-score-high"
    return "okrdg-score-mid" if score >= 0.4 else "okrdg-score-low"


def _attributes(attributes: dict[str, str]) -> str:
    return ", ".join(f"{key}={value}" for key, value in attributes.items())


# -- escaping --------------------------------------------------------------------------

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def clean_text(text: str) -> str:
    """One line of displayable text: whitespace runs (newlines too) become one space and
    characters XML cannot carry (controls, lone surrogates, U+FFFE/U+FFFF) are dropped."""
    text = unicodedata.normalize("NFC", _NOT_XML.sub("", text))
    return " ".join(text.split())


MAX_TOOLTIP_LINE = 300
"""Graphviz refuses quoted strings over 16 KiB; a tooltip line longer than this is cut."""


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _in_characters(text: str, width: int) -> int:
    """`width`, a number of Latin letters, as a number of `text`'s characters: a Chinese,
    Japanese or Korean character is as wide as two (Unicode's East Asian Width), so a
    title written in them wraps after half as many."""
    if text.isascii():
        return width
    cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return max(1, round(width * len(text) / cells)) if cells else width


def _wrapped(text: str, width: int, max_lines: int) -> list[str]:
    text = clean_text(text)
    width = _in_characters(text, width)
    text = _shortened(text, width * (max_lines + 1))  # no need to wrap what is cut
    lines = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return lines


def _safe(text: str) -> str:
    """A DOT quoted string for text okrdocs made (classes, colours): nothing to escape."""
    return f'"{text}"'


def _quoted(text: str) -> str:
    """A DOT quoted string for identifiers and fixed attribute values (no escapes expanded)."""
    return '"' + clean_text(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _label_text(text: str) -> str:
    """Text for an HTML-like label: XML-escaped, and backslashes doubled because Graphviz
    expands escString sequences (`\\N`, `\\G`, ...) in HTML labels after decoding entities.
    `]` is written as a character reference: Graphviz 2.43 rejects a label text of just
    `]` or `]]`."""
    return _html_escape(clean_text(text)).replace("\\", "\\\\").replace("]", "&#93;")


def _tooltip(text: str) -> str:
    """A quoted tooltip; lines of `text` become Graphviz line breaks.

    Graphviz reads a tooltip through two rounds of backslash escapes (interpretCRNL, then
    object substitution), after decoding HTML entities, so each literal backslash is written
    as four and `&` `<` `>` `"` as entities.
    """
    lines = [
        _html_escape(_shortened(clean_text(line), MAX_TOOLTIP_LINE)).replace("\\", "\\\\\\\\")
        for line in text.split("\n")
    ]
    return '"' + "\\n".join(lines) + '"'


_URL_SAFE = "/:?#@!$'()*+,;=%-._~&"


def _url(href: str) -> str:
    """A quoted URL: anything outside URL syntax percent-encoded (quotes, backslashes,
    spaces, non-ASCII), `&` as an entity so the SVG attribute stays well-formed."""
    encoded = quote(_NOT_XML.sub("", href), safe=_URL_SAFE)
    return '"' + encoded.replace("&", "&amp;") + '"'
