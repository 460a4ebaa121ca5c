"""The demo site as a reader sees it, in a real headless Chromium.

The repository's demo site (mkdocs.yml, site_src/, okrs/) is built once into a temporary
folder and served on 127.0.0.1. A reader opens the home page, reaches a team through the
Teams directory, clicks an objective in the team's diagram, follows the "aligns to" chain
up to the vision, finds an objective by a word of one of its key results with the site
search, checks the edit link, and switches to the dark palette. Every page must load with
no console error and without a single request leaving 127.0.0.1.

The pages are checked as every reader meets them: each diagram fits its column at 1400
and 390 px, a team's own objectives are inside the figure, axe-core finds no serious
violation in okrdocs' markup in either palette, and the zoom view works by keyboard.

The browser is Debian's `chromium` (scripts/dev installs it); axe-core comes from npm,
pinned by tests/browser/package-lock.json and installed by `scripts/dev test` into the
git-ignored tests/browser/node_modules (a 650 KB file we would otherwise vendor and keep
up to date by hand); the tests themselves reach no network. Screenshots of each step go
to $OKRDOCS_ARTIFACTS/browser (CI keeps that folder when a run fails), or to a pytest
temporary folder. With OKRDOCS_UPDATE_SCREENSHOTS=1 the README's screenshots are remade
in docs/images/.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from okrdocs.core.domain.model import Objective
from okrdocs.core.rules.check import check_folder
from sitebuild import DEMO_OKRS, REPO, build_site, copy_demo_site

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO = check_folder(DEMO_OKRS).cascade
SETTINGS = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
TIMEOUT_MS = 10_000
AXE = REPO / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
README_IMAGES = REPO / "docs" / "images"
MIN_TEXT_CONTRAST = 4.5  # WCAG AA for normal text


# -- the site, its server and the browser --------------------------------------------------


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site built from a copy of its sources: a build never writes into the repo."""
    return build_site(copy_demo_site(tmp_path_factory.mktemp("browser-demo")))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """Serve `site` on 127.0.0.1 and a free port from a thread of this process."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, name=f"serving {site.name}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def base_url(demo_site: Path) -> Iterator[str]:
    with serving(demo_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"the browser tests need Debian's chromium at {CHROMIUM}: install it with "
            "'apt-get install chromium' (scripts/dev test installs it when it is missing)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    artifacts = os.environ.get("OKRDOCS_ARTIFACTS")
    folder = Path(artifacts) / "browser" if artifacts else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Reader:
    """One browser tab, noting everything a reader's browser would complain about."""

    def __init__(self, page: Any, base_url: str, screenshots: Path, name: str) -> None:
        self.page = page
        self.base_url = base_url
        self.requests: list[str] = []
        self.errors: list[str] = []
        self._screenshots = screenshots
        self._name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name)
        self._shots = 0
        page.set_default_timeout(TIMEOUT_MS)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console error on {self.page.url}: {message.text}")

    def open(self, url: str = "") -> None:
        self.page.goto(self.base_url + url)

    def at(self, url: str) -> None:
        """Wait until the tab shows `url` (relative to the site), however it got there."""
        self.page.wait_for_url(re.compile(re.escape(self.base_url + url) + r"(\?[^#]*)?(#.*)?$"))
        self.page.wait_for_load_state()

    def shoot(self, step: str) -> Path:
        self._shots += 1
        path = self._screenshots / f"{self._name}-{self._shots:02d}-{step}.png"
        self.page.screenshot(path=str(path))
        return path

    @property
    def outside_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.base_url)]

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.outside_requests == [], "requests that left 127.0.0.1"


@pytest.fixture
def reader(browser: Any, base_url: str, screenshots: Path, request: pytest.FixtureRequest) -> Iterator[Reader]:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, color_scheme="light", service_workers="block"
    )
    tab = Reader(context.new_page(), base_url, screenshots, request.node.name)
    try:
        yield tab
    finally:
        tab.shoot("end")  # where the test stopped; kept with the others when it failed
        context.close()


