"""The coaching rules (OKR7xx): golden cases, their configuration, the command and the pages.

Each folder of tests/coaching_cases is one case: its files are written over the minimal
organisation (or, with a teams.yml of its own, are the whole organisation, as the two seed
cascades of ../shared/domain.md are), `okrdocs check` runs on it on 15 March 2026, and its
output must be `expected.txt`. `OKRDOCS_UPDATE_GOLDEN=1` rewrites the expected files.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from okrdocs.core.rules.coaching import RULES
from okrdocs.core.rules.coaching_check import RETROSPECT_FOLDED, has_retrospective_heading
from okrdocs.core.rules.title_words import WORD, words_of
from sitebuild import run_mkdocs, write_site

CASES = Path(__file__).parent / "coaching_cases"


def _case_files(case: Path) -> dict[str, str]:
    return {
        path.relative_to(case).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(case.rglob("*"))
        if path.is_file() and path.name != "expected.txt"
    }


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()))
def test_golden_case(case: str, okr_folder, okrdocs) -> None:
    files = _case_files(CASES / case)
    okr_folder(files, minimal="teams.yml" not in files)
    run = okrdocs("check", "--okrs", "okrs")
    shown = "".join(line + "\n" for line in run.lines)
    expected = CASES / case / "expected.txt"
    if os.environ.get("OKRDOCS_UPDATE_GOLDEN"):
        expected.write_text(shown, encoding="utf-8")
    assert shown == expected.read_text(encoding="utf-8")
    assert run.status == (1 if " OKR202 " in shown else 0)  # advice never fails the check


def test_every_rule_has_a_weak_and_a_strong_case() -> None:
    for rule in RULES:
        number = rule.code.code.lower()
        weak = (CASES / f"{number}-weak" / "expected.txt").read_text()
        strong = (CASES / f"{number}-strong" / "expected.txt").read_text()
        assert f" {rule.code.code} " in weak, rule.code.code
        assert f" {rule.code.code} " not in strong, rule.code.code


def test_the_readme_lists_what_the_rules_find_in_the_demo(okrdocs) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("the key results flagged are:") : readme.index("and two teams' confidence")]
    listed = sorted(re.findall(r"^\| ([a-z0-9-]+) \| (kr\d+) .* \| (OKR7\d\d)", table, re.MULTILINE))
    demo = Path(__file__).parents[1] / "okrs"
    run = okrdocs("check", "--okrs", str(demo), "--ignore", "OKR706")
    found = sorted(
        (Path(path).stem, kr, code)
        for path, code, kr in re.findall(r"^(\S+?):\d+: (OKR7\d\d) key result '(kr\d+)'", run.out, re.MULTILINE)
    )
    assert listed == found


# -- configuration ---------------------------------------------------------------------------

WEAK = _case_files(CASES / "okr703-weak")


def test_advice_does_not_fail_strict(okr_folder, okrdocs) -> None:
    okr_folder(WEAK)
    run = okrdocs("check", "--okrs", "okrs", "--strict")
    assert run.status == 0
    assert run.lines == [
        "okrs/support/learn.md:8: OKR703 key result 'kr1' counts activity ('hold') and names no outcome: "
        "measure the result the activity should bring, and keep the activity as a task"
    ]
    assert run.err.endswith(": 0 errors, 0 warnings, 1 advice\n")


def test_command_line_moves_codes(okr_folder, okrdocs) -> None:
    okr_folder(WEAK)
    assert okrdocs("check", "--okrs", "okrs", "--error", "OKR703").status == 1
    warned = okrdocs("check", "--okrs", "okrs", "--warn", "okr703")
    assert warned.status == 0 and warned.err.endswith(": 0 errors, 1 warning\n")
    assert okrdocs("check", "--okrs", "okrs", "--warn", "OKR703", "--strict").status == 1
    ignored = okrdocs("check", "--okrs", "okrs", "--ignore", "OKR703,OKR601")
    assert (ignored.status, ignored.lines) == (0, [])


def test_a_files_ignore_cannot_lift_what_the_configuration_makes_an_error(okr_folder, okrdocs) -> None:
    """The organisation's `error:` list is its gate: a file in a pull request silences
    advice and warnings for itself, not that (found by a hostile review)."""
    (learn,) = WEAK
    okr_folder({learn: WEAK[learn].replace("period:", "ignore: [OKR703]\nperiod:", 1)})
    assert okrdocs("check", "--okrs", "okrs", "--strict").lines == []
    assert okrdocs("check", "--okrs", "okrs", "--warn", "OKR703", "--strict").status == 0
    gate = okrdocs("check", "--okrs", "okrs", "--error", "OKR703")
    assert gate.status == 1
    assert [line.split(": ")[1][:6] for line in gate.lines] == ["OKR703"]


def test_a_bad_ignore_list_says_codes_and_a_huge_code_is_not_echoed(okr_folder, okrdocs) -> None:
    (learn,) = WEAK
    okr_folder({learn: WEAK[learn].replace("period:", "ignore: [~, 702]\nperiod:", 1)})
    assert okrdocs("check", "--okrs", "okrs").lines[0] == (
        "okrs/support/learn.md:4: OKR202 'ignore' is a list; write a list of codes, like [OKR702, OKR704]"
    )
    huge = "OKR" + "7" * 100_000
    okr_folder({learn: WEAK[learn].replace("period:", f"ignore: [{huge}]\nperiod:", 1)})
    (line,) = [line for line in okrdocs("check", "--okrs", "okrs").lines if "OKR202" in line]
    assert (
        line
        == f"okrs/support/learn.md:4: OKR202 ignore: there is no code '{huge[:38]}…; run okrdocs rules for the list"
    )
    usage = okrdocs("check", "--okrs", "okrs", "--ignore", huge)
    assert usage.status == 2 and len(usage.err) < 200


def test_advice_is_printed_after_errors_and_warnings(okr_folder, okrdocs) -> None:
    okr_folder({**WEAK, "support/help.md": "---\ntitle: Help\nteam: support\n---\n"})
    run = okrdocs("check", "--okrs", "okrs")
    codes = [line.split(": ")[1][:6] for line in run.lines]
    assert codes == ["OKR201", "OKR201", "OKR201", "OKR601", "OKR703"]  # learn.md sorts before help.md


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--error", "OKR7O3"], "okrdocs: error: --error: there is no code 'OKR7O3'; did you mean 'OKR703'?"),
        (
            ["--ignore", "OKR404"],
            "okrdocs: error: --ignore: OKR404 is an error of the gate and cannot be configured; "
            "only coaching rules (OKR7xx) and warnings can",
        ),
    ],
)
def test_unknown_or_gate_codes_are_usage_errors(okr_folder, okrdocs, arguments, message) -> None:
    okr_folder(WEAK)
    run = okrdocs("check", "--okrs", "okrs", *arguments)
    assert (run.status, run.err.strip()) == (2, message)


def test_plugin_option_rules(tmp_path, okr_folder, okrdocs) -> None:
    okr_folder(WEAK)
    config = "site_name: t\nplugins:\n  - okrdocs:\n      rules:\n        error: [OKR703]\n"
    (tmp_path / "mkdocs.yml").write_text(config)
    assert okrdocs("check").status == 1
    (tmp_path / "mkdocs.yml").write_text(config.replace("error: [OKR703]", "warn: [OKR730]"))
    run = okrdocs("check")
    assert run.status == 2
    assert "rules: warn: there is no code 'OKR730'; did you mean 'OKR703'?" in run.err
    # the word lists are the organisation's: without 'hold', nothing is activity here
    (tmp_path / "mkdocs.yml").write_text(config.replace("error: [OKR703]", "activity_words: [meetings]"))
    assert okrdocs("check").lines == []


def test_okrdocs_rules_lists_and_explains(okrdocs) -> None:
    listed = okrdocs("rules")
    assert listed.status == 0
    assert [line.split()[0] for line in listed.lines] == [rule.code.code for rule in RULES]
    one = okrdocs("rules", "okr703")
    assert one.status == 0
    assert one.out.splitlines()[0] == "OKR703 activity-key-result: a key result that measures activity, not an outcome"
    assert "Weak:   Hold 12 customer interviews" in one.out
    assert okrdocs("rules", "OKR404").status == 2
    missing = okrdocs("rules", "OKR730")
    assert (missing.status, missing.err.strip()) == (
        2,
        "okrdocs: error: there is no rule 'OKR730'; did you mean 'OKR703'?",
    )


# -- the site ------------------------------------------------------------------------------

EVERY_RULE = {
    **_case_files(CASES / "okr701-weak"),
    **_case_files(CASES / "okr702-weak"),
    **WEAK,
    **_case_files(CASES / "okr704-weak"),
    **_case_files(CASES / "okr705-weak"),
    **_case_files(CASES / "okr706-weak"),
    **_case_files(CASES / "okr707-weak"),
}


@pytest.mark.slow
def test_a_site_with_every_rule_firing_builds_strict_and_fails_when_configured(tmp_path, okr_folder) -> None:
    okr_folder(EVERY_RULE)
    when = {"SOURCE_DATE_EPOCH": os.environ["SOURCE_DATE_EPOCH"]}
    config = write_site(tmp_path, okrs=None, plugin={"diagrams": False})
    result = run_mkdocs(config, "--strict", env=when)
    assert result.returncode == 0, result.stderr
    for rule in RULES:
        assert f" {rule.code.code} " in result.stderr, rule.code.code
    page = (tmp_path / "site" / "okrs" / "learn" / "index.html").read_text()
    assert '<h2 id="okr-coaching">Coaching notes</h2>' in page
    assert "OKR703</span> key result &#39;kr1&#39; counts activity (&#39;hold&#39;)" in page
    data = json.loads((tmp_path / "site" / "okrs.json").read_text())
    learn = next(o for o in data["objectives"] if o["id"] == "learn")
    assert learn["advice"] == [
        {
            "code": "OKR703",
            "line": 8,
            "severity": "advice",
            "message": "key result 'kr1' counts activity ('hold') and names no outcome: "
            "measure the result the activity should bring, and keep the activity as a task",
        }
    ]
    # What the rules say about a team (teams.yml) is on the team's page and in its entry.
    team_page = (tmp_path / "site" / "teams" / "support" / "index.html").read_text()
    assert '<h2 id="okr-coaching">Coaching notes</h2>' in team_page
    assert "OKR706</span> team &#39;support&#39; has an average confidence of" in team_page
    assert "OKR706" not in (tmp_path / "site" / "teams" / "sales" / "index.html").read_text()
    support = next(t for t in data["teams"] if t["id"] == "support")
    assert {note["code"] for note in support["advice"]} >= {"OKR706"}
    assert all(note["line"] == 7 for note in support["advice"])
    config.write_text(
        config.read_text().replace("diagrams: false", "diagrams: false\n    rules:\n      error: [OKR703]")
    )
    failed = run_mkdocs(config, "--strict", env=when)
    assert failed.returncode == 1
    assert "okrs/support/learn.md:8: OKR703 key result 'kr1' counts activity" in failed.stderr


# -- shortcuts that must not change what is found ------------------------------------------


def test_the_patterns_word_characters_are_what_isalnum_calls_alnum() -> None:
    """What `words_of`'s shortcut rests on, for every character: a token that is all
    letters and digits (`str.isalnum`) is one word of the pattern, whole."""
    letter_or_digit = re.compile(r"[^\W_]")
    assert [hex(c) for c in range(0x110000) if bool(letter_or_digit.match(chr(c))) != chr(c).isalnum()] == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ9é_-% \t\n.,;:'\"()*/²½\u00a0\u2028ß")) | st.characters(), max_size=40))
def test_a_titles_words_are_the_patterns_matches(title: str) -> None:
    """`words_of` splits on white space first: the same words as the pattern over the title."""
    assert words_of(title) == WORD.findall(title.lower())


def test_each_letter_the_retrospective_pattern_matches_folds_to_itself() -> None:
    """What `has_retrospective_heading`'s shortcut rests on, for every character: each one
    the pattern (case-insensitive) matches as a letter of RETROSPECT_FOLDED folds to it."""
    letters = {letter: re.compile(letter, re.IGNORECASE) for letter in set(RETROSPECT_FOLDED)}
    assert [
        (letter, hex(c))
        for c in range(0x110000)
        for letter, pattern in letters.items()
        if pattern.fullmatch(chr(c)) and chr(c).casefold() != letter
    ] == []


def _atx_heading_says_retrospective(body: str) -> bool:
    """The rule as markdown-it (CommonMark) reads the body: an ATX heading whose text
    starts with the word `retrospective`, in any case."""
    tokens = MarkdownIt("commonmark").parse(body)
    return any(
        opening.type == "heading_open" and opening.markup.startswith("#") and re.match(r"retrospective\b", inline.content, re.I)
        for opening, inline in zip(tokens, tokens[1:], strict=False)
    )  # fmt: skip


_BODY_LINES = [
    "# Retrospective", "## retrospective: what we learned", "   ### RETROSPECTİVE", "#\tretroſpective #",
    "    # Retrospective", "\t# Retrospective", "#Retrospective", "# Retrospectives", "Retrospective", "# Why",
    "```", "````", "~~~", "~~~~", "``` python", "~~~ `x`", "``` a`b", "   ```", "    ```", "``` ", "text", "",
]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_BODY_LINES), max_size=10), st.sampled_from(["\n", "\r\n", "\r"]))
def test_a_retrospective_heading_is_what_commonmark_reads(lines: list[str], newline: str) -> None:
    """Headings in fenced code blocks are code (found by a hostile review: one silenced OKR707)."""
    body = newline.join(lines)
    assert has_retrospective_heading(body) == _atx_heading_says_retrospective(body)


def test_a_retrospective_heading_in_a_code_example_is_none() -> None:
    assert not has_retrospective_heading("How we write it:\n\n```markdown\n# Retrospective\n```\n")
    assert has_retrospective_heading("```markdown\n# Example\n```\n\n## Retrospective\n\nWhat we learned.\n")
