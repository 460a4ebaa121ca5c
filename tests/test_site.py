"""Real sites built with real MkDocs: pages, links, search, edit links, errors."""

from __future__ import annotations

import html
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from conftest import MINIMAL_ORGANISATION
from okrdocs.core.rules.check import check_folder
from okrdocs.site import diagram_jobs
from okrdocs.site.diagrams import Diagrams
from sitebuild import DEMO_OKRS, ENGINES, broken_links, build_site, html_of, run_mkdocs, write_site

pytestmark = pytest.mark.slow  # builds whole sites

DEMO = check_folder(DEMO_OKRS).cascade
NO_DIAGRAMS = {"diagrams": False}


@pytest.fixture(scope="module", params=ENGINES)
def demo_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo built by MkDocs from mkdocs.yml, and by ProperDocs from properdocs.yml."""
    engine = request.param
    root = tmp_path_factory.mktemp(f"demo-{engine}")
    config = {"repo_url": "https://git.example/acme/okrs", "edit_uri": "edit/main/docs/"}
    # The demo's quarter, so that what is current does not depend on the day the tests run.
    plugin = {"current_period": "2026-Q1"}
    return build_site(write_site(root, config=config, plugin=plugin, config_name=f"{engine}.yml"), engine=engine)


def test_the_plugin_declares_properdocs_support(tmp_path: Path) -> None:
    """ProperDocs' way: a `properdocs.plugins` entry point, and its notice under `mkdocs`."""
    from importlib.metadata import entry_points

    from okrdocs.mkdocs_plugin.plugin import OkrdocsPlugin

    (plugin,) = entry_points(group="properdocs.plugins", name="okrdocs")
    assert plugin.load() is OkrdocsPlugin
    config_file = write_site(tmp_path, plugin=NO_DIAGRAMS)
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    loud = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config_file)], capture_output=True, text=True, env=env
    )
    assert loud.returncode == 0 and loud.stderr.count("a continuation of MkDocs 1.x") == 1
    assert "a continuation of MkDocs 1.x" not in run_mkdocs(config_file).stderr  # DISABLE_MKDOCS_2_WARNING=true


