"""More `okrdocs` commands: `okrdocs schema`.

`cli` registers them next to `check`; the work is done in `schema`.
"""

from __future__ import annotations

import argparse
from typing import Any

from .schema import SCHEMAS, schema_json

EXIT_OK = 0

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
    _add_schema(commands)


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
