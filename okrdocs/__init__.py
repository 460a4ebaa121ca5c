"""okrdocs: OKRs as docs-as-code, published and checked by a MkDocs plugin."""

import hashlib
from pathlib import Path

from .core.check import CheckResult, check_folder

__all__ = ["CheckResult", "check_folder"]
__version__ = "0.1.0"


def code_identity() -> str:
    """okrdocs' version and the bytes of its modules, for the caches (parsed files, diagram
    plans): what okrdocs' code made must not be reused by other code, even when the version
    number stays the same (a checkout, an editable install)."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()
