"""`mkdocs serve` watches the OKR folder: edits rebuild the site, broken edits don't stop it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sitebuild import write_site

pytestmark = pytest.mark.slow

WAIT_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(condition: Callable[[], bool], what: str, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; server log:\n{log.read_text()}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """A demo site served by a real `mkdocs serve` on localhost; yields (url, okrs dir, log)."""
    config_file = write_site(tmp_path, plugin={"diagrams": False})
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file), "-a", f"127.0.0.1:{port}"],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    try:
        url = f"http://127.0.0.1:{port}/"
        _wait_for(lambda: _fetch(url) is not None, "the server to start", log)
        yield url, tmp_path / "okrs", log
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_editing_an_okr_file_rebuilds_and_a_broken_edit_keeps_serving(served: tuple[str, Path, Path]) -> None:
    url, okrs, log = served
    page_url = url + "okrs/diversify-markets/"
    assert "Diversify by expanding into three new markets" in (_fetch(page_url) or "")

    source = okrs / "company" / "diversify-markets.md"
    text = source.read_text()
    source.write_text(text.replace("title: Diversify by expanding", "title: Grow by expanding"))
    _wait_for(lambda: "<h1>Grow by expanding" in (_fetch(page_url) or ""), "the rebuilt page", log)

    broken = okrs / "sales" / "grow-new-market-revenue.md"
    broken.write_text(broken.read_text().replace("period:", "perod:", 1))
    _wait_for(lambda: "OKR203" in log.read_text(), "the problem in the server log", log)
    _wait_for(lambda: "okr-problems" in (_fetch(page_url) or ""), "the problems banner", log)
    assert "unknown field &#39;perod&#39; in the objective: did you mean &#39;period&#39;?" in (_fetch(page_url) or "")
    assert "okrs/sales/grow-new-market-revenue.md:" in log.read_text()

    broken.write_text(broken.read_text().replace("perod:", "period:", 1))
    _wait_for(lambda: "okr-problems" not in (_fetch(page_url) or "okr-problems"), "the fixed site", log)
