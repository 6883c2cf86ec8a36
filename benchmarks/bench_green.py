"""Print time-to-green per framework: one `new-project --install --run-tests` beside the
same steps done by hand (copier copy, uv venv, uv pip install, pytest), step by step.

Usage: python benchmarks/bench_green.py [--runs N] [--write-bytecode] [FRAMEWORK ...]

Runs on a warm package cache (one unmeasured warm-up each). Figures only; the target
(issue #6) is to be no slower than by hand and under 5 s per framework. The first test run
in a fresh virtualenv compiles every module it imports to bytecode, in both flows; with
PYTHONDONTWRITEBYTECODE set, test subprocesses compile them again. --write-bytecode
unsets it for the measured commands, as on a machine with Python's default.

"imports" is `pytest --collect-only` run cold just before the hand flow's pytest, writing
no bytecode: pytest, the app and its tests imported, no test run. It is not in the total;
"floor" (copier + venv + install + imports) is what no test suite can go below with these
dependencies on this machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from bench_cli import tool

from pyscaffold_fw.registry import AVAILABLE_IDS, template_path
from pyscaffold_fw.verify import find_uv

HAND_STEPS = ("copier", "venv", "install", "pytest")
FLOOR_STEPS = ("copier", "venv", "install", "imports")
# One flow run: the seconds of each of its steps.
Flow = Callable[[str, Path, Mapping[str, str]], dict[str, float]]


def by_tool(framework: str, scratch: Path, env: Mapping[str, str]) -> dict[str, float]:
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
    start = time.perf_counter()
    subprocess.run(command, cwd=scratch, env=env, check=True, capture_output=True)
    return {"new-project": time.perf_counter() - start}


def by_hand(framework: str, scratch: Path, env: Mapping[str, str]) -> dict[str, float]:
    uv = find_uv() or "uv"
    project = scratch / "app"
    python = str(project / ".venv" / "bin" / "python")
    steps = {
        "copier": [
            tool("copier"),
            "copy",
            "--defaults",
            "--quiet",
            str(template_path(framework)),
            str(project),
        ],
        "venv": [uv, "venv", "--quiet", "--python", sys.executable, str(project / ".venv")],
        "install": [uv, "pip", "install", "--quiet", "--python", python, "-e", f"{project}[dev]"],
        "imports": [str(project / ".venv" / "bin" / "pytest"), "-q", "--collect-only"],
        "pytest": [str(project / ".venv" / "bin" / "pytest"), "-q"],
    }
    # Writing no bytecode, so the pytest after it starts as cold as without it.
    step_env = {"imports": {**env, "PYTHONDONTWRITEBYTECODE": "1"}}
    seconds = {}
    for name, command in steps.items():
        start = time.perf_counter()
        where = project if name in ("imports", "pytest") else scratch
        run_env = step_env.get(name, env)
        subprocess.run(command, cwd=where, env=run_env, check=True, capture_output=True)
        seconds[name] = time.perf_counter() - start
    return seconds


def median_seconds(
    flow: Flow, framework: str, runs: int, env: Mapping[str, str]
) -> dict[str, float]:
    """Run `flow` runs + 1 times (the first warms the cache); the median of each step."""
    measured: list[dict[str, float]] = []
    for attempt in range(runs + 1):
        with tempfile.TemporaryDirectory() as scratch:
            seconds = flow(framework, Path(scratch), env)
        if attempt:
            measured.append(seconds)
    medians = {step: statistics.median(run[step] for run in measured) for step in measured[0]}
    for name, steps in (("total", HAND_STEPS), ("floor", FLOOR_STEPS)):
        if all(step in measured[0] for step in steps):
            medians[name] = statistics.median(sum(run[s] for s in steps) for run in measured)
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0].replace("\n", " "))
    parser.add_argument("--runs", type=int, default=3, help="measured runs per flow (default 3)")
    parser.add_argument(
        "--write-bytecode", action="store_true", help="unset PYTHONDONTWRITEBYTECODE"
    )
    parser.add_argument("frameworks", nargs="*", default=list(AVAILABLE_IDS))
    arguments = parser.parse_args()
    env = dict(os.environ)
    if arguments.write_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    bytecode = "off" if env.get("PYTHONDONTWRITEBYTECODE") else "on"
    print(
        f"time to green, median of {arguments.runs} warm runs, Python {sys.version.split()[0]},"
        f" {os.cpu_count()} CPUs, writing bytecode {bytecode}"
    )
    columns = (*HAND_STEPS, "imports", "floor")
    steps = "".join(f"{step:>9}" for step in columns)
    print(f"{'framework':<11}{'new-project':>12}{'by hand':>9}{'ratio':>7}   by hand:{steps}")
    for framework in arguments.frameworks:
        ours = median_seconds(by_tool, framework, arguments.runs, env)["new-project"]
        theirs = median_seconds(by_hand, framework, arguments.runs, env)
        detail = "".join(f"{theirs[step]:>8.2f}s" for step in columns)
        print(
            f"{framework:<11}{ours:>10.2f} s{theirs['total']:>7.2f} s"
            f"{ours / theirs['total']:>7.2f}{'':>11}{detail}"
        )


if __name__ == "__main__":
    main()
