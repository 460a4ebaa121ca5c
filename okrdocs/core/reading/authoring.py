"""`okrdocs new`: write a correctly formed objective file for a team.

The plan is worked out against the resolved cascade first (does the team exist, does the
parent, was the key result delegated to this team, does the period fit), so a refused
request leaves no file behind, and a written file passes `okrdocs check`.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..domain.cascade import Cascade
from ..domain.model import VISION, Objective, ParentRef, Period, is_slug
from ..domain.names import objective_file
from ..domain.problems import join_parts
from ..rules.validation import no_key_result_message, no_objective_message, period_outside_message
from .fields import did_you_mean
from .loading import TEAMS_FILE

SUGGESTED_ID_LENGTH = 48
"""Ids made from a title are cut at a word near here: ids may be longer (`model.MAX_SLUG_LENGTH`),
but an id is typed in `parent:` fields and URLs."""


class AuthoringError(Exception):
    """The objective cannot be written; the message says why and what to do instead."""


@dataclass(frozen=True)
class NewObjective:
    """An objective file to write, relative to the OKR folder."""

    path: str
    id: str
    title: str
    team: str
    period: Period
    parent: ParentRef
    owner: str | None = None
    picks_up: str | None = None
    """For a tight pickup, the delegated key result's location, like 'company/grow.md:12'."""

    @property
    def text(self) -> str:
        return objective_text(self)


