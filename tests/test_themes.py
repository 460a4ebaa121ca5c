"""The demo with other themes than mkdocs-material: mkdocs-materialx, Backstage TechDocs and
MkDocs' own theme with no Material installed at all.

materialx and TechDocs' pinned Material each install a `material` package, so each
builds in a venv of its own (`scripts/dev test` makes them from requirements/*.lock);
the build runs there as a user runs it, `mkdocs build --strict`.
"""

from __future__ import annotations

import html
import subprocess
from pathlib import Path

import pytest
import yaml

from okrdocs import check_folder
from sitebuild import DEMO_OKRS, QUIET, broken_links, copy_demo_site, html_of, side_venv

DEMO = check_folder(DEMO_OKRS).cascade

pytestmark = pytest.mark.slow


def _build(python: Path, config_file: Path) -> Path:
    done = subprocess.run(
        [python, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)],
        capture_output=True,
        text=True,
        env={**QUIET, "PATH": "/usr/bin:/bin", "HOME": str(config_file.parent)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return config_file.parent / "site"


def _installed(python: Path, distribution: str) -> bool:
    script = f"import importlib.metadata as m\ntry: m.version({distribution!r})\nexcept m.PackageNotFoundError: raise SystemExit(1)"
    return subprocess.run([python, "-c", script], check=False).returncode == 0


def _assert_the_demo(site: Path) -> None:
    """Every OKR page with its heading and diagram, and no broken link anywhere."""
    assert "<h1>Vision</h1>" in html_of(site, "vision/")
    assert "<svg" in html_of(site, "vision/")
    for team_id, team in DEMO.teams.items():
        page = html_of(site, f"teams/{team_id}/")
        assert f"<h1>{html.escape(team.name, quote=False)}</h1>" in page and "<svg" in page, team_id
    for objective_id in DEMO.objectives:
        assert "<svg" in html_of(site, f"okrs/{objective_id}/"), objective_id
    assert broken_links(site) == []


def test_the_demo_builds_with_mkdocs_materialx(tmp_path: Path) -> None:
    python = side_venv("materialx")
    # okrdocs no longer pulls mkdocs-material in, which would overwrite materialx's files.
    assert _installed(python, "mkdocs-materialx") and not _installed(python, "mkdocs-material")
    config_file = copy_demo_site(tmp_path)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["theme"]["name"] = "materialx"  # its entry point; the files sit in `material/`
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    site = _build(python, config_file)
    _assert_the_demo(site)
    assert "md-typeset" in html_of(site, "teams/sales/")  # Material's page layout


def test_the_demo_builds_inside_a_techdocs_site(tmp_path: Path) -> None:
    python = side_venv("techdocs")
    copy_demo_site(tmp_path)
    # A TechDocs site's mkdocs.yml: techdocs-core picks the theme (its pinned Material).
    config = {"site_name": "Northwind Motors OKRs", "docs_dir": "site_src", "plugins": ["techdocs-core", "okrdocs"]}
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    site = _build(python, config_file)
    _assert_the_demo(site)
    assert (site / "techdocs_metadata.json").is_file()


def test_the_mkdocs_theme_needs_no_material_at_all(tmp_path: Path) -> None:
    # The Zensical venv holds okrdocs and MkDocs but no `material` package.
    python = side_venv("zensical", python=(3, 11))
    assert not _installed(python, "mkdocs-material") and not _installed(python, "mkdocs-materialx")
    config_file = copy_demo_site(tmp_path)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["theme"] = {"name": "mkdocs"}
    config_file.write_text(yaml.safe_dump(config), encoding="utf-8")
    _assert_the_demo(_build(python, config_file))
