"""What loading each OKR file gave, kept by the file's bytes, so an unchanged file is not parsed again.

Parsing YAML and checking fields is most of what `okrdocs check` does, and loading a file
depends only on its path in the OKR folder and its bytes. The cache maps a hash of those to
the file's `FileRecords`: in memory for as long as the `ParseCache` lives (the plugin keeps
one across `mkdocs serve` rebuilds), and in one JSON file in the cache folder between runs
(pre-commit hooks, CI jobs that restore the folder, repeated `okrdocs check`).

The file is JSON read back field by field into the model's dataclasses, never pickle: the
cache folder is often inside a checkout, where a pull request can put any file, so what is
read from it can only ever be data. A file written by other okrdocs code (another version,
or a changed checkout), or one that is corrupt, too big or nested too deep, is ignored; so
is an entry whose ids or paths the loader would not have made (`_names_are_safe`): ids
become the paths of pages.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from ..domain.model import VISION, ParentRef, Period, is_slug
from ..domain.names import is_safe_relative_path
from ..domain.problems import Problem
from ..reading.loading import FileRecords
from .cache_files import read_cache_bytes, read_cache_json, write_cache_file
from .identity import code_identity

CACHE_FILE = "okr-files.json"
CHECKED_FILE = "okr-check.json"
"""The last `okrdocs check`'s findings, once printed a second way: a check of unchanged
files that prints them yet another way parses nothing."""
PRINTED_FILE = "okr-check.txt"
"""What the last `okrdocs check` printed from its findings: printing them the same way
again is all the check of an unchanged folder does."""


RACY_NS = 3_000_000_000
"""How long before a read a file must have changed for its status to stand for its bytes:
more than the coarsest file system's time stamps (FAT's 2 s)."""


class ParseCache:
    """FileRecords by `file_key(relative path, bytes)`; `save()` writes the ones used since the
    last save to `file` (if any) and forgets the others, so the cache does not grow.

    An entry read from the file is kept as JSON until it is asked for, then only as records:
    a big folder's records are held once, not twice, by a plugin kept across rebuilds.
    """

    def __init__(self, file: Path | None = None, hold: bool = False) -> None:
        """`hold`: write the file on the first `save()` and on `flush()` only (a live
        preview saves after every edit, and writing every file's records costs more than
        parsing the one that changed)."""
        self.file = file
        self.hold = hold
        self._held = False
        self._saved = False
        self._signature = _signature()
        self._records: dict[str, FileRecords] = {}
        self._stored: dict[str, Any] = _read(file, self._signature) if file is not None else {}
        self._in_file = set(self._stored)
        self._used: set[str] = set()
        self._added = False
        self._unchanged: dict[str, tuple[tuple[int, ...], str]] = {}
        """A file's path: its status when read, and its key (`unchanged_key`)."""

    def unchanged_key(self, path: str, status: tuple[int, ...]) -> str | None:
        """The key of the file at `path` when this process read it with the same `status`
        (`loading.file_status`) and it has not changed since: a live preview then reads only the
        files an edit touched."""
        known = self._unchanged.get(path)
        return known[1] if known is not None and known[0] == status else None

    def remember(self, path: str, status: tuple[int, ...], key: str, started_ns: int) -> None:
        """Note the key of the file at `path`, read with `status` after `started_ns`. Only
        a file last changed well before (RACY_NS) is noted: a file system that stamps
        times coarsely could give a second edit made right after the read the same status."""
        if max(status[-2:]) < started_ns - RACY_NS:
            self._unchanged[path] = (status, key)
        else:
            self._unchanged.pop(path, None)

    @property
    def knows_nothing(self) -> bool:
        """Whether no file's records are kept: every file will be parsed."""
        return not self._records and not self._stored

    def get(self, key: str) -> FileRecords | None:
        records = self._records.get(key)
        if records is None and key in self._stored:
            try:
                records = _decode_records(self._stored.pop(key))
            except (TypeError, ValueError, KeyError, AttributeError, RecursionError):  # corrupt: parse again
                return None
            if not _names_are_safe(records):  # not what loading a file gives: parse it again
                return None
            self._records[key] = records
        if records is not None:
            self._used.add(key)
        return records

    def put(self, key: str, records: FileRecords) -> None:
        self._records[key] = records
        self._used.add(key)
        self._added = True

    def save(self) -> None:
        """Keep only what this run used; write the file when that changed what it holds."""
        self._records = {key: self._records[key] for key in self._used}
        if self.file is not None and (self._added or self._used != self._in_file):
            if self.hold and self._saved:
                self._held = True
            else:
                self._write()
        self._stored, self._used, self._added, self._saved = {}, set(), False, True

    def flush(self) -> None:
        """Write what `save()` held back."""
        if self._held:
            self._write()

    def _write(self) -> None:
        assert self.file is not None
        _write(self.file, {"okrdocs": self._signature, "files": self._records})
        self._in_file, self._held = set(self._records), False


