"""The generated pages: where each one lives, and the HTML its template makes.

Each generated page's Markdown is empty; the plugin gives it its title and replaces the
HTML MkDocs makes of it with the page's Jinja template, which lays out the cascade around the body
the authors wrote (rendered by `text.block_html`, without raw HTML). Templates are looked up under `okrdocs/` in the
theme's folders, so a site overrides one by putting `okrdocs/<name>.html` in its
theme's `custom_dir`.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypedDict

import jinja2
from markupsafe import Markup, escape

from ..core.domain.cascade import Cascade
from ..core.domain.model import COMMITMENTS, STATUS_LABELS, KeyResult, Objective, Period, number_text, percent
from ..core.domain.problems import Problem, Severity
from ..core.history import closing
from ..core.history.health import HEALTH_LABELS
from ..core.history.timeline import Timeline, group_by_period, iso_date, iso_datetime, periods_of
from .body_links import LinkTargets, body_source
from .i18n import Language

# Where pages live has its own module; front ends import these names from here too.
from .layout import SECTION_OF as SECTION_OF
from .layout import TOP_KINDS as TOP_KINDS
from .layout import Layout as Layout
from .layout import OkrPage as OkrPage
from .layout import PageKind as PageKind
from .overview import ATTENTION_LIMIT, overview
from .text import NOT_A_TEMPLATE, block_html, inline_html, jinja_inert, link_text_html, plain_text
from .trends import chart_window, sparkline, trend_chart
from .urls import relative_url

TEMPLATES_DIR = Path(__file__).parent / "templates"
ASSETS_DIR = Path(__file__).parent / "assets"
STYLESHEETS = ("okrdocs.css",)
SCRIPTS = ("panzoom.min.js", "tablesort.min.js", "tablesort.number.min.js", "okrdocs.js")
"""The files of ASSETS_DIR every generated page loads, in order: the zoom view
(okrdocs.js) needs Panzoom first, the overview's sorting tablesort and its number
sort. Bundled, so the site works offline."""
DIAGRAM_KINDS = frozenset({"vision", "team", "objective"})
"""The kinds of page that carry an alignment diagram."""
LISTED_KINDS = frozenset(TOP_KINDS)
"""The kinds of page that go into the navigation: one page each, not thousands."""
DIAGRAM_PLACEHOLDER = "<!-- okrdocs:diagram -->"
"""Templates print this where the diagram goes; the plugin puts the SVG and its legend
there in the finished page, so search plugins never parse tens of kilobytes of SVG
and the same legend on every page."""
FIGURE_CAPTION_ID = "okr-diagram-caption"
FIGURE_TEXT_ID = "okr-diagram-text"
"""The ids `_macros.diagram_figure` gives the caption and the pointer to the same facts in
text; `figure_svg` names and describes the SVG with them."""
_TOC_HEADING = re.compile(r'<h([234]) id="(okr-[^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
TRENDS_PLACEHOLDER = "<!-- okrdocs:trends -->"
"""Where an objective page's trend charts go; put in like the diagram, for the same reason:
thousands of small SVGs would go through the search plugin's HTML parser and index."""


def page_title(page: OkrPage, cascade: Cascade, language: Language = Language()) -> str:
    """The plain-text title MkDocs shows in the nav, the browser tab and search."""
    _ = language.gettext
    if page.kind == "vision":
        return _("Vision")
    if page.kind == "teams":
        return _("Teams")
    if page.kind == "overview":
        return _("Overview")
    if page.kind == "team":
        return cascade.teams[page.key].name
    if page.kind == "periods":
        return _("Periods")
    if page.kind == "period":
        return page.key
    return plain_text(cascade.objectives[page.key].title)


def page_body(page: OkrPage, cascade: Cascade) -> str:
    """The Markdown people wrote for the page: the vision's narrative, a team's
    description or an objective's body."""
    if page.kind == "vision" and cascade.repository.vision is not None:
        return cascade.repository.vision.body
    if page.kind == "team":
        return cascade.teams[page.key].description or ""
    if page.kind == "objective":
        return cascade.objectives[page.key].body
    return ""


def page_title_html(page: OkrPage, cascade: Cascade, language: Language = Language()) -> str:
    """The title as themes print it: unescaped, like the HTML of MkDocs' own heading titles.

    The plugin sets it as the page's `meta["title"]`, not as front matter, which MkDocs
    would parse with PyYAML's pure-Python loader for every page; a Jinja plugin that renders
    titles finds no template in it (`jinja_inert`).
    """
    return jinja_inert(html.escape(page_title(page, cascade, language), quote=False))


LISTING_KINDS: frozenset[PageKind] = frozenset({"overview", "period"})
"""Pages that list every objective of the organisation or of a period, each of which has
a page of its own: left out of the search index (`page_metadata`)."""


