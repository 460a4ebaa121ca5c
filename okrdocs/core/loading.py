"""Reading an OKR folder into a `Repository`, with a `Problem` for everything unusable.

Loading never stops at the first bad file: each file is read on its own, and a record with
a bad field is still kept with that field left empty, so that later checks can report
everything in one run.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from . import problems as codes
from .fields import (
    KEY_RESULT_FIELDS,
    OBJECTIVE_FIELDS,
    TEAM_FIELDS,
    VISION_FIELDS,
    FieldSpec,
    check_fields,
)
from .forking import ForkedParts, can_fork
from .frontmatter import MAX_FILE_BYTES, YamlDocument, YamlError, parse_yaml, split_front_matter
from .model import VISION, KeyResult, Located, Objective, ParentRef, Repository, Team, Vision, is_slug
from .problems import Problem

DEFAULT_OKRS_DIR = "okrs"
"""The OKR folder's name, next to mkdocs.yml, when no option names another."""
TEAMS_FILE = "teams.yml"
VISION_FILE = "vision.md"
_HEADING = re.compile(r"^# +(.+?)\s*#*\s*$", re.MULTILINE)


class _Reporter:
    """Collects problems for one file."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def add(self, code: codes.Code, line: int, message: str) -> None:
        self.problems.append(Problem.of(code, self.path, line, message))


def load_repository(root: Path) -> tuple[Repository, list[Problem]]:
    """Read `teams.yml`, `vision.md` and every other `*.md` below `root`."""
    repository = Repository()
    problems: list[Problem] = []
    # Workers start on their share of the objective files while teams and vision are read.
    finish_objectives = _start_objectives(root, sorted(objective_files(root)))
    repository.teams = _load_teams(root, problems)
    vision_path = root / VISION_FILE
    if vision_path.exists():
        repository.vision = _load_vision(vision_path, problems)
    else:
        problems.append(
            Problem.of(
                codes.MISSING_FILE,
                VISION_FILE,
                1,
                f"no {VISION_FILE} in the OKR folder: create it with front matter "
                "'vision: <one sentence>' so objectives can trace back to it",
            )
        )
    for objectives, unreadable, found in finish_objectives():
        repository.objectives.extend(objectives)
        repository.unreadable_objective_ids.update(unreadable)
        problems.extend(found)
    return repository, problems


PARALLEL_MIN_FILES = 1000
"""From this many objective files on, they are read on every core the process may use."""
MAX_WORKERS = 4

_Loaded = tuple[list[Objective], set[str], list[Problem]]


def _start_objectives(root: Path, files: list[str]) -> Callable[[], list[_Loaded]]:
    """Start loading the objective files; the function returned finishes the work and gives
    the loaded chunks in file order.

    Parsing YAML is most of the time `okrdocs check` takes on a large organisation, and
    each file is independent: from PARALLEL_MIN_FILES files on, forked workers load the
    later chunks and send back what they loaded, while this process loads the first. The
    results are the same as loading here alone, which is what happens for small folders,
    in a process that runs threads (fork could deadlock them, e.g. under `mkdocs serve`),
    away from Linux, or when processes cannot be started.
    """
    chunks = _chunks(files, _worker_count(len(files)))
    workers: list[ForkedParts[_Loaded]] = []
    try:
        workers = [ForkedParts(_load_in_parts, root, chunk) for chunk in chunks[1:]]
    except OSError:  # no processes allowed here
        chunks = [files]

    def finish() -> list[_Loaded]:
        loaded = [_load_chunk(root, chunks[0])]
        try:
            for worker in workers:
                loaded.extend(worker.parts())
        except ChildProcessError:  # a worker died: load every file here instead
            return [_load_chunk(root, files)]
        return loaded

    return finish


PARENT_SHARE = 1.1
"""This process's chunk, relative to a worker's. A forked worker loads each file about 20%
slower than this process and pickles what it loaded; this process also reads teams.yml and
vision.md, and unpickles the worker's parts, mostly while the worker makes the last ones.
Measured on 5,005 files and two cores: this process then waits 0.05 to 0.15 s for the last
part at 1.1, and about 0.2 s at 0.88."""

PART_FILES = 200
"""A worker sends what it loaded in parts of this many files: this process unpickles the
first parts while the worker loads the next, and only the last part is left at the end."""


def _chunks(files: list[str], workers: int) -> list[list[str]]:
    """Contiguous chunks in file order: the first for this process, one per other worker."""
    if workers <= 1:
        return [files]
    first = round(len(files) * PARENT_SHARE / (PARENT_SHARE + workers - 1))
    rest = files[first:]
    size = max(1, -(-len(rest) // (workers - 1)))
    return [files[:first], *(rest[start : start + size] for start in range(0, len(rest), size))]


def _load_in_parts(root: Path, files: list[str]) -> Iterator[_Loaded]:
    for start in range(0, len(files), PART_FILES):
        yield _load_chunk(root, files[start : start + PART_FILES])


def _load_chunk(root: Path, files: list[str]) -> _Loaded:
    repository = Repository()
    problems: list[Problem] = []
    for relative in files:
        _load_objective(root, relative, repository, problems)
    return repository.objectives, repository.unreadable_objective_ids, problems


def _worker_count(file_count: int) -> int:
    if file_count < PARALLEL_MIN_FILES or not can_fork():
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), MAX_WORKERS))


def objective_files(root: Path) -> Iterator[str]:
    """POSIX paths, relative to `root`, of every objective file.

    Hidden files and folders and names starting with '_' are skipped, so a folder can
    keep notes or drafts next to its OKRs.
    """
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith((".", "_"))]
        relative_folder = os.path.relpath(folder, root)
        for name in files:
            if not name.endswith(".md") or name.startswith((".", "_")):
                continue
            relative = name if relative_folder == "." else f"{relative_folder}/{name}"
            relative = relative.replace(os.sep, "/")
            if relative != VISION_FILE:
                yield relative


def _read_text(root: Path, relative: str, report: _Reporter) -> str | None:
    path = os.path.join(root, relative)  # not a Path: thousands of files, and only system calls use it
    try:
        info = os.lstat(path)  # one system call for an ordinary file; links cost more
        if stat.S_ISLNK(info.st_mode):
            info = os.stat(path)  # what it points to; a dangling link raises "cannot read"
            if not Path(path).resolve().is_relative_to(root.resolve()):
                # A pull request could otherwise publish any file of the build machine.
                report.add(
                    codes.UNREADABLE_FILE,
                    1,
                    "a symbolic link to a file outside the OKR folder: okrdocs reads only files "
                    "inside it; copy the file in instead",
                )
                return None
        if not stat.S_ISREG(info.st_mode):  # e.g. a symbolic link to /dev/zero: endless
            report.add(
                codes.UNREADABLE_FILE,
                1,
                "not a regular file (a folder, a device or a pipe, maybe behind a symbolic link): "
                "replace it with an ordinary file",
            )
            return None
        data = _read_bytes(path, info.st_size)
        size = max(len(data), info.st_size)
    except OSError as error:
        report.add(codes.UNREADABLE_FILE, 1, f"cannot read the file: {error.strerror or error}")
        return None
    if len(data) > MAX_FILE_BYTES:
        report.add(
            codes.TOO_LARGE,
            1,
            f"the file has {size:,} bytes, more than the limit of {MAX_FILE_BYTES:,}: "
            "move long material to a linked page",
        )
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        report.add(
            codes.UNREADABLE_FILE,
            line,
            f"the file is not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}): "
            "save it with UTF-8 encoding",
        )
        return None


def _read_bytes(path: str, size: int) -> bytes:
    """The file's bytes, at most MAX_FILE_BYTES + 1 (one more tells a file too large).

    Asks for the size the stat gave and one byte more (to see a file that grew since):
    asking for MAX_FILE_BYTES + 1 at once would make a 1 MB buffer for every file.
    """
    limit = MAX_FILE_BYTES + 1
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        data = os.read(descriptor, min(size, MAX_FILE_BYTES) + 1)
        while len(data) < limit:  # until the end of the file, which the next read finds
            chunk = os.read(descriptor, limit - len(data))
            if not chunk:
                break
            data += chunk
    finally:
        os.close(descriptor)
    return data


def _parse(text: str, first_line: int, report: _Reporter) -> YamlDocument | None:
    try:
        return parse_yaml(text, first_line)
    except YamlError as error:
        report.add(codes.TOO_LARGE if error.too_large else codes.INVALID_YAML, error.line, error.message)
        return None


def _checked(
    record: dict[Any, Any],
    specs: dict[str, FieldSpec],
    what: str,
    document: YamlDocument,
    path: tuple[Any, ...],
    report: _Reporter,
    optional: frozenset[str] = frozenset(),
) -> tuple[dict[str, Any], Located]:
    """Check a record's fields, report each issue at its line, return values and location."""
    record_line = document.line(*path, default=document.line(*path[:-1], default=1)) if path else 1
    lines = document.lines
    field_lines = {str(key): lines.get(path + (key,), record_line) for key in record}
    values, issues = check_fields(record, specs, what, optional)
    for issue in issues:
        code = {
            "missing": codes.MISSING_FIELD,
            "unknown": codes.UNKNOWN_FIELD,
            "invalid": codes.INVALID_VALUE,
        }[issue.kind]
        report.add(code, field_lines.get(issue.key, record_line), issue.message)
    return values, Located(report.path, record_line if path else 1, field_lines)


