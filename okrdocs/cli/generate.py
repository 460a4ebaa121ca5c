"""`okrdocs generate --out DIR`: the OKR pages as Markdown files, for Zensical and any
other site generator that does not run the MkDocs plugin.

It reads the plugin's options from mkdocs.yml (or properdocs.yml) like `okrdocs check`,
runs the same check first and writes nothing when it finds errors: where the plugin
does not run, this command is the build gate.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .commands import EXIT_REFUSED, EXIT_USAGE, add_config_file_option, check_and_report, inform, print_error
from .settings import SettingsError, read_settings

if TYPE_CHECKING:
    from ..core.domain.cascade import Cascade
    from ..site.build import SiteBuild


def add_generate(commands: Any) -> None:
    generate = commands.add_parser(
        "generate",
        help="write the OKR pages as Markdown files (for Zensical and other site generators)",
        description=(
            "Check the OKR folder, then write every OKR page (vision, teams, each team, each objective) as a "
            "Markdown file into DIR, with okrs.json, the stylesheet and the diagrams inline. DIR must lie inside "
            "docs_dir; okrdocs empties it on every run, so git-ignore it. Exit status 1 on errors in the OKR "
            "folder, and nothing is written."
        ),
    )
    generate.add_argument("--out", metavar="DIR", required=True, help="the folder for the pages, inside docs_dir")
    generate.add_argument(
        "--okrs",
        metavar="DIR",
        help="the OKR folder, with okrdocs' default options, instead of the plugin's settings; docs_dir and "
        "the site's URLs still come from the site's config when there is one",
    )
    add_config_file_option(generate)
    generate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    generate.set_defaults(run=_run_generate)


def _run_generate(arguments: argparse.Namespace) -> int:
    try:
        settings = read_settings(arguments.okrs, arguments.config_file, site_for_folder=True)
    except SettingsError as error:
        print_error(str(error))
        return EXIT_USAGE
    for warning in settings.warnings:
        print(f"okrdocs: warning: {warning}", file=sys.stderr)
    out = Path(arguments.out)
    docs_dir = settings.site.docs_dir if settings.site else Path("docs")
    prefix = _inside(out, docs_dir)
    if prefix is None:
        print_error(
            f"--out {arguments.out} is not a folder inside docs_dir ({_shown(docs_dir)}): the site generator builds "
            "only pages there, and okrdocs empties the folder on every run"
        )
        return EXIT_USAGE
    project = settings.checkout.top or (settings.site.config_dir if settings.site else Path.cwd()).resolve()
    if not out.resolve().is_relative_to(project):
        print_error(
            f"--out {arguments.out} leads to {out.resolve()}, outside {project} (through a symbolic link): "
            "okrdocs writes only inside the project; make docs_dir and --out real folders"
        )
        return EXIT_USAGE
    if not settings.okrs_folder.is_dir():
        print_error(f"the OKR folder '{settings.okrs_dir}' does not exist")
        return EXIT_USAGE
    # Imported here: the parser of every command is built with this module, and the site's
    # renderer (Jinja, markdown-it, Babel) was much of a warm `okrdocs check` (benchmarks/RESULTS.md).
    from ..site.build import SiteBuild

    build = SiteBuild(settings, inform=inform)
    result, status = check_and_report(settings, strict=arguments.strict, build=build)
    if status != 0:
        print_error(f"nothing written to {arguments.out}: fix the problems above first")
        return EXIT_REFUSED
    return _write(build, result.cascade, out, prefix)


def _write(build: SiteBuild, cascade: Cascade, out: Path, prefix: str) -> int:
    # Imported here: `okrdocs check` and the other commands start sooner without them.
    from ..core.history.timeline import TimeSettingError
    from ..site.dot import GraphvizError
    from ..site.generate import Output, OutputFolderError, generate

    try:
        written = generate(build, cascade, Output(out, prefix, build.settings.use_directory_urls))
    except (OutputFolderError, GraphvizError, TimeSettingError) as error:
        print_error(str(error))
        return EXIT_REFUSED
    print(f"okrdocs: wrote {len(written)} files to {out}", file=sys.stderr)
    return 0


def _inside(path: Path, folder: Path) -> str | None:
    """`path` from `folder` as a URL prefix ("a/b/"), or None unless it lies below it."""
    relative = Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    if relative in (".", "..") or relative.startswith("../"):
        return None
    return relative + "/"


def _shown(folder: Path) -> str:
    """A folder as the user wrote it: from the current folder when it lies below it."""
    try:
        return folder.relative_to(Path.cwd()).as_posix() if folder.is_absolute() else folder.as_posix()
    except ValueError:
        return str(folder)
