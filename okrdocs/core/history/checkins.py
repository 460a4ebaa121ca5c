"""Every check-in, from git: the score of each objective and key result after each commit.

An OKR repository's history is its check-in database: each commit that touches the OKR
folder is a check-in with a date. One `git log` lists those commits with the blob id of
every file they changed (along the first-parent line, so a merged pull request counts
once, on the day it landed), and one `git cat-file --batch` streams those blobs: no
checkout, and no process per file or per commit, like `revisions` does for `okrdocs diff`.

Scores follow the cascade (a delegated key result scores as its pickups do), so after
each commit the folder's objectives are resolved again from a compact state: the id,
parent and key-result scores of each file. The result, with that state, is cached by
commit id: a rebuild reads only the commits made since.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..caches.cache_files import read_cache_json, write_cache_file
from ..caches.identity import code_identity
from ..domain.cascade import Cascade
from ..domain.model import STATUSES, KeyResult, Located, Objective, ParentRef, Period, Status, same_score
from ..domain.names import segment_problem
from ..reading.fields import check_number
from ..reading.frontmatter import MAX_FILE_BYTES
from ..reading.loading import is_objective_path, read_objective
from .changes import KINDS, ChangeEntry, Value, commit_changes
from .git import Checkout, GitError
from .rescoring import Rescorer
from .revisions import GitFolder, read_blobs

CACHE_FILE = "history.json"
CACHE_VERSION = 4
LATEST_DATE = 253_402_300_799
"""9999-12-31 23:59:59 UTC, the last second Python's `datetime` holds: a commit dated later
(or before 1970, or not at all) gives no date that pages could show."""
HOW_TO_GET_HISTORY = "in CI, check out with the whole history (actions/checkout with fetch-depth: 0)"
KEEP_IT_IN_GIT = "keep the OKR folder in git to get trends and 'updated' dates"
COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class HistoryUnavailable(Exception):
    """There is no history to read; the message says why and how to get it."""


@dataclass(frozen=True, slots=True)
class Point:
    """A score as it stood after a commit; `commit` is None for uncommitted work."""

    date: int
    """Seconds since 1970 (UTC): the commit's committer date."""
    commit: str | None
    score: float | None


@dataclass(frozen=True, slots=True)
class Change:
    """A dated commit that changed a file."""

    date: int
    commit: str


