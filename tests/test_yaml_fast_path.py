"""The fast YAML walk (`parse_yaml`) gives exactly what PyYAML's safe constructor gives.

`parse_yaml` builds plain documents itself, for speed on thousands of files, and hands
anything unusual to the general path; either way values, lines and errors must be the same.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrdocs import frontmatter
from okrdocs.frontmatter import YamlError, parse_yaml


def _outcome(text: str) -> tuple[Any, ...]:
    try:
        document = parse_yaml(text, 2)
    except YamlError as error:
        return ("error", error.message, error.line, error.too_large)
    return ("ok", _comparable(document.data), document.lines)


def _comparable(value: Any) -> Any:
    """NaN is not equal to itself; compare it by name."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dict):
        return {key: _comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    return value


def _refuse(*args: Any) -> Any:
    raise frontmatter._Unusual


def _general_outcome(text: str) -> tuple[Any, ...]:
    """What `parse_yaml` gives when every document takes the general path."""
    fast_walk = frontmatter._build
    frontmatter._build = _refuse
    try:
        return _outcome(text)
    finally:
        frontmatter._build = fast_walk


def assert_same(text: str) -> None:
    assert _outcome(text) == _general_outcome(text), text


def test_a_typical_objective_takes_the_fast_path() -> None:
    text = (
        "title: Grow revenue\nteam: sales\nperiod: 2026-Q1\nparent: diversify#kr1\ntags: [a, b]\n"
        "key_results:\n  - id: kr1\n    title: Hire 2\n    start: 0\n    target: 2\n    current: 1.5\n"
    )
    general = frontmatter._parse_with_constructor
    frontmatter._parse_with_constructor = _refuse
    try:
        document = parse_yaml(text, 2)
    finally:
        frontmatter._parse_with_constructor = general
    assert document.data["key_results"] == [{"id": "kr1", "title": "Hire 2", "start": 0, "target": 2, "current": 1.5}]
    assert document.data["period"] == "2026-Q1" and document.data["tags"] == ["a", "b"]
    assert document.line("key_results", 0, "current") == 12
    assert_same(text)


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
    "big: 123456789012345678901234567890\nhex: 0x1F\noct: 0o17\nsexagesimal: 1:30\n",
    "inf: .inf\nnan: .nan\nbool: on\nnull_word: null\n",
    "nested: " + "[" * 70 + "]" * 70 + "\n",
    "key_results:\n" + "".join(f"  - id: kr{i}\n    title: KR {i}\n" for i in range(30)),
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
