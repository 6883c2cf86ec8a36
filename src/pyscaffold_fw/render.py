"""Render a Copier template into place atomically: the only module that imports Copier."""

from __future__ import annotations

import io
import os
import tempfile
import traceback
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import TemplateError

from pyscaffold_fw import bounds
from pyscaffold_fw.errors import (
    DestinationError,
    InvalidAnswerError,
    RenderError,
    TemplateBoundError,
    UnsafeTemplateError,
)
from pyscaffold_fw.limits import capped
from pyscaffold_fw.placement import Placement, created_parents, move_into_place, staging_dir


@dataclass(frozen=True)
class Rendered:
    """What a rendering produced: files relative to the project, and the recorded answers."""

    files: tuple[str, ...]
    answers: Mapping[str, Any]
    # The template's `_message_after_copy`, rendered as Copier would show it ("" if none).
    message: str = ""


def check_destination(dest: Path) -> None:
    """Refuse a destination that exists and is not an empty directory."""
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise DestinationError(f"{dest} exists and is not a directory; nothing was written.")
    if dest.is_dir() and any(dest.iterdir()):
        raise DestinationError(
            f"{dest} already exists and is not empty; choose a new directory. Nothing was written."
        )


def render(
    template: Path | str,
    dest: Path,
    data: Mapping[str, Any],
    *,
    pretend: bool,
    vcs_ref: str | None = None,
    trust: bool = False,
    recorded_source: str | None = None,
    placement: Placement | None = None,
) -> Rendered:
    """Render `template` with `data` into `dest`, or only report the files when pretending.

    The project is rendered beside `dest` (as `<staging>/<dest name>`, so nothing derived
    from the name changes) and moved into place in one step; on any failure or signal
    before that, nothing is left behind. `placement` records whether the move happened.
    `recorded_source` replaces `template` as `_src_path` in the answers file (for a
    template rendered from our own clone of it).
    """
    check_destination(dest)
    parent = Path(tempfile.gettempdir()) if pretend else dest.parent
    with created_parents(parent), staging_dir(parent) as staging:
        target = staging / dest.name
        with nullcontext() if trust else capped(f"Rendering the template {template}"):
            copied = _run_copier(str(template), target, dest, data, vcs_ref=vcs_ref, trust=trust)
        target.mkdir(exist_ok=True)  # a template with no files renders an empty project
        _refuse_links_leaving(target)
        _refuse_git_metadata(target)
        answers_file = target / copied.answers_file
        if recorded_source is not None:
            _record_source(answers_file, str(template), recorded_source)
        rendered = Rendered(_list_files(target), _read_answers(answers_file), copied.message)
        if not pretend:
            move_into_place(target, dest, placement or Placement())
    return rendered


@dataclass(frozen=True)
class _Copied:
    message: str  # the template's message after copy, rendered for the final place
    answers_file: Path  # relative to the project


def _run_copier(
    template: str,
    target: Path,
    dest: Path,
    data: Mapping[str, Any],
    *,
    vcs_ref: str | None,
    trust: bool,
) -> _Copied:
    """Render into `target`; return what Copier says after copying, as seen from `dest`."""
    from copier import Settings, run_copy  # noqa: PLC0415  (heavy: import only to render)
    from copier.errors import CopierError, CopierWarning  # noqa: PLC0415

    try:
        with warnings.catch_warnings(), _git_confined(template), _copier_output_shown():
            # e.g. "dirty local template" when rendering from a source checkout.
            warnings.simplefilter("ignore", CopierWarning)
            worker = run_copy(
                template,
                target,
                data=dict(data),
                vcs_ref=vcs_ref,
                # An empty Settings: a user's Copier settings file must not change answers.
                settings=Settings(),
                defaults=True,
                quiet=True,
                unsafe=trust,
                cleanup_on_error=False,
            )
            return _Copied(_message_after_copy(worker, dest), Path(worker.answers_relpath))
    except (CopierError, TemplateError) as error:
        raise RenderError(f"Copier could not render {template}: {error}") from error
    except ValueError as error:
        # Copier reports an answer that fails the template's validator as a ValueError.
        raise InvalidAnswerError(f"Invalid answer: {error}") from error
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


