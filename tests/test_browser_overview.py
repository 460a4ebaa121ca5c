"""The overview page in a real Chromium (issue 22.1): sorting by keyboard, filtering by the
URL fragment, by the filter's menus and from the heatmap, no sideways scroll on a phone,
axe in both palettes, print without controls, the table without JavaScript, and the
README's picture of it.

The demo site is built on 2026-03-15 (SOURCE_DATE_EPOCH), in the quarter its objectives
are written for, so the overview has a quarter's worth of rows whatever today's date.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from test_browser import (  # noqa: F401  (fixtures; open_tab opens this module's base_url)
    DEMO,
    README_IMAGES,
    Reader,
    axe_violations,
    browser,
    open_tab,
    screenshots,
    serving,
)

from gitrepo import MAR_15
from okrdocs.core.domain.model import Period
from okrdocs.core.history.timeline import phase_of
from sitebuild import build_site, copy_demo_site

pytestmark = pytest.mark.browser

QUARTER = Period(2026, 1, 3)
CURRENT = [o for o in DEMO.objectives.values() if phase_of(o.period, QUARTER) == "current"]
"""The objectives the overview shows: those whose period overlaps 2026-Q1."""


def in_subtree(team_id: str) -> set[str]:
    """The current objectives of `team_id` and of every team below it."""
    return {
        o.id
        for o in CURRENT
        if o.team_id in DEMO.teams and team_id in [t.id for t in DEMO.team_chain(DEMO.teams[o.team_id])]
    }


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    config_file = copy_demo_site(tmp_path_factory.mktemp("overview-demo"))
    settings = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config_file.write_text(yaml.safe_dump(settings), encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:  # module-scoped: conftest's build date is not set yet
        env.setenv("SOURCE_DATE_EPOCH", str(MAR_15))
        site = build_site(config_file)
    with serving(site) as url:
        yield url


SHOWN_ROWS = """
() => [...document.querySelectorAll("table.okr-overview-table tbody tr")]
  .filter(row => !row.hidden && row.getClientRects().length > 0)
  .map(row => ({
    id: new URL(row.cells[1].querySelector("a").href).pathname.split("/").filter(Boolean).pop(),
    score: parseFloat(row.cells[4].dataset.sort),
  }))
