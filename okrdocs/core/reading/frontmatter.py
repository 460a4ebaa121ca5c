"""Reading YAML so that every key and list item keeps the line it was written on.

PyYAML composes the text into nodes (with libyaml's C parser where it is installed), and
one walk over the nodes records the line of each key and item, builds the values and
enforces the limits on size and nesting. The walk keeps its own stack instead of
recursing, so no document can exhaust Python's. This module is the one YAML boundary:
whatever PyYAML raises while composing or constructing a value becomes a `YamlError` at a
line, with a hint for the mistakes people make most, so that no file ends a run with a
traceback.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_FILE_BYTES = 1_000_000
MAX_YAML_NODES = 20_000
MAX_NESTING = 64

LinePath = tuple[Any, ...]

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT = _TAG + "str", _TAG + "int", _TAG + "float"
_MAP, _SEQ, _SET, _MERGE, _VALUE = _TAG + "map", _TAG + "seq", _TAG + "set", _TAG + "merge", _TAG + "value"
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
"""Numbers that Python's int() and float() read exactly as PyYAML's constructor does."""


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


def _sorted_set(loader: yaml.SafeLoader, node: yaml.MappingNode) -> list[Any]:
    """A `!!set` as a list sorted by text: a Python set's order changes with PYTHONHASHSEED,
    and values are shown in messages and pages."""
    return sorted(loader.construct_mapping(node), key=str)


class _PureLoader(yaml.SafeLoader):
    """PyYAML's own safe loader, reading `!!set` as a sorted list."""


_PureLoader.add_constructor(_SET, _sorted_set)
PURE_LOADER: type[yaml.SafeLoader] = _PureLoader
LOADER: type[yaml.SafeLoader] = _PureLoader
"""libyaml's parser where PyYAML was built with it (faster: benchmarks/RESULTS.md), else PyYAML's own."""
if hasattr(yaml, "CSafeLoader"):

    class _CLoader(yaml.CSafeLoader):
        """libyaml's parser with the constructors of the safe loader, `!!set` as above.

        libyaml's composer asks Python for the tag of every node it makes, and PyYAML's
        own `resolve` (a list of patterns to try, by the text's first character) was much
        of composing (benchmarks/RESULTS.md). These give the same tags for the safe
        loader's resolvers (no path resolvers, no resolver for every first character): a
        text whose first character starts no implicit tag is a string, and the others are
        resolved by PyYAML once per text (keys, numbers, periods repeat from file to file)."""

        def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
            if kind is yaml.ScalarNode:
                if implicit[0] and value[:1] in _IMPLICIT_FIRSTS:
                    tag = _RESOLVED.get(value)
                    if tag is None:
                        if len(_RESOLVED) >= _RESOLVED_LIMIT:
                            _RESOLVED.clear()
                        tag = _RESOLVED[value] = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
                    return tag
                return _STR
            return _SEQ if kind is yaml.SequenceNode else _MAP

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            """Nothing to follow: path resolvers are all PyYAML's own does this for."""

        def ascend_resolver(self) -> None:
            """As `descend_resolver`."""

    _CLoader.add_constructor(_SET, _sorted_set)
    _IMPLICIT_FIRSTS = frozenset(_CLoader.yaml_implicit_resolvers)
    if None in _IMPLICIT_FIRSTS or _CLoader.yaml_path_resolvers:  # resolvers these would skip: PyYAML's own
        del _CLoader.resolve, _CLoader.descend_resolver, _CLoader.ascend_resolver
    _RESOLVED: dict[str, str] = {}
    """The tag of each plain text with a first character that may start an implicit tag."""
    _RESOLVED_LIMIT = 10_000
    LOADER = _CLoader  # type: ignore[assignment]  # the same interface, another base class


def normalize_line_breaks(text: str) -> str:
    """`\\r\\n` and a lone `\\r` as `\\n`: every line number okrdocs gives counts lines the way
    editors do, whichever line ends a file was saved with."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


_NOT_LINE_BREAKS = str.maketrans({"\x85": " ", "\u2028": " ", "\u2029": " "})
"""Characters YAML takes for line breaks but editors do not; read as spaces, YAML's line
numbers stay the file's."""


_CLOSING_LINE = re.compile(r"\n(?:---|\.\.\.)[^\S\n]*(?:\n|\Z)")
"""A line '---' or '...', maybe with blanks after it (what `str.rstrip` would remove)."""