# -- what the reader does ------------------------------------------------------------------


def objective_url(objective: Objective) -> str:
    return f"okrs/{objective.id}/"


def deepest_objective() -> Objective:
    """The objective with the longest chain to the vision: the longest walk up."""
    return max(DEMO.objectives.values(), key=lambda o: (len(DEMO.chain(o)), o.id))


def diagram_links(reader: Reader) -> dict[str, Any]:
    """The objective links in the page's diagrams, by the objective id they lead to."""
    links = {}
    for link in reader.page.locator("figure.okr-diagram svg a").all():
        href = link.get_attribute("xlink:href") or link.get_attribute("href") or ""
        match = re.search(r"okrs/([a-z0-9-]+)/?$", href)
        if match:
            links.setdefault(match.group(1), link)
    return links


def test_a_reader_walks_from_home_through_a_team_and_its_diagram_up_to_the_vision(reader: Reader) -> None:
    objective = deepest_objective()
    team = DEMO.teams[objective.team_id]
    chain = DEMO.chain(objective)
    assert len(chain) >= 3, "the demo should have a cascade at least three objectives deep"

    reader.open()
    reader.shoot("home")
    reader.page.locator("article").get_by_role("link", name="teams", exact=True).first.click()
    reader.at("teams/")
    reader.page.locator("ul.okr-team-tree").get_by_role("link", name=team.name, exact=True).click()
    reader.at(f"teams/{team.id}/")
    assert reader.page.locator("h1").first.inner_text() == team.name
    reader.page.locator("figure.okr-diagram svg").first.wait_for()
    reader.shoot("team")

    links = diagram_links(reader)
    assert objective.id in links, f"no node links to {objective.id} in the diagram of {team.id}: {sorted(links)}"
    links[objective.id].click()
    reader.at(objective_url(objective))
    reader.shoot("objective")
    chain_hrefs = [link.get_attribute("href") or "" for link in reader.page.locator("nav.okr-chain a").all()]
    assert chain_hrefs[0].endswith("vision/")
    assert [href.rstrip("/").rpartition("/")[2] for href in chain_hrefs[1:]] == [a.id for a in chain[:-1]]

    for parent in reversed(chain[:-1]):  # up the "aligns to" links, one objective at a time
        reader.page.locator("p.okr-aligns a").first.click()
        reader.at(objective_url(parent))
        assert reader.page.locator("h1").first.inner_text().strip() != ""
        reader.shoot(parent.id)
    assert reader.page.locator("p.okr-aligns").inner_text().startswith("Aligns to: the vision")
    reader.page.locator("p.okr-aligns").get_by_role("link", name="the vision").click()
    reader.at("vision/")
    assert reader.page.locator("h1").first.inner_text() == "Vision"
    reader.shoot("vision")
    reader.assert_clean()


def a_word_only_one_objective_has_in_its_krs() -> tuple[str, Objective]:
    """A word of a KR title that no other objective has in a title or KR, nor any team name."""

    def words(text: str) -> set[str]:
        return {w.lower() for w in re.findall(r"[A-Za-z]{7,}", text)}

    others: dict[str, set[str]] = {}
    for objective in DEMO.objectives.values():
        others[objective.id] = words(objective.title) | {w for kr in objective.key_results for w in words(kr.title)}
    names = {w for team in DEMO.teams.values() for w in words(team.name)}
    for objective in sorted(DEMO.objectives.values(), key=lambda o: o.id):
        elsewhere = names | words(objective.title) | set().union(*(v for k, v in others.items() if k != objective.id))
        for kr in objective.key_results:
            unique = sorted(words(kr.title) - elsewhere)
            if unique:
                return unique[0], objective
    raise AssertionError("no KR word is unique to one objective in the demo")


