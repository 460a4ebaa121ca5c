"""The overview page at scale, in Chromium: its HTML size, and how long sorting a column and
filtering the table take (issue 22.9: at most 2 MB, a sort under 300 ms).

Run it on a site the benchmark built and kept:

    python benchmarks/run.py --no-diagrams --keep /tmp/bench
    python benchmarks/overview.py /tmp/bench/scale-1/okrsite/site

Each sort is a click on a column header, timed in the page from the click to the next
frame after tablesort has moved the rows (the rows are laid out again by then); each
filter is a change of the URL fragment, timed the same way. Medians of five.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ROUNDS = 5
COLUMNS = ("Team", "Objective", "Score", "Gap", "Change")

TIMED_CLICK = """
async (text) => {
  const header = [...document.querySelectorAll("table.okr-overview-table thead th")]
    .find((th) => th.textContent.startsWith(text));
  const start = performance.now();
  header.click();
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
  return performance.now() - start;
}
"""

TIMED_FILTER = """
async (fragment) => {
  const start = performance.now();
  location.hash = fragment;
  await new Promise((done) => setTimeout(done));
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
  return performance.now() - start;
}
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def measure(site: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    page_file = site / "overview" / "index.html"
    html = page_file.read_text(encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    figures: dict[str, Any] = {"bytes": page_file.stat().st_size, "rows": html.count("<tr data-teams=")}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            tab = browser.new_page(viewport={"width": 1400, "height": 900})
            tab.goto(f"http://127.0.0.1:{server.server_address[1]}/overview/")
            tab.locator("form.okr-filter output").wait_for()
            figures["load_ms"] = tab.evaluate("performance.getEntriesByType('navigation')[0].duration")
            for column in COLUMNS:
                figures[f"sort {column} ms"] = statistics.median(
                    tab.evaluate(TIMED_CLICK, column) for _ in range(ROUNDS)
                )
            team = tab.evaluate("document.querySelector('select[name=team] option:nth-child(2)').value")
            for fragment in (f"team={team}", "health=behind-pace", ""):
                figures[f"filter #{fragment} ms"] = statistics.median(
                    tab.evaluate(TIMED_FILTER, f"#{fragment}") for _ in range(ROUNDS)
                )
            browser.close()
    finally:
        server.shutdown()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built okrdocs site (its site_dir)")
    figures = measure(parser.parse_args().site)
    for name, value in figures.items():
        print(f"{name:>28}: {value:,.0f}" if isinstance(value, float) else f"{name:>28}: {value:,}")


if __name__ == "__main__":
    main()
