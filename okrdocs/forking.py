"""Work for the second core: a function run in a forked child process.

A forked child starts as a copy of this process, so nothing has to be pickled to it,
only its result back. Forking is safe only where no other thread runs: a thread that
holds a lock at the fork leaves it locked in the child for good (`mkdocs serve` runs
threads). So `can_fork()` first; where it says no, do the work in this process.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:  # multiprocessing is imported only when a process is forked
    from multiprocessing.connection import Connection

T = TypeVar("T")


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Forked(Generic[T]):
    """`function(*args)` running in a forked child; `result()` waits for its return value
    or raises its exception. Raises OSError when no process can be started."""

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        import multiprocessing  # here: most runs never fork

        context = multiprocessing.get_context("fork")
        self._receiver, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_run, args=(sender, function, args), daemon=True)
        self._process.start()
        sender.close()

    def result(self) -> T:
        try:
            succeeded, value = self._receiver.recv()
        except EOFError:
            raise ChildProcessError("the worker process ended without a result") from None
        finally:
            self._receiver.close()
            self._process.join()
        if succeeded:
            return value  # type: ignore[no-any-return]
        raise value


def _run(sender: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        outcome: tuple[bool, Any] = (True, function(*args))
    except BaseException as error:  # handed to the parent's result()
        outcome = (False, error)
    try:
        sender.send(outcome)
    except Exception as error:  # an exception or result that does not pickle
        sender.send((False, ChildProcessError(f"the worker's result could not be sent: {error!r}")))
