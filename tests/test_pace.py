"""Pace, forecast and what changed (issue 22): okrs.json's `expected`, `behind_pace`,
`forecast` and `changes`, the pages' score marks, change lists and the sentence for an
empty current period, and quarters of a fiscal year, on sites built from dated git
histories. Every figure is worked out by hand here, from the dates of the commits."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitrepo import JAN_5, JAN_20, MAR_1, MAR_15, Repo, history_site
from okrdocs.core.domain.model import Period
from okrdocs.core.history.timeline import current_period, period_span
from sitebuild import build_site, write_site

pytestmark = pytest.mark.slow  # builds whole sites

MAR_10 = "2026-03-10T10:00:00Z"


def at(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def okrs_json(site: Path) -> dict[str, Any]:
    return json.loads((site / "okrs.json").read_text(encoding="utf-8"))


def by_id(data: dict[str, Any]) -> dict[str, Any]:
    return {o["id"]: o for o in data["objectives"]}


def kr(objective: dict[str, Any], kr_id: str) -> dict[str, Any]:
    return next(k for k in objective["key_results"] if k["id"] == kr_id)


def help_at_risk(repo: Repo) -> str:
    """A fourth check-in, on MAR_10: help#kr1 falls back to 0.3 and help is at risk."""
    from conftest import MINIMAL_ORGANISATION

    text = MINIMAL_ORGANISATION["support/help.md"].replace("progress: 0.25", "progress: 0.3")
    text = text.replace("parent: grow\n", "parent: grow\n        status: at-risk\n")
    return repo.commit("Support falls behind", {"support/help.md": text}, date=MAR_10)


def set_config(repo: Repo, **settings: Any) -> None:
    config_file = repo.root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config.update(settings)
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Repo:
    """The quarter of check-ins (JAN_5, JAN_20, MAR_1) plus MAR_10, built on MAR_15, with
    behind_pace 0.2 and a repo_url for commit links."""
    repository = history_site(tmp_path, okr_folder, monkeypatch, {"diagrams": False, "behind_pace": 0.2})
    repository.commits.append(help_at_risk(repository))
    set_config(repository, repo_url="https://github.com/acme/okrs")
    return repository


def test_expected_behind_pace_and_forecast_in_okrs_json(repo: Repo) -> None:
    objectives = by_id(okrs_json(build_site(repo.root / "mkdocs.yml")))
    # Built on 2026-03-15 00:00 UTC: 31 (January) + 28 (February) + 14 days into the year.
    assert at("2026-03-15T00:00:00Z") == MAR_15
    elapsed = 31 + 28 + 14
    # sell-more, 2026-Q1: 90 days (Jan 1 to Apr 1); its score is 6 of 10.
    sell_more = objectives["sell-more"]
    assert sell_more["expected"] == pytest.approx(elapsed / 90)  # 0.8111
    assert sell_more["score"] == pytest.approx(0.6)
    assert sell_more["behind_pace"] is True  # 0.6 < 0.8111 - 0.2 = 0.6111
    # help, 2026-H1: 181 days (Jan 1 to Jul 1); score 0.3 since MAR_10.
    help_ = objectives["help"]
    assert help_["expected"] == pytest.approx(elapsed / 181)  # 0.4033
    assert help_["behind_pace"] is False  # 0.3 is not below 0.4033 - 0.2 = 0.2033
    assert kr(help_, "kr1")["expected"] == pytest.approx(elapsed / 181)
    # grow, 2026: 365 days; kr1 scores as sell-more (0.6), kr2 is 0.5.
    assert objectives["grow"]["expected"] == pytest.approx(elapsed / 365)  # 0.2
    assert objectives["grow"]["behind_pace"] is False
    # Objectives of other periods have no pace.
    for other in ("summer-2025", "last-quarter", "next-quarter"):
        assert (objectives[other]["expected"], objectives[other]["behind_pace"], objectives[other]["forecast"]) == (
            None,
            None,
            None,
        )

    # help#kr1's check-ins in H1, in days from Jan 1 00:00: JAN_5 10:00, MAR_1 10:00, MAR_10 10:00.
    xs = [4 + 10 / 24, 31 + 28 + 10 / 24, 31 + 28 + 9 + 10 / 24]
    ys = [0.25, 0.5, 0.3]
    mean_x, mean_y = sum(xs) / 3, sum(ys) / 3  # 44.0833, 0.35
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum((x - mean_x) ** 2 for x in xs)
    assert slope == pytest.approx(5.05 / 2400.6667, rel=1e-4)  # 0.0021036 a day
    expected_forecast = mean_y + slope * (181 - mean_x)  # at Jul 1: 0.35 + 0.2880
    assert expected_forecast == pytest.approx(0.638, abs=1e-3)
    assert kr(help_, "kr1")["forecast"] == pytest.approx(expected_forecast)
    assert help_["forecast"] == pytest.approx(expected_forecast)  # its only key result
    # sell-more#kr1: 0.4 on JAN_5, 0.6 on JAN_20: +0.2 in 15 days, 70 days 14 hours before
    # Apr 1: 0.6 + 0.2 * 70.583 / 15 = 1.54, clamped to 1.
    assert kr(sell_more, "kr1")["forecast"] == 1.0
    # grow#kr2 never changed: one point, no line.
    assert kr(objectives["grow"], "kr2")["forecast"] is None