def test_properdocs_falls_back_to_mkdocs_yml(tmp_path: Path) -> None:
    write_site(tmp_path, plugin=NO_DIAGRAMS)
    result = run_mkdocs(None, "--strict", engine="properdocs", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "mkdocs.yml" in result.stderr  # ProperDocs says which file it read
    assert "<h1>Vision</h1>" in html_of(tmp_path / "site", "vision/")
    assert broken_links(tmp_path / "site") == []


def test_every_team_and_objective_has_a_page(demo_site: Path) -> None:
    for team_id, team in DEMO.teams.items():
        assert f"<h1>{html.escape(team.name, quote=False)}</h1>" in html_of(demo_site, f"teams/{team_id}/")
    for objective_id in DEMO.objectives:
        assert (demo_site / "okrs" / objective_id / "index.html").is_file()
    assert "<h1>Vision</h1>" in html_of(demo_site, "vision/")
    assert "<h1>Teams</h1>" in html_of(demo_site, "teams/")


def test_no_link_in_the_site_is_broken(demo_site: Path) -> None:
    assert broken_links(demo_site) == []


@pytest.mark.parametrize(
    "config",
    [
        {"use_directory_urls": False},
        {"site_url": "https://intranet.example/okrs/", "use_directory_urls": True},
        {"site_url": "https://intranet.example/okrs/", "use_directory_urls": False, "theme": {"name": "mkdocs"}},
        {"theme": {"name": "mkdocs"}},
    ],
    ids=["flat-urls", "sub-path", "sub-path-flat-mkdocs-theme", "mkdocs-theme"],
)
def test_links_resolve_for_every_url_setting_and_theme(tmp_path: Path, config: dict) -> None:
    site = build_site(write_site(tmp_path, config=config, plugin=NO_DIAGRAMS))
    assert broken_links(site, base_path="/okrs/" if "site_url" in config else "/") == []
    suffix = ".html" if config.get("use_directory_urls") is False else "/index.html"
    assert (site / f"teams/sales{suffix}").is_file()
    assert (site / f"okrs/diversify-markets{suffix}").is_file()


def test_objective_page_shows_chain_krs_delegations_and_body(demo_site: Path) -> None:
    page = html_of(demo_site, "okrs/grow-new-market-revenue/")
    chain = page[page.index('class="okr-chain"') :]
    chain = chain[: chain.index("</nav>")]
    assert '<a href="../../vision/">Vision</a>' in chain
    assert '<a href="../diversify-markets/">Diversify by expanding into three new markets</a>' in chain
    assert 'id="okr-kr-kr3"' in page
    assert "Delegated to\n" in page or "Delegated to" in page
    assert '<a href="../increase-pipeline-monthly/">' in page  # the pickup of kr3
    assert 'key result <a href="../diversify-markets/#okr-kr-kr1">' in page  # aligns to
    assert "native-speaking associates" in page  # the file's body, rendered


def test_team_page_lists_objectives_newest_period_first_and_pickups(demo_site: Path) -> None:
    page = html_of(demo_site, "teams/sales/")
    assert page.index('id="okr-period-2026-H1"') < page.index('id="okr-period-2026-Q1"')
    assert "Lead: <strong>Dana Cruz</strong>" in page
    assert '<a href="../company/">Northwind Motors</a>' in page
    assert 'id="okr-picked-up"' in page
    assert '<a href="../sales-emea/">' in page  # a sub-team


def toc_links(page: str) -> list[tuple[str, str]]:
    """(href, text) of each entry of mkdocs-material's table of contents."""
    toc = page[page.index('data-md-component="toc"') :]
    toc = toc[: toc.index('data-md-component="content"')]
    return [
        (href, " ".join(text.split()))
        for href, text in re.findall(r'href="(#[^"]*)"[^>]*>\s*<span[^>]*>(.*?)</span>', toc, re.DOTALL)
    ]


def test_generated_pages_have_a_table_of_contents_of_their_sections(demo_site: Path) -> None:
    assert toc_links(html_of(demo_site, "teams/sales/")) == [
        ("#okr-objectives", "Objectives"),
        ("#okr-period-2026-H1", "2026-H1 current"),  # current_period is 2026-Q1 here
        # Each period lists its objectives by title: the way to one is one click.
        ("#okr-o-win-regional-ev-share", "Make up 60 percent of all electric car sales in the region"),
        ("#okr-period-2026-Q1", "2026-Q1 current"),
        ("#okr-o-grow-new-market-revenue", "Grow revenue from new markets from 0 to 10%"),
        ("#okr-picked-up", "Picked up by other teams"),
        ("#okr-depends-on", "Depends on"),  # win-regional-ev-share#kr4 needs growth-marketing
    ]
    objective = toc_links(html_of(demo_site, "okrs/grow-new-market-revenue/"))
    assert objective == [
        ("#okr-key-results", "Key results"),
        ("#okr-coaching", "Coaching notes"),  # kr2 counts activity (OKR703)
        ("#okr-aligned", "Aligned to this objective"),
        ("#okr-why", "Why"),
    ]
    assert toc_links(html_of(demo_site, "vision/"))[0] == ("#okr-company-objectives", "Company objectives")


def test_html_ids_cannot_collide_even_for_an_objective_named_like_a_section(tmp_path: Path, okr_folder) -> None:
    """An objective id `objectives` once gave its team page two elements with that id."""
    okrs = okr_folder(
        {
            "sales/objectives.md": """
            ---
            title: Objectives about objectives
            team: sales
            period: 2026-Q2
            parent: grow
            key_results:
              - id: kr1
                title: Write them down
            ---
            """
        }
    )
    site = build_site(write_site(tmp_path / "site", okrs=okrs))
    for url in ("teams/sales/", "okrs/objectives/", "vision/"):
        ids = re.findall(r'\sid="([^"]+)"', html_of(site, url))
        assert [i for i in set(ids) if ids.count(i) > 1] == [], url


def test_the_diagram_is_an_image_named_by_its_caption_and_described_by_the_list(demo_site: Path) -> None:
    page = html_of(demo_site, "teams/sales/")
    svg_tag = re.search(r"<figure class=\"okr-diagram\"[^>]*><svg [^>]*>", page)
    assert svg_tag is not None
    assert 'role="img"' in svg_tag[0]
    assert 'aria-labelledby="okr-diagram-caption"' in svg_tag[0] and 'aria-describedby="okr-diagram-text"' in svg_tag[0]
    caption = re.search(r'<span id="okr-diagram-caption">([^<]*)</span>', page)
    assert caption is not None and "Sales" in caption[1]
    assert '<span id="okr-diagram-text">The same in text: <a href="#okr-objectives">the list above</a>.</span>' in page


def test_team_directory_is_a_tree_with_leads_and_counts(demo_site: Path) -> None:
    page = html_of(demo_site, "teams/")
    top = page.index(">Northwind Motors</a>")
    assert top < page.index(">Sales</a>") < page.index(">Inbound Leads</a>")
    assert "Dana Cruz" in page
    assert re.search(r"okr-count\">\d+ objectives?<", page)


def test_edit_link_opens_the_okr_file_not_docs_dir(demo_site: Path) -> None:
    page = html_of(demo_site, "okrs/grow-new-market-revenue/")
    assert 'href="https://git.example/acme/okrs/edit/main/okrs/sales/grow-new-market-revenue.md"' in page


def test_edit_uri_option_overrides_the_derived_link(tmp_path: Path) -> None:
    config = {"repo_url": "https://git.example/acme/okrs", "edit_uri": "edit/main/docs/"}
    plugin = {**NO_DIAGRAMS, "edit_uri": "blob/trunk/"}
    site = build_site(write_site(tmp_path, config=config, plugin=plugin))
    page = html_of(site, "okrs/diversify-markets/")
    assert "https://git.example/acme/okrs/blob/trunk/okrs/company/diversify-markets.md" in page


def test_search_index_holds_objectives_krs_and_teams(demo_site: Path) -> None:
    index = json.loads((demo_site / "search" / "search_index.json").read_text())
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    for objective in DEMO.objectives.values():
        assert objective.title.replace("*", "") in text or objective.id
    titles = {doc["title"] for doc in index["docs"]}
    assert "Grow revenue from new markets from 0 to 10%" in titles
    assert "Engage all qualified leads weekly" in text  # a KR of a team objective
    assert "Sales" in titles


def test_search_leaves_out_the_pages_that_list_every_objective(demo_site: Path) -> None:
    """The overview and each period's page repeat what the objectives' own pages hold:
    a search finds an objective there, not in a table of every objective."""
    index = json.loads((demo_site / "search" / "search_index.json").read_text())
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert "overview/" not in pages
    assert [page for page in pages if page.startswith("periods/") and page != "periods/"] == []
    assert "periods/" in pages and "teams/sales/" in pages and "okrs/grow-new-market-revenue/" in pages
    overview = (demo_site / "overview" / "index.html").read_text()
    assert "Grow revenue from new markets" in overview  # still on the page itself


def test_okrs_json_holds_the_resolved_cascade(demo_site: Path) -> None:
    data = json.loads((demo_site / "okrs.json").read_text())
    assert data["version"] == 1
    assert len(data["teams"]) == len(DEMO.teams)
    objectives = {o["id"]: o for o in data["objectives"]}
    assert objectives.keys() == DEMO.objectives.keys()
    sales = objectives["grow-new-market-revenue"]
    assert sales["alignment"] == "tight" and sales["parent"] == "diversify-markets#kr1"
    assert sales["chain"] == ["diversify-markets", "grow-new-market-revenue"]
    assert sales["url"] == "okrs/grow-new-market-revenue/"
    kr = next(k for k in objectives["diversify-markets"]["key_results"] if k["id"] == "kr1")
    assert kr["picked_up_by"] == ["grow-new-market-revenue"]


def test_titles_with_markdown_and_html_render_inline_and_plain(tmp_path: Path) -> None:
    okrs = tmp_path / "src"
    shutil.copytree(DEMO_OKRS, okrs)
    path = okrs / "company" / "grow-the-team.md"
    text = path.read_text()
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(title_line, "title: 'Grow *the* team <script>alert(1)</script> `fast`'"))
    site = build_site(write_site(tmp_path / "site", okrs=okrs, plugin=NO_DIAGRAMS))
    page = html_of(site, "okrs/grow-the-team/")
    assert "<h1>Grow <em>the</em> team &lt;script&gt;alert(1)&lt;/script&gt; <code>fast</code></h1>" in page
    assert "<script>alert(1)</script>" not in page
    assert "<title>Grow the team &lt;script&gt;alert(1)&lt;/script&gt; fast - Test OKRs</title>" in page


