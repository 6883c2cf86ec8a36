"""Bound what an untrusted template may take while it is rendered: memory and time.

A few bytes of Jinja (`{{ 'a' * 10**10 }}`, nested loops) can ask for gigabytes or hours;
without a cap that is a machine brought to its knees, not an error message.
"""

from __future__ import annotations

import os
import resource
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from pyscaffold_fw.errors import RenderError

# Room a rendering gets above what the process already uses; starters need a few MiB.
MEMORY_HEADROOM_BYTES = 2 * 1024**3
# Rendering a starter takes about a second; a template needing minutes is a loop bomb.
RENDER_SECONDS = 120


class RenderLimitError(RenderError):
    """The template needed more memory or time to render than an untrusted one may take."""


@contextmanager
def capped(what: str) -> Iterator[None]:
    """Cap both memory and time for the block."""
    with time_capped(what), memory_capped(what):
        yield


@contextmanager
def memory_capped(what: str) -> Iterator[None]:
    """Cap the address space for the block; turn running out of it into a RenderLimitError."""
    used = _address_space_in_use()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = used + MEMORY_HEADROOM_BYTES if used else resource.RLIM_INFINITY
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    except MemoryError:
        raise RenderLimitError(
            f"{what} needed more than {MEMORY_HEADROOM_BYTES // 1024**3} GiB of memory "
            "(a Jinja expression that multiplies text or lists?); stopped. Nothing was written."
        ) from None
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


class _OutOfTime(BaseException):
    """Raised from SIGALRM inside the capped block; no `except Exception` in Jinja or Copier
    may swallow it."""


@contextmanager
def time_capped(what: str) -> Iterator[None]:
    """Stop the block after RENDER_SECONDS with a RenderLimitError (main thread only)."""
    seconds = RENDER_SECONDS
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives SIGALRM
        return

    def out_of_time(_signum: int, _frame: FrameType | None) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, out_of_time)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _OutOfTime:
        raise RenderLimitError(
            f"{what} took longer than {seconds} s (a Jinja loop bomb?); stopped. "
            "Nothing was written."
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _address_space_in_use() -> int:
    """Return this process's virtual memory size in bytes (0 where /proc is absent)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
