"""A large folder's files parsed on two cores (`core.reading.workers`): the same findings,
in the same order, as one process gives; and a worker that dies costs time, not files."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CliRun, write_files
from okrdocs.core.reading import workers

# Objectives with the mistakes loading reports (bad YAML, not UTF-8, a bad and an unknown
# field, a missing one), among valid ones, so that the problems of both processes' chunks
# and their order show in the output.
BAD = {
    "bad-yaml": "---\ntitle: 'never closed\nteam: sales\n---\n",
    "not-utf8": b"---\ntitle: caf\xe9\n---\n",
    "bad-field": "---\ntitle: Sell\nteam: sales\nperiod: 2026-Q5\nparent: grow\ncolour: red\nkey_results:\n"
    "  - id: kr1\n    title: Sell 3\n    progress: 2\n---\n",
    "no-team": "---\ntitle: Sell\nperiod: 2026\nparent: grow\nkey_results:\n  - id: kr1\n    title: Sell 3\n---\n",
}


def many_objectives(count: int) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for number in range(count):
        name = f"sales/objective-{number:03}"
        bad = list(BAD)[number % 9] if number % 9 < len(BAD) else None
        files[f"{name}.md"] = (
            BAD[bad]
            if bad
            else f"---\ntitle: Sell {number} more\nteam: sales\nperiod: 2026\nparent: grow\nkey_results:\n"
            f"  - id: kr1\n    title: Sell {number} units\n    progress: 0.5\n"
            f"  - id: kr2\n    title: {'Hold weekly sales calls' if number % 2 else 'Win back lost customers'}\n---\n"
        )  # the coaching rules flag the titles of both processes' objectives
    return files


def test_two_processes_find_what_one_finds_in_the_same_order(
    okr_folder, okrdocs, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = okr_folder(many_objectives(60))
    monkeypatch.setattr(workers, "PROCESS_MIN_FILES", 10**9)
    alone: CliRun = okrdocs("check", "--okrs", "okrs", "--no-cache", "--format", "json")
    assert alone.status == 1 and alone.out.count('"OKR') > 60  # every file at fault is reported
    assert alone.out.count('"OKR703"') > 10 and alone.out.count('"OKR704"') > 20
    monkeypatch.setattr(workers, "PROCESS_MIN_FILES", 10)
    monkeypatch.setattr(workers, "CHUNK_FILES", 4)
    shared: CliRun = okrdocs("check", "--okrs", "okrs", "--no-cache", "--format", "json")
    filling: CliRun = okrdocs("check", "--okrs", "okrs", "--format", "json")  # into the parse cache
    assert (shared.status, shared.out, shared.err) == (filling.status, filling.out, filling.err) == (
        alone.status, alone.out, alone.err,
    )  # fmt: skip
    # The records the worker made, read back from the cache, are those one process makes.
    write_files(folder, {"sales/objective-001.md": "---\ntitle: Edited\n---\n"})
    reused: CliRun = okrdocs("check", "--okrs", "okrs", "--format", "json")
    monkeypatch.setattr(workers, "PROCESS_MIN_FILES", 10**9)
    assert reused.out == okrdocs("check", "--okrs", "okrs", "--no-cache", "--format", "json").out


def _in_process(path: str, data: bytes) -> tuple[str, int, int]:
    _slower_here()
    return path, len(data), os.getpid()


def _dies_in_the_worker(path: str, data: bytes) -> tuple[str, int]:
    if multiprocessing.parent_process() is not None:
        os._exit(3)  # as a worker killed for lack of memory would end
    _slower_here()
    return path, len(data)


def _slow_in_the_worker(path: str, data: bytes) -> tuple[str, int]:
    if multiprocessing.parent_process() is not None and path in ("file-0.md", "file-20.md"):
        time.sleep(3)  # the first file of each chunk
    _slower_here()
    return path, len(data)


def _slower_here() -> None:
    """Items take longer in the test's process, so that the worker has started before
    this process has made every chunk itself."""
    if multiprocessing.parent_process() is None:
        time.sleep(0.05)


ITEMS = [(f"file-{number}.md", b"x" * number) for number in range(40)]


def test_the_worker_makes_some_records_and_all_come_back_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "PROCESS_MIN_FILES", 10)
    monkeypatch.setattr(workers, "CHUNK_FILES", 2)
    with workers.Workers(_in_process) as pool:
        made = pool.made(ITEMS)
    assert [(path, size) for path, size, _ in made] == [(path, len(data)) for path, data in ITEMS]
    assert {pid for _, _, pid in made} != {os.getpid()}  # the worker made the first chunks at least


def test_a_worker_that_dies_leaves_its_files_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "PROCESS_MIN_FILES", 10)
    monkeypatch.setattr(workers, "CHUNK_FILES", 2)
    with workers.Workers(_dies_in_the_worker) as pool:
        assert pool.made(ITEMS) == [(path, len(data)) for path, data in ITEMS]


def test_a_worker_slower_than_this_process_is_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "PROCESS_MIN_FILES", 10)
    monkeypatch.setattr(workers, "CHUNK_FILES", 20)  # two chunks: the first after the start, the second
    started = time.perf_counter()
    with workers.Workers(_slow_in_the_worker) as pool:
        assert pool.made(ITEMS) == [(path, len(data)) for path, data in ITEMS]
    assert time.perf_counter() - started < 5.5  # 6 s in the worker; here 1 s a chunk, and 1 s of patience


def _size(path: str, data: bytes) -> tuple[str, int]:
    return path, len(data)


def _made_in_a_daemon(_: int) -> list[tuple[str, int]]:
    workers.PROCESS_MIN_FILES = 10  # in the pool's own process
    with workers.Workers(_size) as pool:
        return pool.made(ITEMS)


def test_a_daemon_process_makes_them_all_itself() -> None:
    """A process of a multiprocessing pool may have no children: no worker, no error."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        assert pool.map(_made_in_a_daemon, [0]) == [[(path, len(data)) for path, data in ITEMS]]


