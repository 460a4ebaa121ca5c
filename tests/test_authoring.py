"""`okrdocs new`: a correctly formed objective file, or a clear refusal and no file."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from okrdocs.core.reading.authoring import slugify
from okrdocs.core.rules.check import check_folder
from okrdocs.site.text import block_html

KEY_RESULTS_HELP = """\
key_results: []
# Replace [] with one to five measurable results, for example:
#   - id: kr1
#     title: Grow weekly bookings from 200 to 500
#     start: 200
#     target: 500
#     current: 200
#   - id: kr2
#     title: Launch booking in the app
#     progress: 0.0              # a score 0.0..1.0, instead of start/target/current
#     delegated_to: <team id>    # optional: the team that picks this result up
# After the closing '---': why this objective matters, in a few sentences of Markdown.
---
"""

Run = Callable[..., Any]


def test_a_delegated_key_result_becomes_the_objective(okr_folder: Callable[..., Path], okrdocs: Run) -> None:
    folder = okr_folder()
    run = okrdocs("new", "--okrs", "okrs", "--team", "sales", "--parent", "grow#kr1")
    assert (run.status, run.lines) == (0, ["okrs/sales/double-revenue.md"])
    assert run.err == (
        "okrdocs: wrote okrs/sales/double-revenue.md, picking up the key result at okrs/company/grow.md:7: "
        "add its key results, then run okrdocs check\n"
    )
    assert (folder / "sales/double-revenue.md").read_text(encoding="utf-8") == (
        "---\ntitle: Double revenue\nteam: sales\nperiod: 2026\nparent: grow#kr1\n" + KEY_RESULTS_HELP
    )


def test_the_new_file_passes_check(okr_folder: Callable[..., Path], okrdocs: Run) -> None:
    okr_folder()
    assert okrdocs("new", "--okrs", "okrs", "--team", "sales", "--parent", "grow#kr1").status == 0
    check = okrdocs("check", "--okrs", "okrs")
    # Passes; the empty key result list is the one reminder, and fails only strict builds.
    assert (check.status, check.lines) == (
        0,
        [
            "okrs/sales/double-revenue.md:6: OKR601 objective 'double-revenue' has 0 key results; "
            "the expected range is 1 to 5: add key results"
        ],
    )


def test_the_file_is_ready_to_fill_in(okr_folder: Callable[..., Path], okrdocs: Run) -> None:
    """Uncommenting the example key results gives a file with no problem at all."""
    folder = okr_folder()
    okrdocs("new", "--okrs", "okrs", "--team", "sales", "--parent", "grow#kr1")
    path = folder / "sales/double-revenue.md"
    text = path.read_text(encoding="utf-8").replace(
        "key_results: []\n# Replace [] with one to five measurable results, for example:\n", "key_results:\n"
    )
    text = text.replace("#   ", "  ").replace(
        "    delegated_to: <team id>    # optional: the team that picks this result up\n", ""
    )
    path.write_text(text, encoding="utf-8")
    assert okrdocs("check", "--okrs", "okrs").lines == []


def test_the_new_file_shows_no_placeholder_text_on_its_page(okr_folder: Callable[..., Path], okrdocs: Run) -> None:
    """Raw HTML is off on the pages: an HTML comment in the body would show as text."""
    folder = okr_folder()
    okrdocs("new", "--okrs", "okrs", "--team", "sales", "--parent", "grow#kr1")
    body = check_folder(folder).cascade.objectives["double-revenue"].body
    assert block_html(body) == ""


def test_loose_alignment_with_title_period_and_owner(okr_folder: Callable[..., Path], okrdocs: Run) -> None:
    folder = okr_folder()
    run = okrdocs(
        "new", "--okrs", "okrs", "--team", "support", "--parent", "grow",
        "--title", "Answer  every ticket: *fast*", "--period", "2026-Q2", "--owner", "Sam Roe",
    )  # fmt: skip
    assert (run.status, run.lines) == (0, ["okrs/support/answer-every-ticket-fast.md"])
    text = (folder / "support/answer-every-ticket-fast.md").read_text(encoding="utf-8")
    assert text.startswith(
        "---\ntitle: 'Answer every ticket: *fast*'\nteam: support\nowner: Sam Roe\nperiod: 2026-Q2\nparent: grow\n"
    )
    objective = check_folder(folder).cascade.objectives["answer-every-ticket-fast"]
    assert (objective.title, objective.owner, str(objective.period)) == (
        "Answer every ticket: *fast*",
        "Sam Roe",
        "2026-Q2",
    )


def test_period_defaults_to_the_parents(okr_folder: Callable[..., Path], okrdocs: Run) -> None:
    folder = okr_folder()
    okrdocs("new", "--okrs", "okrs", "--team", "sales", "--parent", "sell-more", "--title", "Hire two associates")
    assert "\nperiod: 2026-Q1\n" in (folder / "sales/hire-two-associates.md").read_text(encoding="utf-8")


def test_period_under_the_vision_defaults_to_this_year(okr_folder: Callable[..., Path], okrdocs: Run) -> None:
    folder = okr_folder()
    run = okrdocs("new", "--okrs", "okrs", "--team", "company", "--parent", "vision", "--title", "Open abroad")
    assert run.status == 0
    year = datetime.date.today().year
    assert f"\nperiod: {year}\nparent: vision\n" in (folder / "company/open-abroad.md").read_text(encoding="utf-8")


def test_the_okr_folder_comes_from_mkdocs_yml(okr_folder: Callable[..., Path], okrdocs: Run, tmp_path: Path) -> None:
    folder = okr_folder()
    folder.rename(tmp_path / "goals")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - okrdocs:\n      okrs_dir: goals\n", encoding="utf-8"
    )
    run = okrdocs("new", "--team", "sales", "--parent", "grow#kr1", "--id", "revenue")
    assert (run.status, run.lines) == (0, ["goals/sales/revenue.md"])
    assert (tmp_path / "goals/sales/revenue.md").is_file()


# -- refusals: exit 1, a message that says what to do, and no file ------------------


def _refused(okrdocs: Run, folder: Path, *args: str) -> str:
    before = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
    run = okrdocs("new", "--okrs", "okrs", *args)
    assert run.status == 1
    assert run.out == ""
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == before
    return run.err.removesuffix("\n")


def test_a_key_result_delegated_to_another_team(okr_folder: Callable[..., Path], okrdocs: Run) -> None:
    folder = okr_folder()
    assert _refused(okrdocs, folder, "--team", "support", "--parent", "grow#kr1") == (
        "okrdocs: error: key result 'grow#kr1' (okrs/company/grow.md:7) is delegated to 'sales', not to "
        "'support': add 'support' to its 'delegated_to', or align loosely with --parent grow"
    )


def test_a_key_result_delegated_to_no_one(okr_folder: Callable[..., Path], okrdocs: Run) -> None:
    folder = okr_folder()
    assert _refused(okrdocs, folder, "--team", "support", "--parent", "grow#kr2") == (
        "okrdocs: error: key result 'grow#kr2' (okrs/company/grow.md:10) is delegated to no team, not to "
        "'support': add 'support' to its 'delegated_to', or align loosely with --parent grow"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--team", "suport", "--parent", "grow", "--title", "x"),
            "there is no team 'suport' in okrs/teams.yml; did you mean 'support'?",
        ),
        (
            ("--team", "finance", "--parent", "grow", "--title", "x"),
            "there is no team 'finance' in okrs/teams.yml; the teams are company, sales, support",
        ),
        (("--team", "sales", "--parent", "grw#kr1"), "parent 'grw#kr1' names no objective; did you mean 'grow'?"),
        (
            ("--team", "sales", "--parent", "grow#kr-1"),
            "parent 'grow#kr-1': objective 'grow' (okrs/company/grow.md:1) has no key result 'kr-1'; did you mean 'kr1'?",
        ),
        (
            ("--team", "sales", "--parent", "grow#kr9"),
            "parent 'grow#kr9': objective 'grow' (okrs/company/grow.md:1) has no key result 'kr9'; its key results are kr1, kr2",
        ),
        (
            ("--team", "sales", "--parent", "Grow"),
            "--parent 'Grow' is not 'vision', an objective id (loose alignment) or 'objective-id#kr-id' (tight alignment)",
        ),
        (
            ("--team", "sales", "--parent", "grow"),
            "give the objective a title with --title 'What will be accomplished'",
        ),
        (
            ("--team", "sales", "--parent", "grow#kr1", "--period", "2027-Q1"),
            "period 2027-Q1 does not lie inside 2026, the period of its parent 'grow' (okrs/company/grow.md:1): "
            "use 2026 or a part of it",
        ),
        (
            ("--team", "sales", "--parent", "grow#kr1", "--period", "Q1"),
            "--period 'Q1' is not a year (2026), a half (2026-H1) or a quarter (2026-Q3)",
        ),
        (
            ("--team", "sales", "--parent", "vision", "--title", "Grow"),
            "objective id 'grow' is already used by okrs/company/grow.md: pass --id with another id, or edit that file",
        ),
        (
            ("--team", "sales", "--parent", "grow#kr1", "--id", "Double_Revenue"),
            "'Double_Revenue' is not a valid objective id: pass --id with a slug (a-z, 0-9 and '-'), like 'grow-revenue'",
        ),
        (
            ("--team", "sales", "--parent", "vision", "--title", "???"),
            "cannot make a file name from the title: pass --id with a slug, like 'grow-revenue'",
        ),
    ],
)
def test_refusals(args: tuple[str, ...], message: str, okr_folder: Callable[..., Path], okrdocs: Run) -> None:
    folder = okr_folder()
    assert _refused(okrdocs, folder, *args) == f"okrdocs: error: {message}"


def test_never_overwrites_a_file(okr_folder: Callable[..., Path], okrdocs: Run) -> None:
    """A file that is not (yet) an objective with that id, such as a draft with another id."""
    draft = "---\nid: revenue-draft\ntitle: Draft\nteam: sales\nperiod: 2026-Q1\nparent: grow\nkey_results: []\n---\n"
    folder = okr_folder({"sales/double-revenue.md": draft})
    assert _refused(okrdocs, folder, "--team", "sales", "--parent", "grow#kr1") == (
        "okrdocs: error: okrs/sales/double-revenue.md exists already, and okrdocs new never overwrites a file: "
        "pass --id with another id, or edit that file"
    )
    assert (folder / "sales/double-revenue.md").read_text(encoding="utf-8") == draft


def test_never_writes_through_a_team_folder_linked_out_of_the_okr_folder(
    okr_folder: Callable[..., Path], okrdocs: Run, tmp_path: Path
) -> None:
    folder = okr_folder()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for path in (folder / "sales").iterdir():
        path.rename(elsewhere / path.name)
    (folder / "sales").rmdir()
    (folder / "sales").symlink_to(elsewhere)
    before = sorted(elsewhere.iterdir())
    run = okrdocs("new", "--okrs", "okrs", "--team", "sales", "--parent", "grow#kr1")
    assert (run.status, run.out) == (1, "")
    assert run.err == (
        "okrdocs: error: okrs/sales leads outside the OKR folder (a symbolic link): okrdocs new writes only "
        "inside it; replace the link with a folder\n"
    )
    assert sorted(elsewhere.iterdir()) == before


def test_writes_through_a_team_folder_linked_inside_the_okr_folder(
    okr_folder: Callable[..., Path], okrdocs: Run
) -> None:
    folder = okr_folder()
    (folder / "sales").rename(folder / "_sales")
    (folder / "sales").symlink_to(folder / "_sales")
    run = okrdocs("new", "--okrs", "okrs", "--team", "sales", "--parent", "grow#kr1")
    assert (run.status, run.lines) == (0, ["okrs/sales/double-revenue.md"])
    assert (folder / "_sales" / "double-revenue.md").is_file()


def test_usage_errors(okrdocs: Run, tmp_path: Path) -> None:
    run = okrdocs("new", "--okrs", "nowhere", "--team", "sales", "--parent", "vision", "--title", "x")
    assert (run.status, run.err) == (2, "okrdocs: error: the OKR folder 'nowhere' does not exist\n")
    run = okrdocs("new", "--okrs", "okrs", "--parent", "vision")
    assert run.status == 2
    assert "the following arguments are required: --team" in run.err


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Double revenue", "double-revenue"),
        ("Grow revenue from new markets from 0 to 10%", "grow-revenue-from-new-markets-from-0-to-10"),
        ("Réduire l'attente à l'atelier", "reduire-l-attente-a-l-atelier"),
        (
            "Make up 60 percent of all electric car sales in the region",
            "make-up-60-percent-of-all-electric-car-sales-in",
        ),
        ("**Ship** the `booking` API", "ship-the-booking-api"),
        ("Antidisestablishmentarianism" * 3, ("antidisestablishmentarianism" * 3)[:48]),
        ("???", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
