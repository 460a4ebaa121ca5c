"""The MkDocs plugin: check the OKR folder on every build and publish its pages.

The build itself is `site.build.SiteBuild`, shared with `okrdocs generate` and the
commands; this adapter gives it the settings MkDocs read (`site_config`) and turns its
findings into MkDocs' logs, errors and files.

Event flow: `on_config` makes the build and registers assets; `on_files` checks the
folder (the build gate), reads its history from git (`core.history`) and adds one
generated page per vision, team directory, team, objective, period index and period;
`on_nav` keys each page by what it shows (`site.page_inputs`) and starts laying out the
diagrams in the background (`site.diagram_jobs`); `on_page_content` renders each generated
page's template, unless the page cache has it under the same key; `on_post_page` puts its
diagram's SVG and its trend charts in.

Under `mkdocs serve --dirty` MkDocs writes only the pages whose `File.is_modified()` is
true; a generated page (`GeneratedPage`) answers it from its key, so an edit writes the
pages that show what changed and no others.
"""

from __future__ import annotations

import gc
import logging
import os
import re
from pathlib import Path
from typing import Any, ClassVar, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.templates import TemplateContext

from ..core.caches.identity import code_identity
from ..core.domain.cascade import Cascade
from ..core.domain.problems import Problem, counted
from ..core.history.timeline import SECONDS_PER_DAY, Timeline, TimeSettingError
from ..core.rules.check import CheckResult
from ..site.build import BuildCaches, SiteBuild
from ..site.diagram_jobs import DiagramJobs
from ..site.dot import DotRenderer, GraphvizError
from ..site.fingerprint import fingerprint
from ..site.layout import Layout
from ..site.options import Options
from ..site.page_cache import PAGES_FILE, PageCache, templates_digest
from ..site.page_jobs import PageJobs, PageState, page_jobs
from ..site.pages import (
    ASSETS_DIR,
    DIAGRAM_PLACEHOLDER,
    LISTED_KINDS,
    SCRIPTS,
    SECTION_OF,
    STYLESHEETS,
    TOP_KINDS,
    TRENDS_PLACEHOLDER,
    Links,
    OkrPage,
    PageContext,
    insert_diagram,
    insert_trends,
    page_metadata,
    page_tags_html,
    page_title_html,
    render_legend,
    render_page,
    toc_entries,
)
from ..site.settings import site_settings
from .config import OkrdocsConfig, OptionsConfig
from .search_index import drop_rewritten_pages
from .site_config import site_config
from .theme_cache import TemplateCodeCache

log = get_plugin_logger(__name__)

ASSETS_URI = "assets/okrdocs"


class GeneratedPage(File):
    """A generated page's file: under `mkdocs serve --dirty`, modified only when the page
    shows something other than what was written to its destination.

    MkDocs' own `is_modified()` is always true for a file with in-memory content, so every
    generated page would be rendered and written on every dirty build.
    """

    written_key: str | None = None
    """Set by the plugin when the page's key is the key it had when last written here."""
    key: str | None = None
    _modified: bool | None = None

    def is_modified(self) -> bool:
        if self.key is None:
            return True
        if self._modified is None:  # once per build: MkDocs asks three times per page
            self._modified = self.key != self.written_key or not os.path.isfile(self.abs_dest_path)
        return self._modified


class GeneratedPageContent(Page):
    """A generated page as MkDocs sees it: its HTML comes from okrdocs' templates
    (`on_page_content`), so MkDocs' Markdown step, which would make a Markdown converter
    with every extension for the page's empty text, is left out. Its table of contents
    and the anchors other pages may link to are taken from that HTML instead."""

    _canonical_urls: ClassVar[dict[tuple[str | None, str], tuple[str | None, str | None]]] = {}
    """MkDocs' canonical and absolute URLs by site URL and page URL: MkDocs parses both URLs
    for each of thousands of pages in every build, a live preview's rebuilds included."""

    def _set_canonical_url(self, base: str | None) -> None:
        key = (base, self.url)
        known = self._canonical_urls.get(key)
        if known is None:
            super()._set_canonical_url(base)
            known = self._canonical_urls[key] = (self.canonical_url, self.abs_url)
        self.canonical_url, self.abs_url = known

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = None  # known once okrdocs' HTML is in (`on_page_content`)


