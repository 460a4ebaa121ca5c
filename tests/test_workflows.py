"""The GitHub workflows and the pre-commit hook: their shape, and their commands run here.

GitHub Actions cannot run here, so `test_the_pr_workflow_runs_here` walks the PR
workflow's steps in order on a real pull request in a temporary git repository: the
`run:` commands that check, build and summarise run as written; the steps that install
(Graphviz, okrdocs) or are GitHub actions (checkout, setup-python, upload-artifact) are
replaced by checks that what they provide is there.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from okrdocs.cli.settings import read_mkdocs_settings

pytestmark = pytest.mark.slow  # builds whole sites

PROJECT = Path(__file__).resolve().parent.parent
WORKFLOWS = PROJECT / ".github" / "workflows"
VENV_BIN = Path(sys.executable).parent


def load(name: str) -> dict[str, Any]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(workflow, dict)
    # YAML 1.1 reads the key `on` as the boolean true; GitHub reads it as "on".
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def uses(step: dict[str, Any]) -> str:
    return str(step.get("uses", "")).split("@")[0]


def runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


# -- the files' shape ----------------------------------------------------------------


def test_the_workflow_folder_holds_the_four_workflows() -> None:
    assert sorted(p.name for p in WORKFLOWS.iterdir()) == ["ci.yml", "okr-checkin.yml", "okr-pr.yml", "publish.yml"]


def test_pr_workflow() -> None:
    workflow = load("okr-pr.yml")
    assert list(workflow["on"]) == ["pull_request"]
    assert workflow["permissions"] == {"contents": "read"}
    assert list(workflow["jobs"]) == ["okrs"]
    steps = workflow["jobs"]["okrs"]["steps"]
    assert [uses(s) or s["run"].split()[0] for s in steps] == [
        "actions/checkout",
        "actions/setup-python",
        "sudo",
        "python",
        "okrdocs",
        "mkdocs",
        "okrdocs",
        "actions/upload-artifact",
        "okrdocs",
    ]
    assert steps[0]["with"] == {"fetch-depth": 0}  # okrdocs diff needs the base branch's history
    assert "apt-get install -y -qq graphviz" in steps[2]["run"]
    assert steps[3]["run"] == 'python -m pip install ".[material]"'  # the demo's theme is an extra
    assert steps[4]["run"] == "okrdocs check --format github"
    assert steps[5]["run"] == "mkdocs build --strict"
    assert steps[6]["run"] == "okrdocs codeowners --check .github/CODEOWNERS"  # the review handshake
    assert steps[7]["with"] == {"name": "okr-site", "path": "site/"}
    summary = steps[8]
    assert summary["run"] == 'okrdocs diff "origin/$BASE_REF" >> "$GITHUB_STEP_SUMMARY"'
    # The branch name reaches the shell as a variable, never pasted into the script.
    assert summary["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert summary["if"] == "${{ !cancelled() }}"  # also when the check fails: that is when it helps most


def test_publish_workflow() -> None:
    workflow = load("publish.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in workflow["on"]
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["steps"][0]["with"] == {"fetch-depth": 0}  # the score trends come from the history
    assert runs(build) == runs(load("okr-pr.yml")["jobs"]["okrs"])[:4]  # the same gate as the PR
    artifacts = [s for s in build["steps"] if "upload" in uses(s)]
    assert [(uses(s), s["with"]) for s in artifacts] == [
        ("actions/upload-pages-artifact", {"path": "site/"}),
        ("actions/upload-artifact", {"name": "okr-site", "path": "site/"}),  # for an intranet server
    ]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [uses(s) for s in deploy["steps"]] == ["actions/deploy-pages"]


def test_checkin_workflow() -> None:
    workflow = load("okr-checkin.yml")
    assert workflow["on"]["schedule"] == [{"cron": "0 7 * * 1"}] and "workflow_dispatch" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    steps = workflow["jobs"]["checkin"]["steps"]
    assert [uses(s) or s["run"].split()[0] for s in steps] == [
        "actions/checkout",
        "actions/setup-python",
        "python",
        "okrdocs",
        "number=$(gh",
    ]
    assert steps[0]["with"] == {"fetch-depth": 0}  # 'updated' and 'stale' come from the history
    assert steps[3]["run"] == "okrdocs report --format markdown > okr-report.md"
    assert steps[4]["env"] == {"GH_TOKEN": "${{ github.token }}", "GH_REPO": "${{ github.repository }}"}


def test_checkin_workflow_creates_the_issue_once_then_updates_it(tmp_path: Path) -> None:
    """The issue step's script, with a stand-in `gh` that answers `issue list` as GitHub would
    after its --jq filter and records every call."""
    script = load("okr-checkin.yml")["jobs"]["checkin"]["steps"][4]["run"]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(
        '#!/bin/sh\necho "$*" >> "$GH_CALLS"\n[ "$1 $2" = "issue list" ] && printf "%s" "$OPEN_ISSUE"\nexit 0\n',
        encoding="utf-8",
    )
    (bin_dir / "gh").chmod(0o755)
    (tmp_path / "okr-report.md").write_text("## OKR check-in\n", encoding="utf-8")
    calls = tmp_path / "calls"
    for open_issue in ("", "7"):
        env = {"PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin", "GH_CALLS": str(calls), "OPEN_ISSUE": open_issue}
        subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, check=True)
    made, listed_again, edited = calls.read_text(encoding="utf-8").splitlines()[1:]
    assert made == "issue create --title OKR check-in --body-file okr-report.md"
    assert listed_again.startswith("issue list --state open")
    assert edited == "issue edit 7 --body-file okr-report.md"


def test_ci_workflow_runs_the_projects_tests() -> None:
    workflow = load("ci.yml")
    assert set(workflow["on"]) == {"push", "pull_request"}
    job = workflow["jobs"]["test"]
    assert job["strategy"]["matrix"]["python-version"] == ["3.10", "3.13"]  # the oldest supported, a recent one
    assert runs(job) == ["bash .ci/run"]
    assert "env" not in job["steps"][-2]  # the locked versions
    assert (PROJECT / ".ci" / "run").is_file()


def test_ci_also_runs_the_tests_with_the_newest_and_the_lowest_versions() -> None:
    jobs = load("ci.yml")["jobs"]
    assert {"test", "newest", "lowest"} <= set(jobs)
    for name in ("newest", "lowest"):
        step = jobs[name]["steps"][-1]
        assert (step["run"], step["env"]) == ("bash .ci/run", {"OKRDOCS_DEPS": name})
    script = (PROJECT / "scripts" / "dev").read_text(encoding="utf-8")
    assert "newest)" in script and "--upgrade-strategy eager" in script
    assert "lowest)" in script and "--resolution lowest-direct" in script


def test_scripts_dev_installs_the_tests_from_the_lock() -> None:
    script = (PROJECT / "scripts" / "dev").read_text(encoding="utf-8")
    assert "DEPS=${OKRDOCS_DEPS:-locked}" in script
    assert 'locked) install_locked "$VENV" requirements/test.lock' in script
    lock = (PROJECT / "requirements" / "test.lock").read_text(encoding="utf-8")
    pinned = re.findall(r"^([a-z0-9_.-]+)==", lock, re.MULTILINE)
    for name in ("mkdocs", "mkdocs-material", "properdocs", "pyyaml", "pytest"):
        assert name in pinned, name
    # The library itself stays open: ranges in pyproject.toml, pins only in the lock.
    pyproject = (PROJECT / "pyproject.toml").read_text(encoding="utf-8")
    assert "==" not in pyproject


def test_every_action_is_pinned_to_a_major_version() -> None:
    for path in WORKFLOWS.iterdir():
        for job in load(path.name)["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), (path.name, step["uses"])


# -- the pre-commit hook -----------------------------------------------------------


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["okrdocs-check"]
    hook = hooks[0]
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == ("okrdocs check", "python", False)
    files = re.compile(hook["files"])
    assert [
        bool(files.search(p))
        for p in ("okrs/sales/q1.md", "okrs/teams.yml", "mkdocs.yml", "site_src/index.md", "README.md")
    ] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_pre_commit_hook_entry_gates_a_commit(tmp_path: Path) -> None:
    """What pre-commit runs: the entry, in the repository's top folder, without file names."""
    entry = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))[0]["entry"]
    shutil.copytree(PROJECT / "okrs", tmp_path / "okrs")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - okrdocs\n", encoding="utf-8")
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(shlex.split(entry), cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    (tmp_path / "okrs/sales/win-regional-ev-share.md").write_text("---\nteam: sales\n---\n", encoding="utf-8")
    done = subprocess.run(shlex.split(entry), cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert "okrs/sales/win-regional-ev-share.md:1: OKR201 the objective has no 'period'" in done.stdout


# -- the PR workflow, run here -------------------------------------------------------


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test Author", "-c", "user.email=author@example.com", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _copy_site_sources(destination: Path) -> None:
    """What `mkdocs build` reads: mkdocs.yml, its docs_dir and the OKR folder."""
    config = yaml.load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    shutil.copy(PROJECT / "mkdocs.yml", destination / "mkdocs.yml")
    folders = {config.get("docs_dir", "docs"), read_mkdocs_settings(str(PROJECT / "mkdocs.yml")).okrs_dir}
    custom_dir = (config.get("theme") or {}).get("custom_dir") if isinstance(config.get("theme"), dict) else None
    if custom_dir:
        folders.add(custom_dir)
    for folder in folders:
        source = (PROJECT / folder).resolve()
        shutil.copytree(source, destination / source.relative_to(PROJECT))
    (destination / ".github").mkdir()
    shutil.copy(PROJECT / ".github" / "CODEOWNERS", destination / ".github" / "CODEOWNERS")


@pytest.fixture
def pull_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clone as actions/checkout leaves it: origin/main, and the PR's change on top."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    repository = tmp_path / "repo"
    repository.mkdir()
    _copy_site_sources(repository)
    _git(repository, "init", "-q", "-b", "main")
    _git(repository, "add", ".")
    _git(repository, "commit", "-q", "-m", "The OKRs")
    _git(repository, "update-ref", "refs/remotes/origin/main", "HEAD")
    _git(repository, "switch", "-q", "-c", "pull-request")
    okrs = repository / "okrs"
    objective = okrs / "sales/grow-new-market-revenue.md"
    text = objective.read_text(encoding="utf-8")
    objective.write_text(text.replace("    progress: 0.5\n", "    progress: 0.75\n", 1), encoding="utf-8")
    subprocess.run(
        [
            VENV_BIN / "okrdocs",
            "new",
            "--team",
            "sales-emea",
            "--parent",
            "grow-new-market-revenue",
            "--title",
            "Sign the first fleet deal in Poland",
        ],
        cwd=repository,
        check=True,
        capture_output=True,
    )
    new = okrs / "sales-emea/sign-the-first-fleet-deal-in-poland.md"
    new.write_text(
        new.read_text(encoding="utf-8").replace(
            "key_results: []\n", "key_results:\n  - id: kr1\n    title: One signed fleet contract\n    progress: 0.0\n"
        ),
        encoding="utf-8",
    )
    _git(repository, "add", ".")
    _git(repository, "commit", "-q", "-m", "Poland")
    return repository


def test_the_pr_workflow_runs_here(pull_request: Path, tmp_path: Path) -> None:
    steps = load("okr-pr.yml")["jobs"]["okrs"]["steps"]
    summary = tmp_path / "step-summary.md"
    summary.write_text("", encoding="utf-8")
    github = {"github.base_ref": "main"}
    ran: list[str] = []
    for step in steps:
        action = uses(step)
        command = step.get("run", "")
        if action == "actions/checkout":
            # fetch-depth 0: the base branch's history is there for okrdocs diff.
            assert _git(pull_request, "rev-parse", "--verify", "origin/main").strip()
        elif action == "actions/setup-python":
            assert sys.version_info >= (3, 10)
        elif action == "actions/upload-artifact":
            assert (pull_request / step["with"]["path"] / "index.html").is_file()
        elif "apt-get install" in command:
            assert shutil.which("dot"), "Graphviz's dot is what the install step provides"
        elif "pip install" in command:
            assert (VENV_BIN / "okrdocs").is_file() and (VENV_BIN / "mkdocs").is_file()
        else:
            assert command, f"a step this test does not know: {step}"
            env = {
                **os.environ,
                "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
                "GITHUB_STEP_SUMMARY": str(summary),
            }
            for name, value in (step.get("env") or {}).items():
                expression = re.fullmatch(r"\$\{\{\s*([\w.]+)\s*\}\}", value)
                env[name] = github[expression[1]] if expression else value
            done = subprocess.run(
                ["bash", "-e", "-c", command], cwd=pull_request, env=env, capture_output=True, text=True
            )
            assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
            ran.append(command)
            if command.startswith("okrdocs check"):
                # no error or warning annotations: the change is clean (the demo's coaching advice is notices)
                assert all(line.startswith("::notice ") for line in done.stdout.splitlines()), done.stdout
    assert ran == [
        "okrdocs check --format github",
        "mkdocs build --strict",
        "okrdocs codeowners --check .github/CODEOWNERS",
        'okrdocs diff "origin/$BASE_REF" >> "$GITHUB_STEP_SUMMARY"',
    ]
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("### OKR changes: `origin/main` (")
    assert "**objectives: 1 added · 2 scores changed**" in written
    assert (
        "- `sign-the-first-fleet-deal-in-poland` **Sign the first fleet deal in Poland**: team `sales-emea`, "
        "2026-Q1, parent `grow-new-market-revenue` (`okrs/sales-emea/sign-the-first-fleet-deal-in-poland.md`)"
    ) in written
    assert (
        "- `grow-new-market-revenue#kr2` Launch outbound sales campaigns in Germany, the Netherlands and Poland: 50% → 75%"
        in written
    )
    assert (pull_request / "site" / "index.html").is_file()


def test_the_codeowners_step_fails_when_teams_yml_gains_reviewers(pull_request: Path) -> None:
    """The handshake's gate: a team that changes its reviewers in teams.yml without the
    CODEOWNERS block following fails the pull request, with the lines to change."""
    step = next(s["run"] for s in load("okr-pr.yml")["jobs"]["okrs"]["steps"] if "codeowners" in s.get("run", ""))
    teams = pull_request / "okrs/teams.yml"
    teams.write_text(
        teams.read_text(encoding="utf-8").replace('"@northwind/platform"', '"@northwind/platform", "@elena"'),
        encoding="utf-8",
    )
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-e", "-c", step], cwd=pull_request, env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert "-/okrs/platform/ @northwind/platform\n" in done.stdout
    assert "+/okrs/platform/ @northwind/platform @elena\n" in done.stdout
    assert ".github/CODEOWNERS is out of date" in done.stderr


def test_check_annotations_point_at_the_changed_line(pull_request: Path) -> None:
    """The check step's output on a broken change: GitHub shows it on the line at fault."""
    objective = pull_request / "okrs/sales-emea/sign-the-first-fleet-deal-in-poland.md"
    objective.write_text(
        objective.read_text(encoding="utf-8").replace("team: sales-emea", "team: sales-emae"), encoding="utf-8"
    )
    done = subprocess.run(
        [VENV_BIN / "okrdocs", "check", "--format", "github"], cwd=pull_request, capture_output=True, text=True
    )
    assert done.returncode == 1
    annotation = done.stdout.splitlines()[0]
    assert annotation.startswith(
        "::error file=okrs/sales-emea/sign-the-first-fleet-deal-in-poland.md,line=3,title=OKR401::"
        "there is no team 'sales-emae' in teams.yml"
    )
    assert "did you mean 'sales-emea'?" in annotation


# -- one install line, against this repository ----------------------------------------


def install_refs(text: str) -> list[tuple[str, str]]:
    """(repository, ref) of each git install line and pre-commit `repo:`/`rev:` pair in a text."""
    found = re.findall(r'"okrdocs\[material\] @ git\+(\S+?)@([\w./-]+)"', text)
    found += re.findall(r"repo: (\S+)\n#?\s+rev: ([\w./-]+)", text)
    return found


def test_every_install_line_names_the_projects_repository_and_one_ref_that_exists() -> None:
    repository = tomllib_load(PROJECT / "pyproject.toml")["project"]["urls"]["Repository"]
    places = [PROJECT / "README.md", PROJECT / ".pre-commit-hooks.yaml", *sorted(WORKFLOWS.glob("okr-*.yml"))]
    places.append(WORKFLOWS / "publish.yml")
    refs = {place.name: install_refs(place.read_text(encoding="utf-8")) for place in places}
    assert all(refs.values()), refs  # each place shows how to install okrdocs
    (ref,) = {ref for pairs in refs.values() for _, ref in pairs}
    assert {pair for pairs in refs.values() for pair in pairs} == {(repository, ref)}
    # The ref is a branch or tag of this repository (a release tag replaces it: CONTRIBUTING.md).
    found = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd=PROJECT, capture_output=True
    )
    assert found.returncode == 0, f"the install lines name {ref!r}, which this repository does not have"
    # A bare name would install from a package index, where okrdocs is not (or is someone else's).
    for place in places:
        for line in re.findall(r"pip install [^\n`]*", place.read_text(encoding="utf-8")):
            assert "@ git+" in line or "--no-index" in line or "--index-url" in line or '".' in line, (place.name, line)
    assert "git tag -a v" in (PROJECT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def tomllib_load(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads(path.read_text(encoding="utf-8"))


def test_pyproject_names_the_project_urls_and_the_python_versions_ci_tests() -> None:
    project = tomllib_load(PROJECT / "pyproject.toml")["project"]
    assert set(project["urls"]) >= {"Homepage", "Repository", "Changelog", "Issues"}
    versions = [
        c.rsplit(" :: ", 1)[1]
        for c in project["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    lowest = project["requires-python"].removeprefix(">=")
    assert versions[0] == lowest and set(load("ci.yml")["jobs"]["test"]["strategy"]["matrix"]["python-version"]) <= set(
        versions
    )
