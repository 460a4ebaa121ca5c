"""Every page's diagram, laid out in the background while the site generator writes pages.

Any front end (the MkDocs plugin, `okrdocs generate`) starts the jobs once it knows every
page's URL, then asks for each page's SVG when it writes that page. DOT text is made and
what is not cached yet goes to a few batched `dot` runs in page order (`dot.DotRenderer`),
so a page seldom waits for its diagram.

Making DOT text and trimming what `dot` writes is Python work. On a thread it would share
the GIL with the pages being rendered, so a large site's diagrams are made in worker
processes (`workers`), a chunk of pages each, which write the SVGs to the disk cache (and hand back those they could not write,
so a full disk never leaves a page without its figure). A small site's are made on one
thread: starting processes would cost more than it saves.

A build whose OKR files, settings and URLs did not change makes no DOT text at all: the
cache keys of the last build's diagrams are kept in the cache folder under a fingerprint
of everything the diagrams are made from (`PLAN_FILE`). A front end that keys each page
by what it shows (`page_inputs`, whose key covers what the page's diagram draws) gets
the plan page by page: a build makes the DOT text of the pages whose key changed only.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Collection, Mapping
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any, TypeVar

from ..core.caches.cache_files import read_cache_json, write_cache_file
from ..core.domain.cascade import Cascade, resolve
from .diagrams import Diagrams
from .dot import DiagramMissing, DotRenderer, GraphvizError, Plan
from .fingerprint import fingerprint, site_digest
from .i18n import language_of
from .options import DiagramSettings
from .pages import DIAGRAM_KINDS, Layout, Links, OkrPage
from .workers import read_state, remove_when_done, start_pool

PLAN_FILE = "diagram-plan.json"
PROCESS_MIN_PAGES = 400
"""Diagram pages from which the diagrams are made in worker processes."""
CHUNK_PAGES = 200
"""Diagram pages per task of a worker process."""
_SHA256 = re.compile(r"[0-9a-f]{64}")

Chunk = tuple[list[str], dict[str, str], "str | None"]
"""What a worker gives back for a chunk of pages: each page's cache key, the SVGs it could
not write to the cache folder, and why not."""


class DiagramJobs:
    """The diagrams of one build: started at once, read page by page."""

    def __init__(
        self,
        renderer: DotRenderer,
        cascade: Cascade,
        urls: dict[OkrPage, str],
        layout: Layout,
        settings: DiagramSettings = DiagramSettings(),
        only: Collection[OkrPage] | None = None,
        keys: Mapping[OkrPage, str] | None = None,
    ) -> None:
        """`only`: the pages this build writes, when it writes some of them (`mkdocs serve
        --dirty`): their diagrams are made and nothing else; the last build's keys are
        neither read nor replaced, and the cache keeps the other pages' diagrams. `keys`:
        each page's key (`page_inputs.PageInputs.keys`), for a plan page by page."""
        self._renderer = renderer
        self._cascade = cascade
        self._urls = urls
        self._layout = layout
        self._settings = settings
        self._pages = [page for page in urls if page.kind in DIAGRAM_KINDS and (only is None or page in only)]
        self._partial = only is not None
        self._keys = keys if not self._partial else None
        self._index = {page: index for index, page in enumerate(self._pages)}
        self._new_plan: str | None = None
        """The fingerprint to keep this build's keys under, when the last build's did not match."""
        self._write_error: str | None = None
        """Why a worker could not write SVGs to the cache folder, or None."""
        self._started: Future[list[Future[str]]] = _background(self._start)

    def svg(self, page: OkrPage) -> str:
        """The page's inline SVG ("" for a page without a diagram); raises `GraphvizError`."""
        index = self._index.get(page)
        if index is None:
            return ""
        try:
            return self._renderer.svg(self._started.result()[index].result())
        except DiagramMissing as error:
            raise DiagramMissing(f"{error} (the diagram of '{self._layout.src_uri(page)}')") from None

    @property
    def write_error(self) -> str | None:
        """Why diagrams could not be written to the cache folder (the pages have them all the
        same), or None."""
        error = self._write_error or self._renderer.write_error
        if error is None or self._renderer.svg_dir is None:
            return None
        return (
            f"could not write diagrams to the cache folder '{self._renderer.svg_dir}' ({error}): the pages have "
            "them, but the next build lays them out again; free space there, or set cache_dir to a folder "
            "okrdocs can write"
        )

    def finish(self) -> None:
        """After a complete build: keep the diagrams' keys for the next build, and forget
        cached diagrams this build no longer draws, so the cache (often kept between CI
        runs) holds this site's diagrams only."""
        keys = [future.result() for future in self._started.result()]
        if self._partial:
            return
        if self._new_plan is not None and self._renderer.cache_dir is not None:
            if self._keys is None:
                plan: dict[str, Any] = {"fingerprint": self._new_plan, "keys": keys}
            else:
                by_page = {self._keys[page]: key for page, key in zip(self._pages, keys, strict=True)}
                plan = {"fingerprint": self._new_plan, "pages": by_page}
            write_cache_file(self._renderer.cache_dir, PLAN_FILE, json.dumps(plan))
        self._renderer.prune(keys)

    def _start(self) -> list[Future[str]]:
        if self._keys is not None:
            return self._start_by_page()
        fingerprint = self._fingerprint()
        keys = None if self._partial else self._last_keys(fingerprint)
        if keys is not None:
            return self._renderer.start(Plan(keys, []))
        self._new_plan = fingerprint
        return self._make(self._pages)

    def _start_by_page(self) -> list[Future[str]]:
        """The last build's diagram of each page whose key it had (and whose SVG is still
        cached); DOT text for the others."""
        assert self._keys is not None
        plan = self._plan_fingerprint()
        known = self._last_by_page(plan)
        kept: dict[OkrPage, str] = {}
        for page in self._pages:
            key = known.get(self._keys[page])
            if key is not None and self._renderer.has(key):
                kept[page] = key
        todo = [page for page in self._pages if page not in kept]
        # Written again when it would say something else.
        self._new_plan = plan if todo or len(known) != len(kept) else None
        made = iter(self._make(todo))
        reused = iter(self._renderer.start(Plan(list(kept.values()), [])))
        return [next(reused) if page in kept else next(made) for page in self._pages]

    def _make(self, pages: list[OkrPage]) -> list[Future[str]]:
        """Make the DOT text of `pages` and lay out what is not cached: one future per page."""
        if not pages:
            return []
        if self._renderer.cache_dir is not None and len(pages) >= PROCESS_MIN_PAGES:
            return self._in_processes(pages)
        diagrams = _diagrams(self._cascade, self._settings)
        # A generator: the renderer keeps only the sources it has to lay out.
        sources = (_dot_source(diagrams, self._urls, self._settings, page) for page in pages)
        return self._renderer.start(self._renderer.plan(sources, [self._layout.src_uri(p) for p in pages]))

    def _in_processes(self, pages: list[OkrPage]) -> list[Future[str]]:
        """Chunks of pages, in page order, to worker processes that write the SVGs to the
        disk cache; each page's future gives its cache key. The workers' state: the
        folder's records, the URLs, the settings."""
        renderer = self._renderer
        chunks = [pages[start : start + CHUNK_PAGES] for start in range(0, len(pages), CHUNK_PAGES)]
        state = (self._cascade.repository, self._urls, self._layout, self._settings)
        pool, started, state_file = start_pool(
            min(len(chunks), renderer.jobs),
            _start_worker,
            (*state, renderer.dot_path, renderer.cache_dir, renderer.timeout),
            "okrdocs-diagrams-",
        )
        try:
            submitted = [pool.submit(_lay_out, chunk) for chunk in chunks]
        except BaseException:  # no process could be started
            Path(state_file).unlink(missing_ok=True)
            raise
        remove_when_done(state_file, submitted)
        for done in submitted:
            done.add_done_callback(self._take_unwritten)
        futures = [
            _item(done, index, started)
            for done, chunk in zip(submitted, chunks, strict=True)
            for index in range(len(chunk))
        ]
        pool.shutdown(wait=False)  # its processes end with the last chunk
        return futures

    def _take_unwritten(self, done: Future[Chunk]) -> None:
        """Keep in memory the SVGs a worker could not write to the cache folder."""
        if done.cancelled() or done.exception() is not None:
            return
        _, unwritten, error = done.result()
        self._renderer.remember(unwritten)
        self._write_error = self._write_error or error

    def _fingerprint(self) -> str:
        """Everything the diagrams are made from: the OKRs, every page's URL, okrdocs' own
        code, the settings and the `dot` binary."""
        site = site_digest(self._cascade, self._urls)
        return fingerprint(site, self._plan_fingerprint())

    def _plan_fingerprint(self) -> str:
        """The `dot` binary, the settings and the words of the diagrams' language (the
        catalog's bytes: a new translation draws again)."""
        words = language_of(self._settings.language).key()
        return fingerprint(self._renderer.identity(), asdict(self._settings), asdict(self._layout), words)

    def _last_by_page(self, fingerprint: str) -> dict[str, str]:
        """The diagram key of each page key of the last build, when made with these settings."""
        if self._renderer.cache_dir is None:
            return {}
        saved = read_cache_json(self._renderer.cache_dir / PLAN_FILE)
        try:
            pages = saved["pages"] if saved["fingerprint"] == fingerprint else {}
        except (KeyError, TypeError, IndexError):
            return {}
        if not isinstance(pages, dict):
            return {}
        # Keys name files in the cache folder: take nothing but what `_cache_key` makes.
        return {page: key for page, key in pages.items() if isinstance(key, str) and _SHA256.fullmatch(key)}

    def _last_keys(self, fingerprint: str) -> list[str] | None:
        """The last build's cache keys, when it drew these very diagrams and all are still cached."""
        if self._renderer.cache_dir is None:
            return None
        saved = read_cache_json(self._renderer.cache_dir / PLAN_FILE)
        try:
            keys = saved["keys"] if saved["fingerprint"] == fingerprint else None
        except (KeyError, TypeError, IndexError):
            return None
        if not isinstance(keys, list) or len(keys) != len(self._pages):
            return None
        # Keys name files in the cache folder: take nothing but what `_cache_key` makes.
        usable = all(isinstance(key, str) and _SHA256.fullmatch(key) and self._renderer.has(key) for key in keys)
        return keys if usable else None


