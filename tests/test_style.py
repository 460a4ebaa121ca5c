"""The repository's own style and type checks, so the README's test command runs them too.

The same commands as CI's "Style and types" job and `.pre-commit-config.yaml`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import REPO

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]],
    ids=lambda command: " ".join(command),
)
def test_the_code_passes(command: list[str]) -> None:
    run = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_stylesheet_colours_every_status() -> None:
    """The statuses have one home (`model.Status`); the stylesheet must follow it: each one
    has its colours, its pill, its legend sample and its diagram fill, light and dark."""
    from okrdocs.core.domain.model import STATUSES
    from okrdocs.site.pages import ASSETS_DIR

    css = (ASSETS_DIR / "okrdocs.css").read_text(encoding="utf-8")
    for status in STATUSES:
        assert css.count(f"--okr-{status}:") == 2 and css.count(f"--okr-{status}-fill:") == 2, status
        for rule in (f".okr-status--{status}", f".okr-legend__objective--{status}", f".okrdg-status-{status}"):
            assert rule in css, rule
