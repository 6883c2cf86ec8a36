"""Print the time of `pyscaffold-fw update` of a Flask project beside a fresh generation of
the same template, measured in one run on this machine.

Usage: python benchmarks/bench_update.py [--runs N]

Figures only; nothing here passes or fails. Target (issue #13): an update (a changed
template: one edited file, one new file) at most 2x a generation with git.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pyscaffold_fw.registry import template_path

BIN = Path(sys.executable).parent
IDENTITY = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.com",
}


def tool(name: str) -> str:
    """Return an executable installed beside this Python, else from PATH."""
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} is not installed: pip install -e '.[test]'")
    return str(found)


def run(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Run `command` and return its wall time in seconds."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def one_round(new_project: str, scaffold: str, scratch: Path) -> tuple[float, float]:
    """Generate a Flask project from a copy of the built-in, change the copy, update."""
    templates = scratch / "templates"
    release = templates / "flask"
    shutil.copytree(template_path("flask"), release, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, **IDENTITY, "PYSCAFFOLD_FW_TEMPLATES": str(templates)}
    generate = [new_project, "site", "--framework", "flask", "--defaults", "-q", "--git"]
    generation = run(generate, scratch, env)
    (release / "template" / "CHANGES.md").write_text("# Changes\n", encoding="utf-8")
    with (release / "template" / ".gitignore").open("a", encoding="utf-8") as gitignore:
        gitignore.write("*.log\n")
    update = run([scaffold, "update", str(scratch / "site"), "-q"], scratch, env)
    return generation, update


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    runs = parser.parse_args().runs
    new_project, scaffold = tool("new-project"), tool("pyscaffold-fw")
    generations, updates = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            generation, update = one_round(new_project, scaffold, Path(scratch))
        generations.append(generation)
        updates.append(update)
    generation, update = statistics.median(generations), statistics.median(updates)
    print(f"{'median of ' + str(runs) + ' rounds':<34} {'seconds':>8}")
    print(f"{'new-project flask (with git)':<34} {generation:>8.3f}")
    print(f"{'pyscaffold-fw update (merge)':<34} {update:>8.3f}")
    print(f"{'update / generation':<34} {update / generation:>8.2f}x  (target: at most 2x)")


if __name__ == "__main__":
    main()
