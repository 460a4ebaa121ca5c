"""Where okrdocs logs: under MkDocs' plugin loggers, whichever front end runs it.

MkDocs shows (and `--strict` counts) only what is logged under `mkdocs.`; its plugin logger
for okrdocs is `mkdocs.plugins.okrdocs`, which prefixes each message with `okrdocs: `. Every
okrdocs module logs below that name, so `mkdocs build -v` shows what `dot` said and why a
cache was not read, with one prefix. Outside MkDocs nothing configures these loggers.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from typing import Any

LOGGER_NAME = "mkdocs.plugins.okrdocs"
PREFIX = "okrdocs"


class _Prefixed(logging.LoggerAdapter):  # type: ignore[type-arg]  # generic only from Python 3.11
    """Each message as `okrdocs: message`, as MkDocs' `get_plugin_logger` gives the plugin's."""

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        return f"{PREFIX}: {msg}", kwargs


def logger(module: str) -> logging.LoggerAdapter:  # type: ignore[type-arg]
    """The logger for the okrdocs module named `module` (its `__name__`)."""
    return _Prefixed(logging.getLogger(f"{LOGGER_NAME}.{module.removeprefix('okrdocs.')}"), {})
