"""End to end, for every built-in template and a few answer combinations: generate through
the real CLI, install into a fresh virtualenv, run the project's tests and linters, then
run its Procfile release and web processes and talk HTTP to them. Nothing is mocked."""

from __future__ import annotations

import json
import os
import runpy
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.version import Version

from pyscaffold_fw import checks, verify
from pyscaffold_fw.copier_yaml import read_copier_config
from pyscaffold_fw.dependency_imports import LIST_IMPORTS_CODE, dependency_imports
from pyscaffold_fw.registry import AVAILABLE_IDS, get_framework, template_path

pytestmark = pytest.mark.e2e

HOSTILE_TEXT = {
    "description": 'Say "hi" \\ {{ 7*7 }} {% if %} é 😀 it\'s\nand a second line',
    "author_name": "Zoë O'Brien \\ {{ x }}",
}
# The answer a different python_version would need a different interpreter for.
NOT_VARIED = {"python_version", "project_name", "package_name"}


# Choices that need a server: each run gets a database of its own on the real server,
# created before and dropped after (trust authentication as user postgres; override the
# server with PYSCAFFOLD_FW_TEST_POSTGRES=postgresql://USER@HOST:PORT).
POSTGRES_SERVER = os.environ.get(
    "PYSCAFFOLD_FW_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432"
)
NEEDS_SERVICE = {"postgresql": POSTGRES_SERVER}


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
    for name, spec in template_questions(framework).items():
        # A question asked only `when` other answers allow may not apply to these.
        if name in NOT_VARIED or spec.get("secret") or "when" in spec:
            continue
        if spec.get("type") == "bool":
            data[name] = not spec.get("default")
        elif spec.get("choices"):
            others = [
                value
                for value in spec["choices"]
                if value != spec.get("default") and value not in NEEDS_SERVICE
            ]
            if others:
                data[name] = others[0]
    return data


def service_answers(framework: str) -> list[dict[str, Any]]:
    """Return one answer set per choice that needs an external service."""
    return [
        {name: value}
        for name, spec in template_questions(framework).items()
        for value in spec.get("choices") or ()
        if value in NEEDS_SERVICE
    ]


def template_questions(framework: str) -> dict[str, dict[str, Any]]:
    """Return the questions of a built-in template's copier.yml (all in the long form)."""
    config = read_copier_config(template_path(framework) / "copier.yml")
    return {name: spec for name, spec in config.items() if not name.startswith("_")}


