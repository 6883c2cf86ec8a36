"""Templates from installed packages, and `templates check` failing on a broken template."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pyscaffold_fw import verify
from pyscaffold_fw.cli import cli, run

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[1]

PLUGIN_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.27"]
build-backend = "hatchling.build"

[project]
name = "acme-templates"
version = "1.0.0"

[project.entry-points."pyscaffold_fw.templates"]
acme = "acme_templates:acme"

[tool.hatch.build.targets.wheel]
packages = ["acme_templates"]
"""


def make_plugin(root: Path) -> Path:
    template = root / "acme_templates" / "acme"
    (template / "template").mkdir(parents=True)
    (root / "pyproject.toml").write_text(PLUGIN_PYPROJECT, encoding="utf-8")
    (root / "acme_templates" / "__init__.py").write_text("", encoding="utf-8")
    (template / "copier.yml").write_text(
        "# ACME's house starter.\n_subdirectory: template\nproject_name:\n  type: str\n"
        "  help: Name\n  default: acme-app\n",
        encoding="utf-8",
    )
    (template / "template" / "README.md.jinja").write_text(
        "# {{ project_name }}\n", encoding="utf-8"
    )
    return root


def test_a_plugin_packages_template_is_listed_and_usable(tmp_path: Path) -> None:
    plugin = make_plugin(tmp_path / "plugin")
    venv = tmp_path / "venv"
    uv = verify.find_uv()
    assert uv is not None, "the test extra installs uv"
    subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run(
        [uv, "pip", "install", "-q", "--python", python, str(ROOT), str(plugin)],
        check=True,
        capture_output=True,
    )

    listed = subprocess.run(
        [str(venv / "bin" / "pyscaffold-fw"), "templates", "list", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    acme = next(t for t in json.loads(listed.stdout)["templates"] if t["id"] == "acme")
    assert ("plugin", "ACME's house starter.") == (acme["origin"], acme["description"])

    made = subprocess.run(
        [str(venv / "bin" / "new-project"), "shop", "--framework", "acme", "--defaults", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == made.returncode, made.stderr
    # A plugin template is not ours: its project_name is its own question, not DEST.
    assert "# acme-app\n" == (tmp_path / "shop" / "README.md").read_text(encoding="utf-8")


BROKEN_TEMPLATE = {
    "copier.yml": "_subdirectory: template\nproject_name:\n  type: str\n  help: Name\n"
    "  default: broken\n",
    "template/pyproject.toml.jinja": (
        '[build-system]\nrequires = ["hatchling>=1.27"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "{{ project_name }}"\nversion = "0.1.0"\n'
        '[project.optional-dependencies]\ndev = ["pytest", "ruff"]\n\n'
        "[tool.hatch.build.targets.wheel]\nbypass-selection = true\n"
    ),
    "template/tests/test_app.py.jinja": "def test_fails() -> None:\n    assert 1 == 2\n",
}


def write_template(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_templates_check_names_the_step_that_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_template(tmp_path / "broken", BROKEN_TEMPLATE)
    code = run(cli, ["templates", "check", str(tmp_path / "broken"), "--trust", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert 1 == code
    assert payload["passed"] is False
    status = {step["step"]: step["status"] for step in payload["steps"]}
    assert ("passed", "failed") == (status["install"], status["tests"])
    assert "skipped" == status["serve"]  # no Procfile


def test_templates_check_with_trust_runs_a_path_templates_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "code-ran"
    monkeypatch.setenv("CHECK_MARKER", str(marker))  # the project's tests see our environment
    conftest = 'import os\nfrom pathlib import Path\n\nPath(os.environ["CHECK_MARKER"]).touch()\n'
    write_template(tmp_path / "t", {**BROKEN_TEMPLATE, "template/conftest.py": conftest})
    code = run(cli, ["templates", "check", str(tmp_path / "t"), "--trust", "--json"])
    status = {step["step"]: step["status"] for step in json.loads(capsys.readouterr().out)["steps"]}
    assert marker.exists()
    assert (1, "passed", "failed") == (code, status["install"], status["tests"])
    assert "not_run" not in status.values()


def test_templates_check_passes_on_a_built_in(capsys: pytest.CaptureFixture[str]) -> None:
    assert 0 == run(cli, ["templates", "check", "flask"])
    out = capsys.readouterr().out
    assert "PASSED  tests" in out
    assert "PASSED  serve" in out
