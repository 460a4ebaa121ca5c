"""`okrdocs codeowners [--check FILE]`: CODEOWNERS lines that give each team's folder to its
reviewers (`core.rules.codeowners`), or whether FILE holds them."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from ..core.domain.problems import format_problems
from ..core.reading.loading import TEAMS_FILE
from ..core.rules.check import check_folder
from ..core.rules.codeowners import block_of, difference, ownership
from .commands import EXIT_OK, EXIT_REFUSED, EXIT_USAGE, add_config_file_option
from .settings import CheckSettings, SettingsError, read_settings


def add_codeowners(commands: Any) -> None:
    codeowners = commands.add_parser(
        "codeowners",
        help="print CODEOWNERS lines that give each team's folder to the team's reviewers",
        description=(
            "Print a CODEOWNERS block: each team's folder (OKRS/<team-id>/) to the 'reviewers' of the team, or of "
            "the nearest team above it that has some; teams.yml and vision.md to the top team's. With --check "
            "FILE, print nothing but the difference and exit 1 when FILE's block (or FILE, when it has no block) "
            "is out of date."
        ),
    )
    source = codeowners.add_mutually_exclusive_group()
    source.add_argument("--okrs", metavar="DIR", help="the OKR folder")
    add_config_file_option(source)
    codeowners.add_argument("--check", metavar="FILE", help="compare with FILE (.github/CODEOWNERS, say)")
    codeowners.set_defaults(run=_run_codeowners)


def _run_codeowners(arguments: argparse.Namespace) -> int:
    try:
        settings = read_settings(arguments.okrs, arguments.config_file)
    except SettingsError as error:
        print(f"okrdocs: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    folder = settings.okrs_folder
    if not folder.is_dir():
        print(f"okrdocs: error: the OKR folder '{settings.okrs_dir}' does not exist", file=sys.stderr)
        return EXIT_USAGE
    result = check_folder(folder, settings.kr_range)
    team_problems = [p for p in result.errors if p.path == TEAMS_FILE]
    if team_problems or not result.cascade.teams:
        if team_problems:
            print(format_problems(team_problems, "text", settings.okrs_dir))
        print(f"okrdocs: error: fix {TEAMS_FILE} first: the CODEOWNERS lines come from it", file=sys.stderr)
        return EXIT_REFUSED
    owned = ownership(result.cascade, _from_top(settings, folder))
    for team in owned.unowned:
        print(
            f"okrdocs: team '{team.id}' ({settings.okrs_dir}/{TEAMS_FILE}:{team.where.line}) has no reviewers, nor "
            "has any team above it: its folder gets no CODEOWNERS line; add 'reviewers:' to it or to a team above",
            file=sys.stderr,
        )
    if arguments.check is None:
        print(owned.text, end="")
        return EXIT_OK
    return _check_file(Path(arguments.check), owned.text)


def _check_file(file: Path, expected: str) -> int:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"okrdocs: error: cannot read {file}: {getattr(error, 'strerror', None) or error}", file=sys.stderr)
        return EXIT_REFUSED
    actual = block_of(text)
    if actual == expected:
        return EXIT_OK
    print(difference(expected, actual, str(file)), end="")
    print(
        f"okrdocs: {file} is out of date: put the output of 'okrdocs codeowners' in it, in place of the lines "
        "between the BEGIN and END markers",
        file=sys.stderr,
    )
    return EXIT_REFUSED


def _from_top(settings: CheckSettings, folder: Path) -> str:
    """The OKR folder from the repository's top (from the current folder outside git), POSIX."""
    top = settings.checkout.top or Path.cwd()
    return Path(os.path.relpath(folder.resolve(), top.resolve())).as_posix()
