"""After rendering: the project becomes a git repository, gets its .venv and, with uv, a
`uv.lock` in a commit of its own, then runs its tests.

Nothing here deletes or undoes the generated project: it is complete before these steps
run, so a failure or Ctrl-C keeps it and says how to finish by hand. A lock that cannot be
made is a warning: the project is installed and works without one.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from pyscaffold_fw import vcs, verify
from pyscaffold_fw.errors import KeptAfterInterruptError, PyscaffoldError
from pyscaffold_fw.terminal import visible

# PYSCAFFOLD_FW_INSTALLER=pip installs with python -m venv and pip even where uv runs.
INSTALLER_ENV = "PYSCAFFOLD_FW_INSTALLER"
LOCK_FILE = "uv.lock"
# The lock's own commit, after the render commit (never in it: that one is the untouched
# render every update merges from, and uv.lock is the user's file from then on).
LOCK_MESSAGE = "Lock dependencies"


class InstallError(PyscaffoldError):
    """Installing the generated project, or its first test run, failed; the project is kept."""


@dataclass(frozen=True)
class Lock:
    """What became of `uv.lock`: committed, written (not committed), failed, or none (pip)."""

    status: str
    detail: str
    warning: str = ""  # what the user must know and do: no lock, or one not committed


@dataclass(frozen=True)
class InstallOutcome:
    """How the project's virtualenv was made, and what its first test run said."""

    status: str  # installed or skipped
    tool: str | None = None  # uv or pip
    tests: str = "not run"  # passed or not run (a failure raises)
    tests_detail: str = ""
    lock: Lock | None = None

    def to_json(self) -> dict[str, str | None]:
        """Return the outcome as JSON values."""
        lock = self.lock or Lock("none", "")
        return {
            "status": self.status,
            "tool": self.tool,
            "tests": self.tests,
            "tests_detail": self.tests_detail,
            "lock": lock.status,
            "lock_detail": lock.detail,
        }


def install_project(
    project: Path,
    *,
    python_version: str | None,
    run_tests: bool,
    stream: bool,
    commit_lock: bool = False,
) -> InstallOutcome:
    """Create `.venv`, install the project with its dev extra, lock it (uv), test it.

    `python_version` is the oldest Python the project supports (its `python_version`
    answer); the virtualenv gets this interpreter when it is new enough, else that version.
    With uv, `uv lock` writes `uv.lock`; with `commit_lock` (the project is a repository
    of its own, its render the one commit) it is committed on top, as "Lock dependencies".
    """
    done = "rendered"  # how far it got: rendered, installed, locked
    try:
        tool = _install(project, python_version, stream=stream)
        done = "installed"
        lock = _lock(project, commit=commit_lock, stream=stream) if tool == "uv" else _NO_LOCK
        done = "locked" if lock.status == "committed" else "installed"
        if not run_tests:
            return InstallOutcome("installed", tool, lock=lock)
        result = verify.run_tool(project, "pytest", "-q", stream=stream)
    except KeyboardInterrupt as interrupt:
        raise KeptAfterInterruptError(
            _interrupted(project, python_version, done), interrupt
        ) from None
    if not result.ok:
        raise InstallError(
            f"The project's tests failed (pytest exited {result.returncode}).\n"
            f"{result.output[-2000:]}The project in {project} is kept."
        )
    return InstallOutcome("installed", tool, "passed", _last_line(result.output), lock)


_NO_LOCK = Lock("none", "pip writes no lock file (`uv lock` makes uv.lock)")


def _lock(project: Path, *, commit: bool, stream: bool) -> Lock:
    """Write uv.lock and commit it on its own; a failure is a warning, not an error."""
    uv = verify.find_uv() or "uv"
    try:
        step = verify.run_step([uv, "lock"], project, stream=stream)
    except OSError as error:  # uv installed the project a moment ago; it cannot run now
        step = verify.StepResult(f"{uv} lock", 127, str(error))
    if not step.ok:
        reason = _last_line(step.output) or f"exited {step.returncode}"
        warning = (
            f"`uv lock` failed ({reason}): the project in {project} is installed and kept "
            f"without a lock. To make one: {lock_command(project)}"
        )
        return Lock("failed", "no lock file: `uv lock` failed", warning)
    if not commit:
        return Lock("written", f"{LOCK_FILE} written, not committed (no repository of its own)")
    try:
        vcs.commit_file(project, LOCK_FILE, LOCK_MESSAGE)
    except PyscaffoldError as error:
        warning = (
            f"{LOCK_FILE} is written but not committed ({error.message}). To commit it: "
            f"{vcs.commit_file_command(project, LOCK_FILE, LOCK_MESSAGE)}"
        )
        return Lock("written", f"{LOCK_FILE} written, not committed", warning)
    return Lock("committed", f"{LOCK_FILE} in a commit of its own ({LOCK_MESSAGE!r})")


