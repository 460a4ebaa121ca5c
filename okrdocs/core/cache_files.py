"""Writing okrdocs' cache files (parsed OKR files, history, diagrams) whole or not at all.

Another build may read a cache file while this one writes it, and a build may be stopped
half-way: each file is written to a temporary file beside it, then renamed over it. A
cache that cannot be written only makes the next build slower, never fails this one.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

from .git import Checkout, GitError, looks_like_git_folder

log = logging.getLogger(__name__)


def write_atomically(path: Path, content: str | bytes) -> bool:
    """Write `content` (text as UTF-8) to `path` through a rename; False when it could not."""
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        log.debug("could not write the cache file %s: %s", path, error)
        return False
    return True


def cache_folder(
    cache_dir: Path, okrs_dir: Path, *keep_out: Path, checkout: Checkout
) -> tuple[Path | None, str | None]:
    """Where okrdocs keeps its caches (`cache_dir` resolved), or None, with a warning to
    show when the reason is one the user should fix.

    None when the folder lies inside the OKR folder or one of `keep_out` (docs_dir): a file
    written there would be read as content, or make `mkdocs serve` rebuild again and again.
    None with a warning when the checkout's git tracks files in it, when it looks like a git
    repository of its own, or when it lies in a git work tree that git cannot read (so
    cannot say): the caches hold what a build publishes as it is (page HTML, SVG) and what
    the check trusts (parsed files, findings), and a pull request could commit such files.
    """
    folder = cache_dir.resolve()
    if any(folder.is_relative_to(other.resolve()) for other in (okrs_dir, *keep_out)):
        return None, None
    untrusted = _untrusted_by_git(checkout, folder) or _tracked_link(checkout, cache_dir)
    if untrusted is not None:
        why, fix = untrusted
        return None, f"the cache folder '{cache_dir}' {why}, so okrdocs keeps no caches there: {fix}"
    return folder, None


Untrusted = tuple[str, str]
"""Why a cache folder may hold what a pull request committed, and what the user can do."""
_TRACKED: Untrusted = (
    "holds files that git tracks, which a pull request could change",
    "remove them from git (`git rm -r --cached <folder>`) and add the folder to .gitignore",
)
_GIT_FOLDER: Untrusted = (
    "holds HEAD, objects/ and refs/, so git would take it for a repository of its own",
    "delete the folder; okrdocs makes it again",
)


def _unreadable(checkout: Checkout) -> Untrusted:
    return (
        f"is in a git repository that git cannot read here ({checkout.unreadable}), so it cannot tell "
        "which files a pull request changed",
        "let git read the repository (for 'dubious ownership': `git config --global --add safe.directory "
        "<repository>`), or set cache_dir to a folder outside it",
    )


def _tracked_link(checkout: Checkout, cache_dir: Path) -> Untrusted | None:
    """Why the way to `cache_dir` may come from a pull request, or None: a symbolic link on
    it that git tracks (or cannot say it does not), which could lead the caches to any folder
    of the machine: the build would read what is there, overwrite its cache files and
    delete its `*.svg` files."""
    path = cache_dir.absolute()
    for part in (path, *path.parents):
        if part.is_symlink() and _untrusted_by_git(checkout, part, link=True) is not None:
            why = f"is reached through the symbolic link '{part}', which a pull request could change"
            return why, "remove the link from git and add it to .gitignore"
    return None


def _untrusted_by_git(checkout: Checkout, path: Path, link: bool = False) -> Untrusted | None:
    """Why the files at `path` (a folder, or a symbolic link when `link`) may come from a
    pull request, or None: the checkout's git tracks files there, the folder looks like a
    git repository, or the checkout is a git work tree whose index git cannot read (a
    repository owned by another user, as in a container job; no git program). One
    `git ls-files` run from the checkout's top, with the path as a pathspec."""
    if not link and not path.is_dir():
        return None
    if not link and looks_like_git_folder(path):
        return _GIT_FOLDER
    if checkout.unreadable is not None:
        return _unreadable(checkout)
    pathspec = checkout.relative(path, follow=not link)
    if pathspec is None:
        return None  # outside the checkout (or no checkout): no pull request writes there
    try:
        tracked = checkout.run("ls-files", "-z", "--", pathspec or ".")
    except GitError as error:
        return _unreadable(Checkout(None, unreadable=str(error)))
    return _TRACKED if tracked else None
