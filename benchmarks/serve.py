"""Serve mode of the benchmark: how long an edit takes to show under `mkdocs serve`.

For each site (plain MkDocs pages, okrdocs) and each kind of build (`mkdocs serve` and
`mkdocs serve --dirty`), a child process drives MkDocs' build the way `mkdocs serve`
does (`mkdocs/commands/serve.py`): `on_startup` once, the config read again for every
build, plugins that define `on_startup` kept, `on_serve` after the first build, one site
folder for the whole session, `dirty` passed through.
It builds once (the server's first build, not timed), changes the title of one objective
(the okrdocs site's OKR file, the plain site's Markdown page of the same objective), and
times the rebuild from the moment the file is written to the end of `build()`.

What this leaves out, the same for both sites: the file watcher's delay before it calls
the build (about a quarter of a second in MkDocs 1.6), and the browser's reload.

    python benchmarks/run.py --serve            # at scale 1, with the other figures
    python benchmarks/serve.py SITE/mkdocs.yml OKRS/FILE.md dirty okrdocs --edits 5 --profile rebuilds.prof
                                                # one session, five edits in a row, profiled
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

EDIT_PREFIX = "Edited "


def edit_title(path: Path) -> None:
    """Prefix the first title of an OKR file (`title: `) or a Markdown page (`# `)."""
    text = path.read_text(encoding="utf-8")
    marker = "title: " if path.suffix == ".md" and text.startswith("---") else "# "
    path.write_text(text.replace(marker, marker + EDIT_PREFIX, 1), encoding="utf-8")


def main(
    config_file: str, edited: str, dirty: bool, counter: str | None, edits: int = 1, profile: str | None = None
) -> None:
    """Build as `mkdocs serve` does, then edit and build again `edits` times; print the
    figures as JSON (`before_serving`: the `on_serve` events after the first build;
    `rebuild`: the first edit's; `rebuilds`, `cpu`: each edit's wall and CPU seconds of
    this process). `profile`: a cProfile of the rebuilds only (in CPU
    seconds), to that file."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import cProfile
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.basicConfig(level=logging.ERROR)
    site_dir = Path(config_file).parent / "served"
    url = "http://127.0.0.1:8000/"

    def one_build(first: bool = False) -> tuple[float, object]:
        start = time.perf_counter()
        config = load_config(config_file, site_dir=str(site_dir))
        config.site_url = url
        if first:  # once, before the first build; the plugins that define it are kept after
            config.plugins.on_startup(command="serve", dirty=dirty)
        build(config, serve_url=url, dirty=dirty)
        return time.perf_counter() - start, config

    first, config = one_build(first=True)
    started = time.perf_counter()
    # As the server does before it serves (the plugins here only keep the server, so any object will do).
    config.plugins.on_serve(object(), config=config, builder=one_build)
    before_serving = time.perf_counter() - started
    path = Path(edited)
    saved = path.read_bytes()
    # CPU time, not wall time: the machine is shared, and waiting on other work is no cost of ours.
    profiler = cProfile.Profile(time.process_time) if profile else None
    rebuilds: list[float] = []
    cpu: list[float] = []
    try:
        for _ in range(edits):
            start, start_cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            edit_title(path)
            _, config = one_build()
            if profiler:
                profiler.disable()
            rebuilds.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    finally:
        path.write_bytes(saved)
    if profiler and profile:
        profiler.dump_stats(profile)
    plugin = config.plugins.get(counter) if counter else None  # type: ignore[attr-defined]
    rendered = getattr(plugin, "pages_rendered", None)
    config.plugins.on_shutdown()  # type: ignore[attr-defined]
    figures = {
        "first": first,
        "before_serving": before_serving,
        "rebuild": rebuilds[0],
        "rendered": rendered,
        "rebuilds": rebuilds,
        "cpu": cpu,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("config_file")
    parser.add_argument("edited", help="the file whose first title each edit prefixes")
    parser.add_argument("kind", choices=("dirty", "clean"))
    parser.add_argument("counter", nargs="?", help="the plugin whose `pages_rendered` to report")
    parser.add_argument("--edits", type=int, default=1, help="edits in a row, each timed (default 1)")
    parser.add_argument("--profile", help="write a cProfile of the rebuilds only to this file")
    args = parser.parse_args()
    main(args.config_file, args.edited, args.kind == "dirty", args.counter, args.edits, args.profile)