def _load_teams(root: Path, problems: list[Problem]) -> list[Team]:
    report = _Reporter(TEAMS_FILE, problems)
    path = root / TEAMS_FILE
    if not path.exists():
        report.add(
            codes.MISSING_FILE,
            1,
            f"no {TEAMS_FILE} in the OKR folder: create it with a list 'teams:' of "
            "'- id: <slug>' and 'name: <name>' entries",
        )
        return []
    text = _read_text(root, TEAMS_FILE, report)
    document = _parse(text, 1, report) if text is not None else None
    if document is None:
        return []
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("teams"), list):
        report.add(
            codes.NOT_A_MAPPING,
            document.line("teams", default=1),
            f"{TEAMS_FILE} must hold a list 'teams:' whose items are '- id: <slug>' with 'name: <name>'",
        )
        return []
    for key in data:
        if key != "teams":
            report.add(codes.UNKNOWN_FIELD, document.line(key), f"unknown field '{key}' in {TEAMS_FILE}: only 'teams' is read")
    teams = []
    for index, record in enumerate(data["teams"]):
        item_path = ("teams", index)
        if not isinstance(record, dict):
            report.add(codes.NOT_A_MAPPING, document.line(*item_path), "each team must be a mapping with 'id' and 'name'")
            continue
        values, where = _checked(record, TEAM_FIELDS, "a team", document, item_path, report)
        if "id" not in values:
            continue
        teams.append(
            Team(
                id=values["id"],
                name=values.get("name", values["id"]),
                where=where,
                parent_id=values.get("parent"),
                lead=values.get("lead"),
                description=values.get("description"),
            )
        )
    return teams


