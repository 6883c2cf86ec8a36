"""Child processes: a signal while one starts stops it, and never leaves it running."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pyscaffold_fw import process, verify

SLEEP = "import time; time.sleep(60)"


def test_a_signal_in_a_deferring_block_is_delivered_when_it_ends() -> None:
    reached_the_end = False
    with pytest.raises(KeyboardInterrupt), process.signals_deferred():  # noqa: PT012
        os.kill(os.getpid(), signal.SIGINT)
        reached_the_end = True
    assert reached_the_end
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_child_started_in_a_deferring_block_does_not_inherit_blocked_signals(
    tmp_path: Path,
) -> None:
    status = tmp_path / "status"
    script = f"open({str(status)!r}, 'w').write(open('/proc/self/status').read())"
    with process.signals_deferred():
        subprocess.run([sys.executable, "-c", script], check=True)
    blocked = next(line for line in status.read_text().splitlines() if line.startswith("SigBlk"))
    assert int(blocked.split()[1], 16) == 0


def run_sleeping_child(folder: Path) -> None:
    process.run([sys.executable, "-c", SLEEP], cwd=folder, env=os.environ, timeout=120)


def serve_sleeping_child(folder: Path) -> None:
    with verify.serve(folder, f"exec {sys.executable} -c '{SLEEP}'", {}):
        pass


@pytest.mark.parametrize("start", [run_sleeping_child, serve_sleeping_child], ids=["run", "serve"])
def test_a_signal_while_the_child_starts_stops_the_child(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, start: Callable[[Path], None]
) -> None:
    started: list[subprocess.Popen[Any]] = []

    class SignalledWhileStarting(subprocess.Popen[Any]):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C before Popen has returned
            for _ in range(1000):  # bytecodes: where Python delivers the signal
                pass

    monkeypatch.setattr(subprocess, "Popen", SignalledWhileStarting)
    with pytest.raises(KeyboardInterrupt):
        start(tmp_path)
    [child] = started
    assert child.returncode == -signal.SIGTERM  # stopped and waited for, not left running


def test_a_server_that_exits_at_once_fails_with_its_code_and_output(tmp_path: Path) -> None:
    with pytest.raises(verify.ServerFailedError) as raised:  # noqa: SIM117
        with verify.serve(tmp_path, "echo 'port taken'; printf 'bad \\377 byte'; exit 3", {}):
            pytest.fail("a server that exited was reported up")
    assert "web process exited with 3:\nport taken\nbad \udcff byte" == str(raised.value)


def test_a_server_that_never_answers_fails_after_the_timeout_and_is_stopped(
    tmp_path: Path,
) -> None:
    started = tmp_path / "started"
    with pytest.raises(verify.ServerFailedError) as raised:  # noqa: SIM117
        with verify.serve(tmp_path, f"echo $$ > {started}; exec sleep 60", {}, timeout=1):
            pytest.fail("a server that never answered was reported up")
    assert re.fullmatch(
        r"web process did not answer http://127\.0\.0\.1:\d+/health within 1s", str(raised.value)
    )
    pid = int(started.read_text(encoding="utf-8"))
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_a_signal_ignored_before_stays_ignored_and_children_inherit_it(tmp_path: Path) -> None:
    status = tmp_path / "status"
    script = f"open({str(status)!r}, 'w').write(open('/proc/self/status').read())"
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        with process.signals_deferred():
            process.run([sys.executable, "-c", script], cwd=None, env=os.environ, timeout=60)
            os.kill(os.getpid(), signal.SIGHUP)
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)
    ignored = next(line for line in status.read_text().splitlines() if line.startswith("SigIgn"))
    assert int(ignored.split()[1], 16) & 1 << (signal.SIGHUP - 1)


def test_a_signal_while_the_handlers_are_restored_leaves_none_of_them_noting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = {signum: signal.getsignal(signum) for signum in process.STOPPING_SIGNALS}
    set_handler = signal.signal

    def set_then_interrupt(signum: int, handler: Any) -> Any:
        previous = set_handler(signum, handler)
        if handler is signal.default_int_handler:  # Ctrl-C right after its own is back
            os.kill(os.getpid(), signal.SIGINT)
        return previous

    with pytest.raises(KeyboardInterrupt), process.signals_deferred():
        monkeypatch.setattr(signal, "signal", set_then_interrupt)
    monkeypatch.undo()
    assert before == {signum: signal.getsignal(signum) for signum in process.STOPPING_SIGNALS}