def cases() -> list[Case]:
    found = []
    for framework in AVAILABLE_IDS:
        # Hostile text gets the cheaper checks: see test_hostile_text_renders_lint_clean.
        found += [
            Case(framework, "defaults", {}),
            Case(framework, "alternatives", alternative_answers(framework)),
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


@pytest.mark.parametrize("case", cases(), ids=lambda case: case.id)
def test_generated_project_installs_passes_its_tests_and_serves(case: Case, tmp_path: Path) -> None:
    payload = generate(case, tmp_path)
    path = Path(payload["project_dir"])
    assert_secret_only_in_env_file(path)
    answers = frozenset(payload["answers"])
    ran = assert_project_works(path, case.framework, answers, interpreter(case))
    assert "rendered" in ran
    assert_dependency_imports_listed(path, case.framework, payload["answers"])


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_hostile_text_renders_lint_clean(framework: str, tmp_path: Path) -> None:
    """Quotes, backslashes, Jinja and a newline in the text answers: render, ruff and the
    metadata read back, not the full install-test-serve cycle the defaults and the
    alternatives get (the suite must stay well under 15 minutes)."""
    payload = generate(Case(framework, "hostile-text", HOSTILE_TEXT), tmp_path)
    path = Path(payload["project_dir"])
    project = checks.ProjectUnderCheck(path=path, answer_names=frozenset(payload["answers"]))
    assert_secret_only_in_env_file(path)
    outcomes = list(checks.run_checks(project, trusted=False))  # reads files only
    failed = [f"{o.step}: {o.detail}" for o in outcomes if o.status == "failed"]
    assert [] == failed, "\n\n".join(failed)
    assert {"rendered", "ruff check", "ruff format"} <= {
        o.step for o in outcomes if o.status == "passed"
    }
    package = payload["answers"]["package_name"]
    meta = next(path.glob(f"**/{package}/meta.py"))
    constants = runpy.run_path(str(meta))
    assert HOSTILE_TEXT["description"].replace("\n", " ") == constants["DESCRIPTION"]


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_an_updated_project_keeps_its_edit_and_still_installs_passes_and_serves(
    framework: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next release of a built-in, simulated by a changed copy under the same id in the
    user templates folder, merges into a project the user has edited."""
    payload = generate(Case(framework, "defaults", {}), tmp_path)
    path = Path(payload["project_dir"])
    readme = path / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nOur own notes.\n", "utf-8")
    git_commit_all(path, "Our notes")
    release = tmp_path / "next-release" / framework
    shutil.copytree(template_path(framework), release, ignore=shutil.ignore_patterns("__pycache__"))
    (release / "template" / "CHANGES.md").write_text("# Changes\n\nNew in this release.\n", "utf-8")
    with (release / "template" / ".gitignore").open("a", encoding="utf-8") as gitignore:
        gitignore.write("*.log\n")
    monkeypatch.setenv("PYSCAFFOLD_FW_TEMPLATES", str(release.parent))
    update = [sys.executable, "-m", "pyscaffold_fw", "update", str(path), "--json"]
    completed = subprocess.run(update, capture_output=True, text=True, check=False)
    result = json.loads(completed.stdout)
    assert (0, "updated") == (completed.returncode, result["status"]), completed.stdout
    assert readme.read_text(encoding="utf-8").endswith("\nOur own notes.\n")
    assert "*.log" in (path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert (path / "CHANGES.md").is_file()
    assert_project_works(path, framework, frozenset(payload["answers"]))


LEGACY = Path(__file__).parent / "legacy"  # made by scripts/make_legacy_projects.py


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_a_project_made_by_an_older_version_updates_and_still_migrates_passes_and_serves(
    framework: str, tmp_path: Path
) -> None:
    """A project pyscaffold-fw 0.1.0 generated, cloned fresh (no .env) and edited, takes
    the installed templates and keeps what a live project cannot change."""
    path = tmp_path / f"legacy-{framework}"
    bundle = LEGACY / f"{framework}.bundle"
    subprocess.run(["git", "clone", "--quiet", str(bundle), str(path)], check=True)
    readme = path / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "\nOur own notes.\n", "utf-8")
    git_commit_all(path, "Our notes")
    update = [sys.executable, "-m", "pyscaffold_fw", "update", str(path), "--defaults", "--json"]
    completed = subprocess.run(update, capture_output=True, text=True, check=False)
    result = json.loads(completed.stdout)
    assert (0, "updated", "0.1.0") == (
        completed.returncode,
        result["status"],
        result["from_version"],
    ), completed.stdout
    assert readme.read_text(encoding="utf-8").endswith("\nOur own notes.\n")
    answers = yaml.safe_load((path / ".copier-answers.yml").read_text(encoding="utf-8"))
    kept = kept_for_older_projects(framework)
    assert kept == {name: answers.get(name) for name in kept}
    assert_project_works(path, framework, frozenset(answers) - {"_pyscaffold_fw"})


def assert_project_works(
    path: Path, framework: str, answer_names: frozenset[str], python: str = sys.executable
) -> set[str]:
    """The project installs, passes its tests and ruff, and serves; return the steps that
    passed. The same checks `pyscaffold-fw templates check` runs: one harness, not two."""
    project = checks.ProjectUnderCheck(
        path=path,
        answer_names=answer_names,
        deploy_check=get_framework(framework).deploy_check,
        python=python,
    )
    outcomes = list(checks.run_checks(project))
    failed = [f"{o.step}: {o.detail}" for o in outcomes if not o.ok]
    assert [] == failed, "\n\n".join(failed)
    ran = {o.step for o in outcomes if o.status == "passed"}
    assert {"install", "tests", "ruff check", "ruff format", "serve"} <= ran
    return ran


def kept_for_older_projects(framework: str) -> dict[str, Any]:
    """The answers the installed template keeps for a project made by 0.1.0."""
    config = read_copier_config(template_path(framework) / "copier.yml")
    declared = config.get("_pyscaffold_fw_answers_before") or {}
    kept: dict[str, Any] = {}
    for version in sorted(declared, key=Version):  # the oldest introduction wins
        for name, value in declared[version].items():
            kept.setdefault(name, value)
    return kept


def git_commit_all(repository: Path, message: str) -> None:
    for args in (["add", "--all"], ["commit", "--quiet", "-m", message]):
        identity = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
        subprocess.run(["git", *identity, *args], cwd=repository, check=True, capture_output=True)


def psql(server: str, sql: str, database: str = "postgres") -> str:
    completed = subprocess.run(
        ["psql", f"{server}/{database}", "-v", "ON_ERROR_STOP=1", "-Atc", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == completed.returncode, f"psql {sql!r} on {server}: {completed.stderr}"
    return completed.stdout.strip()


def skip_unless_answering(server: str) -> None:
    """Skip, saying why, only when no server answers; any other failure fails the test."""
    probe = subprocess.run(
        ["pg_isready", "--dbname", f"{server}/postgres", "--timeout", "5"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode == 2:  # pg_isready: no response
        pytest.skip(f"no PostgreSQL server answers at {server} (PYSCAFFOLD_FW_TEST_POSTGRES)")


@contextmanager
def own_database(server: str) -> Iterator[str]:
    """Create a database for one run on the real server; drop it afterwards."""
    name = f"pyscaffold_e2e_{uuid.uuid4().hex[:12]}"
    psql(server, f"CREATE DATABASE {name}")
    try:
        yield name
    finally:
        psql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.parametrize("case", service_cases(), ids=lambda case: case.id)
def test_service_backed_choices_pass_their_tests_and_serve_on_the_real_server(
    case: Case, tmp_path: Path
) -> None:
    (server,) = {NEEDS_SERVICE[str(value)] for value in case.data.values()}
    skip_unless_answering(server)
    # A package name of this run's own: its tests' databases are test_<package>...
    package = f"e2e_{uuid.uuid4().hex[:12]}"
    payload = generate(replace(case, data={**case.data, "package_name": package}), tmp_path)
    with own_database(server) as database:
        project = checks.ProjectUnderCheck(
            path=Path(payload["project_dir"]),
            answer_names=frozenset(payload["answers"]),
            deploy_check=get_framework(case.framework).deploy_check,
            python=interpreter(case),
            env={**checks.PRODUCTION_ENV, "DATABASE_URL": f"{server}/{database}"},
        )
        outcomes = list(checks.run_checks(project))
        failed = [f"{o.step}: {o.detail}" for o in outcomes if not o.ok]
        assert [] == failed, "\n\n".join(failed)
        ran = {o.step for o in outcomes if o.status == "passed"}
        deploy_check = {"deploy check"} if project.deploy_check else set()
        assert {"install", "tests", "serve"} | deploy_check <= ran
        # The release step made its tables in the real database, not in a SQLite file.
        tables = "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        assert int(psql(server, tables, database)) > 0
        assert_dependency_imports_listed(project.path, case.framework, payload["answers"])
    assert_tests_find_the_server_in_dotenv(project.path, server, package)


def assert_tests_find_the_server_in_dotenv(project: Path, server: str, package: str) -> None:
    """With neither TEST_DATABASE_URL nor DATABASE_URL set, the tests take the server from
    .env's DATABASE_URL, whose database (the package's, as generated) does not exist: they
    work in the server's maintenance database and leave no database of theirs behind."""
    assert package not in databases(server)
    env_file = project / ".env"
    lines = env_file.read_text(encoding="utf-8").splitlines()
    url = f"DATABASE_URL={server}/{package}"
    env_file.write_text(
        "\n".join(url if line.startswith("DATABASE_URL=") else line for line in lines) + "\n",
        encoding="utf-8",
    )
    assert url in env_file.read_text(encoding="utf-8").splitlines()
    unset = {"TEST_DATABASE_URL", "DATABASE_URL"}
    env = {key: value for key, value in verify.project_env(project).items() if key not in unset}
    pytest_command = [str(verify.venv_bin(project) / "pytest"), "-q", "-p", "no:cacheprovider"]
    completed = subprocess.run(
        pytest_command, cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert 0 == completed.returncode, completed.stdout[-3000:] + completed.stderr[-2000:]
    assert [] == [name for name in databases(server) if name.startswith(f"test_{package}")]


def databases(server: str) -> list[str]:
    return psql(server, "SELECT datname FROM pg_database").splitlines()


def assert_dependency_imports_listed(path: Path, framework: str, answers: dict[str, Any]) -> None:
    """The package-name check knows every import name this install provides."""
    python = str(verify.venv_bin(path) / "python")
    listed = subprocess.run(
        [python, "-c", LIST_IMPORTS_CODE], capture_output=True, text=True, check=True
    ).stdout.split()
    known = set(dependency_imports(framework)) | {answers["package_name"]}
    missing = sorted(set(listed) - known)
    assert [] == missing, "dependency_imports.json is stale: scripts/refresh_dependency_imports.py"


def assert_secret_only_in_env_file(project: Path) -> None:
    answers = (project / ".copier-answers.yml").read_text(encoding="utf-8")
    assert "secret_key" not in answers
    assert ".env" in (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    env = (project / ".env").read_text(encoding="utf-8")
    secret = next(
        line.split("=", 1)[1] for line in env.splitlines() if line.startswith("SECRET_KEY=")
    )
    assert len(secret) >= 50
    tracked = [p for p in project.rglob("*") if p.is_file() and p.name != ".env"]
    assert [] == [p for p in tracked if secret in p.read_text(encoding="utf-8", errors="replace")]