def test_the_search_finds_an_objective_by_a_word_of_one_of_its_key_results(reader: Reader) -> None:
    word, objective = a_word_only_one_objective_has_in_its_krs()
    reader.open()
    reader.page.locator("body").press("/")  # mkdocs-material's shortcut to the search field
    search = reader.page.locator("input.md-search__input")
    assert search.evaluate("field => field === document.activeElement")
    search.press_sequentially(word)
    result = reader.page.locator(f".md-search-result__item a[href*='okrs/{objective.id}/']").first
    result.wait_for()
    reader.shoot("search")
    result.click()
    reader.at(objective_url(objective))
    assert word in reader.page.locator("ul.okr-krs").inner_text().lower()
    reader.assert_clean()


def test_the_edit_link_opens_the_objectives_file_in_the_repository(reader: Reader) -> None:
    objective = deepest_objective()
    reader.open(objective_url(objective))
    expected = f"{SETTINGS['repo_url'].rstrip('/')}/edit/main/{DEMO_OKRS.name}/{objective.where.path}"
    assert expected.endswith(f"okrs/{objective.team_id}/{objective.id}.md")
    assert reader.page.locator("a.okr-edit-link").get_attribute("href") == expected
    reader.assert_clean()


CONTRAST_SCRIPT = """
figure => {
  const rgba = value => {
    const match = /rgba?\\(([^)]*)\\)/.exec(value || "");
    if (!match) return null;
    const [r, g, b, a] = match[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r, g, b, a: a === undefined ? 1 : a};
  };
  const luminance = ({r, g, b}) => {
    const linear = v => (v /= 255) <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const ratio = (x, y) => {
    const [light, dark] = [luminance(x), luminance(y)].sort((p, q) => q - p);
    return (light + 0.05) / (dark + 0.05);
  };
  let page = null;
  for (let element = figure; element && !page; element = element.parentElement) {
    const colour = rgba(getComputedStyle(element).backgroundColor);
    if (colour && colour.a > 0) page = colour;
  }
  page = page || {r: 255, g: 255, b: 255, a: 1};
  const fillOf = group => {
    for (const shape of group.querySelectorAll("polygon, path, ellipse, rect")) {
      const colour = rgba(getComputedStyle(shape).fill);
      if (colour && colour.a > 0) return colour;
    }
    return null;
  };
  return [...figure.querySelectorAll("svg text")].filter(text => text.textContent.trim()).map(text => {
    const group = text.closest("g.node, g.cluster");
    const background = (group && fillOf(group)) || page;
    return {
      text: text.textContent.trim(),
      ratio: Math.round(ratio(rgba(getComputedStyle(text).fill), background) * 100) / 100,
      fill: getComputedStyle(text).fill,
      background: `rgb(${background.r}, ${background.g}, ${background.b})`,
    };
  });
}
"""


def unreadable_text(reader: Reader) -> list[dict[str, Any]]:
    figures = reader.page.locator("figure.okr-diagram").all()
    assert figures, "the page has no diagram"
    texts = [text for figure in figures for text in figure.evaluate(CONTRAST_SCRIPT)]
    assert texts, "the diagram has no text"
    return [text for text in texts if text["ratio"] < MIN_TEXT_CONTRAST]


def test_the_diagram_stays_readable_in_the_dark_palette(reader: Reader) -> None:
    team = DEMO.teams[deepest_objective().team_id]
    reader.open(f"teams/{team.id}/")
    reader.page.locator("figure.okr-diagram svg").first.wait_for()
    assert reader.page.locator("body").get_attribute("data-md-color-scheme") == "default"
    assert unreadable_text(reader) == []
    reader.page.locator("figure.okr-diagram").first.scroll_into_view_if_needed()
    reader.shoot("light")

    reader.page.locator("label.md-header__button[title='Switch to dark mode']").click()
    reader.page.locator("body[data-md-color-scheme='slate']").wait_for()
    assert unreadable_text(reader) == []
    reader.page.locator("figure.okr-diagram").first.scroll_into_view_if_needed()
    reader.shoot("dark")

    reader.open(objective_url(deepest_objective()))  # the choice is kept from page to page
    assert reader.page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert unreadable_text(reader) == []
    reader.assert_clean()


