"""Reading the OKR folder as it was at a git revision, without a checkout.

`git ls-tree` lists the folder's files at the revision and one `git cat-file --batch`
process streams their contents into a temporary folder, which `check_folder` then reads
like any other: thousands of files cost one process each way, not one per file.
"""

from __future__ import annotations

import posixpath
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..domain import problems as codes
from ..domain.names import relative_path_problem
from ..domain.problems import Problem
from .git import Checkout, GitError


@dataclass(frozen=True)
class GitFolder:
    """A folder inside the checkout's repository: the checkout and the folder's path in it."""

    checkout: Checkout
    path: str
    """POSIX path relative to the checkout's top; '' when the folder is the top."""

    @property
    def top(self) -> Path | None:
        return self.checkout.top

    def git(self, *args: str, stdin: bytes | None = None) -> bytes:
        return self.checkout.run(*args, stdin=stdin)


def locate(checkout: Checkout, folder: Path) -> GitFolder:
    """`folder` (which need not exist in the working tree) in the checkout's repository."""
    if checkout.top is None:
        raise GitError(
            checkout.unreadable or f"{folder} is not inside a git repository: okrdocs diff compares git revisions"
        )
    path = checkout.relative(folder)
    if path is None:
        raise GitError(f"{folder} lies outside the git repository at {checkout.top}")
    return GitFolder(checkout, path)


def commit_of(repository: GitFolder, revision: str) -> str:
    """The full commit id a revision names; a clear error for a typo or a shallow clone."""
    if revision.startswith("-"):
        raise GitError(f"'{revision}' is not a git revision")
    try:
        return (
            repository.git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
            .decode()
            .strip()
        )
    except GitError:
        raise GitError(
            f"unknown revision '{revision}': give a branch, tag or commit (in a CI checkout, "
            "fetch the history first, e.g. actions/checkout with fetch-depth: 0)"
        ) from None


@dataclass
class Export:
    """What `export_folder` wrote: whether the folder existed, and the entries it refused."""

    found: bool
    refused: list[Problem] = field(default_factory=list)

    def __bool__(self) -> bool:
        """True when the folder existed at the commit (what this function used to return)."""
        return self.found


def export_folder(repository: GitFolder, commit: str, destination: Path) -> Export:
    """Write the folder's files at `commit` into `destination`.

    A commit is untrusted input: `git mktree` accepts entry names such as `..` that a
    checkout would refuse. Each path passes `names.relative_path_problem` before anything
    is written, and a name that is both a file and a folder, or twice a file, is refused
    rather than written over, so nothing lands outside `destination`. Each refused entry
    becomes a problem of the revision, reported with the others.
    """
    pathspec = [repository.path] if repository.path else []
    listing = repository.git("ls-tree", "-r", "-z", "--full-tree", commit, "--", *pathspec)
    blobs: list[tuple[str, str]] = []
    export = Export(found=False)
    prefix = f"{repository.path}/" if repository.path else ""
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name = entry.partition(b"\t")
        mode, kind, object_id = meta.decode().split()
        path = name.decode("utf-8", "surrogateescape")
        if kind != "blob" or mode not in ("100644", "100755") or not path.startswith(prefix):
            continue  # symlinks, submodules
        export.found = True
        relative = path[len(prefix) :]
        problem = relative_path_problem(relative)
        if problem is not None:
            export.refused.append(_refused(relative, f"{problem} in the git tree"))
        else:
            blobs.append((object_id, relative))
    if not blobs:
        return export
    contents = repository.git("cat-file", "--batch", stdin="".join(f"{oid}\n" for oid, _ in blobs).encode())
    offset = 0
    folders: set[str] = {""}
    written: set[str] = set()
    for object_id, relative in blobs:
        header_end = contents.index(b"\n", offset)
        header = contents[offset:header_end].split()
        if header[0].decode() != object_id or len(header) != 3:
            raise GitError(f"unexpected output from git cat-file for {relative}")
        size = int(header[2])
        start = header_end + 1
        offset = start + size + 1  # the newline after each object
        clash = _clash(relative, folders, written)
        if clash is not None:
            export.refused.append(_refused(relative, clash))
            continue
        target = destination / relative
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "xb") as file:  # never through or over anything already there
                file.write(contents[start : start + size])
        except OSError as error:  # e.g. two names that differ only in case, on macOS
            export.refused.append(_refused(relative, f"a name this file system refuses ({error.strerror or error})"))
            continue
        written.add(relative)
        parent = posixpath.dirname(relative)
        while parent not in folders:
            folders.add(parent)
            parent = posixpath.dirname(parent)
    return export


def _clash(relative: str, folders: set[str], written: set[str]) -> str | None:
    """Why `relative` cannot be written next to what is written already, or None."""
    if relative in written:
        return "a second file of the same name in the git tree"
    if relative in folders:
        return "a file with the name of a folder in the git tree"
    parent = posixpath.dirname(relative)
    while parent:
        if parent in written:
            return f"a file inside '{parent}', which the git tree also has as a file"
        parent = posixpath.dirname(parent)
    return None


def _refused(relative: str, why: str) -> Problem:
    return Problem.of(
        codes.UNREADABLE_FILE,
        relative,
        1,
        f"{why}: okrdocs diff did not write this entry of the revision; "
        "a checkout refuses such names, so the commit was most likely made by hand",
    )


def read_blobs(repository: GitFolder, blob_ids: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    """Each blob's id and bytes (each id once), streamed from one `git cat-file --batch`:
    only one blob is held at a time, however many thousands the history has."""
    wanted = list(dict.fromkeys(blob_ids))
    if not wanted:
        return
    process = repository.checkout.start("cat-file", "--batch")
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
