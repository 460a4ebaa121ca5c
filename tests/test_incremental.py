"""A live preview's rebuild makes again only the page keys and okrs.json entries an edit
touches (`site.incremental`), and they are exactly what a first build makes.

The truth is a build from nothing (new caches) of the same folder after each edit; the
edits are test_page_inputs' (each page's key against its HTML) and structural ones.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_page_inputs import EDITS, LEAF

from gitrepo import history_site
from okrdocs.site.build import BuildCaches, SiteBuild
from okrdocs.site.settings import folder_settings
from sitebuild import write_site

pytestmark = pytest.mark.slow  # checks the demo folder twice per edit

MORE_EDITS: dict[str, tuple[str, str, str]] = {
    "parent": (LEAF, "parent: win-regional-ev-share", "parent: diversify-markets"),
    "pickup dropped": (
        "okrs/recruiting/hire-sales-associates.md",
        "parent: win-regional-ev-share#kr1",
        "parent: win-regional-ev-share",
    ),
    "contribution moved": (
        "okrs/growth-marketing/grow-organic-traffic.md",
        "contributes_to: [win-regional-ev-share#kr4]",
        "contributes_to: [win-regional-ev-share#kr3]",
    ),
    "dependency dropped": ("okrs/sales/win-regional-ev-share.md", "depends_on: [growth-marketing]", "depends_on: []"),
    # A coaching finding (an output verb, a number) found by the rebuild's check.
    "coached title": (LEAF, "title: Answer every inbound lead", "title: Launch 2 inbound lead"),
    "new file": ("okrs/inbound/new.md", "", ""),
    "file removed": (LEAF, "", ""),
}


def _make(build: SiteBuild) -> tuple[dict, str | None, int, list[str]]:
    """This build's page keys and okrs.json, as the plugin makes them; how many keys it
    made; and its check's problems."""
    result = build.check()
    cascade = result.cascade
    time = build.timeline(cascade)
    urls = {page: "/" + build.layout.src_uri(page) for page in build.layout.pages(cascade)}
    build.begin(cascade, urls, time, "shared")
    keys = build.page_keys(cascade, urls, time, "shared")
    problems = [problem.as_text("okrs") for problem in result.problems]
    return keys, build.okrs_json(cascade, urls, time), build.caches.memory.keys_made, problems


def _edit(root: Path, edit: tuple[str, str, str]) -> None:
    path, old, new = root / edit[0], edit[1], edit[2]
    if not path.exists():
        path.write_text((root / LEAF).read_text().replace("respond-to-every", "new"), encoding="utf-8")
    elif not old:
        path.unlink()
    else:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _rebuilds_match_first_builds(root: Path, edits: dict[str, tuple[str, str, str]]) -> dict[str, tuple[int, int]]:
    """After each edit in turn: (keys the rebuild made, keys of the site)."""
    settings = folder_settings(str(root / "okrs"))
    kept = BuildCaches()
    _make(SiteBuild(settings, kept, preview=True))
    made = {}
    for name, edit in edits.items():
        _edit(root, edit)
        keys, data, count, problems = _make(SiteBuild(settings, kept, preview=True))
        fresh_keys, fresh_data, everything, fresh_problems = _make(SiteBuild(settings, BuildCaches(), preview=True))
        assert keys == fresh_keys, name
        assert data == fresh_data, name
        assert problems == fresh_problems, name  # coaching findings and page collisions carried over
        assert everything == len(fresh_keys)
        made[name] = (count, everything)
    return made


