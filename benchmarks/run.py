"""Benchmark: build a large generated organisation with okrdocs, against plain MkDocs pages.

In one run: generate an organisation (about 1,000 teams, 5,000 objectives and 17,000 KRs
at --scale 1); build a plain mkdocs-material site holding the same content as ordinary
Markdown pages (one per objective and per team, kept out of the nav); build the okrdocs
site from a cold cache, then again warm; time `okrdocs check`. Every step runs as a child
process, timed by wall clock, with its own peak memory (the child's ru_maxrss).

    python benchmarks/run.py                      # the full-size organisation
    python benchmarks/run.py --scale 0.2          # a quick run
    python benchmarks/run.py --growth             # also at twice the size: how time grows
    python benchmarks/run.py --json results.json  # keep the figures
    python benchmarks/run.py --history            # the folder in git over 30 commits: time reading its history
    python benchmarks/run.py --history --history-commits 600 --history-files 1   # 600 one-file check-ins
    python benchmarks/run.py --serve              # only: an edit under `mkdocs serve` (--dirty too), see serve.py

Targets (issue 14): cold build <= 1.5x the plain build, warm <= 1.1x, `okrdocs check` <= 3 s
without the parse cache and <= 0.5 s with a warm one,
peak memory < 512 MB, twice the organisation <= 2.2x the time. History mode (issue 15):
reading the history cold <= 25% of the cold build; after one new commit a warm read goes
through that commit only. Issue 20: with 600 one-file commits, reading the history cold
costs at most 5x a cold `okrdocs check`. Serve mode (issue 21): an edit shows under `mkdocs serve`
within 1.2x plain MkDocs' rebuild, and under `mkdocs serve --dirty` within 3 s.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from generate import generate  # benchmarks/ is on sys.path when this script runs
from history import READ_HISTORY, commit_history, one_more_check_in

import okrdocs
from okrdocs.core.domain.cascade import Cascade
from okrdocs.core.domain.model import Objective
from okrdocs.core.history.checkins import History
from okrdocs.core.rules.check import check_folder
from okrdocs.site.options import Options

TEAMS_AT_SCALE_1 = 1000
OBJECTIVES_PER_TEAM = 5.0
KRS_PER_OBJECTIVE = 3.4

TARGET_COLD_RATIO = 1.5
TARGET_WARM_RATIO = 1.1
TARGET_CHECK_SECONDS = 3.0
TARGET_WARM_CHECK_SECONDS = 0.5
TARGET_PEAK_MB = 512.0
TARGET_GROWTH = 2.2
TARGET_HISTORY_RATIO = 0.25
TARGET_HISTORY_CHECK_RATIO = 5.0
TARGET_SERVE_RATIO = 1.2
TARGET_DIRTY_SECONDS = 3.0
SERVE = Path(__file__).with_name("serve.py")

_THEME = """theme:
  name: material
  font: false
"""
_MARKDOWN = """markdown_extensions:
  - admonition
  - attr_list
  - toc:
      permalink: true
