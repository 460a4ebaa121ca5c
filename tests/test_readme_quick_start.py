"""The README's quick start, followed literally in an empty folder, builds a site whose `/`
is the home page.

The section is read as a newcomer reads it: a `bash` block's lines run in order, and a
block under a line naming a file (`` `mkdocs.yml`: ``) is that file. The lines that
install (a venv, pip, Graphviz) are replaced by checks that what they provide is there,
as the test venv already holds okrdocs; everything else runs as written.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import QUIET, REPO, broken_links, html_of

pytestmark = pytest.mark.slow  # builds whole sites

README = (REPO / "README.md").read_text(encoding="utf-8")
VENV_BIN = Path(sys.executable).parent
INSTALLS = ("python3 -m venv", "pip install", "apt-get install")


def quick_start() -> list[tuple[str, str]]:
    """The section's steps in order: ("run", a command line) or (a file's path, its text)."""
    section = README[README.index("## Quick start in your own repository") :]
    section = section[: section.index("\n## ", 1)]
    steps: list[tuple[str, str]] = []
    for match in re.finditer(r"(?:^`([^`]+)`:\n\n)?^```(\w+)\n(.*?)^```$", section, re.MULTILINE | re.DOTALL):
        path, language, body = match[1], match[2], match[3]
        if path:
            steps.append((path, body))
        elif language == "bash":
            steps.extend(("run", line) for line in body.splitlines() if line.strip())
    return steps


def test_the_quick_start_installs_from_git_and_says_why() -> None:
    commands = [line for kind, line in quick_start() if kind == "run"]
    assert 'pip install "okrdocs[material] @ git+https://github.com/<owner>/okrdocs@v0.1.0"' in commands
    assert "okrdocs is not on a package index yet" in README


def test_the_quick_start_builds_a_site_whose_root_is_the_home_page(tmp_path: Path) -> None:
    env = {**os.environ, **QUIET, "PATH": f"{VENV_BIN}{os.pathsep}/usr/bin:/bin", "HOME": str(tmp_path)}
    ran = []
    for kind, text in quick_start():
        if kind != "run":
            (tmp_path / kind).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / kind).write_text(text, encoding="utf-8")
            continue
        if any(install in text for install in INSTALLS):
            # What the install lines provide: okrdocs and mkdocs in the venv, Graphviz's dot.
            assert (VENV_BIN / "okrdocs").is_file() and (VENV_BIN / "mkdocs").is_file() and shutil.which("dot")
            continue
        done = subprocess.run(["bash", "-e", "-c", text], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{text}\n{done.stdout}\n{done.stderr}"
        ran.append(text.split()[0])
    assert ran == ["mkdir", "printf", "okrdocs", "mkdocs"]
    site = tmp_path / "site"
    home = html_of(site, "")
    assert '<h1 id="acme-okrs">Acme OKRs</h1>' in home or ">Acme OKRs</h1>" in home
    assert '<a href="vision/">vision</a>' in home
    assert "<h1>Vision</h1>" in html_of(site, "vision/")
    assert (site / "okrs" / "grow" / "index.html").is_file()
    assert broken_links(site) == []
    ignored = (tmp_path / ".gitignore").read_text(encoding="utf-8").split()
    assert "site/" in ignored and ".cache/okrdocs/" in ignored
