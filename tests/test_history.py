"""History from git: score points per commit in okrs.json, `updated`, `stale`, the cache,
and builds without history (outside git, a shallow clone)."""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import MINIMAL_ORGANISATION
from gitrepo import JAN_5, JAN_20, MAR_1, Repo, history_site
from okrdocs.core.history.checkins import read_history
from okrdocs.core.history.git import find_checkout
from sitebuild import build_site, run_mkdocs, write_site

pytestmark = pytest.mark.slow  # builds whole sites

NO_DIAGRAMS = {"diagrams": False}
HINT = "fetch-depth: 0"


@pytest.fixture
def repo(tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Repo:
    return history_site(tmp_path, okr_folder, monkeypatch)


def okrs_json(site: Path) -> dict[str, Any]:
    data = json.loads((site / "okrs.json").read_text(encoding="utf-8"))
    return {o["id"]: o for o in data["objectives"]}


def points(series: list[dict[str, Any]]) -> list[tuple[str, str, float | None]]:
    return [(p["date"], p["commit"], None if p["score"] is None else round(p["score"], 6)) for p in series]


def kr(objective: dict[str, Any], kr_id: str) -> dict[str, Any]:
    return next(k for k in objective["key_results"] if k["id"] == kr_id)


def test_okrs_json_has_a_point_per_commit_that_changed_each_score(repo: Repo) -> None:
    first, second, third = repo.commits
    objectives = okrs_json(build_site(repo.root / "mkdocs.yml"))
    assert points(kr(objectives["sell-more"], "kr1")["history"]) == [(JAN_5, first, 0.4), (JAN_20, second, 0.6)]
    assert points(objectives["sell-more"]["history"]) == [(JAN_5, first, 0.4), (JAN_20, second, 0.6)]
    # grow#kr1 is delegated: it scores as its pickup does, so sales' check-in moves it.
    assert points(kr(objectives["grow"], "kr1")["history"]) == [(JAN_5, first, 0.4), (JAN_20, second, 0.6)]
    assert points(kr(objectives["grow"], "kr2")["history"]) == [(JAN_5, first, 0.5)]
    assert points(objectives["grow"]["history"]) == [(JAN_5, first, 0.45), (JAN_20, second, 0.55)]
    assert points(objectives["help"]["history"]) == [(JAN_5, first, 0.25), (MAR_1, third, 0.5)]


def test_updated_is_the_last_commit_of_the_file_and_stale_is_older_than_30_days(repo: Repo) -> None:
    objectives = okrs_json(build_site(repo.root / "mkdocs.yml"))
    assert objectives["sell-more"]["updated"] == JAN_20 and objectives["sell-more"]["stale"] is True
    assert objectives["grow"]["updated"] == MAR_1 and objectives["grow"]["stale"] is False  # retitled
    assert objectives["help"]["updated"] == MAR_1 and objectives["help"]["stale"] is False
    # Not current (2025-Q4, 2026-Q2): never stale, however old.
    assert objectives["last-quarter"]["updated"] == JAN_5 and objectives["last-quarter"]["stale"] is False
    assert objectives["next-quarter"]["stale"] is False


def test_stale_after_is_an_option_and_0_turns_it_off(repo: Repo) -> None:
    write_site_options(repo, {"stale_after": 60})
    assert okrs_json(build_site(repo.root / "mkdocs.yml"))["sell-more"]["stale"] is False
    write_site_options(repo, {"stale_after": 0})
    objectives = okrs_json(build_site(repo.root / "mkdocs.yml"))
    assert not any(o["stale"] for o in objectives.values())


def write_site_options(repo: Repo, options: dict[str, Any]) -> None:
    shutil.rmtree(repo.root / "docs")
    (repo.root / "mkdocs.yml").unlink()
    write_site(repo.root, okrs=None, plugin={**NO_DIAGRAMS, **options})


def test_the_same_commits_and_date_build_byte_identical_sites(repo: Repo) -> None:
    cold = build_site(repo.root / "mkdocs.yml")
    first = repo.root.parent / "first-build"
    shutil.copytree(cold, first)
    warm = build_site(repo.root / "mkdocs.yml")  # history from the cache this time
    assert_same_tree(first, warm)
    shutil.rmtree(repo.root / ".cache")
    assert_same_tree(first, build_site(repo.root / "mkdocs.yml"))


def assert_same_tree(one: Path, other: Path) -> None:
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(other) for p in other.rglob("*") if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(one, other, [str(f) for f in files], shallow=False)
    assert (mismatch, errors) == ([], [])


def test_a_rebuild_reads_only_the_commits_made_since(repo: Repo) -> None:
    cache = repo.root / ".cache" / "okrdocs"
    assert read_history(find_checkout(repo.root), repo.root / "okrs", cache).commits_read == 3
    assert read_history(find_checkout(repo.root), repo.root / "okrs", cache).commits_read == 0
    repo.commit(
        "Another check-in", {"support/help.md": MINIMAL_ORGANISATION["support/help.md"]}, date="2026-03-10T09:00:00Z"
    )
    history = read_history(find_checkout(repo.root), repo.root / "okrs", cache)
    assert history.commits_read == 1
    assert [p.score for p in history.of_objective("help")] == [0.25, 0.5, 0.25]
    assert history == read_history(find_checkout(repo.root), repo.root / "okrs")  # the same as reading it all again
    # `mkdocs serve` hands the last history back instead of reading the cache file.
    repo.commit("A fourth check-in", {"support/help.md": None}, date="2026-03-11T09:00:00Z")
    assert read_history(find_checkout(repo.root), repo.root / "okrs", None, known=history).commits_read == 1
    assert "support/help.md" not in history.files


def test_a_merged_pull_request_is_one_check_in_on_the_day_it_landed(repo: Repo) -> None:
    repo.git("switch", "-q", "-c", "check-in")
    repo.commit(
        "Sales check-in",
        {"sales/sell-more.md": MINIMAL_ORGANISATION["sales/sell-more.md"].replace("current: 4", "current: 7")},
        date="2026-03-05T09:00:00Z",
    )
    repo.commit(
        "Sales check-in, fixed",
        {"sales/sell-more.md": MINIMAL_ORGANISATION["sales/sell-more.md"].replace("current: 4", "current: 8")},
        date="2026-03-06T09:00:00Z",
    )
    repo.git("switch", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge the check-in", "check-in", date="2026-03-09T12:00:00Z")
    merge = repo.git("rev-parse", "HEAD")
    history = read_history(find_checkout(repo.root), repo.root / "okrs")
    assert [(p.date, p.commit, p.score) for p in history.of_key_result("sell-more", "kr1")][-1] == (
        1773057600,
        merge,
        0.8,
    )
    assert len(history.of_key_result("sell-more", "kr1")) == 3
    assert history.files["sales/sell-more.md"][-1].commit == merge


def test_a_rewritten_history_is_read_again(repo: Repo) -> None:
    cache = repo.root / ".cache" / "okrdocs"
    read_history(find_checkout(repo.root), repo.root / "okrs", cache)
    repo.git("reset", "-q", "--hard", "HEAD~1")
    history = read_history(find_checkout(repo.root), repo.root / "okrs", cache)
    assert history.commits_read == 2
    assert [p.score for p in history.of_objective("help")] == [0.25]


def test_serve_adds_uncommitted_scores_as_a_last_point_dated_now(repo: Repo) -> None:
    repo.write({"sales/sell-more.md": MINIMAL_ORGANISATION["sales/sell-more.md"].replace("current: 4", "current: 9")})
    config = load_config(str(repo.root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
    finally:
        config.plugins.on_shutdown()
    objectives = okrs_json(Path(config.site_dir))
    assert points(objectives["sell-more"]["history"])[-1] == ("2026-03-15T00:00:00Z", None, 0.9)
    assert len(objectives["help"]["history"]) == 2  # unchanged: no point of its own
    # A build shows commits only.
    built = okrs_json(build_site(repo.root / "mkdocs.yml"))
    assert points(built["sell-more"]["history"])[-1][1] == repo.commits[1]


def history_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "score trends" in line]


def test_a_folder_outside_git_builds_without_trends_and_says_so_once(tmp_path: Path) -> None:
    run = run_mkdocs(write_site(tmp_path, plugin=NO_DIAGRAMS), "--strict")
    assert run.returncode == 0, run.stderr
    assert len(history_lines(run.stderr)) == 1
    assert "not in a git repository" in history_lines(run.stderr)[0]
    objectives = okrs_json(tmp_path / "site")
    assert all(o["history"] == [] and o["updated"] is None and o["stale"] is False for o in objectives.values())


def test_a_shallow_clone_builds_without_trends_and_says_how_to_get_history(repo: Repo, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    run = run_mkdocs(write_site(clone, okrs=None, plugin=NO_DIAGRAMS), "--strict")
    assert run.returncode == 0, run.stderr
    lines = history_lines(run.stderr)
    assert len(lines) == 1 and "shallow" in lines[0] and HINT in lines[0]
    objectives = okrs_json(clone / "site")
    assert objectives["sell-more"]["history"] == [] and objectives["sell-more"]["updated"] is None


@pytest.mark.parametrize("weight", ["1e400", "-Infinity", "NaN", "1" + "0" * 400])
def test_a_cache_whose_numbers_are_no_floats_is_read_again_from_git(repo: Repo, weight: str) -> None:
    """A cache restored from CI's store with a weight no file can have: an integer too
    large for a float raised OverflowError while scoring, and 1e400 (inf) made the score
    NaN (found by a hostile review)."""
    cache = repo.root / ".cache" / "okrdocs"
    fresh = read_history(find_checkout(repo.root), repo.root / "okrs")
    read_history(find_checkout(repo.root), repo.root / "okrs", cache)
    path = cache / "history.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["state"]["company/grow.md"][2][1][4] = "WEIGHT"  # grow's second key result's weight
    path.write_text(json.dumps(data).replace('"WEIGHT"', weight), encoding="utf-8")
    history = read_history(find_checkout(repo.root), repo.root / "okrs", cache)
    assert history.commits_read == 3
    assert history.of_objective("grow") == fresh.of_objective("grow")


def test_a_cache_that_does_not_fit_is_read_again_from_git(repo: Repo) -> None:
    cache = repo.root / ".cache" / "okrdocs"
    read_history(find_checkout(repo.root), repo.root / "okrs", cache)
    path = cache / "history.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["objectives"]["help"][0][2] = "<script>"  # a score that is not a number
    path.write_text(json.dumps(data), encoding="utf-8")
    history = read_history(find_checkout(repo.root), repo.root / "okrs", cache)
    assert history.commits_read == 3
    assert [p.score for p in history.of_objective("help")] == [0.25, 0.5]
