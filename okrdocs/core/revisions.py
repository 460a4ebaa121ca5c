"""Reading the OKR folder as it was at a git revision, without a checkout.

`git ls-tree` lists the folder's files at the revision and one `git cat-file --batch`
process streams their contents into a temporary folder, which `check_folder` then reads
like any other: thousands of files cost one process each way, not one per file.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


class GitError(Exception):
    """git cannot answer; the message says why and what to do."""


@dataclass(frozen=True)
class GitFolder:
    """A folder inside a git repository: the repository's top folder and the folder's path in it."""

    top: Path
    path: str
    """POSIX path relative to `top`; '' when the folder is the repository's top."""


def run_git(top: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """`git ARGS` in `top`; its output, or `GitError` with the last line git printed."""
    try:
        done = subprocess.run(["git", *args], cwd=top, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed with status {done.returncode}")
    return done.stdout


def locate(folder: Path) -> GitFolder:
    """The repository holding `folder` (which need not exist in the working tree)."""
    absolute = folder.resolve()
    start = absolute
    while not start.is_dir() and start != start.parent:
        start = start.parent
    try:
        top = Path(run_git(start, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    except GitError:
        raise GitError(f"{folder} is not inside a git repository: okrdocs diff compares git revisions") from None
    try:
        relative = absolute.relative_to(top)
    except ValueError:
        raise GitError(f"{folder} lies outside the git repository at {top}") from None
    path = PurePosixPath(*relative.parts).as_posix()
    return GitFolder(top, "" if path == "." else path)


def commit_of(repository: GitFolder, revision: str) -> str:
    """The full commit id a revision names; a clear error for a typo or a shallow clone."""
    if revision.startswith("-"):
        raise GitError(f"'{revision}' is not a git revision")
    try:
        return run_git(repository.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(
            f"unknown revision '{revision}': give a branch, tag or commit (in a CI checkout, "
            "fetch the history first, e.g. actions/checkout with fetch-depth: 0)"
        ) from None


def export_folder(repository: GitFolder, commit: str, destination: Path) -> bool:
    """Write the folder's files at `commit` into `destination`; False if it did not exist then."""
    pathspec = [repository.path] if repository.path else []
    listing = run_git(repository.top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *pathspec)
    blobs: list[tuple[str, str]] = []
    prefix = f"{repository.path}/" if repository.path else ""
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, object_id = meta.decode().split()
        path = name.decode("utf-8", "surrogateescape")
        if kind != "blob" or mode not in ("100644", "100755") or not path.startswith(prefix):
            continue  # symlinks, submodules
        blobs.append((object_id, path[len(prefix) :]))
    if not blobs:
        return False
    made: set[Path] = set()
    contents = dict(read_blobs(repository, [object_id for object_id, _ in blobs]))
    for object_id, relative in blobs:
        target = destination / relative
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(contents[object_id])
    return True


def read_blobs(repository: GitFolder, blob_ids: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """Each blob's id and bytes (each id once), streamed from one `git cat-file --batch`:
    only one blob is held at a time, however many thousands the history has."""
    wanted = list(dict.fromkeys(blob_ids))
    if not wanted:
        return
    try:
        process = subprocess.Popen(
            ["git", "cat-file", "--batch"], cwd=repository.top, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH") from None
    assert process.stdin is not None and process.stdout is not None
    requests, output = process.stdin, process.stdout

    def feed() -> None:
        # On its own thread: git answers while it reads, and a full pipe each way would stall both.
        try:
            requests.write("".join(f"{object_id}\n" for object_id in wanted).encode())
            requests.close()
        except OSError:  # git stopped early; reading says why
            pass

    threading.Thread(target=feed, name="okrdocs-cat-file", daemon=True).start()
    try:
        for object_id in wanted:
            header = output.readline().split()
            if len(header) != 3 or header[0].decode() != object_id:
                raise GitError(f"unexpected output from git cat-file for object {object_id}")
            data = output.read(int(header[2]))
            output.read(1)  # the newline after each object
            yield object_id, data
    finally:
        output.close()
        process.wait()
