"""Serve mode of the benchmark: how long an edit takes to show under `mkdocs serve`.

For each site (plain MkDocs pages, okrdocs) and each kind of build (`mkdocs serve` and
`mkdocs serve --dirty`), a child process drives MkDocs' build the way `mkdocs serve`
does (`mkdocs/commands/serve.py`): the config read again for every build, plugins that
define `on_startup` kept, one site folder for the whole session, `dirty` passed through.
It builds once (the server's first build, not timed), changes the title of one objective
(the okrdocs site's OKR file, the plain site's Markdown page of the same objective), and
times the rebuild from the moment the file is written to the end of `build()`.

What this leaves out, the same for both sites: the file watcher's delay before it calls
the build (about a quarter of a second in MkDocs 1.6), and the browser's reload.

    python benchmarks/run.py --serve            # at scale 1, with the other figures
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

EDIT_PREFIX = "Edited "


def edit_title(path: Path) -> None:
    """Prefix the first title of an OKR file (`title: `) or a Markdown page (`# `)."""
    text = path.read_text(encoding="utf-8")
    marker = "title: " if path.suffix == ".md" and text.startswith("---") else "# "
    path.write_text(text.replace(marker, marker + EDIT_PREFIX, 1), encoding="utf-8")


def main(config_file: str, edited: str, dirty: bool, counter: str | None) -> None:
    """Build as `mkdocs serve` does, edit, build again; print the figures as JSON."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.basicConfig(level=logging.ERROR)
    site_dir = Path(config_file).parent / "served"
    url = "http://127.0.0.1:8000/"

    def one_build() -> tuple[float, object]:
        start = time.perf_counter()
        config = load_config(config_file, site_dir=str(site_dir))
        config.site_url = url
        config.plugins.on_startup(command="serve", dirty=dirty)
        build(config, serve_url=url, dirty=dirty)
        return time.perf_counter() - start, config

    first, _ = one_build()
    path = Path(edited)
    saved = path.read_bytes()
    try:
        start = time.perf_counter()
        edit_title(path)
        _, config = one_build()
        rebuild = time.perf_counter() - start
    finally:
        path.write_bytes(saved)
    plugin = config.plugins.get(counter) if counter else None  # type: ignore[attr-defined]
    rendered = getattr(plugin, "pages_rendered", None)
    config.plugins.on_shutdown()  # type: ignore[attr-defined]
    print(json.dumps({"first": first, "rebuild": rebuild, "rendered": rendered}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] == "dirty", sys.argv[4] if len(sys.argv) > 4 else None)
