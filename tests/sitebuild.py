"""Build real MkDocs sites in a temporary folder, and check every link in the output."""

from __future__ import annotations

import html.parser
import importlib.util
import os
import posixpath
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

REPO = Path(__file__).resolve().parents[1]
DEMO_OKRS = REPO / "okrs"
ENGINES = ("mkdocs", "properdocs")
"""The site generators that run the plugin. ProperDocs (the MkDocs 1.x continuation)
reads `properdocs.yml`, falling back to `mkdocs.yml`."""
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
"""Silence Material's and ProperDocs' notices about MkDocs 2 in the output tests read."""


def copy_demo_site(root: Path) -> Path:
    """The repository's demo site (mkdocs.yml, site_src/, okrs/, overrides/) copied under
    `root`, so a build never writes into the repository; returns its mkdocs.yml."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "site_src", "okrs", "overrides"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.is_file():
            shutil.copy2(source, root / name)
    return root / "mkdocs.yml"


def side_venv(name: str, program: str = "python", python: tuple[int, int] = (3, 10)) -> Path:
    """A program in `.venv-<name>`, the venv `scripts/dev test` makes for a platform that
    cannot share the test venv. Missing, the test is skipped on a developer's machine
    but fails in CI (`CI` set), so CI never passes without running it."""
    path = REPO / f".venv-{name}" / "bin" / program
    if path.is_file():
        return path
    if sys.version_info < python:
        pytest.skip(f"{name} needs Python {python[0]}.{python[1]} or later")
    message = f"{path} is missing: `scripts/dev test` makes it from requirements/{name}.lock"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def load_benchmark_generator() -> Any:
    """benchmarks/generate.py as a module (benchmarks/ is not a package)."""
    path = REPO / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("okrdocs_benchmark_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def write_site(
    root: Path,
    okrs: Path | None = DEMO_OKRS,
    config: dict[str, Any] | None = None,
    plugin: dict[str, Any] | None = None,
    docs: dict[str, str] | None = None,
    config_name: str = "mkdocs.yml",
) -> Path:
    """Write mkdocs.yml (or `config_name`), a docs folder and an OKR folder under `root`;
    return the config file."""
    if okrs is not None:
        shutil.copytree(okrs, root / "okrs")
    docs_dir = root / "docs"
    docs_dir.mkdir()
    for name, text in (docs or {"index.md": "# Home\n"}).items():
        (docs_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (docs_dir / name).write_text(text, encoding="utf-8")
    settings: dict[str, Any] = {
        "site_name": "Test OKRs",
        "theme": {"name": "material"},
        "plugins": ["search", {"okrdocs": plugin or {}}],
    }
    settings.update(config or {})
    config_file = root / config_name
    config_file.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return config_file


def build_site(config_file: Path, strict: bool = True, engine: str = "mkdocs") -> Path:
    """Build with real MkDocs (in-process, the way `mkdocs build` does) or ProperDocs (as
    a command: it takes over every `mkdocs` import in its process); return site_dir."""
    if engine != "mkdocs":
        result = run_mkdocs(config_file, *(["--strict"] if strict else []), engine=engine)
        assert result.returncode == 0, result.stderr
        site_dir = yaml.safe_load(config_file.read_text(encoding="utf-8")).get("site_dir", "site")
        return config_file.parent / site_dir
    config = load_config(str(config_file), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return Path(config.site_dir)


def run_mkdocs(
    config_file: Path | None,
    *args: str,
    engine: str = "mkdocs",
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` (or `properdocs build`) as a user runs it, for exit status and printed
    output. Without `config_file` the engine finds its config in `cwd`; `env` adds to the
    few variables it runs with."""
    config = ["-f", str(config_file)] if config_file is not None else []
    return subprocess.run(
        [sys.executable, "-m", engine, "build", *config, *args],
        capture_output=True,
        text=True,
        env={**QUIET, "PATH": "/usr/bin:/bin", "HOME": str(cwd or config_file.parent), **(env or {})},  # type: ignore[union-attr]
        cwd=cwd,
        check=False,
    )


class _LinkParser(html.parser.HTMLParser):
    ATTRIBUTES = {"href", "src", "xlink:href"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in self.ATTRIBUTES and value is not None:
                self.links.append(value)


def links_in(page: Path) -> list[str]:
    parser = _LinkParser()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


@dataclass(frozen=True)
class BrokenLink:
    page: str
    link: str


def broken_links(site_dir: Path, base_path: str = "/") -> list[BrokenLink]:
    """Every link in every HTML page that points at no file of the built site.

    Root-absolute links (MkDocs' 404 page uses them) must start with `base_path`, the
    path of `site_url`.
    """
    broken = []
    for page in sorted(site_dir.rglob("*.html")):
        page_uri = page.relative_to(site_dir).as_posix()
        for link in links_in(page):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "mailto:", "data:")) or not parts.path:
                continue
            path_text = unquote(parts.path)
            if path_text.startswith("/"):
                if not path_text.startswith(base_path):
                    broken.append(BrokenLink(page_uri, link))
                    continue
                target = posixpath.normpath(path_text[len(base_path) :] or ".")
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path_text))
            path = site_dir / target
            if target.startswith("..") or not (path.is_file() or (path / "index.html").is_file()):
                broken.append(BrokenLink(page_uri, link))
    return broken


def html_of(site_dir: Path, url: str) -> str:
    """The HTML of a page by its URL (`teams/sales/` or `teams/sales.html`)."""
    path = site_dir / url
    if url.endswith("/") or url == "":
        path = path / "index.html"
    return path.read_text(encoding="utf-8")
