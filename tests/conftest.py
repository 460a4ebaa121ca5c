"""Shared fixtures: build OKR folders in tmp_path and run the `okrdocs` command in-process.

    def test_something(okr_folder, okrdocs):
        okr_folder({"sales/q1.md": '''
            ---
            team: sales
            ...
            '''})
        run = okrdocs("check", "--okrs", "okrs")
        assert run.lines == ["okrs/sales/q1.md:3: OKR401 ..."]

`okr_folder` writes MINIMAL_ORGANISATION (a valid organisation) into tmp_path/okrs plus the
given files; texts are dedented and their leading newline dropped, so the opening `---`
is line 1. `okrdocs` runs in tmp_path, so `--okrs okrs` prints paths like `okrs/...`.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from okrdocs.cli import main

FileTexts = Mapping[str, "str | bytes | None"]

A_DAY_IN_2026_Q1 = 1773532800
"""2026-03-15T00:00:00Z: the build date of a test that sets none (tests/gitrepo.py's MAR_15)."""


@pytest.fixture(autouse=True)
def _a_fixed_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """Periods close with the build date (coaching rule OKR707), so a test that sets no
    SOURCE_DATE_EPOCH builds on a fixed day inside 2026-Q1, the period of most test data,
    and says the same whatever day it runs."""
    if "SOURCE_DATE_EPOCH" not in os.environ:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(A_DAY_IN_2026_Q1))


MINIMAL_ORGANISATION: dict[str, str] = {
    "teams.yml": """
        teams:
          - id: company
            name: Acme
          - id: sales
            name: Sales
            parent: company
          - id: support
            name: Support
            parent: company
        """,
    "vision.md": """
        ---
        vision: Everyone gets what they need.
        ---
        """,
    # A company objective with a delegated KR (picked up tightly by sales) and an owned one.
    "company/grow.md": """
        ---
        title: Grow the business
        team: company
        period: 2026
        parent: vision
        key_results:
          - id: kr1
            title: Double revenue
            delegated_to: sales
          - id: kr2
            title: Open a second office
            progress: 0.5
        ---
        """,
    "sales/sell-more.md": """
        ---
        title: Double revenue
        team: sales
        period: 2026-Q1
        parent: grow#kr1
        key_results:
          - id: kr1
            title: Sign ten new customers
            start: 0
            target: 10
            current: 4
        ---
        """,
    # Loose alignment: support aligns to the company objective as a whole.
    "support/help.md": """
        ---
        title: Help customers faster
        team: support
        period: 2026-H1
        parent: grow
        key_results:
          - id: kr1
            title: Answer every ticket within a day
            progress: 0.25
        ---
        """,
}


def write_files(folder: Path, files: FileTexts) -> None:
    """Write {relative path: text}; str is dedented, bytes written as is, None deletes."""
    for relative, text in files.items():
        path = folder / relative
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def okr_folder(tmp_path: Path) -> Callable[..., Path]:
    """Write an OKR folder at tmp_path/okrs: the minimal organisation plus `files`.

    Pass `minimal=False` for a folder with only `files` (or to change files of a folder
    already written). Returns the folder.
    """

    def write(files: FileTexts | None = None, *, minimal: bool = True) -> Path:
        folder = tmp_path / "okrs"
        folder.mkdir(exist_ok=True)
        if minimal:
            write_files(folder, {k: v for k, v in MINIMAL_ORGANISATION.items() if k not in (files or {})})
        write_files(folder, files or {})
        return folder

    return write


@dataclass
class CliRun:
    status: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        """The lines printed on stdout (the problems, in text format)."""
        return self.out.splitlines()


@pytest.fixture
def okrdocs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., CliRun]:
    """Run `okrdocs ARGS...` in-process with tmp_path as the current folder."""
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> CliRun:
        capsys.readouterr()
        try:
            status = main(list(args))
        except SystemExit as exit_:  # argparse's usage errors
            status = exit_.code if isinstance(exit_.code, int) else 2
        captured = capsys.readouterr()
        return CliRun(status, captured.out, captured.err)

    return run
