"""SIGINT, SIGTERM and SIGHUP: exit 128 + the signal, one JSON object, nothing half-made,
and no child process left running."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import pytest

STOPPING = {"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM, "SIGHUP": signal.SIGHUP}

# A few seconds of Jinja work (the sandbox caps one range at 100,000).
SLOW_FILE = "{% for i in range(99999) %}{% for j in range(600) %}{% endfor %}{% endfor %}"


def start(workdir: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    """Start the real CLI as a shell would: default signal handlers, its own process."""
    return subprocess.Popen(
        [sys.executable, "-m", "pyscaffold_fw", *args, "--json"],
        cwd=workdir,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A job started in the background by a script inherits SIGINT ignored; undo that.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        start_new_session=True,  # so a failed test can stop all it started
    )


def wait_for(found: Callable[[], bool], child: subprocess.Popen[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not found():
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the moment to signal never came"
        time.sleep(0.05)


def stop_with(child: subprocess.Popen[str], signum: int) -> tuple[int, dict[str, object], str]:
    """Signal `child` and collect what it said; it must not wait for its own children."""
    child.send_signal(signum)
    try:
        out, err = child.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        raise
    return child.returncode, json.loads(out), err


@pytest.fixture
def hanging_index(workdir: Path) -> Iterator[dict[str, str]]:
    """Point uv and pip at a package index that accepts connections and never answers, so
    an install lasts until it is stopped; return the environment that does it."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        with suppress(OSError):
            while True:
                held.append(server.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    url = f"http://127.0.0.1:{server.getsockname()[1]}/simple"
    yield {
        "UV_CACHE_DIR": str(workdir / "cold-cache"),
        "UV_INDEX_URL": url,
        "UV_HTTP_TIMEOUT": "600",
        "PIP_INDEX_URL": url,
        "PIP_TIMEOUT": "600",
    }
    server.close()
    for connection in held:
        connection.close()


def processes_mentioning(folder: Path) -> list[str]:
    """Return the command lines of live processes that name `folder` or run inside it."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if str(folder) in cmdline or cwd.startswith(str(folder)):
            found.append(cmdline)
    return found


@pytest.mark.parametrize("signum", STOPPING.values(), ids=STOPPING.keys())
def test_a_signal_while_rendering_exits_128_plus_it_and_leaves_nothing(
    workdir: Path, signum: int
) -> None:
    template = workdir / "slow"
    template.mkdir()
    (template / "copier.yml").write_text("project_name: slow\n", encoding="utf-8")
    (template / "slow.txt.jinja").write_text(SLOW_FILE, encoding="utf-8")
    child = start(workdir, "new", "out", "--template", str(template), "--defaults")

    wait_for(lambda: any(workdir.glob(".pyscaffold-*")), child, timeout=30)
    time.sleep(0.5)  # Copier is now rendering the slow file into the staging folder
    code, payload, err = stop_with(child, signum)

    assert (128 + signum, 128 + signum) == (code, payload["exit_code"])
    assert "Interrupted; nothing was written." == payload["error"]
    assert "Traceback" not in err
    assert ["slow"] == [path.name for path in workdir.iterdir()]


@pytest.mark.e2e
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_during_install_stops_the_installer_and_keeps_the_project(
    workdir: Path, hanging_index: dict[str, str], signum: int
) -> None:
    args = ("new", "shop", "--framework", "flask", "--defaults", "--install")
    child = start(workdir, *args, **hanging_index)

    wait_for(lambda: (workdir / "shop" / ".venv").is_dir(), child, timeout=120)
    time.sleep(0.5)  # the installer is now waiting for the index
    code, payload, err = stop_with(child, signum)

    assert (128 + signum, 128 + signum) == (code, payload["exit_code"])
    assert "complete and kept" in str(payload["error"])
    assert "Traceback" not in err
    assert [] == processes_mentioning(workdir)
    assert (workdir / "shop" / "pyproject.toml").is_file()


@pytest.mark.e2e
def test_sigterm_during_templates_check_removes_its_project(
    workdir: Path, hanging_index: dict[str, str]
) -> None:
    scratch = workdir / "tmp"
    scratch.mkdir()
    child = start(workdir, "templates", "check", "flask", TMPDIR=str(scratch), **hanging_index)

    wait_for(lambda: any(scratch.glob("*/checked-project/.venv")), child, timeout=120)
    time.sleep(0.5)  # the installer is now waiting for the index
    code, payload, err = stop_with(child, signal.SIGTERM)

    assert (143, 143) == (code, payload["exit_code"])
    assert "Traceback" not in err
    assert [] == processes_mentioning(workdir)
    assert [] == list(scratch.iterdir())
