"""Every page's diagram, laid out in the background while the site generator writes pages.

Any front end (the MkDocs plugin, `okrdocs generate`) starts the jobs once it knows every
page's URL, then asks for each page's SVG when it writes that page. DOT text is made on a
background thread and what is not cached yet goes to a few batched `dot` runs in page
order (`dot.DotRenderer`), so a page seldom waits for its diagram.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

from ..core.cascade import Cascade
from .diagrams import Diagrams
from .dot import DotRenderer
from .pages import Layout, Links, OkrPage


@dataclass(frozen=True)
class DiagramSettings:
    """What shapes the diagrams, as the plugin's options set it."""

    depth: int = 2
    max_objectives: int = 60


class DiagramJobs:
    """The diagrams of one build: started at once, read page by page."""

    def __init__(
        self,
        renderer: DotRenderer,
        cascade: Cascade,
        urls: dict[OkrPage, str],
        layout: Layout,
        settings: DiagramSettings = DiagramSettings(),
    ) -> None:
        self._renderer = renderer
        self._cascade = cascade
        self._urls = urls
        self._layout = layout
        self._settings = settings
        self._pages = [page for page in urls if page.kind != "teams"]
        self._started: Future[dict[OkrPage, Future[str]]] = _background(self._start)

    def svg(self, page: OkrPage) -> str:
        """The page's inline SVG ("" for a page without a diagram); raises `GraphvizError`."""
        laid_out = self._started.result().get(page)
        return self._renderer.svg(laid_out.result()) if laid_out is not None else ""

    def finish(self) -> None:
        """After a complete build: forget cached diagrams this build no longer draws, so the
        cache (often kept between CI runs) holds this site's diagrams only."""
        self._renderer.prune()

    def _start(self) -> dict[OkrPage, Future[str]]:
        # The page's figure has an HTML legend: one less cluster to lay out per diagram.
        diagrams = Diagrams(self._cascade, max_objectives=self._settings.max_objectives, legend=False)
        # A generator: the renderer keeps only the sources it has to lay out.
        sources = (self._source(diagrams, page) for page in self._pages)
        plan = self._renderer.plan(sources, [self._layout.src_uri(page) for page in self._pages])
        return dict(zip(self._pages, self._renderer.start(plan)))

    def _source(self, diagrams: Diagrams, page: OkrPage) -> str:
        links = Links(self._urls, self._urls[page])
        if page.kind == "vision":
            return diagrams.vision(
                links.objective, self._settings.depth, vision_link=links.vision(), more_link=links.teams()
            )
        if page.kind == "team":
            return diagrams.team(page.key, links.objective, vision_link=links.vision(), more_link="#objectives")
        return diagrams.objective(page.key, links.objective, vision_link=links.vision(), more_link="#aligned")


T = TypeVar("T")


def _background(function: Callable[..., T], *args: Any) -> Future[T]:
    """Run `function` on a daemon thread; its exception is raised by `result()`."""
    future: Future[T] = Future()

    def run() -> None:
        try:
            future.set_result(function(*args))
        except BaseException as error:  # handed to the caller of result()
            future.set_exception(error)

    threading.Thread(target=run, name="okrdocs-diagrams", daemon=True).start()
    return future
