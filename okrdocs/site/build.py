"""One site build, for every front end: the MkDocs plugin, `okrdocs generate`, and the
`check`, `report` and `diff` commands.

`SiteBuild` holds a build's settings (`site.settings`) and does, one way for all, what
each front end did on its own before: the check with the page collisions the build would
refuse, the timeline (history from git, the build date, the current period), the edit
links, the template environment, the Graphviz renderer and the caches. The front ends
only say how they report (`inform`) and what a problem costs them (a failed build, an
exit status).

`BuildCaches` is what outlives one build: `mkdocs serve` keeps it across rebuilds, so a
rebuild parses only the files that changed, reads only new commits and reuses the laid
out diagrams; each cache is remade only when the settings it depends on change.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.caches.parse_cache import CACHE_FILE, ParseCache
from ..core.domain.cascade import Cascade
from ..core.domain.problems import Problem, merged_problems
from ..core.history.checkins import History, HistoryUnavailable, read_history
from ..core.history.timeline import Timeline, TimeSettingError, build_time
from ..core.rules.check import CheckResult, check_folder
from ..core.rules.coaching_check import CoachingMemo
from .i18n import Language, fallback_note, language_of
from .layout import Collisions, Layout, OkrPage
from .options import Options
from .settings import SiteSettings, relative_posix
from .urls import edit_url

if TYPE_CHECKING:
    import jinja2

    from .body_links import LinkTargets
    from .diagram_jobs import DiagramJobs
    from .dot import DotRenderer
    from .incremental import BuildMemory
    from .pages import PageContext

# What renders pages (Jinja, markdown-it, the diagrams, okrs.json) is imported where it is
# used: `okrdocs check` builds no page, and it starts sooner without them.


def _ignore(message: str) -> None:
    pass


class BuildCaches:
    """The caches a front end keeps across builds (the plugin under `mkdocs serve`)."""

    def __init__(self) -> None:
        self._parse_cache: ParseCache | None = None
        self._env: jinja2.Environment | None = None
        self._env_key: tuple[tuple[str, ...], Language] | None = None
        self._dot: DotRenderer | None = None
        self._dot_settings: tuple[str, Path | None, float] | None = None
        self._collisions: tuple[tuple[Layout, bool, tuple[OkrPage, ...]], Collisions] | None = None
        self.history: tuple[Path, History] | None = None
        """The last history read and its folder: a rebuild reads only new commits."""
        self.coaching = CoachingMemo()
        """The last check's coaching findings of each objective: a rebuild coaches the
        objectives whose file changed."""

    @cached_property
    def memory(self) -> BuildMemory:
        """The last build's page keys and okrs.json entries: a preview's rebuild makes
        those of what changed only."""
        from .incremental import BuildMemory

        return BuildMemory()

    def parse_cache(self, file: Path | None, hold: bool = False) -> ParseCache:
        """Parsed OKR files by content, on disk in the cache folder (none: in memory only),
        so the next build and `okrdocs check` start warm. `hold`: a live preview, which
        writes the file after its first build and when it stops (`flush`)."""
        if self._parse_cache is None or self._parse_cache.file != file:
            self._parse_cache = ParseCache(file, hold)
        return self._parse_cache

    def flush(self) -> None:
        """Write what a live preview held back (when it stops)."""
        if self._parse_cache is not None:
            self._parse_cache.flush()

    def collisions(self, layout: Layout, cascade: Cascade, use_directory_urls: bool) -> list[Problem]:
        """`Layout.collisions`, with the pages that collide kept while the set of pages
        (their kinds and keys) is the one of the last build: an edit seldom changes it."""
        pages = tuple(layout.pages(cascade))
        key = (layout, use_directory_urls, pages)
        if self._collisions is None or self._collisions[0] != key:
            self._collisions = (key, layout.colliding(pages, use_directory_urls))
        return list(layout.collisions(cascade, use_directory_urls, self._collisions[1]))

    def environment(self, template_dirs: tuple[str, ...], language: Language) -> jinja2.Environment:
        if self._env is None or self._env_key != (template_dirs, language):
            from .pages import make_environment

            self._env_key = (template_dirs, language)
            self._env = make_environment(list(template_dirs), language)
        return self._env

    def renderer(self, options: Options, cache_dir: Path | None) -> DotRenderer:
        """One renderer while its settings hold, so its memory cache outlives rebuilds."""
        settings = (options.dot_path, cache_dir, options.dot_timeout)
        if self._dot is None or self._dot_settings != settings:
            from .dot import DotRenderer

            self._dot_settings = settings
            self._dot = DotRenderer(options.dot_path, cache_dir, options.dot_timeout)
        return self._dot


class SiteBuild:
    """One build of the OKR pages from `settings`.

    `preview`: a live preview (`mkdocs serve`): the timeline adds the edits not committed
    yet as a last point dated now, so an author sees them; a build shows commits only, so
    the same commits and SOURCE_DATE_EPOCH build the same site. `inform` gets the notes
    a user may want (no history, undated commits).
    """

    def __init__(
        self,
        settings: SiteSettings,
        caches: BuildCaches | None = None,
        *,
        preview: bool = False,
        inform: Callable[[str], None] = _ignore,
    ) -> None:
        self.settings = settings
        self.caches = caches or BuildCaches()
        self.preview = preview
        self.inform = inform
        self._folders: tuple[str, str] | None = None
        self._targets: tuple[Cascade, LinkTargets] | None = None
        site = settings.site
        self.language = language_of(site.language if site else None)
        """The language of okrdocs' words on the pages (the theme's `language`)."""
        note = fallback_note(self.language)
        if note:
            inform(note)

    @property
    def options(self) -> Options:
        return self.settings.options

    @property
    def layout(self) -> Layout:
        return self.settings.layout

    @property
    def folder(self) -> Path:
        """The OKR folder."""
        return self.settings.okrs_folder

    # -- the check ---------------------------------------------------------------

    def check(self, use_cache: bool = True) -> CheckResult:
        """The check of `okrdocs check`, with the pages the build would refuse to write."""
        file = self.settings.cache_dir / CACHE_FILE if self.settings.cache_dir else None
        # Without the cache its file is not even read (megabytes of JSON in a large organisation).
        cache = self.caches.parse_cache(file, hold=self.preview) if use_cache else None
        result = self.with_page_collisions(self.check_only(self.folder, cache, self.caches.coaching))
        targets = self.link_targets(result.cascade)
        if targets is None:
            return result  # no docs_dir: where a link leads cannot be told
        from .body_links import broken_body_links

        broken = broken_body_links(result.cascade, targets)
        return replace(result, problems=merged_problems(result.problems, broken)) if broken else result

    def check_only(
        self, folder: Path, cache: ParseCache | None = None, coaching: CoachingMemo | None = None
    ) -> CheckResult:
        """The check of any OKR folder (a revision's, for `okrdocs diff`) under this build's
        rules: the key result range, the coaching rules, the build date that closes periods.
        `coaching`: the findings of this folder's last check (`BuildCaches.coaching`)."""
        try:
            as_of: int | None = build_time()
        except TimeSettingError:  # the timeline reports it; no period is closed meanwhile
            as_of = None
        options = self.options
        return check_folder(
            folder, options.kr_range, cache, options.rule_settings, as_of,
            options.fiscal_year_start, options.default_commitment, coaching,
        )  # fmt: skip

    def link_targets(self, cascade: Cascade) -> LinkTargets | None:
        """Where relative links in bodies lead (None: no site, links stay as written);
        one per cascade, so docs_dir is listed once a build."""
        site = self.settings.site
        if site is None:
            return None
        if self._targets is None or self._targets[0] is not cascade:
            from .body_links import LinkTargets

            targets = LinkTargets(cascade, self.layout, self.folder, site.docs_dir, self.settings.use_directory_urls)
            self._targets = (cascade, targets)
        return self._targets[1]

    def with_page_collisions(self, result: CheckResult) -> CheckResult:
        """`result` with a problem for each page that would replace another (`Layout.collisions`)."""
        collisions = self.caches.collisions(self.layout, result.cascade, self.settings.use_directory_urls)
        return replace(result, problems=merged_problems(result.problems, collisions)) if collisions else result

    # -- time --------------------------------------------------------------------

    def history(self, lacking: str = "score trends or 'updated' dates") -> History:
        """The OKR folder's history from git, from the cache and the commits since.

        Without history (no git, a shallow clone) the build goes on without it, and one
        note says what is `lacking` and how to get it."""
        known = self.caches.history
        try:
            history = read_history(
                self.settings.checkout,
                self.folder,
                self.settings.cache_dir,
                known[1] if known and known[0] == self.folder else None,
            )
        except HistoryUnavailable as why:
            self.inform(f"no {lacking}: {why}")
            history = History()
        notice = history.undated_notice()
        if notice:
            self.inform(notice)
        self.caches.history = (self.folder, history)
        return history

    def timeline(self, cascade: Cascade) -> Timeline:
        """The build date, the current period and the folder's history; raises
        `TimeSettingError` when SOURCE_DATE_EPOCH is no date."""
        as_of = build_time()
        history = self.history()
        if self.preview and history.head is not None:
            history = history.with_working_tree(cascade, as_of)
        site = self.settings.site
        return self.options.timeline(as_of, history, site.repo_url if site else None)

    # -- pages -------------------------------------------------------------------

    def environment(self) -> jinja2.Environment:
        """The page templates, behind the theme's folders (`custom_dir/okrdocs/*.html` wins)."""
        site = self.settings.site
        return self.caches.environment(site.template_dirs if site else (), self.language)

    def renderer(self) -> DotRenderer | None:
        """Graphviz for the diagrams; None when the diagrams are turned off."""
        return self.caches.renderer(self.options, self.settings.cache_dir) if self.options.diagrams else None

    def diagrams(
        self,
        cascade: Cascade,
        urls: dict[OkrPage, str],
        only: set[OkrPage] | None = None,
        keys: dict[OkrPage, str] | None = None,
    ) -> DiagramJobs | None:
        """Every page's diagram (or those of the pages in `only`, for a dirty build), laid
        out in the background from now on (None: no diagrams). `keys`: each page's key
        (`page_keys`): the diagrams of pages whose key the last build had are reused."""
        renderer = self.renderer()
        if renderer is None:
            return None
        settings = replace(self.options.diagram_settings, language=self.language.code)
        from .diagram_jobs import DiagramJobs

        return DiagramJobs(renderer, cascade, urls, self.layout, settings, only=only, keys=keys)

    def begin(self, cascade: Cascade, urls: dict[OkrPage, str], time: Timeline, common: str) -> None:
        """Before `page_keys` and `okrs_json`: a live preview compares this build with its
        last one (`site.incremental`); `common` is what every page's key shares."""
        if self.preview:
            self.caches.memory.start(cascade, urls, time, common)

    def page_keys(self, cascade: Cascade, urls: dict[OkrPage, str], time: Timeline, common: str) -> dict[OkrPage, str]:
        """Every page's cache key (`site.page_inputs`); a live preview's rebuild makes those
        of the pages that show what changed and carries the others over."""
        from .page_inputs import PageInputs

        depth = self.options.diagram_depth if self.options.diagrams else None
        inputs = PageInputs(cascade, urls, time, depth)
        return self.caches.memory.page_keys(inputs, common) if self.preview else inputs.keys(common)

    def okrs_json(self, cascade: Cascade, urls: dict[OkrPage, str], time: Timeline | None) -> str | None:
        """The text of okrs.json (`json_file`), or None when the site does not publish it; a
        live preview's rebuild makes the entries of the objectives that changed."""
        if not self.options.json_file:
            return None
        if self.preview and time is not None:
            return self.caches.memory.okrs_json(cascade, urls, time)
        from .export import okrs_json

        return okrs_json(cascade, urls, time)

    def page_context(
        self,
        cascade: Cascade,
        urls: dict[OkrPage, str],
        page: OkrPage,
        time: Timeline,
        diagrams: bool,
        problems: tuple[Problem, ...] = (),
    ) -> PageContext:
        """What `page`'s template is rendered from, the same in a front end and in
        `page_jobs`' worker; `diagrams`: the pages that draw one have its placeholder."""
        from .pages import DIAGRAM_KINDS, Links, PageContext

        return PageContext(
            page=page,
            cascade=cascade,
            links=Links(urls, urls[page], cascade),
            has_diagram=diagrams and page.kind in DIAGRAM_KINDS,
            edit_url=self.edit_url(cascade, page),
            problems=problems,
            time=time,
            body_links=self.link_targets(cascade),
        )

    def edit_url(self, cascade: Cascade, page: OkrPage) -> str | None:
        """Where an objective page's "edit" link points: its OKR file (None: no link).

        From repo_url and edit_uri as the site's config has them (`SiteConfig.edit_uri`).
        """
        site = self.settings.site
        objective = cascade.objectives.get(page.key) if page.kind == "objective" else None
        if site is None or objective is None:
            return None
        docs_dir, okrs_dir = self.edit_folders()
        return edit_url(
            site.repo_url,
            site.edit_uri,
            docs_dir,
            posixpath.join(okrs_dir, objective.where.path),
            self.options.edit_uri,
        )

    def edit_folders(self) -> tuple[str, str]:
        """docs_dir and the OKR folder from the folder of the site's config, as edit links
        have them (symbolic links resolved: an OKR folder that is a link to another folder
        of the repository is edited there)."""
        if self._folders is None:  # once per build: resolving paths costs system calls
            site = self.settings.site
            here = site.config_dir if site else Path.cwd()
            docs_dir = relative_posix(site.docs_dir, here) if site else "docs"
            self._folders = (docs_dir, relative_posix(self.folder, here))
        return self._folders
