"""Reading YAML so that every key and list item keeps the line it was written on.

Three ways, fastest first, each taking what the one before leaves:
1. `block_yaml` reads the plain block YAML nearly all front matter is written in;
2. PyYAML's composer gives nodes with marks (the C one where available, about 9x faster),
   and one walk over them records lines and builds the values of plain documents;
3. anything unusual (tags, merge keys, values PyYAML refuses) goes through PyYAML's safe
   constructor, and every error is PyYAML's.
Limits on size, nesting and alias expansion keep hostile input cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .block_yaml import DECIMAL_FLOAT, DECIMAL_INT, FLOAT_TAG, INT_TAG, STR_TAG, plain_scalar_tag, read_plain_yaml

Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
MAX_YAML_NODES = 20_000
MAX_NESTING = 64

LinePath = tuple[Any, ...]
_DASH_RUN = re.compile(r"(?:-[ \t]+){%d,}" % MAX_NESTING)


class YamlError(Exception):
    """A YAML text that cannot be used; `line` is 1-based in the file."""

    def __init__(self, message: str, line: int, too_large: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.too_large = too_large


@dataclass
class YamlDocument:
    data: Any
    lines: dict[LinePath, int] = field(default_factory=dict)
    """The 1-based line of each mapping key and list item, by its path from the root."""

    def line(self, *path: Any, default: int = 1) -> int:
        return self.lines.get(path, default)


@dataclass
class SourceFile:
    """An OKR Markdown file split into its front matter and its body."""

    front_matter: str
    front_matter_first_line: int
    body: str


_NOT_LINE_BREAKS = str.maketrans({"\x85": " ", "\u2028": " ", "\u2029": " "})
"""Characters YAML takes for line breaks but editors do not; read as spaces, YAML's line
numbers stay the file's."""


_CLOSING_LINE = re.compile(r"\n(?:---|\.\.\.)[^\S\n]*(?:\n|\Z)")
"""A line '---' or '...', maybe with blanks after it (what `str.rstrip` would remove)."""


def split_front_matter(text: str) -> SourceFile | None:
    """The YAML between an opening `---` on line 1 and the next `---` or `...` line.

    Returns None when the file does not start with `---`. Raises YamlError when the
    front matter is never closed.
    """
    text = text.removeprefix("\ufeff")
    # Lines as editors count them, at '\n' only: str.splitlines would also break at form feeds.
    first_line_end = text.find("\n")
    if (text if first_line_end < 0 else text[:first_line_end]).rstrip() != "---":
        return None
    closing = _CLOSING_LINE.search(text, first_line_end) if first_line_end >= 0 else None
    if closing is None:
        raise YamlError(
            "the front matter opened by '---' on line 1 is never closed: "
            "add a line '---' after the last field",
            1,
        )
    return SourceFile(text[first_line_end + 1 : closing.start() + 1], 2, text[closing.end() :])


