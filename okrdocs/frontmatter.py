"""Reading YAML so that every key and list item keeps the line it was written on.

PyYAML's composer gives nodes with marks; we construct the values with the safe
constructor (the C one where available, about 9x faster) and walk the nodes once to
record lines. Limits on size, nesting and alias expansion keep hostile input cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
MAX_YAML_NODES = 20_000
MAX_NESTING = 64

LinePath = tuple[Any, ...]
_FLOW_OPENERS = re.compile(r"[\[{]")
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


def split_front_matter(text: str) -> SourceFile | None:
    """The YAML between an opening `---` on line 1 and the next `---` or `...` line.

    Returns None when the file does not start with `---`. Raises YamlError when the
    front matter is never closed.
    """
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return SourceFile("".join(lines[1:index]), 2, "".join(lines[index + 1 :]))
    raise YamlError(
        "the front matter opened by '---' on line 1 is never closed: "
        "add a line '---' after the last field",
        1,
    )


def parse_yaml(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; `first_line` is the file line the text starts on."""
    _reject_deep_nesting(text, first_line)
    loader = Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = first_line + (mark.line if mark else 0)
            raise YamlError(f"invalid YAML: {_describe(error)}", line) from None
        except yaml.reader.ReaderError:
            raise _unprintable_character(text, first_line) from None
        except yaml.YAMLError as error:
            raise YamlError(f"invalid YAML: {error}", first_line) from None
        if node is None:
            return YamlDocument(None)
        lines: dict[LinePath, int] = {}
        _record_lines(loader, node, (), first_line, lines, [0])
        try:
            data = loader.construct_document(node)
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = first_line + (mark.line if mark else 0)
            raise YamlError(f"invalid YAML: {_describe(error)}", line) from None
        except (yaml.YAMLError, TypeError, ValueError) as error:
            # e.g. an unhashable mapping key, or a timestamp out of range
            raise YamlError(f"invalid YAML: {error}", first_line + node.start_mark.line) from None
        return YamlDocument(data, lines)
    finally:
        loader.dispose()


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
    if _FLOW_OPENERS.search(text):
        for char in text:
            if char in "[{":
                depth += 1
                deepest = max(deepest, depth)
            elif char in "]}":
                depth -= 1
    if deepest > MAX_NESTING or _DASH_RUN.search(text):
        raise YamlError(
            f"the YAML is nested more than {MAX_NESTING} levels deep: "
            "keep front matter to the fields okrdocs reads",
            first_line,
            too_large=True,
        )
