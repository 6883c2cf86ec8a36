"""Contracts every built-in template keeps (docs/architecture.md), checked on rendered output.

Copier cannot include files from outside a template, so shared boilerplate is copied into
each one; these tests fail when the copies drift apart.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml

from pyscaffold_fw.copier_yaml import read_copier_config
from pyscaffold_fw.errors import InvalidAnswerError
from pyscaffold_fw.generation import GenerateRequest, generate
from pyscaffold_fw.recommend import Requirements
from pyscaffold_fw.registry import AVAILABLE_IDS, get_framework, template_path
from tests.test_e2e import NEEDS_SERVICE, service_cases

SHARED_FILES = (
    ".gitignore",
    ".dockerignore",
    "{% if ci == 'github' %}.github{% endif %}/workflows/ci.yml.jinja",
    "{% if ci == 'gitlab' %}.gitlab-ci.yml{% endif %}.jinja",
    "{% if license == 'MIT' %}LICENSE{% endif %}.jinja",
    "{% if license == 'BSD-3-Clause' %}LICENSE{% endif %}.jinja",
    "{% if license == 'Apache-2.0' %}LICENSE{% endif %}",
    "{{_copier_conf.answers_file}}.jinja",
)


def render(framework: str, dest: Path, **data: Any) -> Path:
    request = GenerateRequest(dest, framework=framework, data=data, use_defaults=True)
    return generate(request).project_dir


README_TAIL_MARKER = "{#- Written by pyscaffold-fw when it recommended"


def test_readme_tail_written_by_the_tool_is_identical_everywhere() -> None:
    def tail(framework: str) -> str:
        readme = (template_path(framework) / "template" / "README.md.jinja").read_text("utf-8")
        return readme[readme.index(README_TAIL_MARKER) :] if README_TAIL_MARKER in readme else ""

    tails = {fw: tail(fw) for fw in AVAILABLE_IDS}
    assert tails[AVAILABLE_IDS[0]]
    assert [] == sorted(fw for fw, text in tails.items() if text != tails[AVAILABLE_IDS[0]])


@pytest.mark.parametrize("shared", SHARED_FILES)
def test_shared_boilerplate_is_identical_in_every_template(shared: str) -> None:
    copies = {fw: (template_path(fw) / "template" / shared).read_bytes() for fw in AVAILABLE_IDS}
    reference = copies[AVAILABLE_IDS[0]]
    drifted = sorted(fw for fw, text in copies.items() if text != reference)
    assert [] == drifted, f"{shared} differs from the {AVAILABLE_IDS[0]} copy"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("rendered")
    return {fw: render(fw, root / f"{fw}-app", docker=True) for fw in AVAILABLE_IDS}


def test_ruff_configuration_is_the_same_everywhere(rendered: dict[str, Path]) -> None:
    def ruff_of(project: Path) -> tuple[Any, Any]:
        config = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
        ruff = config["tool"]["ruff"]
        return ruff["target-version"], sorted(ruff["lint"]["select"])

    configs = {fw: ruff_of(project) for fw, project in rendered.items()}
    assert 1 == len(set(map(repr, configs.values()))), configs


def test_build_system_is_the_same_everywhere(rendered: dict[str, Path]) -> None:
    # uv_build: uv builds the project itself when its version is in the required range.
    def build_system(project: Path) -> Any:
        config = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
        return config["build-system"]

    systems = {fw: build_system(project) for fw, project in rendered.items()}
    assert 1 == len(set(map(repr, systems.values()))), systems
    assert "uv_build" == systems["flask"]["build-backend"]


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_pyproject_has_build_system_and_dev_extra(
    rendered: dict[str, Path], framework: str
) -> None:
    config = tomllib.loads((rendered[framework] / "pyproject.toml").read_text(encoding="utf-8"))
    assert "build-backend" in config["build-system"]
    dev = " ".join(config["project"]["optional-dependencies"]["dev"])
    assert "pytest" in dev
    assert "ruff" in dev
    assert ["error"] == config["tool"]["pytest"]["ini_options"]["filterwarnings"][:1]


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_procfile_has_only_web_and_release_lines(rendered: dict[str, Path], framework: str) -> None:
    lines = (rendered[framework] / "Procfile").read_text(encoding="utf-8").splitlines()
    processes = dict(line.split(":", 1) for line in lines if line.strip())
    assert set(processes) <= {"web", "release"}
    assert processes["web"].strip()
    assert not [cmd for cmd in processes.values() if "uv run" in cmd]


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_dockerfile_is_multi_stage_and_non_root(rendered: dict[str, Path], framework: str) -> None:
    dockerfile = (rendered[framework] / "Dockerfile").read_text(encoding="utf-8")
    assert 2 <= len(re.findall(r"^FROM ", dockerfile, re.MULTILINE))
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users
    assert users[-1] not in {"root", "0"}
    assert "EXPOSE 8000" in dockerfile
    assert "PORT=8000" in dockerfile
    # uv.lock, when the project has one, decides the versions in the image.
    assert re.search(r"^COPY pyproject\.toml uv\.lock\* ", dockerfile, re.MULTILINE)
    assert "uv sync --locked --no-dev" in dockerfile


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_env_files_document_the_contract_variables(
    rendered: dict[str, Path], framework: str
) -> None:
    example = (rendered[framework] / ".env.example").read_text(encoding="utf-8")
    for name in ("SECRET_KEY", "DEBUG", "PORT"):
        assert name in example
    assert re.search(r"^SECRET_KEY=\s*$", example, re.MULTILINE), "example must hold no secret"
    env = (rendered[framework] / ".env").read_text(encoding="utf-8")
    assert re.search(r"^SECRET_KEY=\S{50,}$", env, re.MULTILINE)


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_readme_says_how_to_install_test_and_run(rendered: dict[str, Path], framework: str) -> None:
    readme = (rendered[framework] / "README.md").read_text(encoding="utf-8")
    for expected in ("pip install -e '.[dev]'", "pytest", "Procfile", "SECRET_KEY"):
        assert expected in readme


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_no_python_file_is_shipped_untemplated(framework: str) -> None:
    # Plain .py files in package data get byte-compiled by pip into __pycache__.
    plain = [p.name for p in (template_path(framework) / "template").rglob("*.py")]
    assert [] == plain


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_readme_records_why_the_framework_was_recommended(framework: str, tmp_path: Path) -> None:
    request = GenerateRequest(
        tmp_path / "app",
        framework=framework,
        use_defaults=True,
        requirements=Requirements(kind="api"),
    )
    readme = (generate(request).project_dir / "README.md").read_text(encoding="utf-8")
    assert f"## Why {get_framework(framework).title}" in readme


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_plain_copier_readme_has_no_why_section(rendered: dict[str, Path], framework: str) -> None:
    assert "## Why" not in (rendered[framework] / "README.md").read_text(encoding="utf-8")


# The templates' copier.yml allow package names up to this many characters.
LONGEST_PACKAGE_NAME = "the_longest_package_name_templates_allow"


def database_choices(framework: str) -> list[str]:
    config = read_copier_config(template_path(framework) / "copier.yml")
    return [str(choice) for choice in config["database"]["choices"]]


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_the_longest_package_name_keeps_the_starter_lint_clean(
    framework: str, tmp_path: Path
) -> None:
    """The starter's CI runs ruff: a long name must not push a line past 88 columns."""
    assert 40 == len(LONGEST_PACKAGE_NAME)
    for database in database_choices(framework):
        project = render(
            framework, tmp_path / database, package_name=LONGEST_PACKAGE_NAME, database=database
        )
        for command in (["check"], ["format", "--check"]):
            ruff = [sys.executable, "-m", "ruff", *command, "--no-cache", "."]
            done = subprocess.run(ruff, cwd=project, capture_output=True, text=True, check=False)
            assert 0 == done.returncode, f"{database}: ruff {command[0]}\n{done.stdout}"


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_a_longer_package_name_is_refused_with_the_limit(framework: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidAnswerError, match=r"has 41\s+characters.*allow 40"):
        render(framework, tmp_path / "app", package_name=LONGEST_PACKAGE_NAME + "x")
    assert not (tmp_path / "app").exists()