@dataclass(frozen=True)
class CheckedFolder:
    """What checking a folder found: its problems (the page collisions included), in their
    stable order, and counts."""

    problems: list[Problem]
    objectives: int
    teams: int


@dataclass(frozen=True)
class PrintedCheck:
    """What `okrdocs check` printed from kept findings: its output, its summary line (None:
    none printed) and its exit status. Printing it again is all the check of an unchanged
    folder does: turning thousands of findings back into records and formatting them was
    most of its time."""

    output: str
    summary: str | None
    status: int


def read_checked(file: Path, key: str) -> CheckedFolder | None:
    """The findings kept in `file` under `key` (a hash of the folder's files and of the
    settings the findings depend on), or None."""
    content = read_cache_json(file)
    try:
        if content["okrdocs"] != _signature() or content["key"] != key:
            return None
        checked: CheckedFolder = _decode_checked(content["checked"])
    except (ValueError, RecursionError, KeyError, TypeError, AttributeError, IndexError):
        return None
    return checked


def write_checked(file: Path, key: str, checked: CheckedFolder) -> None:
    """Keep the findings under `key`."""
    _write(file, {"okrdocs": _signature(), "key": key, "checked": checked})


@dataclass(frozen=True)
class KeptOutput:
    """What okr-check.txt keeps: how the findings were printed (their key and the way of
    printing them, `printed_key`), and what was printed."""

    printed_key: str
    printed: PrintedCheck


def read_printed(file: Path, key: str) -> KeptOutput | None:
    """What was printed of the findings kept under `key` (`write_printed`), however they
    were printed, or None.

    The file is a line of JSON (okrdocs' signature, the findings' key, the way they were
    printed, the summary and the exit status), then the output as it was printed: it is
    printed again as it is read, with no JSON to decode (a large folder's output is
    megabytes), and no findings decoded."""
    data = read_cache_bytes(file)
    if data is None:
        return None
    header, _, output = data.partition(b"\n")
    try:
        signature, findings_key, printed_key, summary, status = json.loads(header)
        if signature != _signature() or findings_key != key or type(printed_key) is not str:
            return None
        if type(status) is not int or not (summary is None or type(summary) is str):
            return None
        return KeptOutput(printed_key, PrintedCheck(output.decode("utf-8"), summary, status))
    except (ValueError, TypeError, RecursionError, MemoryError):  # not JSON, not five values, not UTF-8
        return None


def write_printed(file: Path, key: str, printed_key: str, printed: PrintedCheck) -> None:
    """Keep what was printed of the findings under `key` the way `printed_key` names, for `read_printed`."""
    header = json.dumps([_signature(), key, printed_key, printed.summary, printed.status], ensure_ascii=False)
    write_cache_file(file.parent, file.name, f"{header}\n{printed.output}")


def _signature() -> str:
    return code_identity()


def _read(file: Path, signature: str) -> dict[str, Any]:
    content = read_cache_json(file)
    if (
        not isinstance(content, dict)
        or content.get("okrdocs") != signature
        or not isinstance(content.get("files"), dict)
    ):
        return {}
    files: dict[str, Any] = content["files"]
    return files


def _write(file: Path, content: dict[str, Any]) -> None:
    write_cache_file(file.parent, file.name, _dumps(content))


