"""End to end, for every built-in template and a few answer combinations: generate through
the real CLI, install into a fresh virtualenv, run the project's tests and linters, then
run its Procfile release and web processes and talk HTTP to them. Nothing is mocked."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pyscaffold_fw import verify
from pyscaffold_fw.questions import load_questions
from pyscaffold_fw.registry import AVAILABLE_IDS, template_path

pytestmark = pytest.mark.e2e

HOSTILE_TEXT = {
    "description": 'Say "hi" \\ {{ 7*7 }} {% if %} é 😀 it\'s\nand a second line',
    "author_name": "Zoë O'Brien \\ {{ x }}",
}
# The answer a different python_version would need a different interpreter for.
NOT_VARIED = {"python_version", "project_name", "package_name"}


@dataclass(frozen=True)
class Case:
    framework: str
    name: str
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.framework}-{self.name}"


def alternative_answers(framework: str) -> dict[str, Any]:
    """Pick, for every choice and yes/no question, an answer other than its default."""
    data: dict[str, Any] = {}
    for question in load_questions(template_path(framework)).questions:
        if question.name in NOT_VARIED or question.secret:
            continue
        if question.type == "bool":
            data[question.name] = not question.default
        elif question.choices:
            others = [c.value for c in question.choices if c.value != question.default]
            data[question.name] = others[0]
    return data


def cases() -> list[Case]:
    return [
        case
        for framework in AVAILABLE_IDS
        for case in (
            Case(framework, "defaults", {}),
            Case(framework, "alternatives", alternative_answers(framework)),
            Case(framework, "hostile-text", HOSTILE_TEXT),
        )
    ]


def generate(case: Case, workdir: Path) -> dict[str, Any]:
    data_file = workdir / "answers.json"
    data_file.write_text(json.dumps(case.data), encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "pyscaffold_fw",
        "new",
        "project",
        "--framework",
        case.framework,
        "--defaults",
        "--data-file",
        str(data_file),
        "--json",
    ]
    completed = subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False)
    assert 0 == completed.returncode, completed.stdout + completed.stderr
    payload: dict[str, Any] = json.loads(completed.stdout)
    return payload


def assert_step(result: verify.StepResult) -> None:
    assert result.ok, f"`{result.command}` failed:\n{result.output[-4000:]}"


@pytest.mark.parametrize("case", cases(), ids=lambda case: case.id)
def test_generated_project_installs_passes_its_tests_and_serves(case: Case, tmp_path: Path) -> None:
    payload = generate(case, tmp_path)
    project = Path(payload["project_dir"])
    for key, value in case.data.items():
        assert value == payload["answers"][key]
    assert_rendered_cleanly(project, payload["files"])

    assert_step(verify.create_venv(project))
    assert_step(verify.install_dev(project))
    tests = verify.run_tool(project, "pytest", "-q", "-p", "no:cacheprovider")
    assert_step(tests)
    assert re.search(r"\d+ passed", tests.output)
    assert_step(verify.run_tool(project, "ruff", "check", "--no-cache", "."))
    assert_step(verify.run_tool(project, "ruff", "format", "--check", "--no-cache", "."))

    assert_serves_in_production(project)


def assert_rendered_cleanly(project: Path, files: list[str]) -> None:
    assert "__pycache__" not in " ".join(files)
    answers = (project / ".copier-answers.yml").read_text(encoding="utf-8")
    assert "secret_key" not in answers
    assert ".env" in (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "SECRET_KEY=" in (project / ".env").read_text(encoding="utf-8")
    assert (project / ".env.example").is_file()


PRODUCTION_ENV = {"SECRET_KEY": "e2e-secret-key-that-is-long-enough-for-any-framework-0123456789"}


def assert_serves_in_production(project: Path) -> None:
    procfile = verify.read_procfile(project)
    assert "web" in procfile
    assert "$PORT" in procfile["web"]
    env = {**PRODUCTION_ENV, "DEBUG": ""}
    if "release" in procfile:
        assert_step(verify.run_procfile_step(project, procfile["release"], env))
    proxy = {"X-Forwarded-Proto": "https"}
    with verify.serve(project, procfile["web"], env) as base_url:
        health = verify.get(f"{base_url}/health", proxy)
        assert (200, "application/json") == (health.status, health.content_type)
        assert json.loads(health.body)
        plain_health = verify.get(f"{base_url}/health")
        assert 200 == plain_health.status
        home = verify.get(f"{base_url}/", proxy)
        assert (200, "text/html") == (home.status, home.content_type)

    # Production is the default: without SECRET_KEY the web process must refuse to start.
    exit_code = verify.wait_for_exit(project, procfile["web"], {"DEBUG": "", "SECRET_KEY": ""}, 30)
    assert exit_code not in (None, 0), "web process started without SECRET_KEY"
