"""The generated pages as Markdown files, for site generators that do not run the plugin.

Zensical, for one, reads mkdocs.yml but silently skips plugins it does not know: the OKR
pages must reach it as files in its docs folder, written before it builds. Each file
holds the HTML the plugin would put on the same page (the same templates and diagrams,
from `pages` and `diagram_jobs`) inside one raw HTML block under front matter that gives
the page its title.

Links differ in one way. Zensical treats an `href` in raw HTML like a Markdown link: a
path from the Markdown file, `.md` targets included, which it turns into the page's URL.
So the pages link to each other's files (`../vision.md`), and Zensical makes the same
links the plugin writes. It leaves SVG's `xlink:href` alone, so the diagrams link to
URLs, exactly as under the plugin.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..core.domain.cascade import Cascade
from .build import SiteBuild
from .pages import (
    ASSETS_DIR,
    DIAGRAM_KINDS,
    DIAGRAM_PLACEHOLDER,
    SCRIPTS,
    STYLESHEETS,
    Layout,
    Links,
    OkrPage,
    PageContext,
    insert_diagram,
    insert_trends,
    page_metadata,
    page_title_html,
    render_legend,
    render_page,
)
from .urls import page_url, relative_url

MARKER = ".okrdocs-generated"
"""Marks a folder `generate` wrote, and so may empty before writing it again."""


class OutputFolderError(Exception):
    """The output folder holds files okrdocs did not write; the message says what to do."""


@dataclass(frozen=True)
class Output:
    """Where the pages go and how the site generator will address them."""

    folder: Path
    url_prefix: str = ""
    """The folder's path from docs_dir, with a trailing slash ("" for docs_dir itself)."""
    use_directory_urls: bool = True


def page_urls(cascade: Cascade, layout: Layout, output: Output) -> dict[OkrPage, str]:
    """Every generated page's URL from the site root, as the site generator will make it."""
    return {
        page: page_url(output.url_prefix + layout.src_uri(page), output.use_directory_urls)
        for page in layout.pages(cascade)
    }


def generate(build: SiteBuild, cascade: Cascade, output: Output) -> list[Path]:
    """Write every page of the checked `cascade`, the stylesheets and scripts and okrs.json
    into `output.folder`, as `build` makes them; return the files written. Raises
    `OutputFolderError`, `dot.GraphvizError` and `timeline.TimeSettingError`."""
    time = build.timeline(cascade)
    _empty(output.folder)
    layout, env = build.layout, build.environment()
    urls = page_urls(cascade, layout, output)
    sources = {page: output.url_prefix + layout.src_uri(page) for page in urls}
    jobs = build.diagrams(cascade, urls)
    legend = render_legend(env) if jobs else ""
    assets = (*STYLESHEETS, *SCRIPTS)
    written = [shutil.copyfile(ASSETS_DIR / name, output.folder / name) for name in assets]
    for page, source in sources.items():
        context = PageContext(
            page=page,
            cascade=cascade,
            links=Links(sources, source, cascade),
            has_diagram=jobs is not None and page.kind in DIAGRAM_KINDS,
            edit_url=build.edit_url(cascade, page),
            time=time,
        )
        html = insert_trends(render_page(env, context), env, context)
        if jobs is not None and DIAGRAM_PLACEHOLDER in html:
            html = insert_diagram(html, jobs.svg(page), legend)
        hrefs = [relative_url(output.url_prefix + name, source) for name in assets]
        text = markdown_page(
            {"title": page_title_html(page, cascade, build.language), **page_metadata(page)},
            html,
            hrefs[: len(STYLESHEETS)],
            hrefs[len(STYLESHEETS) :],
        )
        written.append(_write(output.folder / layout.src_uri(page), text))
    if jobs is not None:
        jobs.finish()
    data = build.okrs_json(cascade, urls, time)
    if data is not None:
        written.append(_write(output.folder / build.options.json_file, data))
    (output.folder / MARKER).write_text(
        "Written by `okrdocs generate`; it empties this folder on each run.\n", encoding="utf-8"
    )
    return written


def markdown_page(metadata: dict[str, object], html: str, stylesheets: list[str], scripts: list[str]) -> str:
    """One page as Markdown: its metadata (the title's HTML and `page_metadata`) as front
    matter, the page as one raw HTML block.

    The block is a `<div>` starting at the line's start, so Python-Markdown (MkDocs,
    ProperDocs, Zensical) keeps everything inside as it is, blank lines included. The
    links to okrdocs' stylesheets and scripts sit inside it, so no `extra_css` or
    `extra_javascript` needs setting.
    """
    front_matter = "".join(_yaml_entry(name, value) for name, value in metadata.items())
    assets = [f'<link rel="stylesheet" href="{href}">' for href in stylesheets]
    assets += [f'<script src="{src}" defer></script>' for src in scripts]
    return f"---\n{front_matter}---\n\n" + '<div class="okrdocs-generated">\n' + "\n".join([*assets, html, "</div>\n"])


def _yaml_entry(name: str, value: object) -> str:
    """`name: value` as block YAML, each value on its line (`yaml_scalar`). A mapping is
    written in block style: no brace in any page."""
    if isinstance(value, dict):
        return f"{name}:\n" + "".join(f"  {key}: {yaml_scalar(item)}\n" for key, item in value.items())
    return f"{name}: {yaml_scalar(value)}\n"


def yaml_scalar(value: object) -> str:
    """A scalar as YAML on one line: text double-quoted by PyYAML, numbers, booleans and
    null as JSON writes them (which is YAML too). Not text as JSON: json.dumps writes a
    character beyond U+FFFF (an emoji) as a surrogate pair, which YAML readers refuse
    (Zensical stops; MkDocs drops the whole front matter, the page then rendering it as
    text); PyYAML writes `\\U0001F680`, and escapes every character YAML reads otherwise."""
    if isinstance(value, str):
        return yaml.safe_dump(value, allow_unicode=True, width=_ONE_LINE, default_style='"').removesuffix("\n")
    return json.dumps(value)


_ONE_LINE = 1 << 30
"""A width no value reaches: PyYAML folds a double-quoted scalar longer than its width."""


def _empty(folder: Path) -> None:
    """Make `folder` an empty folder: a new one, or one `generate` wrote before (its
    pages of objectives since deleted must not linger)."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise OutputFolderError(f"'{folder}' is not a folder: choose a folder for the generated pages")
    if folder.is_dir() and any(folder.iterdir()):
        if not (folder / MARKER).is_file():
            raise OutputFolderError(
                f"'{folder}' already holds files that okrdocs did not write: choose a new or empty "
                "folder (okrdocs empties it on every run)"
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
