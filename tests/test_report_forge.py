"""`okrdocs report` on hostile OKR folders: what lands in the check-in issue on GitHub
(and on a terminal) pings no one, links no issue, carries no control character, stays
under GitHub's size limit, and says first when the folder has problems."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from okrdocs.cli.report import MAX_MARKDOWN_CHARS, SHORTEN_AT

Run = Callable[..., Any]

ZWJ = "\u200d"
GITHUB_BODY_LIMIT = 65_536
CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Every control character but the newline that ends lines: C0, DEL, C1, bidi controls."""


def objective(id_: str, team: str, title: str, owner: str | None = None, status: str | None = None) -> dict[str, str]:
    """An objective file of the current quarter (2026-Q1) under the vision; strings as JSON,
    which YAML reads as double-quoted scalars (escapes like \\u202e included)."""
    lines = ["---", f"title: {json.dumps(title)}", f"team: {team}", "period: 2026-Q1", "parent: vision"]
    lines += [f"owner: {json.dumps(owner)}"] if owner is not None else []
    lines += [f"status: {status}"] if status else []
    lines += ["key_results:", "  - id: kr1", "    title: Do it", "    progress: 0.5", "---", ""]
    return {f"{team}/{id_}.md": "\n".join(lines)}


@pytest.fixture
def as_of(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773532800")  # 2026-03-15, in 2026-Q1


def outside_code_spans(markdown: str) -> str:
    """The Markdown without its code spans, and without the `##` that start our headings."""
    return re.sub(r"^#+ ", "", re.sub(r"`[^`\n]*`", "", markdown), flags=re.MULTILINE)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# -- mentions and references ------------------------------------------------------


def test_markdown_neither_mentions_nor_references(okr_folder: Callable[..., Path], okrdocs: Run, as_of: None) -> None:
    title = "Ping @alice and #1, GH-12, gh-13, acme/tools#3, acme/tools@cafe123, https://github.com/acme/tools/issues/4"
    okr_folder(
        {
            **objective("ping", "sales", title, owner="@org/everyone"),
            **objective("team", "support", "Ask @acme/admins about #7", owner="mail@example.com"),
        }
    )
    run = okrdocs("report", "--okrs", "okrs", "--format", "markdown")
    assert run.status == 0, run.err
    shown = (
        f"Ping @{ZWJ}alice and #{ZWJ}1, GH-{ZWJ}12, gh-{ZWJ}13, acme/tools#{ZWJ}3, acme/tools@{ZWJ}cafe123, "
        f"https\\:/{ZWJ}/github.com/acme/tools/issues/4"
    )
    assert f"| {shown} (`ping`) | @{ZWJ}org/everyone | 50% | – | never committed |" in run.lines
    assert f"| Ask @{ZWJ}acme/admins about #{ZWJ}7 (`team`) | mail@{ZWJ}example.com | 50% | – | never committed |" in (
        run.lines
    )
    text = outside_code_spans(run.out)
    assert re.findall(f"[@#](?!{ZWJ})", text) == []
    assert re.findall(f"(?i)gh-(?!{ZWJ})", text) == []
    assert re.findall(f"://(?!{ZWJ})", text.replace("\\", "")) == []


def test_a_title_cannot_start_a_list_or_heading_inside_a_list_item(
    repo_with_stale: Callable[[dict[str, str]], None], okrdocs: Run
) -> None:
    repo_with_stale(objective("nested", "sales", "- - -", owner="1. first"))
    run = okrdocs("report", "--okrs", "okrs", "--format", "markdown")
    assert "- \\- - - (`nested`, Sales): owner 1\\. first, updated 2026-01-10" in run.lines


@pytest.fixture
def repo_with_stale(tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Any:
    """A git repository in which the given files were committed on 2026-01-10: stale on 2026-03-15."""
    from gitrepo import new_repo

    def commit(files: dict[str, str]) -> None:
        repository = new_repo(tmp_path, okr_folder, monkeypatch)
        okr_folder(files)
        repository.commit("Check-in", date="2026-01-10T08:00:00Z")
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773532800")

    return commit


# -- control characters -----------------------------------------------------------

HOSTILE = {
    "teams.yml": """
        teams:
          - id: company
            name: Acme
          - id: sales
            name: "Sales\\u202e\\x1b[2J"
            parent: company
          - id: support
            name: Support
            parent: company
        """,
    **objective(
        "red",
        "sales",
        "Red \x1b[31malert\x1b[0m \u202eevil\u202c \u2066x\u2069 \u200fy \u061cz \x9b1m \x07bell",
        owner="Ann\u202e\u2067 \x1b]0;title\x07",
        status="at-risk",
    ),
}


@pytest.mark.parametrize("output_format", ["text", "markdown", "json"])
def test_no_control_character_reaches_the_output(
    okr_folder: Callable[..., Path], okrdocs: Run, as_of: None, output_format: str
) -> None:
    okr_folder(HOSTILE)
    run = okrdocs("report", "--okrs", "okrs", "--format", output_format)
    assert run.status == 0, run.err
    assert CONTROLS.findall(run.out) == []
    if output_format == "json":  # data: the exact owner, its controls written as JSON escapes
        owners = {o["id"]: o["owner"] for o in json.loads(run.out)["objectives"]}
        assert owners["red"] == "Ann\u202e\u2067 \x1b]0;title\x07"
        assert '"owner": "Ann\\u202e\\u2067 \\u001b]0;title\\u0007"' in run.out


def test_text_shows_control_characters_as_escapes(okr_folder: Callable[..., Path], okrdocs: Run, as_of: None) -> None:
    okr_folder(HOSTILE)
    run = okrdocs("report", "--okrs", "okrs")
    assert "Sales\\u202e\\x1b[2J" in run.lines
    assert (
        "  red: Red \\x1b[31malert\\x1b[0m \\u202eevil\\u202c \\u2066x\\u2069 \\u200fy \\u061cz \\x9b1m \\x07bell "
        "(50%, at-risk, owner Ann\\u202e\\u2067 \\x1b]0;title\\x07, updated never committed)" in run.lines
    )


def test_markdown_drops_control_characters(okr_folder: Callable[..., Path], okrdocs: Run, as_of: None) -> None:
    okr_folder(HOSTILE)
    run = okrdocs("report", "--okrs", "okrs", "--format", "markdown")
    assert "### Sales \\[2J" in run.lines
    assert (
        "| Red \\[31malert \\[0m evil x y z 1m bell (`red`) | Ann \\]0;title | 50% | at-risk | never committed |"
        in run.lines
    )


# -- GitHub's size limit ----------------------------------------------------------


def test_a_long_title_is_shortened(okr_folder: Callable[..., Path], okrdocs: Run, as_of: None) -> None:
    okr_folder(objective("long", "sales", "A" * 100_000, owner="B" * 100_000))
    run = okrdocs("report", "--okrs", "okrs", "--format", "markdown")
    assert run.status == 0, run.err
    assert len(run.out) < GITHUB_BODY_LIMIT and utf16_length(run.out) <= MAX_MARKDOWN_CHARS
    title, owner = "A" * (SHORTEN_AT - 1) + "…", "B" * (SHORTEN_AT - 1) + "…"
    assert f"| {title} (`long`) | {owner} | 50% | – | never committed |" in run.lines


def many_objectives(count: int) -> dict[str, str]:
    """`count` objectives with long titles (and every tenth at risk), in three teams."""
    files: dict[str, str] = {}
    for number in range(count):
        title = f"Objective {number:03} " + "with a title that takes up room in the table " * 3
        team = ("company", "sales", "support")[number % 3]
        files.update(objective(f"o{number:03}", team, title, "Pat Lee", "at-risk" if number % 10 == 0 else None))
    return files


def table_rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| ") and "(`" in line]


def test_a_long_report_is_cut_and_says_how_many_are_left_out_and_where(
    okr_folder: Callable[..., Path], okrdocs: Run, as_of: None
) -> None:
    okr_folder(many_objectives(400))
    run = okrdocs("report", "--okrs", "okrs", "--format", "markdown")
    assert run.status == 0, run.err
    assert len(run.out) < GITHUB_BODY_LIMIT and utf16_length(run.out) <= MAX_MARKDOWN_CHARS
    shown = table_rows(run.out)
    total = 400 + 3  # and the minimal organisation's three
    left_out = total - len(shown)
    assert 0 < left_out < total
    assert run.lines[-1] == (
        f"**{left_out} of {total} objectives are left out** to keep this issue under GitHub's size limit: "
        "see them all with `okrdocs report --format json`."
    )
    # The 40 at risk come first: none of them is left out of the tables or of their list.
    assert sum("| at-risk |" in row for row in shown) == 40
    troubled = run.out[run.out.index("### At risk or off track (40)") : run.out.index("### Behind pace")]
    assert len(re.findall(r"^- Objective", troubled, flags=re.MULTILINE)) == 40


@pytest.mark.parametrize(
    ("site_url", "where"),
    [
        ("https://okrs.example.com/acme/", "on <https://okrs.example.com/acme/periods/2026-Q1/>"),
        ("https://okrs.example.com", "on <https://okrs.example.com/periods/2026-Q1/>"),
        ("javascript:alert(1)", "with `okrdocs report --format json`"),
        ("https://okrs.example.com/\u202e/", "with `okrdocs report --format json`"),
        ("https://okrs.example.com/> @everyone", "with `okrdocs report --format json`"),
    ],
)
def test_the_closing_line_links_the_period_page_of_the_site(
    tmp_path: Path, okrdocs: Run, as_of: None, site_url: str, where: str
) -> None:
    from conftest import MINIMAL_ORGANISATION, write_files

    write_files(tmp_path / "okrs", {**MINIMAL_ORGANISATION, **many_objectives(400)})
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: x\nsite_url: {json.dumps(site_url)}\nplugins:\n  - okrdocs\n", encoding="utf-8"
    )
    run = okrdocs("report", "--format", "markdown")
    assert run.status == 0, run.err
    left_out = 403 - len(table_rows(run.out))
    assert run.lines[-1] == (
        f"**{left_out} of 403 objectives are left out** to keep this issue under GitHub's size limit: "
        f"see them all {where}."
    )


def test_a_report_that_fits_has_no_closing_line(okr_folder: Callable[..., Path], okrdocs: Run, as_of: None) -> None:
    okr_folder(many_objectives(20))
    run = okrdocs("report", "--okrs", "okrs", "--format", "markdown")
    assert len(table_rows(run.out)) == 23 and "left out" not in run.out


# -- a folder with problems -------------------------------------------------------

BROKEN = {"sales/broken.md": "---\ntitle: Widgets: sell 200\nteam: sales\n---\n"}


def test_the_text_report_says_first_that_the_folder_has_errors(
    okr_folder: Callable[..., Path], okrdocs: Run, as_of: None
) -> None:
    okr_folder(BROKEN)
    run = okrdocs("report", "--okrs", "okrs")
    assert run.status == 0, run.err
    assert run.lines[:3] == [
        "The OKR folder okrs has 1 error: run 'okrdocs check' to see it.",
        "Left out of this report, because they could not be read: okrs/sales/broken.md",
        "",
    ]
    assert run.lines[3].startswith("OKR check-in for 2026-Q1")


def test_the_markdown_report_says_first_that_the_folder_has_errors(
    okr_folder: Callable[..., Path], okrdocs: Run, as_of: None
) -> None:
    okr_folder({**BROKEN, "support/@everyone`x.md": "---\ntitle: [unclosed\n---\n"})
    run = okrdocs("report", "--okrs", "okrs", "--format", "markdown")
    assert run.status == 0, run.err
    assert run.lines[:3] == [
        "**The OKR folder `okrs` has 2 errors**: run `okrdocs check` to see them.",
        "Left out of this report, because they could not be read: `okrs/sales/broken.md`, `` okrs/support/@everyone`x.md ``",
        "",
    ]
    assert run.lines[3].startswith("## OKR check-in for 2026-Q1")


def test_the_json_report_counts_errors_and_lists_unread_files(
    okr_folder: Callable[..., Path], okrdocs: Run, as_of: None
) -> None:
    okr_folder(BROKEN)
    data = json.loads(okrdocs("report", "--okrs", "okrs", "--format", "json").out)
    assert (data["errors"], data["unread_files"]) == (1, ["okrs/sales/broken.md"])


def test_a_folder_without_errors_has_no_problem_lines(
    okr_folder: Callable[..., Path], okrdocs: Run, as_of: None
) -> None:
    okr_folder()
    run = okrdocs("report", "--okrs", "okrs", "--format", "markdown")
    assert run.lines[0].startswith("## OKR check-in")
    assert (json.loads(okrdocs("report", "--okrs", "okrs", "--format", "json").out)["errors"]) == 0
