"""OKR text written in Markdown: titles (inline) and bodies (blocks), shown as HTML on
pages and as plain text elsewhere.

Anyone who can open a pull request writes this text, so raw HTML is never passed through
(`<script>` shows as text) and markdown-it's link check drops `javascript:`, `vbscript:`,
`file:` and non-image `data:` links. Nor is it ever a template (`jinja_inert`,
`NOT_A_TEMPLATE`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

_inline = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_blocks = (
    MarkdownIt("commonmark", {"html": False})
    .enable(["table", "strikethrough"])
    # What a MkDocs site's own pages commonly have (Material's admonition, footnotes,
    # tasklist and def_list extensions), in the syntax they use there.
    .use(admon_plugin)
    .use(footnote_plugin)
    .use(tasklists_plugin)
    .use(deflist_plugin)
)
_MARKS = re.compile(r'[\\`*_\[\]!<>&"\n\r\x00]')
"""Characters that can make inline Markdown differ from its text, or need escaping in
HTML. Most titles have none: they skip the parser (what that saves: benchmarks/RESULTS.md)."""


def block_html(markdown: str, top_heading: int = 2, rewrite: Callable[[str], str | None] | None = None) -> str:
    """A body (an objective's why, a team's description, the vision's narrative) as HTML.

    The page has its own `<h1>`, so the body's headings are moved down until the highest
    is `<h{top_heading}>`: an author's `# Roadmap` becomes a section of the page.
    `rewrite` gives each link's and image's new address (None: as written): relative
    links are written relative to the OKR file (`body_links`).
    """
    env: dict[str, object] = {}  # the footnotes, from the parse to the render
    tokens = _blocks.parse(markdown, env)
    if rewrite is not None:
        for token, attribute, _ in _addresses(tokens):
            new = rewrite(str(token.attrs[attribute]))
            if new is not None:
                token.attrs[attribute] = new
    levels = [int(token.tag[1]) for token in tokens if token.type == "heading_open"]
    shift = max(0, top_heading - min(levels)) if levels else 0
    if shift:
        for token in tokens:
            if token.type in ("heading_open", "heading_close"):
                token.tag = f"h{min(6, int(token.tag[1]) + shift)}"
    return str(_blocks.renderer.render(tokens, _blocks.options, env))


def _addresses(tokens: list[Token]) -> Iterator[tuple[Token, str, int]]:
    """Each link and image of parsed blocks: the token, its address attribute, and the
    line it is on (0: the body's first)."""
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        line = block.map[0] if block.map else 0
        for token in block.children:
            if token.type in ("softbreak", "hardbreak"):
                line += 1
            elif token.type == "link_open" and "href" in token.attrs:
                yield token, "href", line
            elif token.type == "image" and "src" in token.attrs:
                yield token, "src", line


def relative_links(markdown: str) -> list[tuple[int, str]]:
    """(line from the body's first, address) of each link and image of a body, as
    markdown-it normalised it (percent-encoded)."""
    return [(line, str(token.attrs[attribute])) for token, attribute, line in _addresses(_blocks.parse(markdown, {}))]


@lru_cache(maxsize=65536)
def inline_html(markdown: str) -> str:
    """Inline Markdown (links, emphasis, code) as HTML, with raw HTML escaped."""
    if not _MARKS.search(markdown):
        return markdown
    return str(_inline.renderInline(markdown))


@lru_cache(maxsize=65536)
def link_text_html(markdown: str) -> str:
    """Inline Markdown as HTML for the inside of a link okrdocs makes: emphasis and code
    stay, an author's own links keep only their text (HTML allows no link inside a link)."""
    if "[" not in markdown and "<" not in markdown:
        return inline_html(markdown)
    tokens = _inline.parseInline(markdown)
    for token in tokens:
        token.children = [c for c in token.children or () if c.type not in ("link_open", "link_close")]
    return str(_inline.renderer.render(tokens, _inline.options, {}))


@lru_cache(maxsize=65536)
def plain_text(markdown: str) -> str:
    """The words of inline Markdown without its marks: for page titles, tooltips and diagrams."""
    if not _MARKS.search(markdown):
        return " ".join(markdown.split())
    tokens = _inline.parseInline(markdown)
    parts: list[str] = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline", "html_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return " ".join("".join(parts).split())


NOT_A_TEMPLATE: dict[str, object] = {"render_macros": False}
"""The metadata of every page okrdocs makes: mkdocs-macros, its documented opt-out, leaves
the page's Markdown and title alone, whatever delimiters (`j2_*`) a site gives it."""


def jinja_inert(html: str) -> str:
    """HTML that shows the same and that no Jinja pass can read as a template.

    `{` and `}` become the character references `&#123;` and `&#125;`, so `{{ 6*7 }}`,
    `{% ... %}` and `{# ... #}` in an OKR text stay text for a plugin that renders the page's
    Markdown or title with Jinja (mkdocs-macros) later; browsers, search indexes and HTML
    parsers read the braces back. For HTML text and attribute values, not for the inside of
    `<script>` or `<style>`.
    """
    # As a plain str: Markup.replace would escape the references' `&`.
    return str(html).replace("{", "&#123;").replace("}", "&#125;")