"""


# -- child processes ----------------------------------------------------------


@dataclass
class Child:
    wall: float
    cpu: float
    """User and system time of the child and of the processes it waited for."""
    peak_mb: float
    exit_status: int
    output: str


def run_child(command: list[str], cwd: Path) -> Child:
    """Run a command, timing it and reading its own peak memory from os.wait4."""
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    peak = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Child(wall, usage.ru_utime + usage.ru_stime, peak, process.returncode, text)


def compile_okrdocs() -> None:
    """Write okrdocs' bytecode once, as installing a wheel does. An editable install has
    none, and with PYTHONDONTWRITEBYTECODE set (as in some CI images) every timed child
    compiled the modules edited since the last write again: 0.1-0.2 s of a warm check."""
    compileall.compile_dir(Path(okrdocs.__file__).parent, quiet=1)


def _program(name: str) -> list[str]:
    """The console script installed next to this Python, else `python -m`."""
    script = Path(sys.executable).parent / name
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "okrdocs.cli" if name == "okrdocs" else name]


# -- steps --------------------------------------------------------------------


@dataclass
class Step:
    name: str
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    loads: list[float] = field(default_factory=list)
    """The 1-minute load average as each run started: this machine may be shared."""
    peak_mb: float | None = None
    pages: int | None = None
    warnings: int = 0
    error: str | None = None

    @property
    def wall(self) -> float | None:
        return statistics.median(self.walls) if self.walls and self.error is None else None

    @property
    def cpu(self) -> float | None:
        return statistics.median(self.cpus) if self.cpus and self.error is None else None


def _count_pages(site_dir: Path) -> int:
    return sum(1 for _ in site_dir.rglob("*.html")) if site_dir.is_dir() else 0


def _warning_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("WARNING")]


def _tail(output: str, lines: int = 12) -> str:
    return "\n".join(output.strip().splitlines()[-lines:])


def run_into(
    step: Step,
    command: list[str],
    cwd: Path,
    before: Callable[[], None] | None = None,
    site_dir: Path | None = None,
) -> bool:
    """Run a step once (calling `before` first) and add its figures; False if it failed."""
    if step.error is not None:
        return False
    if before is not None:
        before()
    load = os.getloadavg()[0]
    child = run_child(command, cwd)
    if child.exit_status != 0:
        step.error = f"exit status {child.exit_status}:\n{_tail(child.output)}"
        return False
    step.walls.append(child.wall)
    step.cpus.append(child.cpu)
    step.loads.append(load)
    step.peak_mb = max(step.peak_mb or 0.0, child.peak_mb)
    step.warnings = len(_warning_lines(child.output))
    if site_dir is not None:
        step.pages = _count_pages(site_dir)
    return True


def timed_step(name: str, command: list[str], cwd: Path, repeat: int) -> Step:
    """Run a step `repeat` times; the wall is the median."""
    step = Step(name)
    for _ in range(repeat):
        if not run_into(step, command, cwd):
            break
    return step


# -- the two sites -------------------------------------------------------------


def _page_link(from_folder: str, kind: str, key: str) -> str:
    target = f"{kind}/{key}.md"
    return target if from_folder == "" else f"../{target}"


def _score_text(score: float | None) -> str:
    return "no score yet" if score is None else f"{score:.0%}"


def _objective_markdown(objective: Objective, cascade: Cascade) -> str:
    team = cascade.team_of(objective)
    facts = [f"**Team:** [{team.name}]({_page_link('okrs', 'teams', team.id)})" if team else ""]
    facts += [f"**Owner:** {objective.owner}" if objective.owner else "", f"**Period:** {objective.period}"]
    facts += [
        f"**Commitment:** {cascade.commitment_of(objective)}",
        f"**Status:** {objective.status}" if objective.status else "",
        f"**Confidence:** {objective.confidence:.0%}" if objective.confidence is not None else "",
        f"**Score:** {_score_text(cascade.objective_score(objective))}",
    ]
    lines = [f"# {objective.title}", "", " · ".join(f for f in facts if f), ""]
    parent = cascade.parent_of(objective)
    if parent is None:
        lines.append("Aligned to the [vision](../vision.md).")
    else:
        kr = cascade.parent_kr_of(objective)
        picked = f", picking up its key result *{kr.title}*" if kr else ""
        lines.append(f"Aligned to [{parent.title}]({_page_link('okrs', 'okrs', parent.id)}){picked}.")
    lines += ["", "## Key results", "", "| Key result | Progress | Delegated to |", "| --- | --- | --- |"]
    for kr in objective.key_results:
        delegated = ", ".join(
            f"[{cascade.teams[t].name}]({_page_link('okrs', 'teams', t)})"
            for t in kr.delegated_to
            if t in cascade.teams
        )
        lines.append(f"| {kr.title} | {_score_text(cascade.kr_score(objective, kr))} | {delegated} |")
    notes = cascade.notes_of(objective)
    if notes:
        lines += ["", "## Coaching notes", ""] + [f"- `{note.code}` {note.message}" for note in notes]
    helps = cascade.links.contributions_from.get(objective.id, [])
    if helps:
        lines += ["", "## Contributes to", ""]
        lines += [f"- [{c.target.title}]({_page_link('okrs', 'okrs', c.target.id)})" for c in helps]
    lines += ["", "## Why", "", objective.body, ""]
    children = cascade.children.get(objective.id, [])
    if children:
        lines += ["## Aligned objectives", ""]
        lines += [f"- [{child.title}]({_page_link('okrs', 'okrs', child.id)})" for child in children]
        lines.append("")
    return "\n".join(lines)


def _period_markdown(label: str, objectives: list[Objective], cascade: Cascade) -> str:
    """A period's objectives in one table per team, as okrdocs' period page lists them."""
    lines = [f"# {label}", ""]
    by_team: dict[str, list[Objective]] = {}
    for objective in sorted(objectives, key=lambda o: o.id):
        by_team.setdefault(objective.team_id or "", []).append(objective)
    for team_id in sorted(by_team):
        team = cascade.teams.get(team_id)
        lines += [
            f"## {team.name if team else team_id}",
            "",
            "| Objective | Owner | Status | Score |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| [{o.title}]({_page_link('periods', 'okrs', o.id)}) | {o.owner or ''} | {o.status or ''} "
            f"| {_score_text(cascade.objective_score(o))} |"
            for o in by_team[team_id]
        ]
        lines.append("")
    return "\n".join(lines)


def _overview_markdown(objectives: list[Objective], cascade: Cascade) -> str:
    """One table of the current objectives (the quarter, and the half and year that hold
    it), as okrdocs' overview lists them."""
    lines = [
        "# Overview",
        "",
        "| Team | Objective | Owner | Score | Confidence | Status |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for o in objectives:
        team = cascade.team_of(o)
        confidence = f"{o.confidence:.0%}" if o.confidence is not None else ""
        lines.append(
            f"| {team.name if team else ''} | [{o.title}](okrs/{o.id}.md) | {o.owner or ''} "
            f"| {_score_text(cascade.objective_score(o))} | {confidence} | {o.status or ''} |"
        )
    return "\n".join(lines) + "\n"


def _team_markdown(team_id: str, cascade: Cascade) -> str:
    team = cascade.teams[team_id]
    lines = [f"# {team.name}", ""]
    if team.lead:
        lines += [f"**Lead:** {team.lead}", ""]
    if team.parent_id in cascade.teams:
        lines += [
            f"Part of [{cascade.teams[team.parent_id].name}]({_page_link('teams', 'teams', team.parent_id)}).",
            "",
        ]
    if team.description:
        lines += [team.description, ""]
    subteams = cascade.subteams.get(team_id, [])
    if subteams:
        lines += ["## Teams", ""] + [f"- [{t.name}]({_page_link('teams', 'teams', t.id)})" for t in subteams] + [""]
    lines += ["## Objectives", ""]
    for objective in cascade.objectives_by_team.get(team_id, []):
        score = _score_text(cascade.objective_score(objective))
        lines.append(
            f"- [{objective.title}]({_page_link('teams', 'okrs', objective.id)}) ({objective.period}, {score})"
        )
    return "\n".join(lines) + "\n"


def write_plain_site(site: Path, cascade: Cascade) -> None:
    """The same content as ordinary Markdown pages; only index, vision and teams in the nav."""
    docs = site / "docs"
    (docs / "teams").mkdir(parents=True)
    (docs / "okrs").mkdir()
    (site / "mkdocs.yml").write_text(
        "site_name: Plain pages\n"
        + _THEME
        + "nav:\n  - index.md\n  - vision.md\n  - teams.md\n"
        + "not_in_nav: |\n  /teams/\n  /okrs/\n  /periods/\n  /overview.md\n"
        + "plugins:\n  - search\n"
        + _MARKDOWN,
        encoding="utf-8",
    )
    (docs / "index.md").write_text("# Plain pages\n\nThe benchmark's baseline site.\n", encoding="utf-8")
    vision = cascade.repository.vision
    top = [f"- [{o.title}](okrs/{o.id}.md)" for o in cascade.top_objectives]
    (docs / "vision.md").write_text(
        f"# Vision\n\n{vision.statement if vision else ''}\n\n{vision.body if vision else ''}\n\n"
        + "\n".join(top)
        + "\n",
        encoding="utf-8",
    )
    directory = [f"- [{t.name}](teams/{t.id}.md)" for t in sorted(cascade.teams.values(), key=lambda t: t.name)]
    (docs / "teams.md").write_text("# Teams\n\n" + "\n".join(directory) + "\n", encoding="utf-8")
    for team_id in cascade.teams:
        (docs / "teams" / f"{team_id}.md").write_text(_team_markdown(team_id, cascade), encoding="utf-8")
    for objective in cascade.objectives.values():
        (docs / "okrs" / f"{objective.id}.md").write_text(_objective_markdown(objective, cascade), encoding="utf-8")
    # The period pages and the overview okrdocs builds too (since session 8: before, the
    # baseline lacked them, and their text counted as okrdocs' overhead).
    by_period: dict[str, list[Objective]] = {}
    for objective in cascade.objectives.values():
        if objective.period is not None:
            by_period.setdefault(str(objective.period), []).append(objective)
    (docs / "periods").mkdir()
    for label, objectives in by_period.items():
        (docs / "periods" / f"{label}.md").write_text(_period_markdown(label, objectives, cascade), encoding="utf-8")
    sections = Options().timeline(int(time.time()), History()).sections(cascade.objectives.values())
    overview = [o for _, group in sections.current or sections.latest for o in group]
    (docs / "overview.md").write_text(_overview_markdown(overview, cascade), encoding="utf-8")


def write_okrdocs_site(site: Path, okrs: Path, diagrams: bool) -> None:
    docs = site / "docs"
    docs.mkdir(parents=True)
    okrs_dir = os.path.relpath(okrs, site)
    (site / "mkdocs.yml").write_text(
        "site_name: okrdocs pages\n"
        + _THEME
        + "nav:\n  - index.md\n"
        + "plugins:\n  - search\n  - okrdocs:\n"
        + f"      okrs_dir: {json.dumps(okrs_dir)}\n"
        + f"      diagrams: {'true' if diagrams else 'false'}\n"
        + _MARKDOWN,
        encoding="utf-8",
    )
    (docs / "index.md").write_text("# okrdocs pages\n\nThe benchmark's OKR site.\n", encoding="utf-8")


# -- one run --------------------------------------------------------------------


def _plugin_importable() -> str | None:
    """None when `okrdocs.mkdocs_plugin.plugin` imports in a fresh interpreter, else why not."""
    result = subprocess.run(
        [sys.executable, "-c", "import okrdocs.mkdocs_plugin.plugin"], capture_output=True, text=True
    )
    return None if result.returncode == 0 else _tail(result.stderr, 3)


def run_once(
    work: Path,
    scale: float,
    seed: int,
    repeat: int,
    diagrams: bool,
    log: Callable[[str], None],
    history: tuple[int, int | None] | None = None,
    serve: bool = False,
) -> dict:
    """One organisation's figures; `history`: (commits, files changed per commit) to commit
    it as check-ins and time reading them."""
    teams = max(1, round(TEAMS_AT_SCALE_1 * scale))
    okrs = work / "okrs"
    started = time.perf_counter()
    stats = generate(
        okrs, teams=teams, objectives_per_team=OBJECTIVES_PER_TEAM, krs_per_objective=KRS_PER_OBJECTIVE, seed=seed
    )
    log(
        f"generated {stats.teams} teams, {stats.objectives} objectives, {stats.key_results} key results "
        f"in {time.perf_counter() - started:.1f} s"
    )
    if history:
        commit_history(work, okrs, log, commits=history[0], seed=seed, files_per_commit=history[1])
    plain, okrsite = work / "plain", work / "okrsite"
    cascade = check_folder(okrs).cascade
    write_plain_site(plain, cascade)
    write_okrdocs_site(okrsite, okrs, diagrams)
    if serve:
        return {"scale": scale, "organisation": stats.as_dict(), "serve": serve_figures(work, cascade, log)}
    mkdocs = _program("mkdocs") + ["build", "-q"]

    def clean_plain() -> None:
        shutil.rmtree(plain / "site", ignore_errors=True)

    def clean_cold() -> None:
        shutil.rmtree(okrsite / "site", ignore_errors=True)
        shutil.rmtree(okrsite / ".cache" / "okrdocs", ignore_errors=True)

    plain_step, cold, warm = Step("plain mkdocs build"), Step("okrdocs build, cold"), Step("okrdocs build, warm")
    plugin_problem = _plugin_importable()
    if plugin_problem is not None:
        for step in (cold, warm):
            step.error = f"the okrdocs plugin does not import yet:\n{plugin_problem}"
    # Rounds of plain, cold, warm: each round's builds run under about the same machine
    # load, and the ratios are taken round by round (see `_ratio`).
    for round_number in range(1, repeat + 1):
        log(f"round {round_number} of {repeat}: the plain site, then okrdocs cold and warm ...")
        run_into(plain_step, mkdocs, plain, clean_plain, plain / "site")
        if run_into(cold, mkdocs, okrsite, clean_cold, okrsite / "site"):
            run_into(warm, mkdocs, okrsite, None, okrsite / "site")
        elif warm.error is None:
            warm.error = "skipped: the cold build failed"
    steps = [plain_step, cold, warm]
    log("timing okrdocs check ...")
    check = _program("okrdocs") + ["check", "--okrs", str(okrs)]
    steps.append(timed_step("okrdocs check", check + ["--no-cache"], work, max(repeat, 3)))
    run_into(Step("okrdocs check, filling the cache"), check, work)
    steps.append(timed_step("okrdocs check, warm", check, work, max(repeat, 3)))
    run: dict = {"scale": scale, "organisation": stats.as_dict(), "steps": steps}
    if history:
        run["history"] = history_figures(work, okrs, okrsite / ".cache" / "okrdocs", repeat, log)
    return run


def serve_figures(work: Path, cascade: Cascade, log: Callable[[str], None]) -> list[dict]:
    """An edit of one objective's title under `mkdocs serve`, for both sites, without and
    with --dirty, one session each (benchmarks/serve.py), plain and okrdocs in turns."""
    # An objective in the middle of the tree, with a parent and children: its edit shows
    # on several pages.
    objective = next(
        (
            o
            for o in sorted(cascade.objectives.values(), key=lambda o: o.id)
            if cascade.children.get(o.id)
            and cascade.parent_of(o) is not None
            and cascade.parent_of(cascade.parent_of(o)) is not None
        ),  # type: ignore[arg-type]
        next(iter(cascade.objectives.values())),
    )
    log(f"serve mode: editing the title of '{objective.id}'")
    figures = []
    for dirty in (False, True):
        for site, edited, counter in (
            ("plain", work / "plain" / "docs" / "okrs" / f"{objective.id}.md", None),
            ("okrdocs", work / "okrs" / objective.where.path, "okrdocs"),
        ):
            name = f"{site} mkdocs serve{' --dirty' if dirty else ''}"
            log(f"{name}: first build, then the edit ...")
            folder = work / ("plain" if site == "plain" else "okrsite")
            command = [sys.executable, str(SERVE), str(folder / "mkdocs.yml"), str(edited)]
            command += ["dirty" if dirty else "clean", *([counter] if counter else [])]
            load = os.getloadavg()[0]
            child = run_child(command, work)
            figure: dict = {"name": name, "load": load, "error": None}
            if child.exit_status != 0:
                figure["error"] = _tail(child.output)
            else:
                figure |= json.loads(child.output.strip().splitlines()[-1])
            figures.append(figure)
    return figures


def serve_table(figures: list[dict]) -> str:
    lines = [
        f"{'serve: an edit of one title':<32}{'first s':>9}{'rebuild s':>11}{'vs plain':>10}{'pages':>7}{'load':>7}"
    ]
    plain = {f["name"].replace("plain ", ""): f.get("rebuild") for f in figures if f["name"].startswith("plain")}
    for figure in figures:
        base = plain.get(figure["name"].replace("okrdocs ", "")) if figure["name"].startswith("okrdocs") else None
        ratio = figure["rebuild"] / base if base and figure.get("rebuild") is not None else None
        lines.append(
            f"{figure['name']:<32}{_fmt(figure.get('first'), '{:.2f}'):>9}{_fmt(figure.get('rebuild'), '{:.2f}'):>11}"
            f"{_fmt(ratio, '{:.2f}x'):>10}{_fmt(figure.get('rendered'), '{:d}'):>7}{figure['load']:>7.1f}"
        )
        if figure["error"]:
            lines.append("  FAILED: " + figure["error"].replace("\n", "\n    "))
    lines.append(
        "(rebuild: from writing the file to the end of MkDocs' build, driven in-process as `mkdocs serve` "
        "drives it; pages: okrdocs pages rendered by the rebuild; load: the 1-minute load average as the "
        f"session started, on {os.cpu_count()} CPUs)"
    )
    by_name = {f["name"]: f.get("rebuild") for f in figures}
    clean_ratio = (
        by_name["okrdocs mkdocs serve"] / by_name["plain mkdocs serve"]
        if by_name.get("okrdocs mkdocs serve") and by_name.get("plain mkdocs serve")
        else None
    )
    dirty = by_name.get("okrdocs mkdocs serve --dirty")
    lines.append("targets:")
    for label, value, limit in (
        ("serve rebuild / plain", clean_ratio, TARGET_SERVE_RATIO),
        ("serve --dirty rebuild seconds", dirty, TARGET_DIRTY_SECONDS),
    ):
        mark = "not measured" if value is None else ("met" if value <= limit else "MISSED")
        lines.append(f"  {label:<32}{_fmt(value, '{:.2f}'):>8}  (at most {limit:g}): {mark}")
    return "\n".join(lines)


def history_figures(work: Path, okrs: Path, cache: Path, repeat: int, log: Callable[[str], None]) -> dict:
    """Reading the history cold (no cache), then warm after one new commit (the cache the
    last build left)."""
    log("timing history reads ...")
    read = [sys.executable, "-c", READ_HISTORY, str(okrs)]
    cold = timed_step("history read, cold", [*read, ""], work, max(repeat, 3))
    one_more_check_in(work, okrs)
    warm = run_child([*read, str(cache)], work)
    commits_read = int(warm.output.split("commits_read=")[1].split()[0]) if warm.exit_status == 0 else None
    return {"cold": cold, "warm_wall": warm.wall, "warm_commits_read": commits_read}


def _round_ratios(mine: list[float], theirs: list[float]) -> float | None:
    """The median of the ratios of runs made in the same round, so a machine that is
    slower in one round than in another does not move the figure."""
    ratios = [a / b for a, b in zip(mine, theirs, strict=True) if b]
    return statistics.median(ratios) if ratios else None


def _ratio(step: Step, plain: Step) -> float | None:
    return _round_ratios(step.walls, plain.walls) if step.wall is not None and plain.wall else None


def _cpu_ratio(step: Step, plain: Step) -> float | None:
    return _round_ratios(step.cpus, plain.cpus) if step.cpu is not None and plain.cpu else None


def verdicts(run: dict) -> dict[str, dict]:
    """Each target with the figure measured and whether it is met (None: not measured)."""
    steps = {s.name: s for s in run["steps"]}
    plain = steps["plain mkdocs build"]
    cold, warm, check = steps["okrdocs build, cold"], steps["okrdocs build, warm"], steps["okrdocs check"]
    warm_check = steps["okrdocs check, warm"]
    peak = max((s.peak_mb for s in (cold, warm) if s.peak_mb is not None), default=None)

    def verdict(value: float | None, limit: float) -> dict:
        return {"value": value, "limit": limit, "met": None if value is None else value <= limit}

    found = {
        "cold build / plain build": verdict(_ratio(cold, plain), TARGET_COLD_RATIO),
        "warm build / plain build": verdict(_ratio(warm, plain), TARGET_WARM_RATIO),
        "okrdocs check seconds": verdict(check.wall, TARGET_CHECK_SECONDS),
        "warm okrdocs check seconds": verdict(warm_check.wall, TARGET_WARM_CHECK_SECONDS),
        "peak memory of the build (MB)": verdict(peak, TARGET_PEAK_MB),
    }
    if "history" in run:
        figures = run["history"]
        history_cold = figures["cold"].wall
        ratio = history_cold / cold.wall if history_cold is not None and cold.wall else None
        found["history read cold / cold build"] = verdict(ratio, TARGET_HISTORY_RATIO)
        to_check = history_cold / check.wall if history_cold is not None and check.wall else None
        found["history read cold / okrdocs check"] = verdict(to_check, TARGET_HISTORY_CHECK_RATIO)
        found["commits a warm read reads (1 new)"] = verdict(figures["warm_commits_read"], 1)
    return found


# -- output ---------------------------------------------------------------------


def _fmt(value: float | None, pattern: str) -> str:
    return "-" if value is None else pattern.format(value)


def table(run: dict) -> str:
    organisation = run["organisation"]
    steps: list[Step] = run["steps"]
    plain = steps[0]
    lines = [
        f"scale {run['scale']:g}: {organisation['teams']} teams, {organisation['objectives']} objectives, "
        f"{organisation['key_results']} key results",
        f"{'step':<22}{'wall s':>9}{'vs plain':>10}{'cpu s':>9}{'vs plain':>10}{'pages':>8}{'peak MB':>9}{'warnings':>10}{'load':>7}",
    ]
    for step in steps:
        compared = step is not plain and not step.name.startswith("okrdocs check")
        ratio, cpu_ratio = (_ratio(step, plain), _cpu_ratio(step, plain)) if compared else (None, None)
        lines.append(
            f"{step.name:<22}{_fmt(step.wall, '{:.2f}'):>9}{_fmt(ratio, '{:.2f}x'):>10}"
            f"{_fmt(step.cpu, '{:.2f}'):>9}{_fmt(cpu_ratio, '{:.2f}x'):>10}"
            f"{_fmt(step.pages, '{:d}'):>8}{_fmt(step.peak_mb, '{:.0f}'):>9}{step.warnings:>10}"
            f"{_fmt(max(step.loads, default=None), '{:.1f}'):>7}"
        )
    lines.append(
        f"(medians; vs plain: the median of each round's ratio to that round's plain build; "
        f"cpu: user + system time of the step's processes; load: the highest 1-minute "
        f"load average as a run started, on {os.cpu_count()} CPUs: a busy machine stretches wall times)"
    )
    for step in steps:
        if step.error:
            lines.append(f"  {step.name} FAILED: " + step.error.replace("\n", "\n    "))
    if "history" in run:
        figures = run["history"]
        lines.append(
            f"history: read cold {_fmt(figures['cold'].wall, '{:.2f}')} s (median); after one more commit, "
            f"read warm in {figures['warm_wall']:.2f} s going through {figures['warm_commits_read']} commit(s)"
        )
    lines.append("targets:")
    for name, verdict in verdicts(run).items():
        mark = {True: "met", False: "MISSED", None: "not measured"}[verdict["met"]]
        lines.append(f"  {name:<32}{_fmt(verdict['value'], '{:.2f}'):>8}  (at most {verdict['limit']:g}): {mark}")
    return "\n".join(lines)


def growth_table(small: dict, large: dict) -> tuple[str, dict[str, float | None]]:
    ratios: dict[str, float | None] = {}
    lines = [f"growth, scale {small['scale']:g} -> {large['scale']:g} (at most {TARGET_GROWTH:g}x):"]
    for a, b in zip(small["steps"], large["steps"], strict=False):
        ratio = b.wall / a.wall if a.wall and b.wall is not None else None
        cpu_ratio = b.cpu / a.cpu if a.cpu and b.cpu is not None else None
        ratios[a.name] = ratio
        mark = "" if ratio is None else ("met" if ratio <= TARGET_GROWTH else "MISSED")
        lines.append(
            f"  {a.name:<22}{_fmt(a.wall, '{:.2f}'):>8} s -> {_fmt(b.wall, '{:.2f}'):>8} s  {_fmt(ratio, '{:.2f}x'):>7}  "
            f"{mark:<7}(cpu {_fmt(cpu_ratio, '{:.2f}x')})"
        )
    return "\n".join(lines), ratios


def _as_json(run: dict) -> dict:
    return {
        "scale": run["scale"],
        "organisation": run["organisation"],
        "steps": [asdict(step) | {"wall": step.wall, "cpu": step.cpu} for step in run["steps"]],
        "targets": verdicts(run),
    } | (
        {"history": run["history"] | {"cold": asdict(run["history"]["cold"]) | {"wall": run["history"]["cold"].wall}}}
        if "history" in run
        else {}
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark okrdocs against plain MkDocs pages.")
    parser.add_argument(
        "--scale", type=float, default=1.0, help=f"organisation size; 1 is {TEAMS_AT_SCALE_1} teams (default 1)"
    )
    parser.add_argument(
        "--growth", action="store_true", help="also run at twice the scale and print how each time grew"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds of plain, cold and warm builds; medians are kept (default 1; check runs at least 3)",
    )
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument(
        "--history",
        action="store_true",
        help="commit the organisation over 30 commits (10%% of the files each) and time reading its history",
    )
    parser.add_argument("--history-commits", type=int, default=30, metavar="N", help="with --history: N commits")
    parser.add_argument(
        "--history-files", type=int, metavar="K", help="with --history: K files changed per commit (default 10%%)"
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="only time an edit under `mkdocs serve` and `mkdocs serve --dirty`, plain and okrdocs",
    )
    parser.add_argument("--no-diagrams", action="store_true", help="build the okrdocs site with 'diagrams: false'")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures to FILE as JSON")
    parser.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="work in DIR (must not exist) and keep it, instead of a temporary folder",
    )
    arguments = parser.parse_args(argv)
    if arguments.scale <= 0 or arguments.repeat < 1:
        parser.error("--scale must be positive and --repeat at least 1")
    if arguments.keep is not None and arguments.keep.exists():
        parser.error(f"--keep {arguments.keep}: the folder exists already")

    def log(message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    scales = [arguments.scale, arguments.scale * 2] if arguments.growth else [arguments.scale]
    compile_okrdocs()
    runs = []
    with tempfile.TemporaryDirectory(prefix="okrdocs-bench-") as temporary:
        base = arguments.keep or Path(temporary)
        for scale in scales:
            work = base / f"scale-{scale:g}"
            work.mkdir(parents=True)
            log(f"scale {scale:g} in {work}")
            runs.append(
                run_once(
                    work,
                    scale,
                    arguments.seed,
                    arguments.repeat,
                    not arguments.no_diagrams,
                    log,
                    (arguments.history_commits, arguments.history_files) if arguments.history else None,
                    arguments.serve,
                )
            )
    print(f"okrdocs benchmark on {os.cpu_count()} CPUs, Python {platform.python_version()}, {platform.platform()}")
    for run in runs:
        print()
        print(serve_table(run["serve"]) if "serve" in run else table(run))
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "runs": [run if "serve" in run else _as_json(run) for run in runs],
    }
    if arguments.growth:
        text, ratios = growth_table(runs[0], runs[1])
        print()
        print(text)
        results["growth"] = {"ratios": ratios, "limit": TARGET_GROWTH}
    if arguments.json is not None:
        arguments.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    failed = any(step.error for run in runs for step in run.get("steps", []))
    failed = failed or any(figure["error"] for run in runs for figure in run.get("serve", []))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