def _front_matter(root: Path, relative: str, report: _Reporter) -> tuple[YamlDocument, str] | None:
    """The parsed front matter mapping of a Markdown file, and its body."""
    text = _read_text(root, relative, report)
    if text is None:
        return None
    try:
        source = split_front_matter(text)
    except YamlError as error:
        report.add(codes.NOT_A_MAPPING, error.line, error.message)
        return None
    if source is None:
        report.add(
            codes.NOT_A_MAPPING,
            1,
            "the file has no front matter: start it with a line '---', the fields, and another '---'",
        )
        return None
    document = _parse(source.front_matter, source.front_matter_first_line, report)
    if document is None:
        return None
    if not isinstance(document.data, dict):
        report.add(
            codes.NOT_A_MAPPING,
            2,
            "the front matter is not a mapping of fields: write one 'name: value' per line",
        )
        return None
    return document, source.body


def _load_vision(path: Path, problems: list[Problem]) -> Vision | None:
    report = _Reporter(VISION_FILE, problems)
    parsed = _front_matter(path.parent, VISION_FILE, report)
    if parsed is None:
        return None
    document, body = parsed
    values, where = _checked(document.data, VISION_FIELDS, VISION_FILE, document, (), report)
    return Vision(values.get("vision", ""), where, values.get("horizon"), body)


