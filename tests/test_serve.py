"""`mkdocs serve` watches the OKR folder: edits rebuild the site, broken edits don't stop it."""

from __future__ import annotations

import gc
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from sitebuild import write_site

pytestmark = pytest.mark.slow

WAIT_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(condition: Callable[[], bool], what: str, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; server log:\n{log.read_text()}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """A demo site served by a real `mkdocs serve` on localhost; yields (url, okrs dir, log)."""
    config_file = write_site(tmp_path, plugin={"diagrams": False})
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file), "-a", f"127.0.0.1:{port}"],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_for(lambda: _fetch(url) is not None, "the server to start", log)
        yield url, tmp_path / "okrs", log
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_editing_an_okr_file_rebuilds_and_a_broken_edit_keeps_serving(served: tuple[str, Path, Path]) -> None:
    url, okrs, log = served
    page_url = url + "okrs/diversify-markets/"
    assert "Diversify by expanding into three new markets" in (_fetch(page_url) or "")

    source = okrs / "company" / "diversify-markets.md"
    text = source.read_text()
    source.write_text(text.replace("title: Diversify by expanding", "title: Grow by expanding"))
    _wait_for(lambda: "<h1>Grow by expanding" in (_fetch(page_url) or ""), "the rebuilt page", log)

    broken = okrs / "sales" / "grow-new-market-revenue.md"
    broken.write_text(broken.read_text().replace("period:", "perod:", 1))
    _wait_for(lambda: "OKR203" in log.read_text(), "the problem in the server log", log)
    _wait_for(lambda: "okr-problems" in (_fetch(page_url) or ""), "the problems banner", log)
    assert "unknown field &#39;perod&#39; in the objective: did you mean &#39;period&#39;?" in (_fetch(page_url) or "")
    assert "okrs/sales/grow-new-market-revenue.md:" in log.read_text()

    broken.write_text(broken.read_text().replace("perod:", "period:", 1))
    _wait_for(lambda: "okr-problems" not in (_fetch(page_url) or "okr-problems"), "the fixed site", log)


def _serve_build(config_file: Path, site_dir: Path, dirty: bool) -> Any:
    """One rebuild as `mkdocs serve` (`--dirty`) makes it, in this process: the config read
    again, the plugin instance kept. Returns the okrdocs plugin."""
    config = load_config(str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command="serve", dirty=dirty)
    build(config, serve_url="http://127.0.0.1:8000/", dirty=dirty)
    return config.plugins["okrdocs"]


def _dirty_build(config_file: Path, site_dir: Path) -> Any:
    return _serve_build(config_file, site_dir, dirty=True)


def _written(site_dir: Path) -> dict[str, int]:
    """Each page's time of writing (not 404.html, which MkDocs writes on every build)."""
    pages = (p for p in site_dir.rglob("*.html") if p.name != "404.html")
    return {str(p.relative_to(site_dir)): p.stat().st_mtime_ns for p in pages}


def test_a_dirty_rebuild_renders_and_writes_only_the_pages_that_show_the_edit(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, plugin={"current_period": "2026-Q1"})
    site_dir = tmp_path / "served"
    plugin = _dirty_build(config_file, site_dir)
    first = _written(site_dir)
    assert plugin.pages_rendered == len(first) - 1  # all but the docs folder's index.md

    # Nothing changed: nothing is rendered or written again.
    time.sleep(0.01)
    plugin = _dirty_build(config_file, site_dir)
    assert plugin.pages_rendered == 0
    assert _written(site_dir) == first

    source = tmp_path / "okrs" / "inbound" / "respond-to-every-lead-fast.md"
    source.write_text(source.read_text().replace("title: Respond to every", "title: Answer every"))
    plugin = _dirty_build(config_file, site_dir)
    after = _written(site_dir)
    rewritten = {page for page, mtime in after.items() if first.get(page) != mtime}
    # The objective's page, its team's, its period's, and the pages that link to it: its
    # parent's (its children and diagram), the team page whose diagram draws it, and the
    # vision, whose diagram draws two levels below the company objectives, and the overview,
    # whose table lists every current objective.
    assert rewritten == {
        "vision/index.html",
        "overview/index.html",
        "okrs/respond-to-every-lead-fast/index.html",
        "teams/inbound/index.html",
        "periods/2026-Q1/index.html",
        "okrs/win-regional-ev-share/index.html",
        "teams/sales/index.html",
    }
    assert plugin.pages_rendered == len(rewritten)
    assert "<h1>Answer every inbound lead" in (site_dir / "okrs/respond-to-every-lead-fast/index.html").read_text()


