"""okrdocs' own words follow `theme.language`: the demo built in every shipped language has
none of them left in English, dates are the locale's, an unknown language is English with
one info line, and the catalogs are what `scripts/dev translations` makes of the code."""

from __future__ import annotations

import html
import json
import logging
import re
import subprocess
import sys
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from conftest import MINIMAL_ORGANISATION, write_files
from okrdocs.core.domain.model import COMMITMENTS, STATUS_LABELS
from okrdocs.core.domain.problems import Severity
from okrdocs.core.history.closing import VERDICT_BANDS
from okrdocs.core.history.health import HEALTH_LABELS
from okrdocs.site.i18n import LABEL_MESSAGES, LOCALES_DIR, fallback_note, language_of, shipped_languages
from sitebuild import REPO, build_site, copy_demo_site, write_site

LANGUAGES = ("de", "es", "fr", "ja")
AS_OF = 1772712000  # 2026-03-05 12:00 UTC
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def _catalog(language: str):  # type: ignore[no-untyped-def]
    with (LOCALES_DIR / language / "LC_MESSAGES" / "okrdocs.po").open("rb") as file:
        return read_po(file)


def _translations(language: str) -> list[tuple[str, str]]:
    """(English, translation) for every message and plural form of `language`'s catalog."""
    pairs = []
    for message in _catalog(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(english, strings[min(i, len(strings) - 1)]) for i, english in enumerate(ids)]
    return pairs


def test_okrdocs_ships_german_french_spanish_and_japanese() -> None:
    assert shipped_languages() == LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_is_translated_and_the_compiled_catalog_is_up_to_date(language: str) -> None:
    catalog = _catalog(language)
    template_ids = {m.id for m in _template() if m.id}
    assert {m.id for m in catalog if m.id} == template_ids, "run scripts/dev translations"
    for message in catalog:
        if message.id:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(strings) and not message.fuzzy, message.id
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            for index, translated in enumerate(strings):  # French has three forms, Japanese one
                english = ids[min(index, len(ids) - 1)]
                assert not re.search(r"[<>&\"]", translated), message.id  # templates print them as markup
                assert set(_PLACEHOLDER.findall(translated)) <= set(_PLACEHOLDER.findall(english)), message.id
    compiled = BytesIO()
    write_mo(compiled, catalog)
    mo = LOCALES_DIR / language / "LC_MESSAGES" / "okrdocs.mo"
    assert mo.read_bytes() == compiled.getvalue(), "run scripts/dev translations"


def _template():  # type: ignore[no-untyped-def]
    with (LOCALES_DIR / "okrdocs.pot").open("rb") as file:
        return read_po(file)


def test_the_template_holds_every_word_the_code_marks(tmp_path: Path) -> None:
    """What `pybabel extract` finds in the templates and the code now is the committed .pot."""
    pot = tmp_path / "okrdocs.pot"
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import translations

        translations.extract(pot)
    finally:
        sys.path.remove(str(REPO / "scripts"))
    assert pot.read_text(encoding="utf-8") == (LOCALES_DIR / "okrdocs.pot").read_text(encoding="utf-8"), (
        "run scripts/dev translations"
    )


def test_the_labels_pages_print_are_marked_for_translation() -> None:
    """Statuses, healths, commitments, a closed period's verdicts and the coaching notes' severities."""
    verdicts = {verdict for _, verdict in VERDICT_BANDS}
    severities = {severity.value for severity in Severity}
    assert set(LABEL_MESSAGES) == {
        *STATUS_LABELS.values(),
        *HEALTH_LABELS.values(),
        *COMMITMENTS,
        *verdicts,
        *severities,
    }


@pytest.mark.parametrize(
    ("setting", "code"),
    [("de", "de"), ("de_AT", "de"), ("de-CH", "de"), ("fr", "fr"), ("ja", "ja"), ("en", "en"), (None, "en")],
)
def test_a_language_and_its_regional_variants_find_their_catalog(setting: str | None, code: str) -> None:
    language = language_of(setting)
    assert language.shipped and language.code == code and fallback_note(language) is None


def test_dates_are_written_as_the_locale_writes_them_and_iso_in_english() -> None:
    assert language_of("de").date(AS_OF) == "05.03.2026"
    assert language_of("fr").date(AS_OF) == "5 mars 2026"
    assert language_of("es").date(AS_OF) == format_date(html_date(AS_OF), format="medium", locale="es")
    assert language_of("ja").date(AS_OF) == "2026/03/05"
    assert language_of(None).date(AS_OF) == "2026-03-05"


