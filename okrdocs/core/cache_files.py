"""Writing okrdocs' cache files (parsed OKR files, history, diagrams) whole or not at all.

Another build may read a cache file while this one writes it, and a build may be stopped
half-way: each file is written to a temporary file beside it, then renamed over it. A
cache that cannot be written only makes the next build slower, never fails this one.
"""

from __future__ import annotations

import logging
import os
import subprocess
import tempfile
from pathlib import Path

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


def cache_folder(cache_dir: Path, okrs_dir: Path, *keep_out: Path) -> tuple[Path | None, str | None]:
    """Where okrdocs keeps its caches (`cache_dir` resolved), or None, with a warning to
    show when the reason is one the user should fix.

    None when the folder lies inside the OKR folder or one of `keep_out` (docs_dir): a file
    written there would be read as content, or make `mkdocs serve` rebuild again and again.
    None with a warning when git tracks files in it: the caches hold what a build publishes
    as it is (page HTML, SVG) and what the check trusts (parsed files), and a pull request
    could commit such files.
    """
    folder = cache_dir.resolve()
    if any(folder.is_relative_to(other.resolve()) for other in (okrs_dir, *keep_out)):
        return None, None
    if _tracked_by_git(folder):
        return None, (
            f"the cache folder '{cache_dir}' holds files that git tracks, which a pull request could change, "
            "so okrdocs keeps no caches there: remove them from git (`git rm -r --cached <folder>`) "
            "and add the folder to .gitignore"
        )
    return folder, None


def _tracked_by_git(folder: Path) -> bool:
    """Whether git tracks files in `folder`: one `git ls-files` run inside it (git resolves a
    symbolic link to the folder it points to)."""
    if not folder.is_dir():
        return False
    try:
        done = subprocess.run(["git", "ls-files", "-z", "--", "."], cwd=folder, capture_output=True, check=False)
    except OSError:  # no git: no pull request either
        return False
    return done.returncode == 0 and bool(done.stdout)
