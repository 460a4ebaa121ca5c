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


def test_a_key_result_range_that_is_no_range_is_a_configuration_error(tmp_path: Path) -> None:
    plugin = {**NO_DIAGRAMS, "min_key_results": 4, "max_key_results": 2}
    result = run_mkdocs(write_site(tmp_path, plugin=plugin))
    assert (result.returncode, result.stderr, result.stdout) == (
        1,
        "ERROR   -  Config value 'plugins': Plugin 'okrdocs' option 'min_key_results': min_key_results (4) is greater "
        "than max_key_results (2): no objective could be in range; lower min_key_results or raise max_key_results\n",
        "\nAborted with a configuration error!\n",
    )
    assert not (tmp_path / "site").exists()


def test_a_negative_key_result_count_is_a_configuration_error(tmp_path: Path) -> None:
    result = run_mkdocs(write_site(tmp_path, plugin={**NO_DIAGRAMS, "max_key_results": -1}))
    assert result.returncode == 1
    assert result.stderr == (
        "ERROR   -  Config value 'plugins': Plugin 'okrdocs' option 'max_key_results': max_key_results is -1: "
        "write 0 or a larger whole number\n"
    )