def _diagrams(cascade: Cascade, settings: DiagramSettings) -> Diagrams:
    return Diagrams(
        cascade,
        max_objectives=settings.max_objectives,
        max_key_results=settings.max_key_results,
        language=language_of(settings.language),
    )


def _dot_source(diagrams: Diagrams, urls: dict[OkrPage, str], settings: DiagramSettings, page: OkrPage) -> str:
    links = Links(urls, urls[page])
    if page.kind == "vision":
        return diagrams.vision(links.objective, settings.depth, vision_link=links.vision(), more_link=links.teams())
    if page.kind == "team":
        return diagrams.team(page.key, links.objective, vision_link=links.vision(), more_link="#okr-objectives")
    return diagrams.objective(page.key, links.objective, vision_link=links.vision(), more_link="#okr-aligned")


def _item(chunk: Future[Chunk], index: int, started: Event) -> Future[str]:
    """The future of one page's key, from its chunk's future. A pool that broke after a
    worker had started lost a worker that was killed; before, none could start (the
    script that runs the build lacks its `__main__` guard, so each child runs it again)."""
    item: Future[str] = Future()

    def copy(done: Future[Chunk]) -> None:
        error = done.exception()
        if isinstance(error, BrokenProcessPool) and started.is_set():
            item.set_exception(
                GraphvizError(
                    "a process laying out diagrams stopped: a diagram worker process was killed "
                    "(out of memory?) while it laid out diagrams; give the build more memory, or build "
                    "again if something else stopped it"
                )
            )
        elif isinstance(error, BrokenProcessPool):
            item.set_exception(
                GraphvizError(
                    f"a process laying out diagrams stopped: {error} (a Python script that runs the "
                    'build must do so under `if __name__ == "__main__":`, or each process runs it again)'
                )
            )
        elif error is not None:
            item.set_exception(error)
        else:
            item.set_result(done.result()[0][index])

    chunk.add_done_callback(copy)
    return item


