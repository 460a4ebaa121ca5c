"""The subcommands: `okrdocs check`, `new`, `diff`, `schema` and `report`.

Each is an `_add_*` that declares its arguments and a `_run_*` that does the work through
`core`, `authoring`, `revisions`, `diffing`, `schema`, `history` and `report`. Exit status: 0 done, 1 problems
found or request refused, 2 usage error.
"""

from __future__ import annotations

import argparse
import posixpath
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.caches.collector import collector_paused
from ..core.caches.parse_cache import (
    CHECKED_FILE,
    PRINTED_FILE,
    CheckedFolder,
    PrintedCheck,
    read_checked,
    read_printed,
    write_checked,
    write_printed,
)
from ..core.domain.cascade import resolve
from ..core.domain.model import Repository
from ..core.domain.problems import (
    Severity,
    counted,
    format_ordered,
    severity_counts,
    sorted_problems,
    summary_line,
)
from ..core.history.timeline import SECONDS_PER_DAY, TimeSettingError, build_time
from ..core.reading.loading import folder_digest
from ..core.reading.schema import SCHEMAS, schema_json
from ..core.rules.check import CheckResult, check_folder
from ..site.fingerprint import fingerprint
from .rules import RuleOptionError, add_rule_options, add_rules, with_rule_options
from .settings import CheckSettings, SettingsError, read_settings

if TYPE_CHECKING:
    from ..core.history.revisions import GitFolder
    from ..site.build import SiteBuild

# `new` and `diff` import their modules when they run, and the site's renderer (Jinja,
# markdown-it) is imported by what uses it: `okrdocs check`, run on every commit by
# pre-commit, starts sooner without them, and prints kept findings without them.

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2

SCHEMA_EPILOG = """\
Wire the schemas into an editor, for example VS Code with the YAML extension
(yaml-language-server), in .vscode/settings.json:

  "yaml.schemas": {"./schemas/teams.schema.json": "okrs/teams.yml"}

after `okrdocs schema teams > schemas/teams.schema.json`; or put the line
`# yaml-language-server: $schema=../schemas/teams.schema.json` at the top of teams.yml.
The objective schema describes the YAML between the '---' lines of an objective file;
use it with an editor or tool that validates Markdown front matter. okrdocs check is the
gate either way: it also checks what a schema cannot (ids, links, periods, delegations).
"""


def register(commands: Any) -> None:
    """Add the subcommands to the `okrdocs` parser's subparsers."""
    _add_check(commands)
    _add_new(commands)
    _add_diff(commands)
    _add_schema(commands)
    _add_report(commands)
    add_rules(commands, EXIT_USAGE)
    from .codeowners import add_codeowners  # after this module's names exist: they use them
    from .generate import add_generate  # after this module's names exist: it uses them

    add_generate(commands)
    add_codeowners(commands)


