"""The one exception tree of pyscaffold-fw; each class carries its exit code.

    PyscaffoldError (1)             the work failed
    ├── DestinationError (1)        destination exists and is not empty, or cannot be written
    ├── RenderError (1)             Copier, git or the file system failed while rendering
    │   └── TemplateBoundError (1)  a template's file is too large, too deep or expands too far
    ├── UnsafeTemplateError (1)     the template runs code (tasks...) and --trust was not given
    ├── RepositoryError (1)         git init failed; the project is kept without a repository
    ├── UpdateRefusedError (1)      the project's repository cannot take an update now
    ├── KeptAfterInterruptError (128 + signal)  a signal came after the project was written
    └── InputError (2)              usage or bad input
        ├── InvalidNameError (2)    project or package name is not usable
        ├── UnknownFrameworkError (2)
        ├── TemplateSourceError (2) a template source that does not exist or is no template
        ├── InvalidAnswerError (2)  unknown answer key, invalid value, malformed data file
        │   └── InputBoundError (2) a data file, config file or answer is too large or too deep
        └── MissingAnswerError (2)  an answer is needed and there is no terminal to ask

    BoundError is the base of both *BoundError classes: a limit of bounds.py was hit.

    KeyboardInterrupt
    └── Interrupted                 SIGINT, SIGTERM or SIGHUP (exit 130, 143, 129)

The CLI converts these once, at its edge; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import signal

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130; SIGTERM gives 143 and SIGHUP 129


class Interrupted(KeyboardInterrupt):
    """A signal that stops us (SIGINT, SIGTERM, SIGHUP): clean up as for Ctrl-C."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.signum = signum


def interrupted_exit_code(interrupt: BaseException) -> int:
    """Return 128 + the signal's number, as shells report it (130 for a plain Ctrl-C)."""
    return 128 + getattr(interrupt, "signum", signal.SIGINT)


class PyscaffoldError(Exception):
    """Base class: a failure with a message written for users."""

    exit_code: int = EXIT_FAILURE
    # Shown as a plain line, not as an error: the user chose it (quitting the wizard).
    plain: bool = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DestinationError(PyscaffoldError):
    """The destination cannot take the project."""


class RenderError(PyscaffoldError):
    """Copier or the file system failed while rendering."""


class UnsafeTemplateError(PyscaffoldError):
    """The template uses Copier features that run code, and it is not trusted."""


class RepositoryError(PyscaffoldError):
    """Making the new project a git repository failed; the project is kept without one."""


class UpdateRefusedError(PyscaffoldError):
    """The project cannot be updated now (uncommitted changes, no base, shallow...)."""


class KeptAfterInterruptError(PyscaffoldError):
    """A signal arrived once the project was complete on disk: it is kept."""

    def __init__(self, message: str, interrupt: BaseException) -> None:
        super().__init__(message)
        self.exit_code = interrupted_exit_code(interrupt)


class InputError(PyscaffoldError):
    """Usage error or bad input."""

    exit_code = EXIT_USAGE


class InvalidNameError(InputError):
    """The project or package name is not usable."""


class UnknownFrameworkError(InputError):
    """The framework id is unknown or has no template yet."""


class TemplateSourceError(InputError):
    """A template source that does not exist or is not a Copier template."""


class InvalidAnswerError(InputError):
    """An answer key is unknown, a value is invalid, or a data file is malformed."""


class MissingAnswerError(InputError):
    """An answer is needed and there is no terminal to ask for it."""


class BoundError(PyscaffoldError):
    """A file or value over a limit of size, nesting depth or expansion (see bounds.py)."""


class InputBoundError(BoundError, InvalidAnswerError):
    """A data file, config file or answer the user gave is over a limit."""


class TemplateBoundError(BoundError, RenderError):
    """A template's copier.yml (or a file it renders and we read) is over a limit."""
