"""A hostile review of the build's caches (page HTML, the check's findings).

A pull request controls every file of the repository, a committed `.cache/okrdocs/`
included: the caches must never take what it commits for what okrdocs made. And a cache
must never give a page that no longer matches what it is made from.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from okrdocs.cli.commands import _checked_key
from okrdocs.cli.settings import read_mkdocs_settings
from okrdocs.core.loading import folder_digest
from okrdocs.core.parse_cache import CHECKED_FILE, CheckedFolder, write_checked
from okrdocs.site.page_cache import PAGES_FILE
from sitebuild import DEMO_OKRS, QUIET, REPO, build_site, html_of, run_mkdocs, write_site

pytestmark = pytest.mark.slow  # builds whole sites

OBJECTIVE = "okrs/respond-to-every-lead-fast/"
SRC_URI = "okrs/respond-to-every-lead-fast.md"
ATTACK = "<script>alert('from a pull request')</script>"
GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
CI_ENV = {**QUIET, **GIT_ENV, "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}

needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="gives the checkout to another user: needs root"
)


def _cache(root: Path) -> Path:
    return root / ".cache" / "okrdocs"


def _forge_pages(root: Path) -> None:
    """What an attacker commits: the pages.json of a clean build of the same site (the
    fingerprint is made from what the pull request itself holds), with their HTML in it."""
    config_file = root / "mkdocs.yml"
    result = run_mkdocs(config_file)
    assert result.returncode == 0, result.stderr
    file = _cache(root) / PAGES_FILE
    content = json.loads(file.read_text(encoding="utf-8"))
    content["pages"][SRC_URI] = ATTACK + content["pages"][SRC_URI]
    file.write_text(json.dumps(content), encoding="utf-8")
    shutil.rmtree(root / "site")


def _commit_everything(root: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
            cwd=root,
            check=True,
            capture_output=True,
            env={**os.environ, **GIT_ENV},
        )

    git("init", "-q", "-b", "main")
    git("add", "--all", "--force", ".")
    git("commit", "-q", "-m", "a pull request with a cache folder")


def _checkout_of_another_user(root: Path) -> None:
    """The checkout as a container job sees it: owned by the runner's user, not by root,
    so git refuses the repository ('detected dubious ownership')."""
    subprocess.run(["chown", "-R", "65534:65534", str(root)], check=True)
    done = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True, env=CI_ENV, check=False)
    assert done.returncode != 0 and "dubious ownership" in done.stderr


def _run(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *command], cwd=root, capture_output=True, text=True, env={**CI_ENV, "HOME": str(root)}
    )


# -- A. caches a pull request commits -------------------------------------------------


@needs_root
def test_a_committed_pages_cache_is_not_published_when_git_cannot_read_the_checkout(tmp_path: Path) -> None:
    """`git ls-files` fails (dubious ownership): the cache folder must count as untrusted,
    not as 'not tracked'."""
    write_site(tmp_path)
    _forge_pages(tmp_path)
    _commit_everything(tmp_path)
    _checkout_of_another_user(tmp_path)
    result = _run(tmp_path, "-m", "mkdocs", "build")
    assert result.returncode == 0, result.stderr
    assert ATTACK not in html_of(tmp_path / "site", OBJECTIVE)
    assert "git cannot read" in result.stderr


@needs_root
def test_okrdocs_check_does_not_trust_committed_findings_when_git_cannot_read_the_checkout(tmp_path: Path) -> None:
    """The gate: a broken folder with a committed okr-check.json that says 'no problems'."""
    config_file = write_site(tmp_path)
    broken = tmp_path / "okrs" / "inbound" / "respond-to-every-lead-fast.md"
    broken.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    settings = read_mkdocs_settings(str(config_file))
    key = _checked_key(settings, folder_digest(tmp_path / "okrs") or "")
    write_checked(_cache(tmp_path) / CHECKED_FILE, key, CheckedFolder([], 1, 1))
    _commit_everything(tmp_path)
    _checkout_of_another_user(tmp_path)
    check = _run(tmp_path, "-c", "import sys; from okrdocs.cli import main; sys.exit(main(['check']))")
    assert check.returncode == 1, check.stdout + check.stderr
    assert "respond-to-every-lead-fast.md" in check.stdout


# -- B. pages that no longer match what they are made from ----------------------------


def _site_with_override(root: Path, template: str) -> Path:
    config_file = write_site(
        root, plugin={"diagrams": False}, config={"theme": {"name": "material", "custom_dir": "overrides"}}
    )
    (root / "overrides" / "okrdocs").mkdir(parents=True)
    (root / "overrides" / "okrdocs" / "objective.html").write_text(template, encoding="utf-8")
    return config_file


def test_a_template_that_an_override_includes_is_part_of_the_cache_key(tmp_path: Path) -> None:
    """custom_dir/okrdocs/objective.html includes custom_dir/partials/okr-note.html:
    editing the partial must show on the next build."""
    config_file = _site_with_override(
        tmp_path, '<h1>{{ objective.title }}</h1>{% include "partials/okr-note.html" %}\n'
    )
    note = tmp_path / "overrides" / "partials" / "okr-note.html"
    note.parent.mkdir(parents=True)
    note.write_text("<p>NOTE-ONE</p>\n", encoding="utf-8")
    assert run_mkdocs(config_file).returncode == 0
    written = (_cache(tmp_path) / PAGES_FILE).stat().st_mtime_ns
    assert run_mkdocs(config_file).returncode == 0
    assert (_cache(tmp_path) / PAGES_FILE).stat().st_mtime_ns == written  # unchanged: the pages are reused
    note.write_text("<p>NOTE-TWO</p>\n", encoding="utf-8")
    result = run_mkdocs(config_file)
    assert result.returncode == 0, result.stderr
    assert "NOTE-TWO" in html_of(tmp_path / "site", OBJECTIVE)


def test_a_rebuild_in_the_same_process_renders_an_edited_override_and_caches_that(tmp_path: Path) -> None:
    """`mkdocs serve` keeps the plugin (and its Jinja environment) across rebuilds. An
    edited override must show, and the pages cached under the new fingerprint must be the
    new ones, or the next `mkdocs build` publishes the old template's pages."""
    config_file = _site_with_override(tmp_path, "<h1>{{ objective.title }}</h1><p>TEMPLATE-ONE</p>\n")
    site_dir = build_site(config_file)  # in-process: MkDocs keeps the plugin instance
    override = tmp_path / "overrides" / "okrdocs" / "objective.html"
    override.write_text("<h1>{{ objective.title }}</h1><p>TEMPLATE-TWO</p>\n", encoding="utf-8")
    assert "TEMPLATE-TWO" in html_of(build_site(config_file), OBJECTIVE)
    result = run_mkdocs(config_file)  # a new process, from the cache
    assert result.returncode == 0, result.stderr
    assert "TEMPLATE-TWO" in html_of(site_dir, OBJECTIVE)