def _add_folder_options(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--okrs", metavar="DIR", help="the OKR folder")
    add_config_file_option(source)


def add_config_file_option(parser: Any) -> None:
    parser.add_argument(
        "-f",
        "--config-file",
        metavar="FILE",
        help="the site's config, whose okrdocs settings name the OKR folder (default: properdocs.yml if there is one, else mkdocs.yml)",
    )


def _folder_settings(arguments: argparse.Namespace) -> CheckSettings:
    return read_settings(arguments.okrs, arguments.config_file)


def inform(message: str) -> None:
    """A note on the way (no history, undated commits), as `okrdocs: ...` on stderr."""
    print(f"okrdocs: {message}", file=sys.stderr)


def _existing_folder(arguments: argparse.Namespace) -> CheckSettings | None:
    """The settings of an OKR folder that exists, or None after saying why not."""
    try:
        settings = _folder_settings(arguments)
    except SettingsError as error:
        print_error(str(error))
        return None
    for warning in settings.warnings:
        print(f"okrdocs: warning: {warning}", file=sys.stderr)
    if not Path(settings.okrs_dir).is_dir():
        print_error(f"the OKR folder '{settings.okrs_dir}' does not exist")
        return None
    return settings


def print_error(message: str) -> None:
    """An error that stops a command, as `okrdocs: error: ...` on stderr."""
    print(f"okrdocs: error: {message}", file=sys.stderr)


# -- okrdocs check ---------------------------------------------------------------


def _add_check(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="validate an OKR folder: every problem, with file and line",
        description="Validate an OKR folder. Without --okrs, read the okrdocs plugin's settings from mkdocs.yml.",
    )
    _add_folder_options(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors (advice stays advice)")
    add_rule_options(check)
    check.add_argument(
        "--format", choices=("text", "github", "json"), default="text", help="output format (default: text)"
    )
    check.add_argument(
        "--no-cache",
        action="store_true",
        help="parse every file, and neither read nor write the parse cache (kept in the cache folder "
        "next to mkdocs.yml, or next to the OKR folder given with --okrs)",
    )
    check.set_defaults(run=_run_check)


def _run_check(arguments: argparse.Namespace) -> int:
    # The command ends right after the check: a pass of the cycle collector over the
    # whole loaded model would find nothing to free. Back on afterwards, for a caller
    # that goes on (the tests run the command in their own process).
    with collector_paused():
        return _check_command(arguments)


def _check_command(arguments: argparse.Namespace) -> int:
    settings = _existing_folder(arguments)
    if settings is None:
        return EXIT_USAGE
    try:
        settings = with_rule_options(settings, arguments)
    except RuleOptionError as error:
        print_error(str(error))
        return EXIT_USAGE
    if arguments.no_cache or settings.cache_dir is None:
        return check_and_report(settings, arguments.format, arguments.strict, use_cache=False)[1]
    # What the last check printed, when no file and no setting its findings depend on
    # changed (the files are read and hashed, not parsed) and they are printed the same
    # way. The findings themselves are kept from the second way of printing them on: most
    # checks print them one way, and a large folder's are megabytes to write.
    folder = settings.cache_dir
    digest = folder_digest(Path(settings.okrs_dir)) if (folder / PRINTED_FILE).is_file() else None
    checked: CheckedFolder | None = None
    printed_before = False
    if digest is not None:
        key = _checked_key(settings, digest)
        kept = read_printed(folder / PRINTED_FILE, key)
        if kept is not None and kept.printed_key == _printed_key(settings, key, arguments.format, arguments.strict):
            return _print(kept.printed)
        printed_before = kept is not None  # the same findings, printed another way
        checked = read_checked(folder / CHECKED_FILE, key) if printed_before else None
    if checked is None:
        result, checked = _check(settings, use_cache=True)
        key = _checked_key(settings, result.cascade.repository.digest)
        if printed_before:
            write_checked(folder / CHECKED_FILE, key, checked)
    printed = _printed(settings, checked, arguments.format, arguments.strict)
    write_printed(folder / PRINTED_FILE, key, _printed_key(settings, key, arguments.format, arguments.strict), printed)
    return _print(printed)


def check_and_report(
    settings: CheckSettings,
    output_format: str = "text",
    strict: bool = False,
    use_cache: bool = True,
    build: SiteBuild | None = None,
) -> tuple[CheckResult, int]:
    """Check the folder and print every problem (and, as text, the summary); return the
    result and the exit status. `generate` runs it first, with its `build`: it is the gate
    where no plugin runs."""
    result, checked = _check(settings, use_cache, build)
    return result, _report(settings, checked, output_format, strict)


def _check(
    settings: CheckSettings, use_cache: bool, build: SiteBuild | None = None
) -> tuple[CheckResult, CheckedFolder]:
    """The build's check (with its page collisions), through the parse cache it shares."""
    from ..site.build import SiteBuild

    result = (build or SiteBuild(settings)).check(use_cache)
    return result, CheckedFolder(result.problems, len(result.cascade.objectives), len(result.cascade.teams))


def _checked_key(settings: CheckSettings, digest: str) -> str:
    """What a check's findings depend on: the files, the settings of the rules, and the
    build's day (periods close with it), and the files of docs_dir that links in bodies
    may lead to."""
    options = settings.options
    try:
        day: int | None = build_time() // SECONDS_PER_DAY
    except TimeSettingError:
        day = None
    docs: list[str] = []
    if settings.site:  # imported only then: body_links brings markdown-it (benchmarks/RESULTS.md)
        from ..site.body_links import files_under

        docs = sorted(files_under(settings.site.docs_dir))
    return fingerprint(
        digest, settings.kr_range, settings.layout, settings.use_directory_urls,
        sorted(options.rules.items()), options.fiscal_year_start, day, docs,
    )  # fmt: skip


def _printed_key(settings: CheckSettings, key: str, output_format: str, strict: bool) -> str:
    """How findings kept under `key` are printed: the format, the folder as given (paths
    are shown under it), --strict and the settings' warnings (the summary counts them)."""
    return fingerprint(key, output_format, settings.okrs_dir, strict, list(settings.warnings))


def _report(settings: CheckSettings, checked: CheckedFolder, output_format: str, strict: bool) -> int:
    """Print every problem (and, as text, the summary); the exit status."""
    return _print(_printed(settings, checked, output_format, strict))


def _printed(settings: CheckSettings, checked: CheckedFolder, output_format: str, strict: bool) -> PrintedCheck:
    """Every problem as `output_format` has it, the summary line (text only) and the exit status."""
    problems = checked.problems
    if strict:  # warnings become errors; advice stays advice unless configured otherwise
        problems = [replace(p, severity=Severity.ERROR) if p.severity is Severity.WARNING else p for p in problems]
    output = format_ordered(problems, output_format, settings.okrs_dir)
    # The settings' warnings (an unknown plugin option) are printed before the check and
    # fail it under --strict: the summary counts them as what they are.
    setting_warnings = len(settings.warnings)
    severities = severity_counts(problems)
    summary = None
    if output_format == "text":
        counts = f"{counted(checked.objectives, 'objective')}, {counted(checked.teams, 'team')}"
        found = summary_line(severities, *((setting_warnings, 0) if strict else (0, setting_warnings)))
        summary = f"okrdocs: {settings.okrs_dir}: {counts}: {found}"
    refused = bool(severities[Severity.ERROR]) or (strict and bool(setting_warnings))
    return PrintedCheck(output, summary, EXIT_REFUSED if refused else EXIT_OK)


def _print(printed: PrintedCheck) -> int:
    """Print the problems and the summary; the exit status."""
    if printed.output:
        print(printed.output)
    if printed.summary is not None:
        print(printed.summary, file=sys.stderr)
    return printed.status


# -- okrdocs new -----------------------------------------------------------------


def _add_new(commands: Any) -> None:
    new = commands.add_parser(
        "new",
        help="write a new objective file for a team",
        description=(
            "Write a correctly formed objective file at OKRS/TEAM/<id>.md. With --parent "
            "OBJECTIVE#KR the delegated key result becomes the objective: its text is the "
            "title, and it must be delegated to TEAM. Never overwrites a file."
        ),
    )
    new.add_argument("--team", required=True, help="the id of the team that owns the objective")
    new.add_argument(
        "--parent",
        required=True,
        metavar="PARENT",
        help="vision, an objective id (loose) or objective-id#kr-id (tight)",
    )
    new.add_argument("--title", help="what will be accomplished (default for a tight pickup: the key result's text)")
    new.add_argument("--period", help="2026, 2026-H1 or 2026-Q3 (default: the parent's period, or this year)")
    new.add_argument("--owner", help="the person accountable")
    new.add_argument(
        "--id", dest="objective_id", metavar="ID", help="the objective id and file name (default: from the title)"
    )
    _add_folder_options(new)
    new.set_defaults(run=_run_new)


def _run_new(arguments: argparse.Namespace) -> int:
    from ..core.reading.authoring import AuthoringError, plan_objective, write_objective

    settings = _existing_folder(arguments)
    if settings is None:
        return EXIT_USAGE
    root = Path(settings.okrs_dir)
    cascade = check_folder(root, settings.kr_range).cascade
    try:
        plan = plan_objective(
            cascade,
            team=arguments.team,
            parent=arguments.parent,
            title=arguments.title,
            period=arguments.period,
            owner=arguments.owner,
            objective_id=arguments.objective_id,
            shown_root=settings.okrs_dir,
        )
        write_objective(root, plan, settings.okrs_dir)
    except AuthoringError as error:
        print_error(str(error))
        return EXIT_REFUSED
    shown = posixpath.join(settings.okrs_dir, plan.path)
    print(shown)
    picks_up = f", picking up the key result at {plan.picks_up}" if plan.picks_up else ""
    print(
        f"okrdocs: wrote {shown}{picks_up}: add its key results, then run okrdocs check",
        file=sys.stderr,
    )
    return EXIT_OK


# -- okrdocs diff ----------------------------------------------------------------


def _add_diff(commands: Any) -> None:
    diff = commands.add_parser(
        "diff",
        help="summarise what a change does to the OKRs, for a review",
        description=(
            "Compare the OKR cascade at two git revisions: objectives added, removed, "
            "retitled or moved; delegations added, withdrawn or broken; key result scores; "
            "problems introduced or fixed. HEAD defaults to the working tree."
        ),
    )
    diff.add_argument("base", metavar="BASE", help="the revision to compare from, like origin/main")
    diff.add_argument("head", metavar="HEAD", nargs="?", help="the revision to compare to (default: the working tree)")
    diff.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="output format (default: markdown)"
    )
    _add_folder_options(diff)
    diff.set_defaults(run=_run_diff)


def _checked_at(repository: GitFolder, commit: str, build: SiteBuild) -> CheckResult:
    import tempfile  # here, like the modules of diff: only diff needs it

    from ..core.history.revisions import export_folder

    with tempfile.TemporaryDirectory(prefix="okrdocs-diff-") as folder:
        export = export_folder(repository, commit, Path(folder))
        if not export.found:
            return CheckResult(resolve(Repository()), [])  # no OKR folder yet: nothing to compare
        result = build.check_only(Path(folder))
    return replace(result, problems=sorted_problems([*result.problems, *export.refused]))


def _run_diff(arguments: argparse.Namespace) -> int:
    from ..core.history.git import GitError
    from ..core.history.revisions import commit_of, locate
    from ..core.rules.diffing import Revision, compare, to_json, to_markdown
    from ..site.build import SiteBuild

    try:
        settings = _folder_settings(arguments)
    except SettingsError as error:
        print_error(str(error))
        return EXIT_USAGE
    root = Path(settings.okrs_dir)
    build = SiteBuild(settings)
    try:
        repository = locate(settings.checkout, root)
        base_commit = commit_of(repository, arguments.base)
        base = build.with_page_collisions(_checked_at(repository, base_commit, build))
        if arguments.head is None:
            head_side = Revision("working tree")
            head = build.check_only(root) if root.is_dir() else CheckResult(resolve(Repository()), [])
        else:
            head_commit = commit_of(repository, arguments.head)
            head_side = Revision(arguments.head, head_commit)
            head = _checked_at(repository, head_commit, build)
        head = build.with_page_collisions(head)
    except GitError as error:
        print_error(str(error))
        return EXIT_USAGE
    render = to_json if arguments.format == "json" else to_markdown
    print(render(compare(base, head), Revision(arguments.base, base_commit), head_side, settings.okrs_dir).rstrip("\n"))
    return EXIT_OK


# -- okrdocs schema --------------------------------------------------------------


def _add_schema(commands: Any) -> None:
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of objective front matter, teams.yml or vision.md",
        description="Print a JSON Schema (draft 2020-12) derived from the fields okrdocs check reads.",
        epilog=SCHEMA_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    schema.add_argument("kind", choices=tuple(SCHEMAS), help="which file the schema describes")
    schema.set_defaults(run=_run_schema)


def _run_schema(arguments: argparse.Namespace) -> int:
    print(schema_json(arguments.kind))
    return EXIT_OK


# -- okrdocs report --------------------------------------------------------------


def _add_report(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="the period's objectives with score, status, owner and last update; stale and troubled ones",
        description=(
            "List the current period's objectives per team (score, status, owner, last update from "
            "git, stale or not), then the stale ones and those at risk or off track. The date is "
            "SOURCE_DATE_EPOCH when set, else now."
        ),
    )
    report.add_argument(
        "--format", choices=("text", "markdown", "json"), default="text", help="output format (default: text)"
    )
    report.add_argument(
        "--period",
        metavar="P",
        help="the period to report, like 2026-Q1 (default: current_period from mkdocs.yml, else this quarter)",
    )
    report.add_argument(
        "--stale-after",
        type=int,
        metavar="DAYS",
        help="days without a commit that make a current objective stale; 0: never (default: stale_after, else 30)",
    )
    report.add_argument(
        "--since",
        metavar="DATE",
        help="also list what changed from this day (like 2026-03-01, UTC) to the report's date",
    )
    _add_folder_options(report)
    report.set_defaults(run=_run_report)


def _run_report(arguments: argparse.Namespace) -> int:
    from ..core.history.timeline import TimeSettingError, build_time, current_period, day_start
    from ..site.build import SiteBuild
    from .report import make_report, to_json, to_markdown, to_text

    settings = _existing_folder(arguments)
    if settings is None:
        return EXIT_USAGE
    stale_after = settings.options.stale_after if arguments.stale_after is None else arguments.stale_after
    if stale_after < 0:
        print_error(f"--stale-after is {stale_after}: give a number of days, or 0 to turn it off")
        return EXIT_USAGE
    options = settings.options
    try:
        as_of = build_time()
        setting, name = (
            (options.current_period, "current_period") if arguments.period is None else (arguments.period, "--period")
        )
        period = current_period(setting, as_of, name, options.fiscal_year_start)
        since = None if arguments.since is None else day_start(arguments.since, "--since")
    except TimeSettingError as error:
        print_error(str(error))
        return EXIT_USAGE
    build = SiteBuild(settings, inform=inform)
    result = build.check()
    history = build.history(lacking="'updated' dates or stale objectives")  # the build's cache, read and kept
    render = {"text": to_text, "markdown": to_markdown, "json": to_json}[arguments.format]
    timeline = replace(options.timeline(as_of, history), current=period, stale_after=stale_after)
    print(render(make_report(result, timeline, settings, since)), end="")
    return EXIT_OK
