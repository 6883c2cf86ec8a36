"""Console-script entry points: a signal (Ctrl-C, SIGTERM, SIGHUP) exits 128 + its number
without a traceback, even during imports, after the same cleanup as Ctrl-C."""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import NoReturn

# SIGINT, SIGTERM and SIGHUP, in that order of likelihood.
_STOPPING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def new_project() -> NoReturn:
    """Run `new-project`."""
    _main("new_command")


def pyscaffold_fw() -> NoReturn:
    """Run `pyscaffold-fw`."""
    _main("cli")


def _main(command_name: str) -> NoReturn:
    _handle_stopping_signals()
    try:
        from pyscaffold_fw import cli  # noqa: PLC0415  (inside the signal guard)

        code = cli.run(getattr(cli, command_name))
    except KeyboardInterrupt as interrupt:  # before the CLI's own funnel was in place
        sys.stderr.write("\nInterrupted; nothing was written.\n")
        code = 128 + getattr(interrupt, "signum", signal.SIGINT)
    for signum in _STOPPING:  # the outcome is decided: a late signal must not change it
        if signal.getsignal(signum) is _stop:
            signal.signal(signum, signal.SIG_IGN)
    sys.exit(code)


def _handle_stopping_signals() -> None:
    """Turn SIGTERM and SIGHUP into the same exception as Ctrl-C, so cleanup is the same.

    A signal already ignored (under `nohup`, or SIGINT in a background job) stays ignored.
    """
    for signum in _STOPPING:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _stop)


def _stop(signum: int, _frame: FrameType | None) -> None:
    # The first signal stops us; more of them must not cut the cleanup short.
    for other in _STOPPING:
        if signal.getsignal(other) is _stop:
            signal.signal(other, signal.SIG_IGN)
    from pyscaffold_fw.errors import Interrupted  # noqa: PLC0415  (stdlib-only module)

    raise Interrupted(signum)
