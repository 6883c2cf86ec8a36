"""Print time-to-green per framework: one `new-project --install --run-tests` beside the
same steps done by hand (copier copy, uv venv, uv pip install, pytest).

Usage: python benchmarks/bench_green.py [--runs N] [FRAMEWORK ...]

Runs on a warm package cache (one unmeasured warm-up each). Figures only; the target
(issue #6) is to be no slower than by hand and under 5 s per framework.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_cli import tool

from pyscaffold_fw.registry import AVAILABLE_IDS, template_path
from pyscaffold_fw.verify import find_uv


def by_tool(framework: str, scratch: Path) -> None:
    command = [
        tool("new-project"),
        "app",
        "--framework",
        framework,
        "--defaults",
        "--install",
        "--run-tests",
        "-q",
    ]
    subprocess.run(command, cwd=scratch, check=True, capture_output=True)


def by_hand(framework: str, scratch: Path) -> None:
    uv = find_uv() or "uv"
    project = scratch / "app"
    steps = [
        [
            tool("copier"),
            "copy",
            "--defaults",
            "--quiet",
            str(template_path(framework)),
            str(project),
        ],
        [uv, "venv", "--quiet", "--python", sys.executable, str(project / ".venv")],
        [
            uv,
            "pip",
            "install",
            "--quiet",
            "--python",
            str(project / ".venv" / "bin" / "python"),
            "-e",
            f"{project}[dev]",
        ],
        [str(project / ".venv" / "bin" / "pytest"), "-q"],
    ]
    for step in steps:
        subprocess.run(
            step,
            cwd=project if step[0].endswith("pytest") else scratch,
            check=True,
            capture_output=True,
        )


def median_seconds(flow: Callable[[str, Path], None], framework: str, runs: int) -> float:
    timings = []
    for attempt in range(runs + 1):
        with tempfile.TemporaryDirectory() as scratch:
            start = time.perf_counter()
            flow(framework, Path(scratch))
            if attempt:  # the first run warms the cache and is not counted
                timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="measured runs per flow (default 3)")
    parser.add_argument("frameworks", nargs="*", default=list(AVAILABLE_IDS))
    arguments = parser.parse_args()
    print(f"time to green, median of {arguments.runs} warm runs, Python {sys.version.split()[0]}")
    print(f"{'framework':<12}{'new-project':>14}{'by hand':>12}{'ratio':>9}")
    for framework in arguments.frameworks:
        ours = median_seconds(by_tool, framework, arguments.runs)
        theirs = median_seconds(by_hand, framework, arguments.runs)
        print(f"{framework:<12}{ours:>12.2f} s{theirs:>10.2f} s{ours / theirs:>9.2f}")


if __name__ == "__main__":
    main()
