"""Offline by default: the README quick start's site and the demo ask no host but their own.

Chromium opens every page of the quick start's site and one page of each kind of the
demo's, served on 127.0.0.1, and records every request it
makes (fonts, scripts, the forge's API for the repository's stars, the search index), until
the network is idle; none may leave the site. Opened from disk (`file://`), where Material
turns `navigation.instant` off, the diagrams still get their Zoom button and the zoom view
opens. The README's "Hosting okrdocs on an intranet" lists the settings this relies on.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_browser import TIMEOUT_MS, browser, serving  # noqa: F401 (browser: a fixture)
from test_readme_quick_start import quick_start

from sitebuild import QUIET, build_site, copy_demo_site

pytestmark = pytest.mark.browser


def quick_start_site(folder: Path) -> Path:
    """The quick start's files and shell lines, without its installs and its build."""
    for kind, text in quick_start():
        if kind != "run":
            (folder / kind).parent.mkdir(parents=True, exist_ok=True)
            (folder / kind).write_text(text, encoding="utf-8")
        elif text.split()[0] in ("mkdir", "printf"):
            subprocess.run(["bash", "-e", "-c", text], cwd=folder, check=True, env=QUIET)
    return build_site(folder / "mkdocs.yml")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {
        "quick start": quick_start_site(tmp_path_factory.mktemp("quick-start")),
        "demo": build_site(copy_demo_site(tmp_path_factory.mktemp("offline-demo"))),
    }


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    try:
        yield page
    finally:
        context.close()


def pages_of(site: Path) -> list[str]:
    return sorted(str(page.parent.relative_to(site)) + "/" for page in site.rglob("index.html"))


def one_page_of_each_kind(site: Path) -> list[str]:
    """The first page of each folder and depth (a team, an objective, a period, ...): the
    demo's 50 pages share a handful of templates, and each takes a second to settle."""
    kinds: dict[tuple[str, int], str] = {}
    for url in pages_of(site):
        kinds.setdefault((url.split("/")[0], url.count("/")), url)
    return sorted(kinds.values())


@pytest.mark.parametrize("name", ["quick start", "demo"])
def test_no_request_leaves_the_site(sites: dict[str, Path], tab: Any, name: str) -> None:
    site = sites[name]
    urls = pages_of(site) if name == "quick start" else one_page_of_each_kind(site)
    with serving(site) as base_url:
        for url in urls:
            tab.goto(base_url + url.removeprefix("./"), wait_until="networkidle")
    assert len(tab.requests) > 2 * len(urls), "the pages' own assets were not recorded"
    assert [url for url in tab.requests if not url.startswith(base_url)] == []


def test_the_quick_start_uses_the_offline_settings(sites: dict[str, Path]) -> None:
    config = yaml.safe_load((sites["quick start"].parent / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["font"] is False and config["theme"]["custom_dir"] == "overrides"
    assert config["repo_url"]  # kept: the edit links need it


def test_the_zoom_button_works_from_disk_with_instant_navigation(sites: dict[str, Path], tab: Any) -> None:
    site = sites["demo"]
    features = yaml.safe_load((site.parent / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]["features"]
    assert "navigation.instant" in features
    tab.goto((site / "teams" / "sales" / "index.html").as_uri())
    tab.locator("figure.okr-diagram .okr-diagram__zoom").click()
    tab.locator("dialog.okr-zoom[open] svg").wait_for()
    tab.keyboard.press("Escape")
    tab.locator("dialog.okr-zoom").wait_for(state="detached")
    assert [url for url in tab.requests if not url.startswith(site.as_uri())] == []
