"""The build's caches of what did not change: page HTML and the diagram plan.

A second build of unchanged OKRs renders no page template and makes no DOT text; any
change to what a page is made from (an OKR file, a template override, an option) renders
again. A cache folder that git tracks is never read: a pull request could commit HTML there.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import CliRun
from okrdocs.site.page_cache import PAGES_FILE
from sitebuild import build_site, html_of, run_mkdocs, write_site

pytestmark = pytest.mark.slow  # builds whole sites

OBJECTIVE = "okrs/respond-to-every-lead-fast/"
SOURCE = "okrs/inbound/respond-to-every-lead-fast.md"
MARKER = "<p>FROM THE PAGE CACHE</p>"


def _build(config_file: Path) -> Path:
    """A build in a new process: the plugin instance of an earlier in-process build (which
    MkDocs keeps, as for `mkdocs serve`) would serve its pages from memory."""
    # The build date of this process (conftest's): a period closed in one build and open in
    # the other would change the coaching notes, and so the pages' keys.
    result = run_mkdocs(config_file, env={"SOURCE_DATE_EPOCH": os.environ["SOURCE_DATE_EPOCH"]})
    assert result.returncode == 0, result.stderr
    return config_file.parent / "site"


def _cache(site_root: Path) -> Path:
    return site_root / ".cache" / "okrdocs"


def _mark_cached_page(site_root: Path, src_uri: str = "okrs/respond-to-every-lead-fast.md") -> None:
    """Put MARKER into one page's cached HTML: a build that shows it reused the cache."""
    file = _cache(site_root) / PAGES_FILE
    content = json.loads(file.read_text(encoding="utf-8"))
    content["pages"][src_uri][1] = MARKER + content["pages"][src_uri][1]
    file.write_text(json.dumps(content), encoding="utf-8")


def test_a_build_of_unchanged_okrs_reuses_the_last_builds_pages(tmp_path: Path) -> None:
    config_file = write_site(tmp_path)
    first = build_site(config_file)
    pages_before = {p: p.read_bytes() for p in first.rglob("*.html")}
    assert (_cache(tmp_path) / PAGES_FILE).is_file()
    assert build_site(config_file) == first
    assert {p: p.read_bytes() for p in first.rglob("*.html")} == pages_before
    _mark_cached_page(tmp_path)
    assert MARKER in html_of(_build(config_file), OBJECTIVE)


def test_a_changed_okr_file_renders_the_pages_again(tmp_path: Path) -> None:
    config_file = write_site(tmp_path)
    build_site(config_file)
    _mark_cached_page(tmp_path)
    source = tmp_path / SOURCE
    source.write_text(source.read_text().replace("status: on-track", "status: at-risk"))
    page = html_of(_build(config_file), OBJECTIVE)
    assert MARKER not in page
    assert "okr-status--at-risk" in page


@pytest.mark.parametrize(
    "change",
    ["template override", "plugin option", "edit link", "current period"],
)
def test_what_a_page_is_made_from_is_part_of_the_cache_key(tmp_path: Path, change: str) -> None:
    plugin = {"current_period": "2026-Q2"}
    config_file = write_site(tmp_path, plugin=plugin, config={"repo_url": "https://example.com/okrs"})
    build_site(config_file)
    _mark_cached_page(tmp_path)
    settings = yaml.safe_load(config_file.read_text())
    options = settings["plugins"][1]["okrdocs"]
    if change == "template override":
        overrides = tmp_path / "overrides" / "okrdocs"
        overrides.mkdir(parents=True)
        (overrides / "objective.html").write_text("<h1>{{ objective.title }}</h1><p>OVERRIDDEN</p>\n")
        settings["theme"]["custom_dir"] = "overrides"
    elif change == "plugin option":
        options["stale_after"] = 3
    elif change == "edit link":
        settings["repo_url"] = "https://example.com/other"
    else:
        options["current_period"] = "2026-Q3"
    config_file.write_text(yaml.safe_dump(settings))
    page = html_of(_build(config_file), OBJECTIVE)
    assert MARKER not in page
    if change == "template override":
        assert "OVERRIDDEN" in page


def test_a_second_build_in_a_new_process_reuses_the_diagram_plan_and_the_pages(tmp_path: Path) -> None:
    """The fingerprints hash the OKR files' bytes, not the parsed objects: a build whose
    files come from the parse cache has the same fingerprint as the build that parsed them."""
    config_file = write_site(tmp_path)
    _build(config_file)
    written = {name: (_cache(tmp_path) / name).stat().st_mtime_ns for name in (PAGES_FILE, "diagram-plan.json")}
    _build(config_file)
    assert {name: (_cache(tmp_path) / name).stat().st_mtime_ns for name in written} == written


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args], cwd=root, check=True, capture_output=True
    )


def test_a_cache_folder_that_git_tracks_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, okrdocs: Callable[..., CliRun]
) -> None:
    """A pull request that commits `.cache/okrdocs/pages.json` must not publish its HTML."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    config_file = write_site(tmp_path)
    build_site(config_file)
    _mark_cached_page(tmp_path)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "--force", ".cache/okrdocs/pages.json")
    _git(tmp_path, "commit", "-q", "-m", "a pull request's cache file")
    result = run_mkdocs(config_file)
    assert result.returncode == 0, result.stderr
    assert MARKER not in html_of(tmp_path / "site", OBJECTIVE)
    assert "holds files that git tracks" in result.stderr
    assert "git rm -r --cached" in result.stderr
    # The same for `okrdocs check`, whose parse cache the gate trusts; --strict refuses.
    check = okrdocs("check", "--strict")
    assert "holds files that git tracks" in check.out + check.err
    assert check.status == 1
