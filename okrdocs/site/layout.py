"""Where each generated page lives: its source path, its output file, its URL.

Kept apart from the page templates so that `okrdocs check` can apply the build's
collision rule (`Layout.collisions`) without loading Jinja or Markdown.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from ..core.domain import problems as codes
from ..core.domain.cascade import Cascade
from ..core.domain.names import url_path
from ..core.domain.problems import Location, Problem
from ..core.history.timeline import periods_of
from ..core.reading.loading import TEAMS_FILE
from .urls import page_file, page_url

PageKind = Literal["vision", "overview", "teams", "team", "objective", "periods", "period"]
TOP_KINDS: tuple[PageKind, ...] = ("vision", "overview", "teams", "periods")
"""The pages that are one of a kind, in the order the navigation lists them."""
SECTION_OF: dict[PageKind, PageKind] = {"team": "teams", "objective": "teams", "period": "periods"}
"""The navigation entry that stands for each kind of page kept out of the navigation: it
is marked active while such a page is shown."""


@dataclass(frozen=True)
class OkrPage:
    """One generated page: the vision, the overview, the team directory, a team, an
    objective, the period index or a period (`key`: its label, like 2026-Q1)."""

    kind: PageKind
    key: str = ""


Collisions = list[tuple[OkrPage, OkrPage, str]]
"""Pages that would replace another: the page, the other one, the output file (`Layout.colliding`)."""


@dataclass(frozen=True)
class Layout:
    """Where generated pages live in the docs tree (their `src_uri`)."""

    vision_url: str = "vision"
    teams_url: str = "teams"
    objectives_url: str = "okrs"
    periods_url: str = "periods"
    overview_url: str = "overview"

    def src_uri(self, page: OkrPage) -> str:
        folder = {"team": self.teams_url, "objective": self.objectives_url, "period": self.periods_url}.get(
            page.kind, ""
        )
        name = {
            "vision": self.vision_url,
            "overview": self.overview_url,
            "teams": self.teams_url,
            "periods": self.periods_url,
        }.get(page.kind, page.key)
        return posixpath.join(folder.strip("/"), f"{name.strip('/')}.md")

    def pages(self, cascade: Cascade) -> list[OkrPage]:
        return [
            OkrPage("vision"),
            OkrPage("overview"),
            OkrPage("teams"),
            *(OkrPage("team", team_id) for team_id in sorted(cascade.teams)),
            *(OkrPage("objective", objective_id) for objective_id in sorted(cascade.objectives)),
            OkrPage("periods"),
            *(OkrPage("period", str(period)) for period in periods_of(cascade.objectives.values())),
        ]

    def dest_uri(self, page: OkrPage, use_directory_urls: bool = True) -> str:
        """The output file of a page (`urls.page_file`)."""
        return page_file(self.src_uri(page), use_directory_urls)

    def url(self, page: OkrPage, use_directory_urls: bool = True) -> str:
        """The page's URL from the site root (`urls.page_url`), percent-encoded like every
        URL okrdocs makes (for front ends without MkDocs, whose `File.url` is the same)."""
        return url_path(page_url(self.src_uri(page), use_directory_urls))

    def collisions(
        self, cascade: Cascade, use_directory_urls: bool = True, colliding: Collisions | None = None
    ) -> Iterator[Problem]:
        """A problem for each team or objective whose page would replace another page
        (`colliding`: what `colliding` found for the cascade's pages, if known already).

        The one rule for the build and for `okrdocs check`: two pages with one source
        path, or one output file (a team `index` is the team directory's `teams/index.html`;
        with `objectives_url` equal to `teams_url` an objective may take a team's page).
        """
        if colliding is None:
            colliding = self.colliding(self.pages(cascade), use_directory_urls)
        for page, other, output in colliding:
            yield self._collision(page, other, cascade, output)

    def colliding(self, pages: Iterable[OkrPage], use_directory_urls: bool = True) -> Collisions:
        """Each team or objective page that would replace another: the page, the other
        one and the output file. It depends on the pages alone (their kinds and keys)."""
        sources: dict[str, OkrPage] = {}
        outputs: dict[str, OkrPage] = {}
        found: Collisions = []
        for page in pages:
            source, output = self.src_uri(page), self.dest_uri(page, use_directory_urls)
            other = sources.get(source) or outputs.get(output)
            sources.setdefault(source, page)
            outputs.setdefault(output, page)
            if other is not None and page.kind in ("team", "objective"):
                found.append((page, other, output))
        return found

    def _collision(self, page: OkrPage, other: OkrPage, cascade: Cascade, output: str) -> Problem:
        where = cascade.teams[page.key].where if page.kind == "team" else cascade.objectives[page.key].where
        path = TEAMS_FILE if page.kind == "team" else where.path
        option = "teams_url" if page.kind == "team" else "objectives_url"
        return Problem.of(
            codes.PAGE_COLLISION,
            path,
            where.line_of("id"),
            f"the page of {page.kind} id '{page.key}' would be written to {output}, where ",
            *_describe(other, cascade),
            f" goes: rename that id, or change okrdocs' {option}",
        )


def _describe(page: OkrPage, cascade: Cascade) -> tuple[str | Location, ...]:
    if page.kind == "vision":
        return ("the vision page",)
    if page.kind == "teams":
        return ("the team directory",)
    if page.kind == "overview":
        return ("the overview",)
    thing = cascade.teams[page.key] if page.kind == "team" else cascade.objectives[page.key]
    path = TEAMS_FILE if page.kind == "team" else thing.where.path
    return (f"the page of {page.kind} '{page.key}' (", Location(path, thing.where.line_of("id")), ")")
