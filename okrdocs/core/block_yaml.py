"""A fast reader for the plain block YAML that front matter is almost always written in.

Front matter is mostly `key: value` lines, lists of `- item`s and mappings inside them.
PyYAML's C composer makes marks and a node object for every value and calls back into
Python for each one; with the walk that records lines, that was half of `okrdocs check`
on 5,000 objective files. This module reads the plain subset line by line instead.

It gives up (returns None) as soon as a text uses anything else: flow collections, quoted
keys, block or multi-line scalars, escapes, anchors, tags, tabs, a scalar PyYAML would
resolve to something other than a string, a decimal number, a boolean or null, or anything
malformed. The caller then parses the text with PyYAML, so unusual documents, and every
error message, stay exactly PyYAML's. `tests/test_yaml_fast_path.py` checks on generated
documents that whatever this module reads, PyYAML reads the same, to the line.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

LinePath = tuple[Any, ...]

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
"""Integers Python reads as YAML 1.1 does (no leading 0, which is octal there, no `_`)."""
DECIMAL_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]*")
"""Floats Python reads as YAML 1.1 does; exponents, `_`, `.inf`, `1:30` go to PyYAML."""
_BOOLS = yaml.constructor.SafeConstructor.bool_values

_RESOLVER = yaml.resolver.Resolver()


@functools.lru_cache(maxsize=2048)
def plain_scalar_tag(value: str) -> str:
    """The tag PyYAML gives an untagged, unquoted scalar (`2026` is an int); keys and ids
    repeat a lot."""
    return yaml.resolver.Resolver.resolve(_RESOLVER, yaml.ScalarNode, value, (True, False))


_LINE = re.compile(r"^( *)(-(?: +|$))?(?:([A-Za-z_][A-Za-z0-9_-]*):(?: +|$))?(.*)", re.MULTILINE)
"""Each line's indent, the dash of a list item with the blanks after it, a key, the rest."""
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"(?: +#.*)?')
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'(?: +#.*)?")
_FLOW_LIST = re.compile(r"\[ *((?:[A-Za-z0-9][A-Za-z0-9 _.-]*)(?:, *[A-Za-z0-9][A-Za-z0-9 _.-]*)*)? *\](?: +#.*)?")
"""A list on one line of simple plain words, `[hiring, emea]`."""
_NOT_PLAIN_START = frozenset(",[]{}#&*!|>'\"%@`")
"""Characters that cannot start a plain scalar; '-', '?' and ':' can when a non-blank
follows."""
_RESOLVED_START = frozenset(char for char in yaml.resolver.Resolver.yaml_implicit_resolvers if char)
"""First characters of the plain scalars PyYAML may read as something else than a string."""
_UNUSUAL_BLANKS = ("\t", "\r", "\x85", "\ufeff")
"""Characters YAML reads in ways this module does not follow; with what PyYAML refuses to
read (its own `NON_PRINTABLE`, compiled when PyYAML is imported), they go to PyYAML."""

_DASH, _KEY_VALUE, _SCALAR = 0, 1, 2


class _NotPlain(Exception):
    """The text is not in the plain subset: PyYAML must read it."""


def read_plain_yaml(
    text: str, first_line: int, max_values: int, max_depth: int
) -> tuple[Any, dict[LinePath, int]] | None:
    """The data of a plain block YAML text and the line of each key and list item, by its
    path from the root; None when the text is not plain (see the module's docstring)."""
    if any(blank in text for blank in _UNUSUAL_BLANKS) or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return None
    try:
        tokens = _tokens(text)
        if 1 + 2 * len(tokens) + text.count(",") > max_values:
            return None  # maybe more values than that: PyYAML counts them and says so
        reader = _Reader(tokens, first_line, max_depth)
        return reader.document(), reader.lines
    except _NotPlain:
        return None


Token = tuple[int, int, int, str, str]
"""(kind, line index, column, key, written value) of one piece of a line."""


def _tokens(text: str) -> list[Token]:
    """The dashes, keys and scalars of each line that is not blank or a comment."""
    tokens: list[Token] = []
    append = tokens.append
    for index, (indent, dash, key, rest) in enumerate(_LINE.findall(text)):  # one match a line
        column = len(indent)
        if dash:
            if not key and (not rest or rest[0] == "#" or rest[:2] in ("-", "- ")):
                raise _NotPlain  # the item starts on the next line, or is a list itself
            append((_DASH, index, column, "", ""))
            column += len(dash)
        elif not key and (not rest or rest[0] == "#"):
            continue  # a blank or comment line
        if rest and rest[-1] == " ":
            rest = rest.rstrip(" ")
        append((_KEY_VALUE, index, column, key, rest) if key else (_SCALAR, index, column, "", rest))
    return tokens


