"""Relative URLs between pages of the built site, without MkDocs.

Links inside raw HTML and SVG are not rewritten by site generators, so every link okrdocs
writes is made relative to the page it sits on: it then works under any site root and
with or without directory URLs.
"""

from __future__ import annotations

import posixpath


def relative_url(url: str, other: str) -> str:
    """`url` (from the site root) as seen from the page at `other` (also from the root).

    The same rule as `mkdocs.utils.get_relative_url`: the last part of `other` is
    dropped when it has a dot (a file), `..` is resolved, and going above the root
    stays at the root.
    """
    directory, _, name = other.rpartition("/")
    if "." in name:
        other = directory
    other_parts, url_parts = _parts(other), _parts(url)
    common = 0
    for mine, theirs in zip(other_parts, url_parts):
        if mine != theirs:
            break
        common += 1
    relative = "/".join([".."] * (len(other_parts) - common) + url_parts[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def _parts(path: str) -> list[str]:
    normal = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return normal.split("/") if normal else []
