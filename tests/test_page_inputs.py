"""Each page's cache key changes exactly when the page's HTML does (`site.page_inputs`).

The truth is a full render: after each single edit of the demo's OKR files the site is
built with no cached page HTML, and the pages whose written HTML changed are compared with
the pages whose key changed. A page whose HTML changed but whose key did not would be
served stale by the page cache and left alone by `mkdocs serve --dirty`: that fails the
test. A key that changed for a page whose HTML did not costs a render; the edits below
change no such key either.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.structure.files import File

from conftest import MINIMAL_ORGANISATION
from gitrepo import history_site
from okrdocs.site.page_cache import PAGES_FILE
from sitebuild import run_mkdocs, write_site

pytestmark = pytest.mark.slow  # builds the demo site once per edit

LEAF = "okrs/inbound/respond-to-every-lead-fast.md"
COMPANY = "okrs/company/diversify-markets.md"
TEAMS = "okrs/teams.yml"
HELPER = "okrs/growth-marketing/grow-organic-traffic.md"

EDITS: dict[str, tuple[str, str, str]] = {
    "title": (LEAF, "title: Respond to every inbound lead", "title: Answer every inbound lead"),
    "check-in": (LEAF, "current: 6\n", "current: 4\n"),
    "body": (LEAF, "Buyers comparing EVs online", "Buyers comparing cars online"),
    "owner": (LEAF, "owner: Sam Okafor", "owner: Sam Okoro"),
    "status": (LEAF, "status: on-track", "status: at-risk"),
    "confidence": (LEAF, "confidence: 0.8", "confidence: 0.7"),
    "tags": (LEAF, "tags: [home-market, leads]", "tags: [leads]"),
    "period": (LEAF, "period: 2026-Q1", "period: 2026-Q2"),
    "team name": (TEAMS, "name: Inbound Leads", "name: Inbound Sales Leads"),
    "team lead": (TEAMS, "lead: Marco Bianchi", "lead: Marco Bianco"),
    "company key result": (COMPANY, "title: Customize the highest-margin", "title: Tailor the highest-margin"),
    "vision": ("okrs/vision.md", "vision: Make electric driving", "vision: Make electric cars"),
    # Links besides the parent (issue 24): a contributor's check-in, a contribution
    # withdrawn (its dependency then unconfirmed), a weight.
    "contributor check-in": (HELPER, "current: 47500\n", "current: 52000\n"),
    "contribution withdrawn": (HELPER, "contributes_to: [", "# contributes_to: ["),
    "weight": ("okrs/service-workshop/shorten-service-wait-times.md", "weight: 2 ", "weight: 3 "),
}


def _build(config_file: Path, env: dict[str, str] | None = None) -> tuple[dict[str, str], dict[str, bytes]]:
    """A full render (no page HTML cached): each generated page's key and written HTML."""
    cache = config_file.parent / ".cache" / "okrdocs" / PAGES_FILE
    cache.unlink(missing_ok=True)
    result = run_mkdocs(config_file, env=env)
    assert result.returncode == 0, result.stderr
    pages = json.loads(cache.read_text(encoding="utf-8"))["pages"]
    site = config_file.parent / "site"
    docs = str(config_file.parent / "docs")
    written = {uri: (site / File(uri, docs, str(site), True).dest_uri).read_bytes() for uri in pages}
    return {uri: page[0] for uri, page in pages.items()}, written


def _changed(before: dict, after: dict) -> set[str]:
    return {uri for uri in before.keys() | after.keys() if before.get(uri) != after.get(uri)}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], dict[str, bytes]]:
    root = tmp_path_factory.mktemp("page-inputs")
    config_file = write_site(root, plugin={"current_period": "2026-Q1"})
    keys, written = _build(config_file)
    return config_file, keys, written


@pytest.mark.parametrize("edit", [*EDITS, "new objective", "deleted objective"])
def test_an_edit_changes_the_key_of_exactly_the_pages_whose_html_changes(
    demo: tuple[Path, dict[str, str], dict[str, bytes]], edit: str
) -> None:
    config_file, keys, written = demo
    root = config_file.parent
    saved = {path: path.read_bytes() for path in (root / "okrs").rglob("*") if path.is_file()}
    new = root / "okrs" / "inbound" / "answer-every-call.md"
    try:
        if edit == "new objective":
            text = (root / LEAF).read_text().replace("title: Respond to every inbound lead", "title: Answer every call")
            new.write_text(text)
        elif edit == "deleted objective":
            (root / LEAF).unlink()
        else:
            path, old, replacement = EDITS[edit]
            text = (root / path).read_text()
            assert old in text
            (root / path).write_text(text.replace(old, replacement, 1))
        keys_after, written_after = _build(config_file)
    finally:
        new.unlink(missing_ok=True)
        for path, content in saved.items():
            path.write_bytes(content)
    html_changed, key_changed = _changed(written, written_after), _changed(keys, keys_after)
    assert html_changed, "the edit changes some page"
    assert html_changed <= key_changed, f"pages whose HTML changed under the same key: {html_changed - key_changed}"
    assert key_changed == html_changed, f"keys changed for pages that did not: {key_changed - html_changed}"
    if edit == "body":
        assert key_changed == {"okrs/respond-to-every-lead-fast.md"}


def test_a_template_or_option_every_page_uses_changes_every_key(tmp_path: Path) -> None:
    """What every page shares is in every key."""
    config_file = write_site(tmp_path, plugin={"current_period": "2026-Q1"})
    keys, _ = _build(config_file)
    config_file.write_text(config_file.read_text().replace("current_period: 2026-Q1", "current_period: 2026-Q2"))
    keys_after, _ = _build(config_file)
    assert keys.keys() == keys_after.keys()
    assert all(keys[uri] != keys_after[uri] for uri in keys)


def test_a_check_in_commit_changes_the_key_of_exactly_the_pages_whose_html_changes(
    tmp_path: Path, okr_folder: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With history: trends, 'updated', pace marks and 'changes in the last N days'."""
    repo = history_site(tmp_path, okr_folder, monkeypatch)
    config_file = repo.root / "mkdocs.yml"
    env = {"SOURCE_DATE_EPOCH": os.environ["SOURCE_DATE_EPOCH"]}
    keys, written = _build(config_file, env)
    help_file = MINIMAL_ORGANISATION["support/help.md"].replace("progress: 0.25", "progress: 0.75")
    repo.commit("Support check-in", {"support/help.md": help_file}, date="2026-03-12T10:00:00Z")

    keys_after, written_after = _build(config_file, env)

    html_changed, key_changed = _changed(written, written_after), _changed(keys, keys_after)
    assert html_changed, "the check-in changes some page"
    assert html_changed <= key_changed, f"pages whose HTML changed under the same key: {html_changed - key_changed}"
    assert key_changed == html_changed, f"keys changed for pages that did not: {key_changed - html_changed}"
