"""A live preview's rebuild makes again only the page keys and okrs.json entries an edit
touches (`site.incremental`), and they are exactly what a first build makes.

The truth is a build from nothing (new caches) of the same folder after each edit; the
edits are test_page_inputs' (each page's key against its HTML) and structural ones.
"""

from __future__ import annotations

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
    "new file": ("okrs/inbound/new.md", "", ""),
    "file removed": (LEAF, "", ""),
}


def _make(build: SiteBuild) -> tuple[dict, str | None, int]:
    """This build's page keys and okrs.json, as the plugin makes them; and how many keys it made."""
    cascade = build.check().cascade
    time = build.timeline(cascade)
    urls = {page: "/" + build.layout.src_uri(page) for page in build.layout.pages(cascade)}
    build.begin(cascade, urls, time, "shared")
    keys = build.page_keys(cascade, urls, time, "shared")
    return keys, build.okrs_json(cascade, urls, time), build.caches.memory.keys_made


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
        keys, data, count = _make(SiteBuild(settings, kept, preview=True))
        fresh_keys, fresh_data, everything = _make(SiteBuild(settings, BuildCaches(), preview=True))
        assert keys == fresh_keys, name
        assert data == fresh_data, name
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