def test_an_okr_folder_linked_to_another_folder_gives_the_new_edit_links(tmp_path: Path) -> None:
    """okrs -> team-a/okrs, then okrs -> team-b/okrs with the same files: the edit links
    name the folder the link leads to, so the cached pages must not be reused."""
    config_file = write_site(
        tmp_path,
        okrs=None,
        plugin={"diagrams": False},
        config={"repo_url": "https://github.com/o/r", "edit_uri": "edit/main/"},
    )
    for team in ("team-a", "team-b"):
        shutil.copytree(DEMO_OKRS, tmp_path / team / "okrs")
    (tmp_path / "okrs").symlink_to("team-a/okrs")
    assert run_mkdocs(config_file).returncode == 0
    (tmp_path / "okrs").unlink()
    (tmp_path / "okrs").symlink_to("team-b/okrs")
    result = run_mkdocs(config_file)
    assert result.returncode == 0, result.stderr
    page = html_of(tmp_path / "site", OBJECTIVE)
    assert "/edit/main/team-b/okrs/inbound/respond-to-every-lead-fast.md" in page


def test_a_committed_link_cannot_lead_the_caches_to_another_folder(tmp_path: Path) -> None:
    """`.cache/okrdocs -> /some/folder` committed: the build must neither read nor write
    there (it used to overwrite pages.json and delete every *.svg of that folder)."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "logo.svg").write_text("<svg/>", encoding="utf-8")
    (victim / PAGES_FILE).write_text("{}", encoding="utf-8")
    root = tmp_path / "repository"
    config_file = write_site(root)
    (root / ".cache").mkdir()
    (root / ".cache" / "okrdocs").symlink_to(victim)
    _commit_everything(root)
    result = run_mkdocs(config_file)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in victim.iterdir()) == ["logo.svg", PAGES_FILE]
    assert (victim / PAGES_FILE).read_text(encoding="utf-8") == "{}"
    assert "symbolic link" in result.stderr


def test_a_link_to_the_cache_folder_that_git_does_not_track_is_followed(tmp_path: Path) -> None:
    """A developer's own link (not in git) keeps working."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = tmp_path / "repository"
    config_file = write_site(root, plugin={"diagrams": False})
    _commit_everything(root)
    (root / ".cache").symlink_to(elsewhere)
    result = run_mkdocs(config_file)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "okrdocs" / PAGES_FILE).is_file()