@pytest.mark.filterwarnings("ignore::copier.errors.MissingSettingsWarning")
@pytest.mark.parametrize("package", ["pages", "users", "django"])
def test_plain_copier_refuses_a_django_package_name_that_shadows_an_import(
    package: str, tmp_path: Path
) -> None:
    """Our CLI refuses it before Copier runs; the template's validator covers `copier copy`."""
    with pytest.raises(ValueError, match=f"{package} is taken by a package the project imports"):
        copier.run_copy(
            str(template_path("django")),
            tmp_path / "app",
            data={"package_name": package},
            defaults=True,
            quiet=True,
        )
    assert not (tmp_path / "app").exists()


# Answers each built-in's validators refuse; a prompt shows the reason on one line.
REFUSED_ANSWERS = [
    ("package_name", "1abc"),
    ("package_name", "site_"),
    ("package_name", LONGEST_PACKAGE_NAME + "x"),
    ("author_email", "not-an-email"),
    ("project_name", " "),
]


@pytest.mark.filterwarnings("ignore::copier.errors.MissingSettingsWarning")
@pytest.mark.parametrize("framework", AVAILABLE_IDS)
@pytest.mark.parametrize(("question", "answer"), REFUSED_ANSWERS, ids=lambda v: str(v)[:12])
def test_a_validators_reason_fits_the_prompts_80_column_line(
    framework: str, question: str, answer: str, tmp_path: Path
) -> None:
    """Copier prefixes the question's name; our prompt shows the reason alone (see
    copier_prompts.py), which must fit 79 columns."""
    with pytest.raises(ValueError, match=f"question '{question}': ") as refused:
        copier.run_copy(
            str(template_path(framework)),
            tmp_path / "app",
            data={question: answer},
            defaults=True,
            quiet=True,
        )
    reason = str(refused.value).split(f"question '{question}': ", 1)[1]
    assert len(reason) <= 79, reason


