"""Kinds of key result: a metric (also decreasing), a milestone, a band to stay inside."""

from __future__ import annotations

import json

import pytest

from okrdocs.core.domain.model import KeyResult, Located
from okrdocs.core.rules.check import check_folder
from okrdocs.site.pages import measure
from sitebuild import run_mkdocs, write_site

HERE = Located("x.md", 1)


@pytest.mark.parametrize(
    ("fields", "score"),
    [
        ({"start": 0, "target": 10, "current": 4}, 0.4),
        # a decrease: attrition from 12% to 8%, now 10% -> (10 - 12) / (8 - 12)
        ({"start": 12, "target": 8, "current": 10}, 0.5),
        ({"start": 12, "target": 8, "current": 13}, 0.0),
        ({"start": 12, "target": 8, "current": 6}, 1.0),
        ({"kind": "milestone", "done": True}, 1.0),
        ({"kind": "milestone", "done": False}, 0.0),
        ({"kind": "milestone"}, 0.0),
        ({"kind": "maintain", "minimum": 99.5, "current": 99.7}, 1.0),
        ({"kind": "maintain", "minimum": 99.5, "current": 99.2}, 0.0),
        ({"kind": "maintain", "maximum": 300, "current": 300}, 1.0),
        ({"kind": "maintain", "minimum": 1, "maximum": 3, "current": 4}, 0.0),
        ({"kind": "maintain", "minimum": 1}, None),
    ],
)
def test_scores_of_each_kind(fields, score) -> None:
    assert KeyResult("kr1", "A result", HERE, **fields).measured_score == score


def test_a_band_says_how_far_outside_it_is() -> None:
    assert KeyResult("kr1", "t", HERE, kind="maintain", minimum=99.5, current=99.25).outside_band == 0.25
    assert KeyResult("kr1", "t", HERE, kind="maintain", maximum=300, current=340).outside_band == 40


KINDS = """---
title: Keep the service dependable
team: support
period: 2026-H1
parent: grow
key_results:
  - id: uptime
    title: Keep booking uptime at or above 99.5%
    kind: maintain
    min: 99.5
    current: 99.2
    unit: "%"
  - id: launch
    title: Open the second workshop
    kind: milestone
    done: true
  - id: wait
    title: Cut the wait for a service slot from 9 days to 3
    start: 9
    target: 3
    current: 6
    unit: days
---
"""


def test_fields_of_another_kind_are_reported_at_their_line(okr_folder, okrdocs) -> None:
    text = KINDS.replace("    done: true\n", "    done: true\n    target: 3\n").replace(
        "    current: 6\n", "    current: 6\n    done: false\n"
    )
    okr_folder({"support/help.md": text})
    run = okrdocs("check", "--okrs", "okrs")
    assert run.lines == [
        "okrs/support/help.md:17: OKR202 key result 'launch' is a milestone, and 'target' belongs to kind "
        "metric: remove it, or set 'kind: metric'",
        "okrs/support/help.md:23: OKR202 key result 'wait' is a metric, and 'done' belongs to kind "
        "milestone: remove it, or set 'kind: milestone'",
    ]


def test_a_band_needs_a_bound_and_a_kind_is_one_of_three(okr_folder, okrdocs) -> None:
    text = KINDS.replace("    min: 99.5\n", "").replace("kind: milestone", "kind: milestones")
    okr_folder({"support/help.md": text})
    assert okrdocs("check", "--okrs", "okrs").lines == [
        "okrs/support/help.md:9: OKR201 key result 'uptime' is a maintain band without 'min' or 'max': "
        "give the band's bounds, like 'min: 99.5'",
        "okrs/support/help.md:14: OKR202 'kind' is 'milestones'; write one of metric, milestone, maintain",
    ]


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        (
            "    min: ~\n    max: ~\n",
            "okrs/support/help.md:9: OKR201 key result 'uptime' is a maintain band without 'min' or 'max': "
            "give the band's bounds, like 'min: 99.5'",
        ),
        (
            "    min: 99.5\n    max: 99\n",
            "okrs/support/help.md:11: OKR202 key result 'uptime' has 'min' 99.5 above 'max' 99, so no value "
            "is inside the band: swap them",
        ),
    ],
)
def test_an_empty_or_inverted_band_is_refused(bounds: str, expected: str, okr_folder, okrdocs) -> None:
    """Found by a hostile review: `min: ~` with `max: ~` scored 100%, and a band from 99.5
    to 99 was shown as '0.3 % below the band'."""
    okr_folder({"support/help.md": KINDS.replace("    min: 99.5\n", bounds)})
    assert okrdocs("check", "--okrs", "okrs").lines == [expected]


