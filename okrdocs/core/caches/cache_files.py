"""okrdocs' cache folder: which folder it is, and its files written whole and read with bounds.

Another build may read a cache file while this one writes it, and a build may be stopped
half-way: each file is written to a temporary file beside it, then renamed over it. A
cache that cannot be written only makes the next build slower, never fails this one.

`cache_dir` may name a folder other programs use too (`/tmp`, the project's root):
okrdocs keeps its files only in a folder it owns, one that holds its cache directory tag
(`CACHE_TAG`), or was empty when okrdocs first wrote there; in any other folder it uses
its own subfolder `okrdocs/`, so it never overwrites nor deletes another program's files.

Cache files are read back with `read_cache_json`: the folder may hold a file a pull
request or another program wrote, so a file too big or nested too deep is no cache.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from ..history.git import Checkout, GitError, looks_like_git_folder
from ..logs import logger

log = logger(__name__)

CACHE_TAG = "CACHEDIR.TAG"
"""The file that marks a folder as okrdocs' cache (https://bford.info/cachedir/: backup
tools skip such folders)."""
_TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by okrdocs.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
_TAG_OWNER = "created by okrdocs"
OWN_SUBFOLDER = "okrdocs"
"""Where okrdocs keeps its files inside a `cache_dir` that holds other programs' files."""
MAX_CACHE_JSON_BYTES = 1 << 30
"""A cache file bigger than this is not read (the pages of a very large site take a few
hundred MB)."""


def write_atomically(path: Path, content: str | bytes) -> bool:
    """Write `content` (text as UTF-8) to `path` through a rename; False when it could not."""
    return write_or_error(path, content) is None


def write_or_error(path: Path, content: str | bytes) -> OSError | None:
    """Write `content` (text as UTF-8) to `path` through a rename; the error when it could not."""
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
        return error
    return None


def write_cache_file(folder: Path, name: str, content: str | bytes) -> OSError | None:
    """Write the cache file `name` (may hold a `/`) in okrdocs' cache folder `folder`
    (from `okrdocs_cache_folder`), tagging the folder as okrdocs' first; the error when
    the file could not be written."""
    if folder not in _tagged:
        if not _is_tagged(folder):
            error = write_or_error(folder / CACHE_TAG, _TAG_TEXT)
            if error is not None:
                return error
        _tagged.add(folder)
    return write_or_error(folder / name, content)


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text[:20]} is no finite number")
    return number


def _not_finite(name: str) -> float:
    raise ValueError(f"{name} is no finite number")


_tagged: set[Path] = set()
"""The cache folders known to hold okrdocs' tag (this process wrote or saw it)."""


def read_cache_json(path: Path, max_bytes: int = MAX_CACHE_JSON_BYTES) -> Any:
    """The JSON value in the cache file `path`, or None when there is none to use: no such
    file, unreadable, bigger than `max_bytes`, not JSON, nested deeper than Python's
    decoder goes (it stops with RecursionError, which is no cache either), or holding a
    number that is no finite float (`1e400`, `NaN`): okrdocs writes none, and a score
    made of one would be NaN."""
    data = read_cache_bytes(path, max_bytes)
    if data is None:
        return None
    try:
        return json.loads(data, parse_float=_finite, parse_constant=_not_finite)
    except (ValueError, RecursionError, MemoryError):
        log.debug("the cache file %s is not JSON okrdocs can read", path)
        return None


def read_cache_bytes(path: Path, max_bytes: int = MAX_CACHE_JSON_BYTES) -> bytes | None:
    """The bytes of the cache file `path`, or None: no such file, unreadable, or bigger
    than `max_bytes`."""
    try:
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except OSError:
        return None
    if len(data) > max_bytes:
        log.debug("the cache file %s is over %d bytes: not read", path, max_bytes)
        return None
    return data


def okrdocs_cache_folder(
    cache_dir: Path, okrs_dir: Path, *keep_out: Path, checkout: Checkout
) -> tuple[Path | None, str | None]:
    """`cache_folder`, then the folder in it that okrdocs owns (`claim_cache_folder`)."""
    folder, warning = cache_folder(cache_dir, okrs_dir, *keep_out, checkout=checkout)
    if folder is None:
        return None, warning
    return claim_cache_folder(folder)


def claim_cache_folder(folder: Path) -> tuple[Path | None, str | None]:
    """Where okrdocs keeps its files in `folder`: the folder itself when it holds okrdocs'
    tag, is empty, does not exist yet or is named `okrdocs/` (the default `.cache/okrdocs`,
    made before the tag was); else its subfolder `okrdocs/` by the same rule; else None,
    with a warning. Nothing is written here: the tag comes with the first cache
    file (`write_cache_file`)."""
    for candidate in (folder, folder / OWN_SUBFOLDER):
        if _is_tagged(candidate) or candidate.name == OWN_SUBFOLDER:
            return candidate, None
        try:
            with os.scandir(candidate) as entries:
                if next(entries, None) is None:
                    return candidate, None
        except FileNotFoundError:
            return candidate, None
        except OSError as error:
            return None, (
                f"the cache folder '{candidate}' cannot be used ({error.strerror}), so okrdocs keeps no caches: "
                "set cache_dir to a folder it can write"
            )
    return None, (
        f"the cache folder '{folder}' holds other files, and so does its subfolder '{OWN_SUBFOLDER}', "
        f"which has no okrdocs {CACHE_TAG}, so okrdocs keeps no caches there: set cache_dir to a folder of its own"
    )


def _is_tagged(folder: Path) -> bool:
    try:
        with (folder / CACHE_TAG).open("rb") as file:
            return _TAG_OWNER.encode() in file.read(4096)
    except OSError:
        return False


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


_SUBMODULE: Untrusted = (
    "is inside a git submodule (or another repository's work tree), whose files a pull request could "
    "commit without the checkout's git listing them",
    "set cache_dir to a folder of the checkout's own work tree, and add it to .gitignore",
)


def _in_another_work_tree(checkout: Checkout, pathspec: str) -> bool:
    """Whether a folder on the way from the checkout's top to `pathspec` (itself included)
    holds a `.git`: the work tree of a submodule, whose files `git ls-files` of the
    checkout does not list (it lists the submodule as one entry, above the folder)."""
    assert checkout.top is not None
    folder = checkout.top
    for part in PurePosixPath(pathspec).parts:
        folder = folder / part
        if os.path.lexists(folder / ".git"):
            return True
    return False


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
    if not link and _in_another_work_tree(checkout, pathspec):
        return _SUBMODULE
    try:
        tracked = checkout.run("ls-files", "-z", "--", pathspec or ".")
    except GitError as error:
        return _unreadable(Checkout(None, unreadable=str(error)))
    return _TRACKED if tracked else None
