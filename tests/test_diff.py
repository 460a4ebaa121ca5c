"""`okrdocs diff`: the review summary of real commits in a temporary git repository."""

from __future__ import annotations

import json
import subprocess
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import MINIMAL_ORGANISATION
from gitrepo import Repo, new_repo

Run = Callable[..., Any]


@pytest.fixture
def repo(tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Repo:
    """A repository whose first commit holds the minimal organisation."""
    repository = new_repo(tmp_path, okr_folder, monkeypatch)
    okr_folder()
    repository.commit("The minimal organisation")
    return repository


def _file(relative: str) -> str:
    """A file of the minimal organisation as written (dedented), ready for str.replace."""
    return textwrap.dedent(MINIMAL_ORGANISATION[relative]).lstrip("\n")


SELL_MORE = _file("sales/sell-more.md")
GROW = _file("company/grow.md")
HELP = _file("support/help.md")


def test_no_change(repo: Repo, okrdocs: Run) -> None:
    run = okrdocs("diff", "--okrs", "okrs", "HEAD")
    assert run.status == 0
    assert run.out == (
        f"### OKR changes: `HEAD` ({repo.short()}) → working tree\n"
        "\n"
        "No changes to objectives, delegations, scores or problems.\n"
        "\n"
        "After the change: 3 objectives, 0 errors, 0 warnings.\n"
    )


def test_objectives_added_removed_retitled_and_moved(repo: Repo, okrdocs: Run) -> None:
    faq = """
        ---
        title: Publish answers to the ten most asked questions
        team: support
        period: 2026-H1
        parent: grow
        key_results:
          - id: kr1
            title: Ten answers online
            progress: 0.3
        ---
        """
    repo.commit("Add the FAQ", {"support/faq.md": faq})
    base = repo.short()
    repo.commit(
        "Rework",
        {
            "company/grow.md": GROW.replace("Grow the business", "Grow the whole business"),
            "support/help.md": None,
            "support/faq.md": faq.replace("team: support", "team: sales")
            .replace("2026-H1", "2026-Q1")
            .replace("parent: grow", "parent: sell-more"),
            "company/hire.md": """
                ---
                title: Hire the people we need
                team: company
                period: 2026
                parent: vision
                key_results:
                  - id: kr1
                    title: Five engineers
                    progress: 0.2
                ---
                """,
        },
    )
    run = okrdocs("diff", "--okrs", "okrs", "HEAD~1", "HEAD")
    assert run.status == 0
    assert run.out == (
        f"### OKR changes: `HEAD~1` ({base}) → `HEAD` ({repo.short()})\n"
        "\n"
        "**objectives: 1 added, 1 removed, 1 retitled, 1 moved**\n"
        "\n"
        "After the change: 4 objectives, 0 errors, 0 warnings.\n"
        "\n"
        "#### Objectives added (1)\n"
        "\n"
        "- `hire` **Hire the people we need**: team `company`, 2026, parent `vision` (`okrs/company/hire.md`)\n"
        "\n"
        "#### Objectives removed (1)\n"
        "\n"
        "- `help` **Help customers faster**: team `support`, 2026-H1, parent `grow` (`okrs/support/help.md`)\n"
        "\n"
        "#### Objectives retitled (1)\n"
        "\n"
        "- `grow`: “Grow the business” → **Grow the whole business**\n"
        "\n"
        "#### Objectives moved (1)\n"
        "\n"
        "- `faq` **Publish answers to the ten most asked questions**: parent `grow` → `sell-more`; "
        "team `support` → `sales`; period `2026-H1` → `2026-Q1`\n"
    )


def test_delegations_added_broken_and_picked_up(repo: Repo, okrdocs: Run) -> None:
    repo.write(
        {
            # kr2 is now delegated to support, and no support objective picks it up.
            "company/grow.md": GROW.replace(
                "title: Open a second office\n", "title: Open a second office\n    delegated_to: support\n"
            ),
            "company/hire.md": """
                ---
                title: Hire the people we need
                team: company
                period: 2026
                parent: vision
                key_results:
                  - id: kr1
                    title: Five engineers
                    delegated_to: [sales, support]
                ---
                """,
            "sales/recruit.md": """
                ---
                title: Five engineers
                team: sales
                period: 2026-Q2
                parent: hire#kr1
                key_results:
                  - id: kr1
                    title: Interview twenty people
                    progress: 0.5
                ---
                """,
        }
    )
    run = okrdocs("diff", "--okrs", "okrs", "HEAD")
    assert run.lines[2:5] == [
        "**objectives: 2 added · delegations: 3 added · problems: 2 introduced**",
        "",
        "After the change: 5 objectives, 2 errors, 0 warnings.",
    ]
    section = run.out.split("#### Delegations added (3)\n\n")[1].split("\n\n")[0]
    assert section.splitlines() == [
        "- `grow#kr2` Open a second office → team `support`: **broken**, no objective of `support` picks it up",
        "- `hire#kr1` Five engineers → team `sales`: picked up by `recruit`",
        "- `hire#kr1` Five engineers → team `support`: **broken**, no objective of `support` picks it up",
    ]
    assert "#### Problems introduced (2)\n\n- `okrs/company/grow.md:12` OKR404 key result 'grow#kr2'" in run.out


def test_delegations_withdrawn_and_now_broken(repo: Repo, okrdocs: Run) -> None:
    repo.commit(
        "Support picks up the office",
        {
            "company/grow.md": GROW.replace(
                "title: Open a second office\n", "title: Open a second office\n    delegated_to: support\n"
            ),
            "support/help.md": HELP.replace("parent: grow\n", "parent: grow#kr2\n"),
        },
    )
    repo.write(
        {
            "company/grow.md": GROW,  # kr2 is no longer delegated to support
            "sales/sell-more.md": SELL_MORE.replace("parent: grow#kr1", "parent: grow"),
        }
    )
    run = okrdocs("diff", "--okrs", "okrs", "HEAD")
    out = run.out
    assert (
        "**objectives: 1 moved · delegations: 1 withdrawn, 1 now broken · 1 score changed · problems: 2 introduced**"
        in out
    )
    assert (
        "#### Delegations withdrawn (1)\n\n"
        "- `grow#kr2` Open a second office from team `support` (was picked up by `help`)\n"
    ) in out
    assert (
        "#### Delegations now broken (1)\n\n"
        "- `grow#kr1` Double revenue → team `sales`: no objective of `sales` picks it up any more\n"
    ) in out
    assert "- `okrs/company/grow.md:9` OKR404 key result 'grow#kr1' is delegated to team 'sales'" in out
    assert "- `okrs/support/help.md:5` OKR403 picks up key result 'grow#kr2' (okrs/company/grow.md:10)" in out
    # A delegated KR without its own measure is scored by its pickups: now there are none.
    assert out.endswith("#### Key result scores changed (1)\n\n- `grow#kr1` Double revenue: 40% → no score\n")


def test_changed_scores(repo: Repo, okrdocs: Run) -> None:
    repo.write(
        {
            "sales/sell-more.md": SELL_MORE.replace("current: 4", "current: 6"),
            "company/grow.md": GROW.replace("progress: 0.5", "progress: 0.75"),
            "support/help.md": HELP.replace("    progress: 0.25\n", ""),
        }
    )
    run = okrdocs("diff", "--okrs", "okrs", "HEAD")
    assert run.out.split("#### Key result scores changed (4)\n\n")[1].splitlines() == [
        "- `grow#kr1` Double revenue: 40% → 60% (from the objectives that pick it up)",
        "- `grow#kr2` Open a second office: 50% → 75%",
        "- `help#kr1` Answer every ticket within a day: 25% → no score",
        "- `sell-more#kr1` Sign ten new customers: 40% → 60%",
    ]


def test_problems_introduced_then_fixed(repo: Repo, okrdocs: Run) -> None:
    repo.commit("A typo", {"support/help.md": HELP.replace("parent: grow", "parent: grw")})
    run = okrdocs("diff", "--okrs", "okrs", "HEAD~1", "HEAD")
    assert "**objectives: 1 moved · problems: 1 introduced**" in run.out
    assert run.out.endswith("#### Objectives moved (1)\n\n- `help` **Help customers faster**: parent `grow` → `grw`\n")
    assert (
        "#### Problems introduced (1)\n\n"
        "- `okrs/support/help.md:5` OKR402 parent 'grw' names no objective; did you mean 'grow'?\n"
    ) in run.out
    repo.commit("Fix the typo", {"support/help.md": HELP})
    run = okrdocs("diff", "--okrs", "okrs", "HEAD~1", "HEAD")
    assert run.out.endswith(
        "#### Problems fixed (1)\n\n"
        "- `okrs/support/help.md:5` OKR402 parent 'grw' names no objective; did you mean 'grow'?\n"
    )
    assert "Problems introduced" not in run.out


def test_problems_that_only_move_lines_are_not_news(repo: Repo, okrdocs: Run) -> None:
    # A pickup of a KR not delegated to support: OKR403, whose message names the KR's line.
    repo.commit("Wrong pickup", {"support/help.md": HELP.replace("parent: grow\n", "parent: grow#kr2\n")})
    repo.write(
        {
            "company/grow.md": GROW.replace("team: company\n", "team: company\nowner: Pat Lee\n"),
            "support/help.md": HELP.replace("parent: grow\n", "owner: Sam\nparent: grow#kr2\n"),
        }
    )
    run = okrdocs("diff", "--okrs", "okrs", "HEAD")
    assert "Problems" not in run.out
    assert "After the change: 3 objectives, 1 error, 0 warnings." in run.out


def test_head_defaults_to_the_working_tree_with_untracked_files(repo: Repo, okrdocs: Run) -> None:
    repo.write({"support/new.md": HELP.replace("Help customers faster", "Answer in every language")})
    run = okrdocs("diff", "--okrs", "okrs", "main")
    assert run.lines[0] == f"### OKR changes: `main` ({repo.short()}) → working tree"
    assert (
        "- `new` **Answer in every language**: team `support`, 2026-H1, parent `grow` (`okrs/support/new.md`)"
        in run.lines
    )


def test_json(repo: Repo, okrdocs: Run) -> None:
    repo.write(
        {
            "company/grow.md": GROW.replace("progress: 0.5", "progress: 0.6"),
            "support/help.md": HELP.replace("Help customers faster", "Help customers sooner"),
        }
    )
    run = okrdocs("diff", "--okrs", "okrs", "--format", "json", "HEAD")
    assert run.status == 0
    document = json.loads(run.out)
    assert document["base"] == {"label": "HEAD", "commit": repo.git("rev-parse", "HEAD")}
    assert document["head"] == {"label": "working tree", "commit": None}
    assert document["objectives"]["retitled"] == [
        {
            "id": "help",
            "title": "Help customers sooner",
            "team": "support",
            "period": "2026-H1",
            "parent": "grow",
            "path": "okrs/support/help.md",
            "line": 1,
            "old_title": "Help customers faster",
        }
    ]
    assert document["scores"] == [
        {
            "objective": "grow",
            "key_result": "kr2",
            "title": "Open a second office",
            "old": 0.5,
            "new": 0.6,
            "derived": False,
            "path": "okrs/company/grow.md",
            "line": 10,
        }
    ]
    assert document["objectives"]["added"] == document["objectives"]["removed"] == []
    assert document["delegations"] == {"added": [], "withdrawn": [], "broken": []}
    assert document["problems"] == {"introduced": [], "fixed": []}
    assert document["head_state"] == {"objectives": 3, "errors": 0, "warnings": 0}


def test_an_okr_folder_new_since_base(repo: Repo, okrdocs: Run, tmp_path: Path) -> None:
    repo.git("rm", "-q", "-r", "--cached", "okrs")
    repo.git("commit", "-q", "-m", "Before okrdocs")  # okrs/ stays in the working tree, untracked
    run = okrdocs("diff", "--okrs", "okrs", "HEAD")
    assert "**objectives: 3 added · delegations: 1 added**" in run.out
    assert "- `grow#kr1` Double revenue → team `sales`: picked up by `sell-more`" in run.lines
    assert "Problems" not in run.out


def test_the_okr_folder_comes_from_mkdocs_yml(repo: Repo, okrdocs: Run, tmp_path: Path) -> None:
    (tmp_path / "okrs").rename(tmp_path / "goals")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - okrdocs:\n      okrs_dir: goals\n", encoding="utf-8"
    )
    repo.commit("Move the OKRs to goals/")
    repo.write({"support/help.md": None})  # okr_folder writes into okrs/, so this is no change to goals/
    (tmp_path / "goals/support/help.md").unlink()
    run = okrdocs("diff", "HEAD")
    assert (
        "- `help` **Help customers faster**: team `support`, 2026-H1, parent `grow` (`goals/support/help.md`)"
        in run.lines
    )
    sub = tmp_path / "docs"
    sub.mkdir()
    run = okrdocs("diff", "-f", "mkdocs.yml", "HEAD~1", "HEAD")
    assert "**objectives: 3 added · delegations: 1 added**" in run.out  # okrs/ was not goals/ before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("no-such-branch",), "unknown revision 'no-such-branch': give a branch, tag or commit"),
        (("HEAD", "main", "extra"), "unrecognized arguments: extra"),
        ((), "the following arguments are required: BASE"),
    ],
)
def test_usage_errors(args: tuple[str, ...], message: str, repo: Repo, okrdocs: Run) -> None:
    run = okrdocs("diff", *(args if "--okrs" in args else ("--okrs", "okrs", *args)))
    assert run.status == 2
    assert message in run.err