_ANCHOR_ID = re.compile(r'\sid="([^"<>]*)"')


class PageFiles:
    """The generated pages' files, made once per site folder and URL style and copied for
    each build: MkDocs' `File` works out its output path and URL with path and URL
    functions, which on thousands of pages is a good part of a `--dirty` rebuild. A copy
    starts as a file just made does (no page); MkDocs and other plugins change the copy only.
    """

    def __init__(self) -> None:
        self._settings: tuple[str, bool, Layout] | None = None
        self._made: dict[OkrPage, GeneratedPage] = {}
        self._used: dict[OkrPage, GeneratedPage] = {}

    def begin(self, config: MkDocsConfig, layout: Layout) -> None:
        """Start a build: keep the files of the last one while the folder, the URL style
        and where the pages live hold."""
        settings = (config.site_dir, config.use_directory_urls, layout)
        self._made = self._used if settings == self._settings else {}
        self._settings, self._used = settings, {}

    def file(self, config: MkDocsConfig, layout: Layout, page: OkrPage) -> GeneratedPage:
        """A new file for `page`."""
        made = self._made.get(page)
        if made is None:
            inclusion = InclusionLevel.UNDEFINED if page.kind in LISTED_KINDS else InclusionLevel.NOT_IN_NAV
            made = cast(
                GeneratedPage, GeneratedPage.generated(config, layout.src_uri(page), content="", inclusion=inclusion)
            )
            _worked_out = (made.dest_uri, made.url, made.abs_dest_path)  # once: the copies keep them
        self._used[page] = made
        file = GeneratedPage.__new__(GeneratedPage)  # a copy, as `copy.copy` makes it, in a fraction of its time
        file.__dict__.update(made.__dict__)
        return file


