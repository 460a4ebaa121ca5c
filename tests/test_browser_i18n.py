"""okrdocs.js speaks the site's language (issue 25.4): the demo built in German, in a real
Chromium. The diagram's buttons, the zoom view's controls and hint, and the overview's
filter count take their words from the page, which the templates wrote in German."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from test_browser import (  # noqa: F401  (fixtures; open_tab opens this module's base_url)
    browser,
    open_tab,
    screenshots,
    serving,
)

from gitrepo import MAR_15
from sitebuild import build_site, copy_demo_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    config_file = copy_demo_site(tmp_path_factory.mktemp("german-demo"))
    text = config_file.read_text(encoding="utf-8")
    config_file.write_text(text.replace("  name: material\n", "  name: material\n  language: de\n", 1))
    with pytest.MonkeyPatch.context() as env:  # module-scoped: conftest's build date is not set yet
        env.setenv("SOURCE_DATE_EPOCH", str(MAR_15))
        site = build_site(config_file)
    with serving(site) as url:
        yield url


def test_the_diagram_controls_and_the_zoom_view_are_german(open_tab: Any) -> None:
    tab = open_tab(1400)
    tab.open("teams/sales/")
    zoom = tab.page.locator("figure.okr-diagram .okr-diagram__zoom")
    zoom.wait_for()
    assert zoom.text_content() == "Vergrößern"
    zoom.click()
    dialog = tab.page.locator("dialog.okr-zoom[open]")
    dialog.wait_for()
    assert (dialog.get_attribute("aria-label") or "").startswith("Vergrößertes Diagramm: ")
    tools = dialog.locator(".okr-zoom__tool").evaluate_all("all => all.map(b => b.getAttribute('aria-label'))")
    assert tools == ["Vergrößertes Diagramm schließen", "Hineinzoomen", "Herauszoomen", "Zoom zurücksetzen"]
    assert (dialog.locator(".okr-zoom__hint").text_content() or "").startswith("Mausrad")
    tab.page.keyboard.press("Escape")
    tab.page.locator("dialog.okr-zoom").wait_for(state="detached")
    tab.assert_clean()


def test_the_overview_counts_the_shown_objectives_in_german(open_tab: Any) -> None:
    tab = open_tab(1400)
    tab.open("overview/#team=sales")
    output = tab.page.locator("form.okr-filter output")
    output.wait_for()
    shown = tab.page.locator("table.okr-overview-table tbody tr:not([hidden])").count()
    total = tab.page.locator("table.okr-overview-table tbody tr").count()
    assert output.text_content() == f"{shown} von {total} Zielen angezeigt"
    tab.assert_clean()
