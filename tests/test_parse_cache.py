"""The parse cache: an unchanged file is not parsed again, by `okrdocs check` (on disk) or by
a `mkdocs serve` rebuild (in memory), and what it reads back is only ever data."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import CliRun
from okrdocs.core.caches import parse_cache
from okrdocs.core.caches.cache_files import cache_folder
from okrdocs.core.caches.parse_cache import CHECKED_FILE, PRINTED_FILE, ParseCache
from okrdocs.core.domain.problems import Severity
from okrdocs.core.history.git import find_checkout
from okrdocs.core.reading import loading
from okrdocs.core.rules.check import check_folder
from sitebuild import html_of, write_site

Run = Callable[..., CliRun]
BROKEN = {"support/help.md": "---\ntitle: Help\nteam: suport\nperiod: 2026-H1\nparent: grow\nkey_results: []\n---\n"}
EXPECTED = [
    "okrs/support/help.md:3: OKR401 there is no team 'suport' in teams.yml: add the team there or fix 'team'; "
    "did you mean 'support'?",
    "okrs/support/help.md:6: OKR601 objective 'help' has 0 key results; the expected range is 1 to 5: add key results",
]


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The first lines of the texts parsed as YAML, one per parse, as they happen."""
    seen: list[int] = []
    original = loading.parse_yaml

    def counting(text: str, first_line: int = 1) -> Any:
        seen.append(first_line)
        return original(text, first_line)

    monkeypatch.setattr(loading, "parse_yaml", counting)
    yield seen


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_second_check_parses_nothing_and_says_the_same(
    okr_folder, okrdocs: Run, parsed: list[int], tmp_path: Path
) -> None:
    folder = okr_folder(BROKEN)
    before = snapshot(folder)
    first = okrdocs("check", "--okrs", "okrs")
    assert (first.status, first.lines, len(parsed)) == (1, EXPECTED, 5)  # teams.yml, vision.md, 3 objectives
    assert (tmp_path / ".cache" / "okrdocs" / "okr-files.json").is_file()  # next to the OKR folder, not in it
    parsed.clear()
    second = okrdocs("check", "--okrs", "okrs")
    assert (second.status, second.out, second.err, parsed) == (first.status, first.out, first.err, [])
    assert snapshot(folder) == before


def test_an_edited_file_is_parsed_again_and_only_it(okr_folder, okrdocs: Run, parsed: list[int]) -> None:
    folder = okr_folder(BROKEN)
    okrdocs("check", "--okrs", "okrs")
    parsed.clear()
    help_file = folder / "support" / "help.md"
    help_file.write_text(help_file.read_text().replace("suport", "support"))
    run = okrdocs("check", "--okrs", "okrs")
    assert (run.lines, len(parsed)) == (EXPECTED[1:], 1)
    parsed.clear()
    (folder / "sales" / "sell-more.md").unlink()  # a file that is gone is forgotten, and nothing is parsed
    okrdocs("check", "--okrs", "okrs")
    assert parsed == []


def test_no_cache_parses_everything_and_writes_nothing(
    okr_folder, okrdocs: Run, parsed: list[int], tmp_path: Path
) -> None:
    okr_folder(BROKEN)
    for _ in range(2):
        run = okrdocs("check", "--no-cache", "--okrs", "okrs")
        assert run.lines == EXPECTED
    assert len(parsed) == 10
    assert not (tmp_path / ".cache").exists()


def test_the_cache_folder_comes_from_mkdocs_yml(okr_folder, okrdocs: Run, parsed: list[int], tmp_path: Path) -> None:
    okr_folder(BROKEN)
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - okrdocs:\n      cache_dir: build/okr-cache\n")
    assert okrdocs("check").lines == EXPECTED
    assert (tmp_path / "build" / "okr-cache" / "okr-files.json").is_file()


