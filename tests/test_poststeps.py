"""After rendering: git repository, install, first test run, and the recreate line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pexpect
import pytest

from pyscaffold_fw import verify
from pyscaffold_fw.catalog import find_template, local_template_info
from pyscaffold_fw.cli import cli, run
from pyscaffold_fw.generation import GenerateRequest, generate, next_steps
from pyscaffold_fw.poststeps import retry_command


def invoke_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code = run(cli, ["new", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=project, capture_output=True, text=True, check=True
    ).stdout


def test_git_makes_one_commit_of_the_generated_files(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload = invoke_json(capsys, "shop", "--defaults", "--git")
    project = workdir / "shop"
    assert 0 == code
    assert "committed" == payload["git"]["status"]
    assert "main" == git(project, "branch", "--show-current").strip()
    assert 1 == len(git(project, "log", "--oneline").splitlines())
    assert "" == git(project, "status", "--porcelain")
    tracked = git(project, "ls-files").splitlines()
    assert ".env" not in tracked
    assert "pyproject.toml" in tracked
    # The isolated test home has no git identity: the documented fallback signs the commit.
    assert "pyscaffold-fw" == git(project, "log", "-1", "--format=%an").strip()


def test_git_uses_the_users_identity_and_default_branch(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = workdir / "gitconfig"
    config.write_text(
        "[user]\n\tname = Ada\n\temail = ada@example.com\n[init]\n\tdefaultBranch = trunk\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    code, payload = invoke_json(capsys, "shop", "--defaults", "--git")
    assert (0, "trunk") == (code, payload["git"]["branch"])
    assert "Ada" == git(workdir / "shop", "log", "-1", "--format=%an").strip()


def test_no_git_leaves_no_repository(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, payload = invoke_json(capsys, "shop", "--defaults", "--no-git")
    assert (0, None) == (code, payload["git"])
    assert not (workdir / "shop" / ".git").exists()


def test_inside_a_work_tree_no_repository_is_nested(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(workdir, "init", "-q")
    code, payload = invoke_json(capsys, "shop", "--defaults", "--git")
    assert (0, "skipped") == (code, payload["git"]["status"])
    assert not (workdir / "shop" / ".git").exists()


def test_without_git_installed_generation_still_succeeds(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(workdir / "empty-bin"))
    code, payload = invoke_json(capsys, "shop", "--defaults", "--git")
    assert (0, "skipped") == (code, payload["git"]["status"])
    assert "not installed" in payload["git"]["detail"]


def test_the_recreate_line_reproduces_every_tracked_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    monkeypatch.chdir(first)
    args = [
        "shop",
        "--framework",
        "flask",
        "--defaults",
        "--git",
        "--kind",
        "small",
        "-d",
        "description=Line one\nline two {{ 7*7 }} 'quoted'",
        "-d",
        "docker=true",
    ]
    code, payload = invoke_json(capsys, *args)
    assert 0 == code
    recreate = payload["recreate"]
    assert "\n" not in recreate
    assert "secret" not in recreate.lower()
    readme = (first / "shop" / "README.md").read_text(encoding="utf-8")
    assert recreate in readme

    completed = subprocess.run(
        [
            "bash",
            "-c",
            recreate.replace("new-project", f"{sys.executable} -m pyscaffold_fw new", 1)
            + " --git -q",
        ],
        cwd=second,
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == completed.returncode, completed.stderr
    assert recreate.startswith("new-project shop --framework flask --kind small ")
    tracked = git(first / "shop", "ls-files").splitlines()
    assert tracked == git(second / "shop", "ls-files").splitlines()
    for name in tracked:
        assert (first / "shop" / name).read_bytes() == (second / "shop" / name).read_bytes(), name


@pytest.mark.e2e
@pytest.mark.parametrize("installer", ["uv", "pip"])
def test_install_and_run_tests(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    installer: str,
) -> None:
    monkeypatch.setenv("PYSCAFFOLD_FW_INSTALLER", installer)
    code, payload = invoke_json(capsys, "shop", "--defaults", "--run-tests")
    assert 0 == code
    assert {"status": "installed", "tool": installer, "tests": "passed"} == {
        k: payload["install"][k] for k in ("status", "tool", "tests")
    }
    assert (workdir / "shop" / ".venv" / "bin" / "pytest").is_file()
    assert ". .venv/bin/activate" in payload["next_steps"]


BROKEN_TESTS = {
    "copier.yml": "_subdirectory: template\nproject_name:\n  type: str\n  default: broken\n",
    "template/pyproject.toml.jinja": (
        '[build-system]\nrequires = ["hatchling>=1.27"]\nbuild-backend = "hatchling.build"\n\n'
        '[project]\nname = "{{ project_name }}"\nversion = "0.1.0"\n'
        '[project.optional-dependencies]\ndev = ["pytest"]\n\n'
        "[tool.hatch.build.targets.wheel]\nbypass-selection = true\n"
    ),
    "template/tests/test_app.py.jinja": "def test_fails() -> None:\n    assert 1 == 2\n",
}


@pytest.mark.e2e
def test_failing_tests_exit_1_and_keep_the_project(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, text in BROKEN_TESTS.items():
        (workdir / "tpl" / name).parent.mkdir(parents=True, exist_ok=True)
        (workdir / "tpl" / name).write_text(text, encoding="utf-8")
    code, payload = invoke_json(
        capsys, "broken", "--template", str(workdir / "tpl"), "--defaults", "--run-tests", "--trust"
    )
    assert 1 == code
    assert "tests failed" in payload["error"]
    assert (workdir / "broken" / "pyproject.toml").is_file()


@pytest.mark.e2e
def test_an_installer_without_network_exits_1_with_the_retry_command(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UV_OFFLINE", "1")
    monkeypatch.setenv("UV_CACHE_DIR", str(workdir / "empty-cache"))
    code, payload = invoke_json(capsys, "shop", "--defaults", "--install")
    assert 1 == code
    assert "retry with: cd " in payload["error"]
    assert (workdir / "shop" / "pyproject.toml").is_file()


@pytest.mark.e2e
def test_ctrl_c_during_install_exits_130_and_keeps_the_project(workdir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["UV_CACHE_DIR"] = str(workdir / "cold-cache")  # a slow, cold install to interrupt
    child = pexpect.spawn(
        sys.executable,
        ["-m", "pyscaffold_fw", "new", "shop", "--defaults", "--install"],
        cwd=str(workdir),
        env=env,
        encoding="utf-8",
        timeout=60,
        # Ctrl-C's default action, as in a terminal: a job started in the background
        # (`cmd &` in a script, as some CI runners do) inherits SIGINT ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    child.expect("Installing into")  # --defaults: nothing asked, even in a terminal
    child.sendintr()
    child.expect(pexpect.EOF)
    output = child.before
    child.close()
    assert 130 == child.exitstatus
    assert "complete and kept" in output
    assert "Traceback" not in output
    assert (workdir / "shop" / "pyproject.toml").is_file()


@pytest.mark.e2e
def test_an_unrunnable_uv_falls_back_to_pip(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_uv = workdir / "uv"
    broken_uv.write_text("not a program", encoding="utf-8")  # no exec bit: OSError on start
    monkeypatch.setattr("pyscaffold_fw.verify.find_uv", lambda: str(broken_uv))
    code, payload = invoke_json(capsys, "shop", "--defaults", "--install")
    assert (0, "pip") == (code, payload["install"]["tool"])
    assert (workdir / "shop" / ".venv" / "bin" / "pytest").is_file()


def newer_python_than_this() -> tuple[str, str] | None:
    """A template-offered Python newer than this one that is installed, and its path."""
    for version in ("3.12", "3.13"):
        found = verify.find_python(version)
        if verify.needs_other_python(version) and found:
            return version, found
    return None


@pytest.mark.e2e
def test_the_venv_gets_the_projects_python_when_this_one_is_older(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newer = newer_python_than_this()
    if newer is None:
        pytest.skip("no newer Python than this one is installed")
    version, _ = newer
    code, payload = invoke_json(
        capsys, "shop", "--defaults", "-d", f"python_version={version}", "--install"
    )
    assert (0, "installed") == (code, payload["install"]["status"])
    venv_python = workdir / "shop" / ".venv" / "bin" / "python"
    reported = subprocess.run(
        [venv_python, "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert reported.startswith(f"Python {version}.")


def test_a_missing_python_for_the_project_exits_1_and_keeps_it(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if not verify.needs_other_python("3.13"):
        pytest.skip("this Python is new enough for every template choice")
    nowhere = workdir / "nowhere"
    nowhere.mkdir()
    monkeypatch.setenv("PYENV_ROOT", str(nowhere))  # no pyenv versions, no python3.13 on PATH
    monkeypatch.setenv("PATH", str(nowhere))
    monkeypatch.setenv("PYSCAFFOLD_FW_INSTALLER", "pip")  # uv would try to download one
    code, payload = invoke_json(
        capsys, "shop", "--defaults", "-d", "python_version=3.13", "--install", "--no-git"
    )
    assert 1 == code
    assert "needs Python 3.13 or newer and none was found" in payload["error"]
    assert "python3.13 -m venv .venv" in payload["error"]
    assert (workdir / "shop" / "pyproject.toml").is_file()
    assert not (workdir / "shop" / ".venv").exists()


@pytest.mark.parametrize(
    ("version", "newer"),
    [
        pytest.param(None, False, id="no-answer"),
        pytest.param("3.0", False, id="older"),
        pytest.param(f"{sys.version_info.major}.{sys.version_info.minor}", False, id="this"),
        pytest.param(f"{sys.version_info.major}.{sys.version_info.minor + 1}", True, id="newer"),
        pytest.param("3.x", False, id="not-a-version"),
    ],
)
def test_needs_other_python(version: str | None, newer: bool) -> None:
    assert newer is verify.needs_other_python(version)


def test_retry_and_next_steps_name_the_newer_python(tmp_path: Path) -> None:
    newer = f"{sys.version_info.major}.{sys.version_info.minor + 1}"
    assert f"uv venv --python {newer} .venv" in retry_command(tmp_path, newer, use_uv=True)
    assert f"python{newer} -m venv" in retry_command(tmp_path, newer)
    template = find_template("flask")
    steps = next_steps(template, Path("shop"), {"python_version": newer, "package_name": "s"})
    assert any(step.startswith(f"python{newer} -m venv .venv") for step in steps)


def test_find_python_takes_the_newest_pyenv_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for release in ("3.12.9", "3.12.10", "3.12-dev", "3.13.0"):
        python = tmp_path / "versions" / release / "bin" / "python"
        python.parent.mkdir(parents=True)
        python.touch()
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path))
    found = verify.find_python("3.12")
    assert str(tmp_path / "versions" / "3.12.10" / "bin" / "python") == found


def test_a_postgresql_project_is_told_to_create_its_database_before_migrating() -> None:
    answers = {"database": "postgresql", "package_name": "shop"}
    steps = next_steps(find_template("django"), Path("shop"), answers)
    created = steps.index("createdb shop  # on your running PostgreSQL")
    assert created < steps.index("python manage.py migrate && python manage.py runserver")


@pytest.mark.parametrize(
    ("files", "last"),
    [
        (
            ("pyproject.toml", "Procfile"),
            "grep '^web:' Procfile  # the command that serves it (set PORT)",
        ),
        (("README.md",), "less README.md  # how to run it"),
    ],
    ids=["procfile", "readme"],
)
def test_a_template_project_is_told_how_it_runs(
    tmp_path: Path, files: tuple[str, ...], last: str
) -> None:
    """A template that is not a built-in has no known dev server: point at what says it."""
    (tmp_path / "copier.yml").write_text("project_name: x\n", encoding="utf-8")
    template = local_template_info(str(tmp_path))
    steps = next_steps(template, Path("site"), {}, files=files)
    assert last == steps[-1]
    assert ("pytest" in steps) is ("pyproject.toml" in files)


def test_the_choice_is_announced_before_the_post_steps_run(workdir: Path) -> None:
    """So "Using Flask, recommended..." comes before the installer's output, not after."""
    seen: list[bool] = []
    request = GenerateRequest(workdir / "shop", framework="flask", use_defaults=True, git=True)
    result = generate(
        request, announce=lambda done: seen.append((done.project_dir / ".git").exists())
    )
    assert ([False], True) == (seen, (result.project_dir / ".git").is_dir())