def slugify(title: str) -> str:
    """A file name from a title: ASCII, lower case, words joined by '-', cut at a word."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > SUGGESTED_ID_LENGTH and slug:
            break
        slug = candidate
    return slug[:SUGGESTED_ID_LENGTH].strip("-")


def plan_objective(
    cascade: Cascade,
    *,
    team: str,
    parent: str,
    title: str | None = None,
    period: str | None = None,
    owner: str | None = None,
    objective_id: str | None = None,
    today: datetime.date | None = None,
    shown_root: str = "",
) -> NewObjective:
    """Check the request against the cascade and return the file to write.

    `shown_root` is the OKR folder as the user wrote it, joined to the paths in messages.
    """

    def shown(path: str) -> str:
        return posixpath.join(shown_root, path)

    _check_team(cascade, team, shown(TEAMS_FILE))
    ref, parent_objective = _resolve_parent(cascade, parent, shown_root)
    picks_up = None
    if ref.kr_id is not None:
        assert parent_objective is not None
        kr = parent_objective.key_result(ref.kr_id)
        assert kr is not None
        if team not in kr.delegated_to:
            delegated = ", ".join(f"'{t}'" for t in kr.delegated_to) or "no team"
            raise AuthoringError(
                f"key result '{ref}' ({shown(kr.where.path)}:{kr.where.line}) is delegated to {delegated}, "
                f"not to '{team}': add '{team}' to its 'delegated_to', or align loosely with "
                f"--parent {parent_objective.id}"
            )
        title = title or kr.title
        picks_up = f"{shown(kr.where.path)}:{kr.where.line}"
    if not title or not title.strip():
        raise AuthoringError("give the objective a title with --title 'What will be accomplished'")
    title = " ".join(title.split())
    chosen_period = _period(period, parent_objective, today or datetime.date.today(), shown_root)
    new_id = objective_id or slugify(title)
    if not is_slug(new_id):
        raise AuthoringError(
            f"'{new_id}' is not a valid objective id: pass --id with a slug (a-z, 0-9 and '-'), like 'grow-revenue'"
            if new_id
            else "cannot make a file name from the title: pass --id with a slug, like 'grow-revenue'"
        )
    existing = cascade.objectives.get(new_id)
    if existing is not None:
        raise AuthoringError(
            f"objective id '{new_id}' is already used by {shown(existing.where.path)}: "
            "pass --id with another id, or edit that file"
        )
    return NewObjective(
        path=objective_file(team, new_id),
        id=new_id,
        title=title,
        team=team,
        period=chosen_period,
        parent=ref,
        owner=" ".join(owner.split()) if owner and owner.strip() else None,
        picks_up=picks_up,
    )


def _check_team(cascade: Cascade, team: str, teams_file: str) -> None:
    if team in cascade.teams:
        return
    hint = did_you_mean(team, set(cascade.teams))
    if not hint:
        hint = f"; the teams are {', '.join(sorted(cascade.teams)) or 'none yet'}"
    raise AuthoringError(f"there is no team '{team}' in {teams_file}{hint}")


def _resolve_parent(cascade: Cascade, parent: str, shown_root: str) -> tuple[ParentRef, Objective | None]:
    if parent == VISION:
        return ParentRef(None), None
    objective_id, hash_sign, kr_id = parent.partition("#")
    if not is_slug(objective_id) or (hash_sign and not is_slug(kr_id)):
        raise AuthoringError(
            f"--parent '{parent}' is not 'vision', an objective id (loose alignment) "
            "or 'objective-id#kr-id' (tight alignment)"
        )
    ref = ParentRef.parse(parent)
    objective = cascade.objectives.get(objective_id)
    if objective is None:
        raise AuthoringError(join_parts(no_objective_message(ref, set(cascade.objectives)), shown_root))
    if kr_id and objective.key_result(kr_id) is None:
        raise AuthoringError(join_parts(no_key_result_message(ref, objective), shown_root))
    return ref, objective


def _period(given: str | None, parent: Objective | None, today: datetime.date, shown_root: str) -> Period:
    """The given period, else the parent's, else this year; it must lie inside the parent's."""
    parent_period = parent.period if parent is not None else None
    if given is None:
        return parent_period or Period.parse(today.year)  # type: ignore[return-value]
    period = Period.parse(given)
    if period is None:
        raise AuthoringError(f"--period '{given}' is not a year (2026), a half (2026-H1) or a quarter (2026-Q3)")
    if parent is not None and parent_period is not None and not parent_period.contains(period):
        raise AuthoringError(join_parts(period_outside_message(period, parent), shown_root))
    return period


def _yaml_scalar(value: str | int) -> str:
    """One YAML scalar, quoted only when YAML needs it (': ', a leading '*', ...)."""
    text = yaml.safe_dump(value, allow_unicode=True, width=1_000_000, default_flow_style=True)
    return text.removesuffix("\n").removesuffix("\n...").strip()


_KEY_RESULTS_HELP = """\
key_results: []
# Replace [] with one to five measurable results, for example:
#   - id: kr1
#     title: Grow weekly bookings from 200 to 500
#     start: 200
#     target: 500
#     current: 200
#   - id: kr2
#     title: Launch booking in the app
#     progress: 0.0              # a score 0.0..1.0, instead of start/target/current
#     delegated_to: <team id>    # optional: the team that picks this result up
# After the closing '---': why this objective matters, in a few sentences of Markdown.
"""


def objective_text(new: NewObjective) -> str:
    period: str | int = new.period.label
    lines = ["---", f"title: {_yaml_scalar(new.title)}", f"team: {new.team}"]
    if new.owner:
        lines.append(f"owner: {_yaml_scalar(new.owner)}")
    lines.append(f"period: {_yaml_scalar(int(period) if str(period).isdigit() else period)}")
    lines.append(f"parent: {_yaml_scalar(str(new.parent))}")
    # The hint for the body is a YAML comment: raw HTML is off on the pages, so an HTML
    # comment in the body would show as text until someone deleted it.
    return "\n".join(lines) + "\n" + _KEY_RESULTS_HELP + "---\n"


def write_objective(root: Path, new: NewObjective, shown_root: str = "") -> Path:
    """Create the file; never overwrite one (the check and the creation are one step).

    `shown_root` is the OKR folder as the user wrote it, for the message.
    """
    path = root / new.path
    if not path.parent.resolve().is_relative_to(root.resolve()):
        # A team folder that is a symbolic link out of the OKR folder: the file would land
        # somewhere the check never reads (or anywhere on the machine).
        raise AuthoringError(
            f"{posixpath.join(shown_root, posixpath.dirname(new.path))} leads outside the OKR folder "
            "(a symbolic link): okrdocs new writes only inside it; replace the link with a folder"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(new.text)
    except FileExistsError:
        raise AuthoringError(
            f"{posixpath.join(shown_root, new.path)} exists already, and okrdocs new never overwrites a file: "
            "pass --id with another id, or edit that file"
        ) from None
    return path
