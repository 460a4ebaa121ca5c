"""Reading an OKR folder into a `Repository`, with a `Problem` for everything unusable.

Loading never stops at the first bad file: each file is read on its own, and a record with
a bad field is still kept with that field left empty, so that later checks can report
everything in one run.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain import problems as codes
from ..domain.model import VISION, KeyResult, Located, Objective, ParentRef, Repository, Team, Vision, is_slug
from ..domain.names import id_from_file_name, segment_problem
from ..domain.problems import Problem
from ..history.git import looks_like_git_folder
from .fields import (
    KEY_RESULT_FIELDS,
    OBJECTIVE_FIELDS,
    TEAM_FIELDS,
    VISION_FIELDS,
    FieldSpec,
    check_fields,
)
from .frontmatter import MAX_FILE_BYTES, YamlDocument, YamlError, normalize_line_breaks, parse_yaml, split_front_matter
from .kinds import check_kind_fields
from .workers import PROCESS_MIN_FILES, Workers

if TYPE_CHECKING:
    from hashlib import _Hash as Hash

    from ..caches.parse_cache import ParseCache

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


@dataclass
class FileRecords:
    """What one file gave: its records and its problems. Loading a file depends on its path
    in the OKR folder and its bytes only, so this is what the parse cache keeps."""

    problems: list[Problem]
    teams: list[Team] = field(default_factory=list)
    vision: Vision | None = None
    objective: Objective | None = None
    unreadable_id: str | None = None
    """An objective file's id (its name) when it could not be read at all."""


def parse_workers() -> Workers[FileRecords]:
    """What parses a large folder's objective files on two cores (`load_repository`)."""
    return Workers(objective_file_records)


def load_repository(
    root: Path, cache: ParseCache | None = None, workers: Workers[FileRecords] | None = None
) -> tuple[Repository, list[Problem]]:
    """Read `teams.yml`, `vision.md` and every other `*.md` below `root`.

    A folder without teams.yml is refused before anything else is read: it is not an OKR
    folder (`okrs_dir: /` would otherwise read every Markdown file of the machine).
    With a `cache`, files whose bytes it has seen are not parsed again; it is saved after.
    `workers`: the caller's `parse_workers()`, to hand its worker more work after loading.
    """
    repository = Repository()
    problems: list[Problem] = []
    if not (root / TEAMS_FILE).exists():
        problems.append(
            _missing(TEAMS_FILE, "create it with a list 'teams:' of '- id: <slug>' and 'name: <name>' entries")
        )
        if not (root / VISION_FILE).exists():
            problems.append(_missing(VISION_FILE, _VISION_FIX))
        return repository, problems
    files, problems = _listed(root)
    with nullcontext(workers) if workers is not None else parse_workers() as parsing:
        if len(files) >= PROCESS_MIN_FILES and (cache is None or cache.knows_nothing):
            parsing.start()  # it starts while teams.yml is parsed and the files are read
        _load_files(root, files, cache, repository, problems, parsing)
    if cache is not None:
        cache.save()
    return repository, problems


def _load_files(
    root: Path,
    files: list[str],
    cache: ParseCache | None,
    repository: Repository,
    problems: list[Problem],
    workers: Workers[FileRecords],
) -> None:
    """Read teams.yml, vision.md and the objective `files` into `repository`."""
    digest = _listing_digest(problems)
    teams = _load_file(root, TEAMS_FILE, _teams_records, cache, digest)
    repository.teams = teams.teams
    problems.extend(teams.problems)
    if (root / VISION_FILE).exists():
        vision = _load_file(root, VISION_FILE, _vision_records, cache, digest)
        repository.vision = vision.vision
        problems.extend(vision.problems)
    else:
        problems.append(_missing(VISION_FILE, _VISION_FIX))
    for loaded in _objective_files_records(root, files, cache, digest, workers):
        problems.extend(loaded.problems)
        if loaded.objective is not None:
            repository.objectives.append(loaded.objective)
        if loaded.unreadable_id is not None:
            repository.unreadable_objective_ids.add(loaded.unreadable_id)
    repository.digest = digest.hexdigest()


_GIT_FOLDER = (
    "the OKR folder holds HEAD, objects/ and refs/, so git would take it for a repository of its "
    "own and obey its config: remove them (git runs only on the checkout's own .git)"
)
_VISION_FIX = "create it with front matter 'vision: <one sentence>' so objectives can trace back to it"


def folder_digest(root: Path) -> str | None:
    """The `Repository.digest` that `load_repository` gives the folder, from the files'
    bytes alone, nothing parsed (None without teams.yml): the key of a cached check."""
    if not (root / TEAMS_FILE).exists():
        return None
    files, refused = _listed(root)
    digest = _listing_digest(refused)
    vision = [VISION_FILE] if (root / VISION_FILE).exists() else []
    for relative in [TEAMS_FILE, *vision, *files]:
        report = _Reporter(relative, [])
        _add_to_digest(digest, relative, _read_bytes_checked(root, relative, report), report)
    return digest.hexdigest()


