"""What okrdocs says in MkDocs' log: one prefix, and its debug lines under `mkdocs build -v`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gitrepo import Repo, history_site
from sitebuild import run_mkdocs

pytestmark = pytest.mark.slow  # builds whole sites


@pytest.fixture
def repo(tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Repo:
    return history_site(tmp_path, okr_folder, monkeypatch)


def test_messages_carry_one_prefix_and_debug_lines_show_under_verbose(repo: Repo) -> None:
    config = repo.root / "mkdocs.yml"
    assert run_mkdocs(config).returncode == 0
    (repo.root / ".cache" / "okrdocs" / "pages.json").write_text("[" * 100_000, encoding="utf-8")

    built = run_mkdocs(config, "-v")

    assert built.returncode == 0, built.stderr
    assert "okrdocs: okrdocs:" not in built.stderr
    assert f"DEBUG   -  okrdocs: the cache file {repo.root}/.cache/okrdocs/pages.json is not JSON okrdocs can read" in (
        built.stderr
    )