def test_a_serve_rebuild_renders_and_lays_out_only_the_pages_that_show_the_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --dirty MkDocs writes every page, but okrdocs renders the templates and
    makes the DOT text of the pages that show the edit only."""
    from okrdocs.site import diagram_jobs

    made: list[str] = []
    original = diagram_jobs._dot_source

    def counting(diagrams: Any, urls: Any, settings: Any, page: Any) -> str:
        made.append(f"{page.kind}:{page.key}" if page.key else page.kind)
        return original(diagrams, urls, settings, page)

    monkeypatch.setattr(diagram_jobs, "_dot_source", counting)
    config_file = write_site(tmp_path, plugin={"current_period": "2026-Q1"})
    site_dir = tmp_path / "served"
    plugin = _serve_build(config_file, site_dir, dirty=False)
    assert plugin.pages_rendered > 40 and len(made) > 30
    made.clear()
    source = tmp_path / "okrs" / "inbound" / "respond-to-every-lead-fast.md"
    source.write_text(source.read_text().replace("title: Respond to every", "title: Answer every"))
    plugin = _serve_build(config_file, site_dir, dirty=False)
    assert gc.isenabled()  # paused during a serve build only
    # The pages of the --dirty test above (the overview among them); the period page and
    # the overview have no diagram.
    assert plugin.pages_rendered == 7
    assert sorted(made) == [
        "objective:respond-to-every-lead-fast",
        "objective:win-regional-ev-share",
        "team:inbound",
        "team:sales",
        "vision",
    ]
    assert "<h1>Answer every inbound lead" in (site_dir / "okrs/respond-to-every-lead-fast/index.html").read_text()


def test_a_dirty_rebuild_writes_a_new_page_and_follows_a_new_url_style(tmp_path: Path) -> None:
    """The generated pages' files are made once and copied for each rebuild (`PageFiles`):
    a new objective still gets its page, and a change of `use_directory_urls` moves every page."""
    config_file = write_site(tmp_path, plugin={"diagrams": False})
    site_dir = tmp_path / "served"
    _dirty_build(config_file, site_dir)
    leaf = tmp_path / "okrs" / "inbound" / "respond-to-every-lead-fast.md"
    new = leaf.with_name("answer-every-call.md")
    new.write_text(leaf.read_text().replace("title: Respond to every inbound lead", "title: Answer every call"))
    _dirty_build(config_file, site_dir)
    assert "<h1>Answer every call" in (site_dir / "okrs/answer-every-call/index.html").read_text()
    assert 'href="../../okrs/answer-every-call/"' in (site_dir / "teams/inbound/index.html").read_text()

    config_file.write_text(config_file.read_text() + "use_directory_urls: false\n")
    _dirty_build(config_file, site_dir)
    page = (site_dir / "okrs/answer-every-call.html").read_text()
    assert "<h1>Answer every call" in page
    assert 'href="../teams/inbound.html"' in page


def test_a_serve_rebuild_compiles_only_the_theme_templates_that_changed(tmp_path: Path) -> None:
    """The theme's compiled templates are kept across rebuilds (`theme_cache`): an edit of
    an override shows on the next rebuild, and only that template is compiled again."""
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    main = overrides / "main.html"
    main.write_text('{% extends "base.html" %}{% block footer %}<p>Footer one</p>{% endblock %}\n')
    config_file = write_site(
        tmp_path, plugin={"diagrams": False}, config={"theme": {"name": "material", "custom_dir": "overrides"}}
    )
    site_dir = tmp_path / "served"
    plugin = _serve_build(config_file, site_dir, dirty=False)
    compiled = len(plugin._theme_code)
    assert compiled > 10  # Material's templates and partials
    plugin = _serve_build(config_file, site_dir, dirty=False)
    assert len(plugin._theme_code) == compiled
    main.write_text(main.read_text().replace("Footer one", "Footer two"))
    plugin = _serve_build(config_file, site_dir, dirty=False)
    assert len(plugin._theme_code) == compiled + 1
    for page in ("index.html", "okrs/respond-to-every-lead-fast/index.html"):
        html = (site_dir / page).read_text()
        assert "<p>Footer two</p>" in html and "Footer one" not in html


def test_a_preview_logs_only_the_advice_an_edit_brought(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The first build logs every coaching finding; a rebuild logs the new ones and counts
    the others, so an edit's advice is not lost among the lines said before."""
    config_file = write_site(tmp_path, plugin={"diagrams": False})
    site_dir = tmp_path / "served"
    caplog.set_level("INFO", logger="mkdocs.plugins.okrdocs")

    def advice_logged() -> list[str]:
        lines = [r.getMessage() for r in caplog.records if r.levelname == "INFO" and " OKR7" in r.getMessage()]
        caplog.clear()
        return lines

    _dirty_build(config_file, site_dir)
    first = advice_logged()
    assert first  # the minimal organisation is coached too
    source = tmp_path / "okrs" / "inbound" / "respond-to-every-lead-fast.md"
    new_kr = "key_results:\n  - id: kr9\n    title: Hold weekly meetings\n"
    source.write_text(source.read_text().replace("key_results:\n", new_kr, 1))
    _dirty_build(config_file, site_dir)
    assert f"{len(first)} pieces of advice as in the last build, not listed again" in caplog.text
    where = "okrdocs: okrs/inbound/respond-to-every-lead-fast.md:12:"
    assert advice_logged() == [
        f"{where} OKR703 key result 'kr9' counts activity ('hold') and names no outcome: "
        "measure the result the activity should bring, and keep the activity as a task",
        f"{where} OKR704 key result 'kr9' has no measure and no number in its title: "
        "give it start, target and current, a progress score, kind milestone or maintain, or a number in its title",
    ]