def _load_objective(root: Path, relative: str, repository: Repository, problems: list[Problem]) -> None:
    report = _Reporter(relative, problems)
    file_id = posixpath.basename(relative).removesuffix(".md")
    parsed = _front_matter(root, relative, report)
    if parsed is None:
        repository.unreadable_objective_ids.add(file_id)
        return
    document, body = parsed
    written_title = document.data.get("title")
    # The body's heading stands in for a missing or unusable title; most files have a title.
    heading = None if isinstance(written_title, str) and written_title.strip() else _HEADING.search(body)
    optional = frozenset({"title"}) if heading else frozenset()
    values, where = _checked(document.data, OBJECTIVE_FIELDS, "the objective", document, (), report, optional)
    # Checked before the objective may be dropped, so that their problems are reported too.
    key_results = _key_results(document, report, document.data.get("key_results"))
    if document.data.get("id") is None:  # absent, or `id:` with nothing after it
        if not is_slug(file_id):
            report.add(
                codes.INVALID_VALUE,
                where.line_of("id"),
                f"the file name '{file_id}' is not a valid objective id: rename the file to a slug "
                "(a-z, 0-9 and '-') or add 'id: <slug>'",
            )
            repository.unreadable_objective_ids.add(file_id)
            return
        values["id"] = file_id
    if values.get("id") is None:
        repository.unreadable_objective_ids.add(file_id)
        return
    if values["id"] == VISION:
        report.add(
            codes.INVALID_VALUE,
            where.line_of("id"),
            "the id 'vision' is reserved: 'parent: vision' means the organisation's vision; "
            "rename the file or set another 'id'",
        )
        repository.unreadable_objective_ids.add(VISION)
        return
    title = values.get("title") or (heading[1].strip() if heading else "")
    if heading and "title" not in values:
        body = body[: heading.start()] + body[heading.end() :]
    parent = values.get("parent")
    repository.objectives.append(
        Objective(
            id=values["id"],
            title=title,
            where=where,
            team_id=values.get("team"),
            period=values.get("period"),
            parent=ParentRef.parse(parent) if parent else None,
            key_results=key_results,
            owner=values.get("owner"),
            status=values.get("status"),
            confidence=values.get("confidence"),
            tags=values.get("tags", ()),
            body=body.strip("\n"),
            key_results_written=len(values.get("key_results", ())),
        )
    )


def _key_results(document: YamlDocument, report: _Reporter, raw: Any) -> list[KeyResult]:
    if not isinstance(raw, list):
        return []
    results = []
    for index, record in enumerate(raw):
        item_path = ("key_results", index)
        if not isinstance(record, dict):
            report.add(
                codes.NOT_A_MAPPING,
                document.line(*item_path),
                "each key result must be a mapping with 'id' and 'title', like '- id: kr1'",
            )
            continue
        values, where = _checked(record, KEY_RESULT_FIELDS, "a key result", document, item_path, report)
        if "id" not in values:
            continue
        teams = record.get("delegated_to")
        if isinstance(teams, list):  # so that a team at fault is reported on its own line of the list
            key_line = where.line_of("delegated_to")
            lines = document.lines
            where.item_lines["delegated_to"] = tuple(
                lines.get(item_path + ("delegated_to", index), key_line) for index in range(len(teams))
            )
        kr = KeyResult(
            id=values["id"],
            title=values.get("title", values["id"]),
            where=where,
            delegated_to=values.get("delegated_to", ()),
            start=values.get("start"),
            target=values.get("target"),
            current=values.get("current"),
            unit=values.get("unit"),
            progress=values.get("progress"),
        )
        _check_measurement(kr, record, report)
        results.append(kr)
    return results


def _check_measurement(kr: KeyResult, record: dict[Any, Any], report: _Reporter) -> None:
    """start/target/current go together, and a target equal to the start measures nothing."""
    if kr.start is None and kr.target is None and kr.current is None:
        return  # nothing given (or nothing valid, reported already): nothing to pair
    numeric = {"start": kr.start, "target": kr.target, "current": kr.current}
    given = [name for name, value in numeric.items() if value is not None]
    missing = [name for name in numeric if record.get(name) is None]  # a bad value is reported already
    if given and missing:
        report.add(
            codes.MISSING_FIELD,
            kr.where.line_of(given[0]),
            f"key result '{kr.id}' has {', '.join(given)} but no {' or '.join(missing)}: "
            "give start, target and current together, or use 'progress: 0.0..1.0'",
        )
    elif len(given) == 3 and kr.target == kr.start:
        report.add(
            codes.INVALID_VALUE,
            kr.where.line_of("target"),
            f"key result '{kr.id}' has target equal to start ({kr.start:g}), so progress cannot be measured: "
            "set a target different from the start",
        )
