"""Every page's diagram, laid out in the background while the site generator writes pages.

Any front end (the MkDocs plugin, `okrdocs generate`) starts the jobs once it knows every
page's URL, then asks for each page's SVG when it writes that page. DOT text is made on a
background thread and what is not cached yet goes to a few batched `dot` runs in page
order (`dot.DotRenderer`), so a page seldom waits for its diagram.

A build whose OKR files, settings and URLs did not change makes no DOT text at all: the
cache keys of the last build's diagrams are kept in the cache folder under a fingerprint
of everything the diagrams are made from (`PLAN_FILE`).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import asdict
from typing import Any, TypeVar

from ..core.cache_files import write_atomically
from ..core.cascade import Cascade
from .diagrams import Diagrams, DiagramSettings
from .dot import DotRenderer, Plan
from .fingerprint import fingerprint, site_digest
from .pages import DIAGRAM_KINDS, Layout, Links, OkrPage

PLAN_FILE = "diagram-plan.json"
_SHA256 = re.compile(r"[0-9a-f]{64}")


class DiagramJobs:
    """The diagrams of one build: started at once, read page by page."""

    def __init__(
        self,
        renderer: DotRenderer,
        cascade: Cascade,
        urls: dict[OkrPage, str],
        layout: Layout,
        settings: DiagramSettings = DiagramSettings(),
        site: str | None = None,
    ) -> None:
        """`site`: the build's `fingerprint.site_digest`, when the caller made it already."""
        self._renderer = renderer
        self._site = site
        self._cascade = cascade
        self._urls = urls
        self._layout = layout
        self._settings = settings
        self._pages = [page for page in urls if page.kind in DIAGRAM_KINDS]
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
        fingerprint = self._fingerprint()
        keys = self._last_keys(fingerprint)
        if keys is not None:
            plan = Plan(keys, [])
        else:
            # The page's figure has an HTML legend: one less cluster to lay out per diagram.
            diagrams = Diagrams(
                self._cascade,
                max_objectives=self._settings.max_objectives,
                max_key_results=self._settings.max_key_results,
                legend=False,
            )
            # A generator: the renderer keeps only the sources it has to lay out.
            sources = (self._source(diagrams, page) for page in self._pages)
            plan = self._renderer.plan(sources, [self._layout.src_uri(page) for page in self._pages])
            self._keep_keys(fingerprint, plan.keys)
        return dict(zip(self._pages, self._renderer.start(plan)))

    def _fingerprint(self) -> str:
        """Everything the diagrams are made from: the OKRs, every page's URL, okrdocs' own
        code, the settings and the `dot` binary."""
        site = self._site or site_digest(self._cascade, self._urls)
        return fingerprint(site, self._renderer.identity(), asdict(self._settings), asdict(self._layout))

    def _last_keys(self, fingerprint: str) -> list[str] | None:
        """The last build's cache keys, when it drew these very diagrams and all are still cached."""
        if self._renderer.cache_dir is None:
            return None
        try:
            saved = json.loads((self._renderer.cache_dir / PLAN_FILE).read_text(encoding="utf-8"))
            keys = saved["keys"] if saved["fingerprint"] == fingerprint else None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(keys, list) or len(keys) != len(self._pages):
            return None
        # Keys name files in the cache folder: take nothing but what `_cache_key` makes.
        usable = all(isinstance(key, str) and _SHA256.fullmatch(key) and self._renderer.has(key) for key in keys)
        return keys if usable else None

    def _keep_keys(self, fingerprint: str, keys: list[str]) -> None:
        if self._renderer.cache_dir is not None:
            text = json.dumps({"fingerprint": fingerprint, "keys": keys})
            write_atomically(self._renderer.cache_dir / PLAN_FILE, text)

    def _source(self, diagrams: Diagrams, page: OkrPage) -> str:
        links = Links(self._urls, self._urls[page])
        if page.kind == "vision":
            return diagrams.vision(
                links.objective, self._settings.depth, vision_link=links.vision(), more_link=links.teams()
            )
        if page.kind == "team":
            return diagrams.team(page.key, links.objective, vision_link=links.vision(), more_link="#okr-objectives")
        return diagrams.objective(page.key, links.objective, vision_link=links.vision(), more_link="#okr-aligned")


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
