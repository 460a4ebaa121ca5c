"""`parse_yaml`: PyYAML's values, the line of every key and item, and every failure a
`YamlError` at a line, with either loader (libyaml's C parser or PyYAML's own).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from okrdocs.core.reading import frontmatter
from okrdocs.core.reading.frontmatter import YamlError, normalize_line_breaks, parse_yaml, split_front_matter

LOADERS = {"c": frontmatter.LOADER, "pure": frontmatter.PURE_LOADER}


@pytest.fixture(params=list(LOADERS))
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test runs with libyaml's parser and with PyYAML's own (forced)."""
    if request.param == "c" and not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML was built without libyaml")
    monkeypatch.setattr(frontmatter, "LOADER", LOADERS[request.param])
    yield request.param


def outcome(text: str) -> tuple[Any, ...]:
    try:
        document = parse_yaml(text, 2)
    except YamlError as error:
        return ("error", error.line, error.message, error.too_large)
    return ("ok", comparable(document.data), document.lines)


def comparable(value: Any) -> Any:
    """Values with their types (`True == 1 == 1.0` in Python); NaN by name."""
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    if isinstance(value, dict):
        return {comparable(key): comparable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [comparable(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return [comparable(item) for item in sorted(value, key=str)]  # okrdocs reads a set as a sorted list
    return (type(value).__name__, value)


def reference_lines(node: yaml.Node, path: tuple[Any, ...] = (), lines: dict[Any, int] | None = None) -> dict[Any, int]:
    """The lines PyYAML's own nodes give, found the obvious (recursive) way."""
    lines = {} if lines is None else lines
    constructor = yaml.SafeLoader("")
    if isinstance(node, yaml.MappingNode) and node.tag == "tag:yaml.org,2002:map":
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node) if key_node.tag != "tag:yaml.org,2002:value" else "="
            lines[path + (key,)] = 2 + key_node.start_mark.line
            reference_lines(value_node, path + (key,), lines)
    elif isinstance(node, yaml.SequenceNode) and node.tag == "tag:yaml.org,2002:seq":
        for index, item in enumerate(node.value):
            lines[path + (index,)] = 2 + item.start_mark.line
            reference_lines(item, path + (index,), lines)
    return lines


def assert_reads_like_pyyaml(text: str) -> None:
    """With each loader, the value PyYAML gives with that parser, at the lines its nodes
    give; where PyYAML fails, or okrdocs' limits refuse, a YamlError at a line of the text.
    (libyaml and PyYAML's own parser disagree on a few texts, around tabs mostly.)"""
    for loader_class in LOADERS.values():
        original = frontmatter.LOADER
        frontmatter.LOADER = loader_class
        try:
            result = outcome(text)
        finally:
            frontmatter.LOADER = original
        library_loader = loader_class.__mro__[1]  # PyYAML's own SafeLoader or CSafeLoader
        try:
            # okrdocs reads the characters YAML but no editor takes for line breaks as spaces
            expected = yaml.load(text.translate(frontmatter._NOT_LINE_BREAKS), Loader=library_loader)
        except Exception:  # whatever PyYAML raises: okrdocs gives a YamlError instead
            assert result[0] == "error", text
        else:
            if result[0] == "ok":
                assert result[1] == comparable(expected), text
                if "&" not in text and "<<" not in text and "!!" not in text:
                    nodes = yaml.compose(text.translate(frontmatter._NOT_LINE_BREAKS), Loader=library_loader)
                    assert result[2] == reference_lines(nodes), text
            else:
                assert result[3], f"only okrdocs' limits refuse YAML that PyYAML reads: {result}"
        if result[0] == "error":
            # Lines end with \n, \r\n or a lone \r (the README's rule), as editors count them.
            breaks = normalize_line_breaks(text).count("\n")
            assert 2 <= result[1] <= 2 + max(breaks, 1), result
            assert "\n" not in result[2]


# -- what PyYAML reads, okrdocs reads the same ------------------------------------------------

DOCUMENTS = [
    "title: Grow\nperiod: 2026\nkey_results:\n  - id: kr1\n    progress: 0.5\n",
    "base: &b {team: sales, period: 2026-Q1}\nobjective:\n  <<: *b\n  title: Merged\n",
    "x: &a {a: 1}\ny: {<<: [*a, {b: 2}], c: 3}\n",
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
    "<<: 1\n",
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
    "big: 123456789012345678901234567890\nhex: 0x1F\noct: 0o17\nsexagesimal: 1:30\nold_octal: 010\n",
    "inf: .inf\nnan: .nan\nbool: on\nnull_word: null\nnegative: -0.0\nplus: +.5\nexponent: 1.0e+3\n",
    "k: !!str [a]\n",
    "k: !!float 1\nj: !!int 0b101\n",
    "nested: " + "[" * 64 + "]" * 64 + "\n",
    "nested: " + "[" * 65 + "]" * 65 + "\n",
    "key_results:\n" + "".join(f"  - id: kr{i}\n    title: KR {i}\n" for i in range(30)),
    # around the limits: 64 levels, 20,000 values
    *("".join(" " * i + "k:\n" for i in range(depth)) + " " * depth + "k: v\n" for depth in (62, 63, 64, 65)),
    *("".join(" " * i + "k:\n" for i in range(depth)) + " " * depth + "k: [a]\n" for depth in (62, 63, 64)),
    *("".join(" " * i + "k:\n" for i in range(depth)) + " " * depth + "- a\n" for depth in (63, 64, 65)),
    "- x\n" * 4_999,
]
AT_THE_VALUE_LIMIT = {
    "19,999 items": "- x\n" * 19_999,
    "20,000 items": "- x\n" * 20_000,
    "19,998 flow items": "k: [" + ", ".join(["x"] * 19_998) + "]\n",
    "19,999 flow items": "k: [" + ", ".join(["x"] * 19_999) + "]\n",
}


@pytest.mark.parametrize("text", DOCUMENTS)
def test_documents_read_like_pyyaml(text: str) -> None:
    assert_reads_like_pyyaml(text)


@pytest.mark.slow  # PyYAML's pure-Python loader, the reference, takes seconds for these
@pytest.mark.parametrize("text", list(AT_THE_VALUE_LIMIT.values()), ids=list(AT_THE_VALUE_LIMIT))
def test_documents_at_the_value_limit_read_like_pyyaml(text: str) -> None:
    assert_reads_like_pyyaml(text)


def test_a_typical_objective_gives_values_and_lines() -> None:
    text = (
        "title: Grow revenue\nteam: sales\nperiod: 2026-Q1\nparent: diversify#kr1\ntags: [a, b]\n"
        "key_results:\n  - id: kr1\n    title: Hire 2\n    start: 0\n    target: 2\n    current: 1.5\n"
    )
    document = parse_yaml(text, 2)
    assert document.data["key_results"] == [{"id": "kr1", "title": "Hire 2", "start": 0, "target": 2, "current": 1.5}]
    assert document.data["period"] == "2026-Q1" and document.data["tags"] == ["a", "b"]
    assert document.line("key_results", 0, "current") == 12
    assert document.line("tags", 1) == 6


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


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES, st.booleans())
def test_random_documents_read_like_pyyaml(data: Any, flow: bool) -> None:
    assert_reads_like_pyyaml(yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet="ab:-[]{}&*!?#'\"\n\t <=1.~,|>", max_size=40))