def test_nav_gets_vision_and_teams_but_not_every_page(tmp_path: Path) -> None:
    site = build_site(write_site(tmp_path, plugin=NO_DIAGRAMS, config={"nav": [{"Home": "index.md"}]}))
    home = html_of(site, "")
    nav = home[home.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("</nav>")]
    assert 'href="vision/"' in nav and 'href="teams/"' in nav
    assert "okrs/" not in nav and "teams/sales/" not in nav


def test_a_theme_custom_dir_overrides_a_template(tmp_path: Path) -> None:
    overrides = tmp_path / "overrides" / "okrdocs"
    overrides.mkdir(parents=True)
    (overrides / "team.html").write_text("<h1>Custom {{ team.name }}</h1>{{ body }}")
    config = {"theme": {"name": "material", "custom_dir": "overrides"}}
    site = build_site(write_site(tmp_path, config=config, plugin=NO_DIAGRAMS))
    assert "<h1>Custom Sales</h1>" in html_of(site, "teams/sales/")


@pytest.mark.parametrize("engine", ENGINES)
def test_broken_okr_folder_fails_the_build_with_every_problem(tmp_path: Path, engine: str) -> None:
    okrs = tmp_path / "src"
    shutil.copytree(DEMO_OKRS, okrs)
    objective = okrs / "sales-emea" / "increase-pipeline-monthly.md"
    objective.write_text(objective.read_text().replace("team: sales-emea", "team: sales-emeaa"))
    (okrs / "company" / "grow-the-team.md").write_text("---\ntitle: [unclosed\n---\n")
    result = run_mkdocs(write_site(tmp_path / "site", okrs=okrs, plugin=NO_DIAGRAMS), engine=engine)
    assert result.returncode == 1
    assert re.search(
        r"okrs/sales-emea/increase-pipeline-monthly\.md:3: OKR401 there is no team 'sales-emeaa' in teams\.yml.*"
        r"did you mean 'sales-emea'\?",
        result.stderr,
    ), result.stderr
    assert "okrs/company/grow-the-team.md:2: OKR102 invalid YAML" in result.stderr
    assert "Traceback" not in result.stderr
    assert "errors in the OKR folder 'okrs'" in result.stderr


