"""Each generated page's HTML from the last build, reused while nothing it is made from changed.

Once the diagrams are cached, rendering the page templates is most of what okrdocs adds
to a build. A page's HTML is made from the OKRs, every page's URL and okrdocs' code
(`fingerprint.site_digest`), the page templates (a theme's overrides included), the
options, the build's time facts and the site's edit links: the front end hashes all of them
into one fingerprint, and the last build's pages are used only under the same one.

The pages live in memory for as long as the `PageCache` does (the plugin keeps one across
`mkdocs serve` rebuilds) and in one JSON file in the cache folder between builds. They are
read back as strings only, for the pages of this build only.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jinja2

from ..core.cache_files import write_atomically

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


class PageCache:
    """Page HTML by source URI, made under one fingerprint."""

    def __init__(self, file: Path | None = None) -> None:
        self.file = file
        self._fingerprint: str | None = None
        self._pages: dict[str, str] = {}
        self._changed = False

    def start(self, fingerprint: str, src_uris: set[str]) -> None:
        """Begin a build: keep the pages made under `fingerprint` (from memory or from the
        file), or start empty."""
        if fingerprint != self._fingerprint:
            self._fingerprint = fingerprint
            self._pages = self._read(fingerprint, src_uris)
            self._changed = False

    def get(self, src_uri: str) -> str | None:
        return self._pages.get(src_uri)

    def put(self, src_uri: str, html: str) -> None:
        self._pages[src_uri] = html
        self._changed = True

    def save(self) -> None:
        """After a complete build: write the file if this build rendered pages."""
        if self.file is not None and self._changed:
            content = {"fingerprint": self._fingerprint, "pages": self._pages}
            write_atomically(self.file, json.dumps(content, ensure_ascii=False, separators=(",", ":")))
        self._changed = False

    def _read(self, fingerprint: str, src_uris: set[str]) -> dict[str, str]:
        if self.file is None:
            return {}
        try:
            content = json.loads(self.file.read_bytes())
            pages = content["pages"] if content["fingerprint"] == fingerprint else {}
        except (OSError, ValueError, RecursionError, KeyError, TypeError):
            return {}
        if not isinstance(pages, dict):
            return {}
        return {uri: html for uri, html in pages.items() if uri in src_uris and isinstance(html, str)}