def test_random_texts_read_like_pyyaml(text: str) -> None:
    assert_reads_like_pyyaml(text)


IMPLICIT_TEXTS = st.one_of(
    st.text(alphabet="0123456789.-+:_eExXoObB~nNuUlLtTrRfFaAsSyYiI <=!&*TZ ", max_size=25),
    st.sampled_from(["", "~", "null", "Null", "NULL", "true", "Yes", "off", "On", "N", "y", ".inf", "-.Inf", ".NaN",
                     "0x1F", "0o17", "0b101", "010", "1:30", "1_000", "+.5", "1e3", "1.0e+3", "2026-01-31",
                     "2026-01-31 10:00:00", "2026-1-31T1:00:00Z", "2026-Q1", "<<", "=", "!x", "&a", "*a"]),
    st.text(max_size=10),
)  # fmt: skip


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML was built without libyaml")
@settings(max_examples=300, deadline=None)
@given(IMPLICIT_TEXTS, st.booleans(), st.booleans())
def test_the_libyaml_loader_resolves_tags_as_pyyaml(text: str, plain: bool, quoted: bool) -> None:
    """okrdocs' shortcut to PyYAML's `resolve` gives its tags, asked twice (once remembered)."""
    library = yaml.CSafeLoader("")
    ours = frontmatter.LOADER("")
    try:
        for kind, value in ((yaml.ScalarNode, text), (yaml.SequenceNode, None), (yaml.MappingNode, None)):
            expected = library.resolve(kind, value, (plain, quoted))  # type: ignore[no-untyped-call]
            assert ours.resolve(kind, value, (plain, quoted)) == expected, (kind, text)
            assert ours.resolve(kind, value, (plain, quoted)) == expected, (kind, text)
    finally:
        library.dispose()
        ours.dispose()


