"""The overview of the current period (issue 22.1): counts by health, the team x health
heatmap rolled up the team tree, the attention list and the table of current objectives,
on sites built from a dated git history. Every figure is worked out by hand from the
commit dates in `gitrepo.check_in_history`, built on 2026-03-15 (MAR_15)."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_pace import help_at_risk, set_config

from gitrepo import MAR_15, Repo, history_site
from okrdocs.core.domain.model import Located, Objective, Period
from okrdocs.core.history.checkins import Point
from okrdocs.core.history.health import HEALTHS, healths, score_change
from okrdocs.core.history.timeline import SECONDS_PER_DAY, Timeline
from sitebuild import build_site, html_of

pytestmark = pytest.mark.slow  # builds whole sites


class Tables(HTMLParser):
    """Each table of a page by its class: rows of (the `<tr>`'s attributes, cell texts)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[tuple[dict[str, str | None], list[str]]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("class") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append((dict(attrs), []))
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self.tables[self._table][-1][1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def tables(page_html: str) -> dict[str, list[tuple[dict[str, str | None], list[str]]]]:
    parser = Tables()
    parser.feed(page_html)
    return parser.tables


def text_of(page_html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page_html).split())


@pytest.fixture
def repo(tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Repo:
    """The quarter of check-ins plus help at risk on MAR_10, built on MAR_15, behind_pace 0.2."""
    repository = history_site(tmp_path, okr_folder, monkeypatch, {"diagrams": False, "behind_pace": 0.2})
    repository.commits.append(help_at_risk(repository))
    return repository


def test_the_overview_counts_rolls_up_and_lists_every_current_objective(repo: Repo) -> None:
    page = html_of(build_site(repo.root / "mkdocs.yml"), "overview/")
    found = tables(page)
    # Current on 2026-03-15 (2026-Q1): grow (2026), sell-more (2026-Q1), help (2026-H1).
    # sell-more: 6 of 10 = 60%, expected 73/90 = 81%: behind (60 < 81 - 20); its file last
    #   changed on JAN_20, 54 days before: stale (stale_after 30).
    # help: 0.3 since MAR_10, at risk; expected 73/181 = 40%: not behind (30 >= 20).
    # grow: kr1 from its pickup (0.6) and kr2 0.5 = 55%; expected 73/365 = 20%.
    counts = dict(
        re.findall(
            r'okr-health--([a-z-]+)"><a class="okr-filter-link" data-okr-filter="health=\1">'
            r'<span class="okr-health-count__n">(\d+)',
            page,
        )
    )
    assert counts == {
        "on-track": "0", "at-risk": "1", "off-track": "0", "done": "0",
        "stale": "1", "no-check-in": "0", "behind-pace": "1",
    }  # fmt: skip

    heatmap = [cells for _, cells in found["okr-heatmap"]]
    assert heatmap[0] == [
        "Team",
        "Objectives",
        "on track",
        "at risk",
        "off track",
        "done",
        "stale",
        "no check-in yet",
        "behind pace",
    ]
    assert heatmap[1:] == [
        ["Acme", "3", "0", "1", "0", "0", "1", "0", "1"],  # its own grow, and its subteams'
        ["Sales", "1", "0", "0", "0", "0", "1", "0", "1"],
        ["Support", "1", "0", "1", "0", "0", "0", "0", "0"],
    ]

    header, *rows = found["okr-overview-table"]
    assert header[1] == [
        "Team", "Objective", "Period", "Owner", "Score", "Expected", "Gap", "Change (7 d)",
        "Confidence", "Status", "Updated", "Stale",
    ]  # fmt: skip
    # Change (7 d): from the last check-in on or before 2026-03-08. help was 0.5 (MAR_1)
    # and is 0.3 (MAR_10): -20 points; the others did not move since.
    assert [cells for _, cells in rows] == [
        ["Acme", "Grow the whole business", "2026", "–", "55%", "20%", "+35 pts", "±0 pts", "–", "", "2026-03-01", ""],
        ["Acme › Sales", "Double revenue", "2026-Q1", "–", "60%", "81%", "−21 pts", "±0 pts", "–", "", "2026-01-20", "stale"],
        ["Acme › Support", "Help customers faster", "2026-H1", "–", "30%", "40%", "−10 pts", "−20 pts", "–", "at risk", "2026-03-10", ""],
    ]  # fmt: skip
    assert [(attrs["data-teams"], attrs["data-health"]) for attrs, _ in rows] == [
        ("company", ""),
        ("company sales", "stale behind-pace"),
        ("company support", "at-risk"),
    ]
    # Sorting by a number column sorts by the exact value, not the printed text.
    assert '<td data-sort="0.6000">60%</td>' in page

    attention = text_of(page.split('id="okr-attention"')[1].split('id="okr-heatmap"')[0])
    assert "Behind pace (1) Double revenue · Sales · 60% of 81% expected" in attention
    assert "Stale (1) Double revenue · Sales" in attention
    assert "Off track" not in attention and "Delegations nobody picked up" not in attention
    # Links to the table, filtered, get their href from okrdocs.js (no filter without it).
    assert '<a class="okr-filter-link" data-okr-filter="team=sales&amp;health=stale">1</a>' in page
    assert 'href="#' not in page.split('id="okr-health"')[1].split('id="okr-objectives"')[0]


def test_a_delegation_picked_up_only_in_another_period_needs_attention(
    repo: Repo, okr_folder: Callable[..., Path]
) -> None:
    """grow#kr3 is delegated to support, whose only pickup is next quarter's objective."""
    grow = (repo.root / "okrs" / "company" / "grow.md").read_text(encoding="utf-8")
    okr_folder(
        {
            "company/grow.md": grow.replace(
                "key_results:\n",
                "key_results:\n  - id: kr3\n    title: Cut waiting times\n    delegated_to: support\n",
                1,
            ),
            "support/later.md": """
                ---
                title: Cut waiting times
                team: support
                period: 2026-Q2
                parent: grow#kr3
                key_results:
                  - id: kr1
                    title: Answer within an hour
                    progress: 0
                ---
                """,
        },
        minimal=False,
    )
    page = html_of(build_site(repo.root / "mkdocs.yml"), "overview/")
    attention = text_of(page.split('id="okr-attention-delegations">')[1].split("</ul>")[0])
    assert attention.startswith("Delegations nobody picked up (1)")
    assert "Cut waiting times · delegated to Support by Grow the whole business" in attention


def test_with_no_current_objective_the_overview_shows_the_latest_period(repo: Repo) -> None:
    set_config_plugin(repo, current_period="2027-Q1")
    page = html_of(build_site(repo.root / "mkdocs.yml"), "overview/")
    assert "No objectives in 2027-Q1, the current period; the latest period with objectives is 2026." in text_of(page)
    rows = tables(page)["okr-overview-table"][1:]
    assert [cells[1] for _, cells in rows] == ["Grow the whole business"]
    assert [cells[5] for _, cells in rows] == ["–"]  # no expected score outside the current period


def test_the_overview_is_in_the_nav_at_its_own_url(repo: Repo) -> None:
    set_config_plugin(repo, overview_url="dashboard")
    set_config(repo, nav=[{"Home": "index.md"}])
    site = build_site(repo.root / "mkdocs.yml")
    assert not (site / "overview").exists()
    page = html_of(site, "dashboard/")
    assert "<h1>Overview</h1>" in page
    # okrdocs adds its pages to a `nav` that does not list them, the overview after the vision.
    primary = page.split('class="md-nav md-nav--primary"')[1].split("md-sidebar--secondary")[0]
    hrefs = re.findall(r'<a href="([^"#]*)" class="md-nav__link', primary)
    assert hrefs == ["..", "../vision/", "./", "../teams/", "../periods/"]
    assert 'href="../teams/"' in page and 'href="../periods/"' in page


def test_a_page_kept_out_of_the_nav_marks_its_section_active(repo: Repo) -> None:
    """Team and objective pages are under Teams, period pages under Periods; the mark is
    gone on the next page the theme renders."""
    set_config(repo, nav=[{"Home": "index.md"}])
    site = build_site(repo.root / "mkdocs.yml")

    def active_entries(url: str) -> list[str]:
        primary = html_of(site, url).split('class="md-nav md-nav--primary"')[1].split("md-sidebar--secondary")[0]
        return re.findall(r'<li class="md-nav__item md-nav__item--active">\s*<a href="([^"]+)"', primary)

    assert active_entries("teams/sales/") == ["../"]
    assert active_entries("okrs/sell-more/") == ["../../teams/"]
    assert active_entries("periods/2026-Q1/") == ["../"]
    assert active_entries("vision/") == []  # the vision is its own entry, the current page


def set_config_plugin(repo: Repo, **options: object) -> None:
    import yaml

    config_file = repo.root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    for plugin in config["plugins"]:
        if isinstance(plugin, dict) and "okrdocs" in plugin:
            plugin["okrdocs"].update(options)
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")


# -- health and the change of a score, without a site ---------------------------------


def test_a_health_for_each_fact_that_holds() -> None:
    quarter = Period.parse("2026-Q1")
    assert quarter is not None
    time = Timeline(MAR_15, quarter)
    blank = Objective("x", "X", Located("t/x.md", 1), "t", quarter, None)
    assert healths(blank, None, time) == ("no-check-in",)
    assert healths(blank, 0.1, time) == ("behind-pace",)  # expected 73/90, 0.1 < 0.56
    done = Objective("x", "X", Located("t/x.md", 1), "t", quarter, None, status="done")
    assert healths(done, 1.0, time) == ("done",)
    assert HEALTHS[:4] == ("on-track", "at-risk", "off-track", "done")


def test_the_change_of_a_score_counts_from_the_last_check_in_before_the_window() -> None:
    time = Timeline(MAR_15, Period(2026, 1, 3))
    day = SECONDS_PER_DAY
    points = [Point(MAR_15 - 20 * day, "a", 0.2), Point(MAR_15 - 8 * day, "b", 0.4), Point(MAR_15 - day, "c", 0.7)]
    assert score_change(points, 0.7, time, 7) == pytest.approx(0.3)
    assert score_change(points, 0.7, time, 30) is None  # younger than the window
    assert score_change([], 0.7, time, 7) is None
    assert score_change(points, None, time, 7) is None
