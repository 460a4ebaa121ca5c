"""OKR text is never a template: a Jinja plugin after okrdocs shows it as it was written.

mkdocs-macros renders every page's Markdown and its title with Jinja, with the site's
variables and macros (and whatever Python they reach). A site that lists it after okrdocs,
or builds `okrdocs generate`'s files with it, must still show `{{ 6*7 }}` in a title, a team
name, an owner, a key result or a body as those characters, and run nothing. Sites may
change macros' delimiters (`j2_variable_start_string`...), so `[[ 6*7 ]]` too.
"""

from __future__ import annotations

import html
import html.parser
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import write_files
from sitebuild import build_site, write_site

pytestmark = pytest.mark.slow  # four whole-site builds

JINJA = "{{ 6*7 }} {% if true %}x{% endif %} {{ config.site_name }} {# note #} {{ mark('okr') }}"
"""Jinja with macros' default delimiters: an expression, a block, a read of the site's
config, a comment, and a call of the site's macro that leaves a file behind when it runs."""
CUSTOM = "[[ 6 * 7 ]] [% if true %]y[% endif %] [# note #] [[ mark('custom') ]]"
"""The same in the delimiters of CUSTOM_DELIMITERS (one `*` between words, like `6*7`,
would be Markdown's emphasis with it)."""
CUSTOM_DELIMITERS = {
    "j2_variable_start_string": "[[",
    "j2_variable_end_string": "]]",
    "j2_block_start_string": "[%",
    "j2_block_end_string": "%]",
    "j2_comment_start_string": "[#",
    "j2_comment_end_string": "#]",
}
PAYLOAD = f"{JINJA} {CUSTOM}"
LABELS = (
    "LINES",
    "TEAMNAME",
    "TEAMLEAD",
    "TEAMDESC",
    "VISION",
    "NARRATIVE",
    "TITLE",
    "OWNER",
    "KRTITLE",
    "UNIT",
    "TAG",
    "WHY",
)
"""Each text field of an OKR file starts with one of these, then PAYLOAD."""

MACROS_MODULE = """
from pathlib import Path


def define_env(env):
    @env.macro
    def mark(name):
        (Path(__file__).parent / f"ran-{name}").touch()
        return "RAN"
"""
CONTROL_PAGE = "# Control\n\nmacros renders {{ 6*7 }}{{ mark('control') }} and [[ 6 * 7 ]][[ mark('control') ]]\n"
"""A page of the site's own, to prove that macros runs in the build at all."""


def _quoted(label: str) -> str:
    return json.dumps(f"{label} {PAYLOAD}")  # a JSON string is a YAML double-quoted scalar


def _body(label: str) -> str:
    return f"{label} {PAYLOAD}\n\n{{% for x in range(3) %}}\nLINES {PAYLOAD}\n{{% endfor %}}\n"


def _okr_files() -> dict[str, str]:
    return {
        "teams.yml": yaml.safe_dump(
            {
                "teams": [
                    {"id": "company", "name": f"TEAMNAME {PAYLOAD}", "lead": f"TEAMLEAD {PAYLOAD}"},
                    {"id": "sales", "name": "Sales", "parent": "company", "description": _body("TEAMDESC")},
                ]
            }
        ),
        "vision.md": f"---\nvision: {_quoted('VISION')}\n---\n{_body('NARRATIVE')}",
        "company/grow.md": (
            f"---\ntitle: {_quoted('TITLE')}\nteam: company\nowner: {_quoted('OWNER')}\nperiod: 2026\n"
            f"parent: vision\ntags: [{_quoted('TAG')}]\nkey_results:\n"
            f"  - id: kr1\n    title: {_quoted('KRTITLE')}\n    delegated_to: sales\n"
            f"  - id: kr2\n    title: Open a second office\n    start: 0\n    target: 3\n    current: 1\n"
            f"    unit: {_quoted('UNIT')}\n---\n{_body('WHY')}"
        ),
        "sales/sell.md": (
            "---\ntitle: Sell more\nteam: sales\nperiod: 2026-Q1\nparent: grow#kr1\nkey_results:\n"
            "  - id: kr1\n    title: Sign ten customers\n    progress: 0.5\n---\n"
        ),
    }


def _site(root: Path, delimiters: dict[str, str], with_okrdocs: bool) -> Path:
    """mkdocs.yml with search, okrdocs (or not) and macros after it, the OKR folder, the
    control page and the macros module that defines `mark`."""
    root.mkdir(parents=True)
    write_files(root / "okrs", _okr_files())
    (root / "main.py").write_text(MACROS_MODULE, encoding="utf-8")
    plugins: list = ["search", {"okrdocs": {}}, {"macros": {"on_error_fail": True, **delimiters}}]
    if not with_okrdocs:
        del plugins[1]
    return write_site(root, okrs=None, config={"plugins": plugins}, docs={"index.md": CONTROL_PAGE})


