"""The close of a period: final scores from the history, the verdict, committed misses."""

from __future__ import annotations

import json
import textwrap

import pytest

from conftest import MINIMAL_ORGANISATION
from gitrepo import history_site
from okrdocs.core.history.closing import verdict
from sitebuild import build_site, html_of, write_site

APR_10 = 1775779200
"""2026-04-10T00:00:00Z: 2026-Q1 has closed, 2026-H1 has not."""

Q1_ASPIRATIONAL = """---
title: Answer in every language we sell in
team: support
period: 2026-Q1
parent: grow
key_results:
  - id: kr1
    title: Answer 4 languages
    progress: 0.5
---
"""


@pytest.mark.parametrize(
    ("mean", "expected"),
    [
        (1.0, "targets too safe"),
        (0.86, "targets too safe"),
        (0.85, "healthy"),
        (0.6, "healthy"),
        (0.59, "partial"),
        (0.4, "partial"),
        (0.39, "targets outran capacity"),
        (0.0, "targets outran capacity"),
    ],
)
def test_verdict_bands(mean, expected) -> None:
    assert verdict(mean) == expected


@pytest.mark.slow
def test_a_closed_period_keeps_the_scores_it_ended_with(tmp_path, okr_folder, monkeypatch, okrdocs) -> None:
    repo = history_site(tmp_path, okr_folder, monkeypatch)
    sell_more = textwrap.dedent(MINIMAL_ORGANISATION["sales/sell-more.md"]).lstrip("\n")
    committed = sell_more.replace("current: 4", "current: 6").replace(
        "period: 2026-Q1", "period: 2026-Q1\ncommitment: committed"
    )
    repo.commit(
        "Q1 ends", {"sales/sell-more.md": committed, "support/q1.md": Q1_ASPIRATIONAL}, date="2026-03-31T20:00:00Z"
    )
    # A check-in after the quarter's end moves the scores, not the final ones.
    repo.commit(
        "Late check-in",
        {
            "sales/sell-more.md": committed.replace("current: 6", "current: 9"),
            "support/q1.md": Q1_ASPIRATIONAL.replace("progress: 0.5", "progress: 0.9"),
        },
        date="2026-04-05T10:00:00Z",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(APR_10))
    site = build_site(tmp_path / "mkdocs.yml")
    data = json.loads((site / "okrs.json").read_text())
    objectives = {o["id"]: o for o in data["objectives"]}
    shown = {i: (o["score"], o["final_score"], o["commitment"]) for i, o in objectives.items()}
    assert {i: shown[i] for i in ("sell-more", "q1", "help")} == {
        "sell-more": (0.9, 0.6, "committed"),
        "q1": (0.9, 0.5, "aspirational"),
        "help": (0.5, None, "aspirational"),
    }
    page = (site / "periods" / "2026-Q1" / "index.html").read_text()
    assert 'The aspirational objectives closed at 50% on average: <strong class="okr-verdict">partial</strong>.' in page
    assert "Committed objectives that closed below 100%:" in page
    assert 'href="../../okrs/sell-more/">Double revenue</a>' in page.split("okr-committed-below")[1].split("</ul>")[0]
    assert "<th>Final</th>" in page
    assert "<th>Final</th>" not in (site / "periods" / "2026-H1" / "index.html").read_text()
    # The retrospective advice: the closed objectives lack one; H1's does not yet.
    run = okrdocs("check")
    assert [line for line in run.lines if " OKR707 " in line and "2026-Q1" in line] == [
        "okrs/sales/sell-more.md:4: OKR707 objective 'sell-more' closed with 2026-Q1 and has no retrospective: "
        "add a '## Retrospective' section to its body, or a 'retrospective:' field",
        "okrs/support/q1.md:4: OKR707 objective 'q1' closed with 2026-Q1 and has no retrospective: "
        "add a '## Retrospective' section to its body, or a 'retrospective:' field",
    ]
    assert not [line for line in run.lines if "OKR707" in line and "2026-H1" in line]


@pytest.mark.slow
def test_an_objective_first_committed_after_its_period_keeps_its_first_score(tmp_path, okr_folder, monkeypatch) -> None:
    """Written once Q1 had closed: later edits did change its final score (found by a
    hostile review); its first commit is how it ended, as the last one before the end is
    for the others."""
    repo = history_site(tmp_path, okr_folder, monkeypatch)
    repo.commit("Q1, written late", {"support/q1.md": Q1_ASPIRATIONAL}, date="2026-04-02T10:00:00Z")
    repo.commit(
        "A later edit", {"support/q1.md": Q1_ASPIRATIONAL.replace("progress: 0.5", "progress: 0.9")},
        date="2026-04-05T10:00:00Z",
    )  # fmt: skip
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(APR_10))
    site = build_site(tmp_path / "mkdocs.yml")
    data = json.loads((site / "okrs.json").read_text())
    assert [(o["score"], o["final_score"]) for o in data["objectives"] if o["id"] == "q1"] == [(0.9, 0.5)]


def test_a_retrospective_field_is_shown_on_the_page_and_kept_in_okrs_json(tmp_path, okr_folder) -> None:
    """It silenced OKR707, but no page showed what the team wrote (found by a hostile review)."""
    written = "What **worked**: weekly reviews.\n\n- <script>alert(1)</script>\n- {{ 6*7 }}\n"
    retro = Q1_ASPIRATIONAL.replace("---\n", "---\nretrospective: |\n" + textwrap.indent(written, "  "), 1)
    okr_folder({"support/q1.md": retro})
    site = build_site(write_site(tmp_path, okrs=None, plugin={"diagrams": False}))
    page = html_of(site, "okrs/q1/")
    section = page.split('<h2 id="okr-retrospective">Retrospective</h2>', 1)[1]
    assert section.startswith("\n<p>What <strong>worked</strong>: weekly reviews.</p>\n<ul>\n")
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt;</li>" in section
    assert "<li>&#123;&#123; 6*7 &#125;&#125;</li>" in section
    data = json.loads((site / "okrs.json").read_text(encoding="utf-8"))
    assert [o["retrospective"] for o in data["objectives"] if o["id"] == "q1"] == [written.strip()]