def page_metadata(page: OkrPage) -> dict[str, object]:
    """A generated page's metadata besides its title and tags: mkdocs-macros' opt-out
    (`NOT_A_TEMPLATE`), and for the listing pages Material's `search: {exclude: true}`, so a
    search finds an objective on its own page rather than in a table of a thousand rows
    (and a live preview does not index that table again for every edit)."""
    if page.kind in LISTING_KINDS:
        return {"search": {"exclude": True}, **NOT_A_TEMPLATE}
    return dict(NOT_A_TEMPLATE)


def page_tags_html(page: OkrPage, cascade: Cascade) -> list[str]:
    """An objective's `tags` as the page's tags (Material's tags plugin lists the page under
    each), escaped like the title: themes print tag names into HTML unescaped."""
    if page.kind != "objective":
        return []
    return [jinja_inert(html.escape(tag)) for tag in cascade.objectives[page.key].tags]


class Links:
    """Hrefs from one page to the others, right for any `use_directory_urls` or sub-path.

    `team_link` and `objective_link` make the links pages repeat most; they are Python,
    not Jinja macros, because a team page of a large organisation calls them thousands
    of times.
    """

    def __init__(self, urls: dict[OkrPage, str], page_url: str, cascade: Cascade | None = None) -> None:
        self._urls = urls
        self._page_url = page_url
        self._cascade = cascade

    @property
    def page_url(self) -> str:
        """The URL (from the site root) of the page the links are on."""
        return self._page_url

    def _href(self, page: OkrPage) -> str | None:
        url = self._urls.get(page)
        return None if url is None else relative_url(url, self._page_url)

    def vision(self) -> str | None:
        return self._href(OkrPage("vision"))

    def teams(self) -> str | None:
        return self._href(OkrPage("teams"))

    def overview(self) -> str | None:
        return self._href(OkrPage("overview"))

    def team(self, team_id: str | None) -> str | None:
        return self._href(OkrPage("team", team_id)) if team_id else None

    def objective(self, objective: Objective) -> str | None:
        return self._href(OkrPage("objective", objective.id))

    def periods(self) -> str | None:
        return self._href(OkrPage("periods"))

    def period(self, period: Period | str) -> str | None:
        return self._href(OkrPage("period", str(period)))

    def key_result(self, objective: Objective, kr: KeyResult) -> str | None:
        href = self.objective(objective)
        return f"{href}#okr-kr-{kr.id}" if href is not None else None

    def team_link(self, team_id: str | None) -> Markup:
        team = self._cascade.teams.get(team_id) if self._cascade and team_id else None
        if team is None:
            return escape(team_id or "")
        # f-strings with escape(): Markup.format goes through string.Formatter (benchmarks/RESULTS.md).
        return Markup(f'<a class="okr-team" href="{escape(self.team(team_id))}">{escape(team.name)}</a>')

    def objective_link(self, objective: Objective) -> Markup:
        return Markup(f'<a href="{escape(self.objective(objective))}">{link_text_html(objective.title)}</a>')


def score_html(score: float | None, expected: float | None = None, language: Language = Language()) -> Markup:
    """A score as one element: its text, with a bar drawn by CSS from `--okr-score`; with
    `expected` (a current objective's share of its period passed), a mark on the bar at
    `--okr-expected` and the same in words for screen readers and on hover."""
    if score is None:
        unknown = escape(language.gettext("no score yet"))
        return Markup(f'<span class="okr-score okr-score--unknown" title="{unknown}">–</span>')
    text = percent(score)
    if expected is None:
        return Markup(f'<span class="okr-score" style="--okr-score:{text}">{text}</span>')
    pace = escape(language.gettext("expected by now: %(expected)s") % {"expected": percent(expected)})
    return Markup(
        f'<span class="okr-score okr-score--paced" style="--okr-score:{text};--okr-expected:{expected:.3f}" '
        f'title="{pace}">{text}<span class="okr-sr-only"> ({pace})</span></span>'
    )


def measure(value: float | None, unit: str | None) -> str:
    """`2.5%`, `3 associates`: symbols stick to the number, words get a space."""
    if value is None:
        return "–"
    number = number_text(value)
    if not unit:
        return number
    return f"{number}{unit}" if len(unit) <= 2 and not unit.isalpha() else f"{number} {unit}"


def _printed(value: Any) -> Any:
    """What a template prints for `{{ value }}`: Jinja-inert, so no OKR text on a page, in a
    generated Markdown file or in a template's output is a template for a later pass. The
    templates' own text is left as it is.

    Autoescape escapes what this returns; a value with a brace is escaped here, before its
    braces become references (a Markup value, such as a rendered body or a link, is HTML
    already). Most values hold no brace and pass as they are: this runs for every `{{ }}`.
    """
    if not isinstance(value, str):
        value = escape(value)  # a Period, a number: as autoescape prints it
    if "{" not in value and "}" not in value:
        return value
    return Markup(jinja_inert(escape(value)))