# Block YAML as people write front matter, with the characters and spellings where YAML
# reads something else than it seems.
NICE_KEYS = st.sampled_from(["id", "title", "key_results", "delegated_to", "a-b", "_x", "x1"])
KEYS = st.one_of(NICE_KEYS, NICE_KEYS, NICE_KEYS, st.sampled_from(["yes", "on", "null", "1", "<<", "a b", "'q'"]))
NICE_SCALARS = st.sampled_from(
    [
        "Grow revenue",
        "kr1",
        "2026",
        "2026-Q1",
        "-5",
        "+3",
        "0.5",
        "1.",
        "0",
        "Elena García",
        "a:b",
        "C#",
        "a #b",
        "a  # c",
        "'it''s'",
        "'a' # c",
        '"q"',
        '"a: #b"',
        "[a, b]",
        "[1, 2.5, yes]",
        "[]",
        "[ a ,b ]",
        "[a b, c-d]",
        "[x]  # c",
        "-x",
        "?x",
        ":x",
        "yes",
        "No",
        "off",
        "~",
        "null",
        "#c",
    ]
)
TRICKY_SCALARS = st.one_of(
    st.text(alphabet="ab :#-'\"[],1.0~é?!&*%|>{}`@\\\t\r\x85\ufeff\x07", min_size=1, max_size=10),
    st.sampled_from(
        [
            "1e3",
            "07",
            "0x1F",
            "1_000",
            "1:30",
            "Null",
            "NULL",
            ".inf",
            "=",
            "2026-01-31",
            "a: b",
            "x:",
            "'a'#c",
            '"a\\"b"',
            '"a" # c',
            "[a,]",
            "- x",
            "-",
            "!tag x",
            "&a x",
            "*a",
            "|",
            ">",
            "{a: 1}",
            "a, b",
            "kr1#x",
            "'open",
            '"open',
            "!!set {a, b}",
            "!!timestamp x",
            "!!bool maybe",
            "!!int +",
        ]
    ),
)
WRITTEN_SCALARS = st.one_of(NICE_SCALARS, NICE_SCALARS, NICE_SCALARS, NICE_SCALARS, TRICKY_SCALARS)


@st.composite
def block_documents(
    draw: st.DrawFn,
    keys: st.SearchStrategy[str] = KEYS,
    scalars: st.SearchStrategy[str] = WRITTEN_SCALARS,
    column: int = 0,
    depth: int = 0,
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
            item = draw(scalars.filter(lambda written: not written.startswith("#")))
            lines.append(f"{' ' * column}-{gap}{item}")
        else:
            item = draw(block_documents(keys, scalars, column + 1 + len(gap), depth + 1))
            lines += [f"{' ' * column}-{gap}{item[0].lstrip(' ')}", *item[1:]]
    return lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block_documents(), st.booleans())
