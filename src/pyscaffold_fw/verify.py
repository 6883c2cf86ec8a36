"""Prove a generated project works: fresh virtualenv, install, tests, lint, Procfile server.

The project's own end-to-end tests drive these steps; this is the one module that runs
the generated project's tools and servers as subprocesses.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pyscaffold_fw import bounds, process
from pyscaffold_fw.errors import TemplateBoundError

VENV = ".venv"
# The environment variables every starter reads (docs/architecture.md); a Procfile process gets
# only the values we give it, never the ones of the shell that runs the checks.
CONTRACT_VARIABLES = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "PORT")


@dataclass(frozen=True)
class StepResult:
    """The outcome of one command run in a generated project."""

    command: str
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        """Tell whether the command succeeded."""
        return self.returncode == 0


@dataclass(frozen=True)
class Response:
    """A plain HTTP response."""

    status: int
    content_type: str
    body: bytes


def find_uv() -> str | None:
    """Return the uv executable (the `uv` package's, else one on PATH), if any."""
    try:
        from uv import find_uv_bin  # noqa: PLC0415  (optional dependency)

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        return shutil.which("uv")


def find_ruff() -> str | None:
    """Return an absolute path to a ruff beside this Python, else one on PATH, if any.

    Absolute, because it runs in the checked project, whose files may include a `ruff`.
    """
    name = "ruff.exe" if os.name == "nt" else "ruff"
    beside = Path(sysconfig.get_path("scripts")) / name
    found = str(beside) if beside.is_file() else shutil.which("ruff")
    return str(Path(found).absolute()) if found else None


def find_python(version: str) -> str | None:
    """Return an interpreter for `version` (e.g. "3.12"): pyenv's, else one on PATH."""
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates = (pyenv_root / "versions").glob(f"{version}.*/bin/python")
    newest = max(candidates, key=_release, default=None)  # 3.12.10 before 3.12.9
    if newest is not None:
        return str(newest)
    found = shutil.which(f"python{version}")
    # pyenv's shims exist for every installed version but fail unless it is selected.
    return found if found and "shims" not in Path(found).parts else None


def _release(python: Path) -> tuple[int, ...]:
    """(3, 12, 10) for .../versions/3.12.10/bin/python; () for a name such as 3.12-dev."""
    parts = python.parents[1].name.split(".")
    return tuple(int(part) for part in parts) if all(p.isdigit() for p in parts) else ()


def needs_other_python(version: str | None) -> bool:
    """Whether the project's oldest Python (e.g. "3.12") is newer than this interpreter."""
    if version is None:
        return False
    try:
        wanted = tuple(int(part) for part in version.split("."))
    except ValueError:
        return False  # not a plain version: leave it to the installer
    return sys.version_info[: len(wanted)] < wanted


def venv_bin(project: Path) -> Path:
    """Return the project's virtualenv scripts folder."""
    return project / VENV / ("Scripts" if os.name == "nt" else "bin")


def run_step(
    args: Sequence[str],
    project: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
    *,
    stream: bool = False,
) -> StepResult:
    """Run one command in the project with its virtualenv active.

    The output is captured, or with `stream` shown live on stderr (as progress).
    """
    completed = process.run(
        args,
        cwd=project,
        env=project_env(project, env),
        timeout=timeout,
        stdout=sys.stderr if stream else subprocess.PIPE,
        stderr=None if stream else subprocess.STDOUT,
    )
    return StepResult(" ".join(args), completed.returncode, completed.stdout or "")


def create_venv(
    project: Path, python: str = sys.executable, *, use_uv: bool = True, stream: bool = False
) -> StepResult:
    """Create a fresh `.venv` in the project (with uv when available)."""
    uv = find_uv() if use_uv else None
    if uv:
        return run_step([uv, "venv", "--quiet", "--python", python, VENV], project, stream=stream)
    return run_step([python, "-m", "venv", VENV], project, stream=stream)


def install_dev(project: Path, *, use_uv: bool = True, stream: bool = False) -> StepResult:
    """Install the project from its own pyproject.toml with its `dev` extra, editable."""
    python = str(venv_bin(project) / "python")
    uv = find_uv() if use_uv else None
    if uv:
        command = [uv, "pip", "install", "--python", python, "-e", ".[dev]"]
        return run_step(command, project, stream=stream)
    return run_step([python, "-m", "pip", "install", "-q", "-e", ".[dev]"], project, stream=stream)


def run_tool(project: Path, tool: str, *args: str, stream: bool = False) -> StepResult:
    """Run a tool from the project's virtualenv (pytest, ruff...)."""
    return run_step([str(venv_bin(project) / tool), *args], project, stream=stream)


def project_env(project: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return an environment with the project's virtualenv active, as a Procfile runner has.

    The contract variables come only from `extra`: a process is in production unless
    `extra` says DEBUG.
    """
    dropped = {"PYTHONPATH", "PYTHONHOME", *CONTRACT_VARIABLES}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["VIRTUAL_ENV"] = str(project / VENV)
    env["PATH"] = os.pathsep.join([str(venv_bin(project)), env.get("PATH", "")])
    env.update(extra or {})
    return env


def read_procfile(project: Path) -> dict[str, str]:
    """Parse the project's Procfile into process type -> command."""
    processes: dict[str, str] = {}
    for line in bounds.read_text(project / "Procfile", TemplateBoundError).splitlines():
        name, sep, command = line.partition(":")
        if sep and name.strip() and not line.lstrip().startswith("#"):
            processes[name.strip()] = command.strip()
    return processes


def run_procfile_step(project: Path, command: str, env: Mapping[str, str]) -> StepResult:
    """Run one Procfile command to completion (the `release:` step), as a shell line."""
    return run_step(["/bin/sh", "-c", command], project, env, timeout=300)


def free_port() -> int:
    """Return a TCP port that is free on loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerFailedError(RuntimeError):
    """The web process exited or never answered."""


@contextmanager
def serve(
    project: Path, command: str, env: Mapping[str, str], timeout: float = 60
) -> Iterator[str]:
    """Start the Procfile `web:` command; yield its base URL once /health answers; stop it."""
    port = free_port()
    server = _start(project, command, {**env, "PORT": str(port)}, subprocess.PIPE)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(server, f"{base_url}/health", timeout)
        yield base_url
    finally:
        _stop(server)


def _start(
    project: Path, command: str, env: Mapping[str, str], output: int
) -> subprocess.Popen[str]:
    """Start a Procfile line as a shell command in its own process group."""
    return process.start(
        ["/bin/sh", "-c", command],
        cwd=project,
        env=project_env(project, env),
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def _wait_until_up(server: subprocess.Popen[str], url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = server.stdout.read() if server.stdout else ""
            raise ServerFailedError(f"web process exited with {server.returncode}:\n{output}")
        try:
            get(url)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise ServerFailedError(f"web process did not answer {url} within {timeout:.0f}s")


def _stop(server: subprocess.Popen[str]) -> None:
    process.stop(server, grace=15)  # a server's graceful shutdown may take a while
    if server.stdout:
        server.stdout.close()


def get(url: str, headers: Mapping[str, str] | None = None) -> Response:
    """GET a URL on loopback; HTTP error statuses are returned, not raised."""
    request = urllib.request.Request(url, headers=dict(headers or {}))  # noqa: S310  (http on loopback)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
            return Response(reply.status, reply.headers.get_content_type(), reply.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers.get_content_type(), error.read())


def wait_for_exit(
    project: Path, command: str, env: Mapping[str, str], timeout: float
) -> int | None:
    """Start `command` and return its exit code, or None if it was still running at `timeout`."""
    server = _start(project, command, {**env, "PORT": str(free_port())}, subprocess.DEVNULL)
    try:
        return server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    finally:
        _stop(server)