# -- hostile titles, in the browser --------------------------------------------------------

HOSTILE_OBJECTIVE = "grow-new-market-revenue"
HOSTILE_TITLE = 'Grow okrhostile <img src=x onerror=okrxss()> <script>okrxss()</script> "]; a -> b ['
RECORD_CALLS = "window.okrxss = () => { window.okrxssCalls = (window.okrxssCalls || 0) + 1; };"


@pytest.fixture(scope="module")
def hostile_base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo site with markup in an objective's title and one of its KRs."""
    root = tmp_path_factory.mktemp("browser-hostile")
    for name in ("mkdocs.yml", "site_src", "okrs", "overrides"):
        if (REPO / name).exists():
            (shutil.copytree if (REPO / name).is_dir() else shutil.copy2)(REPO / name, root / name)
    path = root / "okrs" / DEMO.objectives[HOSTILE_OBJECTIVE].where.path
    text = path.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    kr_title_line = next(line for line in text.splitlines() if line.strip().startswith("title:") and line != title_line)
    text = text.replace(title_line, f"title: {json.dumps(HOSTILE_TITLE)}", 1)
    text = text.replace(kr_title_line, kr_title_line.split("title:")[0] + f"title: {json.dumps(HOSTILE_TITLE)}", 1)
    path.write_text(text, encoding="utf-8")
    with serving(build_site(root / "mkdocs.yml")) as url:
        yield url


