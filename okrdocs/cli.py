"""The `okrdocs` command line.

Exit status: 0 no errors (warnings are printed), 1 errors found, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .commands import register as register_commands
from .core import check_folder
from .problems import Severity, format_problems, summary_line
from .settings import CheckSettings, SettingsError, read_mkdocs_settings
from .validation import KrRange

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="okrdocs", description="OKRs as docs-as-code.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="validate an OKR folder: every problem, with file and line",
        description="Validate an OKR folder. Without --okrs, read the okrdocs plugin's settings from mkdocs.yml.",
    )
    source = check.add_mutually_exclusive_group()
    source.add_argument("--okrs", metavar="DIR", help="the OKR folder to check")
    source.add_argument("-f", "--config-file", metavar="FILE", default="mkdocs.yml", help="the MkDocs config (default: mkdocs.yml)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--format", choices=("text", "github", "json"), default="text", help="output format (default: text)")
    check.set_defaults(run=_run_check)
    register_commands(commands)  # new, diff, schema
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    return int(arguments.run(arguments))


def _settings(arguments: argparse.Namespace) -> CheckSettings:
    if arguments.okrs is not None:
        return CheckSettings(arguments.okrs, KrRange())
    return read_mkdocs_settings(arguments.config_file)


def _run_check(arguments: argparse.Namespace) -> int:
    try:
        settings = _settings(arguments)
    except SettingsError as error:
        print(f"okrdocs: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    root = Path(settings.okrs_dir)
    if not root.is_dir():
        print(f"okrdocs: error: the OKR folder '{settings.okrs_dir}' does not exist", file=sys.stderr)
        return EXIT_USAGE
    result = check_folder(root, settings.kr_range)
    problems = result.problems
    if arguments.strict:
        problems = [replace(p, severity=Severity.ERROR) for p in problems]
    output = format_problems(problems, arguments.format, settings.okrs_dir)
    if output:
        print(output)
    if arguments.format == "text":
        counts = f"{len(result.cascade.objectives)} objectives, {len(result.cascade.teams)} teams"
        print(f"okrdocs: {settings.okrs_dir}: {counts}: {summary_line(problems)}", file=sys.stderr)
    return EXIT_PROBLEMS if any(p.is_error for p in problems) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
