"""One build for every front end (`site/build.py`): the plugin and `okrdocs generate` make
the same pages, and `check`, `build` and `generate` read mkdocs.yml the same way."""

from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.exceptions import Abort

from okrdocs.site.pages import SCRIPTS, STYLESHEETS
from okrdocs.site.urls import page_url, relative_url
from sitebuild import QUIET, build_site, copy_demo_site, html_of, write_site

pytestmark = pytest.mark.slow  # builds whole sites

Run = Callable[..., Any]

OUT = "site_src/okrs-generated"
EPOCH = "1772323200"  # 2026-03-01: the build date of both front ends


def _git(root: Path, *args: str, date: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "HOME": str(root)},
    )


def _generate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    okrdocs = Path(sys.executable).parent / "okrdocs"
    return subprocess.run(
        [okrdocs, "generate", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **QUIET, "SOURCE_DATE_EPOCH": EPOCH},
    )


def _generated_block(text: str, src_uri: str) -> str:
    """The page HTML `generate` wrote into a Markdown file, with the two differences that
    must be there taken out: the links to okrdocs' stylesheets and scripts (the plugin
    adds them to every page through extra_css and extra_javascript), and the links between
    pages, which name the other pages' Markdown files (Zensical turns them into URLs; the
    plugin writes the URLs). Each such link becomes the URL it names, relative to this
    page, by the rule MkDocs and Zensical share (`page_url`, `relative_url`)."""
    body = text[text.index('<div class="okrdocs-generated">\n') :].split("\n")[1:]
    assets = len(STYLESHEETS) + len(SCRIPTS)
    assert all(line.startswith(("<link ", "<script ")) for line in body[:assets])
    block = "\n".join(body[assets:])
    assert block.endswith("\n</div>\n")
    block = block[: -len("</div>\n")]

    def as_url(match: re.Match[str]) -> str:
        path, hash_, fragment = match.group(2).partition("#")
        if "://" in path or not path.endswith(".md"):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path))
        return f'{match.group(1)}href="{relative_url(page_url(target), page_url(src_uri))}{hash_}{fragment}"'

    return re.sub(r'(^|[^:\w])href="([^"]*)"', as_url, block)


def test_the_plugin_and_generate_make_the_same_okr_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo, with a history of two commits, built by the plugin and written by
    `okrdocs generate` from the same checkout: every OKR page's content is the same."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    config_file = copy_demo_site(tmp_path)
    _git(tmp_path, "init", "-q", date="2026-01-10T12:00:00Z")
    _git(tmp_path, "add", ".", date="2026-01-10T12:00:00Z")
    _git(tmp_path, "commit", "-qm", "okrs", date="2026-01-10T12:00:00Z")
    objective = tmp_path / "okrs/sales/grow-new-market-revenue.md"
    objective.write_text(objective.read_text(encoding="utf-8").replace("current: 1\n", "current: 2\n", 1))
    _git(tmp_path, "commit", "-qam", "check-in", date="2026-02-10T12:00:00Z")
    site_dir = build_site(config_file)

    done = _generate(tmp_path, "--out", OUT)
    assert done.returncode == 0, done.stderr

    pages = sorted((tmp_path / OUT).rglob("*.md"))
    assert len(pages) > 30
    for page in pages:
        src_uri = page.relative_to(tmp_path / OUT).as_posix()
        block = _generated_block(page.read_text(encoding="utf-8"), src_uri).strip()
        built = html_of(site_dir, page_url(src_uri))
        start = built.find(block[: block.index("\n")])
        assert start >= 0, src_uri
        assert built[start : start + len(block)] == block, src_uri
    # The history reached both: the check-in is a trend point, the edit link opens the file.
    grow = (tmp_path / OUT / "okrs/grow-new-market-revenue.md").read_text(encoding="utf-8")
    assert 'class="okr-trend"' in grow and "<th>Updated" in grow
    assert "edit/main/okrs/sales/grow-new-market-revenue.md" in grow


