"""Copier's failures, and a template's, in our words and with our exit codes."""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

from jinja2 import TemplateError

from pyscaffold_fw.errors import InvalidAnswerError, MissingAnswerError, RenderError

_REQUIRED = re.compile(r'^Question "(?P<name>[^"]+)" is required$')


@contextmanager
def copier_errors(template: str) -> Iterator[None]:
    """Turn Copier's and the template's failures into our errors, with our exit codes."""
    from copier.errors import CopierError, ExtensionNotFoundError  # noqa: PLC0415

    try:
        yield
    except ExtensionNotFoundError as error:
        raise RenderError(_missing_extension(template, error)) from error
    except KeyboardInterrupt:
        raise  # Copier's CopierAnswersInterrupt too: Ctrl-C at one of its prompts
    except (CopierError, TemplateError) as error:
        raise RenderError(f"Copier could not render {template}: {error}") from error
    except ValueError as error:
        required = _REQUIRED.match(str(error))
        if required:
            name = required["name"]
            raise MissingAnswerError(
                f"No terminal to ask for {name}, and the template gives it no default: "
                f"pass -d {name}=VALUE."
            ) from error
        # Copier reports an answer that fails the template's validator as a ValueError.
        raise InvalidAnswerError(f"Invalid answer: {error}{_choose_another(error)}") from error
    except OSError as error:
        raise RenderError(f"Writing the project failed: {error}") from error
    except MemoryError:
        raise  # limits.memory_capped says what happened
    except Exception as error:
        # The template's own code failed, not ours: `{{ 1 // 0 }}` or `{{ 1 + 'a' }}` in
        # a file, an absolute `_answers_file`...
        raise RenderError(
            f"The template {template} failed while rendering: {_describe(error)}"
        ) from error


_QUESTION = re.compile(r"for question '(?P<name>[^']+)'|for '(?P<choice>[^']+)'")


def _choose_another(error: ValueError) -> str:
    """Say which flag picks another answer, when Copier's message names the question."""
    found = _QUESTION.search(str(error))
    name = found and (found["name"] or found["choice"])
    return f" Pass -d {name}=VALUE to choose another." if name else ""


_MODULE = re.compile(r"No module named '(?P<module>[^'.]+)")


def _missing_extension(template: str, error: Exception) -> str:
    """Say which package to install beside pyscaffold-fw for a missing Jinja extension."""
    found = _MODULE.search(str(error))
    package = found["module"].replace("_", "-") if found else "PACKAGE"
    reason = " ".join(str(error).split())
    return (
        f"The template {template} needs a Jinja extension that is not installed ({reason}); "
        f"install it beside pyscaffold-fw: uv tool install pyscaffold-fw --with {package} "
        f"(or pipx inject pyscaffold-fw {package})."
    )


def _describe(error: Exception) -> str:
    """Name the error; one without a message (a failed assert) gets the line that raised it."""
    if str(error):
        return f"{type(error).__name__}: {error}"
    frames = traceback.extract_tb(error.__traceback__)
    line = frames[-1].line if frames else None
    return f"{type(error).__name__} at `{line}`" if line else type(error).__name__
