"""okrdocs' own code, as part of every cache key.

What one version of okrdocs' code made (parsed files, history, diagram plans, pages) must
not be reused by other code, even when the version number stays the same: a checkout, an
editable install, a branch.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).parents[2]
"""The `okrdocs` package folder."""


@cache
def code_identity() -> str:
    """A hash of the bytes of every module of okrdocs (once per process)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
