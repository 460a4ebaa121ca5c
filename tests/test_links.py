"""Contributions, weights and dependencies (issue 24) as `okrdocs check` reports them and as
the cascade scores them: exact `PATH:LINE: CODE message` lines, scores computed by hand.

Each case adds files to the minimal organisation of conftest: company/grow.md (2026, kr1
delegated to sales, kr2 at 0.5), sales/sell-more.md (2026-Q1, picks up grow#kr1, kr1 at 0.4)
and support/help.md (2026-H1, aligned loosely to grow, kr1 at 0.25).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from gitrepo import new_repo
from okrdocs.core.domain.cascade import Cascade
from okrdocs.core.domain.model import KeyResult, Located, Objective, Repository
from okrdocs.core.rules.check import check_folder


def objective(team: str, period: str, extra: str = "", krs: str = "") -> str:
    """An objective file: `extra` from line 6 (after parent on line 5), then the key results."""
    krs = krs or "  - id: kr1\n    title: Do it\n    progress: 0.5\n"
    return f"---\ntitle: Help\nteam: {team}\nperiod: {period}\nparent: grow\n{extra}key_results:\n{krs}---\n"


def problems(folder: Path) -> list[str]:
    return [p.as_text("okrs") for p in check_folder(folder).problems]


# -- contributions -------------------------------------------------------------------

CONTRIBUTION_CASES = {
    "to an objective and to a key result of another chain": (
        "contributes_to:\n  - sell-more\n  - sell-more#kr1\n",
        [],
    ),
    "as one id rather than a list": ("contributes_to: sell-more#kr1\n", []),
    "to a key result of an ancestor that the chain does not pick up": ("contributes_to: [grow#kr2]\n", []),
    "to an objective that does not exist": (
        "contributes_to:\n  - sell-more\n  - sell-mor\n",
        ["okrs/support/extra.md:8: OKR402 contribution 'sell-mor' names no objective; did you mean 'sell-more'?"],
    ),
    "to a key result that does not exist": (
        "contributes_to: [sell-more#kr9]\n",
        [
            "okrs/support/extra.md:6: OKR402 contribution 'sell-more#kr9': objective 'sell-more' "
            "(okrs/sales/sell-more.md:1) has no key result 'kr9'; its key results are kr1"
        ],
    ),
    "to itself": (
        "contributes_to: [extra]\n",
        [
            "okrs/support/extra.md:6: OKR505 objective 'extra' contributes to itself: list in 'contributes_to' "
            "only objectives and key results outside its own chain of parents"
        ],
    ),
    "to its own key result": (
        "contributes_to:\n  - extra#kr1\n",
        [
            "okrs/support/extra.md:7: OKR505 objective 'extra' contributes to its own key result: list in "
            "'contributes_to' only objectives and key results outside its own chain of parents"
        ],
    ),
    "to its parent": (
        "contributes_to: [grow]\n",
        [
            "okrs/support/extra.md:6: OKR505 objective 'extra' contributes to 'grow', which it serves already "
            "through its parents: list in 'contributes_to' only objectives and key results outside its own "
            "chain of parents"
        ],
    ),
    "the vision": (
        "contributes_to: vision\n",
        [
            "okrs/support/extra.md:6: OKR202 'contributes_to' is 'vision'; write an objective id or "
            "'objective-id#kr-id', or a list of them (the vision is a 'parent')"
        ],
    ),
    "not an id": (
        "contributes_to: [Sell More]\n",
        [
            "okrs/support/extra.md:6: OKR202 'contributes_to' is a list; write an objective id or "
            "'objective-id#kr-id', or a list of them (the vision is a 'parent')"
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CONTRIBUTION_CASES))
def test_contributions(case: str, okr_folder: Callable[..., Path]) -> None:
    extra, expected = CONTRIBUTION_CASES[case]
    folder = okr_folder({"support/extra.md": objective("support", "2026-Q1", extra)})
    assert problems(folder) == expected


def test_a_contribution_to_the_key_result_the_chain_picks_up_is_refused(okr_folder: Callable[..., Path]) -> None:
    folder = okr_folder(
        {
            "sales/deeper.md": "---\ntitle: Deeper\nteam: sales\nperiod: 2026-Q1\nparent: sell-more\n"
            "contributes_to: [grow#kr1]\nkey_results:\n  - id: kr1\n    title: Do it\n    progress: 0.1\n---\n"
        }
    )
    assert problems(folder) == [
        "okrs/sales/deeper.md:6: OKR505 objective 'deeper' contributes to 'grow#kr1', which its chain picks up "
        "already (through 'sell-more'): list in 'contributes_to' only objectives and key results outside its own "
        "chain of parents"
    ]


def test_contributions_are_indexed_both_ways_and_leave_scores_alone(okr_folder: Callable[..., Path]) -> None:
    plain = check_folder(okr_folder()).cascade
    before = {o.id: plain.objective_score(o) for o in plain.objectives.values()}
    folder = okr_folder(
        {"support/extra.md": objective("support", "2026-Q1", "contributes_to: [sell-more, grow#kr2]\n")}
    )
    cascade = check_folder(folder).cascade
    extra, sell_more, grow = (cascade.objectives[i] for i in ("extra", "sell-more", "grow"))
    assert [c.ref for c in cascade.links.contributions_from["extra"]] == ["sell-more", "grow#kr2"]
    assert cascade.links.contributors_of(sell_more) == [extra]
    assert cascade.links.contributors_of(grow, grow.key_results[1]) == [extra]
    assert cascade.links.contributors_of(grow) == []
    assert {i: cascade.objective_score(cascade.objectives[i]) for i in before} == before


# -- weights -------------------------------------------------------------------------

WEIGHTED = """\
  - id: kr1
    title: Heavy
    progress: 0.2
    weight: 3
  - id: kr2
    title: Light
    progress: 0.8
  - id: kr3
    title: Not measured, so its weight does not count
    weight: 10