def test_changes_in_okrs_json(repo: Repo) -> None:
    first, second, third, fourth = repo.commits
    changes = okrs_json(build_site(repo.root / "mkdocs.yml"))["changes"]

    def row(date: str, commit: str | None, objective: str, kr: str | None, kind: str, old: Any, new: Any) -> dict:
        return {"date": date, "commit": commit, "objective": objective, "key_result": kr, "kind": kind,
                "from": old, "to": new}  # fmt: skip

    jan_5, jan_20, mar_1, mar_10 = (f"2026-{d}T10:00:00Z" for d in ("01-05", "01-20", "03-01", "03-10"))
    assert [JAN_5, JAN_20, MAR_1] == [jan_5, jan_20, mar_1]
    assert changes == [
        # The first commit adds every objective, by id; sell-more picks up grow#kr1.
        row(jan_5, first, "grow", None, "added", None, None),
        row(jan_5, first, "help", None, "added", None, None),
        row(jan_5, first, "last-quarter", None, "added", None, None),
        row(jan_5, first, "next-quarter", None, "added", None, None),
        row(jan_5, first, "sell-more", None, "added", None, None),
        row(jan_5, first, "grow", "kr1", "picked-up", None, "sell-more"),
        row(jan_5, first, "summer-2025", None, "added", None, None),
        # sell-more#kr1 from 4 to 6 of 10: its score from 0.4 to 0.6.
        row(jan_20, second, "sell-more", "kr1", "score", 0.4, 0.6),
        row(jan_20, second, "sell-more", "kr1", "value", 4, 6),
        # sell-more (2026-Q1, current) has no commit since JAN_20: stale 30 days later.
        row("2026-02-19T10:00:00Z", None, "sell-more", None, "stale", None, None),
        # grow was only retitled: no row.
        row(mar_1, third, "help", "kr1", "score", 0.25, 0.5),
        row(mar_10, fourth, "help", None, "status", None, "at-risk"),
        row(mar_10, fourth, "help", "kr1", "score", 0.5, 0.3),
    ]


def test_team_and_period_pages_list_the_changes_of_the_last_days(repo: Repo) -> None:
    site = build_site(repo.root / "mkdocs.yml")
    support = (site / "teams/support/index.html").read_text(encoding="utf-8")
    assert '<h2 id="okr-changes">Changes in the last 7 days</h2>' in support
    items = re.findall(r'<ul class="okr-changes">(.*?)</ul>', support, re.DOTALL)[0]
    # Newest first; MAR_1's change (14 days before MAR_15) is too old.
    texts = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip()
        for li in re.findall(r"<li>(.*?)</li>", items, re.DOTALL)
    ]
    short = repo.commits[3][:7]
    assert texts == [
        f"2026-03-10 Help customers faster: status none → at risk ({short})",
        f"2026-03-10 Help customers faster, key result Answer every ticket within a day: score 50% → 30% ({short})",
    ]
    assert f'href="https://github.com/acme/okrs/commit/{repo.commits[3]}"' in items
    sales = (site / "teams/sales/index.html").read_text(encoding="utf-8")
    assert "<p>No changes in the last 7 days.</p>" in sales
    # The period page of 2026-H1 lists help's changes; 2026-Q1's none.
    assert "status none → at risk" in re.sub(r"<[^>]+>", "", (site / "periods/2026-H1/index.html").read_text("utf-8"))
    assert "<p>No changes in the last 7 days.</p>" in (site / "periods/2026-Q1/index.html").read_text("utf-8")


def test_score_bars_of_current_objectives_mark_the_expected_score(repo: Repo) -> None:
    site = build_site(repo.root / "mkdocs.yml")
    sales = (site / "teams/sales/index.html").read_text(encoding="utf-8")
    # sell-more: 73 of 90 days, 81%; its score 60%.
    assert (
        '<span class="okr-score okr-score--paced" style="--okr-score:60%;--okr-expected:0.811" '
        'title="expected by now: 81%">60%<span class="okr-sr-only"> (expected by now: 81%)</span></span>'
    ) in sales
    # last-quarter (2025-Q4) is not current: a plain bar.
    last = (site / "okrs/last-quarter/index.html").read_text(encoding="utf-8")
    assert '<span class="okr-score" style="--okr-score:50%">50%</span>' in last
    assert "okr-score--paced" not in last


# -- periods without objectives, and fiscal years ------------------------------------


