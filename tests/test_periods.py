"""Periods on the built site: current objectives first, "Next", "Earlier" folded, a page per
period and the period index, with sparklines, "updated" dates and stale badges."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitrepo import history_site
from sitebuild import broken_links, build_site, html_of, write_site

pytestmark = pytest.mark.slow  # builds whole sites


@pytest.fixture
def site(tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """Built on 2026-03-15 (current period 2026-Q1) from three commits of that quarter."""
    return build_site(history_site(tmp_path, okr_folder, monkeypatch).root / "mkdocs.yml")


def section(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def test_team_page_shows_current_first_then_next_then_earlier_folded_newest_first(site: Path) -> None:
    page = html_of(site, "teams/sales/")
    order = [page.index(marker) for marker in (
        '<h3 id="okr-period-2026-Q1">2026-Q1 <span class="okr-current">current</span></h3>',
        '<h3 id="okr-next">Next</h3>',
        '<h4 id="okr-period-2026-Q2">2026-Q2</h4>',
        '<details class="okr-earlier" id="okr-earlier">\n<summary>Earlier (2 objectives in 2 periods)</summary>',
        '<h4 id="okr-period-2025-Q4">2025-Q4</h4>',
        '<h4 id="okr-period-2025-Q3">2025-Q3</h4>',
        "</details>",
    )]  # fmt: skip
    assert order == sorted(order)
    earlier = section(page, '<details class="okr-earlier"', "</details>")
    assert "last-quarter" in earlier and "summer-2025" in earlier and "sell-more" not in earlier


def test_vision_page_shows_current_company_objectives_first(site: Path) -> None:
    page = html_of(site, "vision/")
    assert '<h3 id="okr-period-2026">2026 <span class="okr-current">current</span></h3>' in page
    assert page.index('id="okr-period-2026"') < page.index('id="okr-next"') < page.index('class="okr-earlier"')
    assert '<a href="../periods/">All periods</a>' in page


def test_cards_show_sparkline_updated_date_and_stale_badge(site: Path) -> None:
    card = section(html_of(site, "teams/sales/"), 'id="okr-o-sell-more"', "</section>")
    assert '<svg class="okr-trend__spark"' in card
    assert "Score history: 2026-01-05: 40% to 2026-01-20: 60%, 2 check-ins" in card
    assert 'updated <time datetime="2026-01-20T10:00:00Z">2026-01-20</time>' in card
    assert 'class="okr-stale"' in card
    fresh = section(html_of(site, "teams/support/"), 'id="okr-o-help"', "</section>")
    assert "updated" in fresh and 'class="okr-stale"' not in fresh


def test_period_page_groups_that_periods_objectives_by_team(site: Path) -> None:
    page = html_of(site, "periods/2026-Q1/")
    assert '<h1>2026-Q1 <span class="okr-current">current</span></h1>' in page
    assert '<h2 id="okr-team-sales"><a class="okr-team" href="../../teams/sales/">Sales</a></h2>' in page
    row = section(page, '<a href="../../okrs/sell-more/">', "</tr>")
    # The current period's score bar marks the expected score: 73 of 2026-Q1's 90 days.
    assert '<span class="okr-score okr-score--paced" style="--okr-score:60%;--okr-expected:0.811"' in row
    assert '<svg class="okr-trend__spark"' in row and 'class="okr-stale"' in row
    assert "help" not in page  # 2026-H1: its own page
    assert '<a href="../../okrs/help/">' in html_of(site, "periods/2026-H1/")


def test_period_index_is_newest_first_with_the_current_ones_marked(site: Path) -> None:
    page = html_of(site, "periods/")
    listed = re.findall(r'<li><a href="([^"]+)/">[^<]+</a>( <span class="okr-current">current</span>)?', page)
    assert listed == [
        ("2026", ' <span class="okr-current">current</span>'),
        ("2026-H1", ' <span class="okr-current">current</span>'),
        ("2026-Q2", ""),
        ("2026-Q1", ' <span class="okr-current">current</span>'),
        ("2025-Q4", ""),
        ("2025-Q3", ""),
    ]


def test_objective_page_charts_each_key_result_with_dates_as_text(site: Path) -> None:
    page = html_of(site, "okrs/sell-more/")
    trends = page[page.index('<h2 id="okr-trends">Score over time</h2>') :]
    assert trends.count('<svg class="okr-trend__chart"') == 2  # the objective and its one KR
    assert (
        '<ol class="okr-sr-only" aria-label="Check-ins of this key result&#39;s score"><li>2026-01-05: 40%</li><li>2026-01-20: 60%</li></ol>'
        in trends
    )
    assert '<a href="../../periods/2026-Q1/">2026-Q1</a>' in page
    assert '<tr><th>Updated<span class="okr-sr-only">: </span></th><td>' in page
    # Readable without hovering: the whole quarter, today (15 March), the pace, the ends as text.
    assert trends.count('class="okr-trend__today"') == 2 and trends.count('class="okr-trend__pace"') == 2
    assert ">2026-01-01</text>" in trends and ">2026-03-31</text>" in trends
    assert '<span class="okr-trend__ends" aria-hidden="true">2026-01-05: 40% → 2026-01-20: 60%</span>' in trends


def test_current_period_option_moves_what_is_current(
    tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = history_site(tmp_path, okr_folder, monkeypatch, plugin={"diagrams": False, "current_period": "2025-Q4"})
    site = build_site(repo.root / "mkdocs.yml")
    page = html_of(site, "teams/sales/")
    assert '<h3 id="okr-period-2025-Q4">2025-Q4 <span class="okr-current">current</span></h3>' in page
    assert page.index('id="okr-period-2025-Q4"') < page.index('id="okr-next"') < page.index('id="okr-period-2026-Q1"')
    # Stale applies to the current period only: the 2025-Q4 objective now, not sell-more.
    assert 'class="okr-stale"' in section(page, 'id="okr-o-last-quarter"', "</section>")
    assert 'class="okr-stale"' not in section(page, 'id="okr-o-sell-more"', "</section>")


def test_periods_are_in_the_nav_and_every_link_resolves(site: Path) -> None:
    home = html_of(site, "")
    nav = home[
        home.index('<nav class="md-nav md-nav--primary"') : home.index(
            "</nav>", home.index('<nav class="md-nav md-nav--primary"')
        )
    ]
    assert 'href="periods/"' in nav and "periods/2026-Q1/" not in nav
    assert broken_links(site) == []


def test_a_bad_current_period_is_a_config_error(tmp_path: Path) -> None:
    from sitebuild import run_mkdocs

    run = run_mkdocs(write_site(tmp_path, plugin={"current_period": "2026-Q5"}))
    assert run.returncode == 1
    assert (
        "current_period is '2026-Q5': write auto, a year (2026), a half (2026-H1) or a quarter (2026-Q3)" in run.stderr
    )


def test_trend_charts_are_put_in_after_the_search_index_is_made(site: Path) -> None:
    index = (site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Score over time" in html_of(site, "okrs/sell-more/")
    assert "okr-trend__chart" not in index and "Check-ins of" not in index
    assert "<!-- okrdocs:trends -->" not in html_of(site, "okrs/sell-more/")


def test_okrdocs_generate_writes_the_period_pages_and_the_trends_too(
    tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, okrdocs: Callable[..., Any]
) -> None:
    history_site(tmp_path, okr_folder, monkeypatch)
    run = okrdocs("generate", "--out", "docs/okr")
    assert run.status == 0, run.err
    out = tmp_path / "docs" / "okr"
    assert '<svg class="okr-trend__chart"' in (out / "okrs" / "sell-more.md").read_text(encoding="utf-8")
    period = (out / "periods" / "2026-Q1.md").read_text(encoding="utf-8")
    assert 'class="okr-stale"' in period and "okr-trend__spark" in period
    assert (out / "periods.md").is_file()
