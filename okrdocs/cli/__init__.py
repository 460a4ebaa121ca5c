"""The `okrdocs` command line: `check`, `new`, `diff`, `schema` and `report` (see `commands`).

Exit status: 0 no errors (warnings are printed), 1 errors found or request refused,
2 usage error, 141 (as for SIGPIPE) when the reader of the output went away.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .. import __version__
from .commands import register


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="okrdocs", description="OKRs as docs-as-code.")
    parser.add_argument("--version", action="version", version=f"okrdocs {__version__}")
    register(parser.add_subparsers(dest="command", required=True, metavar="COMMAND"))
    return parser


EXIT_BROKEN_PIPE = 141
"""What a shell reports for a command killed by SIGPIPE, as `yes | head -1` does."""


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        status = int(arguments.run(arguments))
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
    except BrokenPipeError:
        # `okrdocs check | head -1`: the reader has what it wanted. Python would flush
        # stdout again on exit and print a traceback; point it at /dev/null instead.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return status


if __name__ == "__main__":
    sys.exit(main())
