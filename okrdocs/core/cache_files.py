"""Writing okrdocs' cache files (parsed OKR files, history, diagrams) whole or not at all.

Another build may read a cache file while this one writes it, and a build may be stopped
half-way: each file is written to a temporary file beside it, then renamed over it. A
cache that cannot be written only makes the next build slower, never fails this one.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def write_atomically(path: Path, content: str | bytes) -> bool:
    """Write `content` (text as UTF-8) to `path` through a rename; False when it could not."""
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as error:
        log.debug("could not write the cache file %s: %s", path, error)
        return False
    return True
