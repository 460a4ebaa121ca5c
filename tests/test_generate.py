"""The benchmark's organisation generator: valid, deterministic, and shaped as asked."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from okrdocs.cli import main
from okrdocs.core.rules.check import check_folder
from sitebuild import load_benchmark_generator

generator = load_benchmark_generator()


@pytest.fixture(scope="module")
def small_org(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    folder = tmp_path_factory.mktemp("org") / "okrs"
    stats = generator.generate(folder, teams=20, objectives_per_team=5, krs_per_objective=3.4, seed=7, depth=2, width=5)
    return folder, stats


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_generated_org_passes_okrdocs_check(small_org, capsys: pytest.CaptureFixture[str]) -> None:
    folder, stats = small_org
    assert main(["check", "--okrs", str(folder), "--ignore", "OKR701,OKR702,OKR703,OKR704,OKR705,OKR706,OKR707"]) == 0
    out, err = capsys.readouterr()
    assert out == ""  # the gate passes; the generator's titles hold coaching advice (benchmarks/RESULTS.md)
    assert err == f"okrdocs: {folder}: {stats.objectives} objectives, 20 teams: 0 errors, 0 warnings\n"


def test_the_stats_count_what_was_written(small_org) -> None:
    folder, stats = small_org
    cascade = check_folder(folder).cascade
    assert stats.teams == len(cascade.teams) == 20
    assert stats.objectives == len(cascade.objectives)
    assert stats.key_results == sum(len(o.key_results) for o in cascade.objectives.values())
    assert stats.files == len(_files(folder)) == stats.objectives + 2


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generator.generate(first, teams=12, seed=3)
    generator.generate(second, teams=12, seed=3)
    generator.generate(other, teams=12, seed=4)
    assert _files(first) == _files(second)
    assert _files(first) != _files(other)


def test_links_are_tight_and_loose_and_every_delegation_is_picked_up(small_org) -> None:
    folder, stats = small_org
    cascade = check_folder(folder).cascade
    parents = Counter(
        "vision" if o.parent.is_vision else "tight" if o.parent.is_tight else "loose"
        for o in cascade.objectives.values()
    )
    assert parents["tight"] == stats.tight_links > 0
    assert parents["loose"] == stats.loose_links > 0
    assert parents["vision"] == len(cascade.objectives_by_team["company"])
    delegations = 0
    for objective in cascade.objectives.values():
        for kr in objective.key_results:
            picked_by = sorted(o.team_id for o in cascade.pickups_of(objective, kr))
            assert picked_by == sorted(kr.delegated_to), f"{objective.id}#{kr.id}"
            delegations += len(kr.delegated_to)
    assert delegations == stats.delegations > 0


def test_the_team_tree_has_the_width_and_depth_asked_for(small_org) -> None:
    folder, _ = small_org
    cascade = check_folder(folder).cascade
    assert [t.id for t in cascade.subteams[None]] == ["company"]
    assert max(len(children) for children in cascade.subteams.values()) <= 5

    def depth(team_id: str | None) -> int:
        parent = cascade.teams[team_id].parent_id if team_id else None
        return 0 if parent is None else 1 + depth(parent)

    assert max(depth(team_id) for team_id in cascade.teams) == 2


def test_progress_fields_periods_and_titles_are_mixed(small_org) -> None:
    folder, _ = small_org
    cascade = check_folder(folder).cascade
    krs = [kr for o in cascade.objectives.values() for kr in o.key_results]
    assert any(kr.progress is not None for kr in krs)
    assert any(kr.current is not None for kr in krs)
    assert any(kr.progress is None and kr.current is None for kr in krs)
    periods = {o.period.label for o in cascade.objectives.values()}
    assert "2026" in periods and any("-H" in p for p in periods) and any("-Q" in p for p in periods)
    texts = [(folder / o.where.path).read_text(encoding="utf-8") for o in cascade.objectives.values()]
    assert any("\ntitle:" not in text for text in texts)  # a title from the body's heading
    assert any("\nstatus:" in text for text in texts) and any("\ntags:" in text for text in texts)


def test_bad_options_are_refused_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert generator.main([str(tmp_path / "x"), "--teams", "50", "--depth", "1", "--width", "3"]) == 2
    assert capsys.readouterr().err == "generate: error: 50 teams do not fit in a tree of width 3 and depth 1\n"


def test_more_than_one_team_without_levels_below_the_company_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one level below the company"):
        generator.generate(tmp_path / "okrs", teams=3, depth=0)


def test_contributions_weights_and_dependencies_are_there_and_confirmed(small_org) -> None:
    folder, stats = small_org
    cascade = check_folder(folder).cascade
    links = cascade.links
    assert stats.contributions == sum(len(c) for c in links.contributions_from.values()) > 0
    assert stats.dependencies == len(links.dependencies) > 0
    assert all(d.confirmed for d in links.dependencies)  # the check passes with no warning
    weights = [kr.weight for o in cascade.objectives.values() for kr in o.key_results if kr.weight != 1]
    assert stats.weighted_key_results == len(weights) > 0
    assert stats.teams_with_reviewers == sum(bool(t.reviewers) for t in cascade.teams.values()) > 0
