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
from pyscaffold_fw.registry import AVAILABLE_IDS, get_framework, template_path

pytestmark = pytest.mark.e2e

HOSTILE_TEXT = {
    "description": 'Say "hi" \\ {{ 7*7 }} {% if %} é 😀 it\'s\nand a second line',
    "author_name": "Zoë O'Brien \\ {{ x }}",
}
# The answer a different python_version would need a different interpreter for.
NOT_VARIED = {"python_version", "project_name", "package_name"}


# Choices that need a server we do not run here: generated, installed and checked only.
NEEDS_SERVICE = {"postgresql": "postgresql://app:secret@127.0.0.1:5432/app"}


@dataclass(frozen=True)
class Case:
    framework: str
    name: str
    data: dict[str, Any]
    python: str | None = None  # a version such as "3.12"; None: the running interpreter

    @property
    def id(self) -> str:
        return f"{self.framework}-{self.name}" + (f"-py{self.python}" if self.python else "")


def alternative_answers(framework: str) -> dict[str, Any]:
    """Pick, for every choice and yes/no question, an answer other than its default."""
    data: dict[str, Any] = {}
    for question in load_questions(template_path(framework)).questions:
        if question.name in NOT_VARIED or question.secret:
            continue
        if question.type == "bool":
            data[question.name] = not question.default
        elif question.choices:
            others = [
                c.value
                for c in question.choices
                if c.value != question.default and c.value not in NEEDS_SERVICE
            ]
            if others:
                data[question.name] = others[0]
    return data


def service_answers(framework: str) -> list[dict[str, Any]]:
    """Return one answer set per choice that needs an external service."""
    return [
        {question.name: choice.value}
        for question in load_questions(template_path(framework)).questions
        for choice in question.choices
        if choice.value in NEEDS_SERVICE
    ]


def cases() -> list[Case]:
    found = []
    for framework in AVAILABLE_IDS:
        found += [
            Case(framework, "defaults", {}),
            Case(framework, "alternatives", alternative_answers(framework)),
            Case(framework, "hostile-text", HOSTILE_TEXT),
        ]
        found += [
            Case(framework, "defaults", {}, python)
            for python in get_framework(framework).also_tested_on
        ]
    return found


def service_cases() -> list[Case]:
    return [
        Case(framework, f"{'-'.join(map(str, data.values()))}", data)
        for framework in AVAILABLE_IDS
        for data in service_answers(framework)
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
    for key, value in case.data.items():
        assert value == payload["answers"][key]
    return payload


def interpreter(case: Case) -> str:
    if case.python is None:
        return sys.executable
    found = verify.find_python(case.python)
    if found is None:
        pytest.skip(f"no Python {case.python} interpreter on this machine (pyenv or PATH)")
    return found


def install(case: Case, project: Path) -> None:
    assert_step(verify.create_venv(project, interpreter(case)))
    assert_step(verify.install_dev(project))


def assert_step(result: verify.StepResult) -> None:
    assert result.ok, f"`{result.command}` failed:\n{result.output[-4000:]}"


@pytest.mark.parametrize("case", cases(), ids=lambda case: case.id)
def test_generated_project_installs_passes_its_tests_and_serves(case: Case, tmp_path: Path) -> None:
    payload = generate(case, tmp_path)
    project = Path(payload["project_dir"])
    assert_rendered_cleanly(project, payload["files"])
    install(case, project)

    tests = verify.run_tool(project, "pytest", "-q", "-p", "no:cacheprovider")
    assert_step(tests)
    assert re.search(r"\d+ passed", tests.output)
    assert_step(verify.run_tool(project, "ruff", "check", "--no-cache", "."))
    assert_step(verify.run_tool(project, "ruff", "format", "--check", "--no-cache", "."))
    assert_deploy_check_passes(case.framework, project, PRODUCTION_ENV)
    assert_serves_in_production(project)


@pytest.mark.parametrize("case", service_cases(), ids=lambda case: case.id)
def test_service_backed_choices_install_and_pass_their_checks(case: Case, tmp_path: Path) -> None:
    payload = generate(case, tmp_path)
    project = Path(payload["project_dir"])
    install(case, project)
    (url,) = {NEEDS_SERVICE[str(value)] for value in case.data.values()}
    env = {**PRODUCTION_ENV, "DATABASE_URL": url}
    assert_deploy_check_passes(case.framework, project, env)
    package = payload["answers"]["package_name"]
    assert_step(verify.run_step(["python", "-c", f"import {package}"], project, env))


def assert_deploy_check_passes(framework: str, project: Path, env: dict[str, str]) -> None:
    check = get_framework(framework).deploy_check
    if check:
        assert_step(verify.run_step(check, project, env))


def assert_rendered_cleanly(project: Path, files: list[str]) -> None:
    assert "__pycache__" not in " ".join(files)
    answers = (project / ".copier-answers.yml").read_text(encoding="utf-8")
    assert "secret_key" not in answers
    assert ".env" in (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "SECRET_KEY=" in (project / ".env").read_text(encoding="utf-8")
    assert (project / ".env.example").is_file()


PRODUCTION_ENV = {
    "SECRET_KEY": "e2e-secret-key-that-is-long-enough-for-any-framework-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}


def assert_serves_in_production(project: Path) -> None:
    procfile = verify.read_procfile(project)
    assert "web" in procfile  # serve() proves it listens on $PORT
    env = PRODUCTION_ENV
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
        assert 200 == home.status

    # Production is the default: without SECRET_KEY the web process must refuse to start.
    without_secret = {k: v for k, v in env.items() if k != "SECRET_KEY"}
    exit_code = verify.wait_for_exit(project, procfile["web"], without_secret, 30)
    assert exit_code not in (None, 0), "web process started without SECRET_KEY"
