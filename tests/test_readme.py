"""The README's examples work as written: a doc that goes stale fails here."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize(
    "code", PYTHON_BLOCKS, ids=[f"block-{i}" for i, _ in enumerate(PYTHON_BLOCKS)]
)
def test_the_readmes_python_examples_run(workdir: Path, code: str) -> None:
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=workdir, capture_output=True, text=True, check=False
    )
    assert 0 == completed.returncode, completed.stderr


def test_the_readme_has_a_python_example() -> None:
    assert PYTHON_BLOCKS


@pytest.mark.parametrize(
    "first",
    ["", "import pyscaffold_fw.generation", "from pyscaffold_fw.cli import cli"],
    ids=["fresh", "after-the-module", "after-the-cli"],
)
def test_the_api_names_are_the_functions_whatever_was_imported_first(first: str) -> None:
    code = (
        f"{first}\nfrom pyscaffold_fw import GenerateRequest, generate\nprint(callable(generate))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert ("True", 0) == (completed.stdout.strip(), completed.returncode), completed.stderr


def readme_new_project_lines() -> list[str]:
    """Every `new-project DEST ...` line of the README's shell blocks, comments cut off."""
    blocks = re.findall(r"```(?:bash|sh)\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    lines = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    commands = [part.strip() for line in lines for part in line.split("&&")]
    return [command for command in commands if command.startswith("new-project ")]


@pytest.mark.parametrize("line", readme_new_project_lines())
def test_the_readmes_new_project_lines_work_as_written(workdir: Path, line: str) -> None:
    """Run with --pretend (nothing written, nothing installed) and without a terminal."""
    arguments = shlex.split(line)[1:]
    command = [sys.executable, "-m", "pyscaffold_fw", "new", *arguments, "--pretend"]
    completed = subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False)
    assert 0 == completed.returncode, completed.stderr
    assert [] == list(workdir.iterdir())


def test_the_readme_shows_new_project_lines() -> None:
    assert len(readme_new_project_lines()) >= 5