class OkrdocsPlugin(BasePlugin[OptionsConfig]):
    config_class = OkrdocsConfig  # made from Options at import: a variable, not a class statement
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.is_serve = False
        self.is_dirty = False
        self.options = Options()
        self._result: CheckResult | None = None
        self._pages: dict[str, OkrPage] = {}
        self._urls: dict[OkrPage, str] = {}
        self._diagrams: DiagramJobs | None = None
        self._page_jobs: PageJobs | None = None
        self._legend: str | None = None
        self._time: Timeline | None = None
        self._build: SiteBuild | None = None
        """This build: its settings, check, timeline, edit links, renderer (`site.build`)."""
        self._caches = BuildCaches()
        """Kept across `mkdocs serve` rebuilds; each part remade only when its settings change."""
        self._page_cache = PageCache()
        self._keys: dict[str, str] = {}
        self._page_keys: dict[OkrPage, str] = {}
        self._common: tuple[str, str] = ("", "")
        """What every page's key shares, and the part of it the templates make."""
        """This build's key of each generated page, by source URI (`PageInputs.keys`)."""
        self._written: tuple[str, dict[str, str]] = ("", {})
        """The site folder and the key of each page last written there: what a dirty build
        leaves alone."""
        self._saved_once = False
        self._page_files = PageFiles()
        self._theme_code = TemplateCodeCache()
        self._generated: dict[str, GeneratedPage] = {}
        """This build's generated pages' files, by source URI."""
        self._section_files: dict[str, File | None] = {}
        """The Teams and Periods pages' files, whose nav entries stand for the pages kept out."""
        self._active_section: Page | None = None
        self._collector_paused = False
        self._advice_logged: frozenset[Problem] = frozenset()
        """The coaching findings a preview's last build logged (`_log_advice`)."""

    # -- events --------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this instance across `mkdocs serve` rebuilds.
        self.is_serve = command == "serve"
        self.is_dirty = dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if self.is_serve and gc.isenabled():
            # A serve process holds the folder's records, the pages' HTML and the last
            # build's views: each of the thousands of collections a rebuild triggered
            # walked them (most of a --dirty rebuild, benchmarks/RESULTS.md). The
            # collector runs again between rebuilds.
            gc.disable()
            self._collector_paused = True
        self.options = self.config.options()
        if not self.options.enabled:
            return config
        self._result, self._pages, self._urls, self._diagrams, self._legend = None, {}, {}, None, None
        self._time = None
        settings = site_settings(site_config(config), self.options, plugin=True)
        self._build = SiteBuild(settings, self._caches, preview=self.is_serve, inform=_inform)
        self.okrs_dir = settings.okrs_folder
        self.layout = self.options.layout
        self._cache_dir = settings.cache_dir
        for warning in settings.warnings:
            log.warning(warning)  # the plugin's logger says `okrdocs: ` (MkDocs' get_plugin_logger)
        if str(self.okrs_dir) not in config.watch:
            config.watch.append(str(self.okrs_dir))
        config.extra_css.extend(f"{ASSETS_URI}/{name}" for name in STYLESHEETS)
        config.extra_javascript.extend(f"{ASSETS_URI}/{name}" for name in SCRIPTS)
        return config

    @event_priority(50)  # before nav plugins (-100) so they see the generated pages
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.options.enabled:
            return files
        if not self.okrs_dir.is_dir():
            raise PluginError(
                f"okrdocs: the OKR folder '{self.options.okrs_dir}' does not exist next to "
                f"{Path(config.config_file_path or 'mkdocs.yml').name}: create it or set 'okrs_dir'"
            )
        self._result = self._check()
        cascade = self._result.cascade
        self._time = self._timeline(cascade)
        destinations = {file.dest_uri: file for file in files}
        self._generated = {}
        self._page_files.begin(config, self.layout)
        for page in self.layout.pages(cascade):
            file = self._page_files.file(config, self.layout, page)
            _refuse_existing(files, file)
            other = destinations.setdefault(file.dest_uri, file)
            if other is not file:  # the second page would silently replace the first
                if not self.is_serve:
                    raise PluginError(_collision_message(file, other, page))
                continue  # the check logged it (OKR304); the preview keeps the first page
            files.append(file)
            # A page the nav leaves out keeps this page object; one it lists gets MkDocs' own.
            GeneratedPageContent(None, file, config)
            self._pages[file.src_uri] = page
            self._urls[page] = file.url
            self._generated[file.src_uri] = file
        for name in (*STYLESHEETS, *SCRIPTS):
            self._add(files, File.generated(config, f"{ASSETS_URI}/{name}", abs_src_path=str(ASSETS_DIR / name)))
        self._common = self._shared_key(config)
        self._site_build.begin(cascade, self._urls, self._time, self._common[0])
        content = self._site_build.okrs_json(cascade, self._urls, self._time)
        if content is not None:
            self._add(files, File.generated(config, self.options.json_file, content=content))
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if self.options.enabled and self._result is not None:
            self._section_files = {
                kind: files.get_file_from_path(self.layout.src_uri(OkrPage(kind))) for kind in set(SECTION_OF.values())
            }
            written = self._start_page_cache(config, files)
            # Lay the diagrams out while MkDocs renders the pages; a dirty build only those
            # of the pages it writes.
            only = {page for uri, page in self._pages.items() if uri not in written} if self.is_dirty else None
            self._page_jobs = self._start_page_jobs()
            self._diagrams = self._site_build.diagrams(
                self._result.cascade,
                self._urls,
                only=only if only is None or len(only) < len(self._pages) else None,
                keys=self._page_keys,
            )
        if not self.options.enabled or not self.options.add_to_nav or config.nav is None:
            return nav
        for src_uri in (self.layout.src_uri(OkrPage(kind)) for kind in TOP_KINDS):
            file = files.get_file_from_path(src_uri)
            if file is not None and file.page is not None and file.page not in nav.pages:
                nav.items.append(file.page)
                nav.pages.append(file.page)
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.is_serve and env.bytecode_cache is None:
            # MkDocs makes the theme's environment again for each build: compile its
            # templates once per server (`theme_cache`).
            self._theme_code.attach(env)
        return env

    @event_priority(100)  # before other plugins' (0): mkdocs-macros, wherever it is listed, sees the opt-out
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        okr_page = self._pages.get(page.file.src_uri)
        if okr_page is not None and self._result is not None:
            page.meta.update(page_metadata(okr_page))
            page.meta["title"] = page_title_html(okr_page, self._result.cascade, self._site_build.language)
            tags = page_tags_html(okr_page, self._result.cascade)
            if tags:
                page.meta["tags"] = tags
            if okr_page.kind == "objective":
                page.edit_url = self._edit_url(okr_page, config)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        okr_page = self._pages.get(page.file.src_uri)
        if okr_page is None or self._result is None:
            return html
        content = self._page_cache.get(page.file.src_uri)
        if content is None:
            content = self._render(okr_page, page, config)
            self._page_cache.put(page.file.src_uri, content)
        # The page's Markdown is empty: its headings and anchors are those of its HTML.
        page.toc = get_toc(toc_entries(content))
        page.present_anchor_ids = set(_ANCHOR_ID.findall(content))
        return content

    def _render(self, okr_page: OkrPage, page: Page, config: MkDocsConfig) -> str:
        html = self._page_jobs.html(okr_page) if self._page_jobs is not None else None
        if html is not None:
            return html
        assert self._result is not None and self._time is not None
        context = self._site_build.page_context(
            self._result.cascade, self._urls, okr_page, self._time, self._diagrams is not None, self._problems
        )
        return render_page(self._environment(config), context)

    @property
    def _problems(self) -> tuple[Problem, ...]:
        """The errors a preview shows on its pages (a build stops at them)."""
        return tuple(self._result.errors) if self.is_serve and self._result is not None else ()

    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext | None:
        """A team, objective or period page is kept out of the navigation: its section's
        entry (Teams, Periods) is marked active while the theme renders it, and no longer
        after (`on_post_page`)."""
        okr_page = self._pages.get(page.file.src_uri)
        section = SECTION_OF.get(okr_page.kind) if okr_page is not None else None
        if section is not None:
            file = self._section_files.get(section)
            if file is not None and file.page is not None and file.page in nav.pages:
                file.page.active = True
                self._active_section = file.page
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str | None:
        if self._active_section is not None:
            self._active_section.active = False
            self._active_section = None
        okr_page = self._pages.get(page.file.src_uri)
        if okr_page is None or self._result is None:
            return output
        self._written[1][page.file.src_uri] = self._keys.get(page.file.src_uri, "")
        if TRENDS_PLACEHOLDER in output:
            context = PageContext(okr_page, self._result.cascade, Links(self._urls, page.url), time=self._time)
            output = insert_trends(output, self._environment(config), context)
        if self._diagrams is None or DIAGRAM_PLACEHOLDER not in output:
            return output
        try:
            # Diagrams are laid out in the order pages are written: this seldom waits.
            svg = self._diagrams.svg(okr_page)
        except GraphvizError as error:
            raise PluginError(f"okrdocs: {error}") from None
        if self._legend is None:
            self._legend = render_legend(self._environment(config))
        return insert_diagram(output, svg, self._legend)

    @event_priority(100)  # before the search plugin's (0) writes its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.is_dirty:
            drop_rewritten_pages(config)
        self._stop_page_jobs()
        if self._diagrams is not None:
            self._diagrams.finish()
            if self._diagrams.write_error:
                log.warning(self._diagrams.write_error)
        # `mkdocs serve` saves the pages after its first build and when it stops, not after
        # every edit: the file holds every page's HTML.
        if self.options.enabled and not (self.is_serve and self._saved_once):
            self._page_cache.save(self._environment(config))
            self._saved_once = True
        self._resume_collector()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """After the server's first build: collect its garbage (its pages and views, garbage
        only now that MkDocs' build has returned) and freeze what is left, which the plugin
        keeps for the whole session (the records, caches and pages' HTML), so that no later
        collection walks it. Without this, the first edit's rebuild did that collection."""
        if self.options.enabled:
            gc.collect()
            gc.freeze()
        return server

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_page_jobs()
        self._resume_collector()

    def on_shutdown(self) -> None:
        self._resume_collector()
        if self._build is not None and self.options.enabled:
            self._page_cache.save(self._site_build.environment())
            self._caches.flush()

    @property
    def pages_rendered(self) -> int:
        """Pages whose template the last build rendered (the others came from the page cache)."""
        return self._page_cache.rendered

    # -- helpers -------------------------------------------------------------

    def _stop_page_jobs(self) -> None:
        if self._page_jobs is not None:
            self._page_jobs.cancel()
            self._page_jobs = None

    def _resume_collector(self) -> None:
        if self._collector_paused:
            self._collector_paused = False
            gc.enable()

    @property
    def _site_build(self) -> SiteBuild:
        assert self._build is not None, "on_config makes the build"
        return self._build

    def _start_page_cache(self, config: MkDocsConfig, files: Files) -> set[str]:
        """Key each page by what it shows and what every page shares; reuse the HTML of
        pages whose key did not change. Returns the pages already written to the site
        folder under their key, which a dirty build leaves alone."""
        assert self._result is not None and self._time is not None
        file = self._cache_dir / PAGES_FILE if self._cache_dir else None
        if self._page_cache.file != file:
            self._page_cache = PageCache(file)
        env = self._environment(config)
        keys = self._site_build.page_keys(self._result.cascade, self._urls, self._time, self._common[0])
        self._page_keys = keys
        src_uris = {page: src_uri for src_uri, page in self._pages.items()}
        self._keys = {src_uris.get(page) or self.layout.src_uri(page): key for page, key in keys.items()}
        self._page_cache.start(self._keys, self._common[1], env)
        if self._written[0] != config.site_dir:
            self._written = (config.site_dir, {})
        written, unchanged = self._written[1], set()
        for src_uri, key in self._keys.items():
            generated = self._generated.get(src_uri)
            if generated is not None and files.src_uris.get(src_uri) is generated:
                generated.key, generated.written_key = key, written.get(src_uri)
                if not generated.is_modified():
                    unchanged.add(src_uri)
        return unchanged

    def _start_page_jobs(self) -> PageJobs | None:
        """A worker for part of the pages to render, on a large cold build (`site.page_jobs`);
        a preview renders the few pages an edit changes itself."""
        assert self._result is not None and self._time is not None
        if self.is_serve:
            return None
        todo = [page for src_uri, page in self._pages.items() if self._page_cache.get(src_uri) is None]
        state = PageState(
            self._site_build.settings,
            self._result.cascade,
            self._urls,
            self._time,
            diagrams=self._site_build.renderer() is not None,
        )
        return page_jobs(state, todo, self._site_build.environment())

    def _shared_key(self, config: MkDocsConfig) -> tuple[str, str]:
        """What every page's key shares, and the part of it the templates make."""
        assert self._result is not None and self._time is not None
        time = self._time
        templates = templates_digest(self._environment(config))
        shared = fingerprint(
            code_identity(),
            templates,
            repr(self.options),
            config.use_directory_urls,
            # The folders as edit links name them: an OKR folder that is a link to another
            # folder of the repository gives other edit links under the same path.
            [config.repo_url, config.edit_uri, config.docs_dir, str(self.okrs_dir), *self._edit_folders(config)],
            # The day: expected pace and "changes in the last N days" move with it.
            [time.as_of // SECONDS_PER_DAY, str(time.current), time.stale_after, time.has_history],
            [problem.as_text(self.options.okrs_dir) for problem in self._result.errors] if self.is_serve else [],
            # The files of docs_dir, where relative links in bodies may lead.
            sorted(targets.docs_files) if (targets := self._site_build.link_targets(self._result.cascade)) else [],
        )
        return shared, templates

    def _check(self) -> CheckResult:
        """Run the same check as `okrdocs check`; errors abort the build, except under serve."""
        result = self._site_build.check()
        shown = self.options.okrs_dir
        for problem in result.warnings:
            log.warning(problem.as_text(shown))
        for problem in result.errors:
            log.error(problem.as_text(shown))
        self._log_advice(result.advice, shown)
        if result.errors:
            count = len(result.errors)
            message = f"{count} error{'s' * (count != 1)} in the OKR folder '{shown}' (listed above)"
            if not self.is_serve:
                raise PluginError(f"okrdocs: {message}: fix them and build again")
            log.error(f"{message}; the preview shows what could be read")
        return result

    def _log_advice(self, advice: list[Problem], shown: str) -> None:
        """Log the coaching findings, as INFO (`mkdocs build --strict` passes on advice). A
        preview's rebuild logs only those its last build did not: what an edit brought is
        not lost among thousands of lines said before (and not formatted again)."""
        if not log.isEnabledFor(logging.INFO):
            return
        new = [problem for problem in advice if problem not in self._advice_logged]
        for problem in new:
            log.info(problem.as_text(shown))
        if self.is_serve:
            if len(new) < len(advice):
                kept = counted(len(advice) - len(new), "piece", "pieces")
                log.info(f"{kept} of advice as in the last build, not listed again")
            self._advice_logged = frozenset(advice)

    def _timeline(self, cascade: Cascade) -> Timeline:
        """The build date, the current period and the folder's history (`SiteBuild.timeline`)."""
        try:
            return self._site_build.timeline(cascade)
        except TimeSettingError as error:
            raise PluginError(f"okrdocs: {error}") from None

    @staticmethod
    def _add(files: Files, file: File) -> None:
        _refuse_existing(files, file)
        files.append(file)

    def _environment(self, config: MkDocsConfig) -> Any:
        return self._site_build.environment()

    def _edit_url(self, page: OkrPage, config: MkDocsConfig) -> str | None:
        return self._site_build.edit_url(self._result.cascade, page) if self._result else None

    def _edit_folders(self, config: MkDocsConfig) -> tuple[str, str]:
        """docs_dir and the OKR folder from the folder of mkdocs.yml, as edit links have them."""
        return self._site_build.edit_folders()

    def _renderer(self, config: MkDocsConfig) -> DotRenderer | None:
        return self._site_build.renderer()


def _refuse_existing(files: Files, file: File) -> None:
    if file.src_uri in files.src_uris:  # a File's src_uri is POSIX already: no `get_file_from_path`
        raise PluginError(
            f"okrdocs: the docs folder already has '{file.src_uri}', where okrdocs generates a page: "
            "rename that file or change okrdocs' vision_url / overview_url / teams_url / objectives_url / periods_url"
        )


def _collision_message(file: File, other: File, page: OkrPage) -> str:
    what = {"team": f"team id '{page.key}'", "objective": f"objective id '{page.key}'"}.get(
        page.kind, f"the {page.kind} page"
    )
    return (
        f"okrdocs: the page for {what} ({file.src_uri}) would be written to {file.dest_uri}, "
        f"where '{other.src_uri}' goes: rename that id, or change okrdocs' vision_url / "
        "teams_url / objectives_url / periods_url"
    )


def _inform(message: str) -> None:
    log.info(message)
