"""The theme's compiled templates, kept across the rebuilds of `mkdocs serve`.

MkDocs makes the theme's Jinja environment again for every build, so every rebuild
compiles the theme's templates again (Material's main.html and its dozens of partials):
on a `--dirty` rebuild that writes a handful of pages, a good part of the time. Jinja
asks a bytecode cache for a template's code by its name, its file and a checksum of its
source; this one holds the code in memory for as long as the plugin lives, so a template
whose source did not change is not compiled again, and one that changed is.
"""

from __future__ import annotations

from types import CodeType

import jinja2
from jinja2.bccache import Bucket


def compile_settings(env: jinja2.Environment) -> tuple[object, ...]:
    """What else than the source decides a template's code: the syntax, the extensions and
    the compile options (a theme or `mkdocs.yml` change may bring others)."""
    return (
        env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
        env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        tuple(sorted(env.extensions)), env.optimized, env.autoescape, env.finalize is None, env.is_async,
    )  # fmt: skip


class TemplateCodeCache(jinja2.BytecodeCache):
    """Compiled templates in memory, by name, file, source and the environment's settings."""

    def __init__(self) -> None:
        self._code: dict[tuple[object, ...], CodeType] = {}
        self._settings: tuple[object, ...] = ()

    def attach(self, env: jinja2.Environment) -> None:
        """Serve `env`'s templates (one environment per build)."""
        self._settings = compile_settings(env)
        env.bytecode_cache = self

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get((bucket.key, bucket.checksum, self._settings))
        if code is not None:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._code[(bucket.key, bucket.checksum, self._settings)] = bucket.code

    def clear(self) -> None:
        self._code.clear()

    def __len__(self) -> int:
        """Templates compiled so far (versions of a template count once each)."""
        return len(self._code)
