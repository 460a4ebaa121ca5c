"""The README documents what the code does: problem codes, plugin options, commands."""

from __future__ import annotations

import re
from pathlib import Path

from okrdocs.core.domain.problems import CATALOGUE
from okrdocs.core.rules.coaching import RULES
from okrdocs.mkdocs_plugin.config import OkrdocsConfig

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_problem_code_table_matches_the_catalogue() -> None:
    table = README[README.index("<!-- problem-codes") : README.index("<!-- /problem-codes -->")]
    rows = re.findall(r"^\| (OKR\d+) \| (\w+) \| (.+) \|$", table, re.MULTILINE)
    codes = [*CATALOGUE, *(rule.code for rule in RULES)]
    assert rows == [(code.code, code.severity.value, code.summary) for code in codes]


def test_coaching_rules_table_matches_the_catalogue() -> None:
    table = README[README.index("<!-- coaching-rules") : README.index("<!-- /coaching-rules -->")]
    rows = re.findall(r"^\| (OKR7\d\d) \| `([\w-]+)` \| (.+) \| (.+) \| (.+) \|$", table, re.MULTILINE)
    assert rows == [(r.code.code, r.name, r.weak, r.strong, r.fix) for r in RULES]


def test_every_plugin_option_is_documented() -> None:
    section = README[README.index("## The plugin") :]
    for name, _ in OkrdocsConfig._schema:
        assert re.search(rf"^\s+{name}:", section, re.MULTILINE), name


def test_readme_gives_the_two_commands_ci_runs() -> None:
    assert "scripts/dev site" in README and "scripts/dev test" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "scripts/dev test" in ci