@dataclass
class History:
    """Score series by objective id and by `objective-id#kr-id`, and each file's changes."""

    head: str | None = None
    """The commit this history was read up to; None: nothing read (not a git folder)."""
    objectives: dict[str, list[Point]] = field(default_factory=dict)
    key_results: dict[str, list[Point]] = field(default_factory=dict)
    files: dict[str, list[Change]] = field(default_factory=dict)
    """The dated commits that changed each objective file that exists at `head`, by path
    relative to the OKR folder, in the order of the history (since the file was last
    added): the build picks the last one dated on or before its date (`last_change`)."""
    changes: list[ChangeEntry] = field(default_factory=list)
    """What each dated commit changed, oldest first (`changes.commit_changes`)."""
    commits_read: int = field(default=0, compare=False)
    """How many commits this read went through (not counting those taken from the cache)."""
    undated: list[str] = field(default_factory=list, compare=False)
    """Commits of this read whose date git gives as no calendar date (`LATEST_DATE`): their
    scores count from the next commit that has one, and their changes are listed with it;
    a file keeps the date of its last dated commit, so none can make an objective look fresh."""
    _state: dict[str, Objective] = field(default_factory=dict, repr=False)
    _pending: set[str] = field(default_factory=set, repr=False)
    """Ids changed by undated commits since the last dated one: scored at the next."""
    _undated_before: dict[str, Objective | None] = field(default_factory=dict, repr=False)
    """Each file undated commits changed since the last dated one, as it was before the
    first of them: the next dated commit lists the net change."""
    _rescorer: Rescorer | None = field(default=None, repr=False, compare=False)

    def undated_notice(self) -> str | None:
        """One line about the commits of this read that had no usable date, or None."""
        if not self.undated:
            return None
        shown = ", ".join(commit[:12] for commit in self.undated[:5]) + (", ..." if len(self.undated) > 5 else "")
        return (
            f"{len(self.undated)} commit(s) with a date outside 1970 to 9999 or none at all ({shown}): "
            "their scores and changes count from the next commit with a date, "
            "and a file they changed last keeps the date of its last dated commit"
        )

    def last_change(self, path: str, as_of: int) -> Change | None:
        """The last commit that changed the file at `path` dated on or before `as_of`: a
        commit dated later (its author wrote the date) is no check-in the build can date."""
        return next((change for change in reversed(self.files.get(path, ())) if change.date <= as_of), None)

    def of_objective(self, objective_id: str) -> list[Point]:
        return self.objectives.get(objective_id, [])

    def of_key_result(self, objective_id: str, kr_id: str) -> list[Point]:
        return self.key_results.get(f"{objective_id}#{kr_id}", [])

    def digest(self) -> str:
        """A hash of the series and last changes: for caches of what is made from them."""
        facts = (self.head, self.objectives, self.key_results, self.files, self.changes)
        return hashlib.sha256(pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()

    def with_working_tree(self, cascade: Cascade, now: int) -> History:
        """This history plus a point dated `now` wherever the folder's current scores differ
        from the last committed ones: what `mkdocs serve` shows while an author edits."""
        copy = History(
            self.head,
            {k: list(v) for k, v in self.objectives.items()},
            {k: list(v) for k, v in self.key_results.items()},
            self.files,
            self.changes,
            self.commits_read,
        )
        _record(copy, cascade, cascade.objectives.values(), now, None)
        return copy


def read_history(
    checkout: Checkout, folder: Path, cache_dir: Path | None = None, known: History | None = None
) -> History:
    """The history of the OKR folder at `folder` up to HEAD, from the cache and new commits.

    `checkout`: the repository okrdocs runs for (`git.find_checkout`); git reads only it.
    `known`: this folder's history as an earlier call returned it (`mkdocs serve` keeps it
    between rebuilds), used instead of the cache file. Raises `HistoryUnavailable` outside
    git, in a repository without commits and in a shallow clone (whose first commit would
    look like the day every objective was written).
    """
    repository, head = _head(checkout, folder)
    if known is not None and known.head is not None:
        cached: History | None = known
    else:
        cached = _load_cache(cache_dir, repository) if cache_dir is not None else None
    if cached is not None and cached.head == head:
        cached.commits_read = 0
        return cached
    if cached is not None and not _continues(repository, cached.head, head):
        cached = None  # history was rewritten (a rebase, a reset, a merge the wrong way round)
    history = cached or History()
    history.commits_read = 0
    history.undated = []
    since = f"{history.head}..{head}" if history.head else head
    try:
        _read_commits(repository, since, history)
    except GitError as error:
        raise HistoryUnavailable(f"git cannot read the history ({error})") from None
    history.head = head
    if cache_dir is not None:
        _save_cache(cache_dir, repository, history)
    return history


# -- git ------------------------------------------------------------------------------


def _head(checkout: Checkout, folder: Path) -> tuple[GitFolder, str]:
    """The folder in the checkout's repository and HEAD, with one `git rev-parse`."""
    if checkout.top is None:
        raise HistoryUnavailable(
            f"{checkout.unreadable}; {KEEP_IT_IN_GIT}"
            if checkout.unreadable
            else f"the OKR folder is not in a git repository, so there is no history to read; {KEEP_IT_IN_GIT}"
        )
    path = checkout.relative(folder)
    if path is None:
        raise HistoryUnavailable(
            f"the OKR folder lies outside the git repository at {checkout.top}, so there is no history to read"
        )
    try:
        lines = checkout.run("rev-parse", "--is-shallow-repository", "--verify", "--quiet", "HEAD").decode().split()
    except GitError as error:
        text = str(error)
        if "HEAD" in text or "unknown revision" in text or "fatal: Needed a single revision" in text or not text:
            raise HistoryUnavailable(
                "the git repository has no commits yet: commit the OKR folder to start its history"
            ) from None
        raise HistoryUnavailable(f"git cannot read the history ({text})") from None
    if len(lines) != 2:
        raise HistoryUnavailable("the git repository has no commits yet: commit the OKR folder to start its history")
    shallow, head = lines[0] == "true", lines[1]
    if shallow:
        raise HistoryUnavailable(f"the git checkout is shallow, so the history is incomplete; {HOW_TO_GET_HISTORY}")
    return GitFolder(checkout, path), head


def _continues(repository: GitFolder, commit: str | None, head: str) -> bool:
    """Whether `head`'s first-parent line passes through `commit`: only then do the commits
    read since `commit` give what a read from the start gives (a merge whose first parent
    is a side branch, a "foxtrot" merge, makes the old head a second parent)."""
    if commit is None:
        return False
    try:
        listing = repository.git("rev-list", "--first-parent", "--parents", f"{commit}..{head}")
    except GitError:
        return False
    lines = listing.decode().splitlines()  # newest first: a commit, then its parents
    oldest = lines[-1].split() if lines else []
    return len(oldest) >= 2 and oldest[1] == commit


@dataclass(frozen=True)
class _Commit:
    id: str
    date: int | None
    """None when git gives no date within 1970 to `LATEST_DATE`."""
    changes: tuple[tuple[str, str | None], ...]
    """(path relative to the OKR folder, new blob id or None when deleted)."""


def _log(repository: GitFolder, since: str) -> list[_Commit]:
    """The first-parent commits in `since` that touched the folder, oldest first."""
    pathspec = [repository.path] if repository.path else []
    output = repository.git(
        "log", "--reverse", "--first-parent", "-m", "--no-renames", "--raw", "-z", "--no-abbrev",
        "--format=%x00%H %ct", since, "--", *pathspec,
    )  # fmt: skip
    prefix = f"{repository.path}/" if repository.path else ""
    commits: list[_Commit] = []
    header: tuple[str, int | None] | None = None
    changes: list[tuple[str, str | None]] = []
    tokens = iter(output.split(b"\0"))
    for token in tokens:
        text = token.lstrip(b"\n")
        if not text:
            continue
        if text.startswith(b":"):
            path = next(tokens, b"").decode("utf-8", "surrogateescape")
            meta = text[1:].split()
            new_mode, new_blob, status = meta[1].decode(), meta[3].decode(), meta[4].decode()
            relative = path[len(prefix) :]
            if path.startswith(prefix) and is_objective_path(relative) and _readable_name(relative):
                kept = status != "D" and new_mode in ("100644", "100755")  # not symlinks, submodules
                changes.append((relative, new_blob if kept else None))
            continue
        if header is not None:
            commits.append(_Commit(header[0], header[1], tuple(changes)))
        commit_id, _, date = text.decode("ascii", "replace").partition(" ")
        header, changes = (commit_id, _calendar_date(date)), []
    if header is not None:
        commits.append(_Commit(header[0], header[1], tuple(changes)))
    return commits


def _calendar_date(text: str) -> int | None:
    """A commit's `%ct`, when it is a date pages can show: a plain number of seconds from
    1970 to `LATEST_DATE`. A commit's date is whatever its author wrote."""
    if not text.isascii() or not text.isdigit():
        return None
    seconds = int(text)
    return seconds if seconds <= LATEST_DATE else None


def _readable_name(relative: str) -> bool:
    """Whether every name on the path is one the check reads (UTF-8, `names`' rule)."""
    return all(segment_problem(part) is None for part in relative.split("/"))


# -- scores -----------------------------------------------------------------------------


_KrFacts = tuple[str, float | None, float | None, tuple[str, ...], float]
"""A key result's id, own score, current value, the teams it is delegated to and its weight."""
_Compact = tuple[str, ParentRef | None, tuple[_KrFacts, ...], str | None, Period | None, Status | None]
"""What scores and the listed changes depend on in an objective file: its id, its parent,
each key result's facts, its team, period and status."""


def _read_commits(repository: GitFolder, since: str, history: History) -> None:
    commits = _log(repository, since)
    paths: dict[str, set[str]] = defaultdict(set)
    for commit in commits:
        for relative, blob_id in commit.changes:
            if blob_id is not None:
                paths[blob_id].add(relative)
    # Each blob is parsed as it streams in and only its compact form is kept: a cold read of
    # thousands of versions never holds their text all at once.
    parsed: dict[tuple[str, str], _Compact | None] = {}
    for blob_id, data in read_blobs(repository, paths):
        for relative in paths[blob_id]:
            parsed[(blob_id, relative)] = _compact(relative, data)
    rescorer = history._rescorer or Rescorer(history._state)
    history._rescorer = rescorer
    for commit in commits:
        changed: list[tuple[str, Objective | None]] = []
        for relative, blob_id in commit.changes:
            compact = None if blob_id is None else parsed[(blob_id, relative)]
            if blob_id is None:
                history.files.pop(relative, None)
            elif commit.date is not None:
                history.files.setdefault(relative, []).append(Change(commit.date, commit.id))
            changed.append((relative, None if compact is None else _minimal(relative, *compact)))
        earlier = history._undated_before
        listed = {relative for relative, _ in changed} | earlier.keys()
        if commit.date is None:  # listed with the next dated commit, from the state before this one
            for relative, _ in changed:
                earlier.setdefault(relative, rescorer.state.get(relative))
        else:
            before = _by_id(earlier[path] if path in earlier else rescorer.state.get(path) for path in listed)
        reached = rescorer.apply(changed) | history._pending
        history._state = rescorer.state
        history.commits_read += 1
        if commit.date is None:
            history.undated.append(commit.id)
            history._pending = reached
            continue
        after = _by_id(rescorer.state.get(path) for path in listed)
        history.changes += commit_changes(before, after, rescorer.winners, commit.date, commit.id)
        history._pending, history._undated_before = set(), {}
        cascade = rescorer.cascade(reached, history.key_results)
        _record(history, cascade, rescorer.in_path_order(reached), commit.date, commit.id)


def _by_id(objectives: Iterable[Objective | None]) -> dict[str, Objective]:
    """The objectives by id, the first of two files with one id winning, as in `resolve`."""
    found: dict[str, Objective] = {}
    for objective in sorted((o for o in objectives if o is not None), key=lambda o: o.where.path):
        found.setdefault(objective.id, objective)
    return found


def _compact(relative: str, data: bytes) -> _Compact | None:
    if len(data) > MAX_FILE_BYTES:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    objective = read_objective(relative, text)
    if objective is None:
        return None
    krs = tuple((kr.id, kr.measured_score, kr.current, kr.delegated_to, kr.weight) for kr in objective.key_results)
    return objective.id, objective.parent, krs, objective.team_id, objective.period, objective.status


def _minimal(
    relative: str,
    objective_id: str,
    parent: ParentRef | None,
    krs: Iterable[_KrFacts],
    team: str | None = None,
    period: Period | None = None,
    status: Status | None = None,
) -> Objective:
    """An objective with only what its scores and listed changes need, for one commit."""
    where = Located(relative, 1)
    return Objective(
        id=objective_id,
        title="",
        where=where,
        team_id=team,
        period=period,
        parent=parent,
        status=status,
        key_results=[
            KeyResult(kr_id, "", where, delegated_to=teams, current=current, progress=score, weight=weight)
            for kr_id, score, current, teams, weight in krs
        ],
    )


def _record(history: History, cascade: Cascade, objectives: Iterable[Objective], date: int, commit: str | None) -> None:
    """A point for each of `objectives` and their key results whose score differs from its last point."""
    for objective in objectives:
        _add_point(history.objectives, objective.id, cascade.objective_score(objective), date, commit)
        for kr in objective.key_results:
            _add_point(history.key_results, f"{objective.id}#{kr.id}", cascade.kr_score(objective, kr), date, commit)


def _add_point(table: dict[str, list[Point]], key: str, score: float | None, date: int, commit: str | None) -> None:
    points = table.setdefault(key, [])
    if not points or not same_score(points[-1].score, score):
        points.append(Point(date, commit, score))


# -- cache ------------------------------------------------------------------------------


def _cache_path(cache_dir: Path) -> Path:
    return cache_dir / CACHE_FILE


def _load_cache(cache_dir: Path, repository: GitFolder) -> History | None:
    """The cached history of this folder, or None when there is none or it does not fit.

    A cache may be restored from CI's cache store, so every value is checked for its type:
    a file that does not fit is read again from git rather than trusted.
    """
    try:
        data = read_cache_json(_cache_path(cache_dir))
        if data.get("version") != _cache_version() or data.get("folder") != [str(repository.top), repository.path]:
            return None
        commits: dict[str, str] = {}  # one string per commit, not one per point

        def commit_id(value: object) -> str:
            if not isinstance(value, str) or not COMMIT_ID.fullmatch(value):
                raise ValueError("not a commit id")
            return commits.setdefault(value, value)

        def point(date: object, commit: object, score: object) -> Point:
            return Point(_whole(date), None if commit is None else commit_id(commit), _score(score))

        def objective(path: str, entry: list[Any]) -> Objective:
            objective_id, parent, krs, team, period, status = entry
            if not isinstance(objective_id, str) or not isinstance(parent, (str, type(None))):
                raise ValueError("not an objective")
            facts = [
                (str(kr), _score(score), _number(value), _names(teams), _weight(weight))
                for kr, score, value, teams, weight in krs
            ]
            return _minimal(
                path, objective_id, ParentRef.parse(parent) if parent else None, facts,
                _text(team), _period(period), _status(status),
            )  # fmt: skip

        def change(date: object, commit: object, o: object, kr: object, kind: object, *rest: object) -> ChangeEntry:
            before, after, team, period = rest
            if kind not in KINDS or not isinstance(o, str):
                raise ValueError("not a change")
            return ChangeEntry(
                _whole(date), None if commit is None else commit_id(commit), o, _text(kr), kind,
                _value(before), _value(after), _text(team), _text(period),
            )  # fmt: skip

        return History(
            head=commit_id(data["head"]),
            objectives={str(k): [point(*p) for p in v] for k, v in data["objectives"].items()},
            key_results={str(k): [point(*p) for p in v] for k, v in data["key_results"].items()},
            files={
                str(k): [Change(_whole(date), commit_id(commit)) for date, commit in v]
                for k, v in data["files"].items()
            },
            changes=[change(*entry) for entry in data["changes"]],
            _state={str(path): objective(str(path), entry) for path, entry in data["state"].items()},
            _pending={str(objective_id) for objective_id in data["pending"]},
            _undated_before={
                str(path): None if entry is None else objective(str(path), entry)
                for path, entry in data["undated_before"].items()
            },
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None  # no cache yet, or one from another version: read the history again


def _cache_version() -> str:
    """The cache's format and okrdocs' code: a history another version read is read again."""
    return f"{CACHE_VERSION}:{code_identity()}"


def _whole(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= LATEST_DATE:
        raise ValueError("not a date")
    return value


def _number(value: object) -> float | None:
    """A number as loading reads one (`check_number`: finite, a float)."""
    if value is None:
        return None
    number, mistake = check_number(value)
    if mistake is not None:
        raise ValueError("not a number")
    return float(number)


def _text(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError("not text")
    return value


def _weight(value: object) -> float:
    number = _number(value)
    if number is None or not number > 0:
        raise ValueError("not a weight")
    return number


def _names(value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise ValueError("not a list of names")
    return tuple(value)


def _period(value: object) -> Period | None:
    period = None if value is None else Period.parse(_text(value))
    if value is not None and period is None:
        raise ValueError("not a period")
    return period


def _status(value: object) -> Status | None:
    if value is not None and value not in STATUSES:
        raise ValueError("not a status")
    return value  # type: ignore[return-value]


def _value(value: object) -> Value:
    return _text(value) if isinstance(value, str) or value is None else _number(value)


def _score(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError("not a score")
    return float(value)


def _compact_json(o: Objective) -> list[Any]:
    """What the cache keeps of an objective: its `_Compact` form, as `_load_cache` reads it."""
    return [
        o.id,
        str(o.parent) if o.parent else None,
        [[kr.id, kr.progress, kr.current, list(kr.delegated_to), kr.weight] for kr in o.key_results],
        o.team_id,
        str(o.period) if o.period else None,
        o.status,
    ]


def _save_cache(cache_dir: Path, repository: GitFolder, history: History) -> None:
    data: dict[str, Any] = {
        "version": _cache_version(),
        "folder": [str(repository.top), repository.path],
        "head": history.head,
        "objectives": {k: [[p.date, p.commit, p.score] for p in v] for k, v in history.objectives.items()},
        "key_results": {k: [[p.date, p.commit, p.score] for p in v] for k, v in history.key_results.items()},
        "files": {k: [[c.date, c.commit] for c in v] for k, v in history.files.items()},
        "state": {path: _compact_json(o) for path, o in history._state.items()},
        "undated_before": {path: o and _compact_json(o) for path, o in history._undated_before.items()},
        "changes": [
            [c.date, c.commit, c.objective, c.key_result, c.kind, c.before, c.after, c.team, c.period]
            for c in history.changes
        ],
        "pending": sorted(history._pending),
    }
    # A read-only cache folder costs the next build a full read, nothing more.
    write_cache_file(cache_dir, CACHE_FILE, json.dumps(data, separators=(",", ":")))
