"""`okrdocs diff`'s "Targets moved": every changed target or start, eased or raised."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINIMAL_ORGANISATION
from gitrepo import Repo, new_repo


@pytest.fixture
def repo(tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Repo:
    repository = new_repo(tmp_path, okr_folder, monkeypatch)
    okr_folder()
    repository.commit("The minimal organisation", date="2026-01-05T10:00:00Z")
    return repository


def _file(relative: str) -> str:
    return textwrap.dedent(MINIMAL_ORGANISATION[relative]).lstrip("\n")


def test_targets_eased_and_raised_are_listed(repo: Repo, okrdocs) -> None:
    sell_more = _file("sales/sell-more.md").replace("target: 10", "target: 6")  # eased: 0 -> 6 is less to do
    help_ = _file("support/help.md").replace(
        "    progress: 0.25\n",
        "    progress: 0.25\n  - id: kr2\n    title: Cut the backlog to 50\n    start: 200\n    target: 80\n    current: 150\n",
    )
    repo.commit("Second key result", {"support/help.md": help_}, date="2026-01-20T10:00:00Z")
    repo.commit(
        "Mid-quarter",
        {"sales/sell-more.md": sell_more, "support/help.md": help_.replace("target: 80", "target: 50")},
        date="2026-02-10T10:00:00Z",
    )
    run = okrdocs("diff", "--okrs", "okrs", "HEAD~1", "HEAD")
    assert run.status == 0
    assert "2 targets moved (1 eased)" in run.out.splitlines()[2]
    section = run.out.split("#### Targets moved (2)\n\n")[1].split("\n\n")[0]
    assert section.splitlines() == [
        "- `help#kr2` Cut the backlog to 50: target 80 → 50, **raised**",
        "- `sell-more#kr1` Sign ten new customers: target 10 → 6, **eased**",
    ]
    data = json.loads(okrdocs("diff", "--okrs", "okrs", "HEAD~1", "HEAD", "--format", "json").out)
    assert [
        {k: m[k] for k in ("objective", "key_result", "field", "from", "to", "eased")} for m in data["targets_moved"]
    ] == [
        {"objective": "help", "key_result": "kr2", "field": "target", "from": 80, "to": 50, "eased": False},
        {"objective": "sell-more", "key_result": "kr1", "field": "target", "from": 10, "to": 6, "eased": True},
    ]


def test_a_moved_start_is_listed_too(repo: Repo, okrdocs) -> None:
    repo.commit("Start later", {"sales/sell-more.md": _file("sales/sell-more.md").replace("start: 0", "start: 4")})
    data = json.loads(okrdocs("diff", "--okrs", "okrs", "HEAD~1", "HEAD", "--format", "json").out)
    assert [(m["field"], m["from"], m["to"], m["eased"]) for m in data["targets_moved"]] == [("start", 0, 4, True)]


def test_a_maintain_band_that_widens_is_eased_and_one_that_narrows_raised(repo: Repo, okrdocs) -> None:
    band = _file("support/help.md").replace(
        "    progress: 0.25\n",
        "    progress: 0.25\n  - id: kr2\n    title: Keep first replies under 4 hours\n    kind: maintain\n"
        "    min: 1\n    max: 4\n    current: 3\n",
    )
    repo.commit("A band", {"support/help.md": band}, date="2026-01-20T10:00:00Z")
    repo.commit("Mid-quarter", {"support/help.md": band.replace("min: 1", "min: 2").replace("max: 4", "max: 6")})
    run = okrdocs("diff", "--okrs", "okrs", "HEAD~1", "HEAD")
    section = run.out.split("#### Targets moved (2)\n\n")[1].split("\n\n")[0]
    assert section.splitlines() == [
        "- `help#kr2` Keep first replies under 4 hours: min 1 → 2, **raised**",
        "- `help#kr2` Keep first replies under 4 hours: max 4 → 6, **eased**",
    ]
    data = json.loads(okrdocs("diff", "--okrs", "okrs", "HEAD~1", "HEAD", "--format", "json").out)
    assert [(m["field"], m["from"], m["to"], m["eased"], m["line"]) for m in data["targets_moved"]] == [
        ("min", 1, 2, False, 13),
        ("max", 4, 6, True, 14),
    ]


def test_a_target_moved_past_the_start_is_eased_and_exact_numbers_are_shown(repo: Repo, okrdocs) -> None:
    """A target moved past the start asks for change the other way: eased, though the
    distance is the same. Six significant digits would show 2500000 -> 2499999 as no move."""
    grow = _file("sales/sell-more.md").replace("target: 10", "target: 2500000")
    repo.commit("Big target", {"sales/sell-more.md": grow}, date="2026-01-20T10:00:00Z")
    repo.commit("Moves", {"sales/sell-more.md": grow.replace("target: 2500000", "target: 2499999")})
    section = okrdocs("diff", "--okrs", "okrs", "HEAD~1", "HEAD").out.split("#### Targets moved (1)\n\n")[1]
    assert section.splitlines()[0] == "- `sell-more#kr1` Sign ten new customers: target 2500000 → 2499999, **eased**"
    repo.commit("Reversed", {"sales/sell-more.md": grow.replace("target: 2500000", "target: -2500000")})
    data = json.loads(okrdocs("diff", "--okrs", "okrs", "HEAD~2", "HEAD", "--format", "json").out)
    assert [(m["from"], m["to"], m["eased"]) for m in data["targets_moved"]] == [(2500000, -2500000, True)]


def test_a_band_moved_by_a_small_step_shows_both_numbers_exactly(repo: Repo, okrdocs) -> None:
    band = _file("support/help.md").replace(
        "    progress: 0.25\n",
        "    progress: 0.25\n  - id: kr2\n    title: Keep uptime\n    kind: maintain\n    min: 99.95\n    current: 99.97\n",
    )
    repo.commit("A band", {"support/help.md": band}, date="2026-01-20T10:00:00Z")
    repo.commit("Eased", {"support/help.md": band.replace("min: 99.95", "min: 99.94999")})
    section = okrdocs("diff", "--okrs", "okrs", "HEAD~1", "HEAD").out.split("#### Targets moved (1)\n\n")[1]
    assert section.splitlines()[0] == "- `help#kr2` Keep uptime: min 99.95 → 99.94999, **eased**"