def test_warnings_fail_only_strict_builds(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, plugin={**NO_DIAGRAMS, "max_key_results": 2})
    relaxed = run_mkdocs(config_file)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "OKR601" in relaxed.stderr
    strict = run_mkdocs(config_file, "--strict")
    assert strict.returncode == 1
    assert "OKR601" in strict.stderr


def test_a_missing_okr_folder_is_one_clear_error(tmp_path: Path) -> None:
    result = run_mkdocs(write_site(tmp_path, okrs=None, plugin=NO_DIAGRAMS))
    assert result.returncode == 1
    assert "the OKR folder 'okrs' does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_docs_page_where_okrdocs_generates_one_is_a_clear_error(tmp_path: Path) -> None:
    docs = {"index.md": "# Home\n", "teams.md": "# Our teams\n"}
    result = run_mkdocs(write_site(tmp_path, docs=docs, plugin=NO_DIAGRAMS))
    assert result.returncode == 1
    assert "already has 'teams.md'" in result.stderr


def test_the_build_writes_nothing_into_the_okr_or_docs_folders(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, plugin=NO_DIAGRAMS)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    build_site(config_file)
    after = {p.relative_to(tmp_path) for p in tmp_path.rglob("*")}
    new = sorted(str(p) for p in after - set(before))
    assert all(p.startswith(("site", ".cache")) for p in new), new


def _dot_logger(tmp_path: Path) -> tuple[Path, Path]:
    """A `dot` that logs each run to a file and then runs the real Graphviz dot."""
    log = tmp_path / "dot-runs.log"
    wrapper = tmp_path / "dot-logged"
    wrapper.write_text(f'#!/bin/sh\necho run >> "{log}"\nexec {shutil.which("dot")} "$@"\n')
    wrapper.chmod(0o755)
    return wrapper, log


