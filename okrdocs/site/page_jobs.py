"""Page templates rendered in a worker process while the front end renders others.

Rendering the templates is most of what okrdocs adds to a cold build of a large site, and
the site generator asks for the pages one after the other, on one core. So when many
pages are to be rendered, the later part of them goes, in chunks and in page order, to
one worker process (`workers`), which renders them from the same records and settings
as the front end would (`SiteBuild.page_context`). The front end renders the first part
itself, and then takes each chunk's HTML; a chunk the worker has not started by then is
taken back and rendered in the front end, so neither waits long for the other. Any
failure of the worker leaves its pages to the front end, whose rendering reports a
template's error as it would without a worker.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from multiprocessing.synchronize import Event

import jinja2

from ..core.domain.cascade import Cascade
from ..core.domain.problems import Problem
from ..core.history.timeline import Timeline
from .build import SiteBuild
from .pages import OkrPage, render_page
from .settings import SiteSettings
from .workers import read_state, remove_when_done, start_pool

PROCESS_MIN_PAGES = 400
"""Pages to render from which a worker process renders some of them."""
WORKER_SHARE = 0.5
"""The part of the pages, the last ones, offered to the worker."""
CHUNK_PAGES = 50
"""Pages per task of the worker: what the front end may wait for, or take back."""


@dataclass(frozen=True)
class PageState:
    """Everything a page's template is rendered from, for the worker."""

    settings: SiteSettings
    cascade: Cascade
    urls: dict[OkrPage, str]
    time: Timeline
    diagrams: bool
    problems: tuple[Problem, ...] = ()


Chunk = tuple[list[str], list[str]]
"""What the worker gives back for a chunk of pages: their HTML, and the names of the
templates outside `okrdocs/` its environment has loaded (a theme's own, that an override
includes), which the page cache keeps with the pages."""


class PageJobs:
    """The HTML of the pages the worker renders, read page by page."""

    def __init__(self, state: PageState, pages: list[OkrPage], env: jinja2.Environment) -> None:
        self._env = env
        offered = pages[int(len(pages) * (1 - WORKER_SHARE)) :]
        chunks = [offered[start : start + CHUNK_PAGES] for start in range(0, len(offered), CHUNK_PAGES)]
        pool, self.started, state_file = start_pool(1, _start_worker, state, "okrdocs-pages-")
        """Set once the worker process runs."""
        try:
            submitted = [pool.submit(_render_chunk, chunk) for chunk in chunks]
        except BaseException:  # the worker could not be started
            remove_when_done(state_file, [])
            raise
        remove_when_done(state_file, submitted)
        pool.shutdown(wait=False)  # its process ends with the last chunk
        self.taken = 0
        """Pages whose HTML came from the worker: for tests and the benchmark."""
        self._chunks: dict[OkrPage, tuple[Future[Chunk | None], int]] = {
            page: (future, index)
            for future, chunk in zip(submitted, chunks, strict=True)
            for index, page in enumerate(chunk)
        }

    def html(self, page: OkrPage) -> str | None:
        """The page's HTML from the worker; None: render it here (not offered, taken back
        before the worker started its chunk, or the worker failed)."""
        entry = self._chunks.pop(page, None)
        if entry is None:
            return None
        future, index = entry
        if future.cancel():
            return None
        try:
            chunk = future.result()
        except Exception:  # the worker died: its pages are rendered here
            return None
        if chunk is None:  # a page failed: rendered here, which reports the template's error
            return None
        pages, templates = chunk
        for name in templates:
            self._env.get_template(name)  # loaded here too, so the page cache keeps its hash
        self.taken += 1
        return pages[index]

    def cancel(self) -> None:
        """Take back every chunk the worker has not started (a build that stopped)."""
        for future, _ in self._chunks.values():
            future.cancel()
        self._chunks.clear()


def page_jobs(state: PageState, pages: list[OkrPage], env: jinja2.Environment) -> PageJobs | None:
    """A worker for the later part of `pages`, when there are enough of them to earn its
    start (None: the front end renders them all)."""
    return PageJobs(state, pages, env) if len(pages) >= PROCESS_MIN_PAGES else None


# -- in the worker process --------------------------------------------------------------

_worker: tuple[PageState, SiteBuild] | None = None


def _start_worker(state_file: str, started: Event) -> None:
    """The worker's own build of the same settings: its environment, edit links and link targets."""
    global _worker
    started.set()
    state = read_state(state_file)
    if state is not None:  # None: every chunk was done or taken back before the worker started
        _worker = (state, SiteBuild(state.settings))


def _render_chunk(pages: list[OkrPage]) -> Chunk | None:
    """The chunk's pages; None when one fails: the front end renders them and reports the
    error (an exception sent back could fail to unpickle, and that breaks the pool)."""
    if _worker is None:
        return None
    state, build = _worker
    env = build.environment()
    try:
        html = [
            render_page(
                env, build.page_context(state.cascade, state.urls, page, state.time, state.diagrams, state.problems)
            )
            for page in pages
        ]
    except Exception:
        return None
    loaded = {template.name for template in env.cache.values()} if env.cache is not None else set()
    return html, sorted(name for name in loaded if name and not name.startswith("okrdocs/"))
