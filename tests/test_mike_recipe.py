"""The README's mike recipe for a past quarter, followed in a repository with check-ins in
2026-Q1 and one in 2026-Q2 (with `mkdocs build` in place of `mike deploy`): the site is
as of the quarter's last commit, with 2026-Q1 current and that day's scores."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINIMAL_ORGANISATION
from gitrepo import history_site
from sitebuild import QUIET, REPO, html_of

pytestmark = pytest.mark.slow  # builds two sites from git histories

README = (REPO / "README.md").read_text(encoding="utf-8")
APR_10 = "2026-04-10T10:00:00Z"


def past_quarter_lines() -> list[str]:
    section = README[README.index("#### One version per quarter: mike") :]
    block = section[section.index("A past quarter") :]
    block = block[block.index("```bash\n") + 8 :]
    return block[: block.index("```")].splitlines()


def test_a_past_quarter_is_built_as_of_its_last_commit(
    okr_folder: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = history_site(tmp_path, okr_folder, monkeypatch)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")  # today, as on a CI runner
    help_file = MINIMAL_ORGANISATION["support/help.md"]
    repo.write({"support/help.md": help_file.replace("progress: 0.25", "progress: 0.9")})
    repo.git("add", "okrs")  # mkdocs.yml and docs/ stay as they are, untracked
    repo.git("commit", "-q", "-m", "Q2 check-in", date=APR_10)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, **QUIET, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    lines = past_quarter_lines()
    assert lines[2].endswith(" mike deploy --push 2026-Q1")
    script = "\n".join(line.replace("mike deploy --push 2026-Q1", "mkdocs build -q") for line in lines)
    done = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert repo.git("rev-parse", "--abbrev-ref", "HEAD") == "main"
    periods = html_of(tmp_path / "site", "periods/")
    assert re.search(r"2026-Q1</a>\s*<span class=\"okr-current\">current</span>", periods), periods
    assert "2026-Q2</a> <span" not in periods
    help_page = html_of(tmp_path / "site", "okrs/help/")
    assert "50%" in help_page and "90%" not in help_page  # MAR_1's score, not April's
