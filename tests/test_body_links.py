"""Relative links in bodies lead where they lead on the forge: relative to the OKR file they
are written in. A link to an OKR file goes to its page, one to a file of docs_dir to that
page or file; one that leads to nothing published is a warning at its file and line."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import MINIMAL_ORGANISATION
from sitebuild import build_site, html_of, run_mkdocs, write_site

HELP_BODY = """
Why: customers wait too long.

See the [vision](../vision.md), the [company objective](../company/grow.md#key-results)
and [the teams](../teams.yml); our [guide](../../docs/guide.md) and
![the chart](../../docs/img/chart.png).

A [dead link](nowhere.md) and [another](../../docs/missing.md#x),
[outside](https://example.com/a.md), [here](#why) and [mail](mailto:a@example.com).
"""
HELP = textwrap.dedent(MINIMAL_ORGANISATION["support/help.md"]).lstrip("\n")
HELP_LINES = HELP.count("\n")
"""The lines of the front matter (the dedented file ends with `---` on this line)."""

TEAMS = (
    textwrap.dedent(MINIMAL_ORGANISATION["teams.yml"])
    .lstrip("\n")
    .replace(
        "    name: Acme\n",
        "    name: Acme\n"
        "    description: |\n"
        "      Everything starts from the [vision](vision.md).\n"
        "      Our [handbook](handbook.md) is elsewhere.\n",
        1,
    )
)


@pytest.fixture
def site_config(okr_folder: Callable[..., Path], tmp_path: Path) -> Path:
    okr_folder({"support/help.md": HELP + HELP_BODY, "teams.yml": TEAMS})
    config = write_site(
        tmp_path,
        okrs=None,
        plugin={"diagrams": False},
        docs={"index.md": "# Home\n", "guide.md": "# Guide\n", "img/chart.png": "not really a PNG"},
    )
    return config


def test_relative_links_in_bodies_lead_to_the_pages_of_the_files_they_name(site_config: Path) -> None:
    site = build_site(site_config, strict=False)
    help_page = html_of(site, "okrs/help/")
    hrefs = re.findall(r'<a href="([^"]*)">', help_page[help_page.index("Why: customers") :])
    assert hrefs[:9] == [
        "../../vision/",
        "../grow/#key-results",
        "../../teams/",
        "../../guide/",
        "nowhere.md",  # as written: the warning says so
        "../../docs/missing.md#x",
        "https://example.com/a.md",
        "#why",
        "mailto:a@example.com",
    ]
    assert '<img src="../../img/chart.png" alt="the chart" />' in help_page
    company = html_of(site, "teams/company/")
    assert '<a href="../../vision/">vision</a>' in company


def test_links_that_lead_nowhere_are_warnings_at_their_file_and_line(
    site_config: Path, okrdocs: Callable[..., Any]
) -> None:
    dead = HELP_LINES + 2 + 6  # the body starts after `---` and a blank line
    warning = "leads to no OKR file and no file in docs_dir: write the path relative to this file, or a full URL"
    expected = [
        f"okrs/support/help.md:{dead}: OKR406 the link '../../docs/missing.md#x' {warning}",
        f"okrs/support/help.md:{dead}: OKR406 the link 'nowhere.md' {warning}",
        f"okrs/teams.yml:6: OKR406 the link 'handbook.md' {warning}",
    ]
    run = okrdocs("check", "-f", "mkdocs.yml")
    assert (run.status, run.lines) == (0, expected)
    assert okrdocs("check", "-f", "mkdocs.yml", "--strict").status == 1
    built = run_mkdocs(site_config, "--strict")
    assert built.returncode == 1
    assert "WARNING -  okrdocs: " not in built.stderr or "OKR406" in built.stderr
    assert "okrs/support/help.md:" in built.stderr and "OKR406 the link 'nowhere.md'" in built.stderr
    assert run_mkdocs(site_config).returncode == 0
