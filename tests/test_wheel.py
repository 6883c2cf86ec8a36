"""Test what we ship: build the wheel, install it into a fresh virtualenv, generate from it."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pyscaffold_fw import verify
from pyscaffold_fw.registry import AVAILABLE_IDS, templates_root

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("dist")
    uv = verify.find_uv()
    command = (
        [uv, "build", "--wheel", "--out-dir", str(outdir), str(ROOT)]
        if uv
        else [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(ROOT)]
    )
    subprocess.run(command, check=True, capture_output=True)
    (built,) = outdir.glob("pyscaffold_fw-*.whl")
    return built


def test_wheel_carries_every_template_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name for name in archive.namelist() if "/templates/" in name}
    for framework in AVAILABLE_IDS:
        source = templates_root() / framework
        expected = {
            f"pyscaffold_fw/templates/{framework}/{path.relative_to(source).as_posix()}"
            for path in source.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        }
        assert expected <= shipped, sorted(expected - shipped)
    # Some build backends drop dot-files and dot-folders: make sure ours are there.
    assert any(name.endswith("/template/.gitignore") for name in shipped)
    assert any(".github{% endif %}/workflows/" in name for name in shipped)
    assert not [name for name in shipped if "__pycache__" in name]


def test_installed_wheel_generates_a_project(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    uv = verify.find_uv()
    if uv:
        subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
        install = [uv, "pip", "install", "--quiet", "--python", str(venv / "bin" / "python")]
    else:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        install = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*install, str(wheel)], check=True)

    completed = subprocess.run(
        [str(venv / "bin" / "new-project"), "shop", "--defaults", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == completed.returncode, completed.stderr
    payload = json.loads(completed.stdout)
    project = tmp_path / "shop"
    assert "pyproject.toml" in payload["files"]
    assert all((project / name).is_file() for name in payload["files"])
    assert not [name for name in payload["files"] if "__pycache__" in name]
    # The template came from the installed package, not from this source tree, and the
    # answers file names it by id, not by a path of the machine that generated it.
    assert payload["template"]["location"].startswith(str(venv))
    recorded = (project / ".copier-answers.yml").read_text(encoding="utf-8")
    assert (False, True) == (str(venv) in recorded, "  template: flask\n" in recorded)
