"""`okrdocs check`: every rule of the format, as the user sees it (exact lines, exit status).

Each test writes a small OKR folder (the minimal organisation of conftest plus the files
at fault) and runs the command in-process; line numbers count the opening `---` as 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import MINIMAL_ORGANISATION, write_files
from okrdocs.core.domain.escaping import printable
from okrdocs.core.domain.model import Period
from okrdocs.core.domain.problems import Problem, display_path, format_ordered
from okrdocs.core.rules.check import check_folder
from okrdocs.core.rules.validation import KrRange

DEMO = Path(__file__).resolve().parents[1] / "okrs"

# The minimal organisation's support/help.md, spelled out so that its lines can be counted.
HELP = """\
---
title: Help customers faster
team: support
period: 2026-H1
parent: grow
key_results:
  - id: kr1
    title: Answer every ticket within a day
    progress: 0.25
---
"""
#  1 ---
#  2 title
#  3 team
#  4 period
#  5 parent
#  6 key_results:
#  7   - id: kr1
#  8     title
#  9     progress
# 10 ---


def objective(
    team: str, parent: str, period: str = "2026", krs: str = "  - id: kr1\n    title: Do it 3 times\n"
) -> str:
    """An objective file whose `parent` is on line 5 and `key_results` on line 6."""
    return f"---\ntitle: An objective\nteam: {team}\nperiod: {period}\nparent: {parent}\nkey_results:\n{krs}---\n"


def check(okrdocs, *args: str):
    return okrdocs("check", "--okrs", "okrs", *args)


# -- a valid organisation ------------------------------------------------------


def test_minimal_organisation_passes(okr_folder, okrdocs):
    okr_folder()
    run = check(okrdocs)
    assert (run.status, run.lines) == (0, [])
    assert run.err == "okrdocs: okrs: 3 objectives, 3 teams: 0 errors, 0 warnings\n"


def test_the_summary_says_one_objective_and_one_team(okr_folder, okrdocs):
    okr_folder(
        {
            "teams.yml": "teams:\n  - id: company\n    name: Acme\n",
            "company/grow.md": objective("company", "vision"),
            "sales/sell-more.md": None,
            "support/help.md": None,
        }
    )
    run = check(okrdocs)
    assert (run.status, run.err) == (0, "okrdocs: okrs: 1 objective, 1 team: 0 errors, 0 warnings\n")


def test_demo_organisation_passes(okrdocs):
    run = okrdocs("check", "--okrs", str(DEMO))
    # The demo passes the gate; the coaching rules find advice in it (README: "Coaching rules").
    assert run.status == 0 and run.lines
    assert all(line.split(": ", 1)[1].startswith("OKR7") for line in run.lines)
    assert ": 0 errors, 0 warnings, " in run.err


def test_installed_console_script(okr_folder, tmp_path):
    okr_folder({"support/help.md": HELP.replace("team: support", "team: suport")})
    script = Path(sys.executable).with_name("okrdocs")
    run = subprocess.run(
        [str(script), "check", "--okrs", "okrs"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "okrs/support/help.md:3: OKR401 there is no team 'suport' in teams.yml: add the team there "
        "or fix 'team'; did you mean 'support'?"
    ]
    assert "Traceback" not in run.stderr


# -- rule 1: unreadable files, invalid YAML, front matter that is not a mapping --------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            b"---\ntitle: Caf\xe9\n---\n",
            "2: OKR101 the file is not UTF-8 (byte 0xe9 at offset 14): save it with UTF-8 encoding",
            id="not-utf8",
        ),
        pytest.param(
            "---\ntitle: [unclosed\nteam: support\n---\n",
            "2: OKR102 invalid YAML: the '[' on this line is never closed: end the list with ']', "
            "or put the value in quotes if it is text",
            id="invalid-yaml",
        ),
        pytest.param(
            "---\ntitle: Widgets: sell 200\nteam: support\n---\n",
            "2: OKR102 invalid YAML: a value that contains ': ' must be in quotes: write title: \"Widgets: sell 200\"",
            id="colon-in-a-value",
        ),
        pytest.param(
            "---\nowner: 'Pat\ntitle: Help\nteam: support\nperiod: 2026\n---\n",
            "2: OKR102 invalid YAML: the quote ' that starts a value on this line is never closed: end the value with '",
            id="unclosed-quote",
        ),
        pytest.param(
            "---\ntitle: a\n  team: b\n---\n",
            "3: OKR102 invalid YAML: mapping values are not allowed in this context",
            id="bad-indentation",
        ),
        pytest.param(
            "---\n- title: a list\n- team: support\n---\n",
            "2: OKR103 the front matter is not a mapping of fields: write one 'name: value' per line",
            id="front-matter-a-list",
        ),
        pytest.param(
            "---\njust a sentence\n---\n",
            "2: OKR103 the front matter is not a mapping of fields: write one 'name: value' per line",
            id="front-matter-a-string",
        ),
        pytest.param(
            "---\n---\n# Empty\n",
            "2: OKR103 the front matter is not a mapping of fields: write one 'name: value' per line",
            id="front-matter-empty",
        ),
        pytest.param(
            "---\ntitle: Help\nteam: support\n",
            "1: OKR103 the front matter opened by '---' on line 1 is never closed: "
            "add a line '---' after the last field",
            id="unclosed",
        ),
        pytest.param(
            "",
            "1: OKR103 the file has no front matter: start it with a line '---', the fields, and another '---'",
            id="empty-file",
        ),
        pytest.param(
            "# Help\n\ntitle: Help\n",
            "1: OKR103 the file has no front matter: start it with a line '---', the fields, and another '---'",
            id="no-front-matter",
        ),
    ],
)
def test_unusable_objective_file(okr_folder, okrdocs, text, expected):
    okr_folder({"support/help.md": text})
    run = check(okrdocs)
    assert (run.status, run.lines) == (1, [f"okrs/support/help.md:{expected}"])


def test_unusable_file_is_not_reported_again_as_an_unknown_parent(okr_folder, okrdocs):
    okr_folder({"company/grow.md": "---\ntitle: [\n---\n"})
    run = check(okrdocs)
    # sell-more and help name 'grow' as their parent: only the broken file itself is reported.
    assert run.lines == [
        "okrs/company/grow.md:2: OKR102 invalid YAML: while parsing a flow node; did not find expected node content"
    ]


def test_unreadable_file(okr_folder, okrdocs, tmp_path):
    okr_folder()
    (tmp_path / "okrs/support/gone.md").symlink_to(tmp_path / "nowhere.md")
    run = check(okrdocs)
    assert (run.status, run.lines) == (
        1,
        ["okrs/support/gone.md:1: OKR101 cannot read the file: No such file or directory"],
    )


def test_file_too_large(okr_folder, okrdocs):
    okr_folder({"support/help.md": HELP + "x" * 1_000_000})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/help.md:1: OKR105 the file has 1,000,168 bytes, more than the limit of 1,000,000: "
        "move long material to a linked page"
    ]


NO_TEAMS_NO_VISION = [
    "okrs/teams.yml:1: OKR104 no teams.yml in the OKR folder: create it with a list 'teams:' of "
    "'- id: <slug>' and 'name: <name>' entries",
    "okrs/vision.md:1: OKR104 no vision.md in the OKR folder: create it with front matter "
    "'vision: <one sentence>' so objectives can trace back to it",
]


def test_missing_teams_and_vision(okr_folder, okrdocs):
    okr_folder({"teams.yml": None, "vision.md": None})
    run = check(okrdocs)
    assert (run.status, run.lines) == (1, NO_TEAMS_NO_VISION)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "- id: company\n",
            "1: OKR103 teams.yml must hold a list 'teams:' whose items are '- id: <slug>' with 'name: <name>'",
            id="a-list",
        ),
        pytest.param(
            "teams: company\n",
            "1: OKR103 teams.yml must hold a list 'teams:' whose items are '- id: <slug>' with 'name: <name>'",
            id="teams-not-a-list",
        ),
        pytest.param(
            "",
            "1: OKR103 teams.yml must hold a list 'teams:' whose items are '- id: <slug>' with 'name: <name>'",
            id="empty",
        ),
        pytest.param(
            "teams:\n  - id: [company\n",
            "2: OKR102 invalid YAML: the '[' on this line is never closed: end the list with ']', "
            "or put the value in quotes if it is text",
            id="invalid-yaml",
        ),
    ],
)
def test_unusable_teams_file(okr_folder, okrdocs, text, expected):
    okr_folder({"teams.yml": text})
    run = check(okrdocs)
    # Without teams, objectives' team ids are not reported one by one.
    assert (run.status, run.lines) == (1, [f"okrs/teams.yml:{expected}"])


def test_team_entries_at_fault(okr_folder, okrdocs):
    okr_folder(
        {
            "teams.yml": """
                teams:
                  - company
                  - id: company
                    name: Acme
                  - id: sales
                    name: Sales
                    parent: company
                    colour: blue
                  - id: support
                    name: Support
                    parent: company
                  - id: Ops
                    name: Operations
                  - name: Nameless
                other: 1
                """
        }
    )
    run = check(okrdocs)
    assert run.lines == [
        "okrs/teams.yml:2: OKR103 each team must be a mapping with 'id' and 'name'",
        "okrs/teams.yml:8: OKR203 unknown field 'colour' in a team: the known fields are id, name, parent, lead, description, reviewers",
        "okrs/teams.yml:12: OKR202 'id' is 'Ops'; write a slug: lower-case letters a-z, digits and single '-' "
        "between them, like 'sales-emea'",
        "okrs/teams.yml:14: OKR201 a team has no 'id': add 'id: sales' "
        "(The team's id, used in objectives' 'team' and 'delegated_to'.)",
        "okrs/teams.yml:15: OKR203 unknown field 'other' in teams.yml: only 'teams' is read",
    ]


def test_vision_at_fault(okr_folder, okrdocs):
    okr_folder({"vision.md": "---\nvison: Everyone gets what they need.\n---\n"})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/vision.md:1: OKR201 vision.md has no 'vision': add 'vision: <vision>' "
        "(The organisation's vision, in one sentence.)",
        "okrs/vision.md:2: OKR203 unknown field 'vison' in vision.md: did you mean 'vision'?",
    ]


# -- rule 2: missing fields, wrong types and shapes, unknown fields --------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # wrong type or shape
        (
            "team: support",
            "team: Support",
            "3: OKR202 'team' is 'Support'; write a slug: lower-case letters "
            "a-z, digits and single '-' between them, like 'sales-emea'",
        ),
        (
            "period: 2026-H1",
            "period: 2026-Q5",
            "4: OKR202 'period' is '2026-Q5'; write a year (2026), a half (2026-H1) or a quarter (2026-Q3)",
        ),
        (
            "period: 2026-H1",
            "period: 2026-01-31",
            "4: OKR202 'period' is 2026-01-31; write a year (2026), a half (2026-H1) or a quarter (2026-Q3)",
        ),
        (
            "period: 2026-H1",
            "period: 26",
            "4: OKR202 'period' is 26; write a year (2026), a half (2026-H1) or a quarter (2026-Q3)",
        ),
        (
            "parent: grow",
            "parent: grow#",
            "5: OKR202 'parent' is 'grow#'; write 'vision', an objective id "
            "(loose alignment) or 'objective-id#kr-id' (tight alignment)",
        ),
        (
            "parent: grow",
            "parent: [grow]",
            "5: OKR202 'parent' is a list; write 'vision', an objective id "
            "(loose alignment) or 'objective-id#kr-id' (tight alignment)",
        ),
        ("title: Help customers faster", "title: ''", "2: OKR202 'title' is ''; write a non-empty line of text"),
        (
            "title: Help customers faster",
            "title: {a: 1}",
            "2: OKR202 'title' is a mapping; write a non-empty line of text",
        ),
        (
            "    progress: 0.25",
            "    progress: 1.5",
            "9: OKR202 'progress' is 1.5; write a score from 0.0 to 1.0, like 0.7",
        ),
        (
            "    progress: 0.25",
            "    progress: -0.1",
            "9: OKR202 'progress' is -0.1; write a score from 0.0 to 1.0, like 0.7",
        ),
        (
            "    progress: 0.25",
            "    progress: yes",
            "9: OKR202 'progress' is true; write a score from 0.0 to 1.0, like 0.7",
        ),
        (
            "    progress: 0.25",
            "    progress: '0.5'",
            "9: OKR202 'progress' is '0.5'; write a score from 0.0 to 1.0, like 0.7",
        ),
        (
            "    progress: 0.25",
            "    delegated_to: []",
            "9: OKR202 'delegated_to' is an empty list; write a team id, or a list of team ids",
        ),
        (
            "    progress: 0.25",
            "    delegated_to: Sales",
            "9: OKR202 'delegated_to' is 'Sales'; write a team id, or a list of team ids",
        ),
        (
            "parent: grow",
            "parent: grow\nstatus: late",
            "6: OKR202 'status' is 'late'; write one of on-track, at-risk, off-track, done",
        ),
        (
            "parent: grow",
            "parent: grow\nconfidence: 2",
            "6: OKR202 'confidence' is 2; write a score from 0.0 to 1.0, like 0.7",
        ),
        (
            "parent: grow",
            "parent: grow\ntags: emea",
            "6: OKR202 'tags' is 'emea'; write a list of words, like [hiring, emea]",
        ),
        (
            "parent: grow",
            "parent: grow\ntags: [[a]]",
            "6: OKR202 'tags' is a list; write a list of words, like [hiring, emea]",
        ),
        (
            "parent: grow",
            "parent: grow\nowner: [Ann, Bob]",
            "6: OKR202 'owner' is a list; write a non-empty line of text",
        ),
        # start, target and current
        (
            "    progress: 0.25",
            "    start: 5\n    target: 5\n    current: 5",
            "10: OKR202 key result 'kr1' has target "
            "equal to start (5), so progress cannot be measured: set a target different from the start",
        ),
        (
            "    progress: 0.25",
            "    unit: tickets\n    start: 5",
            "10: OKR201 key result 'kr1' has start but no target "
            "or current: give start, target and current together, or use 'progress: 0.0..1.0'",
        ),
        (
            "    progress: 0.25",
            "    current: 3\n    target: 10",
            "10: OKR201 key result 'kr1' has target, current but "
            "no start: give start, target and current together, or use 'progress: 0.0..1.0'",
        ),
        (
            "    progress: 0.25",
            "    start: 0\n    target: ten\n    current: 3",
            "10: OKR202 'target' is 'ten'; write a number, like 10 or 2.5",
        ),
        # unknown fields, with a did-you-mean for near misses
        (
            "    progress: 0.25",
            "    delegate_to: sales",
            "9: OKR203 unknown field 'delegate_to' in a key result: did you mean 'delegated_to'?",
        ),
        (
            "    progress: 0.25",
            "    progres: 0.25",
            "9: OKR203 unknown field 'progres' in a key result: did you mean 'progress'?",
        ),
        (
            "parent: grow",
            "parent: grow\nowners: Ann",
            "6: OKR203 unknown field 'owners' in the objective: did you mean 'owner'?",
        ),
        (
            "parent: grow",
            "parent: grow\ncolour: blue",
            "6: OKR203 unknown field 'colour' in the objective: the known "
            "fields are id, title, team, owner, period, parent, key_results, status, confidence, tags, contributes_to, ignore, retrospective, commitment",
        ),
        # missing required fields: reported on the record's own line
        (
            "team: support\n",
            "",
            "1: OKR201 the objective has no 'team': add 'team: sales' (The id of the team that owns the objective.)",
        ),
        (
            "team: support",
            "team:",
            "3: OKR201 the objective has no 'team': add 'team: sales' (The id of the team that owns the objective.)",
        ),
        (
            "period: 2026-H1\n",
            "",
            "1: OKR201 the objective has no 'period': add 'period: 2026-Q1' (2026, 2026-H1 or 2026-Q3.)",
        ),
        (
            "title: Help customers faster\n",
            "",
            "1: OKR201 the objective has no 'title': add 'title: Grow revenue from "
            "new markets' (What will be accomplished; defaults to the body's first '# ' heading.)",
        ),
        (
            "    title: Answer every ticket within a day\n",
            "",
            "7: OKR201 a key result has no 'title': add 'title: <title>' "
            "(A measurable result; inline Markdown is allowed.)",
        ),
    ],
)
def test_field_at_fault(okr_folder, okrdocs, old, new, expected):
    assert old in HELP
    okr_folder({"support/help.md": HELP.replace(old, new, 1)})
    run = check(okrdocs)
    assert (run.status, run.lines) == (1, [f"okrs/support/help.md:{expected}"])


def test_key_results_that_are_not_a_list(okr_folder, okrdocs):
    old = "key_results:\n  - id: kr1\n    title: Answer every ticket within a day\n    progress: 0.25"
    okr_folder({"support/help.md": HELP.replace(old, "key_results: 3")})
    run = check(okrdocs)
    assert (run.status, run.lines) == (
        1,
        [
            "okrs/support/help.md:6: OKR202 'key_results' is 3; write a list of items, each starting with '- '",
            "okrs/support/help.md:6: OKR601 objective 'help' has 0 key results; the expected range is 1 to 5: "
            "add key results",
        ],
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  - id: kr1",
            "  - id: KR 1",
            "7: OKR202 'id' is 'KR 1'; write a slug: lower-case letters a-z, digits and single '-' between them, "
            "like 'sales-emea'",
        ),
        (
            "  - id: kr1\n    title",
            "  - title",
            "7: OKR201 a key result has no 'id': add 'id: kr1' (A slug, unique within the objective.)",
        ),
        (
            "  - id: kr1\n    title: Answer every ticket within a day\n    progress: 0.25",
            "  - Answer every ticket",
            "7: OKR103 each key result must be a mapping with 'id' and 'title', like '- id: kr1'",
        ),
    ],
)
def test_key_results_that_cannot_be_used(okr_folder, okrdocs, old, new, expected):
    """A key result without a usable id is left out of the cascade, but it still counts as one the
    author wrote: no second report that the objective has 0 key results."""
    okr_folder({"support/help.md": HELP.replace(old, new, 1)})
    run = check(okrdocs)
    assert (run.status, run.lines) == (1, [f"okrs/support/help.md:{expected}"])


def test_a_key_result_that_cannot_be_used_still_counts_towards_too_many(okr_folder, okrdocs):
    okr_folder({"support/many.md": objective("support", "grow", krs=SIX_KRS.replace("id: kr6", "id: KR6"))})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/many.md:6: OKR601 objective 'many' has 6 key results; the expected range is 1 to 5: keep the "
        "few that matter most",
        "okrs/support/many.md:17: OKR202 'id' is 'KR6'; write a slug: lower-case letters a-z, digits and single '-' "
        "between them, like 'sales-emea'",
    ]


def test_missing_parent_and_key_results(okr_folder, okrdocs):
    okr_folder({"support/help.md": "---\ntitle: Help\nteam: support\nperiod: 2026\n---\n"})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/help.md:1: OKR201 the objective has no 'key_results': add 'key_results: <key_results>' "
        "(The key results: how the outcome will be shown.)",
        "okrs/support/help.md:1: OKR201 the objective has no 'parent': add 'parent: vision' "
        "(vision, an objective id (loose) or objective-id#kr-id (tight).)",
        "okrs/support/help.md:1: OKR601 objective 'help' has 0 key results; the expected range is 1 to 5: add key results",
    ]


def test_title_may_come_from_the_first_heading(okr_folder):
    root = okr_folder(
        {"support/help.md": HELP.replace("title: Help customers faster\n", "") + "\n# Help *faster*\n\nWhy.\n"}
    )
    result = check_folder(root)
    assert result.problems == []
    help_ = result.cascade.objectives["help"]
    assert (help_.title, help_.body) == ("Help *faster*", "Why.")


def test_objective_id_defaults_to_file_name_and_must_be_a_slug(okr_folder, okrdocs):
    okr_folder({"support/help.md": None, "support/Help Customers.md": HELP})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/Help Customers.md:1: OKR202 the file name 'Help Customers' is not a valid objective id: "
        "rename the file to a slug (a-z, 0-9 and '-') or add 'id: <slug>'"
    ]


def test_explicit_id_overrides_file_name(okr_folder):
    root = okr_folder(
        {"support/help.md": None, "support/Help Customers.md": HELP.replace("---\n", "---\nid: help\n", 1)}
    )
    assert check_folder(root).problems == []


def test_key_results_checked_even_when_objective_id_is_bad(okr_folder, okrdocs):
    bad = HELP.replace("title: Help", "id: Help_Customers\ntitle: Help").replace("progress", "progres")
    okr_folder({"support/help.md": bad})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/help.md:2: OKR202 'id' is 'Help_Customers'; write a slug: lower-case letters a-z, digits "
        "and single '-' between them, like 'sales-emea'",
        "okrs/support/help.md:10: OKR203 unknown field 'progres' in a key result: did you mean 'progress'?",
    ]


def test_empty_id_falls_back_to_the_file_name(okr_folder, okrdocs):
    okr_folder({"support/help.md": HELP.replace("parent: grow", "parent: gorw").replace("---\n", "---\nid:\n", 1)})
    run = check(okrdocs)
    assert run.lines == ["okrs/support/help.md:6: OKR402 parent 'gorw' names no objective; did you mean 'grow'?"]


def test_vision_is_a_reserved_objective_id(okr_folder, okrdocs):
    okr_folder(
        {
            "support/vision.md": objective("support", "grow"),
            "sales/big.md": objective("sales", "grow").replace("---\n", "---\nid: vision\n", 1),
        }
    )
    run = check(okrdocs)
    message = (
        "OKR202 the id 'vision' is reserved: 'parent: vision' means the organisation's vision; "
        "rename the file or set another 'id'"
    )
    assert run.lines == [f"okrs/sales/big.md:2: {message}", f"okrs/support/vision.md:1: {message}"]


def test_files_and_folders_starting_with_underscore_or_dot_are_skipped(okr_folder):
    root = okr_folder(
        {"_drafts/idea.md": "not OKRs", ".github/x.md": "nope", "support/_notes.md": "notes", "README.txt": "x"}
    )
    assert check_folder(root).problems == []


# -- rule 3: duplicate ids -------------------------------------------------------------


def test_duplicate_objective_ids(okr_folder, okrdocs):
    okr_folder(
        {
            "sales/grow.md": objective("sales", "vision"),  # the same file name as company/grow.md
            "support/faster.md": HELP.replace("---\n", "---\nid: help\n", 1),  # the same id as support/help.md
        }
    )
    run = check(okrdocs)
    assert run.lines == [
        "okrs/sales/grow.md:1: OKR301 objective id 'grow' is already used by okrs/company/grow.md:1: "
        "rename this file or set a different 'id'",
        "okrs/support/help.md:1: OKR301 objective id 'help' is already used by okrs/support/faster.md:1: "
        "rename this file or set a different 'id'",
    ]


def test_duplicate_key_result_ids(okr_folder, okrdocs):
    krs = "  - id: kr1\n    title: One\n  - id: kr2\n    title: Two\n  - id: kr1\n    title: Three\n"
    okr_folder({"support/help.md": objective("support", "grow", krs=krs)})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/help.md:11: OKR302 key result id 'kr1' is already used on line 7 of this objective: "
        "give each key result its own id"
    ]


def test_duplicate_team_ids(okr_folder, okrdocs):
    teams = (
        "teams:\n  - id: company\n    name: Acme\n  - id: sales\n    name: Sales\n    parent: company\n"
        "  - id: support\n    name: Support\n  - id: sales\n    name: Sales again\n"
    )
    okr_folder({"teams.yml": teams})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/teams.yml:9: OKR303 team id 'sales' is already used by okrs/teams.yml:4: give each team its own id"
    ]


# -- rule 4: unknown teams -------------------------------------------------------------


def test_unknown_team_of_an_objective_with_did_you_mean(okr_folder, okrdocs):
    okr_folder({"support/help.md": HELP.replace("team: support", "team: suport")})
    run = check(okrdocs)
    assert (run.status, run.lines) == (
        1,
        [
            "okrs/support/help.md:3: OKR401 there is no team 'suport' in teams.yml: add the team there or fix 'team'; "
            "did you mean 'support'?"
        ],
    )


def test_unknown_team_without_a_near_miss(okr_folder, okrdocs):
    okr_folder({"support/help.md": HELP.replace("team: support", "team: finance")})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/help.md:3: OKR401 there is no team 'finance' in teams.yml: add the team there or fix 'team'"
    ]


def test_unknown_delegation_team(okr_folder, okrdocs):
    okr_folder({"support/help.md": HELP.replace("    progress: 0.25", "    delegated_to: [sale]")})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/help.md:9: OKR401 key result 'kr1' is delegated to 'sale', but there is no team 'sale' "
        "in teams.yml: add the team there or fix 'delegated_to'; did you mean 'sales'?"
    ]


def test_unknown_team_in_a_delegation_list_is_reported_on_its_item(okr_folder, okrdocs):
    krs = "  - id: kr1\n    title: Twice as fast\n    delegated_to:\n      - sales\n      - suport\n      - finance\n"
    okr_folder(
        {
            "company/faster.md": objective("company", "vision", krs=krs),
            "sales/quick.md": objective("sales", "faster#kr1"),
        }
    )
    run = check(okrdocs)
    assert run.lines == [
        "okrs/company/faster.md:11: OKR401 key result 'kr1' is delegated to 'suport', but there is no team 'suport' "
        "in teams.yml: add the team there or fix 'delegated_to'; did you mean 'support'?",
        "okrs/company/faster.md:12: OKR401 key result 'kr1' is delegated to 'finance', but there is no team 'finance' "
        "in teams.yml: add the team there or fix 'delegated_to'",
    ]


def test_unknown_parent_team(okr_folder, okrdocs):
    teams = "teams:\n  - id: company\n    name: Acme\n  - id: sales\n    name: Sales\n    parent: compnay\n  - id: support\n    name: Support\n"
    okr_folder({"teams.yml": teams})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/teams.yml:6: OKR401 team 'sales' has parent 'compnay', but there is no team 'compnay' in teams.yml: "
        "add that team or fix 'parent'; did you mean 'company'?"
    ]


# -- rule 5: parents that name no objective or no key result --------------------------


def test_unknown_parent_objective_with_did_you_mean(okr_folder, okrdocs):
    okr_folder({"support/help.md": HELP.replace("parent: grow", "parent: gorw")})
    run = check(okrdocs)
    assert (run.status, run.lines) == (
        1,
        ["okrs/support/help.md:5: OKR402 parent 'gorw' names no objective; did you mean 'grow'?"],
    )


@pytest.mark.parametrize("typed", ["visoin", "vison", "visions"])
def test_a_mistyped_vision_parent_gets_a_did_you_mean(okr_folder, okrdocs, typed):
    okr_folder({"support/help.md": HELP.replace("parent: grow", f"parent: {typed}")})
    run = check(okrdocs)
    assert run.lines == [f"okrs/support/help.md:5: OKR402 parent '{typed}' names no objective; did you mean 'vision'?"]


def test_okrdocs_new_suggests_the_vision_for_a_mistyped_parent(okr_folder, okrdocs):
    okr_folder()
    run = okrdocs("new", "--okrs", "okrs", "--team", "sales", "--parent", "visoin", "--title", "T")
    assert run.status != 0 and "did you mean 'vision'?" in run.err


def test_unknown_parent_objective_without_a_near_miss(okr_folder, okrdocs):
    okr_folder({"support/help.md": HELP.replace("parent: grow", "parent: shrink-costs")})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/help.md:5: OKR402 parent 'shrink-costs' names no objective: use vision, an objective id or "
        "objective-id#kr-id"
    ]


def test_unknown_parent_key_result(okr_folder, okrdocs):
    okr_folder({"sales/sell-more.md": objective("sales", "grow#kr9", "2026-Q1")})
    run = check(okrdocs)
    assert run.lines == [
        # the cause only: the delegation of grow#kr1 to sales is what the child meant to pick up
        "okrs/sales/sell-more.md:5: OKR402 parent 'grow#kr9': objective 'grow' (okrs/company/grow.md:1) has no key result "
        "'kr9'; its key results are kr1, kr2",
    ]


def test_unknown_parent_key_result_with_did_you_mean(okr_folder, okrdocs):
    okr_folder({"sales/sell-more.md": objective("sales", "grow#kr11", "2026-Q1")})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/sales/sell-more.md:5: OKR402 parent 'grow#kr11': objective 'grow' (okrs/company/grow.md:1) has no key result "
        "'kr11'; did you mean 'kr1'?"
    ]


# -- rule 6: tight pickup of a KR not delegated to the team ----------------------------


def test_pickup_by_a_team_the_key_result_is_not_delegated_to(okr_folder, okrdocs):
    okr_folder({"support/help.md": HELP.replace("parent: grow", "parent: grow#kr1")})
    run = check(okrdocs)
    assert (run.status, run.lines) == (
        1,
        [
            "okrs/support/help.md:5: OKR403 picks up key result 'grow#kr1' (okrs/company/grow.md:7), which is delegated to "
            "sales, not to team 'support': add 'support' to its 'delegated_to', or align loosely with 'parent: grow'"
        ],
    )


def test_pickup_of_a_key_result_delegated_to_nobody(okr_folder, okrdocs):
    okr_folder({"support/help.md": HELP.replace("parent: grow", "parent: grow#kr2")})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/help.md:5: OKR403 picks up key result 'grow#kr2' (okrs/company/grow.md:10), which is delegated to "
        "no team, not to team 'support': add 'support' to its 'delegated_to', or align loosely with 'parent: grow'"
    ]


# -- rule 7: broken delegations --------------------------------------------------------


def test_delegation_nobody_picks_up(okr_folder, okrdocs):
    okr_folder({"sales/sell-more.md": None})
    run = check(okrdocs)
    assert (run.status, run.lines) == (
        1,
        [
            "okrs/company/grow.md:9: OKR404 key result 'grow#kr1' is delegated to team 'sales', but no objective of "
            "that team picks it up: add one with 'team: sales' and 'parent: grow#kr1', or withdraw the delegation"
        ],
    )


@pytest.mark.parametrize(
    ("pickup", "its_problem"),
    [
        ("faster#kr1", []),
        # sales' wrong pickup is reported, not the delegation to sales it meant; support's still is
        (
            "faster#kr9",
            [
                "okrs/sales/quick.md:5: OKR402 parent 'faster#kr9': objective 'faster' (okrs/company/faster.md:1) has no "
                "key result 'kr9'; its key results are kr1"
            ],
        ),
    ],
)
def test_delegation_to_two_teams_needs_two_pickups(okr_folder, okrdocs, pickup, its_problem):
    krs = "  - id: kr1\n    title: Twice as fast\n    delegated_to:\n      - sales\n      - support\n"
    okr_folder(
        {
            "company/faster.md": objective("company", "vision", krs=krs),
            "sales/quick.md": objective("sales", pickup),
        }
    )
    run = check(okrdocs)
    assert run.lines == [  # on the line of '- support' in the list
        "okrs/company/faster.md:11: OKR404 key result 'faster#kr1' is delegated to team 'support', but no objective of "
        "that team picks it up: add one with 'team: support' and 'parent: faster#kr1', or withdraw the delegation",
        *its_problem,
    ]


def test_a_child_that_cannot_be_read_is_the_one_problem_reported(okr_folder, okrdocs):
    """Not also the parent's delegation to the child's team (its folder, by convention)."""
    okr_folder({"sales/sell-more.md": b"---\ntitle: Double revenue \xff\nteam: sales\n---\n"})
    run = check(okrdocs)
    assert (run.status, run.lines) == (
        1,
        [
            "okrs/sales/sell-more.md:2: OKR101 the file is not UTF-8 (byte 0xff at offset 26): save it with UTF-8 encoding"
        ],
    )


def test_a_child_that_picks_up_a_key_result_not_delegated_to_its_team_is_the_one_problem_reported(okr_folder, okrdocs):
    okr_folder({"sales/sell-more.md": objective("sales", "grow#kr2", "2026-Q1")})
    run = check(okrdocs)
    assert (run.status, run.lines) == (
        1,
        [
            "okrs/sales/sell-more.md:5: OKR403 picks up key result 'grow#kr2' (okrs/company/grow.md:10), which is "
            "delegated to no team, not to team 'sales': add 'sales' to its 'delegated_to', or align loosely with "
            "'parent: grow'"
        ],
    )


def test_a_child_that_names_an_unknown_objective_is_the_one_problem_reported(okr_folder, okrdocs):
    okr_folder({"sales/sell-more.md": objective("sales", "gorw#kr1", "2026-Q1")})
    run = check(okrdocs)
    assert (run.status, run.lines) == (
        1,
        ["okrs/sales/sell-more.md:5: OKR402 parent 'gorw#kr1' names no objective; did you mean 'grow'?"],
    )


# -- rule 8: objectives that do not trace back to the vision --------------------------


def test_dead_end_chain(okr_folder, okrdocs):
    okr_folder(
        {
            "support/a.md": objective("support", "nowhere"),
            "support/b.md": objective("support", "a"),
            "support/c.md": objective("support", "b"),
        }
    )
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/a.md:5: OKR402 parent 'nowhere' names no objective: use vision, an objective id or objective-id#kr-id",
        "okrs/support/b.md:5: OKR501 objective 'b' does not trace back to the vision: its ancestor 'a' "
        "(okrs/support/a.md:5) has a parent that does not resolve",
        "okrs/support/c.md:5: OKR501 objective 'c' does not trace back to the vision: its ancestor 'a' "
        "(okrs/support/a.md:5) has a parent that does not resolve",
    ]


def test_parent_cycle(okr_folder, okrdocs):
    okr_folder(
        {
            "support/a.md": objective("support", "b"),
            "support/b.md": objective("support", "a"),
            "support/c.md": objective("support", "b"),
            "support/me.md": objective("support", "me"),
        }
    )
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/a.md:5: OKR502 objective 'a' is its own ancestor (a -> b -> a): point one 'parent' up the "
        "cascade, towards the vision",
        "okrs/support/b.md:5: OKR502 objective 'b' is its own ancestor (b -> a -> b): point one 'parent' up the "
        "cascade, towards the vision",
        "okrs/support/c.md:5: OKR501 objective 'c' does not trace back to the vision: its chain runs into the loop "
        "a -> b",
        "okrs/support/me.md:5: OKR502 objective 'me' is its own ancestor (me -> me): point one 'parent' up the "
        "cascade, towards the vision",
    ]


# -- rule 9: periods -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parent_period", "period", "expected"),
    [
        ("2026", "2025-Q4", "period 2025-Q4 does not lie inside 2026"),
        ("2026", "2027", "period 2027 does not lie inside 2026"),
        ("2026-H2", "2026-Q1", "period 2026-Q1 does not lie inside 2026-H2"),
        ("2026-Q2", "2026-H1", "period 2026-H1 does not lie inside 2026-Q2"),
        ("2026-Q2", "2026", "period 2026 does not lie inside 2026-Q2"),
    ],
)
def test_period_outside_parent(okr_folder, okrdocs, parent_period, period, expected):
    okr_folder(
        {
            "support/top.md": objective("support", "vision", parent_period),
            "support/child.md": objective("support", "top", period),
        }
    )
    run = check(okrdocs, "--ignore", "OKR707")  # 2025-Q4 has closed without a retrospective
    parent = Period.parse(parent_period)
    assert run.lines == [
        f"okrs/support/child.md:4: OKR503 {expected}, the period of its parent 'top' (okrs/support/top.md:1): "
        f"use {parent} or a part of it"
    ]


@pytest.mark.parametrize(
    ("parent_period", "period"), [("2026", "2026"), ("2026", "2026-H2"), ("2026-H2", "2026-Q3"), ("2026-Q1", "2026-Q1")]
)
def test_period_inside_parent(okr_folder, okrdocs, parent_period, period):
    okr_folder(
        {
            "support/top.md": objective("support", "vision", parent_period),
            "support/child.md": objective("support", "top", period),
        }
    )
    assert check(okrdocs).lines == []


# -- rule 10: team cycles --------------------------------------------------------------


def test_team_cycle(okr_folder, okrdocs):
    teams = """
        teams:
          - id: company
            name: Acme
            parent: support
          - id: sales
            name: Sales
            parent: company
          - id: support
            name: Support
            parent: company
          - id: solo
            name: Solo
            parent: solo
        """
    okr_folder({"teams.yml": teams})
    run = check(okrdocs)
    assert (run.status, run.lines) == (
        1,
        [
            "okrs/teams.yml:4: OKR504 team 'company' is its own ancestor (company -> support -> company): change one "
            "'parent' to break the loop",
            "okrs/teams.yml:10: OKR504 team 'support' is its own ancestor (support -> company -> support): change one "
            "'parent' to break the loop",
            "okrs/teams.yml:13: OKR504 team 'solo' is its own ancestor (solo -> solo): change one 'parent' to break the loop",
        ],
    )


# -- warnings: the number of key results -----------------------------------------------


SIX_KRS = "".join(f"  - id: kr{i}\n    title: Result {i}\n" for i in range(1, 7))


def test_kr_count_warnings_do_not_fail(okr_folder, okrdocs):
    okr_folder(
        {
            "support/many.md": objective("support", "grow", krs=SIX_KRS),
            "support/none.md": objective("support", "grow", krs="").replace("key_results:\n", "key_results: []\n"),
        }
    )
    run = check(okrdocs)
    assert (run.status, run.lines) == (
        0,
        [
            "okrs/support/many.md:6: OKR601 objective 'many' has 6 key results; the expected range is 1 to 5: keep the "
            "few that matter most",
            "okrs/support/none.md:6: OKR601 objective 'none' has 0 key results; the expected range is 1 to 5: add key results",
        ],
    )
    assert run.err == "okrdocs: okrs: 5 objectives, 3 teams: 0 errors, 2 warnings\n"


def test_strict_makes_warnings_errors(okr_folder, okrdocs):
    okr_folder({"support/many.md": objective("support", "grow", krs=SIX_KRS)})
    run = check(okrdocs, "--strict")
    assert run.status == 1
    assert run.lines == [
        "okrs/support/many.md:6: OKR601 objective 'many' has 6 key results; the expected range is 1 to 5: keep the few "
        "that matter most"
    ]
    assert run.err == "okrdocs: okrs: 4 objectives, 3 teams: 1 error, 0 warnings\n"


def test_kr_range_is_configurable_in_the_core(okr_folder):
    root = okr_folder()
    problems = check_folder(root, KrRange(2, 3)).problems
    assert [(p.path, p.code) for p in problems] == [("sales/sell-more.md", "OKR601"), ("support/help.md", "OKR601")]


# -- all problems, stable order, paths -------------------------------------------------


def test_all_problems_in_one_run_in_a_stable_order(okr_folder, okrdocs):
    okr_folder(
        {
            "support/help.md": HELP.replace("team: support", "team: suport").replace("progress: 0.25", "progres: 1"),
            "sales/sell-more.md": None,
            "teams.yml": "teams:\n  - id: company\n    name: Acme\n  - id: sales\n    name: Sales\n  - id: support\n    name: S\n    parent: me\n",
            "zz/a.md": b"\xff",
        }
    )
    first = check(okrdocs)
    second = check(okrdocs)
    assert first == second
    assert first.lines == [
        "okrs/company/grow.md:9: OKR404 key result 'grow#kr1' is delegated to team 'sales', but no objective of that "
        "team picks it up: add one with 'team: sales' and 'parent: grow#kr1', or withdraw the delegation",
        "okrs/support/help.md:3: OKR401 there is no team 'suport' in teams.yml: add the team there or fix 'team'; "
        "did you mean 'support'?",
        "okrs/support/help.md:9: OKR203 unknown field 'progres' in a key result: did you mean 'progress'?",
        "okrs/teams.yml:8: OKR401 team 'support' has parent 'me', but there is no team 'me' in teams.yml: "
        "add that team or fix 'parent'",
        "okrs/zz/a.md:1: OKR101 the file is not UTF-8 (byte 0xff at offset 0): save it with UTF-8 encoding",
    ]
    assert first.err == "okrdocs: okrs: 2 objectives, 3 teams: 5 errors, 0 warnings\n"


@pytest.mark.parametrize(
    ("folder", "argument", "shown"),
    [
        ("okrs", "okrs/", "okrs/support/help.md"),
        ("okrs", "./okrs", "./okrs/support/help.md"),
        ("data/okrs", "data/okrs", "data/okrs/support/help.md"),
    ],
)
def test_path_is_the_okrs_argument_joined_with_the_file(tmp_path, okrdocs, folder, argument, shown):
    write_files(
        tmp_path / folder, {**MINIMAL_ORGANISATION, "support/help.md": HELP.replace("parent: grow", "parent: gorw")}
    )
    run = okrdocs("check", "--okrs", argument)
    assert run.lines == [f"{shown}:5: OKR402 parent 'gorw' names no objective; did you mean 'grow'?"]


def test_absolute_okrs_argument(okr_folder, okrdocs):
    root = okr_folder({"support/help.md": HELP.replace("parent: grow", "parent: gorw")})
    run = okrdocs("check", "--okrs", str(root))
    assert run.lines == [
        f"{root.as_posix()}/support/help.md:5: OKR402 parent 'gorw' names no objective; did you mean 'grow'?"
    ]


# -- output formats --------------------------------------------------------------------


def test_github_format(okr_folder, okrdocs):
    okr_folder(
        {
            "support/help.md": HELP.replace("parent: grow", "parent: gorw"),
            "support/many.md": objective("support", "grow", krs=SIX_KRS),
        }
    )
    run = check(okrdocs, "--format", "github")
    assert run.status == 1
    assert run.lines == [
        "::error file=okrs/support/help.md,line=5,title=OKR402::parent 'gorw' names no objective; did you mean 'grow'?",
        "::warning file=okrs/support/many.md,line=6,title=OKR601::objective 'many' has 6 key results; the expected "
        "range is 1 to 5: keep the few that matter most",
    ]
    assert run.err == ""


def test_github_format_strict(okr_folder, okrdocs):
    okr_folder({"support/many.md": objective("support", "grow", krs=SIX_KRS)})
    run = check(okrdocs, "--format", "github", "--strict")
    assert run.status == 1
    assert run.lines[0].startswith("::error file=okrs/support/many.md,line=6,title=OKR601::")


def test_json_format(okr_folder, okrdocs):
    okr_folder(
        {
            "support/help.md": HELP.replace("parent: grow", "parent: gorw"),
            "support/many.md": objective("support", "grow", krs=SIX_KRS),
        }
    )
    run = check(okrdocs, "--format", "json")
    assert run.status == 1
    assert json.loads(run.out) == [
        {
            "path": "okrs/support/help.md",
            "line": 5,
            "code": "OKR402",
            "severity": "error",
            "message": "parent 'gorw' names no objective; did you mean 'grow'?",
        },
        {
            "path": "okrs/support/many.md",
            "line": 6,
            "code": "OKR601",
            "severity": "warning",
            "message": "objective 'many' has 6 key results; the expected range is 1 to 5: keep the few that matter most",
        },
    ]


WRONG_PICKUP = {**MINIMAL_ORGANISATION, "support/help.md": HELP.replace("parent: grow", "parent: grow#kr2")}


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        (
            "text",
            "data/okrs/support/help.md:5: OKR403 picks up key result 'grow#kr2' (data/okrs/company/grow.md:10), which "
            "is delegated to no team, not to team 'support': add 'support' to its 'delegated_to', or align loosely "
            "with 'parent: grow'",
        ),
        (
            "github",
            "::error file=data/okrs/support/help.md,line=5,title=OKR403::picks up key result 'grow#kr2' "
            "(data/okrs/company/grow.md:10), which is delegated to no team, not to team 'support': add 'support' to "
            "its 'delegated_to', or align loosely with 'parent: grow'",
        ),
    ],
)
def test_another_file_in_a_message_is_shown_like_the_prefix(tmp_path, okrdocs, fmt, expected):
    write_files(tmp_path / "data/okrs", WRONG_PICKUP)
    run = okrdocs("check", "--okrs", "data/okrs", "--format", fmt)
    assert (run.status, run.lines) == (1, [expected])


def test_another_file_in_a_json_message_is_shown_like_the_path(tmp_path, okrdocs):
    write_files(tmp_path / "data/okrs", WRONG_PICKUP)
    run = okrdocs("check", "--okrs", "data/okrs", "--format", "json")
    [problem] = json.loads(run.out)
    assert (problem["path"], problem["message"].split(", which")[0]) == (
        "data/okrs/support/help.md",
        "picks up key result 'grow#kr2' (data/okrs/company/grow.md:10)",
    )


def test_json_format_without_problems(okr_folder, okrdocs):
    okr_folder()
    run = check(okrdocs, "--format", "json")
    assert (run.status, json.loads(run.out)) == (0, [])


# -- usage errors ------------------------------------------------------------------------


def test_bad_option_is_a_usage_error(okr_folder, okrdocs):
    okr_folder()
    run = okrdocs("check", "--okrs", "okrs", "--bogus")
    assert run.status == 2
    assert "unrecognized arguments: --bogus" in run.err


@pytest.mark.parametrize("args", [("check", "--format", "xml"), ("check", "--okrs", "okrs", "-f", "mkdocs.yml"), ()])
def test_other_usage_errors(okrdocs, args):
    assert okrdocs(*args).status == 2


def test_missing_folder_is_a_usage_error(okrdocs):
    run = okrdocs("check", "--okrs", "nowhere")
    assert (run.status, run.out, run.err) == (2, "", "okrdocs: error: the OKR folder 'nowhere' does not exist\n")


def test_no_mkdocs_yml_is_a_usage_error(okrdocs):
    run = okrdocs("check")
    assert (run.status, run.out) == (2, "")
    assert run.err == (
        "okrdocs: error: cannot read mkdocs.yml: No such file or directory; run in the folder of mkdocs.yml, "
        "or pass -f FILE or --okrs DIR\n"
    )


def test_mkdocs_yml_without_the_plugin_is_a_usage_error(okr_folder, okrdocs, tmp_path):
    okr_folder()
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - search\n")
    run = okrdocs("check")
    assert run.status == 2
    assert run.err == (
        "okrdocs: error: mkdocs.yml does not list the 'okrdocs' plugin under 'plugins:'; add it, or pass the OKR "
        "folder with --okrs DIR\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("site_name: [X\n", "mkdocs.yml is not valid YAML"),
        (
            "plugins:\n  - okrdocs:\n      min_key_results: many\n",
            "mkdocs.yml: min_key_results must be a whole number, not text",
        ),
        (
            "plugins:\n  - okrdocs: 3\n",
            "mkdocs.yml: the options of the 'okrdocs' plugin must be a mapping of 'name: value'\n",
        ),
        (
            "plugins: 5\n",
            "mkdocs.yml: 'plugins' must be a list of plugins ('- okrdocs') or a mapping of them, not the value 5\n",
        ),
        (
            "plugins: okrdocs\n",
            "mkdocs.yml: 'plugins' must be a list of plugins ('- okrdocs') or a mapping of them, not text\n",
        ),
        (
            "plugins:\n  - okrdocs:\n      okrs_dir: [a, b]\n",
            "mkdocs.yml: okrs_dir must be text, not a list\n",
        ),
        (
            "plugins:\n  - okrdocs:\n      max_key_results: 2.5\n",
            "mkdocs.yml: max_key_results must be a whole number, not the value 2.5\n",
        ),
        (
            "site_name: !!timestamp x\nplugins: [okrdocs]\n",
            "mkdocs.yml is not valid YAML: a tagged value cannot be read",
        ),
        (
            "site_name: !!bool maybe\nplugins: [okrdocs]\n",
            "mkdocs.yml is not valid YAML: a tagged value cannot be read",
        ),
        ("site_name: !!int +\nplugins: [okrdocs]\n", "mkdocs.yml is not valid YAML: a tagged value cannot be read"),
        ("nav:\n" + "".join(" " * i + "a:\n" for i in range(1, 2_000)), "mkdocs.yml is not valid YAML: "),
    ],
)
def test_unusable_mkdocs_yml_is_a_usage_error(okrdocs, tmp_path, text, message):
    (tmp_path / "mkdocs.yml").write_text(text)
    run = okrdocs("check")
    assert (run.status, run.out) == (2, "")
    assert run.err.startswith(f"okrdocs: error: {message}")
    assert "Traceback" not in run.err and run.err.count("\n") == 1


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            "min_key_results: 4\n      max_key_results: 2",
            "min_key_results (4) is greater than max_key_results (2): no objective could be in range; "
            "lower min_key_results or raise max_key_results",
        ),
        (
            "max_key_results: 0",  # the default minimum is 1
            "min_key_results (1) is greater than max_key_results (0): no objective could be in range; "
            "lower min_key_results or raise max_key_results",
        ),
        ("min_key_results: -1", "min_key_results is -1: write 0 or a larger whole number"),
        ("min_key_results: 0\n      max_key_results: -3", "max_key_results is -3: write 0 or a larger whole number"),
    ],
)
def test_key_result_range_that_is_no_range_is_a_usage_error(okr_folder, okrdocs, tmp_path, options, message):
    okr_folder()
    (tmp_path / "mkdocs.yml").write_text(f"plugins:\n  - okrdocs:\n      {options}\n")
    run = okrdocs("check")
    assert (run.status, run.out, run.err) == (2, "", f"okrdocs: error: mkdocs.yml: {message}\n")


def test_key_result_range_may_be_a_single_number(okr_folder, okrdocs, tmp_path):
    okr_folder()
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - okrdocs:\n      min_key_results: 2\n      max_key_results: 2\n")
    run = okrdocs("check")
    assert (run.status, len(run.lines)) == (0, 2)  # sell-more and help have one key result each


# -- settings from mkdocs.yml ------------------------------------------------------------


MKDOCS_YML = """\
site_name: Acme OKRs
theme:
  name: material
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
extra:
  analytics: !ENV [ANALYTICS_KEY, none]