FAKE_UV = """\
#!/bin/sh
# uv as the install sees it, without a network: a venv folder, an install, a lock.
case "$1" in
  venv) mkdir -p .venv/bin ;;
  lock)
    if [ -n "$FAKE_UV_LOCK_FAILS" ]; then
      echo "error: No solution found when resolving dependencies" >&2
      exit 1
    fi
    echo "version = 1" > uv.lock ;;
esac
"""


@pytest.fixture
def fake_uv(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A uv that installs nothing and locks in an instant."""
    uv = workdir / "bin" / "uv"
    uv.parent.mkdir()
    uv.write_text(FAKE_UV, encoding="utf-8")
    uv.chmod(0o755)
    monkeypatch.setattr("pyscaffold_fw.verify.find_uv", lambda: str(uv))
    monkeypatch.delenv("PYSCAFFOLD_FW_INSTALLER", raising=False)
    return uv


def subjects(project: Path) -> list[str]:
    return git(project, "log", "--format=%s").splitlines()


@pytest.mark.usefixtures("fake_uv")
def test_uv_locks_the_project_in_a_second_commit_never_in_the_render(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload = invoke_json(capsys, "shop", "--framework", "flask", "--defaults", "--install")
    project = workdir / "shop"
    assert (0, "uv", "committed") == (code, payload["install"]["tool"], payload["install"]["lock"])
    assert ["Lock dependencies", "Create flask project with pyscaffold-fw"] == subjects(project)
    assert "uv.lock" == git(project, "show", "--format=", "--name-only", "HEAD").strip()
    render = git(project, "ls-tree", "-r", "--name-only", "HEAD~1").splitlines()
    assert "uv.lock" not in render
    assert "Pyscaffold-Render-Tree:" in git(project, "log", "-1", "--format=%B", "HEAD~1")
    assert "" == git(project, "status", "--porcelain")
    assert [] == payload["warnings"]


def test_a_failed_lock_is_a_warning_and_keeps_the_installed_project(
    workdir: Path,
    fake_uv: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_UV_LOCK_FAILS", "1")
    code, payload = invoke_json(capsys, "shop", "--framework", "flask", "--defaults", "--install")
    project = workdir / "shop"
    assert (0, "installed", "failed") == (
        code,
        payload["install"]["status"],
        payload["install"]["lock"],
    )
    [warning] = payload["warnings"]
    assert warning.startswith("`uv lock` failed (error: No solution found when resolving")
    assert warning.endswith("&& uv lock && git add uv.lock && git commit -m 'Lock dependencies'")
    assert ["Create flask project with pyscaffold-fw"] == subjects(project)
    assert not (project / "uv.lock").exists()
    assert (project / "pyproject.toml").is_file()


@pytest.mark.usefixtures("fake_uv")
def test_a_person_sees_a_failed_lock_as_a_warning_after_the_install_line(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_UV_LOCK_FAILS", "1")
    code = run(cli, ["new", "shop", "--framework", "flask", "--defaults", "--install"])
    out, err = capfd.readouterr()
    assert 0 == code
    assert "lock: failed, no lock file: `uv lock` failed" in out
    assert "`uv lock` failed (exited 1): the project in " in err  # its output streamed above


@pytest.mark.usefixtures("fake_uv")
def test_without_a_repository_of_its_own_the_lock_is_written_not_committed(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload = invoke_json(
        capsys, "shop", "--framework", "flask", "--defaults", "--install", "--no-git"
    )
    assert (0, "written") == (code, payload["install"]["lock"])
    assert (workdir / "shop" / "uv.lock").is_file()
    assert not (workdir / "shop" / ".git").exists()


def test_pip_makes_no_lock_and_says_so(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pyscaffold_fw.poststeps._install", lambda *_a, **_k: "pip")
    code, payload = invoke_json(capsys, "shop", "--framework", "flask", "--defaults", "--install")
    assert (0, "pip", "none") == (code, payload["install"]["tool"], payload["install"]["lock"])
    assert "pip writes no lock file" in payload["install"]["lock_detail"]
    assert not (workdir / "shop" / "uv.lock").exists()
    assert ["Create flask project with pyscaffold-fw"] == subjects(workdir / "shop")


@pytest.mark.usefixtures("fake_uv")
def test_ctrl_c_while_locking_exits_130_keeps_the_project_and_says_how_to_lock(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run_step = verify.run_step

    def interrupted_lock(args: list[str], *rest: Any, **options: Any) -> verify.StepResult:
        if args[1:] == ["lock"]:
            raise KeyboardInterrupt
        return real_run_step(args, *rest, **options)

    monkeypatch.setattr("pyscaffold_fw.verify.run_step", interrupted_lock)
    code, payload = invoke_json(capsys, "shop", "--framework", "flask", "--defaults", "--install")
    project = workdir / "shop"
    assert 130 == code
    assert "is complete, installed and kept; to lock its dependencies" in payload["error"]
    assert payload["error"].endswith("git commit -m 'Lock dependencies'")
    assert ["Create flask project with pyscaffold-fw"] == subjects(project)
    assert "" == git(project, "status", "--porcelain")


@pytest.mark.usefixtures("fake_uv")
def test_a_lock_git_cannot_commit_is_kept_with_a_warning_and_the_command_to_commit_it(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = subprocess.run(["which", "git"], capture_output=True, text=True, check=True).stdout
    wrapper = workdir / "bin" / "git"
    wrapper.write_text(
        "#!/bin/sh\n"  # git refuses whatever names uv.lock; the render commit goes through
        'for arg in "$@"; do [ "$arg" = uv.lock ] && { echo "fatal: disk full" >&2; exit 128; }; '
        f'done\nexec {real.strip()} "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")
    code, payload = invoke_json(capsys, "shop", "--framework", "flask", "--defaults", "--install")
    project = workdir / "shop"
    assert (0, "written") == (code, payload["install"]["lock"])
    [warning] = payload["warnings"]
    assert warning.startswith("uv.lock is written but not committed (git add failed: fatal: disk")
    assert warning.endswith("&& git add uv.lock && git commit -m 'Lock dependencies'")
    assert ["Create flask project with pyscaffold-fw"] == subjects(project)
    assert (project / "uv.lock").is_file()
