"""Relative links in bodies (an objective's body, the vision's narrative, a team's
description), resolved as on the forge: relative to the file they are written in, so the
same link works when the file is read there and on the site.

A link to an OKR file becomes a link to its page (an objective file, `vision.md`,
`teams.yml`); a link to a file in `docs_dir` a link to that page (Markdown) or file;
anything else is a warning at the link's file and line (OKR406), so `--strict` fails.
Absolute URLs, `/paths` and `#anchors` are left as written.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from ..core.domain import problems as codes
from ..core.domain.cascade import Cascade
from ..core.domain.escaping import printable
from ..core.domain.model import Objective
from ..core.domain.names import url_path
from ..core.domain.problems import Problem
from ..core.reading.loading import TEAMS_FILE, VISION_FILE
from .layout import Layout, OkrPage
from .text import relative_links
from .urls import page_url, relative_url

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_relative(href: str) -> bool:
    """A link to a file next to the one it is written in: no scheme, no `/`, no `#` alone."""
    return bool(href) and not href.startswith(("#", "/", "\\")) and not _SCHEME.match(href)


class LinkTargets:
    """Where a relative link written in an OKR file leads on the site."""

    def __init__(
        self,
        cascade: Cascade,
        layout: Layout,
        okrs_folder: Path,
        docs_dir: Path | None,
        use_directory_urls: bool = True,
    ) -> None:
        self._pages: dict[str, OkrPage] = {VISION_FILE: OkrPage("vision"), TEAMS_FILE: OkrPage("teams")}
        self._pages.update({o.where.path: OkrPage("objective", o.id) for o in cascade.objectives.values()})
        self._layout = layout
        # Absolute, not resolved: a link names the path as written, symbolic links and all.
        self._folder = Path(os.path.abspath(okrs_folder))
        self._docs_dir = Path(os.path.abspath(docs_dir)) if docs_dir else None
        self._use_directory_urls = use_directory_urls
        self._docs_files: frozenset[str] | None = None

    @property
    def docs_files(self) -> frozenset[str]:
        """docs_dir's files (POSIX paths), listed once, on the first link that needs them."""
        if self._docs_files is None:
            self._docs_files = frozenset(files_under(self._docs_dir) if self._docs_dir else ())
        return self._docs_files

    def url(self, source: str, href: str) -> str | None:
        """The URL (from the site root, with the link's `#fragment`) that `href`, written
        in the OKR file `source`, leads to; None when it leads to nothing published."""
        path, hash_mark, fragment = href.partition("#")
        path = unquote(path.partition("?")[0])
        if not path:
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        page = self._pages.get(target)
        if page is not None:
            return self._layout.url(page, self._use_directory_urls) + hash_mark + fragment
        published = self._docs_file(source, path)
        return None if published is None else published + hash_mark + fragment

    def _docs_file(self, source: str, path: str) -> str | None:
        if self._docs_dir is None:
            return None
        written = os.path.normpath(self._folder / posixpath.dirname(source) / path)
        try:
            inside = Path(written).relative_to(self._docs_dir).as_posix()
        except ValueError:
            return None
        if inside not in self.docs_files:
            return None
        if inside.endswith(".md"):
            return page_url(inside, self._use_directory_urls)
        return url_path(inside)

    def href(self, source: str, href: str, page_url_: str) -> str | None:
        """`href` as the page at `page_url_` links it; None: leave it as written."""
        if not is_relative(href):
            return None
        target = self.url(source, href)
        if target is None:
            return None
        path, hash_mark, fragment = target.partition("#")
        return (relative_url(path, page_url_) if path else "") + hash_mark + fragment


def files_under(folder: Path) -> Iterator[str]:
    """The files of `folder` and its subfolders (not hidden ones), as POSIX paths in it."""
    for directory, folders, files in os.walk(folder):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            yield (Path(directory) / name).relative_to(folder).as_posix()


def body_source(page: OkrPage, cascade: Cascade) -> tuple[str, int] | None:
    """The OKR file a page's body is written in, and the file line of its first line."""
    if page.kind == "vision" and cascade.repository.vision is not None:
        return VISION_FILE, cascade.repository.vision.body_line
    if page.kind == "team":
        team = cascade.teams[page.key]
        line = team.where.line_of("description")
        # A description of several lines is a block scalar (`description: |`): it starts below.
        return TEAMS_FILE, line + ("\n" in (team.description or ""))
    if page.kind == "objective":
        objective: Objective = cascade.objectives[page.key]
        return objective.where.path, objective.body_line
    return None


def broken_body_links(cascade: Cascade, targets: LinkTargets) -> Iterator[Problem]:
    """A warning for each relative link in a body that leads to nothing published."""
    bodies: list[tuple[str, int, str]] = []
    vision = cascade.repository.vision
    if vision is not None and vision.body:
        bodies.append((VISION_FILE, vision.body_line, vision.body))
    for team in cascade.teams.values():
        if team.description:
            source = body_source(OkrPage("team", team.id), cascade)
            assert source is not None
            bodies.append((*source, team.description))
    for objective in cascade.objectives.values():
        if objective.body:
            bodies.append((objective.where.path, objective.body_line, objective.body))
    for path, first_line, markdown in bodies:
        if "](" not in markdown and "]:" not in markdown:
            continue  # no inline link and no reference definition: most bodies
        for offset, href in relative_links(markdown):
            if is_relative(href) and targets.url(path, href) is None:
                yield Problem.of(
                    codes.BROKEN_BODY_LINK,
                    path,
                    first_line + offset,
                    f"the link '{printable(href)}' leads to no OKR file and no file in docs_dir: "
                    "write the path relative to this file, or a full URL",
                )