def test_markup_in_titles_runs_nowhere_not_even_in_search_results(
    browser: Any, hostile_base_url: str, screenshots: Path
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.add_init_script(RECORD_CALLS)
    tab = Reader(context.new_page(), hostile_base_url, screenshots, "hostile-titles")
    dialogs: list[str] = []
    tab.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        team = DEMO.objectives[HOSTILE_OBJECTIVE].team_id
        for url in (f"okrs/{HOSTILE_OBJECTIVE}/", f"teams/{team}/", "vision/", ""):
            tab.open(url)
            tab.page.wait_for_load_state("load")
            if url.startswith("okrs/"):
                assert HOSTILE_TITLE in tab.page.locator("h1").first.inner_text()
                tab.shoot("objective")
        tab.page.locator("body").press("/")
        tab.page.locator("input.md-search__input").press_sequentially("okrhostile")
        results = tab.page.locator(f".md-search-result__item a[href*='okrs/{HOSTILE_OBJECTIVE}/']").first
        results.wait_for()
        assert "<script>okrxss()</script>" in results.inner_text()
        tab.shoot("search")
        assert tab.page.evaluate("window.okrxssCalls || 0") == 0
        assert dialogs == []
        tab.assert_clean()
    finally:
        tab.shoot("end")
        context.close()


# -- diagrams that fit, accessible markup, the zoom view -------------------------------------

WIDTHS = (1400, 390)  # a desktop and a phone


def busiest_team() -> str:
    """The team with the most objectives of its own: the widest team diagram."""
    return max(DEMO.teams, key=lambda team_id: (len(DEMO.objectives_by_team.get(team_id, [])), team_id))


DIAGRAM_PAGES = {
    "vision": "vision/",
    "team": f"teams/{busiest_team()}/",
    "sales": "teams/sales/",
    "objective": objective_url(deepest_objective()),
}


@pytest.fixture
def open_tab(browser: Any, base_url: str, screenshots: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Open tabs of a given width and palette; each is checked for errors and closed."""
    contexts: list[Any] = []

    def open_one(width: int, scheme: str = "light", javascript: bool = True) -> Reader:
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            color_scheme=scheme,
            service_workers="block",
            java_script_enabled=javascript,
        )
        contexts.append(context)
        return Reader(context.new_page(), base_url, screenshots, f"{request.node.name}-{len(contexts)}")

    yield open_one
    for context in contexts:
        context.close()


FIT_SCRIPT = """
() => {
  const box = element => element.getBoundingClientRect();
  const figure = document.querySelector("figure.okr-diagram");
  const svg = figure.querySelector("svg");
  return {
    figure: box(figure).width,
    svg: box(svg).width,
    page: document.documentElement.scrollWidth,
    window: document.documentElement.clientWidth,
  };
}
"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("kind", sorted(DIAGRAM_PAGES))
def test_every_diagram_fits_its_column(open_tab: Any, kind: str, width: int) -> None:
    tab = open_tab(width)
    tab.open(DIAGRAM_PAGES[kind])
    tab.page.locator("figure.okr-diagram svg").first.wait_for()
    sizes = tab.page.evaluate(FIT_SCRIPT)
    assert sizes["svg"] <= sizes["figure"] + 0.5, sizes
    assert sizes["page"] <= sizes["window"], f"the page scrolls sideways: {sizes}"
    tab.page.locator("figure.okr-diagram").scroll_into_view_if_needed()
    tab.shoot(f"{kind}-{width}")
    tab.assert_clean()


OWN_NODES_SCRIPT = """
figure => {
  const frame = figure.getBoundingClientRect();
  return [...figure.querySelectorAll("g.okrdg-focus")].map(node => {
    const box = node.getBoundingClientRect();
    return {
      id: node.id,
      inside: box.left >= frame.left - 0.5 && box.right <= frame.right + 0.5 && box.width > 0,
      text_px: parseFloat(getComputedStyle(node.querySelector("text")).fontSize) * box.width / node.getBBox().width,
    };
  });
}
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_a_teams_own_objectives_are_inside_the_visible_figure(open_tab: Any, width: int) -> None:
    team = busiest_team()
    tab = open_tab(width)
    tab.open(f"teams/{team}/")
    figure = tab.page.locator("figure.okr-diagram").first
    figure.locator("svg").wait_for()
    own = figure.evaluate(OWN_NODES_SCRIPT)
    assert len(own) == len(DEMO.objectives_by_team[team])
    assert [node["id"] for node in own if not node["inside"]] == []
    tab.assert_clean()


TEXT_PX_SCRIPT = """
figure => Math.min(...[...figure.querySelectorAll("g.okrdg-focus text")].map(text =>
  parseFloat(getComputedStyle(text).fontSize) * text.getBoundingClientRect().height / text.getBBox().height))
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_a_diagram_shown_small_opens_on_the_pages_own_objectives(open_tab: Any, width: int) -> None:
    """Scaled below 0.9 of its natural size, the team diagram is cropped to the team's own
    objectives and their key results; a button (a keyboard control) shows the whole, and
    the zoom view always shows the whole."""
    team = "sales"
    tab = open_tab(width)
    tab.open(f"teams/{team}/")
    figure = tab.page.locator("figure.okr-diagram").first
    toggle = figure.locator(".okr-diagram__whole")
    toggle.wait_for()
    assert toggle.get_attribute("aria-pressed") == "false"
    whole = json.loads(figure.get_attribute("data-okr-whole") or "null")
    svg = figure.locator("svg")
    assert svg.get_attribute("viewBox") != whole[0]
    own = figure.evaluate(OWN_NODES_SCRIPT)
    assert len(own) == len(DEMO.objectives_by_team[team])
    assert [node["id"] for node in own if not node["inside"]] == []
    cropped_px = figure.evaluate(TEXT_PX_SCRIPT)
    assert not svg.locator("g.okrdg-vision").evaluate(
        "node => { const a = node.getBoundingClientRect(), f = node.closest('svg').getBoundingClientRect();"
        " return a.right > f.left && a.left < f.right && a.bottom > f.top && a.top < f.bottom; }"
    ), "the vision is outside the crop"

    toggle.focus()
    tab.page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert [svg.get_attribute(name) for name in ("viewBox", "width", "height")] == whole
    assert figure.evaluate(TEXT_PX_SCRIPT) < cropped_px  # the whole is drawn smaller
    tab.page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "false"

    figure.locator(".okr-diagram__zoom").click()
    dialog = tab.page.locator("dialog.okr-zoom[open]")
    dialog.wait_for()
    assert dialog.locator("svg").get_attribute("viewBox") == whole[0]
    tab.assert_clean()


AXE_SCRIPT = """
async selector => {
  const result = await axe.run(selector, {resultTypes: ["violations"]});
  return result.violations
    .filter(violation => ["serious", "critical"].includes(violation.impact))
    .map(violation => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 5).map(node => `${node.target.join(" ")}: ${node.failureSummary}`),
    }));
}
"""


def axe_violations(tab: Reader, selector: str = "article") -> list[dict[str, Any]]:
    """axe-core's serious and critical findings in okrdocs' markup: the page's article,
    or `selector`."""
    if not AXE.is_file():
        pytest.fail(
            f"the accessibility tests need axe-core at {AXE.relative_to(REPO)}: run "
            "'npm ci --prefix tests/browser' (scripts/dev test does it)",
            pytrace=False,
        )
    if not tab.page.evaluate("typeof axe !== 'undefined'"):
        tab.page.add_script_tag(path=str(AXE))
    return tab.page.evaluate(AXE_SCRIPT, selector)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["vision", "team", "objective"])
def test_axe_finds_no_serious_violation_in_okrdocs_pages(open_tab: Any, kind: str, scheme: str) -> None:
    tab = open_tab(1400, scheme)
    tab.open(DIAGRAM_PAGES[kind])
    tab.page.locator("figure.okr-diagram svg").first.wait_for()
    palette = tab.page.locator("body").get_attribute("data-md-color-scheme")
    assert palette == {"light": "default", "dark": "slate"}[scheme]
    assert axe_violations(tab) == []
    tab.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", ["periods/", "periods/2026-Q1/", "teams/sales/"])
def test_axe_finds_no_serious_violation_in_period_pages_and_folded_periods(
    open_tab: Any, url: str, scheme: str
) -> None:
    tab = open_tab(1400, scheme)
    tab.open(url)
    tab.page.locator("article h1").first.wait_for()
    for summary in tab.page.locator("details.okr-earlier > summary").all():
        summary.click()  # the earlier periods, unfolded
    assert axe_violations(tab) == []
    tab.assert_clean()


ZOOM_SCALE = "parseFloat((/scale\\(([\\d.]+)\\)/.exec(document.querySelector('dialog.okr-zoom svg').style.transform) || [0, 1])[1])"


def wait_for_zoom(tab: Reader, test: str) -> None:
    """Wait until the zoom view's scale passes `test` (Panzoom sets it on the next frame)."""
    tab.page.wait_for_function(f"{ZOOM_SCALE} {test}")


def test_the_zoom_view_opens_and_closes_by_keyboard(open_tab: Any) -> None:
    tab = open_tab(1400)
    tab.open(DIAGRAM_PAGES["team"])
    zoom = tab.page.locator("figure.okr-diagram .okr-diagram__zoom")
    zoom.wait_for()
    for _ in range(60):  # Tab through the page until the Zoom button has the focus
        tab.page.keyboard.press("Tab")
        if zoom.evaluate("button => button === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the Zoom button")
    tab.page.keyboard.press("Enter")
    dialog = tab.page.locator("dialog.okr-zoom[open]")
    dialog.wait_for()
    assert dialog.evaluate("dialog => dialog.contains(document.activeElement)")
    assert dialog.locator("svg").get_attribute("aria-label")
    assert tab.page.locator("[id]").evaluate_all("all => all.length - new Set(all.map(e => e.id)).size") == 0
    assert axe_violations(tab, "dialog.okr-zoom") == []

    tab.page.keyboard.press("+")
    tab.page.keyboard.press("+")
    wait_for_zoom(tab, "> 1.2")
    tab.page.keyboard.press("0")
    wait_for_zoom(tab, "=== 1")
    tab.page.keyboard.press("Escape")
    tab.page.locator("dialog.okr-zoom").wait_for(state="detached")
    assert zoom.evaluate("button => button === document.activeElement"), "the focus did not return to the Zoom button"
    tab.assert_clean()


def test_the_zoom_button_comes_with_each_page_material_announces(open_tab: Any) -> None:
    """mkdocs-material's instant navigation swaps a page's content in without loading it and
    announces it on its `document$` observable: the zoom script must hook that, not only
    DOMContentLoaded. Here the content is swapped and announced the way Material does."""
    tab = open_tab(1400)
    tab.open(DIAGRAM_PAGES["team"])
    tab.page.locator("figure.okr-diagram .okr-diagram__zoom").wait_for()
    swapped = """() => {
      const article = document.querySelector("article");
      const fresh = article.cloneNode(true);
      fresh.querySelectorAll(".okr-diagram__zoom").forEach(button => button.remove());
      article.replaceWith(fresh);
      document$.next(document);
      return document.querySelectorAll("figure.okr-diagram .okr-diagram__zoom").length;
    }"""
    assert tab.page.evaluate(swapped) == 1
    tab.page.locator("figure.okr-diagram .okr-diagram__zoom").click()
    tab.page.locator("dialog.okr-zoom[open]").wait_for()
    tab.assert_clean()


def test_on_a_phone_the_zoom_view_opens_on_the_teams_own_objectives(open_tab: Any) -> None:
    """At its natural size the diagram is wider than a phone: it opens where the team's
    own objectives are, not at its left edge (the vision)."""
    tab = open_tab(390)
    tab.open(DIAGRAM_PAGES["sales"])
    tab.page.locator("figure.okr-diagram .okr-diagram__zoom").click()
    dialog = tab.page.locator("dialog.okr-zoom[open]")
    dialog.wait_for()
    assert dialog.locator("svg").evaluate("svg => svg.getBoundingClientRect().width") > 390
    outside = dialog.evaluate(
        """dialog => [...dialog.querySelectorAll("g.okrdg-focus")]
             .map(node => node.getBoundingClientRect())
             .filter(box => box.left < 0 || box.right > window.innerWidth || box.bottom > window.innerHeight)
             .length"""
    )
    assert dialog.locator("g.okrdg-focus").count() == len(DEMO.objectives_by_team["sales"])
    assert outside == 0
    tab.shoot("zoomed-on-a-phone")
    tab.assert_clean()


def test_without_javascript_the_diagram_still_shows_scaled(open_tab: Any) -> None:
    tab = open_tab(390, javascript=False)
    tab.open(DIAGRAM_PAGES["vision"])
    figure = tab.page.locator("figure.okr-diagram").first.bounding_box()
    svg = tab.page.locator("figure.okr-diagram svg").first.bounding_box()
    assert figure is not None and svg is not None
    assert 0 < svg["width"] <= figure["width"] + 0.5
    assert tab.page.locator(".okr-diagram__zoom").count() == 0
    tab.assert_clean()


def test_focus_on_a_diagram_node_shows_a_ring_that_hover_does_not(open_tab: Any) -> None:
    tab = open_tab(1400)
    tab.open(DIAGRAM_PAGES["objective"])
    node = tab.page.locator("figure.okr-diagram svg a[href], figure.okr-diagram svg a[*|href]").first
    node.wait_for()
    outline = "a => getComputedStyle(a).outlineStyle"
    node.hover()
    assert node.evaluate(outline) == "none"
    node.focus()
    tab.page.keyboard.press("Shift+Tab")
    tab.page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
    assert tab.page.evaluate("document.activeElement.closest('svg') !== null")
    assert tab.page.evaluate(f"({outline})(document.activeElement)") == "solid"
    tab.assert_clean()


def test_screenshots_of_a_team_page_and_a_zoomed_diagram(open_tab: Any, screenshots: Path) -> None:
    """The README's pictures, from the demo site. Written to docs/images only with
    OKRDOCS_UPDATE_SCREENSHOTS=1, so an ordinary run never changes the repository."""
    folder = README_IMAGES if os.environ.get("OKRDOCS_UPDATE_SCREENSHOTS") == "1" else screenshots
    folder.mkdir(parents=True, exist_ok=True)
    tab = open_tab(1200)
    tab.page.set_viewport_size({"width": 1200, "height": 760})
    tab.open("teams/sales/")
    tab.page.locator("figure.okr-diagram svg").first.wait_for()
    tab.page.screenshot(path=str(folder / "team-page.png"))
    tab.page.locator("figure.okr-diagram .okr-diagram__zoom").click()
    tab.page.locator("dialog.okr-zoom[open]").wait_for()
    for _ in range(2):
        tab.page.keyboard.press("+")
    wait_for_zoom(tab, "> 1.2")
    tab.page.mouse.move(1, 759)  # no node under the pointer: no hover border in the picture
    tab.page.screenshot(path=str(folder / "zoomed-diagram.png"))
    for name in ("team-page.png", "zoomed-diagram.png"):
        assert (folder / name).stat().st_size < 400_000, f"{name} is too big for the README"
    tab.assert_clean()


PHONE_PAGES = ["vision/", "overview/", "teams/sales/", "periods/", "periods/2026-Q1/", DIAGRAM_PAGES["objective"]]

SIDEWAYS_SCRIPT = """
() => ({
  page: document.documentElement.scrollWidth,
  window: document.documentElement.clientWidth,
  brokenPills: [...document.querySelectorAll(".okr-status")].filter(pill => pill.getClientRects().length > 1).length,
})
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", PHONE_PAGES)
def test_on_a_phone_no_page_scrolls_sideways_and_no_status_pill_breaks(open_tab: Any, url: str, scheme: str) -> None:
    tab = open_tab(390, scheme)
    tab.open(url)
    tab.page.locator("article h1").first.wait_for()
    found = tab.page.evaluate(SIDEWAYS_SCRIPT)
    assert found["page"] <= found["window"], found
    assert found["brokenPills"] == 0
    tab.assert_clean()


def test_printing_shows_no_controls_light_colours_and_the_folded_periods(open_tab: Any) -> None:
    tab = open_tab(1400, "dark")
    tab.open("teams/sales/")
    tab.page.locator("figure.okr-diagram .okr-diagram__zoom").first.wait_for()
    folded = tab.page.locator("details.okr-earlier")
    assert folded.count() > 0 and not folded.first.evaluate("details => details.open")

    tab.page.emulate_media(media="print")

    assert not tab.page.locator(".okr-diagram__zoom").first.is_visible()
    ink = tab.page.evaluate("getComputedStyle(document.body).getPropertyValue('--okr-ink').trim()")
    assert ink == "#1f2328"  # the light palette's ink, in the dark palette too
    hidden_until_printed = folded.first.locator(":scope > :not(summary)").first
    assert hidden_until_printed.is_visible()
    tab.assert_clean()


def test_a_cropped_diagram_prints_whole(open_tab: Any) -> None:
    tab = open_tab(1400)
    tab.open("teams/sales/")
    figure = tab.page.locator("figure.okr-diagram").first
    figure.locator(".okr-diagram__whole").wait_for()
    whole = json.loads(figure.get_attribute("data-okr-whole") or "null")
    tab.page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert figure.locator("svg").get_attribute("viewBox") == whole[0]
    tab.page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert figure.locator("svg").get_attribute("viewBox") != whole[0]
    tab.assert_clean()
