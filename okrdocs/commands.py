"""More `okrdocs` commands: `okrdocs new` and `okrdocs schema`.

`cli` registers them next to `check`; the work is done in `authoring` and
`schema`. Exit status as for `check`: 0 done, 1 refused, 2 usage error.
"""

from __future__ import annotations

import argparse
import posixpath
import sys
from pathlib import Path
from typing import Any

from .authoring import AuthoringError, plan_objective, write_objective
from .core import check_folder
from .schema import SCHEMAS, schema_json
from .settings import CheckSettings, SettingsError, read_mkdocs_settings
from .validation import KrRange

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2

SCHEMA_EPILOG = """\
Wire the schemas into an editor, for example VS Code with the YAML extension
(yaml-language-server), in .vscode/settings.json:

  "yaml.schemas": {"./schemas/teams.schema.json": "okrs/teams.yml"}

after `okrdocs schema teams > schemas/teams.schema.json`; or put the line
`# yaml-language-server: $schema=../schemas/teams.schema.json` at the top of teams.yml.
The objective schema describes the YAML between the '---' lines of an objective file;
use it with an editor or tool that validates Markdown front matter. okrdocs check is the
gate either way: it also checks what a schema cannot (ids, links, periods, delegations).
"""


def register(commands: Any) -> None:
    """Add the subcommands to the `okrdocs` parser's subparsers."""
    _add_new(commands)
    _add_schema(commands)


def _add_folder_options(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--okrs", metavar="DIR", help="the OKR folder")
    source.add_argument(
        "-f", "--config-file", metavar="FILE", default="mkdocs.yml", help="the MkDocs config whose okrdocs settings name the OKR folder (default: mkdocs.yml)"
    )


def _folder_settings(arguments: argparse.Namespace) -> CheckSettings:
    if arguments.okrs is not None:
        return CheckSettings(arguments.okrs, KrRange())
    return read_mkdocs_settings(arguments.config_file)


def _error(message: str) -> None:
    print(f"okrdocs: error: {message}", file=sys.stderr)


# -- okrdocs new -----------------------------------------------------------------


def _add_new(commands: Any) -> None:
    new = commands.add_parser(
        "new",
        help="write a new objective file for a team",
        description=(
            "Write a correctly formed objective file at OKRS/TEAM/<id>.md. With --parent "
            "OBJECTIVE#KR the delegated key result becomes the objective: its text is the "
            "title, and it must be delegated to TEAM. Never overwrites a file."
        ),
    )
    new.add_argument("--team", required=True, help="the id of the team that owns the objective")
    new.add_argument(
        "--parent", required=True, metavar="PARENT", help="vision, an objective id (loose) or objective-id#kr-id (tight)"
    )
    new.add_argument("--title", help="what will be accomplished (default for a tight pickup: the key result's text)")
    new.add_argument("--period", help="2026, 2026-H1 or 2026-Q3 (default: the parent's period, or this year)")
    new.add_argument("--owner", help="the person accountable")
    new.add_argument("--id", dest="objective_id", metavar="ID", help="the objective id and file name (default: from the title)")
    _add_folder_options(new)
    new.set_defaults(run=_run_new)


def _run_new(arguments: argparse.Namespace) -> int:
    try:
        settings = _folder_settings(arguments)
    except SettingsError as error:
        _error(str(error))
        return EXIT_USAGE
    root = Path(settings.okrs_dir)
    if not root.is_dir():
        _error(f"the OKR folder '{settings.okrs_dir}' does not exist")
        return EXIT_USAGE
    cascade = check_folder(root, settings.kr_range).cascade
    try:
        plan = plan_objective(
            cascade,
            team=arguments.team,
            parent=arguments.parent,
            title=arguments.title,
            period=arguments.period,
            owner=arguments.owner,
            objective_id=arguments.objective_id,
            shown_root=settings.okrs_dir,
        )
        write_objective(root, plan, settings.okrs_dir)
    except AuthoringError as error:
        _error(str(error))
        return EXIT_REFUSED
    shown = posixpath.join(settings.okrs_dir, plan.path)
    print(shown)
    picks_up = f", picking up the key result at {plan.picks_up}" if plan.picks_up else ""
    print(
        f"okrdocs: wrote {shown}{picks_up}: add its key results, then run okrdocs check",
        file=sys.stderr,
    )
    return EXIT_OK


# -- okrdocs schema --------------------------------------------------------------


def _add_schema(commands: Any) -> None:
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of objective front matter, teams.yml or vision.md",
        description="Print a JSON Schema (draft 2020-12) derived from the fields okrdocs check reads.",
        epilog=SCHEMA_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    schema.add_argument("kind", choices=tuple(SCHEMAS), help="which file the schema describes")
    schema.set_defaults(run=_run_schema)


def _run_schema(arguments: argparse.Namespace) -> int:
    print(schema_json(arguments.kind))
    return EXIT_OK