def test_scores_reach_the_objective(okr_folder) -> None:
    result = check_folder(okr_folder({"support/help.md": KINDS}))
    help_ = result.cascade.objectives["help"]
    assert [result.cascade.kr_score(help_, kr) for kr in help_.key_results] == [0.0, 1.0, 0.5]
    assert result.cascade.objective_score(help_) == pytest.approx(0.5)


@pytest.mark.slow
def test_pages_and_okrs_json_show_each_kind(tmp_path, okr_folder) -> None:
    okr_folder({"support/help.md": KINDS})
    config = write_site(tmp_path, okrs=None, plugin={"diagrams": False})
    result = run_mkdocs(config, "--strict")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "okrs" / "help" / "index.html").read_text()
    assert '99.2%, band at least 99.5% <strong class="okr-warning">0.3% below the band</strong>' in page
    assert '<span class="okr-milestone okr-milestone--done">☑ done</span>' in page
    assert "6 days of 3 days (from 9 days)" in page
    data = json.loads((tmp_path / "site" / "okrs.json").read_text())
    krs = {kr["id"]: kr for kr in next(o for o in data["objectives"] if o["id"] == "help")["key_results"]}
    assert (krs["uptime"]["kind"], krs["uptime"]["min"], krs["uptime"]["max"], krs["uptime"]["score"]) == (
        "maintain",
        99.5,
        None,
        0.0,
    )
    assert (krs["launch"]["kind"], krs["launch"]["done"], krs["launch"]["score"]) == ("milestone", True, 1.0)
    assert (krs["wait"]["kind"], krs["wait"]["score"]) == ("metric", 0.5)
    assert '<span class="okr-commitment okr-commitment--aspirational">aspirational</span>' in page


def test_commitment_is_written_or_the_default(okr_folder) -> None:
    folder = okr_folder({"support/help.md": KINDS.replace("period: 2026-H1", "period: 2026-H1\ncommitment: committed")})
    result = check_folder(folder)
    cascade = result.cascade
    assert [cascade.commitment_of(cascade.objectives[i]) for i in ("help", "grow")] == ["committed", "aspirational"]
    cascade = check_folder(folder, default_commitment="committed").cascade
    assert cascade.commitment_of(cascade.objectives["grow"]) == "committed"


def test_a_commitment_is_one_of_two(okr_folder, okrdocs) -> None:
    okr_folder({"support/help.md": KINDS.replace("period: 2026-H1", "period: 2026-H1\ncommitment: firm")})
    assert okrdocs("check", "--okrs", "okrs").lines == [
        "okrs/support/help.md:5: OKR202 'commitment' is 'firm'; write committed or aspirational"
    ]


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (2499999.0, "€", "2499999€"),
        (99.94999, "%", "99.94999%"),
        (33.9, "people", "33.9 people"),
        (1e20, None, "1e+20"),
        (0.5, None, "0.5"),
    ],
)
def test_a_value_is_shown_as_written_not_to_six_digits(value: float, unit: str | None, shown: str) -> None:
    """`:g` showed 2499999 as 2.5e+06 on pages, in reports and in the diff."""
    assert measure(value, unit) == shown


def test_how_far_outside_a_band_is_reckoned_in_the_written_decimals() -> None:
    kr = KeyResult("kr1", "Keep uptime", Located("a.md", 1), kind="maintain", minimum=99.5, current=99.2)
    assert kr.outside_band == 0.3  # the binary difference is 0.29999999999999716
