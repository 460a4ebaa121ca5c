"""Each generated page's HTML from the last build, reused while nothing it is made from changed.

Once the diagrams are cached, rendering the page templates is most of what okrdocs adds
to a build. A page's HTML is made from the OKRs, every page's URL and okrdocs' code
(`fingerprint.site_digest`), the page templates (a theme's overrides included), the
options, the build's time facts and the site's edit links: the front end hashes all of them
into one fingerprint, and the last build's pages are used only under the same one. The
templates outside `okrdocs/` that rendering loaded (what an override includes, imports or
extends) are kept with the pages, each with a hash of its source: a change to one of them
renders the pages again too.

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

PAGES_FILE = "pages.json"


def templates_digest(env: jinja2.Environment) -> str:
    """The bytes of every okrdocs template the environment can load, overrides first."""
    digest = hashlib.sha256()
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
    """Page HTML by source URI, made under one fingerprint."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file
        self._fingerprint: str | None = None
        self._templates: dict[str, str] = {}
        self._pages: dict[str, str] = {}
        self._changed = False

    def start(self, fingerprint: str, src_uris: set[str], env: jinja2.Environment) -> None:
        """Begin a build: keep the pages made under `fingerprint` whose included templates
        did not change (from memory or from the file), or start empty.

        Whenever the pages in memory are not kept, `env` forgets the templates it compiled
        (it does not look for changed files itself), so pages rendered now use the files
        as they are."""
        if fingerprint != self._fingerprint or not _unchanged(env, self._templates):
            self._fingerprint = fingerprint
            self._templates, self._pages = self._read(fingerprint, src_uris, env)
            self._changed = False
            if env.cache is not None:
                env.cache.clear()

    def get(self, src_uri: str) -> str | None:
        return self._pages.get(src_uri)

    def put(self, src_uri: str, html: str) -> None:
        self._pages[src_uri] = html
        self._changed = True

    def save(self, env: jinja2.Environment) -> None:
        """After a complete build: write the file if this build rendered pages (with `env`)."""
        if self._changed:
            self._templates = {**self._templates, **_loaded_templates(env)}
        if self.file is not None and self._changed:
            content = {"fingerprint": self._fingerprint, "templates": self._templates, "pages": self._pages}
            text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
            write_cache_file(self.file.parent, self.file.name, text)
        self._changed = False

    def _read(
        self, fingerprint: str, src_uris: set[str], env: jinja2.Environment
    ) -> tuple[dict[str, str], dict[str, str]]:
        """The templates and pages kept in the file under `fingerprint`, or none."""
        if self.file is None:
            return {}, {}
        content = read_cache_json(self.file)
        try:
            if content["fingerprint"] != fingerprint or not _unchanged(env, content["templates"]):
                return {}, {}
            templates, pages = content["templates"], content["pages"]
        except (KeyError, TypeError, IndexError):
            return {}, {}
        if not isinstance(pages, dict):
            return {}, {}
        return templates, {uri: html for uri, html in pages.items() if uri in src_uris and isinstance(html, str)}