# -- the demo in every language ---------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The demo site built with `theme.language` set to each shipped language, on one day."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(AS_OF))
        sites = {}
        for language in LANGUAGES:
            config = copy_demo_site(tmp_path_factory.mktemp(f"demo-{language}"))
            text = config.read_text(encoding="utf-8")
            config.write_text(text.replace("  name: material\n", f"  name: material\n  language: {language}\n", 1))
            sites[language] = build_site(config)
        yield sites


def _okrdocs_pages(site: Path) -> list[Path]:
    """The pages okrdocs generated (the demo's own Markdown pages are the site's words)."""
    pages = [site / "vision" / "index.html", site / "overview" / "index.html"]
    for folder in ("teams", "periods", "okrs"):
        pages += sorted((site / folder).rglob("index.html"))
    assert len(pages) > 50
    return pages


def _okrdocs_text(page: Path) -> str:
    """What a reader sees and hears of okrdocs' part of a page: the article's text, the
    title, tooltips and labels (the diagrams' too), and the words the script shows; less
    the coaching notes' findings, problems of `okrdocs check`, which stay English (their
    code and severity stay)."""
    source = _FINDING.sub(r"\1</li>", page.read_text(encoding="utf-8"))
    article = re.search(r"<article[^>]*>(.*)</article>", source, re.DOTALL)
    assert article, page
    inner = article.group(1)
    attributes = re.findall(r'\s(?:title|xlink:title|aria-label|data-okr-shown)="([^"]*)"', inner)
    words = [json.loads(html.unescape(w)) for w in re.findall(r'data-okr-words="([^"]*)"', inner)]
    text = re.sub(r"<[^>]+>", " ", inner)  # the diagrams' and charts' SVG text too
    shown = [text, *attributes, *(v for w in words for v in w.values())]
    return html.unescape("\n".join(shown))


_FINDING = re.compile(r'(<li><span class="okr-coaching__code">[^<]*</span>(?: \([^)<]*\))?) [^<]*</li>')


def _english_fragments(language: str, okr_text: str | None = None) -> set[str]:
    """The English words of okrdocs' messages that `language` says otherwise, split at
    placeholders; fragments its translations or the OKR files' text (the demo's unless
    given) also use are left out (the OKRs are English)."""
    pairs = _translations(language)
    translated = "\n".join(_PLACEHOLDER.sub(" ", t) for _, t in pairs)  # "Gewicht %(weight)s" has no "weight"
    if okr_text is None:
        okr_text = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "okrs").rglob("*") if p.is_file())
    fragments = set()
    for english, translation in pairs:
        if english == translation:
            continue
        for part in _PLACEHOLDER.split(english):
            part = part.strip(" .,:;()·→")
            if len(re.findall(r"[A-Za-z]", part)) < 3:
                continue
            if _has_words(translated, part) or _has_words(okr_text, part):
                continue
            fragments.add(part)
    return fragments


def _has_words(text: str, words: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(words)}(?![\w-])", text) is not None


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_demo_has_no_english_word_of_okrdocs_left(demo_sites: dict[str, Path], language: str) -> None:
    fragments = _english_fragments(language)
    assert len(fragments) > 80  # the check checks something
    left = {}
    for page in _okrdocs_pages(demo_sites[language]):
        text = _okrdocs_text(page)
        found = sorted(f for f in fragments if _has_words(text, f))
        if found:
            left[page.relative_to(demo_sites[language]).as_posix()] = found
    assert left == {}


# What the demo lacks: kinds of key result, a closed period, coaching notes that warn, an
# unconfirmed dependency. 2025-Q4 has closed by the build date (2026-03-05).
FEATURES = {
    "support/closed.md": """---
title: Answer in two more languages
team: support
period: 2025-Q4
parent: vision
commitment: committed
contributes_to: [sell-more#kr1]
key_results:
  - id: uptime
    title: Keep booking uptime between 99 and 99.9 percent
    kind: maintain
    min: 99
    max: 99.9
    current: 99.95
    unit: "%"
  - id: answers
    title: Keep first answers at 90 percent or more
    kind: maintain
    min: 90
    current: 85
    unit: "%"
  - id: tickets
    title: Keep open tickets at 40 or fewer
    kind: maintain
    max: 40
    unit: tickets
  - id: launch
    title: Open the Lisbon desk
    kind: milestone
    done: true
    weight: 2
  - id: hire
    title: Hire a Portuguese agent
    kind: milestone
    depends_on: [sales]
---
""",
    "sales/dream.md": """---
title: Sell in three new countries
team: sales
period: 2025-Q4
parent: vision
key_results:
  - id: kr1
    title: Sign 30 customers abroad
    start: 0
    target: 30
    current: 12
    depends_on: [support]
---
""",
    "support/confirm.md": """---
title: Answer the new customers abroad
team: support
period: 2025-Q4
parent: vision
contributes_to: [dream#kr1]
key_results:
  - id: kr1
    title: Answer 95 percent of them within a day
    progress: 0.5
---
""",
}