def test_a_cache_folder_inside_the_okr_folder_or_docs_dir_is_never_written(
    okr_folder, okrdocs: Run, tmp_path: Path
) -> None:
    folder = okr_folder(BROKEN)
    before = snapshot(folder)
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - okrdocs:\n      cache_dir: okrs/.cache\n")
    assert okrdocs("check").lines == EXPECTED
    assert snapshot(folder) == before
    (tmp_path / "mkdocs.yml").write_text(
        "docs_dir: site_src\nplugins:\n  - okrdocs:\n      cache_dir: site_src/.cache\n"
    )
    assert okrdocs("check").lines == EXPECTED
    assert not (tmp_path / "site_src").exists()
    checkout = find_checkout(tmp_path)
    assert cache_folder(tmp_path / "docs" / "cache", folder, tmp_path / "docs", checkout=checkout) == (None, None)
    assert cache_folder(folder, folder, checkout=checkout) == (None, None)


def _corrupted(original: dict[str, Any]) -> list[bytes]:
    """Cache files that must be ignored: not JSON, another okrdocs, entries of other shapes."""
    files = original["files"]

    def with_entries(change: Callable[[Any], Any]) -> bytes:
        return json.dumps({**original, "files": {key: change(value) for key, value in files.items()}}).encode()

    def wrong_title(entry: Any) -> Any:  # an objective whose title is a number
        if entry[3] is not None:
            entry = [*entry[:3], [entry[3][0], 5, *entry[3][2:]], *entry[4:]]
        return entry

    return [
        b"\x00garbage",
        b"[]",
        b'{"files": {}}',
        json.dumps({**original, "okrdocs": "another okrdocs"}).encode(),
        with_entries(lambda entry: ["x"]),
        with_entries(lambda entry: {"problems": []}),
        with_entries(wrong_title),
        with_entries(lambda entry: [[["support/help.md", "1", "OKR101", ["x"], "error"]], [], None, None, None]),
        with_entries(
            lambda entry: [[["support/help.md", 1, "OKR101", ["x"], "no such severity"]], [], None, None, None]
        ),
        b"[" * 100_000,
    ]


def test_a_corrupt_or_foreign_cache_file_is_ignored_and_replaced(okr_folder, okrdocs: Run, tmp_path: Path) -> None:
    okr_folder(BROKEN)
    okrdocs("check", "--okrs", "okrs")
    file = tmp_path / ".cache" / "okrdocs" / "okr-files.json"
    original = json.loads(file.read_bytes())
    for content in _corrupted(original):
        file.write_bytes(content)
        (file.parent / PRINTED_FILE).unlink()  # else the check's output is printed again, and no file parsed
        run = okrdocs("check", "--okrs", "okrs")
        assert (run.status, run.lines) == (1, EXPECTED), content[:80]
        assert json.loads(file.read_bytes()) == original, content[:80]


def test_a_corrupt_or_foreign_printed_output_is_not_printed(okr_folder, okrdocs: Run, tmp_path: Path) -> None:
    """The output kept in okr-check.txt is printed again only when its first line, JSON,
    names this okrdocs and the same key, and the rest is UTF-8: else the check runs."""
    okr_folder(BROKEN)
    expected = okrdocs("check", "--okrs", "okrs")
    assert (expected.status, expected.lines) == (1, EXPECTED)
    file = tmp_path / ".cache" / "okrdocs" / PRINTED_FILE
    signature, key, how, summary, status = json.loads(file.read_bytes().partition(b"\n")[0])
    forged = "okrs/support/help.md:1: OKR101 forged"
    for content in [
        b"",
        b"\x00garbage\nforged",
        json.dumps([signature, key, how, summary, status]).encode() + b"\n\xff\xfe not UTF-8",
        json.dumps([signature, "another key", how, summary, 0]).encode() + b"\n" + forged.encode(),
        json.dumps([signature, key, "printed another way", summary, 0]).encode() + b"\n" + forged.encode(),
        json.dumps(["another okrdocs", key, how, summary, 0]).encode() + b"\n" + forged.encode(),
        json.dumps([signature, key, how, summary, "0"]).encode() + b"\n" + forged.encode(),
        json.dumps([signature, key, how, 7, 0]).encode() + b"\n" + forged.encode(),
        json.dumps([signature, key, 7, summary, 0]).encode() + b"\n" + forged.encode(),
        json.dumps([signature, key, summary, 0]).encode() + b"\n" + forged.encode(),
        json.dumps({"okrdocs": signature, "key": key, "a": 1, "b": 2, "c": 3}).encode() + b"\n" + forged.encode(),
        b"[" * 100_000 + b"\n" + forged.encode(),
    ]:
        file.write_bytes(content)
        run = okrdocs("check", "--okrs", "okrs")
        assert (run.status, run.lines, run.err) == (expected.status, expected.lines, expected.err), content[:80]
    file.write_bytes(json.dumps([signature, key, how, summary, 0]).encode() + b"\n" + forged.encode())
    kept = okrdocs("check", "--okrs", "okrs")  # the cache folder is trusted: what it keeps is printed
    assert (kept.status, kept.lines) == (0, [forged])