def split_front_matter(text: str) -> SourceFile | None:
    """The YAML between an opening `---` on line 1 and the next `---` or `...` line.

    Lines end at '\\n' only (use `normalize_line_breaks` first): str.splitlines would also
    break at form feeds. Returns None when the file does not start with `---`. Raises
    YamlError when the front matter is never closed.
    """
    text = text.removeprefix("\ufeff")
    first_line_end = text.find("\n")
    if (text if first_line_end < 0 else text[:first_line_end]).rstrip() != "---":
        return None
    closing = _CLOSING_LINE.search(text, first_line_end) if first_line_end >= 0 else None
    if closing is None:
        raise YamlError(
            "the front matter opened by '---' on line 1 is never closed: add a line '---' after the last field",
            1,
        )
    return SourceFile(text[first_line_end + 1 : closing.start() + 1], 2, text[closing.end() :])


def parse_yaml(text: str, first_line: int = 1) -> YamlDocument:
    """Parse one YAML document; `first_line` is the file line the text starts on."""
    if not text.isascii():
        text = text.translate(_NOT_LINE_BREAKS)
    deep_at = _deep_nesting_offset(text)
    if deep_at is not None:
        raise _nesting_error(first_line + text.count("\n", 0, deep_at))
    loader = None
    try:
        loader = LOADER(text)  # PyYAML's own reader looks for unprintable characters here
        node = loader.get_single_node()
        return YamlDocument(None) if node is None else _walk(loader, node, first_line)
    except YamlError:
        raise
    except yaml.MarkedYAMLError as error:
        raise _marked_error(error, text, first_line) from None
    except yaml.reader.ReaderError:
        raise _unprintable_character(text, first_line) from None
    except RecursionError:  # the pure-Python composer on nesting the check above let through
        raise _nesting_error(first_line) from None
    except Exception as error:  # the one boundary: no YAML ends a run with a traceback
        raise YamlError(f"invalid YAML: {error}", first_line) from None
    finally:
        if loader is not None:
            loader.dispose()


_Entry = tuple[yaml.Node, LinePath, Any, Any, bool]


def _walk(loader: yaml.SafeLoader, root: yaml.Node, first_line: int) -> YamlDocument:
    """The document's value and the line of each key and item, in one pass over its nodes.

    Each stack entry is a node, its path, and the container and slot its value goes in.
    Plain mappings, lists and scalars are built here; a node PyYAML must construct itself
    (a merge key, `!!set`, `!!omap`, an unknown tag) is constructed after its children
    have been walked, so that the limits are enforced before PyYAML sees it. Aliases are
    walked each time they occur: the limits count values as the reader would see them.
    """
    lines: dict[LinePath, int] = {}
    top: list[Any] = [None]
    stack: list[_Entry] = [(root, (), top, 0, False)]
    visited = 0
    while stack:
        node, path, container, slot, children_done = stack.pop()
        if children_done:
            container[slot] = _constructed(loader, node, path, first_line, lines)
            continue
        visited += 1
        if visited > MAX_YAML_NODES:
            raise _too_large_error(first_line + node.start_mark.line)
        if len(path) > MAX_NESTING:
            raise _nesting_error(first_line + node.start_mark.line)
        kind = node.__class__
        if kind is yaml.ScalarNode:
            container[slot] = _scalar(loader, node, first_line)
            continue
        children: list[_Entry] = []
        if kind is yaml.MappingNode:
            value: Any = {}
            plain = node.tag == _MAP
            for key_node, value_node in node.value:
                if key_node.tag == _MERGE:
                    plain, key = False, key_node.value
                else:
                    key = _key(loader, key_node, first_line)
                key_path = path + (key,)
                lines[key_path] = first_line + key_node.start_mark.line
                value[key] = None  # keeps the order keys first appear in, as PyYAML's dict does
                children.append((value_node, key_path, value, key, False))
        else:
            value = [None] * len(node.value)
            plain = node.tag == _SEQ
            for index, item in enumerate(node.value):
                item_path = path + (index,)
                lines[item_path] = first_line + item.start_mark.line
                children.append((item, item_path, value, index, False))
        if plain:
            container[slot] = value
        else:
            stack.append((node, path, container, slot, True))
        stack.extend(reversed(children))
    return YamlDocument(top[0], lines)


