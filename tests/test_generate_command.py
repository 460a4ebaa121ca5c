"""`okrdocs generate --out DIR`: the OKR pages as Markdown files, and Zensical building them."""

from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.structure.files import File

from conftest import A_DAY_IN_2026_Q1
from okrdocs import check_folder
from okrdocs.site.generate import yaml_scalar
from okrdocs.site.urls import page_url
from sitebuild import DEMO_OKRS, broken_links, build_site, copy_demo_site, html_of, run_mkdocs, side_venv

pytestmark = pytest.mark.slow  # builds whole sites

DEMO = check_folder(DEMO_OKRS).cascade
OUT = "site_src/okrs-generated"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site with `okrdocs generate --out site_src/okrs-generated` run in it."""
    root = tmp_path_factory.mktemp("generated")
    copy_demo_site(root)
    done = _generate(root, "--out", OUT)
    assert done.returncode == 0, done.stderr
    return root


def _generate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`okrdocs generate` on the build date of the plugin's builds in these tests: a
    module's fixture runs before conftest's per-test date is set."""
    okrdocs = Path(sys.executable).parent / "okrdocs"
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", str(A_DAY_IN_2026_Q1))}
    return subprocess.run([okrdocs, "generate", *args], cwd=root, capture_output=True, text=True, check=False, env=env)


def _front_matter(text: str) -> dict:
    assert text.startswith("---\n")
    return yaml.safe_load(text[4 : text.index("\n---\n")])


def test_every_page_is_a_markdown_file_with_its_title(generated: Path) -> None:
    out = generated / OUT
    assert _front_matter((out / "vision.md").read_text())["title"] == "Vision"
    assert _front_matter((out / "teams.md").read_text())["title"] == "Teams"
    for team_id, team in DEMO.teams.items():
        page = (out / "teams" / f"{team_id}.md").read_text()
        assert f"<h1>{team.name}</h1>" in page.replace("&amp;", "&")
    assert sorted(p.stem for p in (out / "okrs").glob("*.md")) == sorted(DEMO.objectives)
    # The pages that list every objective are left out of the search index, as the plugin's are.
    assert _front_matter((out / "overview.md").read_text())["search"] == {"exclude": True}
    assert "search" not in _front_matter((out / "okrs" / "grow-new-market-revenue.md").read_text())
    assert (out / "okrdocs.css").read_text().startswith("/* okrdocs")
    assert (out / "okrdocs.js").read_text().startswith("/* okrdocs")
    data = json.loads((out / "okrs.json").read_text())
    # okrs.json holds the URLs the pages will have, from the site root.
    assert data["vision"]["url"] == "okrs-generated/vision/"
    assert {o["url"] for o in data["objectives"]} == {f"okrs-generated/okrs/{i}/" for i in DEMO.objectives}


def test_pages_link_to_each_others_files_and_diagrams_to_urls(generated: Path) -> None:
    out = generated / OUT
    for page in out.rglob("*.md"):
        text = page.read_text()
        for link in re.findall(r' href="([^"#]+)(?:#[^"]*)?"', text):
            if "://" in link:
                continue
            target = posixpath.normpath(posixpath.join(page.parent.relative_to(generated).as_posix(), link))
            assert (generated / target).is_file(), (page.name, link)
    objective = (out / "okrs" / "grow-new-market-revenue.md").read_text()
    assert 'key result <a href="diversify-markets.md#okr-kr-kr1">' in objective
    assert '<link rel="stylesheet" href="../okrdocs.css">' in objective
    assert '<script src="../okrdocs.js" defer></script>' in objective
    assert objective.count("<svg") == 1 and 'xlink:href="../diversify-markets/"' in objective
    assert 'class="okr-legend"' in objective
    assert "<!-- okrdocs:diagram -->" not in objective
    # The edit link opens the OKR file, as on the plugin's page.
    assert 'href="https://github.com/northwind/okrs/edit/main/okrs/sales/grow-new-market-revenue.md"' in objective


def test_a_broken_okr_folder_fails_with_every_problem_and_writes_nothing(tmp_path: Path) -> None:
    copy_demo_site(tmp_path)
    objective = tmp_path / "okrs/sales-emea/increase-pipeline-monthly.md"
    objective.write_text(objective.read_text().replace("team: sales-emea", "team: sales-emeaa"))
    done = _generate(tmp_path, "--out", OUT)
    assert done.returncode == 1
    assert done.stdout.startswith(
        "okrs/sales-emea/increase-pipeline-monthly.md:3: OKR401 there is no team 'sales-emeaa'"
    )
    assert f"okrdocs: error: nothing written to {OUT}: fix the problems above first" in done.stderr
    assert not (tmp_path / OUT).exists()


