"""mkdocs-material's search index in a dirty preview: each page in it once, as last written.

Under `mkdocs serve --dirty`, Material's search plugin (and its forks') merges the entries
of the pages a rebuild wrote into the index of the builds before, and drops the earlier
entries of the first of those pages only: it expects an edit to write one page again. An
OKR edit writes several (the objective's page, its team's, its period's...), so the others
would stay in the index twice, their old text still found. Before the search plugin
writes its index, the earlier entries of every page written again are dropped.

A search plugin without that merge (MkDocs' own, which indexes only the pages a rebuild
wrote) is left alone, as is one whose state does not look as described.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig


def drop_rewritten_pages(config: MkDocsConfig) -> None:
    """Drop from a search plugin's earlier index the entries of the pages this build wrote."""
    for plugin in config.plugins.values():
        earlier = getattr(getattr(plugin, "search_index_prev", None), "entries", None)
        written = getattr(getattr(plugin, "search_index", None), "entries", None)
        if isinstance(earlier, list) and isinstance(written, list) and written:
            rewritten = {_page_of(entry) for entry in written}
            plugin.search_index_prev.entries = [entry for entry in earlier if _page_of(entry) not in rewritten]


def _page_of(entry: Any) -> str:
    """The page an index entry is on: its location without the section's anchor."""
    location = entry.get("location") if isinstance(entry, dict) else None
    return location.partition("#")[0] if isinstance(location, str) else ""