def _describe(error: Exception) -> str:
    """Name the error; one without a message (a failed assert) gets the line that raised it."""
    if str(error):
        return f"{type(error).__name__}: {error}"
    frames = traceback.extract_tb(error.__traceback__)
    line = frames[-1].line if frames else None
    return f"{type(error).__name__} at `{line}`" if line else type(error).__name__


def _message_after_copy(worker: Any, dest: Path) -> str:
    """Render `_message_after_copy` as Copier would, but for the final place, not staging."""
    message = worker.template.message_after_copy
    if not message:
        return ""
    # Copier prints it unless quiet. Rendered with its private `_render_string` (the same
    # from 9.12 to 9.19: answers, _copier_conf, _folder_name).
    worker.dst_path = dest
    return str(worker._render_string(message)).strip()


@contextmanager
def _copier_output_shown() -> Iterator[None]:
    """Hold what Copier prints, then show it on stderr with its control characters visible.

    Quiet, Copier still prints warnings, which may quote the template's text; on stderr,
    so that --json keeps stdout to its one object.
    """
    import click  # noqa: PLC0415

    from pyscaffold_fw.terminal import color_enabled, visible_keeping_colour  # noqa: PLC0415

    held = io.StringIO()
    try:
        with redirect_stdout(held), redirect_stderr(held):
            yield
    finally:
        if held.getvalue():
            shown = visible_keeping_colour(held.getvalue())
            click.echo(shown, err=True, nl=False, color=color_enabled())


@contextmanager
def _git_confined(template: str) -> Iterator[None]:
    """Run Copier's git with our hardened settings, never looking above the template folder.

    Without the ceiling, git run in a plain template folder would find (and obey the
    configuration of) a repository that happens to enclose it.
    """
    from plumbum import local  # noqa: PLC0415  (Copier runs git through plumbum's `local`)

    from pyscaffold_fw.vcs import hardened_env  # noqa: PLC0415

    changed = {k: v for k, v in hardened_env(os.environ).items() if os.environ.get(k) != v}
    ceiling = str(Path(template).absolute().parent)
    with local.env(**changed, GIT_CEILING_DIRECTORIES=ceiling):
        yield


def _refuse_links_leaving(target: Path) -> None:
    from pyscaffold_fw.catalog import symlinks_leaving  # noqa: PLC0415

    outside = symlinks_leaving(target)
    if outside:
        link = outside[0].relative_to(target)
        raise UnsafeTemplateError(
            f"The template made a link pointing outside the project ({link}); refused. "
            "Nothing was written."
        )


def _refuse_git_metadata(target: Path) -> None:
    """Refuse a rendered `.git`: its config (filters, fsmonitor) would run on `git add`."""
    for path in target.rglob("*"):
        if path.name.casefold() == ".git":
            raise UnsafeTemplateError(
                f"The template wrote git metadata ({path.relative_to(target)}), whose "
                "configuration could run commands when git is used in the project; refused. "
                "Nothing was written."
            )


def _record_source(answers_file: Path, rendered_from: str, source: str) -> None:
    """Record `source` as `_src_path` where Copier recorded the folder it rendered from."""
    if not answers_file.is_file():
        return
    text = bounds.read_text(answers_file, TemplateBoundError)
    line = yaml.safe_dump({"_src_path": source}, allow_unicode=True, width=1_000_000).strip()
    recorded = "\n".join(
        line if old.startswith("_src_path:") and rendered_from in old else old
        for old in text.split("\n")
    )
    answers_file.write_text(recorded, encoding="utf-8")


def _list_files(root: Path) -> tuple[str, ...]:
    return tuple(
        sorted(str(path.relative_to(root)) for path in root.rglob("*") if not path.is_dir())
    )


def _read_answers(answers_path: Path) -> dict[str, Any]:
    """Return the public answers Copier recorded; the template wrote the file, so bound it."""
    if not answers_path.is_file():
        return {}
    try:
        recorded = bounds.load_yaml(answers_path, TemplateBoundError) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise RenderError(f"Cannot read the answers file {answers_path.name}: {error}") from None
    if not isinstance(recorded, dict):
        raise RenderError(f"The answers file {answers_path.name} does not hold a mapping.")
    return {key: value for key, value in recorded.items() if not str(key).startswith("_")}