@pytest.fixture(scope="module", params=["default", "custom"])
def delimiters(request: pytest.FixtureRequest) -> dict[str, str]:
    return CUSTOM_DELIMITERS if request.param == "custom" else {}


@pytest.fixture(scope="module")
def plugin_site(delimiters: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("plugin") / "site-root"
    build_site(_site(root, delimiters, with_okrdocs=True))
    return root


@pytest.fixture(scope="module")
def generated_site(delimiters: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`okrdocs generate`'s files built by plain MkDocs with macros: okrdocs does not run."""
    root = tmp_path_factory.mktemp("generated") / "site-root"
    config = _site(root, delimiters, with_okrdocs=False)
    generate_config = root / "generate.yml"
    generate_config.write_text(yaml.safe_dump({"docs_dir": "docs", "plugins": [{"okrdocs": {}}]}), encoding="utf-8")
    okrdocs = Path(sys.executable).parent / "okrdocs"
    done = subprocess.run(
        [okrdocs, "generate", "-f", "generate.yml", "--out", "docs/okrs"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    build_site(config)
    return root


class _Text(html.parser.HTMLParser):
    """A page's text as a reader sees it (the `<title>` included, diagrams and scripts left out)."""

    SKIPPED = {"script", "style", "svg"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self._skipping.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _visible(page_html: str) -> str:
    parser = _Text()
    parser.feed(page_html)
    return " ".join("".join(parser.parts).split())


def _title(page_html: str) -> str:
    return html.unescape(page_html.split("<title>", 1)[1].split("</title>", 1)[0])


def _as_written(label: str) -> str:
    return " ".join(f"{label} {PAYLOAD}".split())


def _shown_as_written(text: str) -> list[str]:
    """The labels in `text` that are not followed by PAYLOAD as it was written."""
    return [label for label in LABELS if text.count(label) != text.count(_as_written(label))]


def _pages(site_dir: Path) -> dict[str, str]:
    return {
        page.relative_to(site_dir).as_posix(): page.read_text(encoding="utf-8") for page in site_dir.rglob("*.html")
    }


def _check_site(root: Path, prefix: str) -> None:
    site_dir = root / "site"
    # macros runs in this build: the site's own page is rendered, and its macro ran.
    assert "42RAN" in _visible((site_dir / "index.html").read_text(encoding="utf-8"))
    # No OKR text ran: no macro call left its file, no expression shows its value.
    assert sorted(path.name for path in root.glob("ran-*")) == ["ran-control"]
    pages = _pages(site_dir)
    shown = {url: _visible(text) for url, text in pages.items()}
    assert {url: _shown_as_written(text) for url, text in shown.items() if _shown_as_written(text)} == {}
    everywhere = " ".join(shown.values())
    assert [label for label in LABELS if _as_written(label) not in everywhere] == []
    # The browser tab and the header show the title as written.
    assert _title(pages[f"{prefix}okrs/grow/index.html"]).startswith(f"TITLE {PAYLOAD} - ")
    assert _title(pages[f"{prefix}teams/company/index.html"]).startswith(f"TEAMNAME {PAYLOAD} - ")
    # Search finds the text as written, and shows the titles as written.
    index = json.loads((site_dir / "search/search_index.json").read_text(encoding="utf-8"))
    for entry in index["docs"]:
        assert _shown_as_written(html.unescape(entry["title"])) == [], entry
        assert _shown_as_written(_visible(entry["text"])) == [], entry
    titles = {html.unescape(entry["title"]) for entry in index["docs"]}
    assert {f"TITLE {PAYLOAD}", f"TEAMNAME {PAYLOAD}"} <= titles
    text = _visible(" ".join(entry["text"] for entry in index["docs"]))
    assert _as_written("WHY") in text and _as_written("OWNER") in text


def test_the_plugins_pages_show_jinja_in_okr_text_as_written(plugin_site: Path) -> None:
    _check_site(plugin_site, "")


def test_generated_pages_built_with_macros_show_jinja_in_okr_text_as_written(generated_site: Path) -> None:
    _check_site(generated_site, "okrs/")


def test_generated_files_opt_out_of_macros_and_hold_no_brace(generated_site: Path) -> None:
    """Beyond the opt-out, for Jinja passes that do not know it (a Markdown extension that
    renders every page): no brace in any page `okrdocs generate` wrote."""
    pages = {
        path.relative_to(generated_site).as_posix(): path.read_text()
        for path in generated_site.glob("docs/okrs/**/*.md")
    }
    assert len(pages) == 10  # the vision, the overview, teams, two teams, two objectives, periods and two periods
    assert [name for name, text in pages.items() if "\nrender_macros: false\n---\n" not in text] == []
    assert [name for name, text in pages.items() if "{" in text or "}" in text] == []