def test_a_dirty_rebuild_leaves_each_page_once_in_materials_search_index(tmp_path: Path) -> None:
    """Material's search plugin, under --dirty, drops the earlier entries of one rewritten
    page only; an edit rewrites several, and none may stay in the index twice or keep its
    old text findable."""
    config_file = write_site(tmp_path, plugin={"diagrams": False, "current_period": "2026-Q1"})
    site_dir = tmp_path / "served"

    def index() -> list[dict[str, str]]:
        _dirty_build(config_file, site_dir)
        docs: list[dict[str, str]] = json.loads((site_dir / "search" / "search_index.json").read_text())["docs"]
        return docs

    def found(words: str, docs: list[dict[str, str]]) -> set[str]:
        return {doc["location"].split("#")[0] for doc in docs if words in doc["title"] + doc["text"]}

    first = index()
    source = tmp_path / "okrs" / "inbound" / "respond-to-every-lead-fast.md"
    for old, new in (("Respond to every", "Answer every"), ("Answer every", "Reply to every")):
        source.write_text(source.read_text().replace(f"title: {old}", f"title: {new}"))
        docs = index()
        assert sorted(doc["location"] for doc in docs) == sorted(doc["location"] for doc in first)
        assert found(old, docs) == set()
        # The objective's page and the pages that show its title: its team's, its parent's.
        assert found(new, docs) >= {"okrs/respond-to-every-lead-fast/", "teams/inbound/", "okrs/win-regional-ev-share/"}
