"""The architecture holds: only the MkDocs adapter imports mkdocs.

okrdocs' core and site layers must work for every front end (`okrdocs` commands, the
MkDocs and ProperDocs plugin, `okrdocs generate` for other generators), so they are run
here in a fresh interpreter where `import mkdocs` fails.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.utils import get_relative_url

from okrdocs.site.urls import relative_url
from sitebuild import DEMO_OKRS, REPO

PACKAGE = REPO / "okrdocs"
ADAPTER = PACKAGE / "mkdocs_plugin"


def _imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_adapter_imports_mkdocs(path: Path) -> None:
    mkdocs_imports = {m for m in _imported_modules(path) if m == "mkdocs" or m.startswith("mkdocs.")}
    if ADAPTER not in path.parents:
        assert not mkdocs_imports, f"{path.relative_to(REPO)} imports {sorted(mkdocs_imports)}"


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def test_commands_and_pages_run_where_mkdocs_cannot_be_imported(tmp_path: Path) -> None:
    repository = tmp_path / "repo"
    repository.mkdir()
    subprocess.run(["cp", "-r", str(DEMO_OKRS), str(repository / "okrs")], check=True)
    (repository / "docs").mkdir()
    (repository / "mkdocs.yml").write_text("site_name: Demo\nplugins:\n  - okrdocs\n", encoding="utf-8")
    _git(repository, "init", "-q")
    _git(repository, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    _git(repository, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "okrs")
    script = textwrap.dedent(
        """
        import sys
        sys.modules["mkdocs"] = None  # `import mkdocs` now raises ImportError
        from okrdocs.cli import main
        from okrdocs.core.rules.check import check_folder
        from okrdocs.site.export import cascade_as_json
        from okrdocs.site.pages import Layout, Links, PageContext, make_environment, render_page

        commands = (
            ["check", "--okrs", "okrs"],
            ["schema", "objective"],
            ["diff", "HEAD", "--okrs", "okrs"],
            ["generate", "--out", "docs/okrs-generated", "-f", "mkdocs.yml"],
        )
        for argv in commands:
            status = main(argv)
            assert status == 0, (argv, status)
        result = check_folder(__import__("pathlib").Path("okrs"))
        layout = Layout()
        pages = layout.pages(result.cascade)
        urls = {page: layout.src_uri(page)[:-3] + "/" for page in pages}
        env = make_environment([])
        html = [render_page(env, PageContext(page, result.cascade, Links(urls, urls[page], result.cascade))) for page in pages]
        assert all("<" in page_html for page_html in html)
        assert cascade_as_json(result.cascade, urls)["objectives"]
        assert not any(name == "mkdocs" or name.startswith("mkdocs.") for name in sys.modules if sys.modules[name])
        print("pages", len(html))
        """
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=repository, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1].startswith("pages ")
    assert (repository / "docs" / "okrs-generated" / "vision.md").is_file()


_SEGMENTS = st.sampled_from(["", ".", "..", "a", "b", "okrs", "x.html", "index.html", "teams", "c.d"])
_URLS = st.lists(_SEGMENTS, max_size=5).map("/".join)


@given(_URLS, _URLS)
def test_relative_urls_are_the_ones_mkdocs_makes(url: str, page_url: str) -> None:
    assert relative_url(url, page_url) == get_relative_url(url, page_url)