def test_diagrams_are_inline_svg_with_links_to_objective_pages(demo_site: Path) -> None:
    page = html_of(demo_site, "teams/sales/")
    figure = page[page.index('<figure class="okr-diagram"') :]
    figure = figure[: figure.index("</figure>")]
    assert "<svg" in figure and "<script" not in figure
    assert 'xlink:href="../../okrs/grow-new-market-revenue/"' in figure
    assert 'xlink:href="../../okrs/diversify-markets/"' in figure  # the ancestor
    assert 'xlink:href="../../okrs/increase-pipeline-monthly/"' in figure  # another team's pickup
    for url in ("vision/", "okrs/diversify-markets/"):
        assert '<figure class="okr-diagram" data-search-exclude>' in html_of(demo_site, url)


def test_unchanged_diagrams_are_not_laid_out_again(tmp_path: Path) -> None:
    dot, log = _dot_logger(tmp_path)
    config_file = write_site(tmp_path / "site", plugin={"dot_path": str(dot)})
    first = build_site(config_file)
    pages_before = {p: p.read_bytes() for p in first.rglob("*.html")}
    cold_runs = len(log.read_text().splitlines())
    assert 1 <= cold_runs <= 12  # batches, not one process per diagram (44 diagrams)
    log.write_text("")
    second = build_site(config_file)
    assert log.read_text() == ""  # the disk cache served every diagram
    assert {p: p.read_bytes() for p in second.rglob("*.html")} == pages_before


def test_a_build_of_unchanged_okrs_makes_no_dot_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The diagram plan is kept page by page, under each page's key (what it shows)."""
    made: list[str] = []
    for kind in ("vision", "team", "objective"):
        original = getattr(Diagrams, kind)

        def counted(
            self: Diagrams, *args: object, _original: Any = original, _kind: str = kind, **kwargs: object
        ) -> str:
            made.append(_kind)
            return str(_original(self, *args, **kwargs))

        monkeypatch.setattr(Diagrams, kind, counted)
    config_file = write_site(tmp_path / "site")
    first = build_site(config_file)
    pages_before = {p: p.read_bytes() for p in first.rglob("*.html")}
    assert made.count("objective") >= 10
    made.clear()
    second = build_site(config_file)
    assert made == []
    assert {p: p.read_bytes() for p in second.rglob("*.html")} == pages_before
    source = tmp_path / "site" / "okrs" / "inbound" / "respond-to-every-lead-fast.md"
    source.write_text(source.read_text().replace("status: on-track", "status: at-risk"))
    build_site(config_file)
    # A changed file: the text of the diagrams that draw the objective is made again, and
    # of no other (its page, its parent's, its team's, the parent's team's, the vision's).
    assert sorted(made) == ["objective", "objective", "team", "team", "vision"]


def test_one_changed_objective_re_renders_only_the_diagrams_it_appears_in(tmp_path: Path) -> None:
    dot, log = _dot_logger(tmp_path)
    config_file = write_site(tmp_path / "site", plugin={"dot_path": str(dot)})
    build_site(config_file)
    source = tmp_path / "site" / "okrs" / "inbound" / "respond-to-every-lead-fast.md"
    source.write_text(source.read_text().replace("status: on-track", "status: at-risk"))
    log.write_text("")
    build_site(config_file)
    assert 1 <= len(log.read_text().splitlines()) <= 2  # one batch of the few changed diagrams


def test_missing_dot_fails_with_install_help_and_the_option_name(tmp_path: Path) -> None:
    result = run_mkdocs(write_site(tmp_path, plugin={"dot_path": str(tmp_path / "no-such-dot")}))
    assert result.returncode == 1
    assert "Graphviz" in result.stderr and "apt-get install graphviz" in result.stderr
    assert "dot_path" in result.stderr
    assert "Traceback" not in result.stderr


def test_diagrams_can_be_turned_off(tmp_path: Path) -> None:
    site = build_site(write_site(tmp_path, plugin=NO_DIAGRAMS))
    assert "okr-diagram" not in html_of(site, "teams/sales/")
    assert list((tmp_path / ".cache").rglob("*.svg")) == []  # no diagram laid out (the parse cache is there)