def _gettext(language: Language, message: str, **variables: Any) -> Markup:
    """`_()` in a template: the translation as markup (autoescape escapes `variables`)."""
    text = Markup(language.gettext(message))
    return text % variables if variables else text


def _ngettext(language: Language, singular: str, plural: str, num: int, **variables: Any) -> Markup:
    """`ngettext()` in a template: the form for `num`, which `%(num)d` prints."""
    variables.setdefault("num", num)
    return Markup(language.ngettext(singular, plural, num)) % variables


def make_environment(theme_dirs: list[str], language: Language = Language()) -> jinja2.Environment:
    """Our templates behind the theme's folders, so `custom_dir/okrdocs/*.html` wins, with
    okrdocs' own words in `language` (`_()` and `ngettext()` in the templates)."""
    loader = jinja2.FileSystemLoader([*theme_dirs, str(TEMPLATES_DIR)])
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        finalize=_printed,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
    # The extension's callables go through Jinja's context twice a call; these are its
    # newstyle ones without that (a team page of a large organisation makes thousands).
    env.globals.update(_=partial(_gettext, language), gettext=partial(_gettext, language))
    env.globals["ngettext"] = partial(_ngettext, language)
    env.filters["inline"] = lambda text: Markup(inline_html(text or ""))
    env.filters["block"] = lambda text: Markup(block_html(text or "", top_heading=3))  # under an <h2>
    env.filters["link_text"] = lambda text: Markup(link_text_html(text or ""))
    env.filters["plain"] = lambda text: plain_text(text or "")
    env.filters["percent"] = percent
    env.filters["first_upper"] = lambda text: text[:1].upper() + text[1:]  # `capitalize` lowers the rest
    env.filters["measure"] = measure
    env.filters["score"] = partial(score_html, language=language)
    env.filters["iso_date"] = iso_date
    env.filters["iso_datetime"] = iso_datetime
    env.filters["local_date"] = language.date
    env.globals["by_period"] = group_by_period
    env.globals["sparkline"] = partial(sparkline, language=language)
    env.globals["trend_chart"] = partial(trend_chart, language=language)
    env.globals["chart_window"] = chart_window
    env.globals["status_labels"] = language.labels(STATUS_LABELS)
    env.globals["health_labels"] = language.labels(HEALTH_LABELS)
    env.globals["commitment_labels"] = language.labels({commitment: commitment for commitment in COMMITMENTS})
    env.globals["verdict_labels"] = language.labels({verdict: verdict for _, verdict in closing.VERDICT_BANDS})
    env.globals["severity_labels"] = language.labels({severity.value: severity.value for severity in Severity})
    env.globals["period_closed"] = closing.is_closed
    env.globals["final_score"] = closing.final_score
    env.globals["close_of"] = closing.close_of
    env.globals["okr_language"] = language
    env.globals["diagram_words"] = partial(diagram_words, language)
    return env


def diagram_words(language: Language) -> dict[str, str]:
    """The words okrdocs.js puts on a diagram's controls and zoom view, in `language`; the
    template gives them to the script on each figure (`data-okr-words`)."""
    _ = language.gettext
    return {
        "zoom": _("Zoom"),
        "whole": _("Show the whole diagram"),
        "zoomed": _("Zoomed diagram"),
        "diagram": _("Diagram"),
        "hint": _("Wheel, pinch or + and - to zoom; drag or arrow keys to move; 0 to reset; Esc to close."),
        "close": _("Close the zoomed diagram"),
        "closeText": _("Close"),
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "reset": _("Reset the zoom"),
        "resetText": _("Reset"),
    }


@dataclass
class PageContext:
    """Everything a template needs for one page."""

    page: OkrPage
    cascade: Cascade
    links: Links
    has_diagram: bool = False
    edit_url: str | None = None
    problems: tuple[Problem, ...] = ()
    time: Timeline | None = None
    """The build's date, current period and history; None: today, the current quarter, no history."""
    body_links: LinkTargets | None = None
    """Where relative links in the body lead; None: as written."""

    def _body_html(self) -> str:
        source = body_source(self.page, self.cascade)
        targets = self.body_links
        rewrite = None
        if targets is not None and source is not None:
            page_url = self.links.page_url

            def rewrite(href: str) -> str | None:
                return targets.href(source[0], href, page_url)

        return block_html(page_body(self.page, self.cascade), self._top_heading, rewrite)

    @property
    def _top_heading(self) -> int:
        """Objective bodies sit under an `<h2>` ("Why"); the others right under the `<h1>`."""
        return 3 if self.page.kind == "objective" else 2

    def as_dict(self) -> dict[str, Any]:
        cascade = self.cascade
        context: dict[str, Any] = {
            "cascade": cascade,
            "links": self.links,
            "body": Markup(self._body_html()),
            "diagram": Markup(DIAGRAM_PLACEHOLDER) if self.has_diagram else None,
            "edit_url": self.edit_url,
            "problems": self.problems,
            "vision": cascade.repository.vision,
            "time": self.time or Timeline.today(),
            "trends": Markup(TRENDS_PLACEHOLDER),
        }
        if self.page.kind == "team":
            context["team"] = cascade.teams[self.page.key]
        elif self.page.kind == "objective":
            context["objective"] = cascade.objectives[self.page.key]
        elif self.page.kind == "periods":
            counts = Counter(o.period for o in cascade.objectives.values() if o.period is not None)
            context["periods"] = [(period, counts[period]) for period in periods_of(counts)]
        elif self.page.kind == "period":
            context.update(_period_context(cascade, self.page.key))
        elif self.page.kind == "overview":
            context["overview"] = overview(cascade, context["time"])
            context["attention_limit"] = ATTENTION_LIMIT
        return context