# -- in a worker process ----------------------------------------------------------------

_worker: tuple[Diagrams, dict[OkrPage, str], Layout, DiagramSettings, DotRenderer] | None = None


def _start_worker(state_file: str, started: Event) -> None:
    """A worker's state: the cascade, resolved again from the folder's records. The worker
    and its `dot` run at a lower priority, so the pages being written are not slowed.
    `started` tells the build that a worker came this far."""
    global _worker
    started.set()
    if hasattr(os, "nice"):
        os.nice(5)
    state = read_state(state_file)
    if state is None:  # every chunk was laid out before this worker started
        return
    repository, urls, layout, settings, dot_path, cache_dir, timeout = state
    diagrams = _diagrams(resolve(repository), settings)
    _worker = (diagrams, urls, layout, settings, DotRenderer(dot_path, cache_dir, timeout, jobs=1))


def _lay_out(pages: list[OkrPage]) -> Chunk:
    """Lay out a chunk's diagrams (into the disk cache); their cache keys, and the SVGs
    that could not be written there."""
    assert _worker is not None
    diagrams, urls, layout, settings, renderer = _worker
    sources = [_dot_source(diagrams, urls, settings, page) for page in pages]
    plan = renderer.plan(sources, [layout.src_uri(page) for page in pages])
    keys = [future.result() for future in renderer.start(plan)]
    unwritten = renderer.forget_unwritten()
    return keys, unwritten, renderer.write_error


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