def _listed(root: Path) -> tuple[list[str], list[Problem]]:
    """The objective files of `root` (`objective_files`) and what listing it refused: a
    folder git would take for a repository, links leading out of it. The digest of a
    folder starts with the latter, so a cached check is not reused when they change."""
    refused: list[Problem] = []
    if looks_like_git_folder(root):
        refused.append(Problem.of(codes.UNREADABLE_FILE, "HEAD", 1, _GIT_FOLDER))
    return objective_files(root, refused), refused


def _listing_digest(refused: list[Problem]) -> Hash:
    """A digest started with what listing the folder refused (links leading out of it)."""
    return hashlib.sha256(repr(refused).encode("utf-8", "surrogateescape"))


def _add_to_digest(digest: Hash, relative: str, data: bytes | None, report: _Reporter) -> str | None:
    """Add a file to the repository's digest: its key (returned), or why it cannot be read."""
    if data is None:
        digest.update(f"{relative}\0{report.problems!r}\0".encode("utf-8", "surrogateescape"))
        return None
    key = file_key(relative, data)
    digest.update(key.encode())
    return key


def _missing(name: str, fix: str) -> Problem:
    return Problem.of(codes.MISSING_FILE, name, 1, f"no {name} in the OKR folder: {fix}")


def objective_files(root: Path, refused: list[Problem] | None = None) -> list[str]:
    """POSIX paths, relative to `root`, of every objective file, sorted.

    Hidden files and folders and names starting with '_' are skipped, so a folder can
    keep notes or drafts next to its OKRs. A symbolic link to a folder is followed while
    its real path stays inside the OKR folder; one that leads out of it, or back into a
    folder that holds it, is not followed and goes into `refused` as a problem, so that
    the objectives it would have held do not vanish without a word.
    """
    real_root = os.path.realpath(root)
    found: list[str] = []
    folders = [("", real_root)]  # (path relative to root, real path)
    while folders:
        relative_folder, real_folder = folders.pop()
        try:
            entries = list(os.scandir(os.path.join(root, relative_folder)))
        except OSError as error:
            _refuse(refused, relative_folder or ".", f"cannot read the folder: {error.strerror or error}")
            continue
        for entry in entries:
            name = entry.name
            if name.startswith((".", "_")):
                continue
            relative = f"{relative_folder}/{name}" if relative_folder else name
            problem = None if name.isascii() else segment_problem(name)
            if problem is not None:  # the same rule as names from git trees and caches
                _refuse(refused, relative, f"{problem}: rename it")
                continue
            try:
                is_folder = entry.is_dir()  # follows a symbolic link
                is_link = is_folder and entry.is_symlink()
            except OSError:
                is_folder = is_link = False
            if not is_folder:
                if name.endswith(".md") and relative != VISION_FILE:
                    found.append(relative)
            elif not is_link:
                folders.append((relative, os.path.join(real_folder, name)))
            else:
                real = os.path.realpath(entry.path)
                if real == real_folder or real_folder.startswith(real + os.sep):
                    _refuse(
                        refused,
                        relative,
                        "a symbolic link to a folder that holds it: okrdocs would read it "
                        "again and again; remove the link",
                    )
                elif not real.startswith(real_root + os.sep):
                    # A pull request could otherwise publish any folder of the build machine.
                    _refuse(
                        refused,
                        relative,
                        "a symbolic link to a folder outside the OKR folder: okrdocs reads "
                        "only files inside it; move the folder in",
                    )
                else:
                    folders.append((relative, real))
    return sorted(found)


def is_objective_path(relative: str) -> bool:
    """Whether a POSIX path relative to the folder names an objective file, by the rule of
    `objective_files`: for paths that come from elsewhere, like git's history."""
    parts = relative.split("/")
    return (
        relative.endswith(".md") and relative != VISION_FILE and not any(part.startswith((".", "_")) for part in parts)
    )


def read_objective(relative: str, text: str) -> Objective | None:
    """The objective a file's text holds, or None when it has none that can be used.

    For files that are not in the folder, like a file at a past commit (`history`);
    their problems are not reported: only the folder as it is now is checked.
    """
    return _objective_records(relative, text, _Reporter(relative, [])).objective


def _refuse(refused: list[Problem] | None, relative: str, message: str) -> None:
    if refused is not None:
        refused.append(Problem.of(codes.UNREADABLE_FILE, relative, 1, message))


