"""CODEOWNERS lines from `teams.yml`: each team's folder to the team's reviewers.

In docs-as-code, agreement is a review. A delegation or a dependency asks another team for
something, and okrdocs keeps the ask open until that team's own file answers it; with each
team's folder owned by the team's reviewers, that answer needs their approval. GitHub and
GitLab read the same syntax: a path pattern and owners, the last matching line winning.

The lines form one block between two marker lines, so a CODEOWNERS file can keep lines of
its own around it and `okrdocs codeowners --check` compares only the block.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..domain.cascade import Cascade
from ..domain.model import Team
from ..reading.loading import TEAMS_FILE, VISION_FILE

BEGIN = "# BEGIN okrdocs codeowners"
END = "# END okrdocs codeowners"
_SPECIAL = re.compile(r"([\\ #*?\[\]!])")
"""Characters a CODEOWNERS pattern reads as more than themselves (gitignore syntax)."""


@dataclass
class Ownership:
    """The block's lines, and the teams whose folder no one reviews."""

    lines: list[str] = field(default_factory=list)
    unowned: list[Team] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def reviewers_of(cascade: Cascade, team: Team) -> tuple[str, ...]:
    """The team's reviewers, or those of the nearest team above it that has some."""
    for member in reversed(cascade.team_chain(team)):
        if member.reviewers:
            return member.reviewers
    return ()


def top_team(cascade: Cascade) -> Team | None:
    """The first team of `teams.yml` that has no parent: the one whose reviewers own the
    files every team shares."""
    tops = cascade.subteams.get(None, [])
    return tops[0] if tops else None


def pattern(folder: str, name: str, is_folder: bool = False) -> str:
    """An anchored CODEOWNERS pattern for `name` inside `folder` (POSIX, relative to the
    repository's top); a folder's pattern ends in '/' and covers everything below it."""
    path = "/".join(part for part in (*folder.strip("/").split("/"), name) if part and part != ".")
    return "/" + _SPECIAL.sub(r"\\\1", path) + ("/" if is_folder else "")


def ownership(cascade: Cascade, folder: str) -> Ownership:
    """The block for an OKR folder at `folder` (relative to the repository's top, POSIX)."""
    result = Ownership([f"{BEGIN}: generated from {pattern(folder, TEAMS_FILE)[1:]}, do not edit by hand"])
    top = top_team(cascade)
    shared = reviewers_of(cascade, top) if top is not None else ()
    if shared:
        for name in (TEAMS_FILE, VISION_FILE):
            result.lines.append(f"{pattern(folder, name)} {' '.join(shared)}")
    for team in cascade.teams.values():
        owners = reviewers_of(cascade, team)
        if owners:
            result.lines.append(f"{pattern(folder, team.id, is_folder=True)} {' '.join(owners)}")
        else:
            result.unowned.append(team)
    result.lines.append(END)
    return result


def block_of(text: str) -> str:
    """The generated block of a CODEOWNERS file, marker lines included; the whole text
    when it has no complete block."""
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith(BEGIN)]
    ends = [i for i, line in enumerate(lines) if line.rstrip("\r\n") == END]
    if starts and ends and ends[-1] > starts[0]:
        block = "".join(lines[starts[0] : next(i for i in ends if i > starts[0]) + 1])
        return block if block.endswith("\n") else block + "\n"
    return text


def difference(expected: str, actual: str, name: str) -> str:
    """A unified diff from what `name` holds to what it should hold."""
    return "".join(
        difflib.unified_diff(
            actual.splitlines(keepends=True), expected.splitlines(keepends=True), f"{name} (now)", f"{name} (expected)"
        )
    )
