"""Console-script entry points: Ctrl-C exits 130 without a traceback, even during imports."""

from __future__ import annotations

import sys
from typing import NoReturn

_INTERRUPTED = 130


def new_project() -> NoReturn:
    """Run `new-project`."""
    _main("new_command")


def pyscaffold_fw() -> NoReturn:
    """Run `pyscaffold-fw`."""
    _main("cli")


def _main(command_name: str) -> NoReturn:
    try:
        from pyscaffold_fw import cli  # noqa: PLC0415  (inside the Ctrl-C guard)

        code = cli.run(getattr(cli, command_name))
    except KeyboardInterrupt:
        sys.stderr.write("\nInterrupted; nothing was written.\n")
        code = _INTERRUPTED
    sys.exit(code)