plugins:
  - search
  - okrdocs:
      okrs_dir: goals
      min_key_results: 2
      max_key_results: 3
"""


def _site(tmp_path: Path, folder: str = "") -> None:
    site = tmp_path / folder
    write_files(site, {"mkdocs.yml": MKDOCS_YML})
    write_files(site / "goals", MINIMAL_ORGANISATION)


def test_check_reads_the_plugin_settings_from_mkdocs_yml(tmp_path, okrdocs):
    _site(tmp_path)
    run = okrdocs("check")
    assert (run.status, run.lines) == (
        0,
        [
            "goals/sales/sell-more.md:6: OKR601 objective 'sell-more' has 1 key result; the expected range is 2 to 3: "
            "add key results",
            "goals/support/help.md:6: OKR601 objective 'help' has 1 key result; the expected range is 2 to 3: add key results",
        ],
    )
    assert okrdocs("check", "--strict").status == 1


def test_check_with_config_file_in_another_folder(tmp_path, okrdocs):
    _site(tmp_path, "site")
    for args in (("-f", "site/mkdocs.yml"), ("--config-file", "site/mkdocs.yml")):
        run = okrdocs("check", *args)
        assert run.status == 0
        assert [line.split(":")[0] for line in run.lines] == [
            "site/goals/sales/sell-more.md",
            "site/goals/support/help.md",
        ]


def test_env_tags_in_plugin_options(tmp_path, okrdocs, monkeypatch):
    _site(tmp_path)
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML.replace("min_key_results: 2", "min_key_results: !ENV [OKR_MIN, 2]"))
    assert len(okrdocs("check").lines) == 2
    monkeypatch.setenv("OKR_MIN", "3")
    assert len(okrdocs("check").lines) == 3  # company/grow.md has two


def test_plugin_listed_without_options_uses_the_defaults(okr_folder, tmp_path, okrdocs):
    okr_folder({"support/help.md": HELP.replace("parent: grow", "parent: gorw")})
    for plugins in (
        "plugins:\n  - okrdocs\n",
        "plugins:\n  okrdocs: {}\n",
        "plugins:\n  - okrdocs:\n      okrs_dir:\n",
    ):
        (tmp_path / "mkdocs.yml").write_text(plugins)
        run = okrdocs("check")
        assert (run.status, run.lines) == (
            1,
            ["okrs/support/help.md:5: OKR402 parent 'gorw' names no objective; did you mean 'grow'?"],
        )


def test_mkdocs_yml_pointing_to_a_missing_folder(tmp_path, okrdocs):
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - okrdocs:\n      okrs_dir: nowhere\n")
    run = okrdocs("check")
    assert (run.status, run.err) == (2, "okrdocs: error: the OKR folder 'nowhere' does not exist\n")


# -- scores ------------------------------------------------------------------------------


def _scores(okr_folder, files):
    cascade = check_folder(okr_folder(files)).cascade
    return {
        objective_id: (
            cascade.objective_score(objective),
            [cascade.kr_score(objective, kr) for kr in objective.key_results],
        )
        for objective_id, objective in cascade.objectives.items()
    }


@pytest.mark.parametrize(
    ("measure", "score"),
    [
        ("progress: 0.7", 0.7),
        ("progress: 0", 0.0),
        ("progress: 1", 1.0),
        ("start: 0\n    target: 10\n    current: 4", 0.4),
        ("start: 10\n    target: 20\n    current: 25", 1.0),  # above the target: clamped
        ("start: 10\n    target: 20\n    current: 5", 0.0),  # below the start: clamped
        ("start: 100\n    target: 50\n    current: 80", 0.4),  # a target below the start: going down
        ("start: 100\n    target: 50\n    current: 120", 0.0),
        ("start: 100\n    target: 50\n    current: 10", 1.0),
        ("start: 0\n    target: 1\n    current: 0.5\n    progress: 0.9", 0.9),  # progress wins
        ("unit: '%'", None),
    ],
)
def test_key_result_score(okr_folder, measure, score):
    scores = _scores(okr_folder, {"support/help.md": HELP.replace("progress: 0.25", measure)})
    assert scores["help"] == (score, [score])


def test_delegated_key_result_scores_the_mean_of_its_pickups(okr_folder):
    grow = """
        ---
        title: Grow
        team: company
        period: 2026
        parent: vision
        key_results:
          - id: kr1
            title: Double revenue
            delegated_to: [sales, support]
          - id: kr2
            title: Own
            progress: 0.5
          - id: kr3
            title: Delegated and measured
            delegated_to: sales
            progress: 0.1
          - id: kr4
            title: Nobody measures this
        ---
        """
    files = {
        "company/grow.md": grow,
        "sales/sell-more.md": objective(
            "sales",
            "grow#kr1",
            krs="  - id: a\n    title: A\n    progress: 0.2\n  - id: b\n    title: B\n    progress: 0.4\n",
        ),
        "sales/measured.md": objective("sales", "grow#kr3", krs="  - id: a\n    title: A\n    progress: 1\n"),
        "support/help.md": objective("support", "grow#kr1", krs="  - id: a\n    title: A\n    progress: 0.6\n"),
        "support/loose.md": objective("support", "grow", krs="  - id: a\n    title: A\n"),  # unknown: no score
    }
    scores = _scores(okr_folder, files)
    assert scores["sell-more"] == (pytest.approx(0.3), [0.2, 0.4])
    assert scores["help"] == (0.6, [0.6])
    assert scores["loose"] == (None, [None])
    objective_score, kr_scores = scores["grow"]
    # kr1: mean of its pickups (0.3 and 0.6); kr3 keeps its own progress; kr4 is unknown and not counted
    assert kr_scores == [pytest.approx(0.45), 0.5, 0.1, None]
    assert objective_score == pytest.approx((0.45 + 0.5 + 0.1) / 3)


def test_delegated_key_result_without_scored_pickups_is_unknown(okr_folder):
    files = {"sales/sell-more.md": objective("sales", "grow#kr1", "2026-Q1", krs="  - id: a\n    title: A\n")}
    scores = _scores(okr_folder, files)
    assert scores["grow"] == (0.5, [None, 0.5])


def test_scores_of_a_cycle_terminate(okr_folder):
    krs_a = "  - id: kr1\n    title: A\n    delegated_to: support\n"
    files = {
        "support/a.md": objective("support", "b#kr1", krs=krs_a),
        "support/b.md": objective("support", "a#kr1", krs=krs_a),
    }
    scores = _scores(okr_folder, files)
    assert scores["a"] == (None, [None])


# -- periods -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "months", "label"),
    [
        (2026, (2026, 1, 12), "2026"),
        ("2026", (2026, 1, 12), "2026"),
        ("2026-H1", (2026, 1, 6), "2026-H1"),
        ("2026-H2", (2026, 7, 12), "2026-H2"),
        ("2026-Q1", (2026, 1, 3), "2026-Q1"),
        ("2026-Q3", (2026, 7, 9), "2026-Q3"),
        ("2026-Q4", (2026, 10, 12), "2026-Q4"),
    ],
)
def test_period_parse(value, months, label):
    period = Period.parse(value)
    assert period is not None
    assert ((period.year, period.first_month, period.last_month), period.label, str(period)) == (months, label, label)


@pytest.mark.parametrize(
    "value",
    [
        "2026-Q0",
        "2026-Q5",
        "2026-H3",
        "2026-q1",
        "26",
        "20261",
        "2026-",
        "2026-Q1 ",
        "2026\n",
        " 2026",
        "2026-M1",
        2026.0,
        True,
        None,
        [2026],
        -2026,
        "",
        "２０２６",
    ],
)
def test_period_parse_rejects(value):
    assert Period.parse(value) is None


def test_period_contains():
    year, h1, h2, q1, q2, q3 = (
        Period.parse(v) for v in ("2026", "2026-H1", "2026-H2", "2026-Q1", "2026-Q2", "2026-Q3")
    )
    assert year and h1 and h2 and q1 and q2 and q3
    assert all(year.contains(p) for p in (year, h1, h2, q1, q2, q3))
    assert h1.contains(q1) and h1.contains(q2) and not h1.contains(q3)
    assert h2.contains(q3) and not h2.contains(h1)
    assert not q1.contains(h1) and not q1.contains(year) and q1.contains(q1)
    assert not year.contains(Period.parse("2027-Q1")) and not Period.parse("2027").contains(q1)  # type: ignore[union-attr,arg-type]


# -- bad input never gives a traceback -------------------------------------------------------


def _billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


TOO_LARGE = (
    "OKR105 the YAML is too large (more than 20,000 values once aliases are expanded): "
    "keep front matter to the fields okrdocs reads"
)
TOO_DEEP = "OKR105 the YAML is nested more than 64 levels deep: keep front matter to the fields okrdocs reads"


def test_billion_laughs_in_front_matter(okr_folder, okrdocs):
    # 9**9 values once expanded: the check only finishes because the expansion is refused.
    okr_folder({"support/help.md": "---\n" + _billion_laughs() + "---\n"})
    run = check(okrdocs)
    assert (run.status, run.lines) == (1, [f"okrs/support/help.md:2: {TOO_LARGE}"])


def test_billion_laughs_in_teams_yml(okr_folder, okrdocs):
    okr_folder({"teams.yml": _billion_laughs()})
    run = check(okrdocs)
    assert (run.status, run.lines) == (1, [f"okrs/teams.yml:1: {TOO_LARGE}"])


@pytest.mark.parametrize(
    ("front_matter", "expected"),
    [
        pytest.param(
            "title: " + "[" * 10_000 + "]" * 10_000 + "\n",
            f"2: {TOO_DEEP}",
            id="flow",
        ),
        pytest.param(
            "title: " + "- " * 1_000 + "x\n",
            f"2: {TOO_DEEP}",
            id="dashes",
        ),
        # refused at the key that opens the 65th level: title (1), k1 (2) ... k64 on line 66
        pytest.param("title:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 200)), f"66: {TOO_DEEP}", id="block"),
        pytest.param(
            "title:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 1_001)),
            f"66: {TOO_DEEP}",
            id="block-beyond-libyaml",
        ),
    ],
)
def test_deep_nesting(okr_folder, okrdocs, front_matter, expected):
    okr_folder({"support/help.md": "---\n" + front_matter + "---\n"})
    run = check(okrdocs)
    assert (run.status, run.lines) == (1, [f"okrs/support/help.md:{expected}"])


def test_non_string_keys_are_unknown_fields_at_their_line(okr_folder, okrdocs):
    text = HELP.replace("parent: grow\n", "parent: grow\n1: one\nnull: nothing\n2026-01-31: a date\n1.5: x\n").replace(
        "    progress: 0.25", "    progress: 0.25\n    3: three"
    )
    okr_folder({"support/help.md": text})
    run = check(okrdocs)
    known = "the known fields are id, title, team, owner, period, parent, key_results, status, confidence, tags, contributes_to, ignore, retrospective, commitment"
    assert run.lines == [
        f"okrs/support/help.md:6: OKR203 unknown field '1' in the objective: {known}",
        f"okrs/support/help.md:7: OKR203 unknown field 'None' in the objective: {known}",
        f"okrs/support/help.md:8: OKR203 unknown field '2026-01-31' in the objective: {known}",
        f"okrs/support/help.md:9: OKR203 unknown field '1.5' in the objective: {known}",
        "okrs/support/help.md:14: OKR203 unknown field '3' in a key result: the known fields are id, title, "
        "delegated_to, start, target, current, unit, progress, weight, depends_on, kind, done, min, max",
    ]


def test_unhashable_key(okr_folder, okrdocs):
    okr_folder({"support/help.md": HELP.replace("parent: grow\n", "parent: grow\n[a, b]: c\n")})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/help.md:6: OKR102 invalid YAML: while constructing a mapping; found unhashable key"
    ]


def test_dates_and_numbers_where_text_is_expected(okr_folder):
    text = HELP.replace("title: Help customers faster", "title: 2026-01-31").replace(
        "parent: grow\n", "parent: grow\nowner: 42\ntags: [2026, emea, 1.5]\n"
    )
    result = check_folder(okr_folder({"support/help.md": text}))
    help_ = result.cascade.objectives["help"]
    gate = [p for p in result.problems if not p.is_advice]  # a date is a number in a title (OKR702)
    assert (gate, help_.title, help_.owner, help_.tags) == ([], "2026-01-31", "42", ("2026", "emea", "1.5"))


def test_huge_numbers_and_nan(okr_folder, okrdocs):
    big = "9" * 400
    krs = (
        f"  - id: kr1\n    title: {big}\n    start: {big}\n    target: 1\n    current: 0\n"
        "  - id: kr2\n    title: B\n    start: 0\n    target: 1.0e+999\n    current: -.inf\n"
        f"  - id: kr3\n    title: C\n    progress: .nan\n"
        "  - id: kr4\n    title: D\n    start: -1.0e+308\n    target: 1.0e+308\n    current: 1.7e+308\n"
    )
    okr_folder(
        {
            "support/help.md": objective("support", "grow", krs=krs).replace(
                "period: 2026", f"period: 2026\nconfidence: {big}"
            )
        }
    )
    run = check(okrdocs, "--ignore", "OKR704")  # key results left without a measure
    shown = big[:57] + "..."
    assert run.lines == [
        f"okrs/support/help.md:5: OKR202 'confidence' is {shown}; write a score from 0.0 to 1.0, like 0.7",
        f"okrs/support/help.md:10: OKR202 'start' is {shown}; write a number, like 10 or 2.5",
        "okrs/support/help.md:16: OKR202 'target' is inf; write a number, like 10 or 2.5",
        "okrs/support/help.md:17: OKR202 'current' is -inf; write a number, like 10 or 2.5",
        "okrs/support/help.md:20: OKR202 'progress' is nan; write a score from 0.0 to 1.0, like 0.7",
    ]


def test_integer_too_long_for_python(okr_folder, okrdocs):
    okr_folder({"support/help.md": HELP.replace("progress: 0.25", "progress: " + "9" * 5000)})
    run = check(okrdocs)
    assert (run.status, run.lines) == (
        1,
        [
            "okrs/support/help.md:9: OKR102 invalid YAML: '99999999999999999999999999999999999...' cannot be read "
            "as !!int (more than 4300 digits): correct it, or put it in "
            "quotes to keep it as text"
        ],
    )


def test_yaml_tags_that_build_python_objects_are_refused(okr_folder, okrdocs):
    okr_folder(
        {
            "support/help.md": HELP.replace(
                "title: Help customers faster", "title: !!python/object/apply:os.system [echo hi]"
            )
        }
    )
    run = check(okrdocs)
    assert run.status == 1
    assert run.lines[0].startswith(
        "okrs/support/help.md:2: OKR102 invalid YAML: could not determine a constructor for the tag"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HELP.replace("team: support", "team: sup\x07port"),
            "3: OKR102 invalid YAML: U+0007 (a control or special character) is not allowed in YAML: remove it",
        ),
        (
            HELP.replace("title: Help", "title: Help\x00"),
            "2: OKR102 invalid YAML: U+0000 (a control or special character) is not allowed in YAML: remove it",
        ),
        (
            HELP.replace("parent: grow\n", 'parent: grow\n"own\\ner": x\n'),
            "6: OKR203 unknown field 'own\\ner' in the objective: did you mean 'owner'?",
        ),
    ],
)
def test_every_problem_is_one_line(okr_folder, okrdocs, text, expected):
    okr_folder({"support/help.md": text})
    run = check(okrdocs)
    assert run.lines == [f"okrs/support/help.md:{expected}"]


def test_unicode_line_separators_do_not_shift_line_numbers(okr_folder, okrdocs):
    # YAML takes U+0085 and U+2028 for line breaks; editors and GitHub do not.
    text = HELP.replace("title: Help customers faster", "title: Help\u2028customers\x85faster")
    okr_folder({"support/help.md": text.replace("parent: grow", "parent: gorw")})
    run = check(okrdocs)
    assert run.lines == ["okrs/support/help.md:5: OKR402 parent 'gorw' names no objective; did you mean 'grow'?"]


def test_byte_order_mark_and_windows_line_endings(okr_folder):
    root = okr_folder({"support/help.md": b"\xef\xbb\xbf" + HELP.replace("\n", "\r\n").encode()})
    assert check_folder(root).problems == []


def test_a_folder_with_teams_and_vision_but_no_objective_yet(okr_folder, okrdocs, tmp_path):
    okr_folder()
    for path in (tmp_path / "okrs").rglob("*.md"):
        if path.name != "vision.md":
            path.unlink()
    run = check(okrdocs)
    assert (run.status, run.lines) == (0, [])


# -- the same answer on every machine --------------------------------------------------------


def test_set_values_come_out_the_same_whatever_the_hash_seed(okr_folder, tmp_path):
    """A `!!set` was a Python set, printed in an order that changed with PYTHONHASHSEED."""
    okr_folder(
        {
            "support/help.md": HELP.replace(
                "parent: grow\n",
                "parent: grow\ntags: !!set {gamma, alpha, epsilon, beta, delta}\nstatus: !!set {x, y, z}\n",
            )
        }
    )
    script = (
        "import sys; from pathlib import Path; from okrdocs.core.rules.check import check_folder; "
        "result = check_folder(Path('okrs')); "
        "print(result.cascade.objectives['help'].tags); print(*[p.as_text() for p in result.problems], sep='\\n')"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        run = subprocess.run(
            [sys.executable, "-c", script],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(run.stdout)
    assert outputs == {
        "('alpha', 'beta', 'delta', 'epsilon', 'gamma')\n"
        "support/help.md:7: OKR202 'status' is a list; write one of on-track, at-risk, off-track, done\n"
    }


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["crlf", "cr-only"])
def test_line_numbers_follow_every_kind_of_line_ending(okr_folder, okrdocs, ending):
    """Editors count a line at '\\r\\n', '\\n' and (old Mac files) '\\r' alike."""
    files = {
        "teams.yml": "teams:\n  - id: company\n    name: Acme\n  - id: sales\n    name: Sales\n    parent: company\n"
        "  - id: support\n    name: Support\n    parent: company\n    lead: [Pat, Lee]\n",
        "vision.md": "---\nvision: Everyone gets what they need.\nhorizon: [2030]\n---\nThe road.\n",
        "support/help.md": HELP.replace("team: support", "team: suport"),
    }
    okr_folder({name: text.replace("\n", ending).encode() for name, text in files.items()})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/help.md:3: OKR401 there is no team 'suport' in teams.yml: add the team there or fix 'team'; "
        "did you mean 'support'?",
        "okrs/teams.yml:10: OKR202 'lead' is a list; write a non-empty line of text",
        "okrs/vision.md:3: OKR202 'horizon' is a list; write a non-empty line of text",
    ]


def test_a_file_with_cr_only_line_endings_has_front_matter(okr_folder):
    root = okr_folder({"support/help.md": HELP.replace("\n", "\r").encode() + b"\r# Body\r"})
    result = check_folder(root)
    assert result.problems == []
    assert result.cascade.objectives["help"].body == "# Body"


def test_a_decoding_error_is_reported_at_its_line_whatever_the_line_endings(okr_folder, okrdocs):
    okr_folder({"support/help.md": b"---\rtitle: ok\r\nteam: caf\xe9\n---\n"})
    run = check(okrdocs)
    assert run.lines == [
        "okrs/support/help.md:3: OKR101 the file is not UTF-8 (byte 0xe9 at offset 24): save it with UTF-8 encoding"
    ]


# -- not an OKR folder ---------------------------------------------------------------------------


def test_a_folder_without_teams_yml_is_refused_before_its_files_are_read(okrdocs, tmp_path):
    """`okrs_dir: /` must not read every Markdown file of the machine before saying so."""
    folder = tmp_path / "okrs"
    for index in range(300):
        (folder / f"notes-{index % 30}").mkdir(parents=True, exist_ok=True)
        (folder / f"notes-{index % 30}" / f"page-{index}.md").write_text("# Not an objective\n\nno: [front matter\n")
    (folder / "notes-0" / "endless.md").symlink_to("/dev/zero")
    run = check(okrdocs)
    assert (run.status, run.lines) == (1, NO_TEAMS_NO_VISION)


def test_the_check_command_leaves_the_cycle_collector_as_it_found_it(okr_folder, okrdocs) -> None:
    """It pauses the collector while it builds the model; a caller that goes on after it
    (the tests, a script calling `okrdocs.cli.main`) gets it back."""
    import gc

    okr_folder()
    assert gc.isenabled()
    assert okrdocs("check", "--okrs", "okrs").status == 0
    assert okrdocs("check", "--okrs", "okrs").status == 0  # from the findings cache
    assert gc.isenabled()


@given(
    root=st.text(st.sampled_from("ab/\\.:é\n"), max_size=8),
    paths=st.lists(st.text(st.sampled_from("ab/.é\x1b"), min_size=1, max_size=6).filter(lambda p: p[0] != "/")),
)
def test_the_text_format_shows_each_path_joined_with_the_folder_as_given(root: str, paths: list[str]) -> None:
    """The text format joins the folder once for every file (`_shown_paths`): the same as
    `display_path` of each, escaped as one line."""
    problems = [Problem(path, 1, "OKR101", ("m",)) for path in paths]
    shown = format_ordered(problems, "text", root).split("\n") if problems else []
    assert shown == [Problem(path, 1, "OKR101", ("m",)).as_text(root) for path in paths]
    assert all(
        line.startswith(f"{printable(display_path(root, path))}:1: ") for line, path in zip(shown, paths, strict=True)
    )
