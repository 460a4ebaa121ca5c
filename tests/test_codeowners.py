"""`okrdocs codeowners`: CODEOWNERS lines from teams.yml' reviewers, in a real git repository,
and `--check FILE` as the pull-request workflow runs it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitrepo import new_repo

TEAMS = """
    teams:
      - id: company
        name: Acme
        reviewers: ["@acme/leads", "@pat"]
      - id: sales
        name: Sales
        parent: company
        reviewers: "@acme/sales-leads"
      - id: sales-emea
        name: Sales EMEA
        parent: sales
      - id: support
        name: Support
        parent: company
        reviewers: ["@dana"]
    """

BLOCK = """\
# BEGIN okrdocs codeowners: generated from okrs/teams.yml, do not edit by hand
/okrs/teams.yml @acme/leads @pat
/okrs/vision.md @acme/leads @pat
/okrs/company/ @acme/leads @pat
/okrs/sales/ @acme/sales-leads
/okrs/sales-emea/ @acme/sales-leads
/okrs/support/ @dana
# END okrdocs codeowners
"""


@pytest.fixture
def repository(tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = new_repo(tmp_path, okr_folder, monkeypatch)
    okr_folder({"teams.yml": TEAMS})
    repo.commit("The OKRs")
    return tmp_path


def test_each_team_folder_goes_to_its_reviewers_or_those_above(repository: Path, okrdocs: Any) -> None:
    run = okrdocs("codeowners", "--okrs", "okrs")
    assert (run.status, run.out, run.err) == (0, BLOCK, "")


def test_a_team_without_reviewers_anywhere_above_is_reported(
    repository: Path, okr_folder: Callable[..., Path], okrdocs: Any
) -> None:
    okr_folder({"teams.yml": TEAMS.replace('        reviewers: ["@acme/leads", "@pat"]\n', "")})
    run = okrdocs("codeowners", "--okrs", "okrs")
    assert run.status == 0
    assert run.out.splitlines() == [
        "# BEGIN okrdocs codeowners: generated from okrs/teams.yml, do not edit by hand",
        "/okrs/sales/ @acme/sales-leads",
        "/okrs/sales-emea/ @acme/sales-leads",
        "/okrs/support/ @dana",
        "# END okrdocs codeowners",
    ]
    assert run.err == (
        "okrdocs: team 'company' (okrs/teams.yml:2) has no reviewers, nor has any team above it: its folder gets "
        "no CODEOWNERS line; add 'reviewers:' to it or to a team above\n"
    )


def test_paths_start_at_the_top_of_the_repository(
    repository: Path, okr_folder: Callable[..., Path], okrdocs: Any
) -> None:
    project = repository / "handbook"
    (project / "okrs").mkdir(parents=True)
    for name in ("teams.yml", "vision.md"):
        (repository / "okrs" / name).rename(project / "okrs" / name)
    (project / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - okrdocs\n", encoding="utf-8")
    run = okrdocs("codeowners", "-f", "handbook/mkdocs.yml")
    assert run.status == 0, run.err
    assert run.out.splitlines()[1:3] == [
        "/handbook/okrs/teams.yml @acme/leads @pat",
        "/handbook/okrs/vision.md @acme/leads @pat",
    ]


def test_check_accepts_a_file_whose_block_is_up_to_date(repository: Path, okrdocs: Any) -> None:
    owners = repository / ".github" / "CODEOWNERS"
    owners.parent.mkdir()
    owners.write_text(f"# our own lines stay\n/src/ @acme/devs\n\n{BLOCK}\n/docs/ @acme/writers\n", encoding="utf-8")
    run = okrdocs("codeowners", "--okrs", "okrs", "--check", ".github/CODEOWNERS")
    assert (run.status, run.out, run.err) == (0, "", "")


def test_check_shows_the_difference_and_fails_when_out_of_date(
    repository: Path, okr_folder: Callable[..., Path], okrdocs: Any
) -> None:
    (repository / "CODEOWNERS").write_text(BLOCK, encoding="utf-8")
    okr_folder({"teams.yml": TEAMS.replace('reviewers: ["@dana"]', 'reviewers: ["@dana", "@acme/support"]')})
    run = okrdocs("codeowners", "--okrs", "okrs", "--check", "CODEOWNERS")
    assert run.status == 1
    assert run.out.splitlines() == [
        "--- CODEOWNERS (now)",
        "+++ CODEOWNERS (expected)",
        "@@ -4,5 +4,5 @@",
        " /okrs/company/ @acme/leads @pat",
        " /okrs/sales/ @acme/sales-leads",
        " /okrs/sales-emea/ @acme/sales-leads",
        "-/okrs/support/ @dana",
        "+/okrs/support/ @dana @acme/support",
        " # END okrdocs codeowners",
    ]
    assert run.err.startswith("okrdocs: CODEOWNERS is out of date: put the output of 'okrdocs codeowners' in it")


def test_check_fails_on_a_missing_file(repository: Path, okrdocs: Any) -> None:
    run = okrdocs("codeowners", "--okrs", "okrs", "--check", ".github/CODEOWNERS")
    assert run.status == 1
    assert run.err == "okrdocs: error: cannot read .github/CODEOWNERS: No such file or directory\n"


@pytest.mark.parametrize(
    ("reviewers", "shown"),
    [('"dana"', "'dana'"), ('"@dana smith"', "'@dana smith'"), ("[]", "an empty list"), ('["@"]', "a list")],
)
def test_a_bad_handle_is_reported_and_nothing_printed(
    reviewers: str, shown: str, repository: Path, okr_folder: Callable[..., Path], okrdocs: Any
) -> None:
    okr_folder({"teams.yml": TEAMS.replace('["@dana"]', reviewers)})
    run = okrdocs("codeowners", "--okrs", "okrs")
    assert run.status == 1
    assert run.out == (
        f"okrs/teams.yml:15: OKR202 'reviewers' is {shown}; write a forge handle like '@dana' or "
        "'@acme/sales-leads' ('@' and a name, no spaces), or a list of them\n"
    )
    assert run.err == "okrdocs: error: fix teams.yml first: the CODEOWNERS lines come from it\n"
