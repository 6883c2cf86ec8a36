"""`templates check` runs a template's code only when it is trusted: built-in, plugin, --trust."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from pyscaffold_fw import checks, verify
from pyscaffold_fw.catalog import TEMPLATES_ENV, TemplateInfo
from pyscaffold_fw.cli import cli, run

STEPS = [
    "render",
    "rendered",
    "virtualenv",
    "install",
    "tests",
    "ruff check",
    "ruff format",
    "deploy check",
    "serve",
]
CODE_STEPS = {"virtualenv", "install", "tests", "deploy check", "serve"}
# Every way the rendered project could run code leaves the same trace: the marker file.
TOUCH = 'from pathlib import Path\n\nPath("{{ marker }}").touch()\n'
HOSTILE_TEMPLATE = {
    "copier.yml": "_subdirectory: template\nmarker:\n  type: str\n  help: Trace\n  default: ''\n",
    "template/pyproject.toml": (
        '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n\n'
        '[project]\nname = "hostile"\nversion = "0.1.0"\n\n'
        "[project.optional-dependencies]\ndev = []\n"
    ),
    "template/backend.py.jinja": TOUCH,  # the in-tree build backend an install imports
    "template/conftest.py.jinja": TOUCH,  # pytest imports it
    "template/Procfile.jinja": 'release: touch "{{ marker }}"\nweb: touch "{{ marker }}"\n',
}
# A "virtualenv" in the rendered files: running the project's own ruff runs this. Apart,
# because an existing .venv makes the virtualenv step fail before the install runs.
FAKE_VENV = {"template/.venv/bin/ruff.jinja": '#!/bin/sh\ntouch "{{ marker }}"\n'}


def make_hostile_template(folder: Path, files: dict[str, str] = HOSTILE_TEMPLATE) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if "/bin/" in name:
            path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return folder


def check_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, str]]:
    code = run(cli, ["templates", "check", *args, "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert 1 == payload["schema_version"]
    return code, {step["step"]: step["status"] for step in payload["steps"]}


def test_a_path_template_without_trust_runs_none_of_its_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = make_hostile_template(tmp_path / "hostile")
    marker = tmp_path / "code-ran"
    code, status = check_json([str(template), "-d", f"marker={marker}"], capsys)
    assert not marker.exists()
    assert 1 == code  # a check that did not run is not a pass
    assert STEPS == list(status)
    assert dict.fromkeys(CODE_STEPS, "not_run") == {s: status[s] for s in CODE_STEPS}
    assert "not_run" not in {status["ruff check"], status["ruff format"]}  # static: they ran


def test_without_trust_ruff_is_ours_not_the_projects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = make_hostile_template(tmp_path / "hostile", {**HOSTILE_TEMPLATE, **FAKE_VENV})
    marker = tmp_path / "code-ran"
    code, status = check_json([str(template), "-d", f"marker={marker}"], capsys)
    assert not marker.exists()
    assert (1, "passed") == (code, status["ruff check"])


def test_a_not_run_step_says_it_needs_trust(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = make_hostile_template(tmp_path / "hostile")
    run(cli, ["templates", "check", str(template), "-d", f"marker={tmp_path / 'm'}", "--json"])
    steps = {step["step"]: step for step in json.loads(capsys.readouterr().out)["steps"]}
    assert steps["install"]["detail"].startswith("needs --trust: this template is not built in")


def test_a_user_template_under_a_built_in_id_is_not_trusted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TEMPLATES_ENV, str(tmp_path / "templates"))
    make_hostile_template(tmp_path / "templates" / "flask")
    marker = tmp_path / "code-ran"
    code = run(cli, ["templates", "check", "flask", "-d", f"marker={marker}"])
    out = capsys.readouterr().out
    assert not marker.exists()
    assert 1 == code
    assert "NOT RUN install: needs --trust" in out
    assert "add --trust to run every step: pyscaffold-fw templates check flask --trust" in out


def test_a_built_in_template_runs_its_code_without_trust(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A failing virtualenv stands in for the slow install: it shows the code steps started.
    failed = verify.StepResult("uv venv", 1, "stubbed")
    monkeypatch.setattr(verify, "create_venv", lambda *_args, **_kwargs: failed)
    code, status = check_json(["flask"], capsys)
    assert 1 == code
    assert STEPS == list(status)  # skipped steps keep the names they have when they run
    assert "failed" == status["virtualenv"]
    assert {"skipped"} == {status[step] for step in STEPS[3:]}


@pytest.mark.parametrize(
    ("origin", "trust", "expected"),
    [
        ("built-in", False, True),
        ("plugin", False, True),
        ("user", False, False),
        ("path", False, False),
        ("git", False, False),
        ("user", True, True),
        ("git", True, True),
    ],
)
def test_run_code_trusts_only_built_ins_plugins_and_trust(
    origin: str, trust: bool, expected: bool
) -> None:
    template = TemplateInfo("flask", origin, "/somewhere", "")
    assert expected is checks.run_code(template, trust=trust)


@pytest.mark.parametrize("template", ["nope", "./missing-folder"], ids=["unknown-id", "no-folder"])
def test_checking_a_template_that_does_not_exist_is_a_usage_error(
    workdir: Path, capsys: pytest.CaptureFixture[str], template: str
) -> None:
    code = run(cli, ["templates", "check", template, "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert (2, 2) == (code, payload["exit_code"])
    assert "does not exist" in payload["error"]