@pytest.fixture(scope="module")
def features_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """FEATURES built in English and in every shipped language, on one day."""
    rules = {"warn": ["OKR701", "OKR702", "OKR703", "OKR704", "OKR705", "OKR706", "OKR707"]}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(AS_OF))
        sites = {}
        for language in ("en", *LANGUAGES):
            root = tmp_path_factory.mktemp(f"features-{language}")
            write_files(root / "okrs", {**MINIMAL_ORGANISATION, **FEATURES})
            theme = {"theme": {"name": "material", "language": language}}
            config = write_site(root / "site", okrs=root / "okrs", config=theme, plugin={"rules": rules})
            sites[language] = build_site(config, strict=False)  # the coaching notes and a dependency warn
        yield sites


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_links_kinds_coaching_and_a_closed_period_have_no_english_word_of_okrdocs_left(
    features_sites: dict[str, Path], language: str
) -> None:
    english, site = features_sites["en"], features_sites[language]
    # What the pages have to say in another language is there in English.
    shown = {
        "okrs/closed": [
            "Coaching notes",
            "(warning)",
            "Contributes to",
            "weight 2",
            "Depends on",
            "below the band",
            "above the band",
            "band at most",
            "☑ done",
            "☐ not done",
            "Commitment",
            "committed",
        ],
        "okrs/dream": ["Helped by", "helps key result"],
        "okrs/sell-more": ["Helped by"],
        "teams/sales": ["Depended on by", "not confirmed yet", "Depends on", "confirmed by"],
        "periods/2025-Q4": ["Closed", "on average", "Committed objectives that closed below 100%", "Final"],
    }
    missing = {
        page: [w for w in words if w not in _okrdocs_text(english / page / "index.html")]
        for page, words in shown.items()
    }
    assert not any(missing.values()), missing
    # What the pages show of the OKR files: names, titles, the vision (not the field names).
    shown_okr_text = "\n".join(
        re.findall(
            r"^\s*-?\s*(?:title|name|vision): (.*)$", "\n".join({**MINIMAL_ORGANISATION, **FEATURES}.values()), re.M
        )
    )
    fragments = _english_fragments(language, shown_okr_text)
    assert {"weight", "Coaching notes", "Depended on by", "below the band", "committed"} <= fragments
    left = {}
    for page in [site / "overview" / "index.html", *sorted(site.glob("*/*/index.html"))]:
        found = sorted(f for f in fragments if _has_words(_okrdocs_text(page), f))
        if found:
            left[page.relative_to(site).as_posix()] = found
    assert left == {}


@pytest.mark.slow
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_demo_shows_the_translated_headings_titles_and_dates(demo_sites: dict[str, Path], language: str) -> None:
    _ = language_of(language).gettext
    site = demo_sites[language]
    overview = (site / "overview" / "index.html").read_text(encoding="utf-8")
    assert f"<h1>{_('Overview')}</h1>" in overview
    assert f'<h2 id="okr-attention">{_("Needs attention")}</h2>' in overview
    assert f"<title>{html.escape(_('Overview'), quote=False)} - " in overview
    day = format_date(html_date(AS_OF), format="medium", locale=language)
    assert f'<time datetime="2026-03-05">{day}</time>' in overview
    objective = (site / "okrs" / "become-leading-ev-dealership" / "index.html").read_text(encoding="utf-8")
    assert f'<h2 id="okr-key-results">{_("Key results")}</h2>' in objective
    assert f'<ul class="okr-legend" aria-label="{_("Legend")}">' in objective
    words = re.search(r'<figcaption data-okr-words="([^"]*)"', objective)
    assert words and json.loads(html.unescape(words.group(1)))["whole"] == _("Show the whole diagram")  # okrdocs.js
    vision = (site / "vision" / "index.html").read_text(encoding="utf-8")
    assert f'<h2 id="okr-company-objectives">{_("Company objectives")}</h2>' in vision


