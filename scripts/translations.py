"""Extract okrdocs' own words, update every language's catalog and compile it: one command
(`scripts/dev translations`, or `python scripts/translations.py` in a venv with Babel).

    extract  okrdocs/site/locales/okrdocs.pot from the templates and the site's Python code
    update   each okrdocs/site/locales/<lang>/LC_MESSAGES/okrdocs.po: new words empty, changed
             ones marked fuzzy, gone ones commented out (translate them, then run this again)
    compile  each .po into the okrdocs.mo the package ships (fuzzy entries stay English)

`--init LANG` starts a new language's catalog first. tests/test_i18n.py fails when the
.pot, a .po or a .mo is out of date or a word is untranslated: run this, then translate.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "okrdocs" / "site" / "locales"
POT = LOCALES / "okrdocs.pot"


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(pot: Path) -> None:
    pybabel(
        "extract",
        "-F",
        str(LOCALES / "babel.cfg"),
        "-k",
        "N_",
        "--no-location",
        "--sort-by-file",
        "--omit-header",
        "--project=okrdocs",
        "-o",
        str(pot),
        "okrdocs",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--init", metavar="LANG", help="start the catalog of a new language (de, pt_BR, ...)")
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    extract(POT)
    if args.init:
        pybabel("init", "-D", "okrdocs", "-i", str(POT), "-d", str(LOCALES), "-l", args.init)
    pybabel(
        "update",
        "-D",
        "okrdocs",
        "-i",
        str(POT),
        "-d",
        str(LOCALES),
        "--no-wrap",
        "--ignore-obsolete",
        "--ignore-pot-creation-date",
    )
    pybabel("compile", "-D", "okrdocs", "-d", str(LOCALES), "--statistics")
    return 0


if __name__ == "__main__":
    sys.exit(main())
