"""Inline Markdown to HTML and to plain text: the shortcut for text without Markdown marks
gives what markdown-it gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from okrdocs.site.text import _inline, inline_html, plain_text

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
