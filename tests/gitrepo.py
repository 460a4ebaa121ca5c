"""A git repository in a test's tmp_path whose OKR folder is written with `okr_folder`.

Commits can carry a fixed date (`GIT_AUTHOR_DATE` and `GIT_COMMITTER_DATE`), so tests of
history, `updated` and staleness see the same dates on every run.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest


class Repo:
    def __init__(self, root: Path, okr_folder: Callable[..., Path]) -> None:
        self.root = root
        self.okr_folder = okr_folder
        self.commits: list[str] = []

    def git(self, *args: str, date: str | None = None) -> str:
        env = dict(os.environ)
        if date is not None:
            env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
        done = subprocess.run(
            ["git", "-c", "user.name=Test Author", "-c", "user.email=author@example.com", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        return done.stdout.strip()

    def write(self, files: dict[str, str | None]) -> None:
        self.okr_folder(files, minimal=False)

    def commit(self, message: str, files: dict[str, str | None] | None = None, date: str | None = None) -> str:
        """Commit everything (after writing `files` into the OKR folder); `date` like 2026-01-05T10:00:00Z."""
        if files:
            self.write(files)
        self.git("add", "--all", ".")
        self.git("commit", "-q", "--allow-empty", "-m", message, date=date)
        return self.git("rev-parse", "HEAD")

    def short(self, revision: str = "HEAD") -> str:
        return self.git("rev-parse", "--short=7", revision)


def new_repo(root: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Repo:
    """An empty repository at `root`, with no user or system git configuration."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repository = Repo(root, okr_folder)
    repository.git("init", "-q", "-b", "main")
    return repository


# -- a quarter of check-ins ----------------------------------------------------------

JAN_5, JAN_20, MAR_1 = "2026-01-05T10:00:00Z", "2026-01-20T10:00:00Z", "2026-03-01T10:00:00Z"
MAR_15 = 1773532800
"""2026-03-15T00:00:00Z, as SOURCE_DATE_EPOCH: 54 days after JAN_20, 14 after MAR_1."""


def _sales_objective(period: str, title: str) -> str:
    return f"""
        ---
        title: {title}
        team: sales
        period: {period}
        parent: vision
        key_results:
          - id: kr1
            title: Do it
            progress: 0.5
        ---
        """


OTHER_PERIODS = {
    "sales/summer-2025.md": _sales_objective("2025-Q3", "Open the summer pop-up"),
    "sales/last-quarter.md": _sales_objective("2025-Q4", "Close the year strong"),
    "sales/next-quarter.md": _sales_objective("2026-Q2", "Prepare the spring launch"),
}


def check_in_history(repo: Repo, minimal_files: dict[str, str]) -> list[str]:
    """Three commits of the minimal organisation (plus objectives of other periods) in 2026-Q1:

    - JAN_5: everything; sell-more#kr1 is 4 of 10, help#kr1 0.25, grow#kr2 0.5;
    - JAN_20: sell-more#kr1 is 6 of 10 (so grow#kr1, derived from it, moves too);
    - MAR_1: help#kr1 is 0.5, and grow is retitled (its scores stay).
    Returns the three commit ids.
    """
    (repo.root / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    repo.okr_folder(OTHER_PERIODS)
    first = repo.commit("Q1 OKRs", date=JAN_5)
    second = repo.commit(
        "Sales check-in",
        {"sales/sell-more.md": minimal_files["sales/sell-more.md"].replace("current: 4", "current: 6")},
        date=JAN_20,
    )
    third = repo.commit(
        "Support check-in",
        {
            "support/help.md": minimal_files["support/help.md"].replace("progress: 0.25", "progress: 0.5"),
            "company/grow.md": minimal_files["company/grow.md"].replace("Grow the business", "Grow the whole business"),
        },
        date=MAR_1,
    )
    return [first, second, third]


def history_site(
    root: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, plugin: dict | None = None
) -> Repo:
    """`check_in_history` in a new repository at `root`, a site (mkdocs.yml, docs/) next to
    it, and SOURCE_DATE_EPOCH at MAR_15; the commit ids are in `repo.commits`."""
    from conftest import MINIMAL_ORGANISATION
    from sitebuild import write_site

    repository = new_repo(root, okr_folder, monkeypatch)
    repository.commits = check_in_history(repository, MINIMAL_ORGANISATION)
    write_site(root, okrs=None, plugin=plugin or {"diagrams": False})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(MAR_15))
    return repository