# -- mkdocs.yml read by MkDocs' rules -------------------------------------------------


def _inherited_site(root: Path) -> Path:
    """A site whose mkdocs.yml inherits the plugin and its options from base.yml."""
    write_site(root, plugin={"okrs_dir": "okrs"}, config={"use_directory_urls": False})
    base = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    (root / "base.yml").write_text(yaml.safe_dump(base), encoding="utf-8")
    (root / "okrs").rename(root / "goals")
    (root / "mkdocs.yml").write_text(
        "INHERIT: base.yml\nsite_name: Inherited\nplugins:\n  - search\n  - okrdocs:\n      okrs_dir: goals\n",
        encoding="utf-8",
    )
    return root / "mkdocs.yml"


def test_a_site_that_inherits_its_config_passes_the_check_and_builds(tmp_path: Path, okrdocs: Run) -> None:
    config_file = _inherited_site(tmp_path)
    run = okrdocs("check")
    assert run.status == 0, run.err
    assert run.err.startswith("okrdocs: goals: ")
    site_dir = build_site(config_file)
    # use_directory_urls: false comes from base.yml, for the build and for generate alike.
    assert (site_dir / "vision.html").is_file()
    done = _generate(tmp_path, "--out", "docs/okrs-generated")
    assert done.returncode == 0, done.stderr
    data = json.loads((tmp_path / "docs/okrs-generated/okrs.json").read_text(encoding="utf-8"))
    assert data["vision"]["url"] == "okrs-generated/vision.html"


