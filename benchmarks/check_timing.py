"""Time `okrdocs check` on one OKR folder: without the parse cache, with a cold one (the run
that fills it) and with a warm one, in interleaved rounds so a busy machine moves all of
them alike; optionally also another okrdocs checkout (the code before a change).

    python benchmarks/check_timing.py OKRS_DIR [--rounds 7] [--baseline /path/to/checkout]

Prints the median and the range of each, wall and CPU seconds of the child process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of `command` in a child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
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
    check = [sys.executable, "-m", "okrdocs.cli", "check", "--okrs", str(arguments.okrs)]
    cache = arguments.okrs.absolute().parent / ".cache" / "okrdocs"
    env = dict(os.environ)
    runs: dict[str, list[tuple[float, float]]] = {}

    def run(name: str, command: list[str], env: dict[str, str] = env) -> None:
        runs.setdefault(name, []).append(timed(command, env))

    for _ in range(arguments.rounds):
        if arguments.baseline is not None:
            run("before (baseline)", check, {**env, "PYTHONPATH": str(arguments.baseline)})
        run("no cache (--no-cache)", [*check, "--no-cache"])
        shutil.rmtree(cache, ignore_errors=True)
        run("cold cache (fills it)", check)
        run("warm cache", check)
    for name, figures in runs.items():
        walls, cpus = [wall for wall, _ in figures], [cpu for _, cpu in figures]
        print(
            f"{name:24} wall {statistics.median(walls):.2f} s ({min(walls):.2f}-{max(walls):.2f}), "
            f"cpu {statistics.median(cpus):.2f} s ({min(cpus):.2f}-{max(cpus):.2f}), {len(figures)} runs"
        )


if __name__ == "__main__":
    main()