@example(["id: \r\r", "", "<<: Grow revenue"], False)  # lone \r line ends: the bound counted only \n
def test_block_documents_read_like_pyyaml(lines: list[str], trailing_blanks: bool) -> None:
    assert_reads_like_pyyaml("\n".join(line + (" " if trailing_blanks else "") for line in lines) + "\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(block_documents(NICE_KEYS, NICE_SCALARS), st.data())
def test_mutated_block_documents_read_like_pyyaml(lines: list[str], data: st.DataObject) -> None:
    """One character put in, or taken out, anywhere: indents that no longer line up, a
    key that becomes a scalar, a quote left open."""
    text = "\n".join(lines) + "\n"
    position = data.draw(st.integers(0, len(text) - 1))
    if data.draw(st.booleans()):
        text = text[:position] + data.draw(st.sampled_from(list(" -:#'\"[],\n\tx!&*"))) + text[position:]
    else:
        text = text[:position] + text[position + 1 :]
    assert_reads_like_pyyaml(text)


# -- one boundary: every failure is a YamlError at a line --------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: b\nwhen: !!timestamp x\n", 3, "'x' is not a valid !!timestamp: correct the value or remove the tag"),
        ("a: !!bool maybe\n", 2, "'maybe' is not a valid !!bool: correct the value or remove the tag"),
        ("a: !!int ''\n", 2, "'' is not a valid !!int: correct the value or remove the tag"),
        ("a: !!float ''\n", 2, "'' is not a valid !!float: correct the value or remove the tag"),
        ("a:\n  - !!int +\n", 3, "'+' is not a valid !!int: correct the value or remove the tag"),
        (
            "? !!int x\n: 1\n",
            2,
            "'x' is not a valid !!int (invalid literal for int() with base 10): correct the value or remove the tag",
        ),
        (
            "a: 1\nwhen: 2026-02-31\n",
            3,
            "'2026-02-31' cannot be read as !!timestamp (day is out of range for month): "
            "correct it, or put it in quotes to keep it as text",
        ),
        (
            "a: !!binary x%\n",
            2,
            "failed to decode base64 data: Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4",
        ),
        ("a: !thing x\n", 2, "could not determine a constructor for the tag '!thing'"),
        (
            "a: 1\nb: !!python/object/apply:os.system [echo]\n",
            3,
            "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'",
        ),
    ],
)
def test_values_yaml_cannot_construct_are_errors_at_their_line(loader: str, text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError) as raised:
        parse_yaml(text, 2)
    assert (raised.value.line, raised.value.message, raised.value.too_large) == (
        line,
        f"invalid YAML: {message}",
        False,
    )


NESTED = "the YAML is nested more than 64 levels deep: keep front matter to the fields okrdocs reads"
DEEP_BLOCK = "tags:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(1_000))
DEEP_FLOW = "tags: " + "[" * 1_001 + "]" * 1_001 + "\n"


@pytest.mark.parametrize(
    "text", [DEEP_BLOCK, DEEP_FLOW, "tags: " + "- " * 5_000 + "x\n"], ids=["block", "flow", "dashes"]
)
def test_deep_nesting_is_refused_at_the_line_it_gets_too_deep(loader: str, text: str) -> None:
    with pytest.raises(YamlError) as raised:
        parse_yaml(text, 2)
    expected_line = 2 + 64 if text is DEEP_BLOCK else 2  # 'a:' at column 64 opens the 65th level
    assert (raised.value.line, raised.value.message, raised.value.too_large) == (expected_line, NESTED, True)