def test_it_writes_only_below_docs_dir_and_only_into_its_own_folder(tmp_path: Path) -> None:
    copy_demo_site(tmp_path)
    outside = _generate(tmp_path, "--out", "generated")
    assert outside.returncode == 2
    assert "--out generated is not a folder inside docs_dir" in outside.stderr
    docs_itself = _generate(tmp_path, "--out", "site_src")
    assert docs_itself.returncode == 2
    (tmp_path / "site_src/mine").mkdir()
    (tmp_path / "site_src/mine/notes.md").write_text("# Mine\n")
    foreign = _generate(tmp_path, "--out", "site_src/mine")
    assert foreign.returncode == 1
    assert "already holds files that okrdocs did not write" in foreign.stderr
    assert (tmp_path / "site_src/mine/notes.md").read_text() == "# Mine\n"


def test_running_it_again_drops_the_pages_of_deleted_objectives(tmp_path: Path) -> None:
    copy_demo_site(tmp_path)
    extra = tmp_path / "okrs/brand/try-a-podcast.md"
    extra.write_text(
        "---\ntitle: Try a podcast\nteam: brand\nperiod: 2026-Q1\nparent: increase-brand-visibility\n"
        "key_results:\n  - id: kr1\n    title: Publish six episodes\n---\n"
    )
    assert _generate(tmp_path, "--out", OUT).returncode == 0
    assert (tmp_path / OUT / "okrs/try-a-podcast.md").is_file()
    extra.unlink()
    assert _generate(tmp_path, "--out", OUT).returncode == 0
    assert not (tmp_path / OUT / "okrs/try-a-podcast.md").exists()
    assert (tmp_path / OUT / "okrs/increase-brand-visibility.md").is_file()


# -- Zensical builds what generate wrote ------------------------------------------------


def _as_zensical_user(root: Path) -> None:
    """What the README's Zensical section says: the nav and the home page name the
    generated files."""
    config = root / "mkdocs.yml"
    text = config.read_text()
    text = text.replace("  - Vision: vision.md", "  - Vision: okrs-generated/vision.md")
    text = text.replace("  - Overview: overview.md", "  - Overview: okrs-generated/overview.md")
    text = text.replace("  - Teams: teams.md", "  - Teams: okrs-generated/teams.md")
    config.write_text(text.replace("  - Periods: periods.md", "  - Periods: okrs-generated/periods.md"))
    index = root / "site_src/index.md"
    index.write_text(
        index.read_text()
        .replace("(vision.md)", "(okrs-generated/vision.md)")
        .replace("(teams.md)", "(okrs-generated/teams.md)")
    )


