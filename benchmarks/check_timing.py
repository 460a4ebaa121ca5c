"""Time `okrdocs check` on one OKR folder: without the parse cache, with a cold one (the run
that fills it) and with a warm one, in interleaved rounds so a busy machine moves all of
them alike; optionally also another okrdocs checkout (the code before a change), timed the
same three ways, each warm run after its own cold one.

    python benchmarks/check_timing.py OKRS_DIR [--rounds 7] [--baseline /path/to/checkout]

Prints the median and the range of each, wall and CPU seconds of the child process. Both
checkouts' bytecode is written first, as installing a wheel does (see benchmarks/run.py).
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
BUILD_DATE = "1796083200"
"""2026-12-01, unless SOURCE_DATE_EPOCH is set: periods close with the build date, and
with them the coaching rules' findings (OKR707), so runs months apart check the same."""


def timed(command: list[str], checkout: Path) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of `command` in a child process that
    imports okrdocs from `checkout` (`python -m` puts the current folder first on the path)."""
    env = {"SOURCE_DATE_EPOCH": BUILD_DATE, **os.environ, "PYTHONPATH": str(checkout)}
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=checkout)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("okrs", type=Path)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--baseline", type=Path, help="an okrdocs checkout to time as well (its code, this Python)")
    arguments = parser.parse_args()
    check = [sys.executable, "-m", "okrdocs.cli", "check", "--okrs", str(arguments.okrs.absolute())]
    cache = arguments.okrs.absolute().parent / ".cache" / "okrdocs"
    baseline = arguments.baseline.absolute() if arguments.baseline else None
    checkouts = {"": HERE} if baseline is None else {"before: ": baseline, "after: ": HERE}
    for checkout in checkouts.values():
        compileall.compile_dir(checkout / "okrdocs", quiet=1)
    runs: dict[str, list[tuple[float, float]]] = {}
    for _ in range(arguments.rounds):
        for label, checkout in checkouts.items():
            runs.setdefault(f"{label}no cache (--no-cache)", []).append(timed([*check, "--no-cache"], checkout))
            shutil.rmtree(cache, ignore_errors=True)
            runs.setdefault(f"{label}cold cache (fills it)", []).append(timed(check, checkout))
            runs.setdefault(f"{label}warm cache", []).append(timed(check, checkout))
    for name, figures in sorted(runs.items(), key=lambda item: item[0].startswith("after")):
        walls, cpus = [wall for wall, _ in figures], [cpu for _, cpu in figures]
        print(
            f"{name:32} wall {statistics.median(walls):.2f} s ({min(walls):.2f}-{max(walls):.2f}), "
            f"cpu {statistics.median(cpus):.2f} s ({min(cpus):.2f}-{max(cpus):.2f}), {len(figures)} runs"
        )
    print(f"load average at the end: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
