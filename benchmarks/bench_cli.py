"""Print start-up and generation timings of new-project beside plain Copier on this machine.

Usage: python benchmarks/bench_cli.py [--runs N]

Figures only; nothing here passes or fails. Targets (issue #2): `new-project --help` under a
third of `copier --help`; a non-interactive generation no slower than `copier copy`.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from pyscaffold_fw.registry import template_path

BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """Return an executable installed beside this Python, else from PATH."""
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} is not installed; install the test extra: pip install -e '.[test]'")
    return str(found)


def median_seconds(make_command: Callable[[Path], Sequence[str]], runs: int) -> float:
    """Run a command `runs` times, each in a fresh temporary directory; return the median."""
    timings = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            command = make_command(Path(scratch))
            start = time.perf_counter()
            subprocess.run(command, cwd=scratch, check=True, capture_output=True)
            timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command (default 7)")
    runs = parser.parse_args().runs
    ours, copier = tool("new-project"), tool("copier")
    flask = str(template_path("flask"))
    pairs = {
        "--help": (
            lambda _: [ours, "--help"],
            lambda _: [copier, "--help"],
        ),
        # Like for like: copier copy makes no git repository, so neither do we here.
        "generate flask --defaults": (
            lambda d: [ours, str(d / "p"), "--framework", "flask", "--defaults", "-q", "--no-git"],
            lambda d: [copier, "copy", "--defaults", "--quiet", flask, str(d / "p")],
        ),
        "  ... and its git commit": (
            lambda d: [ours, str(d / "p"), "--framework", "flask", "--defaults", "-q", "--git"],
            lambda d: [copier, "copy", "--defaults", "--quiet", flask, str(d / "p")],
        ),
    }
    print(f"median of {runs} runs, Python {sys.version.split()[0]}")
    print(f"{'what':<28}{'new-project':>14}{'copier':>12}{'ratio':>9}")
    for label, (ours_command, copier_command) in pairs.items():
        mine = median_seconds(ours_command, runs)
        theirs = median_seconds(copier_command, runs)
        print(f"{label:<28}{mine * 1000:>11.0f} ms{theirs * 1000:>9.0f} ms{mine / theirs:>9.2f}")


if __name__ == "__main__":
    main()