@pytest.mark.parametrize("text", [DEEP_BLOCK, DEEP_FLOW], ids=["block", "flow"])
def test_nesting_a_parser_refuses_gets_the_same_refusal(
    loader: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without okrdocs' look at the text first, the parser itself meets the nesting: libyaml
    0.2.6 and later refuse it ("exceeded maximum nesting depth"), PyYAML's own composer runs
    out of stack, an older libyaml composes it and the walk refuses it. Each is the same
    OKR105 refusal."""
    monkeypatch.setattr(frontmatter, "_deep_nesting_offset", lambda text: None)
    with pytest.raises(YamlError) as raised:
        parse_yaml(text, 2)
    assert (raised.value.message, raised.value.too_large) == (NESTED, True)
    assert 2 <= raised.value.line <= 2 + text.count("\n")


def test_an_alias_bomb_is_refused_before_it_is_expanded(loader: str) -> None:
    bomb = "a0: &a0 [" + ", ".join(["x"] * 9) + "]\n"
    bomb += "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10))
    with pytest.raises(YamlError) as raised:
        parse_yaml(bomb, 2)
    assert raised.value.too_large and raised.value.message.startswith("the YAML is too large (more than 20,000 values")


def test_sets_come_out_sorted_whatever_the_hash_seed(loader: str) -> None:
    document = parse_yaml("tags: !!set\n  ? gamma\n  ? alpha\n  ? beta\n", 2)
    assert document.data == {"tags": ["alpha", "beta", "gamma"]}
    assert [document.line("tags", index) for index in range(3)] == [4, 5, 3]


# -- errors that point at the cause -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param(
            "title: Widgets: sell 200\nteam: sales\n",
            2,
            "a value that contains ': ' must be in quotes: write title: \"Widgets: sell 200\"",
            id="colon",
        ),
        pytest.param(
            'key_results:\n  - id: kr1\n    title: Ratio: "2 to 1"\n',
            4,
            "a value that contains ': ' must be in quotes: write title: 'Ratio: \"2 to 1\"'",
            id="colon-with-quotes",
        ),
        pytest.param(
            "title: " + "x" * 80 + ": y\n",
            2,
            "a value that contains ': ' must be in quotes",
            id="colon-long",
        ),
        pytest.param("title: x\n\tteam: y\n", 3, "a tab character: indent YAML with spaces only", id="tab"),
        pytest.param("tags:\n\t- a\n", 3, "a tab character: indent YAML with spaces only", id="tab-list"),
        pytest.param(
            'title: "Widgets\nteam: sales\nperiod: 2026\nparent: vision\n',
            2,
            'the quote " that starts a value on this line is never closed: end the value with "',
            id="double-quote",
        ),
        pytest.param(
            "team: sales\nowner: 'Pat\nperiod: 2026\n",
            3,
            "the quote ' that starts a value on this line is never closed: end the value with '",
            id="single-quote",
        ),
        pytest.param(
            "team: sales\ntags: [a, b\nperiod: 2026\nparent: vision\n",
            3,
            "the '[' on this line is never closed: end the list with ']', or put the value in quotes if it is text",
            id="bracket",
        ),
        pytest.param(
            "team: sales\ntags: {a: b\nperiod: 2026\n",
            3,
            "the '{' on this line is never closed: end the mapping with '}', or put the value in quotes if it is text",
            id="brace",
        ),
        pytest.param(
            "team: sales\ntags: [a, b\n",
            3,
            "the '[' on this line is never closed: end the list with ']', or put the value in quotes if it is text",
            id="bracket-at-the-end",
        ),
    ],
)
def test_common_mistakes_get_a_hint_at_the_line_they_start(loader: str, text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError) as raised:
        parse_yaml(text, 2)
    assert (raised.value.line, raised.value.message) == (line, f"invalid YAML: {message}")


def test_an_error_at_the_end_is_reported_on_the_last_line(loader: str) -> None:
    with pytest.raises(YamlError) as raised:
        parse_yaml("team: sales\ntitle: [\n", 2)
    assert raised.value.line == 3


# -- front matter ---------------------------------------------------------------------------------


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


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["---", "...", "--- ", "---\t", "...\u3000", "---\x1c", " ---", "----", "a: 1", "", "x"]),
        max_size=6,
    ),
    st.sampled_from(["", "\n", "\n\n"]),
    st.booleans(),
)
def test_front_matter_ends_at_the_line_editors_see(lines: list[str], end: str, byte_order_mark: bool) -> None:
    text = "\ufeff" * byte_order_mark + "\n".join(lines) + end
    try:
        source = split_front_matter(text)
    except YamlError:
        assert _split_line_by_line(text) == "never closed"
        return
    expected = _split_line_by_line(text)
    assert (
        source if source is None else (source.front_matter, source.front_matter_first_line, source.body)
    ) == expected


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_line_breaks_are_read_as_editors_count_them(ending: str) -> None:
    text = frontmatter.normalize_line_breaks(
        f"---{ending}title: x{ending}team: [a,{ending}  b]{ending}---{ending}Body{ending}"
    )
    source = split_front_matter(text)
    assert source is not None and source.body == "Body\n"
    document = parse_yaml(source.front_matter, source.front_matter_first_line)
    assert (document.data, document.line("team", 1)) == ({"title": "x", "team": ["a", "b"]}, 4)
