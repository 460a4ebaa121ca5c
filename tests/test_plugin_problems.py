"""What `mkdocs build` prints about the OKR folder and the okrdocs options, run as a user runs it."""

from __future__ import annotations

import shutil
from pathlib import Path

from sitebuild import DEMO_OKRS, run_mkdocs, write_site

NO_DIAGRAMS = {"diagrams": False}


def test_another_file_in_a_logged_problem_is_shown_like_the_prefix(tmp_path: Path) -> None:
    okrs = tmp_path / "src"
    shutil.copytree(DEMO_OKRS, okrs)
    # The same file name in another folder: the same objective id.
    shutil.copy(okrs / "sales/win-regional-ev-share.md", okrs / "sales-emea/win-regional-ev-share.md")
    result = run_mkdocs(write_site(tmp_path / "site", okrs=okrs, plugin=NO_DIAGRAMS))
    assert result.returncode == 1
    assert (
        "ERROR   -  okrdocs: okrs/sales/win-regional-ev-share.md:1: OKR301 objective id 'win-regional-ev-share' is "
        "already used by okrs/sales-emea/win-regional-ev-share.md:1: rename this file or set a different 'id'\n"
    ) in result.stderr
