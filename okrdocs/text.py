"""Titles written in inline Markdown, shown as HTML on pages and as plain text elsewhere.

Raw HTML in titles is never passed through: `<script>` in a title shows as text.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt

_inline = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


@lru_cache(maxsize=65536)
def inline_html(markdown: str) -> str:
    """Inline Markdown (links, emphasis, code) as HTML, with raw HTML escaped."""
    return _inline.renderInline(markdown)


@lru_cache(maxsize=65536)
def plain_text(markdown: str) -> str:
    """The words of inline Markdown without its marks: for page titles, tooltips and diagrams."""
    tokens = _inline.parseInline(markdown)
    parts: list[str] = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline", "html_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return " ".join("".join(parts).split())