@pytest.fixture(scope="module")
def zensical_site(generated: Path) -> Path:
    zensical = side_venv("zensical", "zensical", python=(3, 11))
    _as_zensical_user(generated)
    done = subprocess.run([zensical, "build"], cwd=generated, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No issues found" in done.stdout + done.stderr
    return generated / "site"


@pytest.mark.slow
def test_zensical_builds_every_page_with_working_links_and_inline_diagrams(zensical_site: Path) -> None:
    assert broken_links(zensical_site) == []
    for team_id in DEMO.teams:
        assert "<svg" in html_of(zensical_site, f"okrs-generated/teams/{team_id}/")
    for objective_id in DEMO.objectives:
        page = html_of(zensical_site, f"okrs-generated/okrs/{objective_id}/")
        assert page.count("<h1") == 1 and "<svg" in page
    assert "<h1>Vision</h1>" in html_of(zensical_site, "okrs-generated/vision/")
    assert "<h1>Teams</h1>" in html_of(zensical_site, "okrs-generated/teams/")


@pytest.mark.slow
def test_zensical_search_finds_a_key_results_words(zensical_site: Path) -> None:
    index = json.loads((zensical_site / "search.json").read_text())
    hits = {item["location"].split("#")[0] for item in index["items"] if "language specialization" in item["text"]}
    assert "okrs-generated/okrs/grow-new-market-revenue/" in hits


def _generated_part(page: str) -> str:
    """What okrdocs wrote on a page Zensical built: the raw HTML block's inside, after the
    links to okrdocs' stylesheets and scripts."""
    block = page.index('<div class="okrdocs-generated">')
    start = page.index("</script>", page.index('okrdocs.js"', block)) + len("</script>")
    return page[start : page.rindex("</div>", start, page.index("</article>", start))].strip()


def _absolute_hrefs(html: str, page_url: str, root: str = "") -> str:
    """Every relative `href` as a path from the site root (less `root`), so that `./` and
    `../vision/` on the vision page compare equal."""

    def absolute(match: re.Match[str]) -> str:
        link = match[2]
        if "://" in link or link.startswith(("#", "mailto:")):
            return match[0]
        path, _, anchor = link.partition("#")
        target = posixpath.normpath(posixpath.join("/" + page_url, path)) + ("/" if path.endswith("/") else "")
        target = target.removeprefix("/" + root)
        return f'{match[1]}="{target}{"#" + anchor if anchor else ""}"'

    return re.sub(r'( href)="([^"]*)"', absolute, html)


@pytest.mark.slow
def test_zensical_pages_match_the_plugins_pages(zensical_site: Path, tmp_path: Path) -> None:
    plugin_site = build_site(copy_demo_site(tmp_path))
    pages = ["vision/", "teams/", *(f"teams/{t}/" for t in DEMO.teams), *(f"okrs/{o}/" for o in DEMO.objectives)]
    for url in pages:
        ours = _absolute_hrefs(html_of(plugin_site, url), url)
        theirs = _absolute_hrefs(
            _generated_part(html_of(zensical_site, f"okrs-generated/{url}")), f"okrs-generated/{url}", "okrs-generated/"
        )
        # The same templates, links, scores, edit link and diagram, byte for byte, except
        # that Zensical drops the value-less attribute that keeps Material's search out of
        # the SVG.
        assert theirs in ours.replace(" data-search-exclude>", ">"), url


def test_check_and_generate_read_properdocs_yml_before_mkdocs_yml(tmp_path: Path) -> None:
    copy_demo_site(tmp_path)
    config = (tmp_path / "mkdocs.yml").read_text()
    (tmp_path / "properdocs.yml").write_text(config.replace("okrs_dir: okrs", "okrs_dir: elsewhere"))
    okrdocs = Path(sys.executable).parent / "okrdocs"
    check = subprocess.run([okrdocs, "check"], cwd=tmp_path, capture_output=True, text=True)
    assert (check.returncode, check.stderr) == (2, "okrdocs: error: the OKR folder 'elsewhere' does not exist\n")
    assert _generate(tmp_path, "--out", OUT).returncode == 2
    (tmp_path / "properdocs.yml").unlink()
    assert subprocess.run([okrdocs, "check"], cwd=tmp_path, capture_output=True).returncode == 0


@given(
    st.lists(st.from_regex(r"[a-z0-9-]{1,8}", fullmatch=True), min_size=1, max_size=4).map("/".join),
    st.sampled_from(["", "/index", "/README"]),
    st.booleans(),
)
def test_page_urls_follow_mkdocs(path: str, suffix: str, use_directory_urls: bool) -> None:
    """`generate` places links before any site generator has run: its rule must be MkDocs'."""
    src_uri = f"{path}{suffix}.md"
    file = File(src_uri, "/docs", "/site", use_directory_urls)
    assert page_url(src_uri, use_directory_urls) == file.url


# -- front matter any YAML reader reads ------------------------------------------------


@given(st.text(max_size=40))
def test_a_value_is_one_line_of_yaml_that_reads_back_as_it_was(text: str) -> None:
    written = yaml_scalar(text)
    assert "\n" not in written and "\r" not in written
    assert yaml.safe_load(f"title: {written}") == {"title": text}


EMOJI = {
    "teams.yml": "teams:\n  - id: company\n    name: Acme 🚀\n",
    "vision.md": "---\nvision: Everyone gets what they need.\n---\n",
    "company/ship.md": (
        '---\ntitle: "Ship it 🚀 [docs](javascript:alert(document.domain))"\nteam: company\nperiod: 2026\n'
        "parent: vision\nkey_results:\n  - id: kr1\n    title: Sign three partners 🤝\n    progress: 0.5\n---\n"
    ),
}


def test_an_emoji_keeps_every_front_matter_readable_and_the_site_building(tmp_path: Path, okr_folder) -> None:
    """json.dumps wrote an emoji as a surrogate pair, which YAML readers refuse (found by a
    hostile review): Zensical stopped, and MkDocs rendered the front matter as the page's
    text, with a live `javascript:` link and without `render_macros: false`."""
    okr_folder(EMOJI, minimal=False)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: Emoji\n")
    done = _generate(tmp_path, "--okrs", "okrs", "--out", "docs/okrs-generated")
    assert done.returncode == 0, done.stderr
    pages = sorted((tmp_path / "docs" / "okrs-generated").rglob("*.md"))
    assert pages and all("render_macros" in _front_matter(page.read_text()) for page in pages)
    assert _front_matter((tmp_path / "docs/okrs-generated/okrs/ship.md").read_text())["title"].startswith("Ship it 🚀")
    assert _front_matter((tmp_path / "docs/okrs-generated/teams/company.md").read_text())["title"] == "Acme 🚀"
    built = run_mkdocs(tmp_path / "mkdocs.yml")  # MkDocs without the plugin, as TechDocs builds
    assert built.returncode == 0, built.stderr
    page = html_of(tmp_path / "site", "okrs-generated/okrs/ship/")
    assert "<title>Ship it 🚀 [docs](javascript:alert(document.domain)) - Emoji</title>" in page
    assert 'href="javascript:' not in page and "render_macros" not in page  # no front matter shown as text
    zensical = side_venv("zensical", "zensical", python=(3, 11))
    (tmp_path / "zensical.toml").write_text('[project]\nsite_name = "Emoji"\nsite_dir = "zensical-site"\n')
    done = subprocess.run([zensical, "build"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Ship it 🚀" in html_of(tmp_path / "zensical-site", "okrs-generated/okrs/ship/")
