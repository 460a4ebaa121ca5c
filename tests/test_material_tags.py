"""An objective's `tags` are its page's tags: Material's tags plugin lists the objective's
page under each, on the site's tags index, and prints them above the page; a tag is text,
whatever it holds."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from sitebuild import build_site, html_of, write_site

TAGGED = """
    ---
    title: Help customers faster
    team: support
    period: 2026-H1
    parent: grow
    tags: [customer care, "<b>bold</b> & {{ 6*7 }}"]
    key_results:
      - id: kr1
        title: Answer every ticket within a day
        progress: 0.25
    ---
    """


def test_material_tags_index_lists_objectives_by_their_tags(okr_folder: Callable[..., Path], tmp_path: Path) -> None:
    okr_folder({"support/help.md": TAGGED})
    config = write_site(
        tmp_path,
        okrs=None,
        config={"plugins": ["search", "tags", {"okrdocs": {}}]},
        docs={"index.md": "# Home\n", "tags.md": "# Tags\n\n<!-- material/tags -->\n"},
    )
    site = build_site(config)
    index = html_of(site, "tags/")
    listed = re.findall(
        r'<span class="md-tag">(.*?)</span></h2>\s*<ul>\s*<li>\s*<a href="([^"]+)">\s*(.*?)\s*</a>', index
    )
    assert sorted(listed) == [
        ("&lt;b&gt;bold&lt;/b&gt; &amp; &#123;&#123; 6*7 &#125;&#125;", "../okrs/help/", "Help customers faster"),
        ("customer care", "../okrs/help/", "Help customers faster"),
    ]
    # The hostile tag is text: escaped, and no template (the braces stay braces).
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &#123;&#123; 6*7 &#125;&#125;" in index
    assert "<b>bold</b>" not in index and "{{" not in index
    page = html_of(site, "okrs/help/")
    assert re.search(r'<nav class="md-tags"\s*>', page) and ">customer care</a>" in page
    assert "<b>bold</b>" not in page
    # An untagged objective gets no tags.
    assert 'class="md-tags"' not in html_of(site, "okrs/grow/")
