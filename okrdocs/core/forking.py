"""Work for the other cores: functions run in forked child processes.

A forked child starts as a copy of this process, so nothing has to be pickled to it,
only its results back. Forking is safe only where no other thread runs: a thread that
holds a lock at the fork leaves it locked in the child for good (`mkdocs serve` runs
threads). So `can_fork()` first; where it says no, do the work in this process.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:  # multiprocessing is imported only when a process is forked
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

T = TypeVar("T")


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Forked(Generic[T]):
    """`function(*args)` running in a forked child; `result()` waits for its return value
    or raises its exception. Raises OSError when no process can be started."""

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        self._receiver, self._process = _fork(_run, function, args)

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


class ForkedParts(Generic[T]):
    """The items of `function(*args)`, a generator, made in a forked child; `parts()`
    gives each in turn, as soon as the child has made it, or raises the child's exception.

    The child writes each item, pickled, to a file in memory and only says how long it is
    through the pipe: a pipe holds 64 KB, so sending the items themselves would stop the
    child until this process is ready to read them. Raises OSError when no process or no
    file in memory can be made (memfd_create needs Linux 3.17 and glibc 2.27).
    """

    def __init__(self, function: Callable[..., Iterable[T]], *args: Any) -> None:
        if not hasattr(os, "memfd_create"):
            raise OSError("this Python has no os.memfd_create")
        self._file = os.memfd_create("okrdocs-parts")
        try:
            self._receiver, self._process = _fork(_run_parts, function, (self._file, args))
        except OSError:
            os.close(self._file)
            raise

    def parts(self) -> Iterator[T]:
        offset = 0
        try:
            while True:
                try:
                    kind, value = self._receiver.recv()
                except EOFError:
                    raise ChildProcessError("the worker process ended before its last result") from None
                if kind == _DONE:
                    return
                if kind == _FAILED:
                    raise value
                yield pickle.loads(os.pread(self._file, value, offset))
                offset += value
        finally:
            self._receiver.close()
            os.close(self._file)
            self._process.join()


_PART, _DONE, _FAILED = range(3)
"""What a ForkedParts child says: an item of this many bytes, the end, an exception."""


def _fork(target: Callable[..., None], function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Connection, BaseProcess]:
    """Start `target(sender, function, args)` in a forked child; the pipe's other end."""
    import multiprocessing  # here: most runs never fork

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=target, args=(sender, function, args), daemon=True)
    try:
        process.start()
    except OSError:
        receiver.close()
        raise
    finally:
        sender.close()
    return receiver, process


def _run_parts(sender: Connection, function: Callable[..., Iterable[Any]], file_and_args: tuple[int, tuple[Any, ...]]) -> None:
    file, args = file_and_args
    try:
        for item in function(*args):
            data = memoryview(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
            size = len(data)
            while data:
                data = data[os.write(file, data) :]
            sender.send((_PART, size))  # after the write: the item is whole when it is read
        message: tuple[int, Any] = (_DONE, None)
    except BaseException as error:  # handed to the parent's parts()
        message = (_FAILED, error)
    _send_last(sender, message, failed=_FAILED)


def _run(sender: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        outcome: tuple[bool, Any] = (True, function(*args))
    except BaseException as error:  # handed to the parent's result()
        outcome = (False, error)
    _send_last(sender, outcome, failed=False)


def _send_last(sender: Connection, message: tuple[Any, Any], failed: Any) -> None:
    """A child's last message; `(failed, ChildProcessError)` when it does not pickle."""
    try:
        sender.send(message)
    except Exception as error:  # an exception or result that does not pickle
        sender.send((failed, ChildProcessError(f"the worker's result could not be sent: {error!r}")))