"""


def test_the_score_is_the_weighted_mean_of_the_known_key_result_scores(okr_folder: Callable[..., Path]) -> None:
    folder = okr_folder({"support/extra.md": objective("support", "2026-Q1", krs=WEIGHTED)})
    result = check_folder(folder)
    assert result.errors == []
    extra = result.cascade.objectives["extra"]
    assert [kr.weight for kr in extra.key_results] == [3.0, 1.0, 10.0]
    assert result.cascade.objective_score(extra) == pytest.approx((3 * 0.2 + 1 * 0.8) / (3 + 1))  # 0.35


def test_a_weight_changes_the_parent_only_through_the_child_score(okr_folder: Callable[..., Path]) -> None:
    """grow#kr1 scores as its pickup sell-more (0.4); weighting grow's kr2 (0.5) by 3 gives
    grow (0.4 + 3 * 0.5) / 4."""
    grow = (
        "---\ntitle: Grow\nteam: company\nperiod: 2026\nparent: vision\nkey_results:\n"
        "  - id: kr1\n    title: Double revenue\n    delegated_to: sales\n"
        "  - id: kr2\n    title: Open a second office\n    progress: 0.5\n    weight: 3\n---\n"
    )
    cascade = check_folder(okr_folder({"company/grow.md": grow})).cascade
    assert cascade.objective_score(cascade.objectives["grow"]) == pytest.approx((0.4 + 3 * 0.5) / 4)


def test_weights_near_the_float_limit_still_give_a_score(okr_folder: Callable[..., Path]) -> None:
    """YAML allows 1.0e+308: two of them summed overflowed to inf, and the score was NaN
    (the page then failed to build)."""
    krs = "".join(
        f"  - id: kr{n}\n    title: Grow NPS to {n}0\n    progress: {score}\n    weight: 1.0e+308\n"
        for n, score in ((1, 1), (2, 0))
    )
    cascade = check_folder(okr_folder({"support/extra.md": objective("support", "2026-Q1", krs=krs)})).cascade
    assert cascade.objective_score(cascade.objectives["extra"]) == 0.5


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(1e-3, 1e6), st.floats(0, 1)), min_size=1, max_size=6))
@example([(43865.0, 2.2250738585e-313)])  # scaled to below 1, this product lost its last bits
def test_weights_that_cannot_overflow_give_the_plain_weighted_mean(weighted: list[tuple[float, float]]) -> None:
    """Only weights near the float limit are scaled: any others give the weighted mean of
    the plain sums, to the bit (scores below 1e-308 included)."""
    total = weights = 0.0
    for weight, score in weighted:
        total += weight * score
        weights += weight
    assert _score_of(weighted) == total / weights


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.floats(1e300, sys.float_info.max), st.floats(0, 1)), min_size=1, max_size=20))
@example([(1.6342664862384688e307, 0.5)] * 11)  # 11 times the weight rounds to the float limit; their sum is inf
def test_weights_near_the_float_limit_give_the_weighted_mean(weighted: list[tuple[float, float]]) -> None:
    """Scaled by a power of two, they give the exact weighted mean but for rounding."""
    exact = sum(Fraction(w) * Fraction(s) for w, s in weighted) / sum(Fraction(w) for w, _ in weighted)
    assert _score_of(weighted) == pytest.approx(float(exact), rel=1e-12, abs=1e-300)


def _score_of(weighted: list[tuple[float, float]]) -> float | None:
    krs = [KeyResult(f"kr{n}", "A KR", Located("o.md", 1), progress=score, weight=weight) for n, (weight, score) in enumerate(weighted)]  # fmt: skip
    objective = Objective("o", "An objective", Located("o.md", 1), None, None, None, key_results=krs)
    return Cascade(Repository()).objective_score(objective)


def test_a_metric_near_the_float_limit_scores_as_it_reads() -> None:
    """current - start overflowed to inf: inf / inf is NaN, which was shown as 0%."""
    kr = KeyResult("kr1", "Swing", Located("o.md", 1), start=-1.0e308, target=1.0e308, current=1.0e308)
    assert kr.measured_score == 1.0
    assert replace(kr, current=0.0).measured_score == 0.5


@pytest.mark.parametrize(
    ("weight", "shown"), [("0", "0"), ("-1", "-1"), ("heavy", "'heavy'"), ("true", "true"), (".inf", "inf")]
)
def test_a_weight_must_be_a_number_above_zero(weight: str, shown: str, okr_folder: Callable[..., Path]) -> None:
    krs = f"  - id: kr1\n    title: Do it\n    progress: 0.5\n    weight: {weight}\n"
    folder = okr_folder({"support/extra.md": objective("support", "2026-Q1", krs=krs)})
    assert problems(folder) == [
        f"okrs/support/extra.md:10: OKR202 'weight' is {shown}; write a number greater than 0, like 2 or 0.5 "
        "(1 when left out)"
    ]


# -- dependencies ----------------------------------------------------------------------

SELL_MORE = """\
---
title: Double revenue
team: sales
period: 2026-Q1
parent: grow#kr1
key_results:
  - id: kr1
    title: Sign ten new customers
    progress: 0.4
    depends_on:
      - support