def _names_are_safe(records: FileRecords) -> bool:
    """Whether every id and path in `records` passes the rule loading a file applies to
    it: ids and the ids they refer to are slugs (`model.is_slug`), an objective's id is not
    `vision`, its period is one `Period.parse` makes (periods name pages too), and the
    file's path stays inside the OKR folder (`names`)."""
    ids: list[str | None] = []
    paths: list[str] = []
    for team in records.teams:
        ids += [team.id, team.parent_id]
        paths.append(team.where.path)
    if records.vision is not None:
        paths.append(records.vision.where.path)
    objective = records.objective
    if objective is not None:
        period = objective.period
        if objective.id == VISION or (period is not None and Period.parse(period.label) != period):
            return False
        ids += [objective.id, objective.team_id, *_parent_ids(objective.parent)]
        paths.append(objective.where.path)
        for kr in objective.key_results:
            ids += [kr.id, *kr.delegated_to]
            paths.append(kr.where.path)
    # A file's records share its path: each distinct one is checked once.
    return all(name is None or is_slug(name) for name in ids) and all(map(is_safe_relative_path, set(paths)))


def _parent_ids(parent: ParentRef | None) -> tuple[str | None, ...]:
    return (parent.objective_id, parent.kr_id) if parent is not None else ()


# -- dataclasses <-> JSON -------------------------------------------------------------------
# A dataclass is a JSON list of its fields in order (the signature covers the order), a
# tuple a list, an enum its value. Decoding checks every value's type as it goes.


def _dumps(content: Any) -> str:
    """`content` as JSON text, its dataclasses and enums as `_as_json` has them. json.dumps
    writes the lists, tuples, mappings, text and numbers itself, in C (a `str` enum as its
    text, which is its value): only each record is a call of Python."""
    return json.dumps(content, default=_as_json, ensure_ascii=False, separators=(",", ":"))


def _as_json(value: Any) -> Any:
    """What json.dumps writes for a value it has no JSON type for: a dataclass's fields
    in order (a tuple, which it writes as a list), an enum's value."""
    fields = _FIELDS.get(type(value))
    if fields is None:
        if isinstance(value, enum.Enum):
            return value.value
        fields = _FIELDS[type(value)] = _fields_of(type(value))
    return fields(value)


def _fields_of(kind: type) -> Callable[[Any], tuple[Any, ...]]:
    """What gives a record's fields in order: one `attrgetter` call, in C."""
    if not dataclasses.is_dataclass(kind):
        raise TypeError(f"cannot keep a {kind.__name__} in the cache")
    names = [item.name for item in dataclasses.fields(kind)]
    if len(names) == 1:  # attrgetter of one name gives the value, not a tuple
        return lambda value: (getattr(value, names[0]),)
    return attrgetter(*names)


_FIELDS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
"""How to get the fields of each dataclass met."""


Decoder = Callable[[Any], Any]


def _decoder(hint: Any) -> Decoder:
    """A function that turns JSON made by `_dumps` back into a value of type `hint`, or
    raises TypeError or ValueError."""
    origin, arguments = get_origin(hint), get_args(hint)
    if hint in (str, int, bool, float):  # a float as `_PLAIN` says
        return _exactly(hint)
    if origin in (Union, types.UnionType):
        return _union([_decoder(argument) for argument in arguments], arguments)
    if origin is Literal:
        return _one_of(arguments)
    if origin in (list, tuple):
        return _sequence(list if origin is list else tuple, arguments[0])
    if origin is dict:
        return _mapping(arguments[0], arguments[1])
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass(hint)
    if hint is type(None):
        return _exactly(type(None))
    raise TypeError(f"no decoder for {hint!r}")


def _sequence(container: type, item_hint: Any) -> Decoder:
    plain_types, item = _field_decoder(item_hint)
    allowed = set(plain_types)

    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise TypeError("expected a list")
        if item is None:  # items such as text: checked, not converted
            if not set(map(type, value)) <= allowed:
                raise TypeError("unexpected item")
            return value if container is list else tuple(value)
        return container([element if type(element) in plain_types else item(element) for element in value])

    return decode