def test_body_headings_sit_below_the_page_heading(demo_site: Path) -> None:
    vision = html_of(demo_site, "vision/")
    assert vision.count("<h1") == 1
    assert "<h2>Our vision</h2>" in vision and "<h3>Roadmap themes</h3>" in vision


def _dot_wrapper(tmp_path: Path, body: str) -> Path:
    wrapper = tmp_path / "dot-wrapper"
    wrapper.write_text(f"#!/bin/sh\n{body}\n")
    wrapper.chmod(0o755)
    return wrapper


def test_a_large_sites_diagrams_are_made_in_worker_processes_with_the_same_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above PROCESS_MIN_PAGES diagram pages, DOT text is made off the build's GIL; the
    pages come out byte for byte as from the one-thread path small sites take."""
    parents = tmp_path / "dot-parents.log"
    dot = _dot_wrapper(tmp_path, f'echo $PPID >> "{parents}"\nexec {shutil.which("dot")} "$@"')
    one_thread = build_site(write_site(tmp_path / "thread", plugin={"dot_path": str(dot)}))
    pages = {p.relative_to(one_thread): p.read_bytes() for p in one_thread.rglob("*.html")}
    assert set(parents.read_text().split()) == {str(os.getpid())}  # `dot` ran from this process
    parents.write_text("")
    monkeypatch.setattr(diagram_jobs, "PROCESS_MIN_PAGES", 1)
    monkeypatch.setattr(diagram_jobs, "CHUNK_PAGES", 7)
    in_workers = build_site(write_site(tmp_path / "processes", plugin={"dot_path": str(dot)}))
    assert {p.relative_to(in_workers): p.read_bytes() for p in in_workers.rglob("*.html")} == pages
    workers = set(parents.read_text().split())
    assert 1 <= len(workers) <= 2 and str(os.getpid()) not in workers  # `dot` ran from worker processes


def test_a_dot_failure_in_a_worker_process_names_the_diagram(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(diagram_jobs, "PROCESS_MIN_PAGES", 1)
    dot = _dot_wrapper(tmp_path, 'echo "Error: syntax error in line 1" >&2\nexit 3')
    with pytest.raises(Abort):
        build_site(write_site(tmp_path, plugin={"dot_path": str(dot)}))
    message = "okrdocs: Graphviz's `dot` failed on diagram 'vision.md' (exit status 3): Error: syntax error in line 1"
    assert message in caplog.text


def test_a_worker_process_that_dies_fails_the_build_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(diagram_jobs, "PROCESS_MIN_PAGES", 1)
    dot = _dot_wrapper(tmp_path, "kill -9 $PPID\nexit 1")  # the worker that ran `dot` is killed
    with pytest.raises(Abort):
        build_site(write_site(tmp_path, plugin={"dot_path": str(dot)}))
    assert "okrdocs: a process laying out diagrams stopped" in caplog.text
    assert "Traceback" not in caplog.text


def test_a_script_that_runs_the_build_unguarded_fails_with_a_hint_and_does_not_hang(tmp_path: Path) -> None:
    """Worker processes start with "spawn", which imports the parent's main script again: a
    script without `if __name__ == "__main__":` runs the build in the child too. The parent
    must end with a message saying so, not wait for ever on a child that never starts."""
    config_file = write_site(tmp_path / "site", plugin={"diagrams": True})
    script = tmp_path / "build_site.py"
    script.write_text(
        "import okrdocs.site.diagram_jobs as jobs\n"
        "jobs.PROCESS_MIN_PAGES = 1\n"
        "from mkdocs.__main__ import cli\n"
        f"cli(['build', '-q', '-f', {str(config_file)!r}])\n"
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=180, cwd=tmp_path, check=False
    )
    assert result.returncode != 0
    assert "a process laying out diagrams stopped" in result.stderr
    assert 'if __name__ == "__main__":' in result.stderr


class _NestedLinks(html.parser.HTMLParser):
    """Counts `<a>` elements opened inside another `<a>`."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.nested = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.nested += self.depth > 0
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.depth = max(0, self.depth - 1)