def test_an_unchanged_folder_reuses_the_last_checks_output_and_from_a_second_way_its_findings(
    okr_folder, okrdocs: Run, parsed: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Printed the same way again: the output kept, nothing parsed, no findings decoded.
    Printed a second way: checked again (from the parse cache), and the findings kept, so
    that every later way of printing them parses nothing either."""
    okr_folder(BROKEN)
    okrdocs("check", "--okrs", "okrs")
    kept = tmp_path / ".cache" / "okrdocs" / CHECKED_FILE
    assert not kept.exists()  # printed one way: only the output is kept
    assert okrdocs("check", "--okrs", "okrs", "--format", "json").status == 1
    assert kept.is_file()
    monkeypatch.setattr(parse_cache.ParseCache, "get", lambda *_: pytest.fail("the parse cache was read"))
    monkeypatch.setattr(parse_cache, "_decode_checked", _counting(parse_cache._decode_checked, decoded := []))
    for arguments in (["--format", "text"], ["--format", "json"], ["--format", "github"], ["--strict"]):
        expected = okrdocs("check", "--okrs", "okrs", "--no-cache", *arguments)
        parsed.clear()
        again = okrdocs("check", "--okrs", "okrs", *arguments)
        assert (again.status, again.out, again.err, parsed) == (expected.status, expected.out, expected.err, [])
        # Printed the same way again: the output kept, the findings not even decoded.
        decoded.clear()
        third = okrdocs("check", "--okrs", "okrs", *arguments)
        assert (third.status, third.out, third.err, decoded) == (expected.status, expected.out, expected.err, [])


def _counting(function, calls: list[int]):
    def counted(*args, **kwargs):
        calls.append(1)
        return function(*args, **kwargs)

    return counted


def test_what_the_findings_depend_on_is_part_of_their_key(okr_folder, okrdocs: Run, tmp_path: Path) -> None:
    folder = okr_folder(BROKEN)
    okrdocs("check", "--okrs", "okrs")
    (tmp_path / "mkdocs.yml").write_text("plugins:\n  - okrdocs:\n      max_key_results: 2\n      min_key_results: 0\n")
    assert okrdocs("check").lines == EXPECTED[:1]  # a setting of the rules
    help_file = folder / "support" / "help.md"
    help_file.write_text(help_file.read_text().replace("suport", "support"))
    assert okrdocs("check").lines == []  # a file
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (folder / "linked").symlink_to(outside)
    assert "OKR101" in okrdocs("check").out  # what listing the folder refused
    (tmp_path / ".cache" / "okrdocs" / CHECKED_FILE).write_text('{"okrdocs": 1, "key": [')
    assert "OKR101" in okrdocs("check").out  # a corrupt file: checked again


def test_records_read_back_are_the_records_written(tmp_path: Path) -> None:
    demo = Path(__file__).resolve().parents[1] / "okrs"
    file = tmp_path / "cache" / "okr-files.json"
    first = check_folder(demo, cache=ParseCache(file))
    again = check_folder(demo, cache=ParseCache(file))
    assert again.cascade.repository == first.cascade.repository
    assert [o.where.field_lines for o in again.cascade.objectives.values()] == [
        o.where.field_lines for o in first.cascade.objectives.values()
    ]


def test_a_serve_rebuild_parses_only_the_files_that_changed(tmp_path: Path, parsed: list[int]) -> None:
    """Under `mkdocs serve` the config is loaded again for each rebuild, but a plugin with
    on_startup keeps its instance, and with it the parse cache."""
    config_file = write_site(tmp_path, plugin={"diagrams": False, "cache_dir": "no-such-folder/../cache"})
    source = tmp_path / "okrs" / "company" / "diversify-markets.md"
    config = load_config(str(config_file))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config)
        assert len(parsed) == len(list((tmp_path / "okrs").rglob("*.md"))) + 1  # and teams.yml
        parsed.clear()
        source.write_text(source.read_text().replace("title: Diversify by expanding", "title: Grow by expanding"))
        config = load_config(str(config_file))
        build(config)
        assert len(parsed) == 1
        assert "<h1>Grow by expanding" in html_of(Path(config.site_dir), "okrs/diversify-markets/")
    finally:
        config.plugins.on_shutdown()


def test_a_live_preview_writes_the_file_after_its_first_build_and_when_it_stops(okr_folder, tmp_path: Path) -> None:
    folder = okr_folder()
    file = tmp_path / "cache" / "okr-files.json"
    cache = ParseCache(file, hold=True)
    check_folder(folder, cache=cache)
    first = file.read_bytes()
    (folder / "support" / "help.md").write_text(
        (folder / "support" / "help.md").read_text().replace("title: Help", "title: Assist")
    )
    edited = check_folder(folder, cache=cache)
    assert edited.cascade.objectives["help"].title.startswith("Assist")
    assert file.read_bytes() == first  # not after every edit
    cache.flush()
    assert file.read_bytes() != first
    parsed_again = ParseCache(file)
    assert check_folder(folder, cache=parsed_again).cascade.objectives["help"].title.startswith("Assist")


def test_a_record_is_kept_as_the_list_of_its_fields_one_field_too() -> None:
    """Cache files are written by json.dumps, which asks for each record's fields."""

    @dataclasses.dataclass
    class One:
        only: str

    kept = parse_cache._dumps({"a": One("x"), "b": [One("y"), (1, 2.5, None)], "c": Severity.ADVICE})
    assert kept == '{"a":["x"],"b":[["y"],[1,2.5,null]],"c":"advice"}'


@pytest.mark.parametrize("weight", ["1e400", "NaN", "1" + "0" * 400])
def test_a_cache_whose_numbers_are_not_what_loading_gives_is_parsed_again(
    okr_folder, okrdocs: Run, tmp_path: Path, weight: str
) -> None:
    """A weight no file can have (not finite, an integer: loading keeps floats) made
    `okrdocs report` fail with OverflowError or print NaN, which is no JSON (found by a
    hostile review): such a record is parsed again."""
    okr_folder()
    expected = okrdocs("report", "--okrs", "okrs", "--format", "json").out  # fills the parse cache
    file = tmp_path / ".cache" / "okrdocs" / "okr-files.json"
    text = file.read_text(encoding="utf-8")
    assert ',1.0,[],"metric"' in text  # a key result's weight, then its dependencies and kind
    file.write_text(text.replace(',1.0,[],"metric"', f',{weight},[],"metric"'), encoding="utf-8")
    report = okrdocs("report", "--okrs", "okrs", "--format", "json")
    assert report.status == 0 and report.out == expected
    json.loads(report.out, parse_constant=pytest.fail)
