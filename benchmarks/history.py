"""The benchmark's history mode: the generated organisation committed to git as check-ins.

The first commit adds every file; each later one changes a share of the objective files
(a key result's score, or a line of the body when it has no score), a day apart, with
fixed dates, so the history and its figures are the same on every run.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

COMMITS = 30
SHARE_CHANGED = 0.10
FIRST_DAY = 1767607200  # 2026-01-05T10:00:00Z
_SCORE = re.compile(r"^(    (?:progress|current): )(\S+)$", re.MULTILINE)

READ_HISTORY = """
import sys, time
from pathlib import Path
from okrdocs.core.history.git import find_checkout
from okrdocs.core.history.checkins import read_history
started = time.perf_counter()
history = read_history(find_checkout(Path.cwd()), Path(sys.argv[1]), Path(sys.argv[2]) if sys.argv[2] else None)
print(f"commits_read={history.commits_read} seconds={time.perf_counter() - started:.3f}")
"""
"""Run by a child process: read the folder's history (with the cache folder, if given)."""


def _git(top: Path, *args: str, date: int | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{date} +0000"
    subprocess.run(
        ["git", "-c", "user.name=Benchmark", "-c", "user.email=bench@example.com", *args],
        cwd=top, env=env, check=True, capture_output=True,
    )  # fmt: skip


def _check_in(path: Path, rng: random.Random, number: int) -> None:
    """A new score for the file's first scored key result, or a note in its body."""
    text = path.read_text(encoding="utf-8")

    def new_score(match: re.Match[str]) -> str:
        value = float(match[2])
        moved = (
            round(min(1.0, value + rng.uniform(0.01, 0.2)), 2)
            if match[1].endswith("progress: ")
            else value + rng.randint(1, 5)
        )
        return f"{match[1]}{moved:g}"

    changed, count = _SCORE.subn(new_score, text, count=1)
    # A score already at its end (progress 1) does not move: a note then, so every check-in changes the file.
    path.write_text(changed if count and changed != text else f"{text}\nCheck-in {number}.\n", encoding="utf-8")


def commit_history(
    top: Path,
    okrs: Path,
    log: Callable[[str], None],
    commits: int = COMMITS,
    seed: int = 1,
    files_per_commit: int | None = None,
) -> None:
    """`commits` commits of the folder below `top`, each after the first changing
    `files_per_commit` of its objective files (default: SHARE_CHANGED of them)."""
    (top / ".gitignore").write_text("/*\n!/okrs/\n!/.gitignore\n", encoding="utf-8")
    _git(top, "init", "-q", "-b", "main")
    files = sorted(p for p in okrs.rglob("*.md") if p.name != "vision.md")
    rng = random.Random(seed)
    changed = files_per_commit or max(1, round(len(files) * SHARE_CHANGED))
    for number in range(commits):
        picked = rng.sample(files, changed) if number else []
        for path in picked:
            _check_in(path, rng, number)
        _git(top, "add", "--all", "--", *(str(path.relative_to(top)) for path in picked))
        _git(top, "commit", "-q", "-m", f"Check-in {number + 1}", date=FIRST_DAY + number * 86_400)
    log(f"committed the folder over {commits} commits, each after the first changing {changed} of {len(files)} files")


def one_more_check_in(top: Path, okrs: Path, seed: int = 2) -> None:
    """One commit after the others: what a warm rebuild has to read."""
    rng = random.Random(seed)
    files = sorted(p for p in okrs.rglob("*.md") if p.name != "vision.md")
    for path in rng.sample(files, max(1, round(len(files) * SHARE_CHANGED))):
        _check_in(path, rng, COMMITS + 1)
    _git(top, "add", "--all", ".")
    _git(top, "commit", "-q", "-m", "One more check-in", date=FIRST_DAY + COMMITS * 86_400)
