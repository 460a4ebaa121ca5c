"""Making a large folder's records on two cores.

Parsing front matter and checking its fields is Python work, most of an `okrdocs check`
without a parse cache. When many files are to be parsed, they are cut into chunks, in
order, and handed to a worker process (started with "spawn" on every platform, as the
diagrams' are), which makes them from the first on, while this process makes them from
the last back: the two meet wherever the worker got to, so a worker that starts late or
gets little of a busy machine only does less. Below `PROCESS_MIN_FILES` one process does
it all: starting Python and importing okrdocs in a worker would cost more than it saves.

The records are the same either way (the worker runs the same function on the same
bytes) and come back in the files' order, so the problems are too. Whatever goes wrong
with the worker (it cannot be started, it dies, a chunk fails, it is slower than this
process would be) leaves the chunks it did not give back to this process, which makes
them itself: never a hang, never a lost file.

The worker is idle once the files are parsed; `call` hands it another job while this
process goes on (a check has it read the coaching rules' titles while it validates the
cascade), with the same promise: what it fails to give in time is made here.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import partial
from typing import Any, Generic, TypeVar

from ..caches.collector import collector_paused

R = TypeVar("R")
T = TypeVar("T")
Item = tuple[str, bytes]
"""A file to parse: its path in the OKR folder and its bytes."""

PROCESS_MIN_FILES = 1000
"""Files to parse from which a worker process makes some of the records."""
CHUNK_FILES = 100
"""Files per chunk: what the two processes share out, and what the worker hands back at once."""
AHEAD = 2
"""Chunks the worker is given before it is done with the first of them."""
CALL_PATIENCE = 1.0
"""Seconds a `Workers.call` result is waited for, once asked for, before it is made here."""


class Workers(Generic[R]):
    """A worker process that makes `make(path, data)`, started when the first large list
    of items comes, or before (`start`): it starts Python and imports okrdocs meanwhile."""

    def __init__(self, make: Callable[[str, bytes], R]) -> None:
        self._make = make
        self._pool: ProcessPoolExecutor | None = None
        self._started = False
        self._given: list[Future[Any]] = []
        """Every job handed to the worker."""

    def __enter__(self) -> Workers[R]:
        return self

    def __exit__(self, *_: object) -> None:
        if self._pool is None:
            return
        # A job the worker has not given back was made here: its process is ended rather
        # than waited for, as this process's exit would wait for it (a worker that lags).
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        late = not all(job.done() for job in self._given)
        self._pool.shutdown(wait=False)
        if late:
            for process in processes:
                process.terminate()

    def start(self) -> None:
        """Start the worker now, if it can be started at all."""
        if self._started:
            return
        self._started = True
        if multiprocessing.current_process().daemon:  # a pool's worker may start no process
            return
        try:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            self._given.append(self._pool.submit(_ready, self._make))
        except (OSError, ValueError, NotImplementedError, ImportError):  # no processes here
            self._pool = None
        # Not caught: the RuntimeError of a child of "spawn" that runs a script without its
        # `__main__` guard and so would start a worker of its own; it ends that child, and the
        # process that started it makes the chunks itself.

    def made(self, items: list[Item]) -> list[R]:
        """`make(path, data)` of every item, in order: on two cores when there are many."""
        make = self._make
        if len(items) < PROCESS_MIN_FILES:
            return _made(make, items)
        self.start()
        chunks = [items[start : start + CHUNK_FILES] for start in range(0, len(items), CHUNK_FILES)]
        made: list[list[R] | None] = [None] * len(chunks)
        futures: list[Future[list[R]]] = []  # the worker's chunks, from the first on
        back = len(chunks)  # chunks from here on are made here, from the last back
        started = time.perf_counter()
        while back > len(futures):
            self._feed(futures, chunks, back)
            if back > len(futures):
                back -= 1
                made[back] = _made(make, chunks[back])
        # What the worker took: wait for each at most as long as this process took per
        # chunk (at least a second), then make it here.
        patience = max((time.perf_counter() - started) / max(len(chunks) - back, 1), 1.0)
        for index, future in enumerate(futures):
            made[index] = _result(future, patience, partial(_made, make, chunks[index]))
        return [records for chunk in made if chunk is not None for records in chunk]

    def call(self, function: Callable[..., T], *args: object) -> Callable[[], T]:
        """`function(*args)` in the worker when one runs, this process going on meanwhile
        (else made here when asked for): the callable returned gives the result, made here
        too when the worker fails or has not given it within a second of being asked."""
        here = partial(function, *args)
        if self._pool is None:
            return here
        try:
            future = self._pool.submit(function, *args)
        except (OSError, RuntimeError):  # it broke: as `_feed` finds it
            return here
        self._given.append(future)
        return partial(_result, future, CALL_PATIENCE, here)

    def _feed(self, futures: list[Future[list[R]]], chunks: list[list[Item]], back: int) -> None:
        """Hand the worker the next chunks (before `back`) while it has fewer than
        `AHEAD` to do: this process takes the others, so nothing is ever taken back."""
        while self._pool is not None and len(futures) < back:
            if sum(not future.done() for future in futures[-AHEAD:]) >= AHEAD:
                return
            try:
                futures.append(self._pool.submit(_make_all, self._make, chunks[len(futures)]))
                self._given.append(futures[-1])
            except (OSError, RuntimeError):  # it broke, or could not be started: the rest stay here
                self._pool.shutdown(wait=False)
                self._pool = None


def _result(future: Future[T], patience: float, here: Callable[[], T]) -> T:
    """What the worker gives, or what `here` makes when the worker failed or is too slow."""
    try:
        return future.result(timeout=patience)
    except (Exception, FutureTimeout):  # a worker that died, could not start or lags, or a job
        # that failed: made again here, and a failure that is the code's own raised as one process raises it
        return here()


def _made(make: Callable[[str, bytes], R], chunk: list[Item]) -> list[R]:
    return [make(path, data) for path, data in chunk]


def _ready(make: Callable[[str, bytes], R]) -> None:
    """In the worker, before the first chunk: nothing, once `make`'s module is imported."""


def _make_all(make: Callable[[str, bytes], R], chunk: list[Item]) -> list[R]:
    """In the worker: one chunk's records (the collector paused, as it is here)."""
    with collector_paused():
        return _made(make, chunk)