def _scalar(loader: yaml.SafeLoader, node: yaml.Node, first_line: int) -> Any:
    tag, text = node.tag, node.value
    if tag == _STR:
        return text
    try:
        if tag == _INT and _DECIMAL_INT.fullmatch(text):
            return int(text)
        if tag == _FLOAT and _DECIMAL_FLOAT.fullmatch(text):
            return float(text)
        return loader.construct_object(node)
    except Exception as error:  # PyYAML's constructors raise IndexError, KeyError, AttributeError...
        raise _value_error(error, loader, node, first_line) from None


def _key(loader: yaml.SafeLoader, node: yaml.Node, first_line: int) -> Any:
    """A mapping key as it will be in the data (`1:` is the int 1), so its line can be found."""
    if node.__class__ is not yaml.ScalarNode:
        raise YamlError(
            "invalid YAML: while constructing a mapping; found unhashable key", first_line + node.start_mark.line
        )
    if node.tag == _VALUE:  # the key '=', which PyYAML reads as text
        return node.value
    return _scalar(loader, node, first_line)


def _constructed(
    loader: yaml.SafeLoader, node: yaml.Node, path: LinePath, first_line: int, lines: dict[LinePath, int]
) -> Any:
    """A node's value made by PyYAML's constructor, for the spellings the walk leaves to it."""
    try:
        value = loader.construct_object(node, deep=True)
    except Exception as error:  # as in _scalar
        raise _value_error(error, loader, node, first_line) from None
    if node.tag == _SET:  # a list now: each item gets the line its key was on
        key_lines = {}
        for key_node, _ in node.value:
            key = _key(loader, key_node, first_line)
            key_lines[key] = lines[path + (key,)]
        for index, item in enumerate(value):
            lines[path + (index,)] = key_lines[item]
    return value