def _period_context(cascade: Cascade, label: str) -> dict[str, Any]:
    """A period's objectives, grouped by team: teams by name, objectives by id."""
    period = Period.parse(label)
    objectives = sorted((o for o in cascade.objectives.values() if o.period == period), key=lambda o: o.id)
    by_team: dict[str, list[Objective]] = defaultdict(list)
    for objective in objectives:
        by_team[objective.team_id or ""].append(objective)

    def team_order(team_id: str) -> tuple[str, str]:
        team = cascade.teams.get(team_id)
        return ((team.name if team else team_id).casefold(), team_id)

    return {
        "period": period,
        "objectives": objectives,
        "teams": [(t, by_team[t]) for t in sorted(by_team, key=team_order)],
    }


def render_legend(env: jinja2.Environment) -> str:
    return env.get_template("okrdocs/_legend.html").render()


def render_trends(env: jinja2.Environment, context: PageContext) -> str:
    """The trend charts that replace TRENDS_PLACEHOLDER on an objective page."""
    objective = context.cascade.objectives[context.page.key]
    time = context.time or Timeline.today()
    return env.get_template("okrdocs/trends.html").render(time=time, objective=objective)


def insert_trends(page_html: str, env: jinja2.Environment, context: PageContext) -> str:
    """The page with its trend charts where its template left TRENDS_PLACEHOLDER."""
    if TRENDS_PLACEHOLDER not in page_html:
        return page_html
    return page_html.replace(TRENDS_PLACEHOLDER, render_trends(env, context), 1)


def render_page(env: jinja2.Environment, context: PageContext) -> str:
    template = env.get_template(f"okrdocs/{context.page.kind}.html")
    return template.render(context.as_dict())


def figure_svg(svg: str) -> str:
    """The diagram's SVG as an image with a name (the figure's caption) and a description
    (the pointer to the list that says the same in text), for screen readers.

    Added when the SVG goes into the page, not when it is laid out, so the cached SVGs do
    not depend on the template's ids.
    """
    attributes = f'<svg role="img" aria-labelledby="{FIGURE_CAPTION_ID}" aria-describedby="{FIGURE_TEXT_ID}" '
    return svg.replace("<svg ", attributes, 1)


def insert_diagram(page_html: str, svg: str, legend: str) -> str:
    """The page with its diagram and legend where its template left DIAGRAM_PLACEHOLDER,
    the same for every front end (the plugin after search has indexed the page, `generate`
    at once). The SVG's labels and tooltips are OKR text, so it is made Jinja-inert too."""
    return page_html.replace(DIAGRAM_PLACEHOLDER, jinja_inert(figure_svg(svg)) + legend, 1)


class TocEntry(TypedDict):
    level: int
    id: str
    name: str
    children: list[TocEntry]


def toc_entries(page_html: str) -> list[TocEntry]:
    """The page's `<h2>` sections with their `<h3>`s and `<h4>`s (the objectives of a period
    on team and vision pages), in the shape MkDocs' `get_toc` reads.

    MkDocs builds a page's table of contents from its Markdown, and a generated page's
    Markdown is empty: without these entries mkdocs-material shows no table of contents.
    Only headings the templates give an `okr-` id count, so an overriding template's
    sections appear when it follows the same rule.
    """
    entries: list[TocEntry] = []
    for level, anchor, inner in _TOC_HEADING.findall(page_html):
        entry: TocEntry = {"level": int(level), "id": anchor, "name": _TAG.sub("", inner).strip(), "children": []}
        if entry["level"] == 2:
            entries.append(entry)
        elif entries:
            parent = entries[-1]
            if entry["level"] == 4 and parent["children"] and parent["children"][-1]["level"] == 3:
                parent = parent["children"][-1]
            parent["children"].append(entry)
    return entries