class _Reader:
    """Builds the data from the tokens, recording the line of each key and list item."""

    def __init__(self, tokens: list[Token], first_line: int, max_depth: int) -> None:
        self.tokens = tokens
        self.position = 0
        self.first_line = first_line
        self.max_depth = max_depth
        self.lines: dict[LinePath, int] = {}

    def document(self) -> Any:
        if not self.tokens:
            raise _NotPlain  # empty, or only comments: rare, and PyYAML knows what it means
        data = self.block(self.tokens[0][2], ())
        if self.position != len(self.tokens):
            raise _NotPlain
        return data

    def block(self, column: int, path: LinePath) -> Any:
        kind = self.tokens[self.position][0]
        if kind == _KEY_VALUE:
            return self.mapping(column, path)
        if kind == _DASH:
            return self.sequence(column, path, indentless=False)
        raise _NotPlain  # a scalar on a line of its own: a multi-line scalar

    def mapping(self, column: int, path: LinePath) -> dict[str, Any]:
        self.check_depth(path)
        tokens, lines, first_line = self.tokens, self.lines, self.first_line
        mapping: dict[str, Any] = {}
        end = len(tokens)
        while self.position < end:
            kind, line, key_column, key, written = tokens[self.position]
            if key_column < column:
                break
            if key_column > column or kind != _KEY_VALUE:
                raise _NotPlain
            if key[0] in _RESOLVED_START and plain_scalar_tag(key) != STR_TAG:
                raise _NotPlain  # `yes:` is the key True
            key_path = path + (key,)
            lines[key_path] = first_line + line
            self.position += 1
            if written and written[0] != "#":
                mapping[key] = self.scalar(written, key_path)
                continue
            following = tokens[self.position] if self.position < end else None
            if following is None or following[2] < column or (following[2] == column and following[0] != _DASH):
                mapping[key] = None
            elif following[2] == column:  # a list written at the key's own indent
                mapping[key] = self.sequence(column, key_path, indentless=True)
            else:
                mapping[key] = self.block(following[2], key_path)
        return mapping

    def sequence(self, column: int, path: LinePath, indentless: bool) -> list[Any]:
        self.check_depth(path)
        tokens, lines = self.tokens, self.lines
        items: list[Any] = []
        end = len(tokens)
        while self.position < end:
            kind, line, dash_column = tokens[self.position][:3]
            if dash_column < column or (indentless and dash_column == column and kind == _KEY_VALUE):
                break
            if dash_column > column or kind != _DASH:
                raise _NotPlain
            item_path = path + (len(items),)
            lines[item_path] = self.first_line + line
            self.position += 1
            item_kind, _, item_column, _, written = tokens[self.position]  # on the dash's line
            if item_kind == _SCALAR:
                self.position += 1
                items.append(self.scalar(written, item_path))
            else:
                items.append(self.mapping(item_column, item_path))
        return items

    def scalar(self, written: str, path: LinePath) -> Any:
        first = written[0]
        if first == '"':
            quoted = _DOUBLE_QUOTED.fullmatch(written)
            if quoted is None:
                raise _NotPlain
            return quoted[1]
        if first == "'":
            quoted = _SINGLE_QUOTED.fullmatch(written)
            if quoted is None:
                raise _NotPlain
            return quoted[1].replace("''", "'")
        if first == "[":
            return self.flow_list(written, path)
        if first in _NOT_PLAIN_START or (first in "-?:" and written[1:2] in (" ", "")):
            raise _NotPlain
        if " #" in written:
            written = written[: written.index(" #")].rstrip(" ")
        if ": " in written or written[-1] == ":":
            raise _NotPlain  # PyYAML reads a mapping here, or refuses it
        return _resolved(written) if first in _RESOLVED_START else written

    def flow_list(self, written: str, path: LinePath) -> list[Any]:
        words = _FLOW_LIST.fullmatch(written)
        if words is None:
            raise _NotPlain
        if words[1] is None:
            return []
        self.check_depth(path)
        line = self.lines[path]
        items = []
        for index, word in enumerate(words[1].split(",")):
            self.lines[path + (index,)] = line
            word = word.strip(" ")
            items.append(_resolved(word) if word[0] in _RESOLVED_START else word)
        return items

    def check_depth(self, path: LinePath) -> None:
        """Leave what holds values deeper than the limit to PyYAML, which reports them."""
        if len(path) >= self.max_depth:
            raise _NotPlain


def _resolved(written: str) -> Any:
    """The value of a plain scalar PyYAML may read as something else than a string."""
    tag = plain_scalar_tag(written)
    if tag == STR_TAG:
        return written
    if tag == INT_TAG and DECIMAL_INT.fullmatch(written):
        try:
            return int(written)
        except ValueError:  # more digits than Python reads (sys.get_int_max_str_digits)
            raise _NotPlain from None
    if tag == FLOAT_TAG and DECIMAL_FLOAT.fullmatch(written):
        return float(written)
    if tag == _NULL_TAG:
        return None
    if tag == _BOOL_TAG:
        return _BOOLS[written.lower()]
    raise _NotPlain  # a date, an octal or sexagesimal number, '.inf', '=' ...