def html_date(timestamp: int):  # type: ignore[no-untyped-def]
    from datetime import datetime, timezone

    return datetime.fromtimestamp(timestamp, timezone.utc).date()


@pytest.mark.slow
def test_okrdocs_generate_makes_the_pages_the_plugin_makes_in_german(demo_sites: dict[str, Path]) -> None:
    root = demo_sites["de"].parent
    okrdocs = Path(sys.executable).with_name("okrdocs")
    done = subprocess.run(
        [okrdocs, "generate", "--out", "site_src/okrs-generated"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={"SOURCE_DATE_EPOCH": str(AS_OF), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    generated = (root / "site_src" / "okrs-generated" / "overview.md").read_text(encoding="utf-8")
    built = (demo_sites["de"] / "overview" / "index.html").read_text(encoding="utf-8")
    assert generated.startswith('---\ntitle: "\\u00dcbersicht"\n') or 'title: "Übersicht"' in generated
    headings = re.compile(r'<h[123][^>]*id="okr-[^"]*"[^>]*>.*?</h[123]>|<h1>.*?</h1>', re.DOTALL)
    assert headings.findall(generated) == headings.findall(built)
    assert 'class="okr-intro"' in generated
    intro = re.compile(r'<p class="okr-intro">.*?</p>', re.DOTALL)
    hrefs = re.compile(r' href="[^"]*"')  # generate links to the Markdown files, the build to URLs
    assert [hrefs.sub("", p) for p in intro.findall(generated)] == [hrefs.sub("", p) for p in intro.findall(built)]


def test_an_unknown_language_is_english_with_one_info_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(AS_OF))
    config = write_site(tmp_path, config={"theme": {"name": "material", "language": "pt"}}, plugin={"diagrams": False})
    with caplog.at_level(logging.INFO):
        site = build_site(config)  # --strict: the note is no warning
    notes = [r for r in caplog.records if "no translation" in r.getMessage()]
    assert [(r.levelno, r.getMessage()) for r in notes] == [
        (
            logging.INFO,
            "okrdocs: okrdocs has no translation for theme.language 'pt': its own words are English "
            "(languages: en, de, es, fr, ja; CONTRIBUTING.md says how to add one)",
        )
    ]
    overview = (site / "overview" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Overview</h1>" in overview and "Needs attention" in overview
    assert '<time datetime="2026-03-05">2026-03-05</time>' in overview


def test_the_check_in_report_has_its_headings_and_dates_in_the_sites_language(
    tmp_path: Path, okrdocs, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(AS_OF))
    write_site(tmp_path, config={"theme": {"name": "material", "language": "de"}})
    markdown = okrdocs("report", "--format", "markdown", "--period", "2026-Q1")
    assert markdown.status == 0, markdown.err
    lines = markdown.out.splitlines()
    assert lines[0] == "## OKR-Check-in für 2026-Q1, Stand 05.03.2026 (veraltet nach 30 Tagen)"
    assert "| Ziel | Verantwortlich | Bewertung | Status | Aktualisiert |" in lines
    headings = [re.sub(r" \(\d+\)$", "", line) for line in lines if line.startswith("### ")]
    assert headings[-3:] == ["### Veraltete Ziele", "### Gefährdet oder nicht im Plan", "### Hinter dem Zeitplan"]
    text = okrdocs("report", "--period", "2026-Q1")
    assert text.out.startswith("OKR-Check-in für 2026-Q1, Stand 05.03.2026")
    assert [line for line in text.out.splitlines() if re.fullmatch(r"Veraltet \(\d+\):", line)]


@pytest.mark.slow
def test_switching_the_language_renders_every_page_and_diagram_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page and diagram caches kept in the cache folder key on the language."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(AS_OF))
    config = write_site(tmp_path)
    english = (build_site(config) / "vision" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Vision</h1>" in english and 'xlink:title="serves the vision"' in english
    settings = config.read_text(encoding="utf-8").replace("name: material", "name: material\n  language: fr")
    config.write_text(settings, encoding="utf-8")
    french = (build_site(config) / "vision" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="okr-company-objectives">Objectifs de l\'entreprise</h2>' in french
    assert 'xlink:title="sert la vision"' in french and "serves the vision" not in french