def test_titles_with_their_own_links_make_no_link_inside_a_link(
    tmp_path: Path, okr_folder: Callable[..., Path]
) -> None:
    """An author's `[text](url)` in a title shows as its text inside okrdocs' own links."""
    linked = {
        "Grow the business": "Grow [the business](https://example.com/plan)",
        "Double revenue": "Double [revenue](https://example.com/revenue)",
        "Help customers faster": "Help <https://example.com/help> customers faster",
    }
    files = dict(MINIMAL_ORGANISATION)
    for relative, text in files.items():
        for plain, with_link in linked.items():
            text = text.replace(f"title: {plain}", f"title: {with_link}")
        files[relative] = text
    okr_folder(files)
    site = build_site(write_site(tmp_path, okrs=None, plugin=NO_DIAGRAMS))

    pages = list(site.rglob("*.html"))
    nested = {}
    for page in pages:
        parser = _NestedLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        if parser.nested:
            nested[str(page.relative_to(site))] = parser.nested
    assert pages and nested == {}
    assert "Grow the business" in html_of(site, "okrs/sell-more/")


def test_search_entries_read_as_text_with_each_fact_apart(tmp_path: Path, okr_folder: Callable[..., Path]) -> None:
    """Search showed "TeamSales PeriodQ1": each fact's name now ends with a colon that only
    search and screen readers see."""
    okr_folder()
    site = build_site(write_site(tmp_path, okrs=None, plugin=NO_DIAGRAMS))
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(entry["text"] for entry in index["docs"] if entry["location"].startswith("okrs/sell-more/"))

    assert "Team: Sales" in text and "Period: 2026-Q1" in text
    assert "TeamSales" not in text


def test_a_team_page_carries_a_breadcrumb_of_the_team_tree(demo_site: Path) -> None:
    page = html_of(demo_site, "teams/inbound/")
    crumb = page[
        page.index('<nav class="okr-breadcrumb"') : page.index("</nav>", page.index('<nav class="okr-breadcrumb"'))
    ]
    names = re.findall(r">([^<>]+)</(?:a|span)>", crumb)
    assert names[0] == "All teams" and names[-1] == "Inbound Leads" and len(names) >= 3
    assert '<span aria-current="page">Inbound Leads</span>' in crumb


def test_links_from_docs_pages_to_okrdocs_anchors_are_checked_against_the_generated_html(tmp_path: Path) -> None:
    """MkDocs checks a link's `#anchor` against the anchors of the page it leads to; a
    generated page's are those of okrdocs' HTML (its Markdown is empty)."""
    links = (
        "[kr](okrs/respond-to-every-lead-fast.md#okr-kr-kr1)\n"
        "[heading](okrs/respond-to-every-lead-fast.md#okr-key-results)\n"
        "[nothing](okrs/respond-to-every-lead-fast.md#no-such-anchor)\n"
    )
    config_file = write_site(
        tmp_path, plugin={"diagrams": False}, docs={"index.md": f"# Home\n\n{links}"},
        config={"validation": {"anchors": "warn"}},
    )  # fmt: skip
    result = run_mkdocs(config_file)
    assert result.returncode == 0, result.stderr
    missing = [line for line in result.stderr.splitlines() if "does not contain an anchor" in line]
    assert missing == [
        "WARNING -  Doc file 'index.md' contains a link 'okrs/respond-to-every-lead-fast.md#no-such-anchor', "
        "but the doc 'okrs/respond-to-every-lead-fast.md' does not contain an anchor '#no-such-anchor'."
    ]


@pytest.mark.parametrize("site_url", ["https://okrs.example/", "https://example.com/docs/okrs"])
def test_generated_pages_have_mkdocs_canonical_urls(tmp_path: Path, site_url: str) -> None:
    """The canonical URL of a generated page is MkDocs' own (the plugin keeps it by site URL
    and page URL across builds of one process: the two cases run in one)."""
    config_file = write_site(tmp_path, plugin={"diagrams": False}, config={"site_url": site_url})
    page = html_of(build_site(config_file), "okrs/respond-to-every-lead-fast/")
    expected = site_url.rstrip("/") + "/okrs/respond-to-every-lead-fast/"
    assert f'<link rel="canonical" href="{expected}">' in page