def test_a_rebuild_makes_the_keys_and_okrs_json_of_a_first_build(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1773532800")  # 2026-03-15
    write_site(tmp_path, plugin={"json_file": "okrs.json"})
    made = _rebuilds_match_first_builds(tmp_path, {**EDITS, **MORE_EDITS})
    # An edit of one objective's own facts makes a handful of keys; one that changes what
    # shows what (a parent, a team, a period, the files) makes them all.
    for name in ("title", "body", "owner", "status", "confidence", "tags"):
        assert 0 < made[name][0] < 10, (name, made[name])
    for name in ("period", "team name", "vision", "parent", "pickup dropped", "new file", "file removed"):
        assert made[name][0] == made[name][1], name


def test_a_rebuild_coaches_the_edited_objective_only(tmp_path: Path) -> None:
    write_site(tmp_path)
    settings = folder_settings(str(tmp_path / "okrs"))
    kept = BuildCaches()
    _make(SiteBuild(settings, kept, preview=True))
    assert kept.coaching.coached > 20
    _edit(tmp_path, ("okrs/inbound/respond-to-every-lead-fast.md", "title: Respond to every", "title: Launch every"))
    _, _, _, problems = _make(SiteBuild(settings, kept, preview=True))
    assert kept.coaching.coached == 1
    leaf = "okrs/inbound/respond-to-every-lead-fast.md"
    assert any(p.startswith(leaf) and "OKR7" in p and "'launch'" in p for p in problems)


def test_a_rebuild_reads_again_a_file_whose_status_changed(tmp_path: Path, monkeypatch) -> None:
    """A preview reads again only the files whose status (size, times) changed since it
    read them: an edit of the same size, its modification time set back, still shows."""
    from okrdocs.core.caches import parse_cache

    monkeypatch.setattr(parse_cache, "RACY_NS", 0)  # the files count as settled at once
    write_site(tmp_path, plugin={"json_file": "okrs.json"})
    settings = folder_settings(str(tmp_path / "okrs"))
    kept = BuildCaches()
    _make(SiteBuild(settings, kept, preview=True))
    leaf = tmp_path / LEAF
    before = leaf.stat()
    leaf.write_text(
        leaf.read_text(encoding="utf-8").replace("title: Respond to every", "title: Answers to every"), encoding="utf-8"
    )
    os.utime(leaf, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert leaf.stat().st_size == before.st_size and leaf.stat().st_mtime_ns == before.st_mtime_ns
    keys, data, _, problems = _make(SiteBuild(settings, kept, preview=True))
    assert data is not None and "Answers to every inbound lead" in data and "Respond to every inbound lead" not in data
    fresh_keys, fresh_data, _, fresh_problems = _make(SiteBuild(settings, BuildCaches(), preview=True))
    assert (keys, data, problems) == (fresh_keys, fresh_data, fresh_problems)


def test_a_rebuild_reports_a_page_collision_where_the_file_now_has_it(tmp_path: Path) -> None:
    """The pages that collide are kept while the set of pages holds: the problem's line
    follows an edit of the file all the same."""
    write_site(tmp_path)
    teams = tmp_path / "okrs" / "teams.yml"
    teams.write_text(teams.read_text(encoding="utf-8") + "  - id: index\n    name: Index\n    parent: company\n")
    settings = folder_settings(str(tmp_path / "okrs"))
    kept = BuildCaches()
    _, _, _, before = _make(SiteBuild(settings, kept, preview=True))
    _rebuilds_match_first_builds(tmp_path, {"a line above": ("okrs/teams.yml", "teams:", "# the teams\nteams:")})
    _, _, _, after = _make(SiteBuild(settings, kept, preview=True))
    collisions = [[p for p in problems if " OKR304 " in p] for problems in (before, after)]
    assert len(collisions[0]) == len(collisions[1]) == 1
    line = int(collisions[0][0].split(":")[1])
    assert collisions[1][0].startswith(f"okrs/teams.yml:{line + 1}: OKR304 the page of team id 'index'")


def test_a_rebuild_with_history_makes_the_keys_of_a_first_build(tmp_path: Path, okr_folder, monkeypatch) -> None:
    repo = history_site(tmp_path, okr_folder, monkeypatch)
    leaf = repo.root / "okrs" / "sales" / "sell-more.md"
    current = next(line for line in leaf.read_text(encoding="utf-8").splitlines() if "current:" in line)
    # A check-in not committed yet: the preview adds a point dated now (its scores and the parent's).
    edits = {"check-in": (str(leaf.relative_to(repo.root)), current, current.split(":")[0] + ": 9")}
    made = _rebuilds_match_first_builds(repo.root, edits)
    assert 0 < made["check-in"][0] < made["check-in"][1]


@pytest.mark.parametrize("dirty", [False, True])
def test_a_broken_delegation_elsewhere_is_reported_under_serve(tmp_path: Path, dirty: bool) -> None:
    from test_serve import _serve_build

    config_file = write_site(tmp_path, plugin={"diagrams": False})
    site_dir = tmp_path / "served"
    _serve_build(config_file, site_dir, dirty)
    # Recruiting stops picking up the key result that sales delegated to it: the problem
    # is in sales' file, which did not change.
    _edit(tmp_path, MORE_EDITS["pickup dropped"])
    _serve_build(config_file, site_dir, dirty)
    page = (site_dir / "okrs/win-regional-ev-share/index.html").read_text(encoding="utf-8")
    assert "OKR404" in page