def test_the_pre_commit_hook_runs_on_an_inherited_config(tmp_path: Path) -> None:
    """The hook's command, `okrdocs check`, as pre-commit runs it: in the repository's folder."""
    _inherited_site(tmp_path)
    okrdocs = Path(sys.executable).parent / "okrdocs"
    run = subprocess.run([okrdocs, "check"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "does not list the 'okrdocs' plugin" not in run.stderr


def test_a_missing_inherited_file_is_named(tmp_path: Path, okrdocs: Run) -> None:
    write_site(tmp_path)
    text = (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("INHERIT: shared.yml\n" + text, encoding="utf-8")
    run = okrdocs("check")
    assert run.status == 2
    assert run.err.startswith("okrdocs: error: mkdocs.yml: Inherited config file 'shared.yml' does not exist at ")


# -- an empty use_directory_urls: is true everywhere --------------------------------

EMPTY_DIRECTORY_URLS = "use_directory_urls:\n"


def _site_with_empty_directory_urls(root: Path, team_index: bool = False) -> Path:
    config_file = write_site(root)
    config_file.write_text(config_file.read_text(encoding="utf-8") + EMPTY_DIRECTORY_URLS, encoding="utf-8")
    if team_index:  # team `index` takes the team directory's teams/index.html, with directory URLs only
        teams = root / "okrs/teams.yml"
        teams.write_text(teams.read_text(encoding="utf-8") + "  - id: index\n    name: Index\n    parent: company\n")
    return config_file


def test_an_empty_use_directory_urls_gives_the_same_urls_in_check_build_and_generate(
    tmp_path: Path, okrdocs: Run
) -> None:
    config_file = _site_with_empty_directory_urls(tmp_path)
    assert okrdocs("check").status == 0
    site_dir = build_site(config_file)
    built = json.loads((site_dir / "okrs.json").read_text(encoding="utf-8"))
    assert built["vision"]["url"] == "vision/"
    done = _generate(tmp_path, "--out", "docs/okrs-generated")
    assert done.returncode == 0, done.stderr
    generated = json.loads((tmp_path / "docs/okrs-generated/okrs.json").read_text(encoding="utf-8"))
    assert generated["vision"]["url"] == "okrs-generated/vision/"
    assert [o["url"] for o in generated["objectives"]] == [f"okrs-generated/{o['url']}" for o in built["objectives"]]


def test_an_empty_use_directory_urls_gives_the_same_page_collisions(
    tmp_path: Path, okrdocs: Run, caplog: pytest.LogCaptureFixture
) -> None:
    config_file = _site_with_empty_directory_urls(tmp_path, team_index=True)
    check = okrdocs("check")
    assert check.status == 1
    collision = "OKR304 the page of team id 'index' would be written to teams/index.html, where the team directory goes"
    assert f"okrs/teams.yml:104: {collision}" in check.out
    with pytest.raises(Abort):
        build_site(config_file)
    assert f"okrs/teams.yml:104: {collision}" in caplog.text
    done = _generate(tmp_path, "--out", "docs/okrs-generated")
    assert done.returncode == 1
    assert collision in done.stdout
    assert not (tmp_path / "docs/okrs-generated").exists()


# -- the command line -----------------------------------------------------------------


def test_generate_takes_a_bare_okr_folder(tmp_path: Path) -> None:
    """`--okrs DIR` as for the other commands: default options; docs_dir and the URLs
    from mkdocs.yml, which need not list the plugin (Zensical skips it anyway)."""
    copy_demo_site(tmp_path)
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search"]
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    done = _generate(tmp_path, "--okrs", "okrs", "--out", OUT)
    assert done.returncode == 0, done.stderr
    objective = (tmp_path / OUT / "okrs/grow-new-market-revenue.md").read_text(encoding="utf-8")
    assert 'href="https://github.com/northwind/okrs/edit/main/okrs/sales/grow-new-market-revenue.md"' in objective


def test_generate_takes_a_bare_okr_folder_without_any_site_config(tmp_path: Path) -> None:
    copy_demo_site(tmp_path)
    (tmp_path / "mkdocs.yml").unlink()
    (tmp_path / "docs").mkdir()
    done = _generate(tmp_path, "--okrs", "okrs", "--out", "docs/okrs")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "docs/okrs/vision.md").is_file()
    refused = _generate(tmp_path, "--okrs", "okrs", "--out", "elsewhere")
    assert refused.returncode == 2
    assert "--out elsewhere is not a folder inside docs_dir (docs)" in refused.stderr


def test_python_dash_m_okrdocs_runs_the_command_line(tmp_path: Path) -> None:
    copy_demo_site(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "okrdocs", "check"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.startswith("okrdocs: okrs: ") and "0 errors" in run.stderr
    broken = subprocess.run(
        [sys.executable, "-m", "okrdocs", "check", "--okrs", "missing"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (broken.returncode, broken.stderr) == (2, "okrdocs: error: the OKR folder 'missing' does not exist\n")


def test_the_lenient_reader_agrees_with_mkdocs_where_it_can(tmp_path: Path) -> None:
    """Without MkDocs (a Zensical-only install) the same options and defaults; what only
    MkDocs does (INHERIT, its edit_uri guess) is what the README says the reader lacks."""
    from okrdocs.mkdocs_plugin.site_config import read_site_config
    from okrdocs.site.settings import read_config_leniently

    config_file = write_site(tmp_path, config={"site_url": "https://okrs.example/", "edit_uri": "edit/main/docs/"})
    config_file.write_text(config_file.read_text(encoding="utf-8") + EMPTY_DIRECTORY_URLS, encoding="utf-8")
    lenient, by_mkdocs = read_config_leniently(str(config_file)), read_site_config(str(config_file))
    assert lenient.use_directory_urls is by_mkdocs.use_directory_urls is True
    assert lenient.docs_dir.resolve() == by_mkdocs.docs_dir.resolve() == (tmp_path / "docs").resolve()
    assert (lenient.site_url, lenient.edit_uri) == (by_mkdocs.site_url, by_mkdocs.edit_uri)
    assert lenient.plugin == by_mkdocs.plugin == {}
