"""A pull request against okrdocs' use of git: folders made to look like repositories,
commit dates, file names and merges (issue 20). Each test prepares the repository as a
pull request could, then runs okrdocs as CI does."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from conftest import MINIMAL_ORGANISATION, CliRun
from gitrepo import MAR_15, Repo, history_site
from okrdocs.core.domain.model import Period
from okrdocs.core.history.checkins import read_history
from okrdocs.core.history.git import find_checkout
from sitebuild import build_site, html_of, run_mkdocs

pytestmark = pytest.mark.slow  # builds whole sites

Run = Callable[..., CliRun]


@pytest.fixture
def repo(tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Repo:
    return history_site(tmp_path, okr_folder, monkeypatch)


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    """A file the planted command would create, outside the checkout."""
    path = tmp_path.parent / f"{tmp_path.name}-command-ran"
    yield path
    path.unlink(missing_ok=True)


def plant_git_folder(folder: Path, config: str) -> None:
    """What git's discovery takes for a bare repository: files a pull request can commit."""
    for name in ("objects", "refs/heads"):
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / ".keep").write_text("", encoding="utf-8")
    (folder / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (folder / "config").write_text(config, encoding="utf-8")


def plant_partial_clone(okrs: Path, marker: Path, scratch: Path) -> None:
    """The OKR folder as a partial clone of its own with one commit whose blob is missing:
    git's discovery inside it would fetch the blob by running the planted `uploadpack`."""
    scratch.mkdir()
    fake = Repo(scratch, lambda *args, **kwargs: scratch)
    fake.git("init", "-q", "-b", "main")
    (scratch / "invented.md").write_text(MINIMAL_ORGANISATION["sales/sell-more.md"], encoding="utf-8")
    fake.commit("Invented check-in", date="2026-03-14T10:00:00Z")
    blob = fake.git("rev-parse", "HEAD:invented.md")
    for name in ("objects", "refs"):
        shutil.copytree(scratch / ".git" / name, okrs / name, dirs_exist_ok=True)
    (okrs / "objects" / blob[:2] / blob[2:]).unlink()
    (okrs / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (okrs / "config").write_text(
        "[core]\n\trepositoryformatversion = 1\n\tbare = false\n\tworktree = .\n"
        "[extensions]\n\tpartialClone = origin\n"
        f'[remote "origin"]\n\turl = /nonexistent\n\tpromisor = true\n\tuploadpack = touch {marker}; false\n',
        encoding="utf-8",
    )


def build_apart(config: Path) -> Path:
    """A build in a process of its own: in-process builds share one plugin instance (MkDocs
    keeps it for `mkdocs serve`), which keeps the history it read."""
    result = run_mkdocs(config, "--strict", env={"SOURCE_DATE_EPOCH": os.environ["SOURCE_DATE_EPOCH"]})
    assert result.returncode == 0, result.stderr
    return config.parent / "site"


def okrs_json(site: Path) -> dict[str, Any]:
    return json.loads((site / "okrs.json").read_text(encoding="utf-8"))


# -- git folders a pull request plants ---------------------------------------------------


def test_a_git_folder_committed_as_the_cache_folder_runs_nothing_and_is_not_trusted(
    repo: Repo, okrdocs: Run, marker: Path
) -> None:
    cache = repo.root / ".cache" / "okrdocs"
    plant_git_folder(
        cache,
        f'[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n\tfsmonitor = "touch {marker}"\n',
    )
    (cache / "okr-files.json").write_text('{"forged": true}', encoding="utf-8")
    repo.git("add", "--force", ".cache")
    repo.commit("A pull request")

    check = okrdocs("check")
    built = run_mkdocs(repo.root / "mkdocs.yml", "--strict")

    assert not marker.exists()
    warning = "' holds HEAD, objects/ and refs/, so git would take it for a repository of its own"
    assert f"the cache folder '.cache/okrdocs{warning}" in check.err
    assert f"the cache folder '{repo.root}/.cache/okrdocs{warning}" in built.stderr
    assert built.returncode == 1  # --strict: the warning stops the build, nothing is read from there


def test_a_cache_folder_in_a_submodule_is_not_trusted(repo: Repo, okrdocs: Run, tmp_path: Path) -> None:
    """A pull request that makes `.cache` a submodule holding a forged okr-check.txt: the
    checkout's `git ls-files` lists the submodule, not the files in it."""
    repo.commit("A broken objective", {"sales/sell-more.md": "---\ntitle: Sell\nteam: nosuch\nperiod: 2026-Q1\n---\n"})
    broken = okrdocs("check")
    assert broken.status == 1
    printed = repo.root / ".cache" / "okrdocs" / "okr-check.txt"
    signature, key, how, _, _ = json.loads(printed.read_bytes().partition(b"\n")[0])
    printed.write_text(json.dumps([signature, key, how, "okrdocs: okrs: 0 errors, 0 warnings", 0]) + "\n")
    evil = tmp_path / "evil"
    shutil.move(repo.root / ".cache", evil)
    module = Repo(evil, repo.okr_folder)
    module.git("init", "-q", "-b", "main")
    module.commit("Forged findings")
    repo.git("-c", "protocol.file.allow=always", "submodule", "add", "--force", "--quiet", str(evil), ".cache")
    repo.commit("A pull request")

    check = okrdocs("check")

    assert (check.status, check.out) == (broken.status, broken.out)
    assert "the cache folder '.cache/okrdocs' is inside a git submodule" in check.err


def test_a_git_folder_committed_as_the_okr_folder_runs_nothing_and_fails_the_check(
    repo: Repo, okrdocs: Run, marker: Path, tmp_path: Path
) -> None:
    okrs = repo.root / "okrs"
    plant_partial_clone(okrs, marker, tmp_path / "scratch")
    head = repo.commit("A pull request")

    check = okrdocs("check")
    built = run_mkdocs(repo.root / "mkdocs.yml")
    report = okrdocs("report", "--format", "json")
    diff = okrdocs("diff", "HEAD~1")
    history = read_history(find_checkout(repo.root), okrs)

    assert not marker.exists()
    problem = (
        "okrs/HEAD:1: OKR101 the OKR folder holds HEAD, objects/ and refs/, so git would take it for a repository "
        "of its own and obey its config: remove them (git runs only on the checkout's own .git)"
    )
    assert check.status == 1 and problem in check.lines
    assert built.returncode == 1 and problem in built.stderr and "Traceback" not in built.stderr
    assert report.status == 0 and "okrs/HEAD" not in report.err
    assert diff.status == 0 and "**problems: 1 introduced**" in diff.out and "score" not in diff.out
    assert history.head == head  # the checkout's own commits, not the planted repository's
    assert {point.commit for point in history.of_objective("sell-more")} <= set(repo.commits)


def test_a_git_folder_planted_after_a_warm_check_still_fails_it(
    repo: Repo, okrdocs: Run, marker: Path, tmp_path: Path
) -> None:
    """A check of main fills the cache (CI restores it for pull requests); the folder git
    would take for a repository adds no Markdown file, but the kept findings are not reused."""
    assert okrdocs("check").status == 0
    plant_partial_clone(repo.root / "okrs", marker, tmp_path / "scratch")
    repo.commit("A pull request")

    check = okrdocs("check")

    assert not marker.exists()
    assert check.status == 1
    assert "okrs/HEAD:1: OKR101 the OKR folder holds HEAD, objects/ and refs/" in check.out


def test_a_git_folder_as_the_folder_of_mkdocs_yml_is_not_used(repo: Repo, marker: Path) -> None:
    """mkdocs.yml in a sub-folder the pull request turned into a bare repository."""
    site = repo.root / "site-a"
    site.mkdir()
    (site / "mkdocs.yml").write_text(
        "site_name: A\ndocs_dir: ../docs\nsite_dir: ../site\nplugins:\n  - okrdocs:\n      okrs_dir: ../okrs\n"
        "      diagrams: false\n",
        encoding="utf-8",
    )
    plant_git_folder(site, f'[core]\n\tbare = true\n\tfsmonitor = "touch {marker}"\n')
    repo.commit("A pull request")

    checkout = find_checkout(site)

    assert checkout.top is None and "cannot use bare repository" in (checkout.unreadable or "")
    assert not marker.exists()


def test_git_runs_with_a_fixed_environment(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's git settings and GIT_* variables cannot change what okrdocs reads."""
    site = build_site(repo.root / "mkdocs.yml")
    before = okrs_json(site)
    shutil.rmtree(repo.root / ".cache")
    repo.git("config", "log.showRoot", "false")  # the root commit's files would lose their dates
    repo.git("config", "core.fsmonitor", f"touch {tmp_path}/fsmonitor-ran")
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'log.showroot'='false'")

    after = okrs_json(build_site(repo.root / "mkdocs.yml"))

    assert after == before
    assert not (tmp_path / "fsmonitor-ran").exists()


# -- commits and names that must not break the build -------------------------------------


def commit_with_raw_date(repo: Repo, raw_date: str, files: dict[str, str]) -> str:
    """A commit whose author and committer date is `raw_date` as written, which `git
    commit` would refuse but `git hash-object --literally` stores (as a forge may)."""
    repo.write(files)
    repo.git("add", "--all", ".")
    tree, parent = repo.git("write-tree"), repo.git("rev-parse", "HEAD")
    text = (
        f"tree {tree}\nparent {parent}\nauthor A <a@example.com> {raw_date}\n"
        f"committer A <a@example.com> {raw_date}\n\nCheck-in\n"
    )
    commit = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
        cwd=repo.root,
        input=text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    repo.git("update-ref", "HEAD", commit)
    return commit


def help_at(progress: str) -> dict[str, str]:
    text = MINIMAL_ORGANISATION["support/help.md"].replace("progress: 0.25", f"progress: {progress}")
    return {"support/help.md": text}


def test_a_commit_dated_after_the_build_is_no_check_in(repo: Repo, okrdocs: Run) -> None:
    """A commit dated in year 9000 showed as the objective's last update and kept it from
    ever going stale, and put a point in year 9000 on its trend (found by a hostile review).
    The build counts only the commits dated on or before its date for those; the file's
    score is still the page's."""
    commit_with_raw_date(repo, "221845392000 +0000", sell_more_at("9"))  # in year 9000
    built = run_mkdocs(repo.root / "mkdocs.yml", "--strict", env={"SOURCE_DATE_EPOCH": str(MAR_15)})
    assert built.returncode == 0, built.stderr
    sell_more = {o["id"]: o for o in okrs_json(repo.root / "site")["objectives"]}["sell-more"]
    assert sell_more["score"] == 0.9
    assert sell_more["updated"] == "2026-01-20T10:00:00Z"  # the last commit dated before MAR_15
    assert sell_more["stale"] is True  # 54 days without a check-in the build can date
    assert [point["date"][:4] for point in sell_more["history"]] == ["2026", "2026"]
    assert "9000-" not in html_of(repo.root / "site", "okrs/sell-more/")


def sell_more_at(current: str) -> dict[str, str]:
    text = MINIMAL_ORGANISATION["sales/sell-more.md"].replace("current: 4", f"current: {current}")
    return {"sales/sell-more.md": text}


def test_commits_dated_out_of_range_are_reported_and_their_changes_listed_with_the_next(
    repo: Repo, okrdocs: Run
) -> None:
    bad = [
        commit_with_raw_date(repo, "253402300800 +0000", help_at("0.6")),  # year 10000
        commit_with_raw_date(repo, "-1 +0000", help_at("0.7")),
        commit_with_raw_date(repo, "18446744073709551615 +0000", help_at("0.8")),
        commit_with_raw_date(repo, "soon +0000", help_at("0.9")),
    ]
    last = repo.commit("Back to normal", {"sales/sell-more.md": MINIMAL_ORGANISATION["sales/sell-more.md"]},
                       date="2026-03-10T10:00:00Z")  # fmt: skip

    built = run_mkdocs(repo.root / "mkdocs.yml", "--strict")
    report = okrdocs("report")

    assert built.returncode == 0, built.stderr
    shown = ", ".join(commit[:12] for commit in bad)
    notice = (
        f"okrdocs: 4 commit(s) with a date outside 1970 to 9999 or none at all ({shown}): "
        "their scores and changes count from the next commit with a date, "
        "and a file they changed last keeps the date of its last dated commit"
    )
    assert notice in built.stderr
    assert report.status == 0 and "Help customers faster (90%" in report.out  # reported once: by the build
    published = okrs_json(repo.root / "site")
    helped = {o["id"]: o for o in published["objectives"]}["help"]
    assert helped["history"][-1] == {"date": "2026-03-10T10:00:00Z", "commit": last, "score": 0.9}
    # What the four undated commits changed, listed with the next dated one as one change.
    assert [c for c in published["changes"] if c["objective"] == "help" and c["commit"] in (last, *bad)] == [{
        "date": "2026-03-10T10:00:00Z", "commit": last, "objective": "help",
        "key_result": "kr1", "kind": "score", "from": 0.5, "to": 0.9,
    }]  # fmt: skip


def test_undated_commits_at_head_are_listed_with_a_dated_commit_a_later_build_reads(repo: Repo) -> None:
    """The state before the undated commits is kept in the history's cache between builds."""
    commit_with_raw_date(repo, "soon +0000", help_at("0.7"))
    commit_with_raw_date(repo, "-1 +0000", help_at("0.8"))
    assert run_mkdocs(repo.root / "mkdocs.yml", "--strict").returncode == 0  # the history cache ends on them
    last = repo.commit("Sales", sell_more_at("5"), date="2026-03-10T10:00:00Z")
    built = run_mkdocs(repo.root / "mkdocs.yml", "--strict")
    assert built.returncode == 0, built.stderr
    changes = okrs_json(repo.root / "site")["changes"]
    assert [(c["objective"], c["kind"], c["from"], c["to"]) for c in changes if c["commit"] == last] == [
        ("help", "score", 0.5, 0.8), ("sell-more", "score", 0.6, 0.5), ("sell-more", "value", 6, 5),
    ]  # fmt: skip


def test_a_file_name_that_is_not_utf8_is_refused_by_the_check_and_the_build(repo: Repo, okrdocs: Run) -> None:
    name = os.fsdecode(b"odd\xff.md")
    (repo.root / "okrs" / "company" / name).write_text(MINIMAL_ORGANISATION["company/grow.md"], encoding="utf-8")
    repo.commit("A pull request")
    problem = "okrs/company/odd\\xff.md:1: OKR101 a name that is not UTF-8: rename it"

    check = okrdocs("check")
    built = run_mkdocs(repo.root / "mkdocs.yml")
    generated = okrdocs("generate", "--out", "docs/okrs")

    assert check.status == 1 and problem in check.lines
    assert built.returncode == 1 and problem in built.stderr and "Traceback" not in built.stderr
    assert generated.status == 1 and problem in generated.out


@pytest.mark.parametrize("value", ["1e9", "-5", "+5", "1_000", "253402300800", "99999999999999999999"])
def test_source_date_epoch_must_be_plain_seconds_in_range(
    repo: Repo, okrdocs: Run, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    message = (
        f"SOURCE_DATE_EPOCH is '{value}': set it to whole seconds since 1970 (at most 253402300799, the end "
        "of year 9999), e.g. $(git log -1 --format=%ct)"
    )

    report = okrdocs("report")
    with pytest.raises(Abort):
        build_site(repo.root / "mkdocs.yml")

    assert report.status == 2 and message in report.err
    assert [record.getMessage() for record in caplog.records if record.levelname == "ERROR"] == [f"okrdocs: {message}"]


def test_a_foxtrot_merge_reads_the_same_warm_and_cold(repo: Repo) -> None:
    """A merge whose first parent is the side branch ("foxtrot"): a warm read must not go
    on from the old head, which is now a second parent."""
    config = repo.root / "mkdocs.yml"
    repo.git("branch", "side", repo.commits[1])
    repo.commit("On main", help_at("0.4"), date="2026-03-02T10:00:00Z")
    build_apart(config)  # the cache now ends at main's head
    repo.git("checkout", "-q", "side")
    repo.commit("On the side", {"sales/sell-more.md": MINIMAL_ORGANISATION["sales/sell-more.md"].replace(
        "current: 4", "current: 8")}, date="2026-03-03T10:00:00Z")  # fmt: skip
    repo.git("merge", "-q", "--no-edit", "main", date="2026-03-04T10:00:00Z")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "side")

    warm = okrs_json(build_apart(config))
    shutil.rmtree(repo.root / ".cache")
    cold = okrs_json(build_apart(config))

    assert warm == cold


def test_generate_refuses_a_docs_dir_that_leads_out_of_the_project(repo: Repo, okrdocs: Run, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    shutil.rmtree(repo.root / "docs")
    (repo.root / "docs").symlink_to(outside, target_is_directory=True)

    generated = okrdocs("generate", "--out", "docs/okrs")

    assert generated.status == 2
    assert f"--out docs/okrs leads to {outside.resolve()}/okrs, outside {repo.root.resolve()}" in generated.err
    assert list(outside.iterdir()) == []
    shutil.rmtree(outside)


def test_a_name_that_is_not_utf8_in_the_history_is_passed_over(repo: Repo) -> None:
    """A file the folder no longer has, whose name was not UTF-8: the history skips it, as
    the check refuses it, and the build goes on."""
    odd = repo.root / "okrs" / "company" / os.fsdecode(b"odd\xff.md")
    odd.write_text(MINIMAL_ORGANISATION["company/grow.md"], encoding="utf-8")
    repo.commit("A pull request", date="2026-03-02T10:00:00Z")
    odd.unlink()
    repo.commit("Reverted", date="2026-03-03T10:00:00Z")

    built = run_mkdocs(repo.root / "mkdocs.yml", "--strict", env={"SOURCE_DATE_EPOCH": os.environ["SOURCE_DATE_EPOCH"]})

    assert built.returncode == 0, built.stderr


def test_periods_print_with_four_digit_years() -> None:
    assert [str(Period.parse(text)) for text in ("0999", "0999-H2", "0999-Q2")] == ["0999", "0999-H2", "0999-Q2"]
