"""Running git on the checkout okrdocs builds from, and nowhere else.

Everything below the checkout's top is written by pull requests, and git obeys any folder
that looks like a repository: a pull request can commit `HEAD`, `config`, `objects/` and
`refs/` into the OKR folder or the cache folder, and git started inside it would read that
`config` (a `core.fsmonitor` command, a promisor remote's `uploadpack`) and its refs. So
the repository is found once, from the folder the user ran okrdocs for (the folder of
mkdocs.yml, or the working directory), and every later command names that repository's
git folder and top explicitly and runs from the top, with paths as pathspecs: git never
searches for a repository again. Those commands run with a fixed environment: no user or
system configuration, no lazy fetching, no replace objects, and settings that change
output (`log.showRoot`, `log.showSignature`) fixed, so the same commits always read the
same.

What okrdocs trusts: the checkout's own `.git` (the clone CI made) and the user's own git
configuration for finding it (`safe.directory`, as in a container job).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

_HARDENED = (
    "-c", "core.fsmonitor=false",
    "-c", "safe.bareRepository=explicit",
    "-c", "protocol.allow=never",
    "-c", "core.hooksPath=" + os.devnull,
    "-c", "log.showRoot=true",
    "-c", "log.showSignature=false",
)  # fmt: skip
"""Settings on every command line, over any configuration file: no program a configuration
names runs, no folder that looks like a bare repository is used, nothing is fetched."""

_FIXED_ENVIRONMENT = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_NO_REPLACE_OBJECTS": "1",
    "GIT_NO_LAZY_FETCH": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_ATTR_NOSYSTEM": "1",
    "LC_ALL": "C",
}


class GitError(Exception):
    """git cannot answer; the message says why and what to do."""


def looks_like_git_folder(folder: Path) -> bool:
    """Whether git would take `folder` for a repository of its own (a bare one): the test
    of git's `is_git_directory`, which a pull request can meet with committed files."""
    return (folder / "HEAD").is_file() and (folder / "objects").is_dir() and (folder / "refs").is_dir()


def _environment(ceiling: Path | None = None) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    environment.update(_FIXED_ENVIRONMENT)
    if ceiling is not None:
        environment["GIT_CEILING_DIRECTORIES"] = str(ceiling)
    return environment


@dataclass(frozen=True)
class Checkout:
    """The git repository okrdocs was run for, as found from the project's folder.

    `top` is None outside git; `unreadable` then says why when the folder is in a git work
    tree that git cannot read here (another user's repository, no git program).
    """

    top: Path | None
    git_folder: Path | None = None
    unreadable: str | None = None

    def run(self, *args: str, stdin: bytes | None = None) -> bytes:
        """`git ARGS` on this repository; its output, or `GitError` with git's last line."""
        try:
            done = subprocess.run(
                self._command(*args), cwd=self._top, input=stdin, capture_output=True, check=False, env=self._env()
            )
        except FileNotFoundError:
            raise GitError("git is not installed or not on PATH") from None
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(message[-1] if message else f"git {args[0]} failed with status {done.returncode}")
        return done.stdout

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        """`git ARGS` on this repository, as a process with pipes to write to and read from."""
        try:
            return subprocess.Popen(
                self._command(*args),
                cwd=self._top,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=self._env(),
            )
        except FileNotFoundError:
            raise GitError("git is not installed or not on PATH") from None

    def relative(self, path: Path, *, follow: bool = True) -> str | None:
        """`path` relative to the top, as a POSIX pathspec ('' for the top); None outside.
        Symbolic links on the way are resolved, the last one too unless not `follow`."""
        if self.top is None:
            return None
        real = path.resolve() if follow else path.absolute().parent.resolve() / path.name
        try:
            relative = real.relative_to(self.top)
        except ValueError:
            return None
        text = PurePosixPath(*relative.parts).as_posix()
        return "" if text == "." else text

    @property
    def _top(self) -> Path:
        if self.top is None:
            raise GitError(self.unreadable or "not in a git repository")
        return self.top

    def _command(self, *args: str) -> list[str]:
        # Named explicitly, so git never looks for a repository in a folder a pull request wrote.
        where = [f"--git-dir={self.git_folder}", f"--work-tree={self._top}"]
        return ["git", *_HARDENED, *where, "--literal-pathspecs", *args]

    def _env(self) -> dict[str, str]:
        return _environment(self._top.parent)


def find_checkout(project: Path) -> Checkout:
    """The repository that holds `project` (the folder of mkdocs.yml, or where the user ran
    okrdocs), found by git's own search from there, once.

    This one search keeps the user's configuration, so a `safe.directory` they set for a
    repository owned by another user (a container job) still counts.
    """
    start = project.resolve()
    while not start.is_dir() and start != start.parent:
        start = start.parent
    environment = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    environment["LC_ALL"] = "C"
    try:
        done = subprocess.run(
            ["git", *_HARDENED, "rev-parse", "--show-toplevel", "--absolute-git-dir"],
            cwd=start,
            capture_output=True,
            check=False,
            env=environment,
        )
    except FileNotFoundError:
        return _outside_or_unreadable(start, "git is not installed or not on PATH")
    lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    if done.returncode != 0 or len(lines) != 2:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return _outside_or_unreadable(start, message[-1] if message else "git rev-parse failed")
    top, git_folder = Path(lines[0]).resolve(), Path(lines[1])
    if not (top / ".git").exists():
        # A work tree named by a `core.worktree` in a folder that looks like a repository.
        return _outside_or_unreadable(start, f"{git_folder} is not the .git folder of a checkout")
    return Checkout(top, git_folder)


def _outside_or_unreadable(start: Path, why: str) -> Checkout:
    if any((folder / ".git").exists() for folder in (start, *start.parents)):
        return Checkout(None, unreadable=f"git cannot read the repository here ({why})")
    return Checkout(None)
