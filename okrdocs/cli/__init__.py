"""The `okrdocs` command line: `check`, `new`, `diff`, `schema` and `report` (see `commands`).

Exit status: 0 no errors (warnings are printed), 1 errors found or request refused,
2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from .commands import register


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="okrdocs", description="OKRs as docs-as-code.")
    parser.add_argument("--version", action="version", version=f"okrdocs {__version__}")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    return int(arguments.run(arguments))


if __name__ == "__main__":
    sys.exit(main())