def file_key(relative: str, data: bytes) -> str:
    """What loading a file depends on: its path in the OKR folder and its bytes."""
    digest = hashlib.sha256(relative.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()


Records = Callable[[str, str, _Reporter], FileRecords]
"""Makes a file's records from its text (the path relative to the OKR folder, the text,
and where its problems go)."""


def _load_file(
    root: Path,
    relative: str,
    records: Records,
    cache: ParseCache | None,
    digest: Hash,
    unreadable_id: str | None = None,
) -> FileRecords:
    """A file's records: from the cache when it has seen these bytes at this path. Its key
    goes into `digest`, the repository's.

    `unreadable_id` is what a file that cannot be read at all leaves (an objective's id).
    """
    found = _cached_or_bytes(root, relative, cache, digest, unreadable_id)
    if isinstance(found, FileRecords):
        return found
    key, data, report = found
    loaded = _records_of(relative, data, records, report, unreadable_id)
    if cache is not None:
        cache.put(key, loaded)
    return loaded


def _cached_or_bytes(
    root: Path, relative: str, cache: ParseCache | None, digest: Hash, unreadable_id: str | None
) -> FileRecords | tuple[str, bytes, _Reporter]:
    """A file's records when it cannot be read or the cache has them, else its key, its
    bytes and where its problems go. Its key goes into `digest`."""
    report = _Reporter(relative, [])
    path, started, status = os.path.join(root, relative), time.time_ns(), None
    # A live preview (a held cache) reads again only the files whose status changed.
    if cache is not None and cache.hold and (status := file_status(path)) is not None:
        known = cache.unchanged_key(path, status)
        kept = cache.get(known) if known is not None else None
        if known is not None and kept is not None:  # the very bytes read last time
            digest.update(known.encode())
            return kept
    data = _read_bytes_checked(root, relative, report)
    key = _add_to_digest(digest, relative, data, report)
    if data is None or key is None:
        return FileRecords(report.problems, unreadable_id=unreadable_id)
    if cache is not None and status is not None:
        cache.remember(path, status, key, started)
    cached = cache.get(key) if cache is not None else None
    return cached if cached is not None else (key, data, report)


def _objective_files_records(
    root: Path, files: list[str], cache: ParseCache | None, digest: Hash, workers: Workers[FileRecords]
) -> list[FileRecords]:
    """Each objective file's records, in order: from the cache, else parsed (a large
    folder's on two cores: `workers`). Every key goes into `digest` in the files' order."""
    loaded: list[FileRecords] = []
    to_parse: list[tuple[int, str, bytes]] = []  # (index in loaded, key, bytes)
    for relative in files:
        found = _cached_or_bytes(root, relative, cache, digest, id_from_file_name(relative))
        if isinstance(found, FileRecords):
            loaded.append(found)
        else:
            key, data, _ = found  # nothing reported yet: the file could be read
            to_parse.append((len(loaded), key, data))
            loaded.append(FileRecords([]))  # replaced below
    made = workers.made([(files[index], data) for index, _, data in to_parse])
    for (index, key, _), records in zip(to_parse, made, strict=True):
        loaded[index] = records
        if cache is not None:
            cache.put(key, records)
    return loaded


def file_status(path: str) -> tuple[int, ...] | None:
    """What changes whenever a regular file's bytes do: its inode, size, modification and
    change times (the kernel sets the change time on every write; no one can set it back).
    None for anything else than a regular file (a symbolic link is read every time)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def objective_file_records(relative: str, data: bytes) -> FileRecords:
    """What an objective file's bytes give, its problems included (what the cache saves)."""
    return _records_of(relative, data, _objective_records, _Reporter(relative, []), id_from_file_name(relative))


def _records_of(
    relative: str, data: bytes, records: Records, report: _Reporter, unreadable_id: str | None
) -> FileRecords:
    text = _decoded(data, report)
    if text is None:
        return FileRecords(report.problems, unreadable_id=unreadable_id)
    return records(relative, text, report)


def _read_bytes_checked(root: Path, relative: str, report: _Reporter) -> bytes | None:
    """The file's bytes, or None after reporting why it cannot be read."""
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
    return data


def _decoded(data: bytes, report: _Reporter) -> str | None:
    """The text, with every line ending as '\\n', or None after reporting it is not UTF-8."""
    try:
        return normalize_line_breaks(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1
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


def _teams_records(relative: str, text: str, report: _Reporter) -> FileRecords:
    records = FileRecords(report.problems)
    document = _parse(text, 1, report)
    if document is None:
        return records
    data = document.data
    if not isinstance(data, dict) or not isinstance(data.get("teams"), list):
        report.add(
            codes.NOT_A_MAPPING,
            document.line("teams", default=1),
            f"{TEAMS_FILE} must hold a list 'teams:' whose items are '- id: <slug>' with 'name: <name>'",
        )
        return records
    for key in data:
        if key != "teams":
            report.add(
                codes.UNKNOWN_FIELD, document.line(key), f"unknown field '{key}' in {TEAMS_FILE}: only 'teams' is read"
            )
    for index, record in enumerate(data["teams"]):
        item_path = ("teams", index)
        if not isinstance(record, dict):
            report.add(
                codes.NOT_A_MAPPING, document.line(*item_path), "each team must be a mapping with 'id' and 'name'"
            )
            continue
        values, where = _checked(record, TEAM_FIELDS, "a team", document, item_path, report)
        if "id" not in values:
            continue
        records.teams.append(
            Team(
                id=values["id"],
                name=values.get("name", values["id"]),
                where=where,
                parent_id=values.get("parent"),
                lead=values.get("lead"),
                description=values.get("description"),
                reviewers=values.get("reviewers", ()),
            )
        )
    return records


def _front_matter(text: str, report: _Reporter) -> tuple[YamlDocument, str] | None:
    """The parsed front matter mapping of a Markdown file, and its body."""
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


def _first_line(text: str, body: str) -> int:
    """The file line the body (the end of `text`, after the front matter) starts on."""
    return text.count("\n", 0, len(text) - len(body)) + 1


def _stripped(body: str, first_line: int) -> tuple[str, int]:
    """The body without its leading and trailing blank lines, and the file line it then starts on."""
    stripped = body.lstrip("\n")
    return stripped.rstrip("\n"), first_line + len(body) - len(stripped)


def _vision_records(relative: str, text: str, report: _Reporter) -> FileRecords:
    parsed = _front_matter(text, report)
    if parsed is None:
        return FileRecords(report.problems)
    document, body = parsed
    values, where = _checked(document.data, VISION_FIELDS, VISION_FILE, document, (), report)
    body, body_line = _stripped(body, _first_line(text, body))
    vision = Vision(values.get("vision", ""), where, values.get("horizon"), body, body_line)
    return FileRecords(report.problems, vision=vision)


def _objective_records(relative: str, text: str, report: _Reporter) -> FileRecords:
    file_id = id_from_file_name(relative)
    unreadable = FileRecords(report.problems, unreadable_id=file_id)
    parsed = _front_matter(text, report)
    if parsed is None:
        return unreadable
    document, body = parsed
    first_line = _first_line(text, body)
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
            return unreadable
        values["id"] = file_id
    if values.get("id") is None:
        return unreadable
    if values["id"] == VISION:
        report.add(
            codes.INVALID_VALUE,
            where.line_of("id"),
            "the id 'vision' is reserved: 'parent: vision' means the organisation's vision; "
            "rename the file or set another 'id'",
        )
        return FileRecords(report.problems, unreadable_id=VISION)
    title = values.get("title") or (heading[1].strip() if heading else "")
    if heading and "title" not in values:
        # The lines stay, blank: a body's line numbers are the file's (links are reported at them).
        body = body[: heading.start()] + "\n" * body.count("\n", heading.start(), heading.end()) + body[heading.end() :]
    body, body_line = _stripped(body, first_line)
    parent = values.get("parent")
    _note_item_lines(document, document.data, (), where, ("contributes_to",))
    objective = Objective(
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
        contributes_to=tuple(ParentRef.parse(ref) for ref in values.get("contributes_to", ())),
        body=body,
        body_line=body_line,
        ignore=values.get("ignore", ()),
        retrospective=values.get("retrospective"),
        commitment=values.get("commitment"),
        key_results_written=len(values.get("key_results", ())),
    )
    return FileRecords(report.problems, objective=objective)


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
        _note_item_lines(document, record, item_path, where, ("delegated_to", "depends_on"))
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
            weight=values.get("weight", 1.0),
            depends_on=values.get("depends_on", ()),
            kind=values.get("kind", "metric"),
            done=values.get("done"),
            minimum=values.get("min"),
            maximum=values.get("max"),
        )
        unknown_kind = record.get("kind") is not None and "kind" not in values  # reported already
        if not unknown_kind and check_kind_fields(kr, record, report.add) and kr.kind == "metric":
            _check_measurement(kr, record, report)
        results.append(kr)
    return results


def _note_item_lines(
    document: YamlDocument, record: dict[Any, Any], path: tuple[Any, ...], where: Located, names: tuple[str, ...]
) -> None:
    """The line of each item of the list fields `names`, so that an item at fault is
    reported on its own line of the list."""
    lines = document.lines
    for name in names:
        items = record.get(name)
        if isinstance(items, list):
            key_line = where.line_of(name)
            where.item_lines[name] = tuple(lines.get(path + (name, index), key_line) for index in range(len(items)))


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