def test_an_empty_current_period_shows_the_latest_one_with_objectives(
    tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    okr_folder()
    config = write_site(tmp_path, okrs=None, plugin={"diagrams": False})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(at("2027-02-01T00:00:00Z")))  # 2027-Q1: nothing
    site = build_site(config)
    sales = (site / "teams/sales/index.html").read_text(encoding="utf-8")
    sentence = '<p class="okr-no-current">No objectives in 2027-Q1, the current period; the latest period with objectives is 2026-Q1.</p>'
    assert sentence in sales
    unfolded = sales.split(sentence, 1)[1]
    assert unfolded.index('id="okr-period-2026-Q1"') < unfolded.index("Double revenue")
    assert "<details" not in unfolded.split("Double revenue", 1)[0]  # shown, not folded
    vision = (site / "vision/index.html").read_text(encoding="utf-8")
    assert (
        '<p class="okr-no-current">No objectives in 2027-Q1, the current period; '
        "the latest period with objectives is 2026.</p>"
    ) in vision


def test_fiscal_quarters_are_named_by_the_year_in_which_the_fiscal_year_ends() -> None:
    # With a fiscal year from February, 20 March 2026 lies in FY2027's first quarter.
    march_20 = at("2026-03-20T00:00:00Z")
    assert current_period("auto", march_20, fiscal_year_start=2) == Period.parse("2027-Q1")
    assert current_period("auto", march_20) == Period.parse("2026-Q1")
    assert Period.holding(2026, 1, 3, fiscal_year_start=2) == Period.parse("2026-Q4")  # FY2026 ends in January
    assert Period.holding(2025, 10, 12, fiscal_year_start=10) == Period.parse("2026")  # October starts FY2026
    # 2027-Q1 runs from 1 February to 1 May 2026; 2027-H2 from 1 August 2026 to 1 February 2027.
    assert period_span(Period.parse("2027-Q1"), 2) == (at("2026-02-01T00:00:00Z"), at("2026-05-01T00:00:00Z"))  # type: ignore[arg-type]
    assert period_span(Period.parse("2027-H2"), 2) == (at("2026-08-01T00:00:00Z"), at("2027-02-01T00:00:00Z"))  # type: ignore[arg-type]


def test_an_objectives_period_follows_the_fiscal_year(
    tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    okr_folder({"sales/fiscal.md": """
        ---
        title: Sell in the first fiscal quarter
        team: sales
        period: 2027-Q1
        parent: vision
        key_results:
          - id: kr1
            title: Sign five customers
            progress: 0.2
        ---
        """})  # fmt: skip
    config = write_site(tmp_path, okrs=None, plugin={"diagrams": False, "fiscal_year_start": 2})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(at("2026-03-20T00:00:00Z")))
    site = build_site(config)
    fiscal = by_id(okrs_json(site))["fiscal"]
    # 2027-Q1 is February to April 2026: 28 + 19 of 28 + 31 + 30 = 89 days passed.
    assert fiscal["expected"] == pytest.approx(47 / 89)  # 0.528
    assert fiscal["behind_pace"] is True  # 0.2 < 0.528 - 0.25
    assert '<span class="okr-current">current</span>' in (site / "periods/2027-Q1/index.html").read_text("utf-8")


def test_changes_read_from_the_cache_are_those_read_from_the_start(repo: Repo, tmp_path: Path) -> None:
    from conftest import MINIMAL_ORGANISATION
    from okrdocs.core.history.changes import ChangeEntry
    from okrdocs.core.history.checkins import read_history
    from okrdocs.core.history.git import find_checkout

    cache, checkout, folder = tmp_path / "cache", find_checkout(repo.root), repo.root / "okrs"
    assert read_history(checkout, folder, cache).commits_read == 4
    grow = re.sub(r" *delegated_to: sales\n", "", MINIMAL_ORGANISATION["company/grow.md"])
    fifth = repo.commit("Withdraw, and drop the summer", {"company/grow.md": grow, "sales/summer-2025.md": None},
                        date="2026-03-12T09:00:00Z")  # fmt: skip
    warm = read_history(checkout, folder, cache)
    assert warm.commits_read == 1
    assert warm == read_history(checkout, folder)  # changes and state included
    date = at("2026-03-12T09:00:00Z")
    assert warm.changes[-2:] == [
        ChangeEntry(date, fifth, "grow", "kr1", "withdrawn", "sales", None, "company", "2026"),
        ChangeEntry(date, fifth, "summer-2025", None, "removed", None, None, "sales", "2025-Q3"),
    ]


def test_commit_links_only_for_commit_ids_and_web_addresses() -> None:
    from okrdocs.core.history.checkins import History
    from okrdocs.core.history.timeline import Timeline

    commit = "0123456789abcdef0123456789abcdef01234567"
    linked = Timeline(MAR_15, Period(2026, 1, 3), history=History(), repo_url="https://github.com/acme/okrs/")
    assert linked.commit_url(commit) == f"https://github.com/acme/okrs/commit/{commit}"
    assert linked.commit_url('0123456" onmouseover="x') is None
    assert linked.commit_url(None) is None
    assert Timeline(MAR_15, Period(2026, 1, 3), repo_url="javascript:alert(1)//").commit_url(commit) is None