def test_every_service_backed_choice_has_end_to_end_cases() -> None:
    """The e2e service cases come from the templates' choices: renaming a choice (say
    `postgresql` to `postgres`) must fail here, not leave zero cases that nothing runs."""
    offered = sorted({str(value) for case in service_cases() for value in case.data.values()})
    assert sorted(NEEDS_SERVICE) == offered


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_a_package_named_like_an_ignored_folder_is_committed_or_refused(
    framework: str, tmp_path: Path
) -> None:
    """`build/` and its kind are ignored at the project root only: a src-layout package of
    that name is committed; where the package sits at the root, the name is refused."""
    command = [sys.executable, "-m", "pyscaffold_fw", "new", "site-x", "--framework", framework]
    flags = ["--defaults", "-q", "-d", "package_name=build"]
    completed = subprocess.run(
        [*command, *flags], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    if get_framework(framework).folders:
        assert (2, True) == (
            completed.returncode,
            "build/ folder is git-ignored" in completed.stderr,
        )
        return
    assert 0 == completed.returncode, completed.stderr
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=tmp_path / "site-x", capture_output=True, text=True, check=True
    ).stdout.split()
    assert "src/build/__init__.py" in tracked


CI_FILES = {"github": ".github/workflows/ci.yml", "gitlab": ".gitlab-ci.yml"}


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
@pytest.mark.parametrize("ci", sorted(CI_FILES))
def test_ci_installs_from_the_lock_when_there_is_one_and_serves_postgresql_when_chosen(
    ci: str, database: str, tmp_path: Path
) -> None:
    """The shared CI files are valid YAML; they install with `uv sync --locked` when the
    project has a uv.lock, else with pip; a PostgreSQL project gets a server to test on."""
    project = render("django", tmp_path / "shop", ci=ci, database=database)
    loaded = yaml.safe_load((project / CI_FILES[ci]).read_text(encoding="utf-8"))
    if ci == "github":
        job = loaded["jobs"]["test"]
        install = next(step["run"] for step in job["steps"] if step.get("name") == "Install")
        test_env = next(step for step in job["steps"] if step.get("name") == "Test").get("env")
        service = job.get("services", {}).get("postgres", {}).get("image")
        url = (test_env or {}).get("DATABASE_URL")
    else:
        job = loaded["test"]
        install = job["script"][0]
        service = (job.get("services") or [None])[0]
        url = job.get("variables", {}).get("DATABASE_URL")
    assert "if [ -f uv.lock ]; then" in install
    assert "uv sync --locked --extra dev" in install
    assert "python -m pip install -e '.[dev]'" in install
    host = "localhost" if ci == "github" else "postgres"
    expected_url = f"postgresql://postgres:postgres@{host}:5432/postgres"
    if database == "postgresql":
        assert ("postgres:17", expected_url) == (service, url)
    else:
        assert (None, None) == (service, url)
