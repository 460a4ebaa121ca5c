"""Python's cycle collector paused while okrdocs builds its model: one home for it.

Loading makes hundreds of thousands of objects that all stay alive, and the collector
walked them again and again (its cost: benchmarks/RESULTS.md). The model holds no cycles
to collect; the collector runs again afterwards, as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector off inside the block, and back as it was after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
