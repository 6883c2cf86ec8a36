"""After rendering: the project becomes a git repository, gets its .venv, runs its tests.

Nothing here deletes or undoes the generated project: it is complete before these steps
run, so a failure or Ctrl-C keeps it and says how to finish by hand.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from pyscaffold_fw import verify
from pyscaffold_fw.errors import KeptAfterInterruptError, PyscaffoldError
from pyscaffold_fw.terminal import visible

# PYSCAFFOLD_FW_INSTALLER=pip installs with python -m venv and pip even where uv runs.
INSTALLER_ENV = "PYSCAFFOLD_FW_INSTALLER"


class InstallError(PyscaffoldError):
    """Installing the generated project, or its first test run, failed; the project is kept."""


@dataclass(frozen=True)
class InstallOutcome:
    """How the project's virtualenv was made, and what its first test run said."""

    status: str  # installed or skipped
    tool: str | None = None  # uv or pip
    tests: str = "not run"  # passed or not run (a failure raises)
    tests_detail: str = ""

    def to_json(self) -> dict[str, str | None]:
        """Return the outcome as JSON values."""
        return {
            "status": self.status,
            "tool": self.tool,
            "tests": self.tests,
            "tests_detail": self.tests_detail,
        }


def install_project(
    project: Path, *, python_version: str | None, run_tests: bool, stream: bool
) -> InstallOutcome:
    """Create `.venv`, install the project with its dev extra, optionally run its tests.

    `python_version` is the oldest Python the project supports (its `python_version`
    answer); the virtualenv gets this interpreter when it is new enough, else that version.
    """
    try:
        tool = _install(project, python_version, stream=stream)
        if not run_tests:
            return InstallOutcome("installed", tool)
        result = verify.run_tool(project, "pytest", "-q", stream=stream)
    except KeyboardInterrupt as interrupt:
        raise KeptAfterInterruptError(
            f"Interrupted. The project in {project} is complete and kept; to install it: "
            f"{retry_command(project, python_version)}",
            interrupt,
        ) from None
    if not result.ok:
        raise InstallError(
            f"The project's tests failed (pytest exited {result.returncode}).\n"
            f"{result.output[-2000:]}The project in {project} is kept."
        )
    return InstallOutcome("installed", tool, "passed", _last_line(result.output))


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
