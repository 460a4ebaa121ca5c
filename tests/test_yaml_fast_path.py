"""`parse_yaml`'s fast paths give exactly what PyYAML's safe constructor gives.

For speed on thousands of files, `parse_yaml` reads plain block YAML line by line
(`block_yaml`), walks PyYAML's nodes itself for other plain documents, and hands anything
unusual to the general path; whichever path reads a text, values, their types, lines and
errors must be the same.
"""

from __future__ import annotations

import datetime
import math
from pathlib import Path
from typing import Any
from unittest.mock import patch

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrdocs.core import frontmatter
from okrdocs.core.block_yaml import read_plain_yaml
from okrdocs.core.frontmatter import YamlError, parse_yaml, split_front_matter


def _outcome(text: str) -> tuple[Any, ...]:
    try:
        document = parse_yaml(text, 2)
    except YamlError as error:
        return ("error", error.message, error.line, error.too_large)
    return ("ok", _comparable(document.data), document.lines)


def _comparable(value: Any) -> Any:
    """Values with their types (`True == 1 == 1.0` in Python); NaN by name, as it is not
    equal to itself."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dict):
        return {_comparable(key): _comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    return (type(value).__name__, value)


def _refuse(*args: Any) -> Any:
    raise frontmatter._Unusual


def _decline(*args: Any) -> None:
    return None


def _general_outcome(text: str) -> tuple[Any, ...]:
    """What `parse_yaml` gives when every document takes the general path."""
    with patch.object(frontmatter, "read_plain_yaml", _decline), patch.object(frontmatter, "_build", _refuse):
        return _outcome(text)


def _node_walk_outcome(text: str) -> tuple[Any, ...]:
    """What `parse_yaml` gives when no document is read line by line."""
    with patch.object(frontmatter, "read_plain_yaml", _decline):
        return _outcome(text)


def assert_same(text: str) -> None:
    general = _general_outcome(text)
    assert _outcome(text) == general, text
    assert _node_walk_outcome(text) == general, text


def test_the_demo_objectives_are_read_line_by_line() -> None:
    """The demo is written as users write OKRs: if one of its objectives needs PyYAML, the
    line reader has lost a common spelling."""
    files = list((Path(__file__).parent.parent / "okrs").rglob("*.md"))
    assert len(files) > 20
    for path in files:
        source = split_front_matter(path.read_text(encoding="utf-8"))
        assert source is not None
        assert read_plain_yaml(source.front_matter, 2, frontmatter.MAX_YAML_NODES, frontmatter.MAX_NESTING), path


def test_a_typical_objective_is_read_line_by_line() -> None:
    text = (
        "title: Grow revenue\nteam: sales\nperiod: 2026-Q1\nparent: diversify#kr1\ntags: [a, b]\n"
        "key_results:\n  - id: kr1\n    title: Hire 2\n    start: 0\n    target: 2\n    current: 1.5\n"
    )
    with patch.object(frontmatter, "_parse_with_pyyaml", _refuse):
        document = parse_yaml(text, 2)
    assert document.data["key_results"] == [{"id": "kr1", "title": "Hire 2", "start": 0, "target": 2, "current": 1.5}]
    assert document.data["period"] == "2026-Q1" and document.data["tags"] == ["a", "b"]
    assert document.line("key_results", 0, "current") == 12
    assert document.line("tags", 1) == 6
    assert_same(text)


def test_a_document_with_pyyaml_spellings_takes_the_node_walk() -> None:
    text = "title: Grow\ntags: {a: 1}\nkey_results:\n  - id: kr1\n    progress: 0.5\n"
    with patch.object(frontmatter, "_parse_with_constructor", _refuse):
        document = parse_yaml(text, 2)
    assert read_plain_yaml(text, 2, frontmatter.MAX_YAML_NODES, frontmatter.MAX_NESTING) is None
    assert document.data["tags"] == {"a": 1} and document.line("key_results", 0, "progress") == 6


UNUSUAL_DOCUMENTS = [
    "title: Grow\nperiod: 2026\nkey_results:\n  - id: kr1\n    progress: 0.5\n",
    "base: &b {team: sales, period: 2026-Q1}\nobjective:\n  <<: *b\n  title: Merged\n",
    "tags: !!set {a, b}\n",
    "pairs: !!omap [{a: 1}, {b: 2}]\n",
    "data: !!binary aGVsbG8=\n",
    "when: 2026-01-31\nat: 2026-01-31 10:00:00\n",
    "when: 2026-02-31\n",
    "custom: !thing value\n",
    "? [complex, key]\n: value\n",
    "? {a: 1}\n: value\n",
    "1: one\n2.5: two\ntrue: yes\n~: nothing\n",
    "title: first\ntitle: second\n",
    "value: =\n",
    "=: value\n",
    "anchor: &a [1, 2]\nagain: *a\n",
    "loop: &l [*l]\n",
    "bomb: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"l{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 10) + "]\n" for i in range(1, 6)),
    "title: !!str 2026\nperiod: !!int '2026'\n",
    "title: 'quoted: yes'\nowner: \"double\"\n",
    "empty:\nlist: []\nmap: {}\n",
    "- a\n- b\n",
    "just a string\n",
    "",
    "# only a comment\n",
    "longer_than_python_reads: " + "1" * 5000 + "\n",
    "big: 123456789012345678901234567890\nhex: 0x1F\noct: 0o17\nsexagesimal: 1:30\n",
    "inf: .inf\nnan: .nan\nbool: on\nnull_word: null\n",
    "nested: " + "[" * 70 + "]" * 70 + "\n",
    "key_results:\n" + "".join(f"  - id: kr{i}\n    title: KR {i}\n" for i in range(30)),
    # around the limits: 64 levels, 20,000 values
    *("".join(" " * i + "k:\n" for i in range(depth)) + " " * depth + "k: v\n" for depth in (62, 63, 64, 65)),
    *("".join(" " * i + "k:\n" for i in range(depth)) + " " * depth + "k: [a]\n" for depth in (62, 63, 64)),
    *("".join(" " * i + "k:\n" for i in range(depth)) + " " * depth + "- a\n" for depth in (63, 64, 65)),
    *("- x\n" * items for items in (4999, 19_999, 20_000)),
    "k: [" + ", ".join(["x"] * 19_998) + "]\n",
    "k: [" + ", ".join(["x"] * 19_999) + "]\n",
]


@pytest.mark.parametrize("text", UNUSUAL_DOCUMENTS)
def test_unusual_documents_read_the_same(text: str) -> None:
    assert_same(text)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates(),
    st.datetimes(min_value=datetime.datetime(1900, 1, 1)),
    st.sampled_from(["2026", "2026-Q1", "yes", "off", "~", "=", "<<", "0x1F", "1:30", ".inf", "kr1#x"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=6), st.integers(0, 3), st.booleans()), children, max_size=4),
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES, st.booleans())
def test_random_documents_read_the_same(data: Any, flow: bool) -> None:
    assert_same(yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="ab:-[]{}&*!?#'\"\n <=1.~,|>", max_size=40))
def test_random_texts_read_the_same(text: str) -> None:
    assert_same(text)


# Block YAML as people write front matter, with the characters and spellings where PyYAML
# reads something else than it seems, so that both what the line reader accepts and what
# it leaves to PyYAML are exercised.
NICE_KEYS = st.sampled_from(["id", "title", "key_results", "delegated_to", "a-b", "_x", "x1"])
KEYS = st.one_of(NICE_KEYS, NICE_KEYS, NICE_KEYS, st.sampled_from(["yes", "on", "null", "1", "<<", "a b", "'q'"]))
NICE_SCALARS = st.sampled_from(
    [
        "Grow revenue", "kr1", "2026", "2026-Q1", "-5", "+3", "0.5", "1.", "0", "Elena García", "a:b", "C#",
        "a #b", "a  # c", "'it''s'", "'a' # c", "\"q\"", "\"a: #b\"", "[a, b]", "[1, 2.5, yes]", "[]",
        "[ a ,b ]", "[a b, c-d]", "[x]  # c", "-x", "?x", ":x", "yes", "No", "off", "~", "null", "#c",
    ]
)
TRICKY_SCALARS = st.one_of(
    st.text(alphabet="ab :#-'\"[],1.0~é?!&*%|>{}`@\\\t\r\x85\ufeff\x07", min_size=1, max_size=10),
    st.sampled_from(
        [
            "1e3", "07", "0x1F", "1_000", "1:30", "Null", "NULL", ".inf", "=", "2026-01-31", "a: b", "x:",
            "'a'#c", '"a\\"b"', "\"a\" # c", "[a,]", "- x", "-", "!tag x", "&a x", "*a", "|", ">", "{a: 1}",
            "a, b", "kr1#x", "'open", "\"open",
        ]
    ),
)
WRITTEN_SCALARS = st.one_of(NICE_SCALARS, NICE_SCALARS, NICE_SCALARS, NICE_SCALARS, TRICKY_SCALARS)


@st.composite
def block_documents(
    draw: st.DrawFn, keys: st.SearchStrategy[str] = KEYS, scalars: st.SearchStrategy[str] = WRITTEN_SCALARS, column: int = 0, depth: int = 0
) -> list[str]:
    """The lines of a block mapping at `column`, its values scalars, lists and mappings."""
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        key = draw(keys)
        shape = draw(st.sampled_from(["scalar", "scalar", "empty", "list", "mapping"] if depth < 3 else ["scalar"]))
        if shape in ("scalar", "empty"):
            lines.append(f"{' ' * column}{key}:" + ("" if shape == "empty" else " " + draw(scalars)))
        elif shape == "mapping":
            lines.append(f"{' ' * column}{key}:")
            lines += draw(block_documents(keys, scalars, column + draw(st.integers(1, 3)), depth + 1))
        else:
            lines.append(f"{' ' * column}{key}:")
            lines += draw(block_lists(keys, scalars, column + draw(st.integers(0, 3)), depth + 1))
        if draw(st.integers(0, 5)) == 0:
            lines.append(" " * draw(st.integers(0, 6)) + draw(st.sampled_from(["", "# a comment", "#"])))
    return lines


@st.composite
def block_lists(
    draw: st.DrawFn, keys: st.SearchStrategy[str], scalars: st.SearchStrategy[str], column: int, depth: int
) -> list[str]:
    lines = []
    for _ in range(draw(st.integers(1, 3))):
        gap = " " * draw(st.integers(1, 3))
        if draw(st.booleans()):
            # not '- #c': an item that starts on the next line
            item = draw(scalars.filter(lambda written: not written.startswith("#")))
            lines.append(f"{' ' * column}-{gap}{item}")
        else:
            item = draw(block_documents(keys, scalars, column + 1 + len(gap), depth + 1))
            lines += [f"{' ' * column}-{gap}{item[0].lstrip(' ')}", *item[1:]]
    return lines


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block_documents(NICE_KEYS, NICE_SCALARS), st.booleans())
def test_plain_block_documents_are_read_line_by_line(lines: list[str], trailing_blanks: bool) -> None:
    text = "\n".join(line + (" " if trailing_blanks else "") for line in lines) + "\n"
    assert read_plain_yaml(text, 2, frontmatter.MAX_YAML_NODES, frontmatter.MAX_NESTING) is not None, text
    assert_same(text)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block_documents(), st.booleans())
def test_block_documents_read_the_same(lines: list[str], trailing_blanks: bool) -> None:
    assert_same("\n".join(line + (" " if trailing_blanks else "") for line in lines) + "\n")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block_documents(NICE_KEYS, NICE_SCALARS), st.data())
def test_mutated_block_documents_read_the_same(lines: list[str], data: st.DataObject) -> None:
    """One character put in, or taken out, anywhere: indents that no longer line up, a
    key that becomes a scalar, a quote left open."""
    text = "\n".join(lines) + "\n"
    position = data.draw(st.integers(0, len(text) - 1))
    if data.draw(st.booleans()):
        text = text[:position] + data.draw(st.sampled_from(list(" -:#'\"[],\n\tx"))) + text[position:]
    else:
        text = text[:position] + text[position + 1 :]
    assert_same(text)


def _split_line_by_line(text: str) -> tuple[str, int, str] | str | None:
    """What `split_front_matter` means, spelled out: the lines up to the first line after
    line 1 that is '---' or '...' once trailing blanks are removed."""
    lines = text.removeprefix("\ufeff").split("\n")
    if lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "".join(line + "\n" for line in lines[1:index]), 2, "\n".join(lines[index + 1 :])
    return "never closed"


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["---", "...", "--- ", "---\t", "---\r", "...\u3000", "---\x1c", " ---", "----", "a: 1", "", "x"]), max_size=6), st.sampled_from(["", "\n", "\n\n"]), st.booleans())
def test_front_matter_ends_at_the_line_editors_see(lines: list[str], end: str, byte_order_mark: bool) -> None:
    text = "\ufeff" * byte_order_mark + "\n".join(lines) + end
    try:
        source = split_front_matter(text)
    except YamlError:
        assert _split_line_by_line(text) == "never closed"
        return
    expected = _split_line_by_line(text)
    assert (source if source is None else (source.front_matter, source.front_matter_first_line, source.body)) == expected
