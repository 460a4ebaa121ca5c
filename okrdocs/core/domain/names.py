"""The one rule for names from an OKR repository that become file paths or URLs.

Everything in the repository is written by whoever can open a pull request: git tree
entries, file and folder names, ids. Before such a name becomes part of a path on disk
(`okrdocs diff` writing a revision out, `okrdocs new` writing a file) or of a link (an
edit URL, a page link), it passes through here, so there is one place that says which
names are safe and how they are encoded.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from .model import is_slug

MAX_SEGMENT_BYTES = 255
"""Most file systems refuse a longer file or folder name."""

_FORBIDDEN = {"\0": "a NUL character", "/": "a '/'", "\\": "a backslash"}


def segment_problem(name: str) -> str | None:
    """Why `name` cannot be one file or folder name inside a folder, or None when it can.

    Refused: empty, `.` and `..` (they lead out of the folder), separators and NUL (they
    make one name into a path), names that are not UTF-8 (no page, URL or JSON can carry
    them) and names too long for the file system. Any other
    character is allowed: it is escaped where it is shown or linked.
    """
    if name in ("", ".", ".."):
        return f"the name '{name}' is not a file name" if name else "an empty name"
    for character, what in _FORBIDDEN.items():
        if character in name:
            return f"a name with {what}"
    try:
        encoded = name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are not UTF-8, as Python reads them (surrogateescape)
        return "a name that is not UTF-8"
    if len(encoded) > MAX_SEGMENT_BYTES:
        return f"a name longer than {MAX_SEGMENT_BYTES} bytes"
    return None


def relative_path_problem(path: str) -> str | None:
    """Why `path` (POSIX, relative) cannot be written inside a folder, or None when it can."""
    if path.startswith("/"):
        return "an absolute path"
    for segment in path.split("/"):
        problem = segment_problem(segment)
        if problem is not None:
            return problem
    return None


def is_safe_relative_path(path: str) -> bool:
    return relative_path_problem(path) is None


def objective_file(team_id: str, objective_id: str) -> str:
    """Where `okrdocs new` writes an objective: `<team>/<id>.md`, both slugs."""
    if not (is_slug(team_id) and is_slug(objective_id)):
        raise ValueError(f"not slugs: {team_id!r}, {objective_id!r}")
    return f"{team_id}/{objective_id}.md"


def id_from_file_name(relative: str) -> str:
    """The id an objective file gives itself when its front matter has none: its name
    without `.md`. It is used only when it is a slug (`model.is_slug`)."""
    return posixpath.basename(relative).removesuffix(".md")


def url_segment(name: str) -> str:
    """One path segment of a URL: every character but letters, digits and `-._~`
    percent-encoded (UTF-8), so a `"`, `#`, `?`, `%` or space in a name stays in it."""
    return quote(name, safe="", errors="surrogateescape")


def url_path(path: str) -> str:
    """A POSIX path as a URL path: each segment encoded by `url_segment`."""
    return "/".join(url_segment(segment) for segment in path.split("/"))