def lock_command(project: Path) -> str:
    """Return the shell line that locks the project and commits uv.lock by hand."""
    commit = vcs.commit_file_command(project, LOCK_FILE, LOCK_MESSAGE).split(" && ", 1)[1]
    where = shlex.quote(str(project))
    return f"cd {where} && uv lock" + (f" && {commit}" if (project / ".git").is_dir() else "")


def _interrupted(project: Path, python_version: str | None, done: str) -> str:
    """Say what is on disk after a signal, and how to finish by hand."""
    if done == "rendered":
        return (
            f"Interrupted. The project in {project} is complete and kept; to install it: "
            f"{retry_command(project, python_version)}"
        )
    if done == "locked" or ((project / ".git").is_dir() and vcs.tracks(project, LOCK_FILE)):
        return f"Interrupted. The project in {project} is complete, installed and kept."
    return (
        f"Interrupted. The project in {project} is complete, installed and kept; to lock "
        f"its dependencies (with uv): {lock_command(project)}"
    )


def _install(project: Path, python_version: str | None, *, stream: bool) -> str:
    use_uv = verify.find_uv() is not None and os.environ.get(INSTALLER_ENV, "uv") != "pip"
    python = _interpreter(project, python_version, use_uv=use_uv)
    if stream:  # the path is the user's: a bidi control in it is shown, not obeyed
        where = visible(str(project / verify.VENV))
        sys.stderr.write(f"Installing into {where} with {'uv' if use_uv else 'pip'}...\n")
        sys.stderr.flush()
    try:
        steps = [verify.create_venv(project, python, use_uv=use_uv, stream=stream)]
    except OSError:  # uv is there but cannot run on this machine: fall back to pip
        use_uv = False
        python = _interpreter(project, python_version, use_uv=False)
        steps = [verify.create_venv(project, python, use_uv=False, stream=stream)]
    if steps[0].ok:
        steps.append(verify.install_dev(project, use_uv=use_uv, stream=stream))
    failed = next((step for step in steps if not step.ok), None)
    if failed is not None:
        raise InstallError(
            f"Installing failed: `{failed.command}` exited {failed.returncode}.\n"
            f"{failed.output[-2000:]}The project in {project} is complete and kept; "
            f"retry with: {retry_command(project, python_version, use_uv=use_uv)}"
        )
    return "uv" if use_uv else "pip"


def _interpreter(project: Path, version: str | None, *, use_uv: bool) -> str:
    python = venv_python(version, use_uv=use_uv)
    if python is None:
        raise InstallError(
            f"The project needs Python {version} or newer and none was found. "
            f"The project in {project} is complete and kept; install Python {version}, "
            f"then: {retry_command(project, version)}"
        )
    return python


def venv_python(version: str | None, *, use_uv: bool) -> str | None:
    """Return the interpreter for the project's `.venv`, None when none is found.

    This one when it is at least `version`; else an installed `version`; else, with uv,
    the version itself (uv finds it, or downloads a build where it may).
    """
    if version is None or not verify.needs_other_python(version):
        return sys.executable
    return verify.find_python(version) or (version if use_uv else None)


def retry_command(project: Path, python_version: str | None = None, *, use_uv: bool = False) -> str:
    """Return the shell line that installs the project by hand."""
    where = shlex.quote(str(project))
    other = verify.needs_other_python(python_version)
    if use_uv:
        python = f" --python {python_version}" if other else ""
        return f"cd {where} && uv venv{python} .venv && uv pip install -e '.[dev]'"
    python = f"python{python_version}" if other else "python"
    return f"cd {where} && {python} -m venv .venv && .venv/bin/pip install -e '.[dev]'"


def _last_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else ""
