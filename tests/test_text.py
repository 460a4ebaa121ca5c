"""Inline Markdown to HTML and to plain text: the shortcut for text without Markdown marks
gives what markdown-it gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from okrdocs.site.text import _inline, block_html, inline_html, plain_text

TITLE_CHARACTERS = st.sampled_from(
    list("ab c\t\n\r\x00.-'\"#&;<>*_`[]()!\\~|%:/é🚀") + ["  \n", "&amp;", "**", "[x](y)"]
)


def parsed_plain_text(markdown: str) -> str:
    parts = [
        " " if child.type in ("softbreak", "hardbreak") else child.content
        for token in _inline.parseInline(markdown)
        for child in token.children or ()
        if child.type in ("text", "code_inline", "html_inline", "softbreak", "hardbreak")
    ]
    return " ".join("".join(parts).split())


@settings(max_examples=400, deadline=None)
@given(st.lists(TITLE_CHARACTERS, max_size=12).map("".join))
def test_the_shortcut_agrees_with_markdown_it(title: str) -> None:
    assert inline_html(title) == _inline.renderInline(title)
    assert plain_text(title) == parsed_plain_text(title)


def test_titles_with_marks_still_go_through_markdown_it() -> None:
    assert inline_html('Grow *ARR* "fast" & <b>') == "Grow <em>ARR</em> &quot;fast&quot; &amp; &lt;b&gt;"
    assert plain_text("Grow **ARR** by [10%](https://x.example)") == "Grow ARR by 10%"
    assert plain_text("  Grow   ARR \t by 10%  ") == "Grow ARR by 10%"


# -- bodies: the Markdown of a MkDocs site's own pages, without raw HTML -------------------

BODY_CASES = {
    "admonition": (
        '!!! note "Why <b>now</b>"\n    Before the <i>launch</i>.\n',
        '<div class="admonition note">\n<p class="admonition-title">Why &lt;b&gt;now&lt;/b&gt;</p>\n'
        "<p>Before the &lt;i&gt;launch&lt;/i&gt;.</p>\n</div>\n",
    ),
    "admonition without a title": (
        "!!! warning\n    Careful.\n",
        '<div class="admonition warning">\n<p class="admonition-title">Warning</p>\n<p>Careful.</p>\n</div>\n',
    ),
    "footnote": (
        "Twice the leads[^src].\n\n[^src]: The <b>CRM</b> report.\n",
        '<p>Twice the leads<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>.</p>\n'
        '<hr class="footnotes-sep" />\n<section class="footnotes">\n<ol class="footnotes-list">\n'
        '<li id="fn1" class="footnote-item"><p>The &lt;b&gt;CRM&lt;/b&gt; report. '
        '<a href="#fnref1" class="footnote-backref">↩︎</a></p>\n</li>\n</ol>\n</section>\n',
    ),
    "task list": (
        "- [x] Hire\n- [ ] Train\n",
        '<ul class="contains-task-list">\n'
        '<li class="task-list-item"><input class="task-list-item-checkbox" checked="checked" disabled="disabled" '
        'type="checkbox"> Hire</li>\n'
        '<li class="task-list-item"><input class="task-list-item-checkbox" disabled="disabled" type="checkbox"> '
        "Train</li>\n</ul>\n",
    ),
    "definition list": (
        "NPS\n:   Net <em>promoter</em> score\n",
        "<dl>\n<dt>NPS</dt>\n<dd>Net &lt;em&gt;promoter&lt;/em&gt; score</dd>\n</dl>\n",
    ),
    "raw HTML": (
        '<div onclick="x()">a</div>\n\n<script>alert(1)</script>\n',
        "<p>&lt;div onclick=&quot;x()&quot;&gt;a&lt;/div&gt;</p>\n<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n",
    ),
    "javascript link": ("[x](javascript:alert(1))\n", "<p>[x](javascript:alert(1))</p>\n"),
}


@pytest.mark.parametrize("case", BODY_CASES)
def test_bodies_render_the_sites_markdown_extensions_and_no_raw_html(case: str) -> None:
    markdown, expected = BODY_CASES[case]
    assert block_html(markdown) == expected