---
"""
# line 11: "- support"


def test_an_unconfirmed_dependency_is_a_warning_at_its_line(okr_folder: Callable[..., Path]) -> None:
    result = check_folder(okr_folder({"sales/sell-more.md": SELL_MORE}))
    assert [p.as_text("okrs") for p in result.problems] == [
        "okrs/sales/sell-more.md:11: OKR405 key result 'sell-more#kr1' depends on team 'support', which has not "
        "confirmed it: team 'support' confirms with an objective in 2026-Q1 or a period overlapping it that has "
        "'contributes_to: sell-more#kr1' (or picks it up as its parent)"
    ]
    assert result.errors == []
    assert [d.confirmed for d in result.cascade.links.dependencies] == [False]


@pytest.mark.parametrize(
    ("period", "confirmed"),
    [("2026-Q1", True), ("2026-H1", True), ("2026", True), ("2026-Q2", False), ("2025-Q1", False)],
)
def test_a_contribution_in_an_overlapping_period_confirms_a_dependency(
    period: str, confirmed: bool, okr_folder: Callable[..., Path]
) -> None:
    folder = okr_folder(
        {
            "sales/sell-more.md": SELL_MORE,
            "support/extra.md": objective("support", period, "contributes_to: [sell-more#kr1]\n"),
        }
    )
    result = check_folder(folder)
    assert [p.code for p in result.problems if p.code != "OKR503"] == ([] if confirmed else ["OKR405"])
    cascade = result.cascade
    (dependency,) = cascade.links.dependencies
    assert dependency.confirmed_by == ((cascade.objectives["extra"],) if confirmed else ())
    assert cascade.links.depends_on["sales"] == [dependency]
    assert cascade.links.depended_on_by["support"] == [dependency]


def test_a_contribution_by_another_team_does_not_confirm(okr_folder: Callable[..., Path]) -> None:
    folder = okr_folder(
        {
            "sales/sell-more.md": SELL_MORE,
            "company/extra.md": objective("company", "2026-Q1", "contributes_to: [sell-more#kr1]\n"),
        }
    )
    assert [p.code for p in check_folder(folder).problems] == ["OKR405"]


def test_a_pickup_confirms_a_dependency(okr_folder: Callable[..., Path]) -> None:
    grow = (
        "---\ntitle: Grow\nteam: company\nperiod: 2026\nparent: vision\nkey_results:\n"
        "  - id: kr1\n    title: Double revenue\n    delegated_to: sales\n    depends_on: sales\n---\n"
    )
    result = check_folder(okr_folder({"company/grow.md": grow}))
    assert result.problems == []
    assert [o.id for o in result.cascade.links.dependencies[0].confirmed_by] == ["sell-more"]


def test_a_dependency_on_an_unknown_team(okr_folder: Callable[..., Path]) -> None:
    folder = okr_folder({"sales/sell-more.md": SELL_MORE.replace("- support", "- suport")})
    assert problems(folder) == [
        "okrs/sales/sell-more.md:11: OKR401 key result 'kr1' depends on 'suport', but there is no team 'suport' "
        "in teams.yml: add the team there or fix 'depends_on'; did you mean 'support'?"
    ]


def test_a_dependency_that_is_not_a_team_id(okr_folder: Callable[..., Path]) -> None:
    folder = okr_folder({"sales/sell-more.md": SELL_MORE.replace("- support", "- Support Team")})
    assert problems(folder) == [
        "okrs/sales/sell-more.md:10: OKR202 'depends_on' is a list; write a team id, or a list of team ids"
    ]


# -- okrdocs diff ---------------------------------------------------------------------


def test_diff_reports_a_weight_change(
    tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, okrdocs: Any
) -> None:
    repo = new_repo(tmp_path, okr_folder, monkeypatch)
    okr_folder()
    repo.commit("The minimal organisation")
    grow = "company/grow.md"
    text = (tmp_path / "okrs" / grow).read_text(encoding="utf-8")
    okr_folder({grow: text.replace("    progress: 0.5\n", "    progress: 0.5\n    weight: 2.5\n")}, minimal=False)
    markdown = okrdocs("diff", "--okrs", "okrs", "HEAD")
    assert markdown.status == 0
    assert "**1 weight changed**" in markdown.out
    assert "#### Key result weights changed (1)\n\n- `grow#kr2` Open a second office: weight 1 → 2.5\n" in markdown.out
    document = json.loads(okrdocs("diff", "--okrs", "okrs", "HEAD", "--format", "json").out)
    assert document["weights"] == [
        {
            "objective": "grow",
            "key_result": "kr2",
            "title": "Open a second office",
            "old": 1.0,
            "new": 2.5,
            "path": "okrs/company/grow.md",
            "line": 10,
        }
    ]
