"""Each generated page's HTML from the last build, reused while nothing it shows changed.

Once the diagrams are cached, rendering the page templates is most of what okrdocs adds
to a build. Each page's HTML is kept under its own key (`page_inputs.PageInputs.keys`):
what the page shows (its objective, team, neighbours, periods and history points) and
what every page shares (okrdocs' code, the page templates with a theme's overrides, the
options, the build's current period, the site's edit links). An edit renders the pages
it touches again and reuses the others. The templates outside `okrdocs/` that rendering
loaded (what an override includes, imports or extends) are kept with the pages, each with
a hash of its source: a change to one of them renders every page again.

The pages live in memory for as long as the `PageCache` does (the plugin keeps one across
`mkdocs serve` rebuilds) and in one JSON file in the cache folder between builds. They are
read back as strings only, for the pages of this build only.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jinja2

from ..core.caches.cache_files import read_cache_json, write_cache_file
from .i18n import Language

PAGES_FILE = "pages.json"


def templates_digest(env: jinja2.Environment) -> str:
    """The bytes of every okrdocs template the environment can load, overrides first."""
    digest = hashlib.sha256()
    language = env.globals.get("okr_language")
    digest.update(f"language\0{language.key() if isinstance(language, Language) else ''}\0".encode())
    loader = env.loader
    folders = loader.searchpath if isinstance(loader, jinja2.FileSystemLoader) else []
    for folder in folders:
        for path in sorted((Path(folder) / "okrdocs").rglob("*")):
            if path.is_file():
                digest.update(f"{path}\0{path.stat().st_size}\0".encode("utf-8", "surrogateescape"))
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _loaded_templates(env: jinja2.Environment) -> dict[str, str]:
    """The templates outside `okrdocs/` that `env` has loaded, each with its source's hash."""
    names = {template.name for template in env.cache.values()} if env.cache is not None else set()
    return {name: _source_digest(env, name) for name in sorted(n for n in names if n and not n.startswith("okrdocs/"))}


def _source_digest(env: jinja2.Environment, name: str) -> str:
    """A hash of the template `name` as the environment's loader finds it now ("" when gone)."""
    try:
        source, filename, _ = env.loader.get_source(env, name) if env.loader else ("", None, None)
    except jinja2.TemplateNotFound:
        return ""
    return hashlib.sha256(f"{filename}\0{source}".encode("utf-8", "surrogateescape")).hexdigest()


def _unchanged(env: jinja2.Environment, templates: object) -> bool:
    return isinstance(templates, dict) and all(
        isinstance(name, str) and _source_digest(env, name) == digest for name, digest in templates.items()
    )


class PageCache:
    """Page HTML by source URI, each kept with the key it was made under."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file
        self._loaded = False
        self._shared: str | None = None
        self._templates: dict[str, str] = {}
        self._pages: dict[str, tuple[str, str]] = {}
        """Source URI: (key, HTML)."""
        self._keys: dict[str, str] = {}
        self._changed = False
        self.rendered = 0
        """Pages this build rendered (not taken from the cache): for tests and the benchmark."""

    def start(self, keys: dict[str, str], shared: str, env: jinja2.Environment) -> None:
        """Begin a build whose pages have `keys` (by source URI); `shared` is the part of
        every key the templates make (`templates_digest`).

        The first build reads the file. When the templates changed, or one that rendering
        included did, no page is kept and `env` forgets the templates it compiled (it does
        not look for changed files itself), so pages rendered now use the files as they are."""
        if not self._loaded:
            self._loaded = True
            self._templates, self._pages = self._read(env)
            self._shared = shared
        if shared != self._shared or not _unchanged(env, self._templates):
            self._shared, self._templates, self._pages = shared, {}, {}
            if env.cache is not None:
                env.cache.clear()
        self._keys = keys
        self.rendered = 0
        kept = {uri: page for uri, page in self._pages.items() if keys.get(uri) == page[0]}
        self._changed = self._changed or len(kept) != len(self._pages)
        self._pages = kept

    def get(self, src_uri: str) -> str | None:
        """The page's HTML when it was made under this build's key."""
        page = self._pages.get(src_uri)
        return page[1] if page is not None and page[0] == self._keys.get(src_uri) else None

    def put(self, src_uri: str, html: str) -> None:
        self._pages[src_uri] = (self._keys.get(src_uri, ""), html)
        self.rendered += 1
        self._changed = True

    def save(self, env: jinja2.Environment) -> None:
        """After a complete build: write the file if pages changed since it was written
        (rendered with `env`)."""
        if self._changed:
            self._templates = {**self._templates, **_loaded_templates(env)}
        if self.file is not None and self._changed:
            pages = {uri: list(page) for uri, page in self._pages.items()}
            content = {"templates": self._templates, "pages": pages}
            text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
            write_cache_file(self.file.parent, self.file.name, text)
        self._changed = False

    def _read(self, env: jinja2.Environment) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
        """The templates and pages kept in the file, when no template they used changed."""
        if self.file is None:
            return {}, {}
        content = read_cache_json(self.file)
        try:
            templates, pages = content["templates"], content["pages"]
        except (KeyError, TypeError, IndexError):
            return {}, {}
        if not isinstance(pages, dict) or not _unchanged(env, templates):
            return {}, {}
        return templates, {
            uri: (page[0], page[1])
            for uri, page in pages.items()
            if isinstance(page, list) and len(page) == 2 and all(isinstance(part, str) for part in page)
        }
