"""Worker processes for a build's background jobs (`diagram_jobs`, `page_jobs`).

Both start a `concurrent.futures` pool with "spawn" on every platform (a forked child
would inherit the build's threads and their locks), and hand the workers their state
through a temporary file rather than the pipe that starts them: a child that dies before
reading all of it would leave that write waiting for ever.
"""

from __future__ import annotations

import atexit
import functools
import multiprocessing
import os
import pickle
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import Any


def start_pool(
    workers: int, initializer: Callable[[str, Event], None], state: Any, prefix: str
) -> tuple[ProcessPoolExecutor, Event, str]:
    """A pool of `workers` processes, each started by `initializer(state_file, started)`;
    `started` is set by the first worker that runs. Returns the pool, the event and the
    state file (remove it with `remove_when_done`)."""
    handle, state_file = tempfile.mkstemp(prefix=prefix, suffix=".pickle")
    with os.fdopen(handle, "wb") as file:
        pickle.dump(state, file, pickle.HIGHEST_PROTOCOL)
    context = multiprocessing.get_context("spawn")
    started = context.Event()
    try:
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=initializer, initargs=(state_file, started)
        )
    except BaseException:
        Path(state_file).unlink(missing_ok=True)
        raise
    return pool, started, state_file


def read_state(state_file: str) -> Any:
    """A worker's state, or None when the build already removed the file (every job was
    done before this worker started)."""
    try:
        with open(state_file, "rb") as file:
            return pickle.load(file)  # written by this build, in a file only it can read
    except FileNotFoundError:
        return None


def remove_when_done(path: str, jobs: list[Future[Any]]) -> None:
    """Delete the workers' state file once every job is done, has failed or was cancelled,
    or at the latest when this process exits (a build that stopped early)."""
    remaining = len(jobs)
    lock = threading.Lock()
    remove = functools.partial(Path(path).unlink, missing_ok=True)
    atexit.register(remove)

    def one_done(_: Future[Any]) -> None:
        nonlocal remaining
        with lock:
            remaining -= 1
            if remaining == 0:
                remove()
                atexit.unregister(remove)

    for job in jobs:
        job.add_done_callback(one_done)