def _mapping(key_hint: Any, item_hint: Any) -> Decoder:
    if key_hint is not str:
        raise TypeError("JSON keys are text")
    plain_types, item = _field_decoder(item_hint)
    allowed = set(plain_types)

    def decode(value: Any) -> Any:
        if type(value) is not dict:
            raise TypeError("expected a mapping")
        if item is None:
            if not set(map(type, value.values())) <= allowed:
                raise TypeError("unexpected value")
            return value
        return {key: element if type(element) in plain_types else item(element) for key, element in value.items()}

    return decode


def _exactly(kind: type) -> Decoder:
    def check(value: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(f"expected {kind.__name__}")
        return value

    return check


def _one_of(choices: tuple[Any, ...]) -> Decoder:
    def check(value: Any) -> Any:
        if value not in choices:
            raise ValueError(f"{value!r} is not one of {choices}")
        return value

    return check


def _union(decoders: list[Decoder], arguments: tuple[Any, ...]) -> Decoder:
    """`X | None`, or `str | Location`: the JSON value's own type says which one it is."""
    by_json_type: dict[type, Decoder] = {}
    for decoder, argument in zip(decoders, arguments, strict=True):
        json_type = list if dataclasses.is_dataclass(argument) or get_origin(argument) in (list, tuple) else argument
        json_type = str if get_origin(argument) is Literal else json_type
        by_json_type[float if argument is float else json_type] = decoder
    if float in by_json_type:
        by_json_type[int] = by_json_type[float]

    def decode(value: Any) -> Any:
        decoder = by_json_type.get(type(value))
        if decoder is None:
            raise TypeError(f"unexpected {type(value).__name__}")
        return decoder(value)

    return decode


def _dataclass(cls: type) -> Decoder:
    """Records share a few shapes (which fields are None, numbers or lists): the types of a
    record's fields are checked once per shape, and only the fields that are not plain
    values are decoded further."""
    hints = get_type_hints(cls)
    names = [item.name for item in dataclasses.fields(cls)]
    fields: list[tuple[tuple[type, ...], Decoder | None]] = []
    plans: dict[tuple[type, ...], tuple[int, ...]] = {}

    def plan(kinds: tuple[type, ...]) -> tuple[int, ...]:
        """The fields to decode further for records of these field types."""
        if not fields:  # made on first use: the model's classes refer to each other
            fields.extend(_field_decoder(hints[name]) for name in names)
        if len(kinds) != len(fields):
            raise TypeError(f"expected {len(fields)} fields of {cls.__name__}")
        for kind, (plain_types, decoder) in zip(kinds, fields, strict=True):
            if kind not in plain_types and decoder is None:
                raise TypeError(f"unexpected {kind.__name__} in {cls.__name__}")
        return tuple(index for index, kind in enumerate(kinds) if kind not in fields[index][0])

    def decode(value: Any) -> Any:
        if type(value) is not list:
            raise TypeError(f"expected the fields of {cls.__name__}")
        kinds = tuple(map(type, value))
        to_decode = plans.get(kinds)
        if to_decode is None:
            to_decode = plans[kinds] = plan(kinds)
        if to_decode:
            value = value.copy()
            for index in to_decode:
                value[index] = fields[index][1](value[index])  # type: ignore[misc]
        return cls(*value)

    return decode


_PLAIN = {str: (str,), int: (int,), bool: (bool,), float: (float,), type(None): (type(None),)}
"""As JSON gives each type: a number loading keeps is a float, never an integer (which
could be too large for one); `read_cache_json` gives only finite floats."""


def _field_decoder(hint: Any) -> tuple[tuple[type, ...], Decoder | None]:
    """The JSON types a field takes as they are (most fields: text, numbers, None), and a
    decoder for the others (None when there are no others)."""
    options = get_args(hint) if get_origin(hint) in (Union, types.UnionType) else (hint,)
    if all(option in _PLAIN for option in options):
        return tuple(kind for option in options for kind in _PLAIN[option]), None
    return (), _decoder(hint)


_decode_records = _decoder(FileRecords)
_decode_checked = _decoder(CheckedFolder)
