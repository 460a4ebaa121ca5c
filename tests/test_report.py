"""`okrdocs report`: the current period's objectives from a git history with fixed dates,
in text, Markdown and JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gitrepo import JAN_20, MAR_1, Repo, history_site
from okrdocs.core.caches import parse_cache
from okrdocs.core.history import checkins as history

Run = Callable[..., Any]


@pytest.fixture
def repo(tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Repo:
    """Three commits in 2026-Q1; the report runs on 2026-03-15."""
    return history_site(tmp_path, okr_folder, monkeypatch)


def test_json_lists_the_current_periods_objectives_with_updated_and_stale(repo: Repo, okrdocs: Run) -> None:
    run = okrdocs("report", "--okrs", "okrs", "--format", "json")
    assert run.status == 0, run.err
    assert json.loads(run.out) == {
        "as_of": "2026-03-15T00:00:00Z",
        "period": "2026-Q1",
        "errors": 0,
        "unread_files": [],
        "objectives": [
            {
                "id": "grow",
                "team": "company",
                "owner": None,
                "period": "2026",
                "score": pytest.approx(0.55),
                "status": None,
                "updated": MAR_1,
                "stale": False,
                # 73 days of 2026 (365) have passed on 2026-03-15; JAN_5 0.45 and JAN_20 0.55
                # point far above 1 by the year's end.
                "expected": pytest.approx(73 / 365),
                "behind_pace": False,
                "forecast": 1.0,
            },
            {
                "id": "sell-more",
                "team": "sales",
                "owner": None,
                "period": "2026-Q1",
                "score": pytest.approx(0.6),
                "status": None,
                "updated": JAN_20,
                "stale": True,
                "expected": pytest.approx(73 / 90),  # 0.6 is not below 0.811 - 0.25
                "behind_pace": False,
                "forecast": 1.0,
            },
            {
                "id": "help",
                "team": "support",
                "owner": None,
                "period": "2026-H1",
                "score": 0.5,
                "status": None,
                "updated": MAR_1,
                "stale": False,
                "expected": pytest.approx(73 / 181),
                "behind_pace": False,
                "forecast": 1.0,  # 0.25 on JAN_5, 0.5 on MAR_1: 1.05 on Jul 1
            },
        ],
    }


def test_text_lists_teams_then_stale_and_troubled(repo: Repo, okrdocs: Run) -> None:
    run = okrdocs("report", "--okrs", "okrs")
    assert run.status == 0, run.err
    assert run.lines == [
        "OKR check-in for 2026-Q1, as of 2026-03-15 (stale after 30 days)",
        "",
        "Acme",
        "  grow: Grow the whole business (55%, no status, owner –, updated 2026-03-01)",
        "",
        "Sales",
        "  sell-more: Double revenue (60%, no status, owner –, updated 2026-01-20) STALE",
        "",
        "Support",
        "  help: Help customers faster (50%, no status, owner –, updated 2026-03-01)",
        "",
        "Stale (1):",
        "  sell-more (Sales, owner –)",
        "At risk or off track (0):",
        "Behind pace (0):",
    ]


def test_period_and_stale_after_options(repo: Repo, okrdocs: Run) -> None:
    data = json.loads(okrdocs("report", "--okrs", "okrs", "--format", "json", "--period", "2025-Q4").out)
    assert data["period"] == "2025-Q4" and [o["id"] for o in data["objectives"]] == ["last-quarter"]
    data = json.loads(okrdocs("report", "--okrs", "okrs", "--format", "json", "--stale-after", "60").out)
    assert not any(o["stale"] for o in data["objectives"])
    run = okrdocs("report", "--okrs", "okrs", "--period", "2026-Q5")
    assert run.status == 2
    assert (
        run.err
        == "okrdocs: error: --period is '2026-Q5': write auto, a year (2026), a half (2026-H1) or a quarter (2026-Q3)\n"
    )


def test_markdown_escapes_titles_and_names_and_lists_stale_owners(repo: Repo, okrdocs: Run) -> None:
    repo.commit(
        "A troubled objective",
        {
            "sales/risky.md": """
                ---
                title: "Win *big* | [click](https://evil.example) @everyone <b>now</b>"
                team: sales
                owner: "Ann [admin](https://evil.example)"
                status: at-risk
                period: 2026-Q1
                parent: vision
                key_results:
                  - id: kr1
                    title: Do it
                    progress: 0.1
                ---
                """
        },
        date="2026-01-10T08:00:00Z",
    )
    run = okrdocs("report", "--okrs", "okrs", "--format", "markdown")
    assert run.status == 0, run.err
    # The title's words (its Markdown marks dropped), then every mark escaped; the owner as
    # written. A zero-width joiner after '@' and in '://': GitHub pings and links neither.
    title = "Win big \\| click @\u200deveryone \\<b\\>now\\</b\\>"
    owner = "Ann \\[admin\\](https\\:/\u200d/evil.example)"
    assert f"| {title} (`risky`) | {owner} | 10% | at-risk | 2026-01-10 **stale** |" in run.lines
    stale = run.out[run.out.index("### Stale objectives (2)") : run.out.index("### At risk or off track")]
    assert f"- {title} (`risky`, Sales): owner {owner}, updated 2026-01-10" in stale
    assert "- Double revenue (`sell-more`, Sales): owner none named, updated 2026-01-20" in stale
    troubled = run.out[run.out.index("### At risk or off track (1)") :]
    assert f"- {title} (`risky`, Sales): owner {owner}, updated 2026-01-10, at-risk" in troubled


def test_outside_git_the_report_says_so_and_has_no_dates(
    okr_folder: Callable[..., Path], okrdocs: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    okr_folder()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773532800")
    run = okrdocs("report", "--okrs", "okrs", "--format", "json")
    assert run.status == 0
    assert "not in a git repository" in run.err
    assert {o["id"]: (o["updated"], o["stale"]) for o in json.loads(run.out)["objectives"]} == {
        "grow": (None, False),
        "sell-more": (None, False),
        "help": (None, False),
    }


def test_settings_come_from_mkdocs_yml(repo: Repo, okrdocs: Run) -> None:
    (repo.root / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - okrdocs:\n      current_period: 2025-Q4\n      stale_after: 0\n", encoding="utf-8"
    )
    data = json.loads(okrdocs("report", "--format", "json").out)
    assert data["period"] == "2025-Q4"
    assert [(o["id"], o["stale"]) for o in data["objectives"]] == [("last-quarter", False)]


def test_the_report_keeps_and_reuses_the_builds_caches(repo: Repo, okrdocs: Run, tmp_path: Path) -> None:
    first = okrdocs("report", "--okrs", "okrs", "--format", "json")
    cache = tmp_path / ".cache" / "okrdocs"
    assert (cache / history.CACHE_FILE).is_file() and (cache / parse_cache.CACHE_FILE).is_file()
    again = okrdocs("report", "--okrs", "okrs", "--format", "json")
    assert (again.status, again.out) == (first.status, first.out)


def test_since_lists_the_changes_and_behind_pace_lists_the_slow_objectives(repo: Repo, okrdocs: Run) -> None:
    (repo.root / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - okrdocs:\n      behind_pace: 0.2\n", encoding="utf-8"
    )
    third = repo.commits[2][:7]
    run = okrdocs("report", "--since", "2026-02-01")
    assert run.status == 0, run.err
    assert run.lines == [
        "OKR check-in for 2026-Q1, as of 2026-03-15 (stale after 30 days)",
        "",
        "Acme",
        "  grow: Grow the whole business (55%, no status, owner –, updated 2026-03-01)",
        "",
        "Sales",
        "  sell-more: Double revenue (60%, no status, owner –, updated 2026-01-20) STALE",
        "",
        "Support",
        "  help: Help customers faster (50%, no status, owner –, updated 2026-03-01)",
        "",
        "Stale (1):",
        "  sell-more (Sales, owner –)",
        "At risk or off track (0):",
        # sell-more: 0.6 < 73/90 - 0.2 = 0.611; its line runs from 0.4 on JAN_5 to 0.6 on JAN_20, past 1.
        "Behind pace (1):",
        "  sell-more (Sales, owner –): 60%, expected 81%, forecast 100%",
        "Changes since 2026-02-01 (2):",
        "  2026-02-19 sell-more: went stale",  # JAN_20 + 30 days
        f"  2026-03-01 help#kr1: score 25% -> 50% ({third})",
    ]
    markdown = okrdocs("report", "--format", "markdown", "--since", "2026-02-01").out
    assert markdown.endswith(
        "### Behind pace (1)\n\n- Double revenue (`sell-more`, Sales): 60%, expected 81%, forecast 100%\n\n"
        "### Changes since 2026-02-01 (2)\n\n"
        f"- 2026-02-19 `sell-more`: went stale\n- 2026-03-01 `help#kr1`: score 25% → 50% ({third})\n"
    )
    data = json.loads(okrdocs("report", "--okrs", "okrs", "--format", "json", "--since", "2026-03-01").out)
    assert data["since"] == "2026-03-01T00:00:00Z"
    assert data["changes"] == [
        {"date": MAR_1, "commit": repo.commits[2], "objective": "help", "key_result": "kr1", "kind": "score",
         "from": 0.25, "to": 0.5},
    ]  # fmt: skip
    bad = okrdocs("report", "--okrs", "okrs", "--since", "March")
    assert (bad.status, bad.err) == (2, "okrdocs: error: --since is 'March': write a day like 2026-03-01\n")
