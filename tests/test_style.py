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