def _pid_unless_in_the_worker(seconds: float) -> int:
    if multiprocessing.parent_process() is not None:
        if seconds < 0:
            os._exit(3)  # as a worker killed for lack of memory would end
        time.sleep(seconds)
    return os.getpid()


@pytest.mark.parametrize("started", [True, False])
def test_a_call_runs_in_the_worker_when_one_was_started(monkeypatch: pytest.MonkeyPatch, started: bool) -> None:
    monkeypatch.setattr(workers, "PROCESS_MIN_FILES", 10 if started else 10**9)
    monkeypatch.setattr(workers, "CALL_PATIENCE", 60.0)  # however slowly a busy machine starts it
    with workers.Workers(_size) as pool:
        pool.made(ITEMS)
        result = pool.call(_pid_unless_in_the_worker, 0)
        assert (result() != os.getpid()) is started


@pytest.mark.parametrize("seconds", [-1, 3])
def test_a_call_the_worker_fails_or_lags_in_is_made_here(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    monkeypatch.setattr(workers, "PROCESS_MIN_FILES", 10)
    with workers.Workers(_size) as pool:
        pool.made(ITEMS)
        started = time.perf_counter()
        assert pool.call(_pid_unless_in_the_worker, seconds)() == os.getpid()
    assert time.perf_counter() - started < 2.5  # a second of patience


LAGGING = """
import sys
from okrdocs.core.reading import workers
from test_parallel_loading import ITEMS, _pid_unless_in_the_worker, _size

if __name__ == "__main__":
    workers.PROCESS_MIN_FILES = 10
    with workers.Workers(_size) as pool:
        pool.made(ITEMS)
        print(pool.call(_pid_unless_in_the_worker, float(sys.argv[1]))())
"""


def test_a_worker_that_lags_does_not_hold_up_the_exit(tmp_path: Path) -> None:
    """What it lags in was made here: the command exits without waiting for it (Python
    waits for a pool's jobs at exit, shut down or not)."""
    script = tmp_path / "lagging.py"
    script.write_text(LAGGING, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), *sys.path])}
    started = time.perf_counter()
    run = subprocess.run([sys.executable, str(script), "60"], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert time.perf_counter() - started < 20  # a minute in the worker
    assert "Traceback" not in run.stderr
