"""What each generated page shows: its cache key, so an edit renders only the pages it touches.

A page of a large organisation shows a handful of objectives and teams, not the whole
folder. `PageInputs.shows(page)` lists what one page shows, read the way its template
(okrdocs/templates/okrdocs/) and its diagram (`diagrams.Diagrams`) read it: the objective
itself, its team, its parent, children and pickups as links or cards, the rows of its
period, and the history points and time facts ("updated", "stale") of each, and the
recent changes a team or period page lists. The build day is shared by every page:
expected pace and "the last N days" move with it. Values that
the cascade computes, such as scores, are listed as values, so a check-in that moves a
score up the cascade changes the key of every page that prints one of those scores, and
no other. `PageInputs.keys` hashes each page's list with what every page shares (okrdocs'
code, the templates, the options, the edit links, the current period; the front end
gives it as `common`).

Each objective's facts are hashed once per build and each page hashes the hashes: the
keys of a site of 5,000 objectives cost a fraction of a second. A diagram is keyed by the
objectives it may draw (before `max_objectives` cuts it): a cut diagram's page is
rendered again for a few objectives it does not draw, never kept for one it does.

When a template changes what it shows, this module changes with it:
tests/test_page_inputs.py renders every page after single edits and fails when a page's
HTML changed but its key did not.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from ..core.domain.cascade import Cascade
from ..core.domain.links import Dependency
from ..core.domain.model import KeyResult, Objective
from ..core.history.timeline import Timeline
from .layout import OkrPage
from .overview import undelegated

Facts = list[Any]


def digest(value: Any) -> str:
    """A short hash of facts: lists of strings, numbers, None and dataclasses, by their
    `repr` (exact for these, and several times faster than JSON)."""
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class PageInputs:
    """What each page of one build shows, from the checked cascade, every page's URL and
    the build's timeline; `diagram_depth` is the vision diagram's depth (None: no diagrams)."""

    def __init__(
        self, cascade: Cascade, urls: dict[OkrPage, str], time: Timeline, diagram_depth: int | None = None
    ) -> None:
        self.cascade = cascade
        self.urls = urls
        self.time = time
        self.diagram_depth = diagram_depth
        self.memo: dict[tuple[str, str], tuple[str, frozenset[str]]] = {}
        """(view, key): the view's hash and the objectives it read (see `_memoised`)."""
        self._reading: list[set[str]] = []
        """The objectives read by the page (and the views) being hashed, innermost last."""
        # "Changes in the last N days" of team and period pages, found once for all pages.
        self.changes_by_team: dict[str | None, Facts] = defaultdict(list)
        self.changes_by_period: dict[str | None, Facts] = defaultdict(list)
        for change in time.recent_changes(cascade.objectives.values()):
            self.changes_by_team[change.team].append(change)
            self.changes_by_period[change.period].append(change)

    # -- the keys ----------------------------------------------------------------------

    def keys(self, common: str, pages: Iterable[OkrPage] | None = None) -> dict[OkrPage, str]:
        """Every page's cache key (or those of `pages`): what it shows and what every page shares."""
        return {page: self.key(common, page)[0] for page in (self.urls if pages is None else pages)}

    def key(self, common: str, page: OkrPage) -> tuple[str, frozenset[str]]:
        """The page's cache key, and the ids of the objectives whose facts it shows (what
        `site.incremental` needs to find the pages an edit touches)."""
        # The pages every page links to (the vision, the directories), and each page's own URL.
        shared = digest([common, [self._url(OkrPage(kind)) for kind in ("vision", "teams", "periods")]])
        self._reading.append(set())
        try:
            facts = self.shows(page)
        finally:
            read = self._reading.pop()
        return digest([shared, page.kind, page.key, self.urls[page], facts]), frozenset(read)

    def shows(self, page: OkrPage) -> Facts:
        """What `page` shows, as facts and hashes of facts."""
        if page.kind == "objective":
            return self._objective_page(self.cascade.objectives[page.key])
        if page.kind == "team":
            return self._team_page(page.key)
        if page.kind == "period":
            return self._period_page(page.key)
        if page.kind == "periods":
            counts = Counter(str(o.period) for o in self.cascade.objectives.values() if o.period is not None)
            return sorted([label, count, self._url(OkrPage("period", label))] for label, count in counts.items())
        if page.kind == "teams":
            return self._teams_page()
        if page.kind == "overview":
            return self._overview_page()
        return self._vision_page()

    # -- pages -------------------------------------------------------------------------

    def _objective_page(self, objective: Objective) -> Facts:
        cascade, time = self.cascade, self.time
        self._read(objective)
        chain = cascade.chain(objective)[:-1]
        children = cascade.children.get(objective.id, [])
        return [
            repr(objective),  # every field, the body and the file (the edit link) included
            [p.as_dict() for p in cascade.notes_of(objective)],  # the coaching notes
            self._team(objective.team_id),
            self._url(OkrPage("period", str(objective.period))) if objective.period else None,
            self._state(objective),
            self._freshness(objective),
            self._aligns(objective),
            self._key_results(objective),
            # The trend charts: the objective's points and each key result's.
            [time.objective_points(objective), [time.kr_points(objective, kr) for kr in objective.key_results]],
            [self._link(ancestor) for ancestor in chain],
            [[self._link(c), self._team(c.team_id), str(c.period), self._score(c)] for c in children],
            self._contributions(objective),
            self._diagram([*chain, objective, *children, *self._neighbours([objective])], [objective]),
        ]

    def _team_page(self, team_id: str) -> Facts:
        cascade = self.cascade
        team = cascade.teams[team_id]
        own = cascade.objectives_by_team.get(team_id, [])
        picked: Facts = [
            [self._link(pickup), self._team(pickup.team_id), self._url(OkrPage("objective", o.id))]
            + [kr.id, kr.title, self._score(pickup)]
            for o in own
            for kr in o.key_results
            for pickup in cascade.pickups_of(o, kr)
            if pickup.team_id != team_id
        ]
        drawn = [a for o in own for a in cascade.chain(o)]
        drawn += [c for o in own for c in cascade.children.get(o.id, []) if c.team_id != team_id]
        drawn += self._neighbours(own)
        links = cascade.links
        return [
            [self._dependency(d) for d in links.depends_on.get(team_id, [])],
            [self._dependency(d) for d in links.depended_on_by.get(team_id, [])],
            repr(team),
            [p.as_dict() for p in cascade.team_notes_of(team)],  # the coaching notes about the team
            [self._team(ancestor.id) for ancestor in cascade.team_chain(team)[:-1]],  # the breadcrumb
            sorted(self._team(sub.id) for sub in cascade.subteams.get(team_id, [])),
            [self._card(o) for o in own],
            picked,
            self._diagram(drawn, own),
            repr(self.changes_by_team.get(team_id, [])),
        ]

    def _period_page(self, label: str) -> Facts:
        rows = [self._row(o) for o in self.cascade.objectives.values() if str(o.period) == label]
        return [label, sorted(rows), repr(self.changes_by_period.get(label, []))]

    def _overview_page(self) -> Facts:
        """The objectives the overview shows (the current ones, or the latest period's), with
        their key results for the delegations nobody picked up, the team tree and every
        recent change."""
        sections = self.time.sections(self.cascade.objectives.values())
        groups = sections.current or sections.latest
        shown = [o for _, group in groups for o in group]
        teams = [[t.id, t.name, t.parent_id, self._team(t.id)] for t in self.cascade.teams.values()]
        changes = [change for team_changes in self.changes_by_team.values() for change in team_changes]
        delegations = [
            [item.objective.id, item.key_result.id, item.key_result.title, self._team(item.team_id)]
            for item in undelegated(self.cascade, shown)
        ]
        return [
            [str(period) for period, _ in sections.latest],
            sorted([self._row(o), o.confidence] for o in shown),
            delegations,
            sorted(teams, key=str),
            repr(sorted(changes, key=repr)),
        ]

    def _teams_page(self) -> Facts:
        cascade = self.cascade
        by_team = cascade.objectives_by_team
        teams: Facts = [
            [t.id, t.name, t.lead, t.parent_id if t.parent_id in cascade.teams else None]
            for t in cascade.teams.values()
        ]
        counts = {team_id: len(by_team.get(team_id, [])) for team_id in cascade.teams}
        return [sorted(teams, key=str), sorted(counts.items()), len(cascade.objectives)]

    def _vision_page(self) -> Facts:
        cascade = self.cascade
        vision = cascade.repository.vision
        top = cascade.top_objectives
        drawn = list(top)
        level = top
        for _ in range(max(0, self.diagram_depth or 0)):
            level = [child for parent in level for child in cascade.children.get(parent.id, [])]
            drawn += level
        return [repr(vision), [[self._card(o), self._team(o.team_id)] for o in top], self._diagram(drawn, top)]

    def _diagram(self, objectives: Iterable[Objective], all_krs_of: Iterable[Objective]) -> Facts | None:
        """The objectives a diagram may draw, as its nodes show them, and the vision's node.

        A diagram draws every key result of `all_krs_of` (the page's own objectives) and
        of the others only those that a drawn objective picked up."""
        if self.diagram_depth is None:
            return None
        drawn = {o.id: o for o in objectives}
        every_kr = {o.id for o in all_krs_of}
        picked = {(o.parent.objective_id, o.parent.kr_id) for o in drawn.values() if o.parent and o.parent.kr_id}
        contributions = self.cascade.links.contributions_from
        picked |= {(c.target.id, c.kr.id) for o in drawn.values() for c in contributions.get(o.id, []) if c.kr}
        nodes = []
        for objective in drawn.values():
            krs = [
                self._kr_node(objective, kr)
                for kr in objective.key_results
                if objective.id in every_kr or (objective.id, kr.id) in picked
            ]
            nodes.append([self._node(objective), objective.id in every_kr, krs])
        vision = self.cascade.repository.vision
        helps = sorted(
            [o.id, c.ref] for o in drawn.values() for c in contributions.get(o.id, []) if c.target.id in drawn
        )
        return [vision.statement if vision else None, sorted(nodes), helps]

    def _neighbours(self, objectives: Iterable[Objective]) -> list[Objective]:
        """What the objectives contribute to and who contributes to them: diagrams draw them."""
        links = self.cascade.links
        return [
            *(c.target for o in objectives for c in links.contributions_from.get(o.id, [])),
            *(c.contributor for o in objectives for c in links.contributions_to.get(o.id, [])),
        ]

    def _contributions(self, objective: Objective) -> Facts:
        """ "Contributes to" and "Helped by" on the objective's page."""
        links = self.cascade.links
        return [
            [
                [self._link(c.target), self._team(c.target.team_id), str(c.target.period)]
                + [c.kr.id if c.kr else None, c.kr.title if c.kr else None]
                for c in links.contributions_from.get(objective.id, [])
            ],
            [
                [self._link(c.contributor), self._team(c.contributor.team_id), str(c.contributor.period)]
                + [self._score(c.contributor), c.kr.id if c.kr else None, c.kr.title if c.kr else None]
                for c in links.contributions_to.get(objective.id, [])
            ],
        ]

    def _dependency(self, dependency: Dependency) -> Facts:
        """A dependency as a key result or a team page lists it."""
        objective, kr = dependency.objective, dependency.kr
        return [
            self._url(OkrPage("objective", objective.id)),
            [kr.id, kr.title, str(objective.period), self._team(objective.team_id), objective.id],
            self._team(dependency.team_id),
            [self._link(o) for o in dependency.confirmed_by],
        ]

    # -- an objective as pages show it, hashed once per build --------------------------

    def _memoised(self, view: str, key: str, make: Callable[[], Any], about: Objective | None = None) -> str:
        """`make()`'s facts hashed once per build; `about`: the objective they are of. What
        they read is read again by every page that shows them."""
        found = self.memo.get((view, key))
        if found is None:
            self._reading.append({about.id} if about is not None else set())
            try:
                facts = digest(make())
            finally:
                read = self._reading.pop()
            found = self.memo[(view, key)] = (facts, frozenset(read))
        if self._reading:
            self._reading[-1].update(found[1])
        return found[0]

    def _read(self, objective: Objective) -> None:
        """Note that the page being hashed shows facts of `objective`."""
        if self._reading:
            self._reading[-1].add(objective.id)

    def _url(self, page: OkrPage) -> str | None:
        return self.urls.get(page)

    def _team(self, team_id: str | None) -> str:
        """A team as `Links.team_link` prints it."""

        def facts() -> Facts:
            team = self.cascade.teams.get(team_id) if team_id else None
            return [team_id, team.name if team else None, self._url(OkrPage("team", team_id)) if team_id else None]

        return self._memoised("team", team_id or "", facts)

    def _link(self, objective: Objective) -> str:
        """A link to an objective: its title and URL."""
        return self._memoised(
            "link", objective.id, lambda: [objective.title, self._url(OkrPage("objective", objective.id))], objective
        )

    def _score(self, objective: Objective) -> float | None:
        self._read(objective)
        return self.cascade.objective_score(objective)

    def _state(self, objective: Objective) -> Facts:
        return [self._score(objective), objective.status, str(objective.period)]

    def _freshness(self, objective: Objective) -> Facts:
        """ "updated" and "stale" (the current period is shared by every page)."""
        self._read(objective)
        return [self.time.updated_iso(objective), self.time.is_stale(objective)]

    def _aligns(self, objective: Objective) -> str:
        """ "Aligns to": the parent objective or key result, with its team."""

        def facts() -> Facts:
            parent = self.cascade.parent_of(objective)
            kr = self.cascade.parent_kr_of(objective)
            parent_facts = [self._link(parent), self._team(parent.team_id)] if parent else None
            return [str(objective.parent), parent_facts, [kr.id, kr.title] if kr else None]

        return self._memoised("aligns", objective.id, facts, objective)

    def _key_results(self, objective: Objective) -> str:
        """Each key result with its score, measure, delegations and pickups."""

        def facts() -> Facts:
            cascade = self.cascade
            links = cascade.links
            return [
                [repr(kr), cascade.kr_score(objective, kr), [self._team(t) for t in kr.delegated_to]]
                + [[self._link(p) for p in cascade.pickups_of(objective, kr)]]
                + [[self._dependency(d) for d in links.dependencies_of(objective, kr)]]
                + [[[self._link(o), self._team(o.team_id)] for o in links.contributors_of(objective, kr)]]
                for kr in objective.key_results
            ]

        return self._memoised("krs", objective.id, facts, objective)

    def _card(self, objective: Objective) -> str:
        """An objective's card on a team or the vision page."""

        def facts() -> Facts:
            points = self.time.objective_points(objective)
            return [
                self._link(objective),
                self._state(objective),
                self._freshness(objective),
                points,
                self._aligns(objective),
                self._key_results(objective),
            ]

        return self._memoised("card", objective.id, facts, objective)

    def _row(self, objective: Objective) -> str:
        """An objective's row on its period's page."""

        def facts() -> Facts:
            points = self.time.objective_points(objective)
            team = self._team(objective.team_id)
            state = [*self._state(objective), objective.owner]
            commitment = self.cascade.commitment_of(objective)  # the close of the period (its final score: points)
            return [objective.id, self._link(objective), state, self._freshness(objective), points, team, commitment]

        return self._memoised("row", objective.id, facts, objective)

    def _node(self, objective: Objective) -> str:
        """An objective's node and its edge in a diagram."""

        def facts() -> Facts:
            state = self._state(objective)
            return [self._link(objective), self._team(objective.team_id), state, self._aligns(objective)]

        return self._memoised("node", objective.id, facts, objective)

    def _kr_node(self, objective: Objective, kr: KeyResult) -> str:
        """A key result's node: its title, score, delegations and whether it was picked up."""

        def facts() -> Facts:
            cascade = self.cascade
            delegated = [self._team(t) for t in kr.delegated_to]
            needs = [[self._team(d.team_id), d.confirmed] for d in cascade.links.dependencies_of(objective, kr)]
            picked_up = bool(cascade.pickups_of(objective, kr))
            return [repr(kr), cascade.kr_score(objective, kr), delegated, picked_up, needs]

        return self._memoised("kr-node", f"{objective.id}#{kr.id}", facts, objective)
