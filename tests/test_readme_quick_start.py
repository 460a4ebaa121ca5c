"""The README's quick start, followed literally in an empty folder, builds a site whose `/`
is the home page.

The section is read as a newcomer reads it: a `bash` block's lines run in order, and a
block under a line naming a file (`` `mkdocs.yml`: ``) is that file. The venv is made as
written; the pip line is the one of "Hosting okrdocs on an intranet", installing okrdocs'
wheel built from this checkout and its dependencies from a folder, without a network
(tests/wheelhouse.py); Graphviz's line is replaced by a check that `dot` is there.
The git line itself is installed too, from a clone of this repository.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

import okrdocs
from sitebuild import QUIET, REPO, broken_links, html_of
from wheelhouse import dependencies, make_wheelhouse, pack_installed

pytestmark = pytest.mark.slow  # builds whole sites

README = (REPO / "README.md").read_text(encoding="utf-8")
VENV_BIN = Path(sys.executable).parent
REPOSITORY = "https://github.com/okrdocs/okrdocs"
GIT_LINE = f'pip install "okrdocs[material] @ git+{REPOSITORY}@main"'
SHARE = "/srv/wheels/okrdocs"
OFFLINE = {"PIP_CONFIG_FILE": os.devnull, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
"""pip as on a clean machine: no index, no configuration of this one."""


def section(heading: str) -> str:
    text = README[README.index(f"## {heading}\n") :]
    return text[: text.index("\n## ", 1)]


def bash_lines(text: str) -> list[str]:
    return [
        line
        for block in re.findall(r"^```bash\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)
        for line in block.splitlines()
    ]


def quick_start() -> list[tuple[str, str]]:
    """The section's steps in order: ("run", a command line) or (a file's path, its text)."""
    section_ = section("Quick start in your own repository")
    steps: list[tuple[str, str]] = []
    for match in re.finditer(r"(?:^`([^`]+)`:\n\n)?^```(\w+)\n(.*?)^```$", section_, re.MULTILINE | re.DOTALL):
        path, language, body = match[1], match[2], match[3]
        if path:
            steps.append((path, body))
        elif language == "bash":
            steps.extend(("run", line) for line in body.splitlines() if line.strip())
    return steps


def intranet_install_line() -> str:
    """The line of "Hosting okrdocs on an intranet" that installs from the share."""
    (line,) = [line for line in bash_lines(section("Hosting okrdocs on an intranet")) if "--find-links" in line]
    return line


def test_the_quick_start_installs_from_git_and_says_why() -> None:
    commands = [line for kind, line in quick_start() if kind == "run"]
    assert GIT_LINE in commands
    assert "okrdocs is not on a package index" in README


def test_the_intranet_section_pins_the_version_of_this_checkout() -> None:
    line = intranet_install_line()
    assert line == f'pip install --no-index --find-links {SHARE} "okrdocs[material]=={okrdocs.__version__}"'


@pytest.fixture(scope="module")
def wheelhouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The share: okrdocs' wheel from this checkout, its dependencies' wheels, and hatchling's
    (for the git line, which pip builds from source in an isolated environment)."""
    folder = make_wheelhouse(tmp_path_factory.mktemp("wheelhouse"))
    for distribution in [metadata.distribution("hatchling"), *dependencies("hatchling")]:
        pack_installed(distribution, folder)
    return folder


def run_as_written(line: str, folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["bash", "-e", "-c", line], cwd=folder, env=env, capture_output=True, text=True)
    assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
    return done


def test_the_quick_start_builds_a_site_whose_root_is_the_home_page(tmp_path: Path, wheelhouse: Path) -> None:
    venv_bin = tmp_path / ".venv" / "bin"  # what `. .venv/bin/activate` puts first on PATH
    env = {**os.environ, **QUIET, **OFFLINE, "HOME": str(tmp_path)}
    env["PATH"] = f"{venv_bin}{os.pathsep}{VENV_BIN}{os.pathsep}/usr/bin:/bin"
    env.pop("VIRTUAL_ENV", None)
    ran = []
    for kind, text in quick_start():
        if kind != "run":
            (tmp_path / kind).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / kind).write_text(text, encoding="utf-8")
            continue
        if "apt-get install" in text:
            assert shutil.which("dot"), "Graphviz's dot is what this line provides"
            continue
        if text == GIT_LINE:
            text = intranet_install_line().replace(SHARE, str(wheelhouse))
        run_as_written(text, tmp_path, env)
        ran.append(text.split()[0])
    assert ran == ["python3", "pip", "mkdir", "printf", "okrdocs", "mkdocs"]
    # okrdocs and mkdocs are the venv's, from the wheels: not this checkout's editable install.
    where = run_as_written("python -c 'import okrdocs; print(okrdocs.__file__)'", tmp_path, env).stdout
    assert where.startswith(str(tmp_path / ".venv"))
    site = tmp_path / "site"
    home = html_of(site, "")
    assert '<h1 id="acme-okrs">Acme OKRs</h1>' in home or ">Acme OKRs</h1>" in home
    assert '<a href="vision/">vision</a>' in home
    assert "<h1>Vision</h1>" in html_of(site, "vision/")
    assert (site / "okrs" / "grow" / "index.html").is_file()
    assert broken_links(site) == []
    assert 'href="https://github.com/acme/okrs/edit/main/okrs/company/grow.md"' in html_of(site, "okrs/grow/")
    assert 'data-md-component="source"' not in home  # the repository's facts are not fetched
    ignored = (tmp_path / ".gitignore").read_text(encoding="utf-8").split()
    assert "site/" in ignored and ".cache/okrdocs/" in ignored


def test_the_git_install_line_installs_from_this_repository(tmp_path: Path, wheelhouse: Path) -> None:
    """The quick start's pip line as written, but for the host (`file://localhost`: pip's
    older parsers refuse `git+file:///`): the branch it names exists here, and pip builds
    and installs okrdocs from it (dependencies and the build backend
    from the share, as there is no network)."""
    env = {**os.environ, **OFFLINE, "HOME": str(tmp_path), "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse)}
    env.pop("VIRTUAL_ENV", None)
    subprocess.run(["python3", "-m", "venv", str(tmp_path / "venv")], check=True, env=env)
    line = GIT_LINE.replace(REPOSITORY, f"file://localhost{REPO}").replace(
        "pip install", f"{tmp_path / 'venv/bin/pip'} install -q", 1
    )
    run_as_written(line, tmp_path, env)
    version = run_as_written(f"{tmp_path / 'venv/bin/okrdocs'} --version", tmp_path, env).stdout
    assert version.startswith("okrdocs ")
