"""Render a Copier template into place atomically: the only module that imports Copier."""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import TemplateError

from pyscaffold_fw.errors import (
    DestinationError,
    InvalidAnswerError,
    RenderError,
    UnsafeTemplateError,
)

ANSWERS_FILE = ".copier-answers.yml"


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
) -> Rendered:
    """Render `template` with `data` into `dest`, or only report the files when pretending.

    The project is rendered beside `dest` (as `<staging>/<dest name>`, so nothing derived
    from the name changes) and moved into place in one step; on any failure or Ctrl-C
    nothing is left behind.
    """
    check_destination(dest)
    parent = Path(tempfile.gettempdir()) if pretend else dest.parent
    with _created_parents(parent), _staging_dir(parent) as staging:
        target = staging / dest.name
        message = _run_copier(str(template), target, dest, data, vcs_ref=vcs_ref, trust=trust)
        _refuse_links_leaving(target)
        rendered = Rendered(_list_files(target), _read_answers(target), message)
        if not pretend:
            _move_into_place(target, dest)
        return rendered


def _run_copier(
    template: str,
    target: Path,
    dest: Path,
    data: Mapping[str, Any],
    *,
    vcs_ref: str | None,
    trust: bool,
) -> str:
    """Render into `target`; return the template's message after copy, as seen from `dest`."""
    from copier import Settings, run_copy  # noqa: PLC0415  (heavy: import only to render)
    from copier.errors import CopierError, CopierWarning  # noqa: PLC0415

    try:
        with warnings.catch_warnings():
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
            message = worker.template.message_after_copy
            if not message:
                return ""
            # Copier prints it unless quiet. Rendered as Copier does (its private
            # `_render_string`, the same from 9.12 to 9.19: answers, _copier_conf,
            # _folder_name), but for the final place, not the staging folder.
            worker.dst_path = dest
            return worker._render_string(message).strip()
    except (CopierError, TemplateError) as error:
        raise RenderError(f"Copier could not render {template}: {error}") from error
    except ValueError as error:
        # Copier reports an answer that fails the template's validator as a ValueError.
        raise InvalidAnswerError(f"Invalid answer: {error}") from error
    except OSError as error:
        raise RenderError(f"Writing the project failed: {error}") from error


def _refuse_links_leaving(target: Path) -> None:
    from pyscaffold_fw.catalog import symlinks_leaving  # noqa: PLC0415

    outside = symlinks_leaving(target)
    if outside:
        link = outside[0].relative_to(target)
        raise UnsafeTemplateError(
            f"The template made a link pointing outside the project ({link}); refused. "
            "Nothing was written."
        )


@contextmanager
def _staging_dir(parent: Path) -> Iterator[Path]:
    try:
        staging = Path(tempfile.mkdtemp(prefix=".pyscaffold-", dir=parent))
    except OSError as error:
        raise DestinationError(f"Cannot write in {parent}: {error.strerror}.") from None
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def _created_parents(parent: Path) -> Iterator[None]:
    """Create missing parent folders, and remove them again if rendering fails."""
    missing = [p for p in (parent, *parent.parents) if not p.exists()]
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DestinationError(f"Cannot create {parent}: {error.strerror}.") from None
    try:
        yield
    except BaseException:
        for folder in missing:  # deepest first, and only while still empty
            with suppress(OSError):
                folder.rmdir()
        raise


def _move_into_place(target: Path, dest: Path) -> None:
    try:
        if dest.is_dir():  # an existing empty directory (it may be the working directory)
            _move_entries(target, dest)
        else:
            os.rename(target, dest)
    except OSError as error:
        raise RenderError(f"Moving the project into {dest} failed: {error.strerror}.") from None


def _move_entries(target: Path, dest: Path) -> None:
    """Move each entry of `target` into the empty `dest`; undo all of it on failure."""
    moved: list[Path] = []
    try:
        for entry in sorted(target.iterdir()):
            os.rename(entry, dest / entry.name)
            moved.append(dest / entry.name)
    except BaseException:
        for path in moved:
            os.rename(path, target / path.name)
        raise


def _list_files(root: Path) -> tuple[str, ...]:
    return tuple(
        sorted(str(path.relative_to(root)) for path in root.rglob("*") if not path.is_dir())
    )


def _read_answers(root: Path) -> dict[str, Any]:
    answers_path = root / ANSWERS_FILE
    if not answers_path.is_file():
        return {}
    recorded = yaml.safe_load(answers_path.read_text(encoding="utf-8")) or {}
    return {key: value for key, value in recorded.items() if not str(key).startswith("_")}