"""


def shown(tab: Reader) -> list[dict[str, Any]]:
    return tab.page.evaluate(SHOWN_ROWS)


def test_without_a_filter_every_current_objective_is_a_row(open_tab: Any) -> None:
    tab = open_tab(1400)
    tab.open("overview/")
    tab.page.locator("form.okr-filter output").wait_for()
    assert sorted(row["id"] for row in shown(tab)) == sorted(o.id for o in CURRENT)
    total = len(CURRENT)
    assert tab.page.locator("form.okr-filter output").text_content() == f"{total} of {total} objectives shown"
    tab.assert_clean()


def test_a_link_with_a_fragment_opens_the_table_filtered(open_tab: Any) -> None:
    tab = open_tab(1400)
    tab.open("overview/#team=sales&health=on-track")
    tab.page.locator("form.okr-filter output").wait_for()
    expected = {o.id for o in CURRENT if o.id in in_subtree("sales") and o.status == "on-track"}
    assert expected, "the demo has on-track objectives under sales"
    assert {row["id"] for row in shown(tab)} == expected
    assert tab.page.locator("select[name=team]").input_value() == "sales"
    assert tab.page.locator("select[name=health]").input_value() == "on-track"
    # The filtered table is in view: the link was shared to show it.
    assert tab.page.locator("form.okr-filter").evaluate("form => form.getBoundingClientRect().top < innerHeight")
    tab.assert_clean()


def test_the_menus_filter_by_keyboard_and_write_the_fragment(open_tab: Any) -> None:
    tab = open_tab(1400)
    tab.open("overview/")
    team = tab.page.locator("select[name=team]")
    team.focus()
    team.select_option("sales")  # as the arrow keys would choose it
    assert tab.page.evaluate("location.hash") == "#team=sales"
    assert {row["id"] for row in shown(tab)} == in_subtree("sales")
    tab.page.locator("select[name=health]").select_option("at-risk")
    assert tab.page.evaluate("location.hash") == "#team=sales&health=at-risk"
    assert {row["id"] for row in shown(tab)} == {
        o for o in in_subtree("sales") if DEMO.objectives[o].status == "at-risk"
    }
    team.select_option("")
    tab.page.locator("select[name=health]").select_option("")
    assert tab.page.evaluate("location.hash") == ""
    assert len(shown(tab)) == len(CURRENT)
    tab.assert_clean()


def test_a_heatmap_cell_filters_the_table(open_tab: Any) -> None:
    tab = open_tab(1400)
    tab.open("overview/")
    cell = tab.page.locator('table.okr-heatmap td.okr-health--on-track a[href$="#team=sales&health=on-track"]')
    count = int(cell.text_content() or "0")
    cell.click()
    tab.page.wait_for_function("location.hash === '#team=sales&health=on-track'")
    assert len(shown(tab)) == count
    tab.assert_clean()


def test_every_column_sorts_by_keyboard(open_tab: Any) -> None:
    tab = open_tab(1400)
    tab.open("overview/")
    header = tab.page.locator("table.okr-overview-table thead th", has_text="Score")
    header.focus()
    tab.page.keyboard.press("Enter")
    first = [row["score"] for row in shown(tab)]
    order = header.get_attribute("aria-sort")
    assert order in ("ascending", "descending")
    assert first == sorted(first, reverse=order == "descending")
    tab.page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") != order
    assert [row["score"] for row in shown(tab)] == list(reversed(first)) or len(set(first)) < len(first)
    # Every header is a control a keyboard reaches.
    headers = tab.page.locator("table.okr-overview-table thead th")
    assert all(headers.nth(i).get_attribute("tabindex") == "0" for i in range(headers.count()))
    tab.assert_clean()


def test_sorting_keeps_the_filter(open_tab: Any) -> None:
    tab = open_tab(1400)
    tab.open("overview/#team=sales")
    tab.page.locator("form.okr-filter output").wait_for()
    tab.page.locator("table.okr-overview-table thead th", has_text="Gap").click()
    assert {row["id"] for row in shown(tab)} == in_subtree("sales")
    tab.assert_clean()


def test_without_javascript_the_table_is_plain_and_whole(open_tab: Any) -> None:
    tab = open_tab(1400, javascript=False)
    tab.open("overview/#team=sales")
    assert not tab.page.locator("form.okr-filter").is_visible()
    assert tab.page.locator("table.okr-overview-table tbody tr").count() == len(CURRENT)
    tab.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_in_the_overview(open_tab: Any, scheme: str) -> None:
    tab = open_tab(1400, scheme)
    tab.open("overview/#health=on-track")
    tab.page.locator("form.okr-filter output").wait_for()
    assert axe_violations(tab) == []
    tab.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_on_a_phone_the_overview_does_not_scroll_sideways(open_tab: Any, scheme: str) -> None:
    tab = open_tab(390, scheme)
    tab.open("overview/")
    tab.page.locator("form.okr-filter output").wait_for()
    sizes = tab.page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sizes[0] <= sizes[1], sizes
    assert tab.page.evaluate("[...document.querySelectorAll('.okr-status')].every(p => p.getClientRects().length <= 1)")
    tab.assert_clean()


def test_printing_the_overview_shows_no_filter(open_tab: Any) -> None:
    tab = open_tab(1400, "dark")
    tab.open("overview/")
    tab.page.locator("form.okr-filter output").wait_for()
    tab.page.emulate_media(media="print")
    assert not tab.page.locator("form.okr-filter").is_visible()
    assert tab.page.locator("table.okr-overview-table").is_visible()
    tab.assert_clean()


def test_screenshot_of_the_overview(open_tab: Any, screenshots: Path) -> None:
    """The README's picture. Written to docs/images only with OKRDOCS_UPDATE_SCREENSHOTS=1."""
    folder = README_IMAGES if os.environ.get("OKRDOCS_UPDATE_SCREENSHOTS") == "1" else screenshots
    folder.mkdir(parents=True, exist_ok=True)
    tab = open_tab(1400)
    tab.page.set_viewport_size({"width": 1400, "height": 1000})
    tab.open("overview/")
    tab.page.locator("form.okr-filter output").wait_for()
    tab.page.screenshot(path=str(folder / "overview.png"))
    assert (folder / "overview.png").stat().st_size < 400_000
    tab.assert_clean()
