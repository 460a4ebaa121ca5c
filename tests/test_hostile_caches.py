"""A hostile review of the build's caches (page HTML, the check's findings, diagrams).

A pull request controls every file of the repository, a committed `.cache/okrdocs/`
included: the caches must never take what it commits for what okrdocs made. A cache must
never give a page that no longer matches what it is made from. And a cache folder that is
full, shared with other programs or with another build never costs a page its figure nor
another program its files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from okrdocs.cli.commands import _checked_key
from okrdocs.cli.settings import read_mkdocs_settings
from okrdocs.core.caches.parse_cache import (
    CACHE_FILE,
    CHECKED_FILE,
    PRINTED_FILE,
    CheckedFolder,
    PrintedCheck,
    write_checked,
    write_printed,
)
from okrdocs.core.reading.loading import folder_digest
from okrdocs.site import diagram_jobs
from okrdocs.site.diagram_jobs import PLAN_FILE
from okrdocs.site.dot import PRUNE_AFTER
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
    content["pages"][SRC_URI][1] = ATTACK + content["pages"][SRC_URI][1]
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
    # ... and the same findings printed another way, which sends the check to them.
    write_printed(_cache(tmp_path) / PRINTED_FILE, key, "another way", PrintedCheck("", None, 0))
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


# -- B. a cache folder that is full, shared, or holds what okrdocs did not write -------------


DIAGRAM = re.compile(r'<figure class="okr-diagram.*?</figure>', re.DOTALL)


def _figures(site_dir: Path) -> dict[str, int]:
    """Each page with a diagram figure, and how many SVGs that figure holds."""
    pages = {}
    for page in sorted(site_dir.rglob("*.html")):
        figure = DIAGRAM.search(page.read_text(encoding="utf-8"))
        if figure is not None:
            pages[page.relative_to(site_dir).as_posix()] = figure[0].count("<svg")
    return pages


def _age(folder: Path, seconds: float = PRUNE_AFTER + 60) -> None:
    then = time.time() - seconds
    for path in folder.rglob("*"):
        os.utime(path, (then, then))


@pytest.fixture
def tiny_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 128 KiB file system: room for a few of the demo's diagrams, not for all of them."""
    mount = tmp_path / "tiny-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root in a namespace that allows it)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.parametrize("workers", [False, True], ids=["one-thread", "worker-processes"])
