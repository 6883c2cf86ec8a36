"""Run child processes that never outlive us: each leads its own session and is stopped,
with everything it started, when we are interrupted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import IO

# How long a stopped child gets to exit after SIGTERM before SIGKILL.
STOP_GRACE_SECONDS = 5.0
# The signals that stop us (see _entry.py).
STOPPING_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})
# A child's output is decoded as file names are, not by the locale: the paths git prints
# become the same `Path`s as ours under any locale, and no byte fails to decode.
OUTPUT_ENCODING = sys.getfilesystemencoding()
OUTPUT_ERRORS = sys.getfilesystemencodeerrors()


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block ends, so it is done or undone whole.

    A signal that arrives meanwhile is delivered (and raises) right after the block.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Note SIGINT, SIGTERM and SIGHUP until the block ends, then deliver the first one.

    Unlike `signals_held`, a child started in the block does not inherit them blocked:
    on exec it gets the default handlers back, so it stops when it is told to.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {
        signum: signal.signal(signum, _noting(caught))
        for signum in STOPPING_SIGNALS
        if signal.getsignal(signum) is not signal.SIG_IGN  # nohup's: children keep it
    }
    try:
        yield
    finally:
        with signals_held():  # all restored, or a signal meanwhile could leave one noted
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if caught:
            signal.raise_signal(caught[0])


def _noting(caught: list[int]) -> Callable[[int, FrameType | None], None]:
    return lambda signum, _frame: caught.append(signum)


def start(
    args: Sequence[str],
    *,
    cwd: Path | None,
    env: Mapping[str, str],
    stdout: int | IO[str] = subprocess.PIPE,
    stderr: int | IO[str] | None = subprocess.PIPE,
) -> subprocess.Popen[str]:
    """Start `args` in a session of its own, reading nothing from our terminal (stdin is
    /dev/null); it gets no Ctrl-C from the terminal: we decide when it stops (`stop`).

    A signal that arrives while it starts stops it, then is raised: a child is never left
    running unknown to the caller.
    """
    child: subprocess.Popen[str] | None = None
    try:
        with signals_deferred():
            child = _popen(args, cwd, env, stdout, stderr)
    except BaseException:
        if child is not None:
            with child:
                stop(child)
        raise
    return child


def run(
    args: Sequence[str],
    *,
    cwd: Path | None,
    env: Mapping[str, str],
    timeout: float,
    stdout: int | IO[str] = subprocess.PIPE,
    stderr: int | IO[str] | None = subprocess.PIPE,
) -> subprocess.CompletedProcess[str]:
    """Run `args` (see `start`) to completion; on a signal or timeout stop its whole
    process group."""
    with start(args, cwd=cwd, env=env, stdout=stdout, stderr=stderr) as child:
        try:
            out, err = child.communicate(timeout=timeout)
        except BaseException:
            stop(child)
            raise
    return subprocess.CompletedProcess(list(args), child.returncode, out or "", err or "")


def run_to_end(
    args: Sequence[str], *, cwd: Path | None, env: Mapping[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run `args` like `run`, but let it finish when we are interrupted, then re-raise.

    For a child that must not be cut off halfway (git writing its index or refs): in a
    session of its own it never sees the terminal's Ctrl-C, and we wait for it. Signals
    are held while it starts, so none can leave a started child unwaited-for (it starts
    with them blocked too: nothing but a timeout's SIGKILL is meant to stop it).
    """
    interrupt: BaseException | None = None
    try:
        with signals_held():
            child = _popen(args, cwd, env, subprocess.PIPE, subprocess.PIPE)
    except KeyboardInterrupt as caught:  # held while it started: the child runs; wait
        interrupt = caught
    with child:
        while True:
            try:
                out, err = child.communicate(timeout=timeout)
                break
            except KeyboardInterrupt as caught:
                interrupt = caught  # keep waiting: the child finishes what it writes
            except subprocess.TimeoutExpired:
                stop(child)
                raise
    if interrupt is not None:
        raise interrupt
    return subprocess.CompletedProcess(list(args), child.returncode, out or "", err or "")


def _popen(
    args: Sequence[str],
    cwd: Path | None,
    env: Mapping[str, str],
    stdout: int | IO[str],
    stderr: int | IO[str] | None,
) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603  (callers pass their own command lines)
        list(args),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=stderr,
        encoding=OUTPUT_ENCODING,
        errors=OUTPUT_ERRORS,
        start_new_session=True,
    )


def stop(child: subprocess.Popen[str], grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop `child` and its process group: SIGTERM, then SIGKILL after `grace` seconds."""
    _signal_group(child, signal.SIGTERM)
    try:
        child.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        _signal_group(child, signal.SIGKILL)
        child.wait()
    # Whatever the leader left behind in its group (a build backend, a worker) goes too.
    _signal_group(child, signal.SIGKILL)


def _signal_group(child: subprocess.Popen[str], signum: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signum)
