"""Relative URLs between pages of the built site, without MkDocs.

Links inside raw HTML and SVG are not rewritten by site generators, so every link okrdocs
writes is made relative to the page it sits on: it then works under any site root and
with or without directory URLs.
"""

from __future__ import annotations

import posixpath

from ..core.domain.names import url_path


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
    for mine, theirs in zip(other_parts, url_parts, strict=False):  # up to the shorter path
        if mine != theirs:
            break
        common += 1
    relative = "/".join([".."] * (len(other_parts) - common) + url_parts[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def _parts(path: str) -> list[str]:
    normal = posixpath.normpath(path if path.startswith("/") else "/" + path)[1:]
    return normal.split("/") if normal else []


def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The URL (from the site root) of the page a Markdown file `src_uri` becomes.

    The rule MkDocs, ProperDocs and Zensical share: `a/b.md` becomes `a/b/` (or
    `a/b.html` without directory URLs) and `a/index.md` (or `a/README.md`) `a/`. `okrdocs generate`
    needs it to link pages that no site generator has placed yet.
    """
    stem = posixpath.splitext(src_uri)[0]
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        stem = posixpath.join(folder, "index")
        if use_directory_urls:
            return f"{folder}/" if folder else "./"
    return f"{stem}.html" if not use_directory_urls else f"{stem}/"


def page_file(src_uri: str, use_directory_urls: bool = True) -> str:
    """The file a Markdown file `src_uri` is written to, by `page_url`'s rule: a URL that
    ends in `/` is that folder's `index.html` (`a/b.md` -> `a/b/index.html`)."""
    url = page_url(src_uri, use_directory_urls)
    if url == "./":
        return "index.html"
    return url + "index.html" if url.endswith("/") else url


def edit_url(
    repo_url: str | None, edit_uri: str | None, docs_dir: str, okr_path: str, override: str | None = None
) -> str | None:
    """Where the "edit" link of an objective page points: at its OKR file, not at a page
    in docs_dir that does not exist.

    `edit_uri` (the site's, e.g. `edit/main/docs/`) loses its trailing `docs_dir` part and
    gets the OKR file's path (`okr_path`, from the folder of mkdocs.yml) instead;
    `override` (the plugin's own `edit_uri` option) replaces that base. `docs_dir` is
    also from the folder of mkdocs.yml.
    """
    if not repo_url:
        return None
    # The file's path comes from the repository: percent-encoded, a name like
    # `x" onmouseover="...".md` stays inside the link the theme prints unescaped.
    okr_path = url_path(okr_path)
    if override is None:
        if not edit_uri:
            return None
        docs_part = docs_dir.strip("/") + "/"
        override = edit_uri[: -len(docs_part)] if edit_uri.endswith(docs_part) else edit_uri
    base = repo_url if repo_url.endswith("/") else repo_url + "/"
    return posixpath.join(base + override.lstrip("/"), okr_path) if override else base + okr_path