_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_PLAIN_KEY_TAGS = frozenset({STR_TAG, *(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null"))})


class _FastLoader(Loader):  # type: ignore[valid-type,misc]
    """The safe loader, with the resolver the composer calls for every node made cheaper.

    Same tags as `Resolver.resolve` gives when there are no path resolvers (the safe
    loader has none): implicit types for plain scalars, the default tags otherwise.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return plain_scalar_tag(value) if implicit[0] else self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


class _Unusual(Exception):
    """A document the fast walk leaves to PyYAML's constructor."""


def parse_yaml(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; `first_line` is the file line the text starts on."""
    if not text.isascii():
        text = text.translate(_NOT_LINE_BREAKS)
    _reject_deep_nesting(text, first_line)
    plain = read_plain_yaml(text, first_line, MAX_YAML_NODES, MAX_NESTING)
    if plain is not None:
        return YamlDocument(*plain)
    return _parse_with_pyyaml(text, first_line)


def _parse_with_pyyaml(text: str, first_line: int) -> YamlDocument:
    """PyYAML's composer, then one walk over its nodes, or its constructor for the unusual."""
    loader = _FastLoader(text)
    try:
        node = _compose(loader, text, first_line)
        if node is None:
            return YamlDocument(None)
        lines: dict[LinePath, int] = {}
        try:
            return YamlDocument(_build(loader, node, (), first_line, lines, [0]), lines)
        except Exception:  # noqa: BLE001 - the general path below reports it exactly as PyYAML sees it
            pass
    finally:
        loader.dispose()
    return _parse_with_constructor(text, first_line)


def _compose(loader: yaml.SafeLoader, text: str, first_line: int) -> yaml.Node | None:
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise _marked_error(error, text, first_line) from None
    except yaml.reader.ReaderError:
        raise _unprintable_character(text, first_line) from None
    except yaml.YAMLError as error:
        raise YamlError(f"invalid YAML: {error}", first_line) from None


def _build(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: LinePath,
    first_line: int,
    lines: dict[LinePath, int],
    seen: list[int],
) -> Any:
    """The value of a node of plain maps, lists and scalars, recording lines on the way.

    Raises on anything else (explicit collection tags, merge keys, complex keys, limits
    exceeded, scalars PyYAML refuses) so the general path can handle and report it.
    """
    seen[0] += 1
    if seen[0] > MAX_YAML_NODES or len(path) > MAX_NESTING:
        raise _Unusual
    kind, tag = node.__class__, node.tag
    if kind is yaml.ScalarNode:
        if tag == STR_TAG:
            return node.value
        if tag == INT_TAG and DECIMAL_INT.fullmatch(node.value):
            return int(node.value)
        if tag == FLOAT_TAG and DECIMAL_FLOAT.fullmatch(node.value):
            return float(node.value)
        return loader.construct_object(node)
    if kind is yaml.MappingNode and tag == _MAP_TAG:
        mapping = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not yaml.ScalarNode or key_node.tag not in _PLAIN_KEY_TAGS:
                raise _Unusual
            key = key_node.value if key_node.tag == STR_TAG else loader.construct_object(key_node)
            key_path = path + (key,)
            lines[key_path] = first_line + key_node.start_mark.line
            mapping[key] = _build(loader, value_node, key_path, first_line, lines, seen)
        return mapping
    if kind is yaml.SequenceNode and tag == _SEQ_TAG:
        items = []
        for index, item in enumerate(node.value):
            item_path = path + (index,)
            lines[item_path] = first_line + item.start_mark.line
            items.append(_build(loader, item, item_path, first_line, lines, seen))
        return items
    raise _Unusual


def _parse_with_constructor(text: str, first_line: int) -> YamlDocument:
    """The general path: PyYAML's safe constructor, with its errors turned into YamlError."""
    loader = Loader(text)
    try:
        node = _compose(loader, text, first_line)
        if node is None:
            return YamlDocument(None)
        lines: dict[LinePath, int] = {}
        _record_lines(loader, node, (), first_line, lines, [0])
        try:
            data = loader.construct_document(node)
        except yaml.MarkedYAMLError as error:
            raise _marked_error(error, text, first_line) from None
        except (yaml.YAMLError, TypeError, ValueError) as error:
            # e.g. an unhashable mapping key, or a timestamp out of range
            raise YamlError(f"invalid YAML: {error}", first_line + node.start_mark.line) from None
        return YamlDocument(data, lines)
    finally:
        loader.dispose()


def _marked_error(error: yaml.MarkedYAMLError, text: str, first_line: int) -> YamlError:
    mark = error.problem_mark or error.context_mark
    # An error at the end of the text is marked on the line after it: report its last line.
    last_line = first_line + max(len(text.splitlines()), 1) - 1
    line = min(first_line + (mark.line if mark else 0), last_line)
    return YamlError(f"invalid YAML: {_describe(error)}", line)


def _unprintable_character(text: str, first_line: int) -> YamlError:
    """The first character YAML refuses (a control character, say), at its own line."""
    match = yaml.reader.Reader.NON_PRINTABLE.search(text)
    offset = match.start() if match else 0
    character = f"U+{ord(text[offset]):04X}" if match else "a character"
    return YamlError(
        f"invalid YAML: {character} (a control or special character) is not allowed in YAML: remove it",
        first_line + text.count("\n", 0, offset),
    )


def _describe(error: yaml.MarkedYAMLError) -> str:
    parts = [error.context, error.problem]
    return "; ".join(part for part in parts if part) or "cannot parse"


def _record_lines(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: LinePath,
    first_line: int,
    lines: dict[LinePath, int],
    seen: list[int],
) -> None:
    """Record the line of each key and item; stop on bombs of aliases or deep nesting."""
    seen[0] += 1
    if seen[0] > MAX_YAML_NODES or len(path) > MAX_NESTING:
        raise YamlError(
            f"the YAML is too large or too deeply nested (more than {MAX_YAML_NODES} values "
            f"after expanding aliases, or more than {MAX_NESTING} levels): "
            "keep front matter to the fields okrdocs reads",
            first_line + node.start_mark.line,
            too_large=True,
        )
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = _key(loader, key_node)
            lines[path + (key,)] = first_line + key_node.start_mark.line
            _record_lines(loader, value_node, path + (key,), first_line, lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[path + (index,)] = first_line + item.start_mark.line
            _record_lines(loader, item, path + (index,), first_line, lines, seen)


def _key(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """A mapping key as it will be in the data (`1:` is the int 1), so its line can be found."""
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.tag == "tag:yaml.org,2002:str":
        return node.value
    try:
        return loader.construct_object(node)
    except (yaml.YAMLError, TypeError, ValueError):
        return node.value  # reported when the document is constructed


def _reject_deep_nesting(text: str, first_line: int) -> None:
    """Refuse nesting that would exhaust the parser's stack before it reaches our limits."""
    depth = deepest = 0
    if text.count("[") + text.count("{") > MAX_NESTING:  # else it cannot nest that deep
        for char in text:
            if char in "[{":
                depth += 1
                deepest = max(deepest, depth)
            elif char in "]}":
                depth -= 1
    # A run of MAX_NESTING '- ' needs that many dashes before a blank: count first, in C.
    dash_runs_possible = text.count("- ") + text.count("-\t") >= MAX_NESTING
    if deepest > MAX_NESTING or (dash_runs_possible and _DASH_RUN.search(text)):
        raise YamlError(
            f"the YAML is nested more than {MAX_NESTING} levels deep: "
            "keep front matter to the fields okrdocs reads",
            first_line,
            too_large=True,
        )