def _value_error(error: Exception, loader: yaml.SafeLoader, node: yaml.Node, first_line: int) -> YamlError:
    """What went wrong constructing a node's value, at its line."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or node.start_mark
        return YamlError(f"invalid YAML: {_describe(error)}", first_line + mark.line)
    if isinstance(error, YamlError):
        return error
    tag = node.tag.replace(_TAG, "!!")
    shown = repr(node.value) if isinstance(node.value, str) else "this value"
    shown = shown if len(shown) <= 40 else shown[:36] + "...'"
    reason = f" ({_reason(error)})" if isinstance(error, ValueError) else ""
    line = first_line + node.start_mark.line
    if isinstance(node.value, str) and loader.resolve(yaml.ScalarNode, node.value, (True, False)) == node.tag:  # type: ignore[no-untyped-call]
        # no tag written: YAML took the text for a number or a date
        return YamlError(
            f"invalid YAML: {shown} cannot be read as {tag}{reason}: correct it, or put it in quotes to keep it as text",
            line,
        )
    return YamlError(f"invalid YAML: {shown} is not a valid {tag}{reason}: correct the value or remove the tag", line)


def _reason(error: ValueError) -> str:
    """Why Python refused the value, in words that do not change between Python versions."""
    if "integer string conversion" in str(error):  # the digit limit (CVE-2020-10735), worded per version
        return f"more than {sys.get_int_max_str_digits()} digits"
    return str(error).split(":")[0]


def _too_large_error(line: int) -> YamlError:
    return YamlError(
        f"the YAML is too large (more than {MAX_YAML_NODES:,} values once aliases are expanded): "
        "keep front matter to the fields okrdocs reads",
        line,
        too_large=True,
    )


def _nesting_error(line: int) -> YamlError:
    return YamlError(
        f"the YAML is nested more than {MAX_NESTING} levels deep: keep front matter to the fields okrdocs reads",
        line,
        too_large=True,
    )


# -- errors that point at the cause -------------------------------------------------------


def _marked_error(error: yaml.MarkedYAMLError, text: str, first_line: int) -> YamlError:
    mark = error.problem_mark or error.context_mark
    # An error at the end of the text is marked on the line after it: report its last line.
    last = max(text.count("\n") - (1 if text.endswith("\n") else 0), 0)
    if "exceeded maximum nesting depth" in (error.problem or ""):  # libyaml 0.2.6 and later
        return _nesting_error(first_line + min(mark.line if mark else 0, last))
    hinted = _hint(error, text.split("\n"))
    if hinted is not None:
        line, message = hinted
        return YamlError(f"invalid YAML: {message}", first_line + min(line, last))
    return YamlError(f"invalid YAML: {_describe(error)}", first_line + min(mark.line if mark else 0, last))


def _hint(error: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, str] | None:
    """(0-based line, message) for the mistakes people make most, in words that do not
    depend on which parser read the text; None for the others."""
    context, problem = error.context or "", error.problem or ""
    start, mark = error.context_mark, error.problem_mark
    if mark is None:
        return None
    character = _character_at(lines, mark.line, mark.column)
    if start is not None and context.startswith("while scanning a quoted scalar") and "end of stream" in problem:
        quote = _character_at(lines, start.line, start.column) or '"'
        return (
            start.line,
            f"the quote {quote} that starts a value on this line is never closed: end the value with {quote}",
        )
    if (
        start is not None
        and context.startswith(("while parsing a flow sequence", "while parsing a flow mapping"))
        and mark.line > start.line
    ):
        opening = _character_at(lines, start.line, start.column) or "["
        closing, kind = ("]", "list") if opening == "[" else ("}", "mapping")
        return start.line, (
            f"the '{opening}' on this line is never closed: end the {kind} with '{closing}', "
            "or put the value in quotes if it is text"
        )
    if character == "\t":
        return mark.line, "a tab character: indent YAML with spaces only"
    if problem.startswith("mapping values are not allowed"):
        return _colon_in_value(lines, mark.line, mark.column)
    return None


_KEY_AND_VALUE = re.compile(r"[ ]*(?:-[ ]+)*([^\s#'\"{\[][^:]*?):[ ]+(.*?)[ ]*")


def _colon_in_value(lines: list[str], line: int, column: int) -> tuple[int, str] | None:
    """`title: Widgets: sell 200`: the second ': ' makes YAML read a key in the value."""
    match = _KEY_AND_VALUE.fullmatch(lines[line]) if line < len(lines) else None
    if match is None or match.end(1) >= column:
        return None  # the first colon on the line: not a value that holds one
    key, value = match[1], match[2]
    quoted = f'"{value}"' if '"' not in value and "\\" not in value else "'" + value.replace("'", "''") + "'"
    example = f"{key}: {quoted}"
    if len(example) > 80:
        return line, "a value that contains ': ' must be in quotes"
    return line, f"a value that contains ': ' must be in quotes: write {example}"


def _character_at(lines: list[str], line: int, column: int) -> str:
    return lines[line][column] if line < len(lines) and column < len(lines[line]) else ""


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


# -- nesting the parsers cannot take --------------------------------------------------------

_DASH_RUN = re.compile(rf"(?:-[ \t]+){{{MAX_NESTING},}}")
_DEEP_INDENT = re.compile(rf"^ {{{MAX_NESTING}}}", re.MULTILINE)


def _deep_nesting_offset(text: str) -> int | None:
    """Where the text nests more than MAX_NESTING levels, if it can, else None.

    Composing nests as deep as the text (libyaml's C composer and PyYAML's own recurse per
    level): this look at the characters refuses deep nesting before either starts. Each
    test runs only when a cheap count shows the text could nest that deep.
    """
    if text.count("[") + text.count("{") > MAX_NESTING:
        depth = 0
        for offset, char in enumerate(text):
            if char in "[{":
                depth += 1
                if depth > MAX_NESTING:
                    return offset
            elif char in "]}":
                depth -= 1
    if text.count("- ") + text.count("-\t") >= MAX_NESTING:
        run = _DASH_RUN.search(text)
        if run is not None:
            return run.start()
    if _DEEP_INDENT.search(text):
        return _deep_block_offset(text)
    return None


def _deep_block_offset(text: str) -> int | None:
    """Where indentation first opens more than MAX_NESTING block levels: each line indented
    deeper than the one it belongs to, and each '- ' before its content, opens one."""
    columns: list[int] = []
    offset = 0
    for line in text.split("\n"):
        content = line.lstrip(" ")
        column = len(line) - len(content)
        if content and not content.startswith("#"):
            while columns and columns[-1] >= column:
                columns.pop()
            columns.append(column)
            while content.startswith(("- ", "-\t")):
                rest = content[1:].lstrip(" \t")
                column += len(content) - len(rest)
                columns.append(column)
                content = rest
            if len(columns) > MAX_NESTING:
                return offset
        offset += len(line) + 1
    return None
