"""Loading a large folder on several cores gives exactly what loading it in one process gives."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from okrdocs.core import forking

from okrdocs.core import loading
from okrdocs.core.check import CheckResult, check_folder
from okrdocs.core.problems import format_problems

_GENERATOR = Path(__file__).parent.parent / "benchmarks" / "generate.py"


def _generate(folder: Path, teams: int) -> None:
    spec = importlib.util.spec_from_file_location("okrdocs_benchmark_generate", _GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.generate(folder, teams=teams, seed=5)


def _summary(result: CheckResult) -> tuple[object, ...]:
    cascade = result.cascade
    return (
        format_problems(result.problems, "text", "okrs"),
        [(o.id, o.where.path, o.where.field_lines, [k.where.field_lines for k in o.key_results]) for o in cascade.repository.objectives],
        sorted(cascade.repository.unreadable_objective_ids),
        [o.title for o in cascade.objectives.values()],
    )


@pytest.fixture(scope="module")
def broken_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated organisation with bad files spread over the chunks."""
    folder = tmp_path_factory.mktemp("parallel") / "okrs"
    _generate(folder, teams=30)
    files = sorted(folder.rglob("*.md"))
    first, middle, last = files[1], files[len(files) // 2], files[-1]
    first.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    middle.write_bytes(b"---\ntitle: caf\xe9\n---\n")
    assert last.parent != files[2].parent
    (last.parent / files[2].name).write_bytes(files[2].read_bytes())  # the same id, in the last chunk
    return folder


def test_parallel_and_serial_loading_agree(broken_org: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if len(os.sched_getaffinity(0)) < 2 or not sys.platform.startswith("linux"):
        pytest.skip("needs Linux and two cores")
    monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 10**9)
    serial = check_folder(broken_org)
    forked_chunks: list[int] = []

    class CountedForkedParts(forking.ForkedParts):  # type: ignore[type-arg]
        def __init__(self, function, root: Path, chunk: list[str]) -> None:  # type: ignore[no-untyped-def]
            forked_chunks.append(len(chunk))
            super().__init__(function, root, chunk)

    monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 0)
    monkeypatch.setattr(loading, "PART_FILES", 7)  # several parts, the last one shorter
    monkeypatch.setattr(loading, "ForkedParts", CountedForkedParts)
    parallel = check_folder(broken_org)
    assert forked_chunks and all(forked_chunks)  # at least one worker, none idle
    assert _summary(parallel) == _summary(serial)
    codes = {problem.code for problem in serial.problems}
    assert {"OKR101", "OKR102", "OKR301"} <= codes


def test_small_folders_and_threaded_processes_load_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    assert loading._worker_count(10) == 1
    monkeypatch.setattr(forking.threading, "active_count", lambda: 2)
    assert loading._worker_count(10**6) == 1


def test_a_forked_function_hands_back_its_result_or_its_exception() -> None:
    if not forking.can_fork():
        pytest.skip("needs Linux and no other thread")
    assert forking.Forked(sorted, [3, 1, 2]).result() == [1, 2, 3]
    with pytest.raises(ZeroDivisionError):
        forking.Forked(divmod, 1, 0).result()


def _count_to(end: int, fail_at: int | None = None, die_at: int | None = None) -> Iterator[object]:
    for number in range(end):
        if number == fail_at:
            raise ValueError(f"no {number}")
        if number == die_at:
            os._exit(3)
        yield number if number != 2 else {"big": "x" * 200_000}  # more than a pipe holds


def test_forked_parts_come_back_in_order_then_the_exception_or_the_death() -> None:
    if not forking.can_fork():
        pytest.skip("needs Linux and no other thread")
    assert list(forking.ForkedParts(_count_to, 5).parts()) == [0, 1, {"big": "x" * 200_000}, 3, 4]
    received = []
    with pytest.raises(ValueError, match="no 3"):
        received.extend(forking.ForkedParts(_count_to, 5, 3).parts())
    assert received == [0, 1, {"big": "x" * 200_000}]
    with pytest.raises(ChildProcessError, match="ended before its last result"):
        list(forking.ForkedParts(_count_to, 5, None, 1).parts())
    with pytest.raises(Exception, match="[Cc]an't pickle"):  # the child's own error
        list(forking.ForkedParts(lambda: iter([lambda: None])).parts())


def test_without_files_in_memory_the_files_load_in_this_process(broken_org: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An old glibc has no memfd_create: the folder still loads, the same, without a worker."""
    serial = check_folder(broken_org)
    monkeypatch.delattr(forking.os, "memfd_create", raising=False)
    monkeypatch.setattr(loading, "PARALLEL_MIN_FILES", 0)
    assert _summary(check_folder(broken_org)) == _summary(serial)
