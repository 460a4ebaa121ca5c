"""`okrdocs generate --out DIR`: the OKR pages as Markdown files, for Zensical and any
other site generator that does not run the MkDocs plugin.

It reads the plugin's options from mkdocs.yml (or properdocs.yml) like `okrdocs check`,
runs the same check first and writes nothing when it finds errors: where the plugin
does not run, this command is the build gate.
"""

from __future__ import annotations

import argparse
import os
import posixpath
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .commands import EXIT_REFUSED, EXIT_USAGE, add_config_file_option, check_and_report, print_error
from .settings import CheckSettings, SettingsError, default_config_file, read_mkdocs_settings, read_site_config

if TYPE_CHECKING:
    from ..core.history.timeline import Timeline


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
    add_config_file_option(generate)
    generate.add_argument("--strict", action="store_true", help="treat warnings as errors")
    generate.set_defaults(run=_run_generate)


def _run_generate(arguments: argparse.Namespace) -> int:
    config_file = arguments.config_file or default_config_file()
    try:
        site, options = read_site_config(config_file)
        check_settings = read_mkdocs_settings(config_file)
    except SettingsError as error:
        print_error(str(error))
        return EXIT_USAGE
    config_dir = Path(config_file).parent
    docs_dir = config_dir / str(site.get("docs_dir") or "docs")
    out = Path(arguments.out)
    prefix = _inside(out, docs_dir)
    if prefix is None:
        print_error(
            f"--out {arguments.out} is not a folder inside docs_dir ({docs_dir}): the site generator builds only "
            "pages there, and okrdocs empties the folder on every run"
        )
        return EXIT_USAGE
    project = check_settings.checkout.top or config_dir.resolve()
    if not out.resolve().is_relative_to(project):
        print_error(
            f"--out {arguments.out} leads to {out.resolve()}, outside {project} (through a symbolic link): "
            "okrdocs writes only inside the project; make docs_dir and --out real folders"
        )
        return EXIT_USAGE
    if not Path(check_settings.okrs_dir).is_dir():
        print_error(f"the OKR folder '{check_settings.okrs_dir}' does not exist")
        return EXIT_USAGE
    result, status = check_and_report(check_settings, strict=arguments.strict)
    if status != 0:
        print_error(f"nothing written to {arguments.out}: fix the problems above first")
        return EXIT_REFUSED
    return _write(result.cascade, site, check_settings, config_dir, docs_dir, out, prefix)


def _write(
    cascade: Any,
    site: dict[str, Any],
    settings: CheckSettings,
    config_dir: Path,
    docs_dir: Path,
    out: Path,
    prefix: str,
) -> int:
    # Imported here: `okrdocs check` and the other commands start sooner without them.
    from ..core.history.timeline import TimeSettingError
    from ..site.dot import DotRenderer, GraphvizError
    from ..site.generate import Output, OutputFolderError, generate
    from ..site.pages import OkrPage, make_environment
    from ..site.urls import edit_url

    plugin, okrs_dir = settings.options, settings.okrs_dir
    theme = site.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    env = make_environment([str(config_dir / custom_dir)] if custom_dir else [])
    renderer = DotRenderer(plugin.dot_path, settings.cache_dir, plugin.dot_timeout) if plugin.diagrams else None
    docs_from_config = _posix_relpath(docs_dir, config_dir)
    okrs_from_config = _posix_relpath(Path(okrs_dir), config_dir)

    def page_edit_url(page: OkrPage) -> str | None:
        # From repo_url and edit_uri as written: MkDocs' guess of edit_uri for GitHub and
        # GitLab URLs is MkDocs' own, so write edit_uri out for the same link everywhere.
        if page.kind != "objective":
            return None
        return edit_url(
            site.get("repo_url"),
            site.get("edit_uri"),
            docs_from_config,
            posixpath.join(okrs_from_config, cascade.objectives[page.key].where.path),
            plugin.edit_uri,
        )

    output = Output(out, prefix, bool(site.get("use_directory_urls", True)), plugin.json_file)
    try:
        written = generate(
            cascade,
            plugin.layout,
            output,
            env,
            renderer,
            plugin.diagram_settings,
            page_edit_url,
            _timeline(settings, plugin, site.get("repo_url")),
        )
    except (OutputFolderError, GraphvizError, TimeSettingError) as error:
        print_error(str(error))
        return EXIT_REFUSED
    print(f"okrdocs: wrote {len(written)} files to {out}", file=sys.stderr)
    return 0


def _timeline(settings: CheckSettings, plugin: Any, repo_url: object) -> Timeline:
    """The build date, the current period and the folder's history, as the plugin has them."""
    from ..core.history.checkins import History, HistoryUnavailable, read_history
    from ..core.history.timeline import build_time

    as_of = build_time()
    try:
        history = read_history(settings.checkout, Path(settings.okrs_dir), settings.cache_dir)
    except HistoryUnavailable as why:
        print(f"okrdocs: no score trends or 'updated' dates: {why}", file=sys.stderr)
        history = History()
    if history.undated_notice():
        print(f"okrdocs: {history.undated_notice()}", file=sys.stderr)
    timeline: Timeline = plugin.timeline(as_of, history, repo_url if isinstance(repo_url, str) else None)
    return timeline


def _inside(path: Path, folder: Path) -> str | None:
    """`path` from `folder` as a URL prefix ("a/b/"), or None unless it lies below it."""
    relative = Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    if relative in (".", "..") or relative.startswith("../"):
        return None
    return relative + "/"


def _posix_relpath(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()
