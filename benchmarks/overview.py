"""The overview page at scale, in Chromium: its HTML size, and how long sorting a column and
filtering the table take (issue 22.9: at most 2 MB, a sort under 300 ms).

Run it on a site the benchmark built and kept:

    python benchmarks/run.py --no-diagrams --keep /tmp/bench
    python benchmarks/overview.py /tmp/bench/scale-1/okrsite/site

Each sort is a click on a column header, every column in turn, scrolled into view first
as a reader sees it (so the frame paints the rows), timed in the page from the click to the
next frame after tablesort has moved the rows (the rows are laid out again by
then), and the click's own script (tablesort and okrdocs.js) apart; each filter is a change
of the URL fragment, timed the same way. Medians of five. When the table shows its first
rows only, the sorts are timed again after "Show all". The 1-minute load average before and
after is printed too: on a shared machine it explains more of the spread than the page does.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
ROUNDS = 5
COLUMNS = (
    "Team",
    "Objective",
    "Period",
    "Owner",
    "Score",
    "Expected",
    "Gap",
    "Change",
    "Confidence",
    "Status",
    "Updated",
    "Stale",
)

TIMED_CLICK = """
async (text) => {
  const header = [...document.querySelectorAll("table.okr-overview-table thead th")]
    .find((th) => th.textContent.startsWith(text));
  header.scrollIntoView();
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
  const start = performance.now();
  header.click();
  const script = performance.now() - start;
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done)));
  return [performance.now() - start, script];
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


ROWS_LAID_OUT = """
() => [...document.querySelectorAll("table.okr-overview-table tbody tr")]
  .filter((row) => row.getClientRects().length > 0).length
"""

SHOW_ALL = ".okr-show-all button"


def sorts(tab: Any, label: str) -> dict[str, float]:
    """Per column, the medians of click to next frame, and of the click's own script."""
    figures: dict[str, float] = {}
    for column in COLUMNS:
        rounds = [tab.evaluate(TIMED_CLICK, column) for _ in range(ROUNDS)]
        figures[f"sort {column}{label} ms"] = statistics.median(total for total, _ in rounds)
        figures[f"sort {column}{label}, script ms"] = statistics.median(script for _, script in rounds)
    return figures


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
            figures["rows laid out"] = tab.evaluate(ROWS_LAID_OUT)
            figures.update(sorts(tab, ""))
            team = tab.evaluate("document.querySelector('select[name=team] option:nth-child(2)').value")
            for fragment in (f"team={team}", "health=behind-pace", ""):
                figures[f"filter #{fragment} ms"] = statistics.median(
                    tab.evaluate(TIMED_FILTER, f"#{fragment}") for _ in range(ROUNDS)
                )
            if tab.locator(SHOW_ALL).is_visible():
                tab.locator(SHOW_ALL).click()
                figures["rows laid out, all shown"] = tab.evaluate(ROWS_LAID_OUT)
                figures.update(sorts(tab, ", all shown"))
            browser.close()
    finally:
        server.shutdown()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built okrdocs site (its site_dir)")
    load_before = os.getloadavg()
    figures = measure(parser.parse_args().site)
    figures["load (1 min) before, after"] = f"{load_before[0]:.2f}, {os.getloadavg()[0]:.2f}"
    for name, value in figures.items():
        shown = f"{value:,.0f}" if isinstance(value, float) else (f"{value:,}" if isinstance(value, int) else value)
        print(f"{name:>36}: {shown}")


if __name__ == "__main__":
    main()