def test_a_full_cache_disk_never_leaves_a_page_without_its_figure(
    tmp_path: Path,
    tiny_disk: Path,
    workers: bool,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A large site's diagrams are laid out by worker processes that write them to the
    cache folder: with the disk full, 466 of 482 pages had empty figures, exit status 0."""
    if workers:
        monkeypatch.setattr(diagram_jobs, "PROCESS_MIN_PAGES", 1)
    figures = _figures(build_site(write_site(tmp_path / "reference", plugin={"diagrams": True})))
    assert len(figures) > 20 and set(figures.values()) == {1}
    config_file = write_site(tmp_path / "site", plugin={"cache_dir": str(tiny_disk)})
    site_dir = build_site(config_file, strict=False)
    assert _figures(site_dir) == figures
    assert (
        f"okrdocs: could not write diagrams to the cache folder '{tiny_disk / 'diagrams'}' (No space left on "
        "device): the pages have them, but the next build lays them out again; free space there, or set "
        "cache_dir to a folder okrdocs can write"
    ) in caplog.text
    with pytest.raises(Abort):  # a strict build fails on it
        build_site(config_file)


def test_a_cache_folder_in_the_way_is_warned_about_and_the_build_has_its_figures(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "not-a-folder").write_text("a file where the cache folder's parent should be")
    config_file = write_site(tmp_path / "site", plugin={"cache_dir": str(tmp_path / "not-a-folder" / "cache")})
    site_dir = build_site(config_file, strict=False)
    assert set(_figures(site_dir).values()) == {1}
    assert (
        f"okrdocs: the cache folder '{tmp_path / 'not-a-folder' / 'cache'}' cannot be used (Not a directory), "
        "so okrdocs keeps no caches: set cache_dir to a folder it can write"
    ) in caplog.text


def test_a_cache_dir_shared_with_other_programs_keeps_their_files(tmp_path: Path) -> None:
    """`cache_dir: ..` or `/tmp`: okrdocs keeps to its own subfolder there, and never
    overwrites nor prunes what other programs keep next to it."""
    shared = tmp_path / "shared"
    shared.mkdir()
    foreign = {
        "history.json": '{"someone": "else"}',
        PAGES_FILE: "[1, 2, 3]",
        CACHE_FILE: "not okrdocs",
        "logo.svg": "<svg/>",
        f"{'0' * 64}.svg": "<svg>named like okrdocs names its diagrams</svg>",
    }
    for name, text in foreign.items():
        (shared / name).write_text(text, encoding="utf-8")
    _age(shared)
    root = tmp_path / "repository"
    config_file = write_site(root, plugin={"cache_dir": str(shared)})
    _commit_everything(root)  # with git history, the build writes history.json too
    for _ in range(2):
        result = run_mkdocs(config_file)
        assert result.returncode == 0, result.stderr
        _age(shared / "okrdocs")  # the next build prunes what this one left behind
    assert {path.name: path.read_text(encoding="utf-8") for path in shared.iterdir() if path.is_file()} == foreign
    own = shared / "okrdocs"
    assert {"CACHEDIR.TAG", "history.json", PAGES_FILE, CACHE_FILE, PLAN_FILE, "diagrams"} <= {
        path.name for path in own.iterdir()
    }
    assert "created by okrdocs" in (own / "CACHEDIR.TAG").read_text(encoding="utf-8")
    assert len(list((own / "diagrams").glob("*.svg"))) > 20


def test_a_build_sharing_the_cache_folder_that_prunes_meanwhile_costs_no_figure(tmp_path: Path) -> None:
    """Build A's diagrams are cached from last week; while A lays out the one that changed,
    build B of another site, on the same cache folder, finishes and prunes. A's pages still
    get every figure: it touched what it uses, and B removes only what no build used for a day."""
    cache = tmp_path / "shared-cache"
    other = write_site(tmp_path / "other", plugin={"cache_dir": str(cache)})
    flag = tmp_path / "other-built"
    dot = tmp_path / "dot-that-lets-another-build-run"
    dot.write_text(
        f'#!/bin/sh\nif [ ! -e "{flag}" ]; then\n  touch "{flag}"\n'
        f'  "{sys.executable}" -m mkdocs build -q -f "{other}" >/dev/null 2>&1\nfi\nexec {shutil.which("dot")} "$@"\n'
    )
    dot.chmod(0o755)
    config_file = write_site(tmp_path / "site", plugin={"cache_dir": str(cache), "dot_path": str(dot)})
    flag.touch()
    figures = _figures(build_site(config_file))
    _age(cache)
    objective_file = next((tmp_path / "site" / "okrs").rglob("win-regional-ev-share.md"))
    text = objective_file.read_text(encoding="utf-8")
    objective_file.write_text(text.replace("title: ", "title: Renamed, ", 1), encoding="utf-8")
    flag.unlink()
    site_dir = build_site(config_file)
    assert flag.exists() and (tmp_path / "other" / "site" / "index.html").is_file()  # B ran meanwhile
    assert _figures(site_dir) == figures


def _cache_file(root: Path, name: str) -> Path:
    return _cache(root) / name


def _build_in_a_new_process(config_file: Path) -> Path:
    """A build that reads the cache files (one in this process keeps the last build's caches)."""
    result = run_mkdocs(config_file)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return config_file.parent / "site"


def test_cache_files_nested_100000_deep_are_no_cache(tmp_path: Path) -> None:
    config_file = write_site(tmp_path)
    expected = _figures(_build_in_a_new_process(config_file))
    for nested in (b"[" * 100_000 + b"]" * 100_000, b'{"fingerprint": ' * 100_000):
        for name in (CACHE_FILE, CHECKED_FILE, PRINTED_FILE, PAGES_FILE, PLAN_FILE):
            _cache_file(tmp_path, name).write_bytes(nested)
        check = _run(tmp_path, "-c", "import sys; from okrdocs.cli import main; sys.exit(main(['check']))")
        assert check.returncode == 0, check.stderr
        assert all(line.split(": ")[1].startswith("OKR7") for line in check.stdout.splitlines())  # advice only
        assert "0 errors, 0 warnings" in check.stderr and "Traceback" not in check.stderr
        assert _figures(_build_in_a_new_process(config_file)) == expected


def test_a_tampered_parse_cache_cannot_write_a_page_outside_the_site(tmp_path: Path) -> None:
    """Ids from the parse cache pass the rule ids from files pass: `../../..` would be a page
    three folders above site_dir."""
    root = tmp_path / "a" / "b" / "c"
    config_file = write_site(root, plugin={"diagrams": False})
    build_site(config_file)
    file = _cache_file(root, CACHE_FILE)
    content = json.loads(file.read_bytes())
    for entry in content["files"].values():
        if entry[3] is not None and entry[3][0] == "respond-to-every-lead-fast":
            entry[3][0] = "../../.."
    file.write_text(json.dumps(content), encoding="utf-8")
    before = sorted(p for p in tmp_path.rglob("*") if p.is_file() and root / "site" not in p.parents)
    site_dir = _build_in_a_new_process(config_file)
    after = sorted(p for p in tmp_path.rglob("*") if p.is_file() and site_dir not in p.parents)
    assert [p for p in after if p not in before and _cache(root) not in p.parents] == []
    assert "../../.." not in json.dumps(json.loads(file.read_bytes()))
    assert "Respond to every inbound lead within two hours" in html_of(site_dir, OBJECTIVE)


# -- C. a `dot` that hangs or a worker that is killed ---------------------------------------


def test_a_dot_that_hangs_fails_the_build_within_twice_dot_timeout_naming_the_option(tmp_path: Path) -> None:
    """A fake `dot` on PATH that never answers: each batch is given at most twice
    `dot_timeout`, never the full time-out again for each of its diagrams. Timed against
    the same build with a `dot` that fails at once, so a busy machine stretches both."""

    def build_with(dot_script: str, name: str) -> tuple[subprocess.CompletedProcess[str], float]:
        bin_dir = tmp_path / name / "bin"
        bin_dir.mkdir(parents=True)
        (bin_dir / "dot").write_text(dot_script)
        (bin_dir / "dot").chmod(0o755)
        config_file = write_site(tmp_path / name / "site", plugin={"dot_timeout": 1})
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file)],
            capture_output=True,
            text=True,
            env={**QUIET, "PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path / name)},
            check=False,
        )
        return result, time.monotonic() - started

    _, baseline = build_with("#!/bin/sh\nexit 3\n", "failing")
    result, elapsed = build_with("#!/bin/sh\nsleep 60\n", "hanging")
    assert result.returncode == 1
    assert (
        "okrdocs: Graphviz's `dot` took longer than 1 s on a batch of 22 diagrams; raise the plugin's "
        "`dot_timeout` option"
    ) in result.stderr
    assert "Traceback" not in result.stderr
    # The build that fails at once, plus 2 x 1 s and a margin; it took 22 s more before.
    assert elapsed < baseline + 2 + 4, (elapsed, baseline)


def test_a_killed_worker_process_is_reported_as_killed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The OOM killer's SIGKILL, sent by a fake `dot` to the worker that started it."""
    monkeypatch.setattr(diagram_jobs, "PROCESS_MIN_PAGES", 1)
    dot = tmp_path / "dot-killing-its-worker"
    dot.write_text("#!/bin/sh\nkill -9 $PPID\nsleep 5\n")
    dot.chmod(0o755)
    with pytest.raises(Abort):
        build_site(write_site(tmp_path / "site", plugin={"dot_path": str(dot)}))
    assert (
        "okrdocs: a process laying out diagrams stopped: a diagram worker process was killed (out of memory?) "
        "while it laid out diagrams; give the build more memory, or build again if something else stopped it"
    ) in caplog.text
    assert "__main__" not in caplog.text