def test_outside_a_git_repository(
    okr_folder: Callable[..., Path], okrdocs: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    okr_folder()
    run = okrdocs("diff", "--okrs", "okrs", "HEAD")
    assert (run.status, run.err) == (
        2,
        "okrdocs: error: okrs is not inside a git repository: okrdocs diff compares git revisions\n",
    )


# -- untrusted revisions -----------------------------------------------------------------


def _tree(repo: Repo, entries: list[tuple[str, str, str, str]]) -> str:
    """A git tree made by hand, as an attacker would: `git mktree` takes names a checkout refuses."""
    lines = "".join(f"{mode} {kind} {oid}\t{name}\n" for mode, kind, oid, name in entries)
    return subprocess.run(
        ["git", "mktree"], cwd=repo.root, input=lines, capture_output=True, text=True, check=True
    ).stdout.strip()


def _blob(repo: Repo, text: str) -> str:
    return subprocess.run(
        ["git", "hash-object", "-w", "--stdin"], cwd=repo.root, input=text, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_a_crafted_commit_writes_nothing_outside_the_temporary_folder(
    repo: Repo, okrdocs: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """okrs/../../x/pwned.md, a file and a folder both called `sales`, a backslash: each
    entry is refused and reported; the rest of the revision is compared as usual."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    payload = _blob(repo, "#!/bin/sh\necho pwned\n")
    inner = _tree(repo, [("100644", "blob", payload, "pwned.md")])
    up_one = _tree(repo, [("040000", "tree", _tree(repo, [("040000", "tree", inner, "x")]), "..")])
    okrs_entries = []
    for line in repo.git("ls-tree", "HEAD:okrs").splitlines():
        meta, name = line.split("\t")
        mode, kind, oid = meta.split()
        okrs_entries.append((mode, kind, oid, name))
    okrs_entries += [
        ("040000", "tree", up_one, ".."),
        ("100644", "blob", payload, "sales"),
        ("100644", "blob", payload, "back\\slash.md"),
    ]
    okrs_tree = _tree(repo, okrs_entries)
    crafted = repo.git(
        "commit-tree", _tree(repo, [("040000", "tree", okrs_tree, "okrs")]), "-p", "HEAD", "-m", "crafted"
    )
    run = okrdocs("diff", "--okrs", "okrs", "HEAD", crafted)
    assert run.status == 0
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("pwned*")] == []
    assert list(scratch.iterdir()) == []
    why = "okrdocs diff did not write this entry of the revision; a checkout refuses such names, so the commit was most likely made by hand"
    assert run.out.split("#### Problems introduced (4)\n\n")[1].split("\n\n")[0].splitlines() == [
        f"- `okrs/../../x/pwned.md:1` OKR101 the name '..' is not a file name in the git tree: {why}",
        f"- `okrs/back\\slash.md:1` OKR101 a name with a backslash in the git tree: {why}",
        "- `okrs/company/grow.md:9` OKR404 key result 'grow#kr1' is delegated to team 'sales', but no objective of "
        "that team picks it up: add one with 'team: sales' and 'parent: grow#kr1', or withdraw the delegation",
        f"- `okrs/sales/sell-more.md:1` OKR101 a file inside 'sales', which the git tree also has as a file: {why}",
    ]


def test_the_review_summary_shows_titles_and_messages_as_text(repo: Repo, okrdocs: Run) -> None:
    """A title cannot add lines, headings, images, links, table cells or HTML to the
    summary a reviewer reads, nor break out of a code span with backticks."""
    title = "Evil\\n\\n## Injected <img src=x onerror=alert(1)> | `x` [l](https://e.example) www.e.example *b*"
    repo.write(
        {
            "support/help.md": HELP.replace("title: Help customers faster", f'title: "{title}"').replace(
                "  - id: kr1", "  - id: kr1\n    <b>bold</b>: 1"
            ),
        }
    )
    run = okrdocs("diff", "--okrs", "okrs", "HEAD")
    retitled = run.out.split("#### Objectives retitled (1)\n\n")[1].split("\n")[0]
    assert retitled == (
        "- `help`: “Help customers faster” → **Evil ## Injected \\<img src=x onerror=alert(1)\\> \\| \\`x\\` "
        "\\[l\\](https\\://e.example) www\\.e.example \\*b\\***"
    )
    problem = run.out.split("#### Problems introduced (1)\n\n")[1].split("\n")[0]
    assert problem == (
        "- `okrs/support/help.md:8` OKR203 unknown field '\\<b\\>bold\\</b\\>' in a key result: "
        "the known fields are id, title, delegated\\_to, start, target, current, unit, progress, weight, depends\\_on, kind, done, min, max"
    )


def test_a_page_collision_is_a_problem_introduced_as_in_the_check(repo: Repo, okrdocs: Run) -> None:
    """OKR304, the build's rule for two pages written to one file, counts in the diff too."""
    teams = _file("teams.yml") + "  - id: index\n    name: Index\n"
    repo.commit("A team called index", {"teams.yml": teams})
    run = okrdocs("diff", "--okrs", "okrs", "HEAD~1", "HEAD")
    collision = [line for line in okrdocs("check", "--okrs", "okrs").lines if " OKR304 " in line]
    assert len(collision) == 1
    path_line, message = collision[0].split(" ", 1)
    escaped = message.replace("_", "\\_")  # Markdown
    assert f"- `{path_line.rstrip(':')}` {escaped}" in run.lines
    assert "problems: 1 introduced" in run.out
